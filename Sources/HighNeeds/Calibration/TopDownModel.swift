import Foundation

/// An age band's or placement group's forecast as its share of the total: the trend forecast of
/// the total times the level's share at its last census.
///
/// With `L_k` the level's plans and `T_k` the total at the level's census years `Y_0 < … < Y_K`
/// (up to the origin), `share_k = max(L_k, logFloor) / T_k` and
/// `forecast(Y) = T̂(Y) · share_K`, `T̂` the total's `TrendFit` forecast. The levels of one
/// dimension therefore add up to the total's forecast wherever their last shares add up to 1.
/// The p10–p90 interval is `forecast · exp(∓z₀.₉ · σ)` with
/// `σ² = σ_T(h)² + σ_s(step)²`: `σ_T(h)` the total's log-scale spread at horizon `h`, and
/// `σ_s(step)` the root mean square of the level's in-window share changes
/// `log share_k' − log share_k` over `step = Y_k' − Y_k` years (at least
/// `TrendFit.minimumErrors` of them, else `σ_s(1) · step`), `step = Y − Y_K`. The two are taken
/// as independent. Chosen over each level's own trend on the selection origins 2012–2018
/// (docs/CALIBRATION.md, "Age bands and placement groups").
public struct TopDownFit: Sendable, Equatable {
  /// The level (`age:5-10`, `placement:ap_pru`, …).
  public var level: String
  /// The level's last census year fitted (before the origin when the level has a gap there).
  public var lastYear: Int
  /// `share_K`: the level's plans over the total at `lastYear` (fraction).
  public var share: Double
  /// `σ_s(step)` for `step = 1…steps` (log scale); empty with fewer than two censuses.
  public var shareLogSD: [Double]
  /// In-window share changes measured at each step (the count behind `shareLogSD`).
  public var errorCounts: [Int]
  /// Census years fitted.
  public var years: [Int]

  /// Fits the share of `series` in `total` (both already cut at the origin), with `σ_s` for
  /// steps `1…steps`.
  public static func fit(_ series: PlanSeries, total: PlanSeries, steps: Int) throws -> TopDownFit {
    var years: [Int] = []
    var logShares: [Double] = []
    for (year, plans) in zip(series.years, series.plans) {
      guard let whole = total.plans(at: year), whole > 0 else { continue }
      years.append(year)
      logShares.append(log(max(plans, TrendFit.logFloor) / whole))
    }
    guard let lastYear = years.last, let last = logShares.last else {
      throw InputError(
        SourceLocation(file: series.level), expected: "a census year with a total above zero to take a share of",
        found: "none")
    }
    var errors = Array(repeating: [Double](), count: steps)
    for k in years.indices {
      for j in (k + 1)..<years.count {
        let step = years[j] - years[k]
        guard step <= steps else { break }
        errors[step - 1].append(logShares[j] - logShares[k])
      }
    }
    return TopDownFit(
      level: series.level, lastYear: lastYear, share: exp(last), shareLogSD: TrendFit.spread(errors),
      errorCounts: errors.map(\.count), years: years)
  }

  /// Forecasts for census years `origin + 1 … origin + horizon` from the total's `TrendFit`.
  public func forecast(total: TrendFit, origin: Int, horizon: Int) -> [IntervalForecast] {
    total.forecast(origin: origin, horizon: horizon).map { whole in
      let step = whole.year - lastYear
      var result = IntervalForecast(
        year: whole.year, horizon: whole.horizon, forecast: whole.forecast * share, p10: nil, p90: nil)
      if let p90 = whole.p90, step <= shareLogSD.count {
        let totalSD = log(p90 / whole.forecast) / TrendFit.z90
        let sd = (totalSD * totalSD + shareLogSD[step - 1] * shareLogSD[step - 1]).squareRoot()
        result.p10 = result.forecast * exp(-TrendFit.z90 * sd)
        result.p90 = result.forecast * exp(TrendFit.z90 * sd)
      }
      return result
    }
  }
}
