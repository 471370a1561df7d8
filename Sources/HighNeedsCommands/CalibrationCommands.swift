import Foundation
import HighNeeds

/// The input files `hnb fit` and `hnb backtest` share, as given on the command line.
package struct CalibrationFiles: Sendable {
  package var history: String?
  package var newPlans: String?
  package var transitions: String?
  package var population: String?
  package var mapping: String?
  /// `--exclude-years` as written.
  package var excludeYears: String?
  /// `--panel`: the panel of many LAs' series (`Panel`), or nil for the bundled one.
  package var panel: String?
  /// `--scenario` (`hnb fit`): the scenario the pooled trend is written for (`GrowthSeries`).
  package var scenario: String?

  package init(
    history: String?, newPlans: String?, transitions: String?, population: String?, mapping: String?,
    excludeYears: String?, panel: String? = nil, scenario: String? = nil
  ) {
    self.scenario = scenario
    self.history = history
    self.newPlans = newPlans
    self.transitions = transitions
    self.population = population
    self.mapping = mapping
    self.excludeYears = excludeYears
    self.panel = panel
  }

  /// The input files given.
  package var files: [String] {
    [history, newPlans, transitions, population, mapping, panel, scenario].compactMap { $0 }
  }

  /// The options as given, for the manifest's command line.
  package var arguments: [String] {
    var result: [String] = []
    for (name, value) in [
      ("--history", history), ("--new-plans", newPlans), ("--transitions", transitions),
      ("--population", population), ("--mapping", mapping), ("--exclude-years", excludeYears),
      ("--panel", panel), ("--scenario", scenario),
    ] {
      if let value { result += [name, value] }
    }
    return result
  }

  /// `--exclude-years` as a set.
  package func excludedYears() throws -> Set<Int> {
    guard let excludeYears else { return [] }
    var years = Set<Int>()
    for part in excludeYears.split(separator: ",") {
      years.formUnion(try Self.yearRange(String(part), option: "--exclude-years"))
    }
    return years
  }

  /// What is wrong with the options of `hnb fit`, or nil.
  package func fitProblem() -> String? {
    if history == nil && transitions == nil { return "fit needs --history or --transitions (or both)." }
    if mapping != nil && transitions == nil {
      return "--mapping maps the codes of --transitions; give --transitions too."
    }
    if excludeYears != nil && history == nil {
      return "--exclude-years leaves census years out of the --history fits; the --transitions fit does not use it. "
        + "Give --history too, or leave out --exclude-years."
    }
    if panel != nil && history == nil {
      return "--panel pools the --history total with the panel's LAs (the pooled growth); give --history too."
    }
    if scenario != nil && panel == nil {
      return "--scenario names the scenario the pooled trend (--panel) is written for; give --history and --panel too."
    }
    if newPlans != nil && history == nil {
      return "--new-plans gives the new plans behind the --history totals (the stock-flow fit); give --history too."
    }
    return nil
  }

  /// What is wrong with the options of `hnb backtest`, or nil; `seed` and `draws` say whether
  /// those were given.
  package func backtestProblem(seed: Bool, draws: Bool, all: Bool = false) -> String? {
    if all {
      let given = [
        ("--history", history != nil), ("--transitions", transitions != nil), ("--new-plans", newPlans != nil),
        ("--population", population != nil), ("--mapping", mapping != nil), ("--exclude-years", excludeYears != nil),
        ("--seed", seed), ("--draws", draws),
      ]
      return given.first { $0.1 }.map {
        "--all backtests every LA of the panel (--panel, or the bundled \(Panel.bundledPath)); \($0.0) does not apply to it."
      }
    }
    if panel != nil && history == nil {
      return "--panel gives the panel of a backtest of every LA (--all) or of the pooled forecast of --history; "
        + "give --all or --history too."
    }
    switch (history, transitions) {
    case (nil, nil):
      return "backtest needs --history (aggregate census history) or --transitions (child-level transitions) "
        + "to compare forecasts with."
    case (.some, .some):
      return "backtest takes --history or --transitions, not both; found both."
    case (.some, nil):
      // The trend backtest reads no population: refuse it rather than ignore it.
      let given = [
        ("--mapping", mapping != nil), ("--population", population != nil), ("--seed", seed), ("--draws", draws),
      ]
      return given.first { $0.1 }.map { "\($0.0) applies to a backtest of --transitions; found it with --history." }
    case (nil, .some):
      let given = [("--new-plans", newPlans != nil), ("--exclude-years", excludeYears != nil)]
      return given.first { $0.1 }.map { "\($0.0) applies to a backtest of --history; found it with --transitions." }
    }
  }

  /// Parses `2019` or `2019-2022`: census years in `TransitionCounts.calendarYears` (1900–2200),
  /// so that a range never spans more years than a history can hold.
  package static func yearRange(_ text: String, option: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    let years = TransitionCounts.calendarYears
    let expected =
      "\(option): expected a year like 2019 or a range like 2019-2022, years \(years.lowerBound)–\(years.upperBound)"
    var range: ClosedRange<Int>?
    if parts.count == 1, let a = parts[0] { range = a...a }
    if parts.count == 2, let a = parts[0], let b = parts[1], a <= b { range = a...b }
    guard let range, years.contains(range.lowerBound), years.contains(range.upperBound) else {
      throw CommandError(.usage, "\(expected); found \(InputError.quoted(text))")
    }
    return range
  }

  /// The counts of the transitions file at `path`, its codes mapped by `--mapping`.
  func transitionCounts(_ path: String) throws -> TransitionCounts {
    let taxonomy = try Taxonomy.builtIn()
    let mapping = try mapping.map { try CodeMapping.read(path: $0, taxonomy: taxonomy) }
    return try TransitionCounts.read(path: path, taxonomy: taxonomy, mapping: mapping)
  }

  /// The row counts of a transitions file for the manifest.
  static func rows(_ counts: TransitionCounts) -> [String: Int] {
    ["data_rows_read": counts.rowsRead, "data_rows_not_used": counts.rowsRead - counts.rowsUsed]
  }

  /// The lines printed about a transitions file read.
  static func countLines(_ counts: TransitionCounts) -> [String] {
    [
      "transitions: \(counts.rowsRead) rows read, \(counts.rowsUsed) used, \(counts.rowsRead - counts.rowsUsed) rejected"
    ]
      + counts.rejected.sorted(by: { $0.key < $1.key }).map { "  rejected \($0.value): \($0.key)" }
  }
}

