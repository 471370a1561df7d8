import Foundation

/// One forecast of one LA in a panel backtest.
public struct PanelForecastRow: Sendable, Equatable {
  public var la: String
  public var region: String
  /// The origin: the last census the fit read.
  public var fitThrough: Int
  public var year: Int
  public var horizon: Int
  /// A `PooledMethod`'s name, `trend` or a baseline's name.
  public var method: String
  /// The LA's plans at the origin (its size).
  public var plansAtOrigin: Double
  public var forecast: Double
  public var p10: Double?
  public var p90: Double?
  /// The plans at `year`, when the panel has them (always, in a backtest's scored rows).
  public var actual: Double?

  /// `|forecast − actual| / actual · 100`, when there is an actual.
  public var absPercentError: Double? { actual.map { abs(forecast - $0) / $0 * 100 } }
  /// Whether the actual lies inside p10–p90, when there are both.
  public var covered: Bool? {
    guard let actual, let p10, let p90 else { return nil }
    return actual >= p10 && actual <= p90
  }
}

/// The p10–p90 rule of a pooled method at one origin and horizon: `σ(P)² = a + b / P` fitted to
/// the method's squared log errors on the panel, and the 10th and 90th percentiles `q10`, `q90`
/// of the errors standardised by it; the interval is `forecast · exp(q · σ(P))`.
public struct PooledInterval: Sendable, Equatable {
  public var a: Double
  public var b: Double
  public var q10: Double
  public var q90: Double
  /// Errors behind it.
  public var errors: Int
  /// The horizon whose errors were used (this horizon's, or horizon 1's scaled by `h` when
  /// there were too few).
  public var fromHorizon: Int

  /// `σ` for an LA of `plans` plans at the origin, `h` years ahead.
  func sigma(plans: Double, horizon h: Int) -> Double {
    (a + b / max(plans, 1)).squareRoot() * Double(h) / Double(fromHorizon)
  }
}

/// A backtest of the pooled methods over every LA of a panel and every origin: each LA's
/// forecasts beside the trend and the naive baselines, and their errors.
public struct PanelBacktest: Sendable {
  /// The method chosen by the rule in `docs/CALIBRATION.md` ("The pooled method").
  public static let method = PooledMethod.shrink
  /// The methods scored, in output order.
  public static let methods =
    PooledMethod.allCases.map(\.rawValue) + [Backtest.methodName] + Baseline.allCases.map(\.rawValue)
  /// Most recent earlier origins whose errors size a pooled interval; nil for every earlier
  /// origin (chosen by the rule in docs/CALIBRATION.md over 3).
  public static let intervalOrigins: Int? = nil
  /// Fewest errors at a horizon for its own interval rule (else horizon 1's, scaled).
  public static let minimumIntervalErrors = 20

  public var rows: [PanelForecastRow]
  /// Each origin's pooled fit.
  public var fits: [PooledFit]
  /// Each origin's interval rule of each pooled method, by horizon.
  public var intervals: [(origin: Int, method: PooledMethod, horizon: Int, rule: PooledInterval)]

  /// The pooled fits of `panel` at every census from its second to `through`, each reading the
  /// panel only up to its own census.
  public static func fits(_ panel: Panel, through: Int, horizon: Int) -> [Int: PooledFit] {
    var fits: [Int: PooledFit] = [:]
    guard let first = panel.years.first, first + 1 <= through else { return fits }
    for t in (first + 1)...through { fits[t] = PooledFit.fit(panel, origin: t, horizon: horizon) }
    return fits
  }

