import Foundation

/// The pooled method's forecast of one LA's total from its history, pooled with a panel: what
/// `hnb fit --history H --panel P` writes, and the growth a scenario takes as its incidence
/// trend.
public struct PooledForecast: Sendable {
  /// The last census of the history (the origin).
  public var origin: Int
  /// The method (`PanelBacktest.method`) and its parameters, fitted on the panel up to the origin.
  public var fit: PooledFit
  /// The LA's plans at the origin.
  public var lastPlans: Double
  /// England's log growth to the origin (`g_E`) and the LA's deviation from it (`d`).
  public var nationalGrowth: Double
  public var deviation: Double
  /// The pooled growth `ĝ` (log points a year).
  public var growth: Double
  /// The forecasts for the years after the origin, with p10–p90.
  public var forecasts: [IntervalForecast]
  /// The interval rule of each horizon (nil where none could be sized).
  public var rules: [PooledInterval?]

  /// The growth as a fraction a year, `exp(ĝ) − 1` (a scenario's `incidence_trend_fraction_per_year`).
  public var growthFraction: Double { exp(growth) - 1 }

  /// The standard deviation of the growth fraction a year: the p10–p90 width of the last
  /// horizon's interval, as a normal's (`/ 2·z90`), spread over its `H` years, times `exp(ĝ)`;
  /// nil without an interval.
  public var growthFractionSD: Double? {
    guard let rule = rules.last ?? nil else { return nil }
    let h = rules.count
    let sigma = rule.sigma(plans: lastPlans, horizon: h)
    return (rule.q90 - rule.q10) * sigma / (2 * TrendFit.z90) / Double(h) * exp(growth)
  }

  /// How the pooled growth is carried beyond the calibrated horizons (`calibratedHorizon`).
  ///
  /// Year `h` grows by `ĝ · φ^(h − 3)`. `φ = 1` holds it, chosen on origins 2011–2015 by the rule in
  /// docs/CALIBRATION.md ("Beyond three years"; `scripts/init/select_growth_extension.py`).
  public static let extensionDamping = 1.0
  /// The horizons the pooled method is calibrated for (its fit and intervals).
  public static let calibratedHorizon = 3

  /// The log of the forecast total `h` years after the origin, any `h ≥ 1`: the pooled method's
  /// `log P + ĝ · h` up to `calibratedHorizon`, then the growth carried by `extensionDamping`.
  public func logForecast(horizon h: Int) -> Double {
    let calibrated = PooledForecast.calibratedHorizon
    var steps = Double(min(h, calibrated))
    var weight = 1.0
    if h > calibrated {
      for _ in (calibrated + 1)...h {
        weight *= PooledForecast.extensionDamping
        steps += weight
      }
    }
    return log(lastPlans) + growth * steps
  }

  /// What the pooled forecasts of any history at one origin share: the fits at every census up
  /// to it and the interval rules by horizon, computed once (`hnb init` forecasts every LA from it).
  public struct Context: Sendable {
    public var origin: Int
    public var panel: Panel
    var fits: [Int: PooledFit]
    public var rules: [PooledInterval?]

    /// The panel up to `origin`, fitted for horizons 1…`horizon`; nil when the panel has no fit
    /// at `origin` (no England growth there).
    public init?(panel full: Panel, origin: Int, horizon: Int) {
      let panel = full.through(origin)
      let fits = PanelBacktest.fits(panel, through: origin, horizon: horizon)
      guard let fit = fits[origin], fit.aggregates.nationalGrowth[origin] != nil else { return nil }
      var rules: [PooledInterval?] = []
      for h in 1...horizon {
        var rule = PanelBacktest.interval(PanelBacktest.method, known: panel, fits: fits, origin: origin, horizon: h)
        if rule == nil, let one = rules.first ?? nil { rule = one }
        rules.append(rule)
      }
      (self.origin, self.panel, self.fits, self.rules) = (origin, full, fits, rules)
    }
  }

  /// Fits the pooled method on `panel` up to the last census of `series` (a total), and
  /// forecasts the series `horizon` years ahead; an error names `panelFile` when the panel has no
  /// England growth at that census or the series lacks the census before it.
  public static func make(series: PlanSeries, panel full: Panel, horizon: Int) throws -> PooledForecast {
    try check(series)
    guard let origin = series.years.last, let context = Context(panel: full, origin: origin, horizon: horizon) else {
      throw InputError(
        SourceLocation(file: full.file), key: "year",
        expected:
          "plans of the panel's LAs at censuses \((series.years.last ?? 0) - 1) and \(series.years.last ?? 0) (the history's last two)",
        found: "none for both years")
    }
    return try make(series: series, context: context)
  }