/// The work of `hnb fit`: each fit its inputs allow, its tables and the methods used.
package struct FitCommand: Sendable {
  package var inputs: CalibrationFiles
  package var horizon: Int

  package init(inputs: CalibrationFiles, horizon: Int) {
    self.inputs = inputs
    self.horizon = horizon
  }

  /// What the fits found so far.
  struct Found {
    var files: [String: String] = [:]
    var rows: [String: [String: Int]] = [:]
    var warnings: [String] = []
    var methods: [String] = []
  }

  /// Fits, printing what it read as it goes, and returns the tables with their manifest.
  package func run(console: Console) throws -> CommandOutput {
    let excluded = try inputs.excludedYears()
    var found = Found()
    if let historyPath = inputs.history {
      try fitHistory(historyPath, excluded: excluded, into: &found, console: console)
    }
    if let transitionsPath = inputs.transitions {
      let counts = try inputs.transitionCounts(transitionsPath)
      let population = try inputs.population.map { try PopulationTable.read(path: $0) }
      let fit = try TransitionFit.fit(counts, population: population)
      found.rows[transitionsPath] = CalibrationFiles.rows(counts)
      found.files.merge(CalibrationOutput.transitionTables(fit, counts: counts)) { $1 }
      for line in CalibrationFiles.countLines(counts) { console.out(line) }
      if population == nil {
        found.warnings.append("warning: no --population, so no joiner (incidence) rates were estimated")
      }
      found.methods.append(
        "transitions: beta-binomial cessation and Dirichlet moves pooled by leave-one-year-out likelihood "
          + "(cessation strength \(fit.cessationStrength), move strength \(fit.moveStrength)), from \(transitionsPath)")
    }
    for warning in found.warnings { console.err(warning) }
    let command = (["hnb", "fit"] + inputs.arguments + ["--horizon", "\(horizon)"]).joined(separator: " ")
    let (files, rows, warnings, method) = (
      inputs.files, found.rows, found.warnings, found.methods.joined(separator: "; ")
    )
    return CommandOutput(
      files: found.files,
      manifest: { outputs in
        try CalibrationOutput.manifest(
          command: command, inputs: files, inputRows: rows, warnings: warnings, outputs: outputs, method: method)
      }, summary: found.methods.map { "method: \($0)" })
  }

  /// The trend, top-down, stock-flow and aggregate fits of `--history`.
  func fitHistory(_ historyPath: String, excluded: Set<Int>, into found: inout Found, console: Console) throws {
    let history = try AggregateHistory.read(path: historyPath, newPlansPath: inputs.newPlans)
    found.rows[historyPath] = ["data_rows_read": history.rowsRead, "data_rows_not_used": 0]
    let lastYear = history.total.years.last ?? 0
    for brk in SeriesBreak.known where brk.isCrossed(by: history.total.years.filter { !excluded.contains($0) }) {
      found.warnings.append(
        "warning: the fit window crosses a break in the series: \(brk.description) "
          + "(exclude years with --exclude-years, or start the history later)")
    }
    found.warnings.append(contentsOf: history.gapWarnings)
    let total = history.total.through(lastYear, excluding: excluded)
    let totalFit = try TrendFit.fit(total, horizon: horizon + lastYear - (total.years.last ?? lastYear))
    var shares: [TopDownFit] = []
    for series in history.ageBands + history.placements {
      let fitted = series.through(lastYear, excluding: excluded)
      guard fitted.years.count >= 2, let last = fitted.years.last else {
        found.warnings.append("note: \(series.level) has fewer than two census years with rows; not forecast")
        continue
      }
      shares.append(try TopDownFit.fit(fitted, total: total, steps: horizon + lastYear - last))
    }
    try CalibrationLimits.check(
      totalFit.forecast(origin: lastYear, horizon: horizon), level: totalFit.level, method: "trend", file: historyPath)
    for share in shares {
      try CalibrationLimits.check(
        share.forecast(total: totalFit, origin: lastYear, horizon: horizon), level: share.level, method: "top-down",
        file: historyPath)
    }
    found.files.merge(CalibrationOutput.trendTables(totalFit, shares: shares, origin: lastYear, horizon: horizon)) {
      $1
    }
    found.methods.append(
      "trend of the total (exponentially weighted growth)"
        + (shares.isEmpty ? "" : ", age bands and placement groups as shares of it (top-down)")
        + ", from \(historyPath)")
    if let newPlansPath = inputs.newPlans {
      let flow = try StockFlowFit.fit(
        history.total.through(lastYear, excluding: excluded), newPlans: history.newPlans, horizon: horizon,
        file: newPlansPath)
      try CalibrationLimits.check(
        flow.intervalForecast(horizon: horizon), level: "total", method: "stock-flow", file: newPlansPath)
      found.files.merge(CalibrationOutput.stockFlowTables(flow, horizon: horizon)) { $1 }
      let unused = history.newPlans.keys.filter { !flow.newPlanYears.contains($0) }.sorted()
      found.rows[newPlansPath] = ["data_rows_read": history.newPlans.count, "data_rows_not_used": unused.count]
      console.out(
        "new plans: \(history.newPlans.count) years read, \(history.newPlans.count - unused.count) used"
          + (unused.isEmpty
            ? ""
            : "; not used (no fitted census that year, or not before the last census): "
              + unused.map(String.init).joined(separator: ", ")))
      let (first, last) = (flow.pairs.first?.year ?? 0, flow.pairs.last?.year ?? 0)
      found.methods.append(
        "stock_flow (a candidate beside the trend): S(Y+1) = S(Y)·(1 − leaveRate) + N(Y) for the total, "
          + "leaveRate \(NumberFormat.fraction(flow.leaveRate)) (mean implied rate of the last \(flow.window) "
          + "of \(flow.pairs.count) census pairs from \(first)→\(first + 1) to \(last)→\(last + 1)), new plans grown "
          + "\(NumberFormat.fixed(flow.newPlanGrowth, 6)) log points a year from N(\(flow.lastYear - 1)) "
          + "(decay \(NumberFormat.fixed(flow.decay, 2))), from \(historyPath) and \(newPlansPath)")
    }
    if let panelPath = inputs.panel {
      let panel = try Panel.read(path: panelPath)
      found.rows[panelPath] = ["data_rows_read": panel.rowsRead, "data_rows_not_used": 0]
      let pooled = try PooledForecast.make(
        series: history.total.through(lastYear, excluding: excluded), panel: panel, horizon: horizon)
      try CalibrationLimits.check(pooled.forecasts, level: "total", method: "pooled", file: panelPath)
      let series = try inputs.scenario.map { path in
        let loaded = try ScenarioLoader.loadWithSource(path: path)
        return (
          try GrowthSeries.forScenario(pooled, scenario: loaded.scenario, tree: loaded.source.tree, file: path),
          scenario: path
        )
      }
      if let (fitted, path) = series, !fitted.clamped.isEmpty {
        found.warnings.append(
          "warning: \(path): the trend is held at its bounds in "
            + fitted.clamped.map(String.init).joined(separator: ", ")
            + ", so the scenario's total leaves the forecast there (pooled_trend.yaml lists both)")
      }
      found.files.merge(
        CalibrationOutput.pooledTables(
          pooled, series: series,
          command: (["hnb", "fit"] + inputs.arguments + ["--horizon", "\(horizon)"]).joined(separator: " "))
      ) { $1 }
      found.methods.append(
        "\(PanelBacktest.method.rawValue) (the pooled method) for the total: England's growth "
          + "\(NumberFormat.fixed(pooled.nationalGrowth, 4)) plus \(NumberFormat.fixed(pooled.fit.shrinkWeight, 3)) × the "
          + "size weight × the LA's deviation \(NumberFormat.fixed(pooled.deviation, 4)) = "
          + "\(NumberFormat.fixed(pooled.growth, 4)) log points a year, written in pooled_trend.yaml "
          + (series.map {
            "as \($0.scenario)'s \($0.0.trendKey == GrowthSeries.requestTrendKey ? "request" : "incidence") trend "
              + "year by year (the forecast total less the plans kept, over its new plans), "
          } ?? "as one incidence trend (the growth of the total; --scenario writes a scenario's series), ")
          + "from \(historyPath) and \(panelPath)")
    }
    if let populationPath = inputs.population, inputs.transitions == nil {
      let population = try PopulationTable.read(path: populationPath)
      let aggregate = try AggregateFit.fit(history: history, population: population, excluded: excluded)
      found.files.merge(
        CalibrationOutput.aggregateTables(aggregate, taxonomy: try Taxonomy.builtIn(), historyFile: historyPath)
      ) { $1 }
      found.rows[populationPath] = ["data_rows_read": population.rowsRead]
      let bands = aggregate.bands.count == 1 ? "the total (no age bands given)" : "\(aggregate.bands.count) age bands"
      found.methods.append(
        "aggregate: incidence and cessation by constrained least squares (LAPACK) on the stock-flow identity, "
          + "\(bands), \(aggregate.trendFitted ? "with" : "without") a trend in incidence, "
          + "census years \(aggregate.years.first ?? 0)-\(aggregate.lastYear), from \(historyPath) and \(populationPath)"
      )
    } else if inputs.transitions == nil {
      found.warnings.append(
        "warning: no --population, so incidence and cessation were not estimated from the aggregates; "
          + (inputs.newPlans == nil
            ? "only the trend forecasts were fitted"
            : "only the trend forecasts and the stock-flow model of the total were fitted")
          + (inputs.panel == nil ? "" : ", with the pooled growth of the total"))
    }
  }
}

