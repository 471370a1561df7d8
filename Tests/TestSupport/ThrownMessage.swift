import Foundation

/// The message `body` throws, as the user sees it (the error's description), or nil when it
/// does not throw.
public func thrownMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return (error as? LocalizedError)?.errorDescription ?? "\(error)"
  }
}
