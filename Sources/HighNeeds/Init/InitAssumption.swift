import Foundation

/// One value `hnb init` writes, with its status and how it was found: the scenario's
/// assumptions log.
public struct InitAssumption: Sendable, Equatable {
  /// `data`: the LA's own published figure; `derived`: from the LA's figures by the stated
  /// method; `national default`: England's figure or the toolkit's default, because the LA's
  /// is missing, suppressed or implausible; `not stated`: no published figure (the officer
  /// enters it).
  public enum Status: String, Sendable, CaseIterable {
    case data
    case derived
    case nationalDefault = "national default"
    case notStated = "not stated"
  }

  /// Where the value is written: a YAML key path, or `FILE[row]`.
  public var key: String
  /// The value as written.
  public var value: String
  public var unit: String
  public var status: Status
  /// The source and method, in words.
  public var method: String

  public init(key: String, value: String, unit: String, status: Status, method: String) {
    self.key = key
    self.value = value
    self.unit = unit
    self.status = status
    self.method = method
  }
}

/// Number formatting for the files `hnb init` writes: plain decimals, fixed precision,
/// trailing zeros dropped, so the same inputs give the same bytes.
enum InitFormat {
  /// `x` with at most `decimals` decimals, trailing zeros (and a trailing point) removed.
  static func number(_ x: Double, decimals: Int = 6) -> String {
    var text = String(format: "%.\(decimals)f", x)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    if text == "-0" { text = "0" }
    return text
  }

  /// A count of micro-units (1e-6) as a decimal.
  static func micro(_ units: Int) -> String {
    let sign = units < 0 ? "-" : ""
    let whole = abs(units) / 1_000_000
    let fraction = abs(units) % 1_000_000
    if fraction == 0 { return "\(sign)\(whole)" }
    var digits = String(format: "%06d", fraction)
    while digits.hasSuffix("0") { digits.removeLast() }
    return "\(sign)\(whole).\(digits)"
  }

  /// Pounds, rounded to the pound.
  static func gbp(_ x: Double) -> String { String(format: "%.0f", x.rounded()) }

  /// `£12.3m`-style figure for prose.
  static func millions(_ x: Double) -> String { String(format: "£%.2fm", x / 1e6) }

  /// A CSV cell, quoted when it holds a comma, quote or line end.
  static func cell(_ text: String) -> String {
    if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return text
  }

  /// A YAML double-quoted string.
  static func yaml(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// Integer micro-units of `parts` summing exactly to `total` micro-units (largest remainder).
  static func microParts(_ parts: [Double], total: Int) -> [Int] {
    let sum = parts.reduce(0, +)
    guard sum > 0 else { return parts.map { _ in 0 } }
    let scaled = parts.map { $0 / sum * Double(total) }
    return LargestRemainder.round(scaled, unit: 1, total: Double(total)).map { Int($0) }
  }
}
