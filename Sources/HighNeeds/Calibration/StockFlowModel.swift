import Foundation

/// A forecast of the total from new plans: the stock carried forward less its leavers, plus the
/// new plans of the year, with the leave rate and the growth of new plans fitted in the window.
///
/// With `S(Y)` the plans at census `Y` and `N(Y)` the new plans made in calendar year `Y`
/// (published with census `Y + 1`, so at an origin `O` only `N(Y ≤ O − 1)` is known):
/// `S(Y + 1) = S(Y) · (1 − leaveRate) + N(Y)`. Each fitted pair `Y → Y + 1` gives the implied
/// rate `ℓ_Y = 1 − (S(Y + 1) − N(Y)) / S(Y)`; `leaveRate` is the mean of the last `m`.
/// New plans are forecast as `N(Y) = N(O − 1) · exp(g · (Y − O + 1))`, `g` the exponentially
/// weighted log growth of `N` over the window's years with decay `λ` (as `TrendFit.growth`). `(m, λ)` is chosen from
/// `windowGrid × decayGrid` by the mean squared log error of the same forecasts made inside the
/// window (origins with two or more pairs, horizons 1…H): no year after the origin is seen.
///
/// It is scored by `backtest` beside the method as the `stock_flow` candidate when
/// `--new-plans` is given (docs/CALIBRATION.md explains why it is not the method).
public struct StockFlowFit: Sendable, Equatable {
  /// Chosen number of recent pairs averaged for the leave rate.
  public var window: Int
  /// Chosen decay of the new-plan growth weights.
  public var decay: Double
  /// The fitted leave rate (fraction a year).
  public var leaveRate: Double
  /// The fitted growth of new plans (log points a year).
  public var newPlanGrowth: Double
  /// The last fitted census year.
  public var lastYear: Int
  /// Plans at `lastYear`.
  public var lastPlans: Double
  /// New plans in calendar year `lastYear − 1`.
  public var lastNewPlans: Double

  /// Numbers of recent pairs tried for the leave rate.
  public static let windowGrid = [1, 2, 3]
  /// Decays tried for the growth of new plans.
  public static let decayGrid: [Double] = [0, 0.5, 0.8]

  /// Fits `series` (consecutive fitted years) with `newPlans` by calendar year; nil when fewer
  /// than two pairs `Y → Y + 1` have the new plans of `Y`.
  public static func fit(_ series: PlanSeries, newPlans: [Int: Double], horizon: Int) -> StockFlowFit? {
    guard let origin = series.years.last else { return nil }
    let known = newPlans.filter { $0.key <= origin - 1 && $0.value > 0 }
    var best: (score: Double, fit: StockFlowFit)?
    for window in windowGrid {
      for decay in decayGrid {
        guard let candidate = make(series, newPlans: known, window: window, decay: decay) else { continue }
        var errors: [Double] = []
        for (k, inner) in series.years.enumerated() where k >= 2 && k < series.years.count - 1 {
          let early = series.through(inner)
          guard
            let f = make(early, newPlans: known.filter { $0.key <= inner - 1 }, window: window, decay: decay)
          else { continue }
          for h in 1...horizon {
            guard let actual = series.plans(at: inner + h), actual > 0 else { continue }
            errors.append(log(actual / f.forecast(horizon: h)[h - 1]))
          }
        }
        let score = errors.isEmpty ? 0 : errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)
        if best == nil || score < (best?.score ?? 0) - 1e-15 { best = (score, candidate) }
      }
    }
    return best?.fit
  }

  /// The fit with a given window and decay; nil without two usable pairs.
  static func make(_ series: PlanSeries, newPlans: [Int: Double], window: Int, decay: Double) -> StockFlowFit? {
    guard let origin = series.years.last, let last = series.plans.last, let lastNew = newPlans[origin - 1] else {
      return nil
    }
    var rates: [Double] = []
    for k in 0..<(series.years.count - 1) where series.years[k + 1] == series.years[k] + 1 {
      guard let new = newPlans[series.years[k]], series.plans[k] > 0 else { continue }
      rates.append(1 - (series.plans[k + 1] - new) / series.plans[k])
    }
    guard rates.count >= 2 else { return nil }
    let recent = rates.suffix(window)
    let newYears = series.years.filter { newPlans[$0] != nil }
    let growth = TrendFit.growth(years: newYears, logs: newYears.map { log(newPlans[$0] ?? 1) }, decay: decay)
    return StockFlowFit(
      window: window, decay: decay, leaveRate: recent.reduce(0, +) / Double(recent.count), newPlanGrowth: growth,
      lastYear: origin, lastPlans: last, lastNewPlans: lastNew)
  }

  /// Forecasts of the total at censuses `lastYear + 1 … lastYear + horizon`.
  public func forecast(horizon: Int) -> [Double] {
    var stock = lastPlans
    return (1...horizon).map { h in
      stock = stock * (1 - leaveRate) + lastNewPlans * exp(newPlanGrowth * Double(h))
      return stock
    }
  }
}
