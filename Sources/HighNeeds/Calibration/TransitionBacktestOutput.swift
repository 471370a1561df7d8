import Foundation

extension CalibrationOutput {
  /// The tables of a transition-model backtest, in the aggregate backtest's shapes.
  ///
  /// `backtest.csv` (the `transitions` forecasts with p10/p90), `baselines.csv`, `summary.csv`
  /// (MAPE and coverage by level, method and horizon), `fits.csv` (each origin's fitted
  /// years, pooling strengths and how they were chosen, and expected joiners) and
  /// `not_available.csv` (the baseline forecasts that could not be made, with the reason; a
  /// header alone when every one was made).
  public static func transitionBacktestTables(_ backtest: TransitionBacktest) -> [String: String] {
    var files = forecastTables(backtest.rows, summary: backtest.summary, method: TransitionBacktest.methodName)
    var fits = CSVWriter(header: [
      "fit_through", "first_calendar_year", "last_calendar_year", "transition_years", "cessation_strength_children",
      "move_strength_children", "joiners", "joiners_first_forecast_year_plans", "strength_rule",
    ])
    for fit in backtest.fits {
      fits.row([
        "\(fit.origin)", "\(fit.years.first ?? 0)", "\(fit.years.last ?? 0)", "\(fit.years.count)",
        NumberFormat.fixed(fit.cessationStrength, 1), NumberFormat.fixed(fit.moveStrength, 1),
        backtest.joiners.rawValue,
        NumberFormat.fixed(fit.joinersFirstYear, 3), fit.strengthRule.rawValue,
      ])
    }
    files["fits.csv"] = fits.text
    var missing = CSVWriter(header: ["fit_through", "level", "baseline", "reason"])
    for item in backtest.notAvailable { missing.row(["\(item.origin)", item.level, item.method, item.reason]) }
    files["not_available.csv"] = missing.text
    return files
  }

  /// Lines for the terminal: MAPE by horizon of `transitions` and each baseline at `level`,
  /// and the method's p10–p90 coverage; then the origins fitted with the stated default
  /// strength, and how many baseline forecasts were not available (and why, at `level`).
  public static func transitionHeadline(_ backtest: TransitionBacktest, level: String = "total") -> [String] {
    var lines = headline(
      backtest.summary, methods: [TransitionBacktest.methodName] + Baseline.allCases.map(\.rawValue), level: level)
    for fit in backtest.fits where fit.strengthRule == .statedDefault {
      lines.append(
        "origin \(fit.origin): one transition year (\(fit.years.first ?? 0)), so the pooling strengths are the stated "
          + "default \(NumberFormat.fixed(TransitionFit.defaultStrength, 0)), not chosen by leave-one-year-out (fits.csv); "
          + "its baselines take census \(fit.years.first ?? 0) from that year's state 1")
    }
    if !backtest.notAvailable.isEmpty {
      lines.append(
        "not available: \(backtest.notAvailable.count) baseline forecasts (origin × level × method), listed with the "
          + "reason in not_available.csv")
      for item in backtest.notAvailable where item.level == level {
        lines.append("  origin \(item.origin) \(item.level) \(item.method): \(item.reason)")
      }
    }
    return lines
  }

  /// `manifest.json` for a transition backtest: `manifest`'s fields, with the seed and draws of
  /// the intervals and where the joiners came from.
  public static func transitionBacktestManifest(
    _ backtest: TransitionBacktest, command: String, inputs: [String], inputRows: [String: [String: Int]],
    outputs: [String], method: String
  ) throws -> String {
    var manifest = try calibrationManifest(
      command: command, inputs: inputs, inputRows: inputRows, warnings: [], outputs: outputs, method: method)
    // A seed beyond the largest integer JSON readers keep exactly is written as text.
    manifest.seed = Int(exactly: backtest.seed).map(JSONValue.integer) ?? .string(String(backtest.seed))
    manifest.draws = backtest.draws
    manifest.joiners = backtest.joiners.rawValue + ": " + backtest.joiners.description
    return try manifest.text()
  }
}
