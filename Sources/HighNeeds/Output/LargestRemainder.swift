import Foundation

/// Presentation rounding that keeps totals true: rounded parts sum to the rounded total.
///
/// Papers print whole plans and thousands of pounds; rounding every cell on its own can leave a
/// column that misses its total by one. The CSVs keep the unrounded values.
public enum LargestRemainder {
  /// `x` rounded to the nearest whole `unit`, halves away from zero (`unit` > 0).
  public static func round(_ x: Double, unit: Double = 1) -> Double {
    (x / unit).rounded(.toNearestOrAwayFromZero) * unit
  }

  /// `parts` rounded to whole `unit`s so that they sum exactly to `total` rounded to the unit.
  ///
  /// Each part is first rounded down; the `k = round(total) − Σ floor(part)` units left over go,
  /// one each, to the parts with the largest remainders `part − floor(part)` (ties to the earlier
  /// part). If `total` is not the sum of `parts` (the caller wants the parts to reach a total
  /// rounded another way), `k` may be negative or exceed the number of parts: units are then
  /// taken from the smallest remainders first, or handed round again. The result sums to
  /// `round(total)` exactly in units, and no part moves by more than `⌈|k| / n⌉` units from its
  /// floor. With `total` omitted it is `Σ parts`.
  public static func round(_ parts: [Double], unit: Double = 1, total: Double? = nil) -> [Double] {
    guard !parts.isEmpty else { return [] }
    let scaled = parts.map { $0 / unit }
    let target = Int(((total ?? parts.reduce(0, +)) / unit).rounded(.toNearestOrAwayFromZero))
    var units = scaled.map { Int($0.rounded(.down)) }
    let remainders = zip(scaled, units).map { $0 - Double($1) }
    var k = target - units.reduce(0, +)
    // Largest remainder first; ties keep the parts' order, so the result is deterministic.
    let byRemainder = remainders.indices.sorted { (remainders[$0], -$0) > (remainders[$1], -$1) }
    while k > 0 {
      for i in byRemainder where k > 0 {
        units[i] += 1
        k -= 1
      }
    }
    while k < 0 {
      for i in byRemainder.reversed() where k < 0 {
        units[i] -= 1
        k += 1
      }
    }
    return units.map { Double($0) * unit }
  }
}
