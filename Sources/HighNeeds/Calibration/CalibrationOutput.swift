import Foundation

/// The tables `hnb backtest` and `hnb fit` write, and their manifest.
public enum CalibrationOutput {
  /// `backtest.csv` (the method's held-out forecasts), `baselines.csv` (the naive baselines'),
  /// `summary.csv` (MAPE and coverage by level, method and horizon), `fits.csv` (each
  /// origin's fitted trends) and, when there are any, `candidates.csv` (the `stock_flow`
  /// forecasts of the total and the `level_trend` forecasts of age bands and placement groups).
  public static func backtestTables(_ backtest: Backtest) -> [String: String] {
    var files = forecastTables(backtest.rows, summary: backtest.summary, method: Backtest.methodName)
    files["fits.csv"] = fitsTable(backtest.fits)
    return files
  }

  /// The tables of held-out forecasts any backtest writes: `backtest.csv` (the rows of
  /// `method`, with p10/p90), `baselines.csv` (the naive baselines'), `summary.csv` and, when
  /// there are `stock_flow` or `level_trend` rows, `candidates.csv`.
  static func forecastTables(_ rows: [BacktestRow], summary: [BacktestSummary], method name: String) -> [String: String]
  {
    func optional(_ x: Double?) -> String { x.map { NumberFormat.fixed($0, 3) } ?? "" }
    var method = CSVWriter(header: [
      "fit_through", "year", "horizon", "level", "actual_plans", "forecast_plans", "p10_plans", "p90_plans",
      "abs_pct_error", "inside_p10_p90",
    ])
    var baselines = CSVWriter(header: [
      "fit_through", "year", "horizon", "level", "baseline", "actual_plans", "forecast_plans", "abs_pct_error",
    ])
    var candidates = CSVWriter(header: [
      "fit_through", "year", "horizon", "level", "candidate", "actual_plans", "forecast_plans", "p10_plans",
      "p90_plans", "abs_pct_error", "inside_p10_p90",
    ])
    for r in rows {
      if r.method == name {
        method.row([
          "\(r.fitThrough)", "\(r.year)", "\(r.horizon)", r.level, NumberFormat.fixed(r.actual, 3),
          NumberFormat.fixed(r.forecast, 3), optional(r.p10), optional(r.p90), NumberFormat.fixed(r.absPercentError, 3),
          r.covered.map { $0 ? "true" : "false" } ?? "",
        ])
      } else {
        let other = [
          "\(r.fitThrough)", "\(r.year)", "\(r.horizon)", r.level, r.method, NumberFormat.fixed(r.actual, 3),
          NumberFormat.fixed(r.forecast, 3),
        ]
        if Backtest.candidateNames.contains(r.method) {
          candidates.row(
            other + [
              optional(r.p10), optional(r.p90), NumberFormat.fixed(r.absPercentError, 3),
              r.covered.map { $0 ? "true" : "false" } ?? "",
            ])
        } else {
          baselines.row(other + [NumberFormat.fixed(r.absPercentError, 3)])
        }
      }
    }
    var table = CSVWriter(header: ["level", "method", "horizon", "forecasts", "mape_pct", "coverage_p10_p90"])
    for s in summary {
      table.row([
        s.level, s.method, "\(s.horizon)", "\(s.count)", NumberFormat.fixed(s.meanAbsPercentError, 3),
        s.coverage.map { NumberFormat.fraction($0) } ?? "",
      ])
    }
    var files = ["backtest.csv": method.text, "baselines.csv": baselines.text, "summary.csv": table.text]
    if rows.contains(where: { Backtest.candidateNames.contains($0.method) }) {
      files["candidates.csv"] = candidates.text
    }
    return files
  }

