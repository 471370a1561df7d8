/// An unusual but valid input value: reported on standard error and listed in the manifest.
public struct Alert: Sendable, Equatable, Comparable {
  /// Where the value came from (file and key, or file:line).
  public var location: String
  /// What is unusual about it.
  public var message: String

  public init(location: String, message: String) {
    self.location = location
    self.message = message
  }

  public static func < (lhs: Alert, rhs: Alert) -> Bool {
    (lhs.location, lhs.message) < (rhs.location, rhs.message)
  }

  public var text: String { "alert: \(location): \(message)" }
}
