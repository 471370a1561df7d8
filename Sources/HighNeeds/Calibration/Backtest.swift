import Foundation

/// A known break in the SEN2 series that a fit window should not straddle unawares.
public struct SeriesBreak: Sendable, Equatable {
  /// The first census year affected.
  public var firstYear: Int
  /// The last census year affected.
  public var lastYear: Int
  /// What changed.
  public var description: String

  /// The breaks the DfE documents: statements converted to EHC plans (September 2014 to March
  /// 2018, censuses 2015–2018) and SEN2 becoming a person-level collection (January 2023).
  public static let known: [SeriesBreak] = [
    SeriesBreak(
      firstYear: 2015, lastYear: 2018,
      description: "statements were transferred to EHC plans from September 2014 to March 2018"),
    SeriesBreak(
      firstYear: 2023, lastYear: 2023, description: "SEN2 became a person-level collection in January 2023"),
  ]

  /// True when a window of census years runs from before the break into it (or across it).
  public func isCrossed(by years: [Int]) -> Bool {
    guard let first = years.first, let last = years.last else { return false }
    return first < firstYear && last >= firstYear
  }
}

/// One held-out forecast of a backtest.
public struct BacktestRow: Sendable, Equatable {
  /// The last census year fitted (the origin).
  public var fitThrough: Int
  /// The census year forecast.
  public var year: Int
  public var horizon: Int
  /// `total`, `age:<band>` or `placement:<id>`.
  public var level: String
  /// `trend` (the method) or a baseline's name.
  public var method: String
  public var actual: Double
  public var forecast: Double
  public var p10: Double?
  public var p90: Double?

  /// `|forecast − actual| / actual · 100`.
  public var absPercentError: Double { abs(forecast - actual) / actual * 100 }
  /// Whether the actual lies inside the p10–p90 interval, when there is one.
  public var covered: Bool? {
    guard let p10, let p90 else { return nil }
    return actual >= p10 && actual <= p90
  }
}

/// Mean absolute percentage error of one method at one level and horizon, over origins.
public struct BacktestSummary: Sendable, Equatable {
  public var level: String
  public var method: String
  public var horizon: Int
  /// Forecasts averaged.
  public var count: Int
  /// Mean of `absPercentError` (percent).
  public var meanAbsPercentError: Double
  /// Share of actuals inside p10–p90 (fraction), over the forecasts that have an interval.
  public var coverage: Double?
}

/// A rolling-origin backtest: fit on the censuses up to each origin, forecast the next
/// `horizon` years, and compare with what happened, beside the naive baselines.
public struct Backtest: Sendable {
  /// The method's name in outputs.
  public static let methodName = "trend"
  /// The new-plans stock-flow model's name in outputs (scored for the total when new plans are
  /// given; a candidate, not the method).
  public static let stockFlowName = "stock_flow"
  /// The name in outputs of an age band's or placement group's own trend (a candidate; the
  /// method forecasts those levels top-down, `TopDownFit`).
  public static let levelTrendName = "level_trend"
  /// The pooled method's name in outputs (scored for the total when a panel is given).
  public static let pooledName = PanelBacktest.method.rawValue
  /// The candidates scored beside the method (written to `candidates.csv`).
  public static let candidateNames: Set<String> = [stockFlowName, levelTrendName, pooledName]
  public var rows: [BacktestRow]
  public var summary: [BacktestSummary]
  /// Warnings and notes: levels with census years missing, fit windows that cross a known
  /// break, and levels not forecast at some origins (fewer than two census years).
  public var warnings: [String]
  /// The trends fitted, by origin: the total's (the method) and each level's own
  /// (`level_trend`), for `fits.csv` and the report.
  public var fits: [(origin: Int, fit: TrendFit)]

