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

  /// Fits the pooled method on `panel` up to the last census of `series` (a total), and
  /// forecasts the series `horizon` years ahead; an error names `panelFile` when the panel has no
  /// England growth at that census or the series lacks the census before it.
  public static func make(series: PlanSeries, panel full: Panel, horizon: Int) throws -> PooledForecast {
    guard let origin = series.years.last, let last = series.plans.last, last > 0,
      let before = series.plans(at: origin - 1), before > 0
    else {
      throw InputError(
        SourceLocation(file: series.level), expected: "plans above 0 at the last two census years for the pooled fit",
        found: "\(series.years.suffix(2).map(String.init).joined(separator: ", "))")
    }
    let panel = full.through(origin)
    let fits = PanelBacktest.fits(panel, through: origin, horizon: horizon)
    guard let fit = fits[origin], let gE = fit.aggregates.nationalGrowth[origin] else {
      throw InputError(
        SourceLocation(file: full.file), key: "year",
        expected: "plans of the panel's LAs at censuses \(origin - 1) and \(origin) (the history's last two)",
        found: "none for both years")
    }
    let la = PanelSeries(
      code: "history", region: "", plans: Dictionary(uniqueKeysWithValues: zip(series.years, series.plans)))
    let method = PanelBacktest.method
    var rules: [PooledInterval?] = []
    var forecasts: [IntervalForecast] = []
    for h in 1...horizon {
      var rule = PanelBacktest.interval(method, known: panel, fits: fits, origin: origin, horizon: h)
      if rule == nil, let one = rules.first ?? nil { rule = one }
      rules.append(rule)
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
      growth: growth, forecasts: forecasts, rules: rules)
  }
}

extension CalibrationOutput {
  /// `pooled_forecast.csv` (the total by the pooled method, with p10–p90), `pooled_fit.csv`
  /// (its parameters and growth) and `pooled_trend.yaml` (the growth as a scenario's
  /// `incidence_trend_fraction_per_year`, with its spread as a normal distribution).
  public static func pooledTables(_ p: PooledForecast, command: String) -> [String: String] {
    func optional(_ x: Double?) -> String { x.map { CSVWriter.fixed($0, 3) } ?? "" }
    var forecast = CSVWriter(header: [
      "level", "year", "horizon", "forecast_plans", "p10_plans", "p90_plans",
    ])
    for f in p.forecasts {
      forecast.row([
        "total", "\(f.year)", "\(f.horizon)", CSVWriter.fixed(f.forecast, 3), optional(f.p10), optional(f.p90),
      ])
    }
    var fit = CSVWriter(header: [
      "fit_through", "method", "plans_at_origin", "england_growth_log_per_year", "deviation_log_per_year",
      "shrink_weight", "shrink_size_plans", "growth_log_per_year", "growth_fraction_per_year",
      "growth_fraction_sd_per_year",
    ])
    let sd = p.growthFractionSD
    fit.row([
      "\(p.origin)", PanelBacktest.method.rawValue, CSVWriter.fixed(p.lastPlans, 0),
      CSVWriter.fixed(p.nationalGrowth, 6),
      CSVWriter.fixed(p.deviation, 6), CSVWriter.fixed(p.fit.shrinkWeight, 6), CSVWriter.fixed(p.fit.shrinkSize, 0),
      CSVWriter.fixed(p.growth, 6), CSVWriter.fraction(p.growthFraction), sd.map { CSVWriter.fraction($0) } ?? "",
    ])
    let value = CSVWriter.fraction(p.growthFraction)
    var yaml = """
      # Written by `\(command)`:
      # the pooled method's growth of the total (docs/CALIBRATION.md, "The pooled method") from the
      # census of January \(p.origin), as the scenario's incidence trend. A scenario uses it with `extends: [baseline.yaml, DIR/pooled_trend.yaml]`.
      # It carries the growth of plans over to new plans per resident: exact when the leave rate and
      # the population are steady, an approximation otherwise.
      caseload:
        incidence_trend_fraction_per_year:
          value: \(value)
          source: "hnb fit: pooled_shrink growth of plans from the January \(p.origin) census, England's growth \
      \(CSVWriter.fixed(p.nationalGrowth, 4)) plus \(CSVWriter.fixed(p.fit.shrinkWeight, 3)) of the LA's deviation \
      \(CSVWriter.fixed(p.deviation, 4)) (size weight c = \(CSVWriter.fixed(p.fit.shrinkSize, 0)) plans), log points a year"
          status: derived

      """
    if let sd {
      yaml = yaml.replacingOccurrences(
        of: "    status: derived\n",
        with: "    status: derived\n    distribution: {type: normal, mean: \(value), sd: \(CSVWriter.fraction(sd))}\n")
    }
    return ["pooled_forecast.csv": forecast.text, "pooled_fit.csv": fit.text, "pooled_trend.yaml": yaml]
  }
}