  /// One row per fitted trend: origin, level, years fitted, decay, growth and `σ_h`.
  ///
  /// `fit_through` is the origin; `last_census_fitted` the level's last census with rows up to
  /// it (earlier when the level has a gap there), from which `horizon` counts.
  static func fitsTable(_ fits: [(origin: Int, fit: TrendFit)]) -> String {
    var table = CSVWriter(header: [
      "fit_through", "level", "first_year", "last_census_fitted", "years_fitted", "decay", "growth_log_per_year",
      "horizon", "log_error_sd", "in_window_errors",
    ])
    for (origin, fit) in fits {
      let common = [
        "\(origin)", fit.level, "\(fit.years.first ?? fit.lastYear)", "\(fit.lastYear)", "\(fit.years.count)",
        NumberFormat.fixed(fit.decay, 2), NumberFormat.fixed(fit.growthRate, 6),
      ]
      for (h, sd) in fit.logErrorSD.enumerated() {
        table.row(
          common + ["\(h + 1)", NumberFormat.fixed(sd, 6), "\(h < fit.errorCounts.count ? fit.errorCounts[h] : 0)"])
      }
      if fit.logErrorSD.isEmpty { table.row(common + ["", "", "0"]) }
    }
    return table.text
  }

  /// Lines for the terminal: MAPE by horizon of the method and each baseline for the total, and
  /// the method's coverage.
  public static func headline(_ backtest: Backtest, level: String = "total") -> [String] {
    headline(backtest.summary, methods: Backtest.reportedMethods, level: level)
  }

  /// Lines for the terminal: MAPE by horizon of each of `methods` at `level`, with its p10–p90
  /// coverage where it has intervals.
  static func headline(_ summary: [BacktestSummary], methods: [String], level: String) -> [String] {
    let rows = summary.filter { $0.level == level }
    var lines: [String] = []
    for method in methods {
      let mine = rows.filter { $0.method == method }
      guard !mine.isEmpty else { continue }
      var line =
        "\(level) \(method): MAPE "
        + mine.map { "h\($0.horizon) \(NumberFormat.fixed($0.meanAbsPercentError, 2))%" }.joined(separator: ", ")
      let covered = mine.compactMap { s in s.coverage.map { ($0, s.count) } }
      if !covered.isEmpty {
        let total = covered.map { $0.0 * Double($0.1) }.reduce(0, +) / Double(covered.map(\.1).reduce(0, +))
        line += "; p10–p90 coverage \(NumberFormat.fixed(total * 100, 0))%"
      }
      lines.append(line)
    }
    return lines
  }

  /// `manifest.json` for a calibration command: tool, command, git state, input hashes and row
  /// counts, warnings and outputs.
  public static func manifest(
    command: String, inputs: [String], inputRows: [String: [String: Int]], warnings: [String], outputs: [String],
    method: String
  ) throws -> String {
    try calibrationManifest(
      command: command, inputs: inputs, inputRows: inputRows, warnings: warnings, outputs: outputs, method: method
    ).text()
  }

  /// The manifest of `manifest(command:inputs:inputRows:warnings:outputs:method:)`, unwritten.
  static func calibrationManifest(
    command: String, inputs: [String], inputRows: [String: [String: Int]], warnings: [String], outputs: [String],
    method: String
  ) throws -> Manifest {
    var manifest = Manifest(command: command, outputs: outputs)
    manifest.inputSHA256 = try Manifest.inputHashes(inputs)
    var rows: [String: [String: Int]] = [:]
    for (file, counts) in inputRows { rows[Manifest.displayPath(file)] = counts }
    manifest.inputRows = rows
    let directory = inputs.first.map { ($0 as NSString).deletingLastPathComponent } ?? "."
    manifest.git = Manifest.gitState(directory: directory, files: inputs.sorted())
    manifest.method = method
    manifest.warnings = warnings
    manifest.seed = .string("none (the calibration draws no random numbers)")
    return manifest
  }
}