  /// The interval rule of `method` at `origin`, horizon `h`, from the errors of the fits at the
  /// `window` latest censuses `t` with `t + h ≤ origin` (every one when nil), scored on `known`
  /// (the panel up to the origin).
  static func interval(
    _ method: PooledMethod, known: Panel, fits: [Int: PooledFit], origin: Int, horizon h: Int,
    window: Int? = intervalOrigins
  ) -> PooledInterval? {
    var errors: [(e: Double, size: Double)] = []
    let lowest = window.map { origin - h - $0 + 1 } ?? (fits.keys.min() ?? origin)
    for t in stride(from: origin - h, through: lowest, by: -1) {
      guard let fit = fits[t] else { continue }
      for la in known.series {
        guard let f = fit.logForecast(method, la, at: t, horizon: h), let actual = la.plans[t + h], actual > 0,
          let size = la.plans[t]
        else { continue }
        errors.append((log(actual) - f, max(size, 1)))
      }
    }
    guard errors.count >= minimumIntervalErrors else { return nil }
    // Least squares of e² on (1, 1/P), kept non-negative.
    let n = Double(errors.count)
    let (sx, sy) = (errors.map { 1 / $0.size }.reduce(0, +), errors.map { $0.e * $0.e }.reduce(0, +))
    let sxx = errors.map { 1 / ($0.size * $0.size) }.reduce(0, +)
    let sxy = errors.map { $0.e * $0.e / $0.size }.reduce(0, +)
    let det = n * sxx - sx * sx
    var (a, b) = det > 0 ? ((sy * sxx - sx * sxy) / det, (n * sxy - sx * sy) / det) : (sy / n, 0)
    if a < 0 { (a, b) = (0, sxy / sxx) }
    if b < 0 { (a, b) = (sy / n, 0) }
    guard a + b > 0 else { return nil }
    let z = errors.map { $0.e / (a + b / $0.size).squareRoot() }.sorted()
    return PooledInterval(
      a: a, b: b, q10: SweepSummary.quantile(z, 0.1), q90: SweepSummary.quantile(z, 0.9), errors: errors.count,
      fromHorizon: h)
  }

  /// Every method's forecasts of every LA at `origin`, horizons 1…`horizon`, with the pooled
  /// interval rules; reads `panel` only up to `origin` (`fits`, when given, must be
  /// `fits(panel, …)` of the same panel: each reads only up to its own census).
  public static func forecasts(
    panel: Panel, origin: Int, horizon: Int, fits given: [Int: PooledFit]? = nil
  ) -> (rows: [PanelForecastRow], rules: [(method: PooledMethod, horizon: Int, rule: PooledInterval)]) {
    let known = panel.through(origin)
    let fits = given ?? Self.fits(known, through: origin, horizon: horizon)
    var rows: [PanelForecastRow] = []
    var rules: [(method: PooledMethod, horizon: Int, rule: PooledInterval)] = []
    guard let fit = fits[origin] else { return (rows, rules) }
    var byHorizon: [PooledMethod: [PooledInterval?]] = [:]
    for method in PooledMethod.allCases {
      var list: [PooledInterval?] = []
      for h in 1...horizon {
        var rule = interval(method, known: known, fits: fits, origin: origin, horizon: h)
        if rule == nil, let one = list.first ?? nil { rule = one }
        if let rule { rules.append((method, h, rule)) }
        list.append(rule)
      }
      byHorizon[method] = list
    }
    for la in known.series {
      guard let size = la.plans[origin], size > 0, la.plans[origin - 1] != nil else { continue }
      func add(_ method: String, _ h: Int, _ forecast: Double, _ p10: Double?, _ p90: Double?) {
        rows.append(
          PanelForecastRow(
            la: la.code, region: la.region, fitThrough: origin, year: origin + h, horizon: h, method: method,
            plansAtOrigin: size, forecast: forecast, p10: p10, p90: p90, actual: nil))
      }
      for method in PooledMethod.allCases {
        for h in 1...horizon {
          guard let f = fit.logForecast(method, la, at: origin, horizon: h) else { continue }
          let rule = byHorizon[method]?[h - 1] ?? nil
          let sigma = rule?.sigma(plans: size, horizon: h)
          add(
            method.rawValue, h, exp(f), rule.flatMap { r in sigma.map { exp(f + r.q10 * $0) } },
            rule.flatMap { r in sigma.map { exp(f + r.q90 * $0) } })
        }
      }
      let series = la.series(through: origin)
      if series.years.count >= 2, let trend = try? TrendFit.fit(series, horizon: horizon) {
        for f in trend.forecast(origin: origin, horizon: horizon) {
          add(Backtest.methodName, f.horizon, f.forecast, f.p10, f.p90)
        }
      }
      for h in 1...horizon {
        for baseline in Baseline.allCases {
          add(baseline.rawValue, h, baseline.forecast(series, year: origin + h), nil, nil)
        }
      }
    }
    return (rows, rules)
  }

