import Foundation

/// A forecast of one census year, with its 80% interval.
public struct IntervalForecast: Sendable, Equatable {
  /// The census year forecast.
  public var year: Int
  /// Years after the last fitted census.
  public var horizon: Int
  /// Central forecast (plans).
  public var forecast: Double
  /// 10th and 90th percentiles (plans); `nil` when the fit window was too short to measure
  /// the method's own errors.
  public var p10: Double?
  public var p90: Double?
}

/// The trend of a plan series: its recent growth, estimated with weights chosen from the series
/// itself, and an interval from the method's own past errors.
///
/// With `y` the plans at the fitted census years `Y_0 < … < Y_K` (after any exclusions) and
/// `growth_k = (log y_k − log y_{k−1}) / (Y_k − Y_{k−1})`, the growth is the exponentially
/// weighted mean
/// `growthRate = Σ_k λ^(K−k) · growth_k / Σ_k λ^(K−k)`
/// (λ = 0 is the last year's growth; λ → 1 the mean growth over the window), and
/// `forecast(Y) = y_K · exp(growthRate · (Y − Y_K))`.
/// `decay` (λ) is chosen from `decayGrid` by the mean squared log error of forecasts made
/// inside the fit window (every earlier origin with two or more points, horizons 1…H, each
/// against the window's own later years): no year after the window is seen.
/// The interval is `forecast · exp(±z₀.₉ · σ_h)`, `z₀.₉ = 1.2816`, where `σ_h` is the root mean
/// square of those in-window log errors at horizon `h` (at least `minimumErrors` of them), else
/// `σ_1 · h`; so it is a normal predictive interval on the log scale, sized by the method's own
/// record.
public struct TrendFit: Sendable, Equatable {
  /// The series' level (`total`, `age:5-10`, …).
  public var level: String
  /// The last fitted census year.
  public var lastYear: Int
  /// Plans at `lastYear`.
  public var lastPlans: Double
  /// Chosen decay λ of the growth weights.
  public var decay: Double
  /// Fitted growth (log points per year).
  public var growthRate: Double
  /// `σ_h` for `h = 1…horizon` (log scale); empty when no in-window error could be measured.
  public var logErrorSD: [Double]
  /// In-window forecast errors measured at each horizon (the count behind `logErrorSD`).
  public var errorCounts: [Int]
  /// Census years fitted.
  public var years: [Int]

  /// The weights tried for λ.
  public static let decayGrid: [Double] = [0, 0.2, 0.4, 0.6, 0.8]
  /// Fewest in-window errors at a horizon for `σ_h` to be measured there rather than scaled from `σ_1`.
  public static let minimumErrors = 2
  /// The 90th percentile of the standard normal.
  public static let z90 = 1.2815515655446004
  /// The smallest plan count taken on the log scale, so that an empty band has a logarithm.
  ///
  /// Ages 20–25 had no plans before 2015, for example.
  public static let logFloor = 0.5

  /// Fits `series` for forecasts up to `horizon` years ahead.
  public static func fit(_ series: PlanSeries, horizon: Int) throws -> TrendFit {
    guard series.years.count >= 2, let lastYear = series.years.last, let lastPlans = series.plans.last else {
      throw InputError(
        SourceLocation(file: series.level), expected: "at least two census years to fit a trend",
        found: "\(series.years.count)")
    }
    let logs = series.plans.map { log(max($0, logFloor)) }
    var best: (score: Double, decay: Double, errors: [[Double]])?
    for decay in decayGrid {
      let errors = inWindowErrors(years: series.years, logs: logs, decay: decay, horizon: horizon)
      let all = errors.flatMap { $0 }
      let score = all.isEmpty ? 0 : all.map { $0 * $0 }.reduce(0, +) / Double(all.count)
      if best == nil || score < (best?.score ?? 0) - 1e-15 { best = (score, decay, errors) }
    }
    let decay = best?.decay ?? 0
    let errors = best?.errors ?? []
    return TrendFit(
      level: series.level, lastYear: lastYear, lastPlans: lastPlans, decay: decay,
      growthRate: growth(years: series.years, logs: logs, decay: decay), logErrorSD: spread(errors),
      errorCounts: errors.map(\.count), years: series.years)
  }

