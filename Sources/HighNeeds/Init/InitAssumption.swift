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

/// Text for the files `hnb init` writes: CSV cells, YAML strings and exact micro-unit shares
/// (numbers are printed by `NumberFormat`: `trimmed`, `micro`, `wholePounds`).
enum InitFormat {
  /// A CSV cell as `CSVWriter` writes it: quoted when it holds a comma, quote or line end, and
  /// written as text (a leading `'`) when a spreadsheet would read it as a formula (it starts
  /// with `=`, `+` or `@`, or with `-` and is not a number).
  static func cell(_ text: String) -> String {
    CSVWriter.plain(text) ? text : CSVWriter.escape(text)
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