extension CalibrationOutput {
  /// `trend.csv` (the total's fitted growth, decay and `σ_h`), `shares.csv` (each age band's
  /// and placement group's share of the total and `σ_s` by step) and `forecast.csv` (the
  /// method's forecasts with p10/p90 for the `horizon` census years after `origin`, the last
  /// census: the total by its trend, the other levels top-down), for `hnb fit` from an
  /// aggregate history.
  public static func trendTables(_ total: TrendFit, shares: [TopDownFit], origin: Int, horizon: Int) -> [String: String]
  {
    var forecast = CSVWriter(header: ["level", "year", "horizon", "forecast_plans", "p10_plans", "p90_plans"])
    func write(_ level: String, _ forecasts: [IntervalForecast]) {
      for f in forecasts {
        forecast.row([
          level, "\(f.year)", "\(f.horizon)", NumberFormat.fixed(f.forecast, 3),
          f.p10.map { NumberFormat.fixed($0, 3) } ?? "", f.p90.map { NumberFormat.fixed($0, 3) } ?? "",
        ])
      }
    }
    write(total.level, total.forecast(origin: origin, horizon: horizon))
    var table = CSVWriter(header: [
      "level", "last_census_fitted", "years_fitted", "share_fraction", "step_years", "share_log_sd",
      "in_window_changes",
    ])
    for fit in shares {
      write(fit.level, fit.forecast(total: total, origin: origin, horizon: horizon))
      let common = [fit.level, "\(fit.lastYear)", "\(fit.years.count)", NumberFormat.fraction(fit.share)]
      for (k, sd) in fit.shareLogSD.enumerated() {
        table.row(common + ["\(k + 1)", NumberFormat.fixed(sd, 6), "\(fit.errorCounts[k])"])
      }
      if fit.shareLogSD.isEmpty { table.row(common + ["", "", "0"]) }
    }
    var files = ["trend.csv": fitsTable([(origin, total)]), "forecast.csv": forecast.text]
    if !shares.isEmpty { files["shares.csv"] = table.text }
    return files
  }
}

extension CalibrationOutput {
  /// `stock_flow.csv`, `stock_flow_fit.csv` and `stock_flow_forecast.csv`: the stock-flow fit of
  /// the total, for `hnb fit` with new plans.
  ///
  /// `stock_flow.csv` has one row per fitted census pair `Y → Y + 1` (its plans, the new plans
  /// of calendar year `Y` and the implied leave rate, and whether it is in the leave-rate
  /// window); `stock_flow_fit.csv` one row with the chosen window and decay, the leave rate and
  /// the growth of new plans; `stock_flow_forecast.csv` the forecasts of the total in
  /// `forecast.csv`'s columns (p10–p90 from the fit's in-window errors, as the trend's).
  public static func stockFlowTables(_ fit: StockFlowFit, horizon: Int) -> [String: String] {
    var pairs = CSVWriter(header: [
      "census_year", "plans_at_census", "plans_at_next_census", "new_plans_in_calendar_year",
      "implied_leave_rate_fraction", "in_leave_rate_window",
    ])
    for (k, pair) in fit.pairs.enumerated() {
      pairs.row([
        "\(pair.year)", NumberFormat.fixed(pair.plans, 3), NumberFormat.fixed(pair.nextPlans, 3),
        NumberFormat.fixed(pair.newPlans, 3), NumberFormat.fraction(pair.impliedLeaveRate),
        k >= fit.pairs.count - fit.window ? "true" : "false",
      ])
    }
    var summary = CSVWriter(header: [
      "fit_through", "level", "pairs_fitted", "window_pairs", "decay", "leave_rate_fraction_per_year",
      "new_plan_growth_log_per_year", "base_calendar_year", "new_plans_in_base_calendar_year",
    ])
    summary.row([
      "\(fit.lastYear)", "total", "\(fit.pairs.count)", "\(fit.window)", NumberFormat.fixed(fit.decay, 2),
      NumberFormat.fraction(fit.leaveRate), NumberFormat.fixed(fit.newPlanGrowth, 6), "\(fit.lastYear - 1)",
      NumberFormat.fixed(fit.lastNewPlans, 3),
    ])
    var forecast = CSVWriter(header: ["level", "year", "horizon", "forecast_plans", "p10_plans", "p90_plans"])
    for f in fit.intervalForecast(horizon: horizon) {
      forecast.row([
        "total", "\(f.year)", "\(f.horizon)", NumberFormat.fixed(f.forecast, 3),
        f.p10.map { NumberFormat.fixed($0, 3) } ?? "",
        f.p90.map { NumberFormat.fixed($0, 3) } ?? "",
      ])
    }
    return [
      "stock_flow.csv": pairs.text, "stock_flow_fit.csv": summary.text, "stock_flow_forecast.csv": forecast.text,
    ]
  }
}
