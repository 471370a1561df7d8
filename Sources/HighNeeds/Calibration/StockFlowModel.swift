import Foundation

/// One census pair `Y → Y + 1` of a stock-flow fit, with the leave rate it implies.
public struct StockFlowPair: Sendable, Equatable {
  /// The census year `Y`; the new plans of calendar year `Y` arrive by census `Y + 1`.
  public var year: Int
  /// Plans at census `Y`, `S(Y)`.
  public var plans: Double
  /// Plans at census `Y + 1`, `S(Y + 1)`.
  public var nextPlans: Double
  /// New plans made in calendar year `Y`, `N(Y)`.
  public var newPlans: Double

  public init(year: Int, plans: Double, nextPlans: Double, newPlans: Double) {
    self.year = year
    self.plans = plans
    self.nextPlans = nextPlans
    self.newPlans = newPlans
  }

  /// The implied leave rate `ℓ_Y = 1 − (S(Y + 1) − N(Y)) / S(Y)` (fraction a year).
  public var impliedLeaveRate: Double { 1 - (nextPlans - newPlans) / plans }
}

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
  /// The fitted pairs, oldest first; `leaveRate` is the mean implied rate of the last `window`.
  public var pairs: [StockFlowPair]
  /// Calendar years whose new plans the fit used: the fitted census years' (the pairs and the
  /// growth) and `lastYear − 1`.
  public var newPlanYears: [Int]
  /// `σ_h` for `h = 1…horizon`: the root mean square of the chosen `(window, decay)`'s in-window
  /// log errors at horizon `h` (at least `TrendFit.minimumErrors`, else `σ_1 · h`), as the
  /// trend's; empty when no in-window error could be measured.
  public var logErrorSD: [Double] = []
  /// In-window forecast errors measured at each horizon (the count behind `logErrorSD`).
  public var errorCounts: [Int] = []

  /// Numbers of recent pairs tried for the leave rate.
  public static let windowGrid = [1, 2, 3]
  /// Decays tried for the growth of new plans.
  public static let decayGrid: [Double] = [0, 0.5, 0.8]

  /// Fits `series` (consecutive fitted years) with `newPlans` by calendar year; nil when fewer
  /// than two pairs `Y → Y + 1` have the new plans of `Y`, or without the new plans of the
  /// calendar year before the last census.
  public static func fit(_ series: PlanSeries, newPlans: [Int: Double], horizon: Int) -> StockFlowFit? {
    guard let origin = series.years.last else { return nil }
    let known = newPlans.filter { $0.key <= origin - 1 && $0.value > 0 }
    var best: (score: Double, fit: StockFlowFit, errors: [[Double]])?
    for window in windowGrid {
      for decay in decayGrid {
        guard let candidate = make(series, newPlans: known, window: window, decay: decay) else { continue }
        var errors = Array(repeating: [Double](), count: horizon)
        for (k, inner) in series.years.enumerated() where k >= 2 && k < series.years.count - 1 {
          let early = series.through(inner)
          guard
            let f = make(early, newPlans: known.filter { $0.key <= inner - 1 }, window: window, decay: decay)
          else { continue }
          for h in 1...horizon {
            guard let actual = series.plans(at: inner + h), actual > 0 else { continue }
            errors[h - 1].append(log(actual / f.forecast(horizon: h)[h - 1]))
          }
        }
        let all = errors.flatMap { $0 }
        let score = all.isEmpty ? 0 : all.map { $0 * $0 }.reduce(0, +) / Double(all.count)
        if best == nil || score < (best?.score ?? 0) - 1e-15 { best = (score, candidate, errors) }
      }
    }
    guard var fit = best?.fit, let errors = best?.errors else { return nil }
    fit.logErrorSD = TrendFit.spread(errors)
    fit.errorCounts = errors.map(\.count)
    return fit
  }

  /// The fit with a given window and decay; nil without two usable pairs.
  static func make(_ series: PlanSeries, newPlans: [Int: Double], window: Int, decay: Double) -> StockFlowFit? {
    guard let origin = series.years.last, let last = series.plans.last, let lastNew = newPlans[origin - 1] else {
      return nil
    }
    let fitted = pairs(series, newPlans: newPlans)
    guard fitted.count >= 2 else { return nil }
    let recent = fitted.suffix(window).map(\.impliedLeaveRate)
    let newYears = series.years.filter { newPlans[$0] != nil }
    let growth = TrendFit.growth(years: newYears, logs: newYears.map { log(newPlans[$0] ?? 1) }, decay: decay)
    return StockFlowFit(
      window: window, decay: decay, leaveRate: recent.reduce(0, +) / Double(recent.count), newPlanGrowth: growth,
      lastYear: origin, lastPlans: last, lastNewPlans: lastNew, pairs: fitted,
      newPlanYears: Set(newYears + [origin - 1]).sorted())
  }

  /// The pairs `Y → Y + 1` of consecutive censuses in `series` with `S(Y) > 0` and new plans
  /// `N(Y) > 0`, oldest first.
  public static func pairs(_ series: PlanSeries, newPlans: [Int: Double]) -> [StockFlowPair] {
    var result: [StockFlowPair] = []
    for k in 0..<max(series.years.count - 1, 0) where series.years[k + 1] == series.years[k] + 1 {
      guard let new = newPlans[series.years[k]], new > 0, series.plans[k] > 0 else { continue }
      result.append(
        StockFlowPair(year: series.years[k], plans: series.plans[k], nextPlans: series.plans[k + 1], newPlans: new))
    }
    return result
  }

  /// Fits `series` with `newPlans` read from `file`; when the fit cannot be made, an error that
  /// names `file` and the calendar years whose new plans are missing.
  public static func fit(_ series: PlanSeries, newPlans: [Int: Double], horizon: Int, file: String) throws
    -> StockFlowFit
  {
    if let fit = fit(series, newPlans: newPlans, horizon: horizon) { return fit }
    let origin = series.years.last ?? 0
    let usable = newPlans.filter { $0.key <= origin - 1 && $0.value > 0 }
    var consecutive: [Int] = []
    for k in 0..<max(series.years.count - 1, 0) where series.years[k + 1] == series.years[k] + 1 {
      consecutive.append(series.years[k])
    }
    let usablePairs = pairs(series, newPlans: usable).count
    let missing = Set(consecutive.filter { usable[$0] == nil } + (usable[origin - 1] == nil ? [origin - 1] : []))
    var found =
      "\(usablePairs) usable pair\(usablePairs == 1 ? "" : "s") of the \(consecutive.count) consecutive fitted "
      + "census pair\(consecutive.count == 1 ? "" : "s")"
    if !missing.isEmpty {
      found +=
        "; no new plans (or 0) for calendar year\(missing.count == 1 ? "" : "s") "
        + missing.sorted().map(String.init).joined(separator: ", ")
    }
    throw InputError(
      SourceLocation(file: file), key: "plans_new",
      expected:
        "new plans for at least two calendar years Y whose censuses Y and Y + 1 are both fitted "
        + "(fitted census years \(series.years.first ?? 0)–\(origin)), and for calendar year \(origin - 1), "
        + "to fit the stock-flow model of the total",
      found: found)
  }

  /// Forecasts of the total at censuses `lastYear + 1 … lastYear + horizon`, with the p10–p90
  /// interval `forecast · exp(∓z₀.₉ · σ_h)` where `logErrorSD` has `σ_h`.
  public func intervalForecast(horizon: Int) -> [IntervalForecast] {
    forecast(horizon: horizon).enumerated().map { k, mean in
      var result = IntervalForecast(year: lastYear + k + 1, horizon: k + 1, forecast: mean, p10: nil, p90: nil)
      if k < logErrorSD.count {
        result.p10 = mean * exp(-TrendFit.z90 * logErrorSD[k])
        result.p90 = mean * exp(TrendFit.z90 * logErrorSD[k])
      }
      return result
    }
  }

  /// Central forecasts of the total at censuses `lastYear + 1 … lastYear + horizon`.
  public func forecast(horizon: Int) -> [Double] {
    var stock = lastPlans
    return (1...horizon).map { h in
      stock = stock * (1 - leaveRate) + lastNewPlans * exp(newPlanGrowth * Double(h))
      return stock
    }
  }
}
