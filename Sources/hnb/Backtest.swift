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
      manifest.json. With --new-plans, the total is also forecast by the stock-flow candidate \
      (stock less leavers plus new plans; candidates.csv), scored beside the method. \
      --fit-through may be a range (rolling origin); the summary averages over origins. The \
      method, and how it was chosen, are described in docs/CALIBRATION.md.

      Examples:
        hnb backtest --history Calibration/data/england_history.csv --new-plans Calibration/data/england_new_plans.csv \\
          --fit-through 2019-2024 --horizon 3 --out out/bt
        hnb backtest --history h.csv --fit-through 2022 --horizon 2 --exclude-years 2023 --out out/bt
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(name: .long, help: "Last census year fitted, or a range of them (e.g. 2019-2022).")
  var fitThrough: String

  @Option(name: .long, help: "Years to forecast after each origin.")
  var horizon: Int = 3

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  func validate() throws {
    if inputs.history == nil {
      throw ValidationError("backtest needs --history (aggregate census history) to compare forecasts with.")
    }
    _ = try yearRange(fitThrough, option: "--fit-through")
    _ = try inputs.excludedYears()
    if horizon < 1 { throw ValidationError("--horizon must be 1 or more; found \(horizon)") }
  }

  func run() throws {
    let origins = try yearRange(fitThrough, option: "--fit-through")
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

/// Parses `2019` or `2019-2022`.
func yearRange(_ text: String, option: String) throws -> ClosedRange<Int> {
  let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
  if parts.count == 1, let a = parts[0] { return a...a }
  if parts.count == 2, let a = parts[0], let b = parts[1], a <= b { return a...b }
  throw ValidationError("\(option): expected a year like 2019 or a range like 2019-2022; found '\(text)'")
}
