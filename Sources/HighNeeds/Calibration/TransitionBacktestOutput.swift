import Foundation

extension CalibrationOutput {
  /// The tables of a transition-model backtest, in the aggregate backtest's shapes.
  ///
  /// `backtest.csv` (the `transitions` forecasts with p10/p90), `baselines.csv`, `summary.csv`
  /// (MAPE and coverage by level, method and horizon) and `fits.csv` (each origin's fitted
  /// years, pooling strengths and expected joiners).
  public static func transitionBacktestTables(_ backtest: TransitionBacktest) -> [String: String] {
    func optional(_ x: Double?) -> String { x.map { CSVWriter.fixed($0, 3) } ?? "" }
    var method = CSVWriter(header: [
      "fit_through", "year", "horizon", "level", "actual", "forecast", "p10", "p90", "abs_pct_error", "inside_p10_p90",
    ])
    var baselines = CSVWriter(header: [
      "fit_through", "year", "horizon", "level", "baseline", "actual", "forecast", "abs_pct_error",
    ])
    for r in backtest.rows {
      if r.method == TransitionBacktest.methodName {
        method.row([
          "\(r.fitThrough)", "\(r.year)", "\(r.horizon)", r.level, CSVWriter.fixed(r.actual, 3),
          CSVWriter.fixed(r.forecast, 3), optional(r.p10), optional(r.p90), CSVWriter.fixed(r.absPercentError, 3),
          r.covered.map { $0 ? "true" : "false" } ?? "",
        ])
      } else {
        baselines.row([
          "\(r.fitThrough)", "\(r.year)", "\(r.horizon)", r.level, r.method, CSVWriter.fixed(r.actual, 3),
          CSVWriter.fixed(r.forecast, 3), CSVWriter.fixed(r.absPercentError, 3),
        ])
      }
    }
    var summary = CSVWriter(header: ["level", "method", "horizon", "forecasts", "mape_pct", "coverage_p10_p90"])
    for s in backtest.summary {
      summary.row([
        s.level, s.method, "\(s.horizon)", "\(s.count)", CSVWriter.fixed(s.meanAbsPercentError, 3),
        s.coverage.map { CSVWriter.fraction($0) } ?? "",
      ])
    }
    var fits = CSVWriter(header: [
      "fit_through", "first_calendar_year", "last_calendar_year", "transition_years", "cessation_strength_children",
      "move_strength_children", "joiners", "joiners_first_forecast_year_plans",
    ])
    for fit in backtest.fits {
      fits.row([
        "\(fit.origin)", "\(fit.years.first ?? 0)", "\(fit.years.last ?? 0)", "\(fit.years.count)",
        CSVWriter.fixed(fit.cessationStrength, 1), CSVWriter.fixed(fit.moveStrength, 1), backtest.joiners.rawValue,
        CSVWriter.fixed(fit.joinersFirstYear, 3),
      ])
    }
    return [
      "backtest.csv": method.text, "baselines.csv": baselines.text, "summary.csv": summary.text, "fits.csv": fits.text,
    ]
  }

  /// Lines for the terminal: MAPE by horizon of `transitions` and each baseline at `level`,
  /// and the method's p10–p90 coverage.
  public static func transitionHeadline(_ backtest: TransitionBacktest, level: String = "total") -> [String] {
    let rows = backtest.summary.filter { $0.level == level }
    var lines: [String] = []
    for method in [TransitionBacktest.methodName] + Baseline.allCases.map(\.rawValue) {
      let mine = rows.filter { $0.method == method }
      guard !mine.isEmpty else { continue }
      var line =
        "\(level) \(method): MAPE "
        + mine.map { "h\($0.horizon) \(CSVWriter.fixed($0.meanAbsPercentError, 2))%" }.joined(separator: ", ")
      let covered = mine.compactMap { s in s.coverage.map { ($0, s.count) } }
      if !covered.isEmpty {
        let total = covered.map { $0.0 * Double($0.1) }.reduce(0, +) / Double(covered.map(\.1).reduce(0, +))
        line += "; p10–p90 coverage \(CSVWriter.fixed(total * 100, 0))%"
      }
      lines.append(line)
    }
    return lines
  }

  /// `manifest.json` for a transition backtest: `manifest`'s fields, with the seed and draws of
  /// the intervals and where the joiners came from.
  public static func transitionBacktestManifest(
    _ backtest: TransitionBacktest, command: String, inputs: [String], inputRows: [String: [String: Int]],
    outputs: [String], method: String
  ) throws -> String {
    let text = try manifest(
      command: command, inputs: inputs, inputRows: inputRows, warnings: [], outputs: outputs, method: method)
    guard var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
      throw IntegrityError(failures: ["manifest.json: the manifest written was not a JSON object"])
    }
    object["seed"] = backtest.seed
    object["draws"] = backtest.draws
    object["joiners"] = backtest.joiners.rawValue + ": " + backtest.joiners.description
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
  }
}