  /// Backtests every LA of `panel` at every origin in `fitThrough`, forecasting `horizon`
  /// years ahead and scoring every forecast whose census the panel has (with plans above 0).
  public static func run(panel: Panel, fitThrough: ClosedRange<Int>, horizon: Int) throws -> PanelBacktest {
    let years = panel.years
    guard horizon >= 1 else {
      throw InputError(SourceLocation(file: "--horizon"), expected: "a horizon of 1 year or more", found: "\(horizon)")
    }
    guard let first = years.first, let last = years.last, fitThrough.lowerBound >= first + 1,
      fitThrough.upperBound < last
    else {
      throw InputError(
        SourceLocation(file: "--fit-through"),
        expected:
          "origins from \((years.first ?? 0) + 1) to \((years.last ?? 0) - 1) in \(panel.file) (two censuses, one year to compare)",
        found: "\(fitThrough.lowerBound)–\(fitThrough.upperBound)")
    }
    let fits = Self.fits(panel, through: fitThrough.upperBound, horizon: horizon)
    var rows: [PanelForecastRow] = []
    var intervals: [(origin: Int, method: PooledMethod, horizon: Int, rule: PooledInterval)] = []
    let byCode = Dictionary(uniqueKeysWithValues: panel.series.map { ($0.code, $0) })
    for origin in fitThrough {
      let (forecasts, rules) = Self.forecasts(panel: panel, origin: origin, horizon: horizon, fits: fits)
      intervals += rules.map { (origin, $0.method, $0.horizon, $0.rule) }
      for var row in forecasts {
        guard let actual = byCode[row.la]?.plans[row.year], actual > 0 else { continue }
        row.actual = actual
        rows.append(row)
      }
    }
    return PanelBacktest(
      rows: rows, fits: fitThrough.compactMap { fits[$0] }, intervals: intervals)
  }

  /// One line of the summary: a method's errors at one horizon, over the LAs of one origin (or
  /// of every origin, `fitThrough` nil).
  public struct Summary: Sendable, Equatable {
    public var fitThrough: Int?
    public var horizon: Int
    public var method: String
    public var forecasts: Int
    /// Median and mean absolute percentage error (percent).
    public var median: Double
    public var mean: Double
    /// `median` over `last_growth`'s median at the same origins and horizon.
    public var ratioToLastGrowth: Double?
    /// Share of actuals inside p10–p90 (fraction), where the method gives intervals.
    public var coverage: Double?
  }

  /// The summary by origin and horizon, then over every origin by horizon, for every method.
  public var summary: [Summary] {
    var result: [Summary] = []
    let origins: [Int?] = Set(rows.map(\.fitThrough)).sorted().map { $0 } + [nil]
    let horizons = Set(rows.map(\.horizon)).sorted()
    for origin in origins {
      for h in horizons {
        let cell = rows.filter { $0.horizon == h && (origin == nil || $0.fitThrough == origin) }
        let byMethod = Dictionary(grouping: cell, by: \.method)
        func median(_ m: String) -> Double? {
          let e = (byMethod[m] ?? []).compactMap(\.absPercentError).sorted()
          return e.isEmpty ? nil : SweepSummary.quantile(e, 0.5)
        }
        let reference = median(Baseline.lastGrowth.rawValue)
        for method in Self.methods {
          guard let group = byMethod[method], let med = median(method) else { continue }
          let errors = group.compactMap(\.absPercentError)
          let covered = group.compactMap(\.covered)
          result.append(
            Summary(
              fitThrough: origin, horizon: h, method: method, forecasts: group.count, median: med,
              mean: errors.reduce(0, +) / Double(errors.count),
              ratioToLastGrowth: reference.flatMap { $0 > 0 ? med / $0 : nil },
              coverage: covered.isEmpty ? nil : Double(covered.filter { $0 }.count) / Double(covered.count)))
        }
      }
    }
    return result
  }
}