  /// Runs the backtest of `history` for every origin in `fitThrough`.
  ///
  /// Years in `excluded` are left out of every fit (they are still compared as actuals: what
  /// happened, happened). An origin needs two fitted years before it and at least one later
  /// census to compare with; origins outside that are an error. The method forecasts the total
  /// by its trend (`TrendFit`) and each age band and placement group top-down from it
  /// (`TopDownFit`); each level's own trend is scored beside it as `level_trend`. With new plans
  /// in the history, the total is also forecast by `StockFlowFit` (`stock_flow`), from the new
  /// plans known at each origin. With a `panel`, the total is also forecast by the pooled method
  /// (`PooledForecast`, `pooled_shrink`) from the panel up to each origin.
  public static func run(
    history: AggregateHistory, fitThrough: ClosedRange<Int>, horizon: Int, excluded: Set<Int> = [],
    panel: Panel? = nil
  ) throws -> Backtest {
    guard horizon >= 1 else {
      throw InputError(SourceLocation(file: "--horizon"), expected: "a horizon of 1 year or more", found: "\(horizon)")
    }
    let years = history.total.years
    guard let lastActual = years.last, fitThrough.lowerBound >= (years.first ?? 0) + 1,
      fitThrough.upperBound < lastActual
    else {
      throw InputError(
        SourceLocation(file: "--fit-through"),
        expected:
          "origins from \((years.first ?? 0) + 1) to \((years.last ?? 0) - 1) (two fitted years, one year to compare)",
        found: "\(fitThrough.lowerBound)–\(fitThrough.upperBound)")
    }
    var rows: [BacktestRow] = []
    var fits: [(origin: Int, fit: TrendFit)] = []
    var warnings: [String] = []
    for brk in SeriesBreak.known {
      let crossing = fitThrough.filter { origin in
        brk.isCrossed(by: years.filter { $0 <= origin && !excluded.contains($0) })
      }
      if let first = crossing.first, let last = crossing.last {
        let origins = first == last ? "\(first)" : "\(first)–\(last)"
        warnings.append(
          "warning: the fit window for origin \(origins) crosses a break in the series: \(brk.description) "
            + "(exclude years with --exclude-years, or start the history later)")
      }
    }
    var unfitted: [String: [Int]] = [:]
    for origin in fitThrough {
      let total = history.total.through(origin, excluding: excluded)
      let totalFit = try TrendFit.fit(total, horizon: horizon + origin - (total.years.last ?? origin))
      fits.append((origin, totalFit))
      func score(_ series: PlanSeries, _ forecasts: [IntervalForecast], method: String) {
        for f in forecasts {
          guard let actual = series.plans(at: f.year), actual > 0 else { continue }
          rows.append(
            BacktestRow(
              fitThrough: origin, year: f.year, horizon: f.horizon, level: series.level, method: method,
              actual: actual, forecast: f.forecast, p10: f.p10, p90: f.p90))
        }
      }
      func scoreBaselines(_ series: PlanSeries, _ fitted: PlanSeries) {
        for h in 1...horizon {
          for baseline in Baseline.allCases {
            let forecast = baseline.forecast(fitted, year: origin + h)
            score(
              series, [IntervalForecast(year: origin + h, horizon: h, forecast: forecast, p10: nil, p90: nil)],
              method: baseline.rawValue)
          }
        }
      }
      score(history.total, totalFit.forecast(origin: origin, horizon: horizon), method: methodName)
      scoreBaselines(history.total, total)
      // From the last fitted census (before the origin when the origin is excluded), labelled
      // by the horizon from the origin, as the trend's.
      let gap = origin - (total.years.last ?? origin)
      if !history.newPlans.isEmpty,
        let flow = StockFlowFit.fit(total, newPlans: history.newPlans, horizon: horizon + gap)
      {
        let forecasts = flow.intervalForecast(horizon: horizon + gap).dropFirst(gap).map {
          IntervalForecast(year: $0.year, horizon: $0.year - origin, forecast: $0.forecast, p10: $0.p10, p90: $0.p90)
        }
        score(history.total, forecasts, method: stockFlowName)
      }
      if let panel {
        do {
          let pooled = try PooledForecast.make(series: total, panel: panel, horizon: horizon + gap)
          let forecasts = pooled.forecasts.dropFirst(gap).map {
            IntervalForecast(year: $0.year, horizon: $0.year - origin, forecast: $0.forecast, p10: $0.p10, p90: $0.p90)
          }
          score(history.total, forecasts, method: pooledName)
        } catch {
          warnings.append("note: the total is not forecast by \(pooledName) at origin \(origin): \(error)")
        }
      }
      for series in history.ageBands + history.placements {
        let fitted = series.through(origin, excluding: excluded)
        guard fitted.years.count >= 2, let last = fitted.years.last else {
          unfitted[series.level, default: []].append(origin)
          continue
        }
        let steps = horizon + origin - last
        let topDown = try TopDownFit.fit(fitted, total: total, steps: steps)
        score(series, topDown.forecast(total: totalFit, origin: origin, horizon: horizon), method: methodName)
        scoreBaselines(series, fitted)
        let own = try TrendFit.fit(fitted, horizon: steps)
        fits.append((origin, own))
        score(series, own.forecast(origin: origin, horizon: horizon), method: levelTrendName)
      }
    }
    for series in history.allSeries {
      guard let origins = unfitted[series.level] else { continue }
      warnings.append(
        "note: \(series.level) is not forecast at origin\(origins.count == 1 ? "" : "s") "
          + origins.map(String.init).joined(separator: ", ")
          + ": fewer than two census years with rows up to the origin")
    }
    let summary = summarise(rows)
    try CalibrationLimits.check(rows, summary: summary, file: history.file)
    return Backtest(rows: rows, summary: summary, warnings: history.gapWarnings + warnings, fits: fits)
  }

  /// The methods a backtest of the trend reports, in order: the trend, the baselines and the
  /// stock-flow candidate.
  static let reportedMethods =
    [methodName] + Baseline.allCases.map(\.rawValue) + [stockFlowName, levelTrendName, pooledName]

  /// MAPE and coverage by level, method (in `methods` order) and horizon, averaged over origins.
  static func summarise(_ rows: [BacktestRow], methods: [String] = reportedMethods) -> [BacktestSummary] {
    var levels: [String] = []
    for row in rows where !levels.contains(row.level) { levels.append(row.level) }
    var result: [BacktestSummary] = []
    for level in levels {
      for method in methods {
        let byHorizon = Dictionary(grouping: rows.filter { $0.level == level && $0.method == method }, by: \.horizon)
        for h in byHorizon.keys.sorted() {
          let group = byHorizon[h] ?? []
          let covered = group.compactMap(\.covered)
          result.append(
            BacktestSummary(
              level: level, method: method, horizon: h, count: group.count,
              meanAbsPercentError: group.map(\.absPercentError).reduce(0, +) / Double(group.count),
              coverage: covered.isEmpty ? nil : Double(covered.filter { $0 }.count) / Double(covered.count)))
        }
      }
    }
    return result
  }
}
