import ArgumentParser
import Foundation
import HighNeeds

struct Backtest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit on the history up to a year, forecast the years after it, and score the forecasts.",
    discussion: """
      Writes backtest.csv (the method's held-out forecasts with p10/p90 and absolute percentage \
      error), baselines.csv (the naive baselines: last value, last year's growth, linear trend), \
      summary.csv (MAPE by level and horizon for each, and p10–p90 coverage), fits.csv and \
      manifest.json. The method forecasts the total by its trend and each age band and \
      placement top-down (the total's forecast times the level's last share); each level's own \
      trend is scored beside it as the level_trend candidate (candidates.csv). With \
      --new-plans, the total is also forecast by the stock-flow candidate (stock less leavers \
      plus new plans; candidates.csv). \
      --fit-through may be a range (rolling origin); the summary averages over origins. The \
      method, and how it was chosen, are described in docs/CALIBRATION.md.

      With --transitions (and no --history), backtests the child-level transition model: at \
      each origin the rates are fitted on the transition years up to it only, and the actual \
      stock of the origin's census is projected forward with them (joiners from incidence × \
      --population, or without it the mean joiners per year of the fit window). The p10–p90 \
      interval comes from --draws simulations of the posterior rates and of the children \
      (seeded by --seed). Levels: total, group:<id> and placement:<id>.

      Examples:
        hnb backtest --history Calibration/data/england_history.csv --new-plans Calibration/data/england_new_plans.csv \\
          --fit-through 2019-2024 --horizon 3 --out out/bt
        hnb backtest --history h.csv --fit-through 2022 --horizon 2 --exclude-years 2023 --out out/bt
        hnb backtest --transitions t.csv --mapping m.csv --population p.csv --fit-through 2021-2023 \
          --horizon 2 --out out/bt-transitions
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(name: .long, help: "Last census year fitted, or a range of them (e.g. 2019-2022).")
  var fitThrough: String

  @Option(
    name: .long, parsing: .unconditional,
    help: OptionRanges.horizon.help("Years to forecast after each origin (default 3)."),
    transform: OptionRanges.horizon.parse)
  var horizon: Int = 3

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @Option(
    name: .long, parsing: .unconditional,
    help:
      "Seed of the transition backtest's simulations (default 1; with --transitions): a whole number 0…\(UInt64.max).",
    transform: { try SeedRange.parse($0) })
  var seed: UInt64?

  @Option(
    name: .long, parsing: .unconditional,
    help: OptionRanges.backtestDraws.help(
      "Simulations behind each p10–p90 interval (default 200; with --transitions)."),
    transform: OptionRanges.backtestDraws.parse)
  var draws: Int?

  func validate() throws {
    switch (inputs.history, inputs.transitions) {
    case (nil, nil):
      throw ValidationError(
        "backtest needs --history (aggregate census history) or --transitions (child-level transitions) "
          + "to compare forecasts with.")
    case (.some, .some):
      throw ValidationError("backtest takes --history or --transitions, not both; found both.")
    case (.some, nil):
      // The trend backtest reads no population: refuse it rather than ignore it.
      for (option, given) in [
        ("--mapping", inputs.mapping != nil), ("--population", inputs.population != nil), ("--seed", seed != nil),
        ("--draws", draws != nil),
      ]
      where given {
        throw ValidationError("\(option) applies to a backtest of --transitions; found it with --history.")
      }
    case (nil, .some):
      for (option, given) in [("--new-plans", inputs.newPlans != nil), ("--exclude-years", inputs.excludeYears != nil)]
      where given {
        throw ValidationError("\(option) applies to a backtest of --history; found it with --transitions.")
      }
    }
    _ = try yearRange(fitThrough, option: "--fit-through")
    _ = try inputs.excludedYears()
  }

  func run() throws {
    let origins = try yearRange(fitThrough, option: "--fit-through")
    if let transitionsPath = inputs.transitions {
      try runTransitions(transitionsPath, origins: origins)
      return
    }
    let excluded = try inputs.excludedYears()
    try reportingErrors {
      let historyPath = inputs.history ?? ""
      let history = try AggregateHistory.read(path: historyPath, newPlansPath: inputs.newPlans)
      let result = try HighNeeds.Backtest.run(
        history: history, fitThrough: origins, horizon: horizon, excluded: excluded)
      for warning in result.warnings { printError(warning) }
      var files = CalibrationOutput.backtestTables(result)
      let command =
        (["hnb", "backtest"] + inputs.arguments
        + ["--fit-through", fitThrough, "--horizon", "\(horizon)"]).joined(separator: " ")
      files["manifest.json"] = try CalibrationOutput.manifest(
        command: command, inputs: inputs.files,
        inputRows: [historyPath: ["data_rows_read": history.rowsRead, "data_rows_not_used": 0]],
        warnings: result.warnings, outputs: Array(files.keys) + ["manifest.json"],
        method: "trend: exponentially weighted log growth, weights chosen inside each fit window (docs/CALIBRATION.md)")
      try OutputDirectory.write(files, to: out, inputs: inputs.files)
      print("method: trend of the series (exponentially weighted growth); see docs/CALIBRATION.md")
      for line in CalibrationOutput.headline(result) { print(line) }
      print("wrote \(files.count) files to \(out)")
    }
  }
}

extension Backtest {
  /// The backtest of the transition model on held-out years of `transitionsPath`.
  func runTransitions(_ transitionsPath: String, origins: ClosedRange<Int>) throws {
    try reportingErrors {
      let taxonomy = try Taxonomy.builtIn()
      let mapping = try inputs.mapping.map { try CodeMapping.read(path: $0, taxonomy: taxonomy) }
      let counts = try TransitionCounts.read(path: transitionsPath, taxonomy: taxonomy, mapping: mapping)
      let population = try inputs.population.map { try PopulationTable.read(path: $0) }
      let result = try HighNeeds.TransitionBacktest.run(
        counts: counts, population: population, populationFile: inputs.population ?? "--population",
        fitThrough: origins, horizon: horizon, draws: draws ?? HighNeeds.TransitionBacktest.defaultDraws,
        seed: seed ?? HighNeeds.TransitionBacktest.defaultSeed)
      print(
        "transitions: \(counts.rowsRead) rows read, \(counts.rowsUsed) used, \(counts.rowsRead - counts.rowsUsed) rejected"
      )
      for (reason, count) in counts.rejected.sorted(by: { $0.key < $1.key }) {
        print("  rejected \(count): \(reason)")
      }
      var files = CalibrationOutput.transitionBacktestTables(result)
      let command =
        (["hnb", "backtest"] + inputs.arguments
        + [
          "--fit-through", fitThrough, "--horizon", "\(horizon)", "--seed", "\(result.seed)", "--draws",
          "\(result.draws)",
        ]).joined(separator: " ")
      var rows: [String: [String: Int]] = [
        transitionsPath: ["data_rows_read": counts.rowsRead, "data_rows_not_used": counts.rowsRead - counts.rowsUsed]
      ]
      if let populationPath = inputs.population, let population {
        rows[populationPath] = ["data_rows_read": population.rowsRead]
      }
      let method =
        "transitions: at each origin, beta-binomial cessation and Dirichlet moves fitted on the transition years up to it "
        + "only, the origin's census stock projected forward; \(result.joiners.description); p10–p90 from "
        + "\(result.draws) simulations of the posterior rates with binomial and Poisson process noise (docs/CALIBRATION.md)"
      files["manifest.json"] = try CalibrationOutput.transitionBacktestManifest(
        result, command: command, inputs: inputs.files, inputRows: rows, outputs: Array(files.keys) + ["manifest.json"],
        method: method)
      try OutputDirectory.write(files, to: out, inputs: inputs.files)
      print("method: \(method)")
      for line in CalibrationOutput.transitionHeadline(result) { print(line) }
      print("wrote \(files.count) files to \(out)")
    }
  }
}

/// The inputs `fit` and `backtest` share.
struct CalibrationInputs: ParsableArguments {
  @Option(name: .long, help: "Aggregate history CSV: year[,age][,placement][,need],plans.")
  var history: String?

  @Option(name: .long, help: "New plans per calendar year: year,plans_new.")
  var newPlans: String?

  @Option(name: .long, help: "Child-level transitions CSV from the case-management system.")
  var transitions: String?

  @Option(name: .long, help: "Population by age and year.")
  var population: String?

  @Option(name: .long, help: "Mapping of the LA's setting and need codes to the taxonomy.")
  var mapping: String?

  @Option(name: .long, help: "Census years to leave out of every fit, e.g. 2023 or 2015-2018,2023.")
  var excludeYears: String?

  /// The input files given.
  var files: [String] { [history, newPlans, transitions, population, mapping].compactMap { $0 } }

  /// The options as given, for the manifest's command line.
  var arguments: [String] {
    var result: [String] = []
    for (name, value) in [
      ("--history", history), ("--new-plans", newPlans), ("--transitions", transitions),
      ("--population", population), ("--mapping", mapping), ("--exclude-years", excludeYears),
    ] {
      if let value { result += [name, value] }
    }
    return result
  }

  /// `--exclude-years` as a set.
  func excludedYears() throws -> Set<Int> {
    guard let excludeYears else { return [] }
    var years = Set<Int>()
    for part in excludeYears.split(separator: ",") {
      years.formUnion(try yearRange(String(part), option: "--exclude-years"))
    }
    return years
  }
}

/// Parses `2019` or `2019-2022`: census years in `TransitionCounts.calendarYears` (1900–2200),
/// so that a range never spans more years than a history can hold.
func yearRange(_ text: String, option: String) throws -> ClosedRange<Int> {
  let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
    Int($0.trimmingCharacters(in: .whitespaces))
  }
  let years = TransitionCounts.calendarYears
  let expected =
    "\(option): expected a year like 2019 or a range like 2019-2022, years \(years.lowerBound)–\(years.upperBound)"
  var range: ClosedRange<Int>?
  if parts.count == 1, let a = parts[0] { range = a...a }
  if parts.count == 2, let a = parts[0], let b = parts[1], a <= b { range = a...b }
  guard let range else { throw ValidationError("\(expected); found \(InputError.quoted(text))") }
  guard years.contains(range.lowerBound), years.contains(range.upperBound) else {
    throw ValidationError("\(expected); found \(InputError.quoted(text))")
  }
  return range
}
