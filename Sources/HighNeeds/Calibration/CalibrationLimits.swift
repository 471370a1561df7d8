import Foundation

/// The bounds that keep calibration arithmetic finite: a plausible count for every number read
/// from a history, new-plans or population file, and a check that every forecast a fit or
/// backtest writes is a finite count within the same bound.
///
/// England had about 640,000 EHC plans in January 2025 and about 700,000 residents of each
/// single year of age; ten million is far above either, so no real table is refused, while a
/// value such as 1e300 (a corrupted cell, or a sum in pence) is refused with its file, line and
/// column before its logarithm or growth can overflow. A trend is projected at most
/// `maximumHorizon` years (the `--horizon` of `fit` and `backtest`); even within it a history
/// that grows from 1 plan to millions in a year would project beyond any count, so each
/// forecast is checked and an implausible one refused with the level, year and value (exit 65).
public enum CalibrationLimits {
  /// The most plans, new plans or residents a cell of a calibration file may hold, and the
  /// most plans a forecast may reach.
  public static let maximumCount = 10_000_000.0
  /// `maximumCount` as the files' messages state it.
  public static let maximumText = "10000000"
  /// The most years a trend is projected ahead.
  public static let maximumHorizon = 20

  /// Refuses a forecast (or an end of its interval) that is not a finite count in
  /// `0…maximumCount`, naming `file`, the level and year, the method and the value.
  public static func check(_ forecasts: [IntervalForecast], level: String, method: String, file: String) throws {
    for f in forecasts {
      for (what, value) in [("forecast", f.forecast), ("p10", f.p10), ("p90", f.p90)] {
        guard let value else { continue }
        try check(value, what: what, level: level, year: f.year, method: method, file: file)
      }
    }
  }

  /// Refuses one forecast value outside `0…maximumCount` (or NaN).
  static func check(_ value: Double, what: String, level: String, year: Int, method: String, file: String) throws {
    guard value.isFinite, value >= 0, value <= maximumCount else {
      let shown = value.isFinite ? String(format: "%.4g", value) : (value.isNaN ? "not a number" : "infinite")
      throw InputError(
        SourceLocation(file: file), key: level,
        expected:
          "a history whose \(method) forecasts stay within 0–\(maximumText) plans (the history changes too fast, "
          + "or holds an implausible count, to be projected: check its values, or shorten --horizon)",
        found: "a \(what) of \(shown) plans for \(year)")
    }
  }

  /// Refuses any held-out forecast or interval end of `rows` outside `0…maximumCount`, and a
  /// percentage error (or a mean of them in `summary`) that is not finite: an actual of almost
  /// zero plans (such as 1e-300) would make it so.
  static func check(_ rows: [BacktestRow], summary: [BacktestSummary], file: String) throws {
    for row in rows {
      guard row.absPercentError.isFinite else {
        throw InputError(
          SourceLocation(file: file), key: row.level,
          expected: "actual counts of plans from which a percentage error can be taken (0, or at least a small count)",
          found: "an actual of \(String(format: "%.4g", row.actual)) plans for \(row.year)")
      }
      for (what, value) in [("forecast", row.forecast), ("p10", row.p10), ("p90", row.p90)] {
        guard let value else { continue }
        try check(
          value, what: what, level: row.level, year: row.year, method: "\(row.method) (origin \(row.fitThrough))",
          file: file)
      }
    }
    for line in summary where !line.meanAbsPercentError.isFinite {
      throw InputError(
        SourceLocation(file: file), key: line.level,
        expected: "actual counts of plans from which a mean percentage error can be taken",
        found: "a mean absolute percentage error too large to represent for \(line.method) at horizon \(line.horizon)")
    }
  }
}
