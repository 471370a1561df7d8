import ArgumentParser
import Foundation
import HighNeeds

struct Fit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Estimate a scenario's rates from history, and write them with a fit report.",
    discussion: """
      With only --history (totals, or by age band and placement), fits the trend of the total \
      and forecasts each age band and placement as its share of it (top-down), writing \
      trend.csv, shares.csv and forecast.csv. With --history and --population (and no \
      --transitions), also estimates cessation and incidence (with a trend) by age band as a \
      constrained least-squares problem and writes them as scenario inputs with \
      calibration.yaml. With --history and --new-plans, also fits the stock-flow model of the \
      total (stock less leavers plus new plans, the backtest's stock_flow candidate) and writes \
      stock_flow.csv (each census pair's implied leave rate), stock_flow_fit.csv and \
      stock_flow_forecast.csv. With --transitions, estimates the rates from child-level flows. \
      The method used is printed and recorded in manifest.json. See docs/CALIBRATION.md.

      Examples:
        hnb fit --history Calibration/data/sutton_history_detail.csv --out out/fit
        hnb fit --history Calibration/data/england_history.csv \\
          --new-plans Calibration/data/england_new_plans.csv --out out/fit
        hnb fit --history bands.csv --population population.csv --out out/fit
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(
    name: .long, parsing: .unconditional,
    help: OptionRanges.horizon.help("Years to forecast from the trend fit (default 3)."),
    transform: OptionRanges.horizon.parse)
  var horizon: Int = 3

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  func validate() throws {
    if inputs.history == nil && inputs.transitions == nil {
      throw ValidationError("fit needs --history or --transitions (or both).")
    }
    if inputs.mapping != nil && inputs.transitions == nil {
      throw ValidationError("--mapping maps the codes of --transitions; give --transitions too.")
    }
    if inputs.excludeYears != nil && inputs.history == nil {
      throw ValidationError(
        "--exclude-years leaves census years out of the --history fits; the --transitions fit does not use it. "
          + "Give --history too, or leave out --exclude-years.")
    }
    if inputs.newPlans != nil && inputs.history == nil {
      throw ValidationError(
        "--new-plans gives the new plans behind the --history totals (the stock-flow fit); give --history too.")
    }
    _ = try inputs.excludedYears()
  }

  func run() throws {
    let excluded = try inputs.excludedYears()
    try reportingErrors {
      var files: [String: String] = [:]
      var rows: [String: [String: Int]] = [:]
      var warnings: [String] = []
      var methods: [String] = []
      if let historyPath = inputs.history {
        let history = try AggregateHistory.read(path: historyPath, newPlansPath: inputs.newPlans)
        rows[historyPath] = ["data_rows_read": history.rowsRead, "data_rows_not_used": 0]
        let lastYear = history.total.years.last ?? 0
        for brk in SeriesBreak.known
        where brk.isCrossed(by: history.total.years.filter { !excluded.contains($0) }) {
          warnings.append(
            "warning: the fit window crosses a break in the series: \(brk.description) "
              + "(exclude years with --exclude-years, or start the history later)")
        }
        warnings.append(contentsOf: history.gapWarnings)
        let total = history.total.through(lastYear, excluding: excluded)
        let totalFit = try TrendFit.fit(total, horizon: horizon + lastYear - (total.years.last ?? lastYear))
        var shares: [TopDownFit] = []
        for series in history.ageBands + history.placements {
          let fitted = series.through(lastYear, excluding: excluded)
          guard fitted.years.count >= 2, let last = fitted.years.last else {
            warnings.append("note: \(series.level) has fewer than two census years with rows; not forecast")
            continue
          }
          shares.append(try TopDownFit.fit(fitted, total: total, steps: horizon + lastYear - last))
        }
        try CalibrationLimits.check(
          totalFit.forecast(origin: lastYear, horizon: horizon), level: totalFit.level, method: "trend",
          file: historyPath)
        for share in shares {
          try CalibrationLimits.check(
            share.forecast(total: totalFit, origin: lastYear, horizon: horizon), level: share.level,
            method: "top-down", file: historyPath)
        }
        files.merge(CalibrationOutput.trendTables(totalFit, shares: shares, origin: lastYear, horizon: horizon)) { $1 }
        methods.append(
          "trend of the total (exponentially weighted growth)"
            + (shares.isEmpty ? "" : ", age bands and placement groups as shares of it (top-down)")
            + ", from \(historyPath)")
        if let newPlansPath = inputs.newPlans {
          let flow = try StockFlowFit.fit(
            history.total.through(lastYear, excluding: excluded), newPlans: history.newPlans, horizon: horizon,
            file: newPlansPath)
          try CalibrationLimits.check(
            flow.intervalForecast(horizon: horizon), level: "total", method: "stock-flow", file: newPlansPath)
          files.merge(CalibrationOutput.stockFlowTables(flow, horizon: horizon)) { $1 }
          let unused = history.newPlans.keys.filter { !flow.newPlanYears.contains($0) }.sorted()
          rows[newPlansPath] = ["data_rows_read": history.newPlans.count, "data_rows_not_used": unused.count]
          print(
            "new plans: \(history.newPlans.count) years read, \(history.newPlans.count - unused.count) used"
              + (unused.isEmpty
                ? ""
                : "; not used (no fitted census that year, or not before the last census): "
                  + unused.map(String.init).joined(separator: ", ")))
          let (first, last) = (flow.pairs.first?.year ?? 0, flow.pairs.last?.year ?? 0)
          methods.append(
            "stock_flow (a candidate beside the trend): S(Y+1) = S(Y)·(1 − leaveRate) + N(Y) for the total, "
              + "leaveRate \(CSVWriter.fraction(flow.leaveRate)) (mean implied rate of the last \(flow.window) "
              + "of \(flow.pairs.count) census pairs from \(first)→\(first + 1) to \(last)→\(last + 1)), new plans grown "
              + "\(CSVWriter.fixed(flow.newPlanGrowth, 6)) log points a year from N(\(flow.lastYear - 1)) "
              + "(decay \(CSVWriter.fixed(flow.decay, 2))), from \(historyPath) and \(newPlansPath)")
        }
        if let populationPath = inputs.population, inputs.transitions == nil {
          let population = try PopulationTable.read(path: populationPath)
          let aggregate = try AggregateFit.fit(history: history, population: population, excluded: excluded)
          files.merge(
            CalibrationOutput.aggregateTables(aggregate, taxonomy: try Taxonomy.builtIn(), historyFile: historyPath)
          ) { $1 }
          rows[populationPath] = ["data_rows_read": population.rowsRead]
          let bands =
            aggregate.bands.count == 1 ? "the total (no age bands given)" : "\(aggregate.bands.count) age bands"
          methods.append(
            "aggregate: incidence and cessation by constrained least squares (LAPACK) on the stock-flow identity, "
              + "\(bands), \(aggregate.trendFitted ? "with" : "without") a trend in incidence, "
              + "census years \(aggregate.years.first ?? 0)-\(aggregate.lastYear), from \(historyPath) and \(populationPath)"
          )
        } else if inputs.transitions == nil {
          warnings.append(
            "warning: no --population, so incidence and cessation were not estimated from the aggregates; "
              + (inputs.newPlans == nil
                ? "only the trend forecasts were fitted"
                : "only the trend forecasts and the stock-flow model of the total were fitted"))
        }
      }
      if let transitionsPath = inputs.transitions {
        let taxonomy = try Taxonomy.builtIn()
        let mapping = try inputs.mapping.map { try CodeMapping.read(path: $0, taxonomy: taxonomy) }
        let counts = try TransitionCounts.read(path: transitionsPath, taxonomy: taxonomy, mapping: mapping)
        let population = try inputs.population.map { try PopulationTable.read(path: $0) }
        let fit = try TransitionFit.fit(counts, population: population)
        rows[transitionsPath] = [
          "data_rows_read": counts.rowsRead, "data_rows_not_used": counts.rowsRead - counts.rowsUsed,
        ]
        files.merge(CalibrationOutput.transitionTables(fit, counts: counts)) { $1 }
        print(
          "transitions: \(counts.rowsRead) rows read, \(counts.rowsUsed) used, \(counts.rowsRead - counts.rowsUsed) rejected"
        )
        for (reason, count) in counts.rejected.sorted(by: { $0.key < $1.key }) {
          print("  rejected \(count): \(reason)")
        }
        if population == nil {
          warnings.append("warning: no --population, so no joiner (incidence) rates were estimated")
        }
        methods.append(
          "transitions: beta-binomial cessation and Dirichlet moves pooled by leave-one-year-out likelihood "
            + "(cessation strength \(fit.cessationStrength), move strength \(fit.moveStrength)), from \(transitionsPath)"
        )
      }
      for warning in warnings { printError(warning) }
      let command = (["hnb", "fit"] + inputs.arguments + ["--horizon", "\(horizon)"]).joined(separator: " ")
      files["manifest.json"] = try CalibrationOutput.manifest(
        command: command, inputs: inputs.files, inputRows: rows, warnings: warnings,
        outputs: Array(files.keys) + ["manifest.json"], method: methods.joined(separator: "; "))
      try OutputDirectory.write(files, to: out, inputs: inputs.files)
      for method in methods { print("method: \(method)") }
      print("wrote \(files.count) files to \(out)")
    }
  }
}
