import Foundation

/// What a scenario's CSV inputs gave, kept while a sweep rebuilds the scenario for each draw of
/// the numbers written with a `distribution:` (`ScenarioLoader.rebuild`).
///
/// A CSV input depends only on its file, which a draw never changes, so each is parsed and
/// checked once per sweep instead of once per draw. Values are stored under a key naming the
/// reader and the file; the first value stored for a key is kept. Safe to share between
/// threads.
public final class InputMemo: @unchecked Sendable {
  private var values: [String: Any] = [:]
  private let lock = NSLock()

  public init() {}

  /// The value stored under `key`, or `make()`'s, stored.
  func value<T>(_ key: String, _ make: () throws -> T) rethrows -> T {
    lock.lock()
    let stored = values[key] as? T
    lock.unlock()
    if let stored { return stored }
    let made = try make()
    lock.lock()
    defer { lock.unlock() }
    if let first = values[key] as? T { return first }
    values[key] = made
    return made
  }
}

extension ScenarioBuilder {
  /// `make()`, computed once per sweep when the scenario is being rebuilt for a draw.
  func memo<T>(_ key: String, _ make: () throws -> T) rethrows -> T {
    guard let memo = log.memo else { return try make() }
    return try memo.value(key, make)
  }
}