/// The work of `hnb backtest`: held-out forecasts of the trend method or of the transition
/// model, scored.
package struct BacktestCommand: Sendable {
  package var inputs: CalibrationFiles
  /// `--fit-through` as written.
  package var fitThrough: String
  package var horizon: Int
  package var seed: UInt64?
  package var draws: Int?
  /// `--all`: backtest every LA of the panel.
  package var all: Bool

  package init(
    inputs: CalibrationFiles, fitThrough: String, horizon: Int, seed: UInt64?, draws: Int?, all: Bool = false
  ) {
    self.inputs = inputs
    self.fitThrough = fitThrough
    self.horizon = horizon
    self.seed = seed
    self.draws = draws
    self.all = all
  }

  /// The backtest of `--history`, or of `--transitions`.
  package func run(console: Console) throws -> CommandOutput {
    let origins = try CalibrationFiles.yearRange(fitThrough, option: "--fit-through")
    if all { return try runPanel(origins: origins) }
    if let transitionsPath = inputs.transitions {
      return try runTransitions(transitionsPath, origins: origins, console: console)
    }
    let historyPath = inputs.history ?? ""
    let history = try AggregateHistory.read(path: historyPath, newPlansPath: inputs.newPlans)
    let result = try Backtest.run(
      history: history, fitThrough: origins, horizon: horizon, excluded: try inputs.excludedYears(),
      panel: try inputs.panel.map { try Panel.read(path: $0) })
    for warning in result.warnings { console.err(warning) }
    let command =
      (["hnb", "backtest"] + inputs.arguments + ["--fit-through", fitThrough, "--horizon", "\(horizon)"])
      .joined(separator: " ")
    let files = inputs.files
    return CommandOutput(
      files: CalibrationOutput.backtestTables(result),
      manifest: { outputs in
        try CalibrationOutput.manifest(
          command: command, inputs: files,
          inputRows: [historyPath: ["data_rows_read": history.rowsRead, "data_rows_not_used": 0]],
          warnings: result.warnings, outputs: outputs,
          method:
            "trend: exponentially weighted log growth, weights chosen inside each fit window (docs/CALIBRATION.md)"
        )
      },
      summary: ["method: trend of the series (exponentially weighted growth); see docs/CALIBRATION.md"]
        + CalibrationOutput.headline(result))
  }

  /// The backtest of every LA of the panel (`--all`): the pooled methods, the trend and the
  /// naive baselines.
  func runPanel(origins: ClosedRange<Int>) throws -> CommandOutput {
    let path = inputs.panel ?? Panel.bundledPath
    let panel = try Panel.read(path: path)
    let result = try PanelBacktest.run(panel: panel, fitThrough: origins, horizon: horizon)
    let command =
      (["hnb", "backtest", "--all"] + inputs.arguments + ["--fit-through", fitThrough, "--horizon", "\(horizon)"])
      .joined(separator: " ")
    let method =
      "\(PanelBacktest.method.rawValue): each LA's last growth shrunk towards England's, weights estimated on the "
      + "panel up to each origin; p10–p90 from the panel's out-of-sample errors by horizon, scaled by LA size "
      + "(docs/CALIBRATION.md, \"The pooled method\")"
    let las = Set(result.rows.map(\.la)).count
    return CommandOutput(
      files: CalibrationOutput.panelBacktestTables(result),
      manifest: { outputs in
        try CalibrationOutput.manifest(
          command: command, inputs: [path],
          inputRows: [path: ["data_rows_read": panel.rowsRead, "data_rows_not_used": 0]], warnings: [],
          outputs: outputs, method: method)
      },
      summary: [
        "method: \(method)", "panel: \(path), \(panel.series.count) LAs; \(las) scored, \(result.rows.count) forecasts",
      ]
        + CalibrationOutput.panelHeadline(result))
  }

  /// The backtest of the transition model on held-out years of `transitionsPath`.
  func runTransitions(_ transitionsPath: String, origins: ClosedRange<Int>, console: Console) throws -> CommandOutput {
    let counts = try inputs.transitionCounts(transitionsPath)
    let population = try inputs.population.map { try PopulationTable.read(path: $0) }
    let result = try TransitionBacktest.run(
      counts: counts, population: population, populationFile: inputs.population ?? "--population",
      fitThrough: origins, horizon: horizon, draws: draws ?? TransitionBacktest.defaultDraws,
      seed: seed ?? TransitionBacktest.defaultSeed)
    for line in CalibrationFiles.countLines(counts) { console.out(line) }
    let command =
      (["hnb", "backtest"] + inputs.arguments
      + [
        "--fit-through", fitThrough, "--horizon", "\(horizon)", "--seed", "\(result.seed)", "--draws",
        "\(result.draws)",
      ]).joined(separator: " ")
    var rows: [String: [String: Int]] = [transitionsPath: CalibrationFiles.rows(counts)]
    if let populationPath = inputs.population, let population {
      rows[populationPath] = ["data_rows_read": population.rowsRead]
    }
    let method =
      "transitions: at each origin, beta-binomial cessation and Dirichlet moves fitted on the transition years up to it "
      + "only, the origin's census stock projected forward; \(result.joiners.description); p10–p90 from "
      + "\(result.draws) simulations of the posterior rates with binomial and Poisson process noise (docs/CALIBRATION.md)"
    let files = inputs.files
    return CommandOutput(
      files: CalibrationOutput.transitionBacktestTables(result),
      manifest: { outputs in
        try CalibrationOutput.transitionBacktestManifest(
          result, command: command, inputs: files, inputRows: rows, outputs: outputs, method: method)
      }, summary: ["method: \(method)"] + CalibrationOutput.transitionHeadline(result))
  }
}