  /// The log-scale spread at each horizon from in-window log errors by horizon (or step).
  ///
  /// `σ_h` for `h = 1…errors.count` is their root mean square where there are at least
  /// `minimumErrors`, else `σ_1 · h`; empty when there is no error at horizon 1. The trend, its
  /// top-down split and the stock-flow model share it.
  static func spread(_ errors: [[Double]]) -> [Double] {
    let rms = { (e: [Double]) in (e.map { $0 * $0 }.reduce(0, +) / Double(e.count)).squareRoot() }
    guard let one = errors.first, !one.isEmpty else { return [] }
    return errors.enumerated().map { k, e in e.count >= minimumErrors ? rms(e) : rms(one) * Double(k + 1) }
  }

  /// The weighted growth of `logs` at `years` (see the type's documentation).
  static func growth(years: [Int], logs: [Double], decay: Double) -> Double {
    var weighted = 0.0
    var total = 0.0
    var weight = 1.0
    for k in stride(from: logs.count - 1, through: 1, by: -1) {
      let g = (logs[k] - logs[k - 1]) / Double(years[k] - years[k - 1])
      weighted += weight * g
      total += weight
      weight *= decay
    }
    return total > 0 ? weighted / total : 0
  }

  /// Log errors `log(actual / forecast)` of the method inside the window, by horizon.
  static func inWindowErrors(years: [Int], logs: [Double], decay: Double, horizon: Int) -> [[Double]] {
    var errors = Array(repeating: [Double](), count: horizon)
    guard years.count >= 3 else { return errors }
    for origin in 1..<(years.count - 1) {
      let g = growth(years: Array(years[0...origin]), logs: Array(logs[0...origin]), decay: decay)
      for k in (origin + 1)..<years.count {
        let h = years[k] - years[origin]
        guard h <= horizon else { break }
        errors[h - 1].append(logs[k] - (logs[origin] + g * Double(h)))
      }
    }
    return errors
  }

  /// Forecasts for census years `origin + 1 … origin + horizon` (`origin` defaults to
  /// `lastYear`).
  ///
  /// When the series has no census at `origin` (a gap in a level), each forecast is
  /// `step = Y − lastYear` years from the last census the series has, with the interval of that
  /// step, and `horizon` still counts from `origin`. Fit with `horizon + origin − lastYear`
  /// so that every step has its own `σ`.
  public func forecast(origin: Int? = nil, horizon: Int) -> [IntervalForecast] {
    let origin = origin ?? lastYear
    return (1...horizon).map { h in
      let step = origin + h - lastYear
      let mean = exp(log(max(lastPlans, Self.logFloor)) + growthRate * Double(step))
      var result = IntervalForecast(year: origin + h, horizon: h, forecast: mean, p10: nil, p90: nil)
      if step <= logErrorSD.count {
        result.p10 = mean * exp(-Self.z90 * logErrorSD[step - 1])
        result.p90 = mean * exp(Self.z90 * logErrorSD[step - 1])
      }
      return result
    }
  }
}

/// The naive forecasts a method must beat.
public enum Baseline: String, CaseIterable, Sendable {
  /// The last census, unchanged.
  case lastValue = "last_value"
  /// The last year's growth rate, compounded.
  case lastGrowth = "last_growth"
  /// An ordinary least-squares straight line through every fitted year.
  case linearTrend = "linear_trend"

  /// The forecast for census `year` from `series` (its last year is the origin).
  ///
  /// `last_value`: `y_K`; `last_growth`: `y_K · (y_K / y_{K−1})^((Y − Y_K)/(Y_K − Y_{K−1}))`;
  /// `linear_trend`: `a + b·Y` with `a`, `b` the least-squares fit to every fitted year.
  public func forecast(_ series: PlanSeries, year: Int) -> Double {
    let n = series.years.count
    guard let last = series.plans.last, let lastYear = series.years.last else { return 0 }
    switch self {
    case .lastValue:
      return last
    case .lastGrowth:
      guard n >= 2, series.plans[n - 2] > 0 else { return last }
      let span = Double(lastYear - series.years[n - 2])
      return last * pow(last / series.plans[n - 2], Double(year - lastYear) / span)
    case .linearTrend:
      guard n >= 2 else { return last }
      let xs = series.years.map(Double.init)
      let mx = xs.reduce(0, +) / Double(n)
      let my = series.plans.reduce(0, +) / Double(n)
      let sxy = zip(xs, series.plans).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
      let sxx = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
      let slope = sxx > 0 ? sxy / sxx : 0
      return my + slope * (Double(year) - mx)
    }
  }
}
