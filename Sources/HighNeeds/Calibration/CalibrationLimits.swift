import Foundation

/// The bounds that keep calibration arithmetic finite: a plausible count for every number read
/// from a history, new-plans or population file, and a check that every forecast a fit or
/// backtest writes is finite.
///
/// England had about 640,000 EHC plans in January 2025 and about 700,000 residents of each
/// single year of age; ten million is far above either, so no real table is refused, while a
/// value such as 1e300 (a corrupted cell, or a sum in pence) is refused with its file, line and
/// column before its logarithm or growth can overflow. A trend is projected at most
/// `maximumHorizon` years (the `--horizon` of `fit` and `backtest`); even within it a history
/// that swings between 1 plan and millions from year to year has in-window errors so large that
/// its interval overflows, so each forecast is checked and an infinite one refused with the
/// level, year and method (exit 65).
public enum CalibrationLimits {
  /// The most plans, new plans or residents a cell of a calibration file may hold.
  public static let maximumCount = 10_000_000.0
  /// `maximumCount` as the files' messages state it.
  public static let maximumText = "10000000"
  /// The most years a trend is projected ahead.
  public static let maximumHorizon = 20

  /// Refuses a forecast (or an end of its interval) that is not a finite number, naming
  /// `file`, the level and year, the method and the value.
  ///
  /// Only finiteness is checked: a real history can give an interval end far above any
  /// plausible count (Sutton's further-education placements went from 0 to 47 plans in one
  /// year, and the level's own trend from 2016 has a p90 of over a billion at three years), and
  /// such a number is the method's honest answer, which a backtest exists to score.
  public static func check(_ forecasts: [IntervalForecast], level: String, method: String, file: String) throws {
    for f in forecasts {
      for (what, value) in [("forecast", f.forecast), ("p10", f.p10), ("p90", f.p90)] {
        guard let value else { continue }
        try check(value, what: what, level: level, year: f.year, method: method, file: file)
      }
    }
  }

  /// Refuses one forecast value that is infinite or not a number.
  static func check(_ value: Double, what: String, level: String, year: Int, method: String, file: String) throws {
    guard value.isFinite else {
      throw InputError(
        SourceLocation(file: file), key: level,
        expected:
          "a history whose \(method) forecasts are finite numbers (the history changes too fast to be projected "
          + "this far: check its values, or shorten --horizon)",
        found: "\(value.isNaN ? "a \(what) that is not a number" : "an infinite \(what)") for \(year)")
    }
  }

  /// Refuses any held-out forecast or interval end of `rows` that is not finite, and a
  /// percentage error (or a mean of them in `summary`) that is not finite: an actual of almost
  /// zero plans (such as 1e-300) would make it so.
  static func check(_ rows: [BacktestRow], summary: [BacktestSummary], file: String) throws {
    for row in rows {
      guard row.absPercentError.isFinite else {
        throw InputError(
          SourceLocation(file: file), key: row.level,
          expected: "actual counts of plans from which a percentage error can be taken (0, or at least a small count)",
          found: "an actual of \(NumberFormat.significant(row.actual, 4)) plans for \(row.year)")
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
