import Foundation

/// Single years of age 0–25: the rows of the state.
///
/// A plan ends before age 26.
public enum AgeAxis {
  public static let maxAge = 25
  public static let count = 26
  /// The DfE management plan's five age bands, with the ages each covers.
  public static let bands: [(id: String, ages: ClosedRange<Int>)] = [
    ("under_5", 0...4), ("5_10", 5...10), ("11_15", 11...15), ("16_19", 16...19),
    ("20_25", 20...25),
  ]
  /// The band id an age falls in.
  public static func band(of age: Int) -> String {
    bands.first { $0.ages.contains(age) }?.id ?? "unknown"
  }
}

/// Year labels for census, academic and financial years.
///
/// Internally every year is the integer of a January census `Y`; the academic
/// year `(Y-1)/Y` contains it and the financial year `Y-(Y+1)` starts three months after it.
public enum YearLabel {
  /// `"2025/26"` for the academic year starting in September 2025.
  public static func academic(startingIn year: Int) -> String {
    NumberFormat.zeroPadded(year, width: 4) + "/" + NumberFormat.zeroPadded((year + 1) % 100, width: 2)
  }

  /// `"2025-26"` for the financial year starting in April 2025.
  public static func financial(startingIn year: Int) -> String {
    NumberFormat.zeroPadded(year, width: 4) + "-" + NumberFormat.zeroPadded((year + 1) % 100, width: 2)
  }

  /// The starting calendar year of an academic year label `"YYYY/YY"`.
  public static func parseAcademic(_ text: String) -> Int? { parse(text, separator: "/") }

  /// The starting calendar year of a financial year label `"YYYY-YY"`.
  public static func parseFinancial(_ text: String) -> Int? { parse(text, separator: "-") }

  private static func parse(_ text: String, separator: Character) -> Int? {
    let parts = text.split(separator: separator)
    guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
      let start = Int(parts[0]), let end = Int(parts[1]), (start + 1) % 100 == end
    else { return nil }
    return start
  }
}