  /// The forecast of `series`, whose last census must be the context's origin.
  public static func make(series: PlanSeries, context: Context) throws -> PooledForecast {
    try check(series)
    guard let origin = series.years.last, origin == context.origin, let last = series.plans.last,
      let before = series.plans(at: origin - 1), let fit = context.fits[origin],
      let gE = fit.aggregates.nationalGrowth[origin]
    else {
      throw InputError(
        SourceLocation(file: series.level), expected: "a history ending at the census \(context.origin)",
        found: "\(series.years.last.map(String.init) ?? "none")")
    }
    let la = PanelSeries(
      code: "history", region: "", plans: Dictionary(uniqueKeysWithValues: zip(series.years, series.plans)))
    let method = PanelBacktest.method
    var forecasts: [IntervalForecast] = []
    for (index, rule) in context.rules.enumerated() {
      let h = index + 1
      guard let f = fit.logForecast(method, la, at: origin, horizon: h) else { continue }
      let sigma = rule?.sigma(plans: last, horizon: h)
      forecasts.append(
        IntervalForecast(
          year: origin + h, horizon: h, forecast: exp(f), p10: rule.flatMap { r in sigma.map { exp(f + r.q10 * $0) } },
          p90: rule.flatMap { r in sigma.map { exp(f + r.q90 * $0) } }))
    }
    let growth = (fit.logForecast(method, la, at: origin, horizon: 1) ?? log(last)) - log(last)
    return PooledForecast(
      origin: origin, fit: fit, lastPlans: last, nationalGrowth: gE, deviation: log(last / before) - gE,
      growth: growth, forecasts: forecasts, rules: context.rules)
  }

  /// Plans above 0 at the series' last two censuses.
  static func check(_ series: PlanSeries) throws {
    guard let origin = series.years.last, let last = series.plans.last, last > 0,
      let before = series.plans(at: origin - 1), before > 0
    else {
      throw InputError(
        SourceLocation(file: series.level), expected: "plans above 0 at the last two census years for the pooled fit",
        found: "\(series.years.suffix(2).map(String.init).joined(separator: ", "))")
    }
  }
}

extension CalibrationOutput {
  /// `pooled_forecast.csv` (the total by the pooled method, with p10–p90), `pooled_fit.csv`
  /// (its parameters and growth) and `pooled_trend.yaml`: with `series` (`--scenario`), the
  /// scenario's `incidence_trend_fraction_per_year` year by year and the interval as the sweep's
  /// `caseload_growth` input, as `hnb init` writes them (`GrowthSeries`); without, the growth of
  /// the total as one trend with its spread as a normal distribution (an approximation, which
  /// counts the growth the stock has with flat incidence twice).
  public static func pooledTables(
    _ p: PooledForecast, series: (GrowthSeries, scenario: String)? = nil, command: String
  ) -> [String: String] {
    func optional(_ x: Double?) -> String { x.map { NumberFormat.fixed($0, 3) } ?? "" }
    var forecast = CSVWriter(header: [
      "level", "year", "horizon", "forecast_plans", "p10_plans", "p90_plans",
    ])
    for f in p.forecasts {
      forecast.row([
        "total", "\(f.year)", "\(f.horizon)", NumberFormat.fixed(f.forecast, 3), optional(f.p10), optional(f.p90),
      ])
    }
    var fit = CSVWriter(header: [
      "fit_through", "method", "plans_at_origin", "england_growth_log_per_year", "deviation_log_per_year",
      "shrink_weight", "shrink_size_plans", "growth_log_per_year", "growth_fraction_per_year",
      "growth_fraction_sd_per_year",
    ])
    let sd = p.growthFractionSD
    fit.row([
      "\(p.origin)", PanelBacktest.method.rawValue, NumberFormat.fixed(p.lastPlans, 0),
      NumberFormat.fixed(p.nationalGrowth, 6),
      NumberFormat.fixed(p.deviation, 6), NumberFormat.fixed(p.fit.shrinkWeight, 6),
      NumberFormat.fixed(p.fit.shrinkSize, 0),
      NumberFormat.fixed(p.growth, 6), NumberFormat.fraction(p.growthFraction),
      sd.map { NumberFormat.fraction($0) } ?? "",
    ])
    let yaml =
      series.map { trendYAML(p, series: $0.0, scenario: $0.scenario, command: command) }
      ?? totalTrendYAML(p, command: command)
    return ["pooled_forecast.csv": forecast.text, "pooled_fit.csv": fit.text, "pooled_trend.yaml": yaml]
  }

