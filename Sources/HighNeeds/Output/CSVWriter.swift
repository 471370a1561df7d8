import Foundation

/// Builds a CSV file in memory: quoted where needed, numbers at fixed precision, `\n` line ends.
public struct CSVWriter {
  private(set) var text: String

  /// Starts a file with `header`.
  public init(header: [String]) {
    text = header.map(Self.escape).joined(separator: ",") + "\n"
  }

  /// Appends one row of already formatted cells.
  public mutating func row(_ cells: [String]) {
    text += cells.map(Self.escape).joined(separator: ",") + "\n"
  }

  static func escape(_ cell: String) -> String {
    // A text cell that a spreadsheet would read as a formula is written as text.
    if let first = cell.first, "=+@".contains(first) || (first == "-" && parseNumber(cell) == nil) {
      return escape("'" + cell)
    }
    if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return cell
  }

  /// Pounds to the penny.
  public static func gbp(_ x: Double) -> String { fixed(x, 2) }
  /// Plan counts to six decimals (projections are expected values, not whole children).
  public static func plans(_ x: Double) -> String { fixed(x, 6) }
  /// Fractions to six decimals.
  public static func fraction(_ x: Double) -> String { fixed(x, 6) }

  /// `x` with `places` decimals, never printing a negative zero.
  public static func fixed(_ x: Double, _ places: Int) -> String {
    let text = String(format: "%.\(places)f", x)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }
}
