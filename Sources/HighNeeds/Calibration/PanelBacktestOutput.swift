import Foundation

extension CalibrationOutput {
  /// The tables of `hnb backtest --all`: `panel_errors.csv` (every LA's scored forecasts, every
  /// method), `panel_summary.csv` (median and mean MAPE by origin and horizon, and over every
  /// origin, with the ratio to last growth and p10–p90 coverage), `panel_fits.csv` (each
  /// origin's pooled parameters) and `panel_intervals.csv` (each origin's interval rules).
  public static func panelBacktestTables(_ backtest: PanelBacktest) -> [String: String] {
    func optional(_ x: Double?, _ places: Int = 3) -> String { x.map { NumberFormat.fixed($0, places) } ?? "" }
    var errors = CSVWriter(header: [
      "la_code", "region", "fit_through", "year", "horizon", "method", "plans_at_origin", "actual_plans",
      "forecast_plans", "p10_plans", "p90_plans", "abs_pct_error", "inside_p10_p90",
    ])
    let order = Dictionary(uniqueKeysWithValues: PanelBacktest.methods.enumerated().map { ($1, $0) })
    let sorted = backtest.rows.sorted {
      ($0.fitThrough, $0.la, $0.horizon, order[$0.method] ?? 0) < (
        $1.fitThrough, $1.la, $1.horizon, order[$1.method] ?? 0
      )
    }
    for r in sorted {
      errors.row([
        r.la, r.region, "\(r.fitThrough)", "\(r.year)", "\(r.horizon)", r.method,
        NumberFormat.fixed(r.plansAtOrigin, 0),
        optional(r.actual, 0), optional(r.forecast), optional(r.p10), optional(r.p90), optional(r.absPercentError),
        r.covered.map { $0 ? "true" : "false" } ?? "",
      ])
    }
    var summary = CSVWriter(header: [
      "fit_through", "horizon", "method", "forecasts", "median_ape_pct", "mean_ape_pct", "median_ratio_to_last_growth",
      "coverage_p10_p90",
    ])
    for s in backtest.summary {
      summary.row([
        s.fitThrough.map(String.init) ?? "all", "\(s.horizon)", s.method, "\(s.forecasts)",
        NumberFormat.fixed(s.median, 3),
        NumberFormat.fixed(s.mean, 3), optional(s.ratioToLastGrowth),
        s.coverage.map { NumberFormat.fraction($0) } ?? "",
      ])
    }
    var fits = CSVWriter(header: [
      "fit_through", "growth_samples", "shrink_weight", "shrink_size_plans", "region_weight", "local_weight",
      "region_size_plans", "stock_flow_samples", "leave_weight", "new_plan_growth_share", "age_samples",
      "age_weight", "age_size_plans", "cohort_samples", "cohort_weight", "cohort_size_plans",
    ])
    for f in backtest.fits {
      fits.row([
        "\(f.origin)", "\(f.growthSamples)", NumberFormat.fixed(f.shrinkWeight, 6), NumberFormat.fixed(f.shrinkSize, 0),
        NumberFormat.fixed(f.regionWeight, 6), NumberFormat.fixed(f.localWeight, 6),
        NumberFormat.fixed(f.regionSize, 0),
        "\(f.stockFlowSamples)", NumberFormat.fixed(f.leaveWeight, 2), NumberFormat.fixed(f.newPlanGrowthShare, 2),
        "\(f.ageSamples)", NumberFormat.fixed(f.ageWeight, 6), NumberFormat.fixed(f.ageSize, 0),
        "\(f.cohortSamples)", NumberFormat.fixed(f.cohortWeight, 6), NumberFormat.fixed(f.cohortSize, 0),
      ])
    }
    var rules = CSVWriter(header: [
      "fit_through", "method", "horizon", "errors", "from_horizon", "var_constant", "var_per_inverse_plans",
      "z_p10", "z_p90",
    ])
    for i in backtest.intervals {
      rules.row([
        "\(i.origin)", i.method.rawValue, "\(i.horizon)", "\(i.rule.errors)", "\(i.rule.fromHorizon)",
        NumberFormat.fixed(i.rule.a, 8), NumberFormat.fixed(i.rule.b, 6), NumberFormat.fixed(i.rule.q10, 4),
        NumberFormat.fixed(i.rule.q90, 4),
      ])
    }
    return [
      "panel_errors.csv": errors.text, "panel_summary.csv": summary.text, "panel_fits.csv": fits.text,
      "panel_intervals.csv": rules.text,
    ]
  }

  /// Lines for the terminal: each method's median MAPE by horizon over every origin, its ratio
  /// to last growth and its coverage.
  public static func panelHeadline(_ backtest: PanelBacktest) -> [String] {
    let overall = backtest.summary.filter { $0.fitThrough == nil }
    return PanelBacktest.methods.compactMap { method in
      let mine = overall.filter { $0.method == method }
      guard !mine.isEmpty else { return nil }
      var line =
        "\(method)\(method == PanelBacktest.method.rawValue ? " (the method)" : ""): median MAPE "
        + mine.map { s in
          "h\(s.horizon) \(NumberFormat.fixed(s.median, 2))%"
            + (s.ratioToLastGrowth.map { " (\(NumberFormat.fixed($0, 2))× last growth)" } ?? "")
        }.joined(separator: ", ")
      let covered = mine.compactMap { s in s.coverage.map { ($0, s.forecasts) } }
      if !covered.isEmpty {
        let total = covered.map { $0.0 * Double($0.1) }.reduce(0, +) / Double(covered.map(\.1).reduce(0, +))
        line += "; p10–p90 coverage \(NumberFormat.fixed(total * 100, 0))%"
      }
      return line
    }
  }
}