  /// `pooled_trend.yaml` without a scenario: the growth of the total as one trend.
  static func totalTrendYAML(_ p: PooledForecast, command: String) -> String {
    let value = NumberFormat.fraction(p.growthFraction)
    var yaml = """
      # Written by `\(command)`:
      # the pooled method's growth of the total (docs/CALIBRATION.md, "The pooled method") from the
      # census of January \(p.origin), as the scenario's incidence trend. A scenario uses it with `extends: [baseline.yaml, DIR/pooled_trend.yaml]`.
      # It carries the growth of plans over to new plans per resident, an approximation: the stock
      # grows with flat incidence already, so this counts that growth twice. Give --scenario FILE
      # for the year series that makes FILE's total follow the forecast (docs/CALIBRATION.md).
      caseload:
        incidence_trend_fraction_per_year:
          value: \(value)
          source: "hnb fit: pooled_shrink growth of plans from the January \(p.origin) census, England's growth \
      \(NumberFormat.fixed(p.nationalGrowth, 4)) plus \(NumberFormat.fixed(p.fit.shrinkWeight, 3)) of the LA's deviation \
      \(NumberFormat.fixed(p.deviation, 4)) (size weight c = \(NumberFormat.fixed(p.fit.shrinkSize, 0)) plans), log points a year"
          status: derived

      """
    if let sd = p.growthFractionSD {
      yaml = yaml.replacingOccurrences(
        of: "    status: derived\n",
        with:
          "    status: derived\n    distribution: {type: normal, mean: \(value), sd: \(NumberFormat.fraction(sd))}\n")
    }
    return yaml
  }

  /// `pooled_trend.yaml` for a scenario: the trend series and the interval as `caseload_growth`.
  static func trendYAML(_ p: PooledForecast, series: GrowthSeries, scenario: String, command: String) -> String {
    let origin = p.origin
    func n(_ x: Double, _ d: Int = 6) -> String { NumberFormat.trimmed(x, places: d) }
    let path = series.path.map { n($0, 0) }
    let requests = series.trendKey == GrowthSeries.requestTrendKey
    var lines = [
      "# Written by `\(command)`:",
      "# the pooled method's forecast of the total (docs/CALIBRATION.md, \"The pooled method\") from the",
      "# census of January \(origin), as \(scenario)'s \(requests ? "request" : "incidence") trend year by year: each year's trend makes",
      "# the new plans the forecast total less the plans kept from the year before (the scenario's",
      requests
        ? "# cessation by age), over the new plans its pipeline starts without the trend (docs/CALIBRATION.md,"
        : "# cessation by age), over its new plans at the incidence as written (docs/CALIBRATION.md,",
      "# \"The forecast as a scenario's trend\"); growth held beyond \(PooledForecast.calibratedHorizon) years. A scenario uses",
      "# it with `extends: [\((scenario as NSString).lastPathComponent), DIR/pooled_trend.yaml]`, written beside",
      "# \((scenario as NSString).lastPathComponent), with DIR this folder as seen from there (a path inside that folder).",
      "# Forecast total by January: "
        + zip(series.path.indices, path).map { "\(origin + $0 + 1) \($1)" }.joined(separator: ", ")
        + "; the scenario's total: " + series.model.map { n($0, 0) }.joined(separator: ", ") + ".",
    ]
    if !series.clamped.isEmpty {
      lines.append(
        "# The trend is held within \(n(GrowthSeries.trendBounds.lowerBound))..\(n(GrowthSeries.trendBounds.upperBound)) a year, \(requests ? "request rates" : "incidence") at least \(n(GrowthSeries.lowestLevel)) x the base year's and every rate at most 0.5 in \(series.clamped.map(String.init).joined(separator: " ")), so the total leaves the forecast there."
      )
    }
    let keys = series.trendKey.split(separator: ".")
    lines += keys.enumerated().map { String(repeating: "  ", count: $0) + $1 + ":" }
    let indent = String(repeating: "  ", count: keys.count)
    for (t, g) in series.trend.enumerated() {
      lines.append(
        indent
          + "\"\(origin + t + 1)\": {value: \(n(g)), source: \"hnb fit: the pooled_shrink forecast of the total from the January \(origin) census, \(path[t]) plans at January \(origin + t + 1), through the stock-flow identity\", status: derived}"
      )
    }
    if let f = series.factor {
      lines += [
        "# caseload_growth: one draw scales every new plan so that the total's p10-p90 at 1-\(PooledForecast.calibratedHorizon) years is",
        "# the pooled method's interval (the panel's out-of-sample errors); for hnb sweep.",
        "uncertainty:", "  inputs:", "    - id: caseload_growth", "      target: incidence_factor",
        "      varies: once",
        "      distribution: {type: lognormal, median: \(n(f.median)), sd_log: \(n(f.sdLog))}",
        "      source: \"hnb fit: the pooled method's p10-p90 of the total at 1-\(PooledForecast.calibratedHorizon) years from the January \(origin) census, from the panel's out-of-sample errors\"",
        "      status: derived",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
