import ArgumentParser
import Foundation
import HighNeedsCommands

struct Backtest: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit on the history up to a year, forecast the years after it, and score the forecasts.",
    discussion: """
      Writes backtest.csv (held-out forecasts with p10/p90 and absolute percentage error), \
      baselines.csv (last value, last growth, linear trend), summary.csv (MAPE by level and \
      horizon, p10–p90 coverage), candidates.csv, fits.csv and manifest.json. --fit-through may \
      be a range (rolling origin). With --all, every LA of --panel (default the bundled national \
      panel) by the pooled method (panel_*.csv). With --transitions, the child-level transition \
      model. The methods and how they were chosen: docs/CALIBRATION.md.

      Examples:
        hnb backtest --history Calibration/data/england_history.csv --new-plans Calibration/data/england_new_plans.csv \
          --fit-through 2019-2024 --horizon 3 --out out/bt
        hnb backtest --all --fit-through 2019-2022 --horizon 3 --out out/bt-panel
        hnb backtest --transitions t.csv --mapping m.csv --population p.csv --fit-through 2021-2023 \
          --horizon 2 --out out/bt-transitions
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(name: .long, help: "Last census year fitted, or a range of them (e.g. 2019-2022).")
  var fitThrough: String

  @Option(OptionRanges.horizon, help: "Years to forecast after each origin (default 3).") var horizon: Int = 3

  @Flag(help: "Backtest every LA of the panel (--panel, default Data/national/panel.csv).") var all = false

  @OptionGroup var out: OutOption

  @Option(SeedRange(), help: "Seed of the transition backtest's simulations (default 1; with --transitions)")
  var seed: UInt64?

  @Option(
    OptionRanges.backtestDraws, help: "Simulations behind each p10–p90 interval (default 200; with --transitions).")
  var draws: Int?

  func validate() throws {
    try refuse(inputs.files.backtestProblem(seed: seed != nil, draws: draws != nil, all: all))
    _ = try usage { try CalibrationFiles.yearRange(fitThrough, option: "--fit-through") }
    _ = try inputs.excludedYears()
  }

  func run() throws {
    try reportingErrors {
      try out.pipeline.write(inputs: inputs.files.files) {
        try BacktestCommand(
          inputs: inputs.files, fitThrough: fitThrough, horizon: horizon, seed: seed, draws: draws, all: all
        ).run(console: .standard)
      }
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

  @Option(name: .long, help: "Panel of many LAs' series: la_code,year,plans[,region,new_plans_prior_year].")
  var panel: String?

  /// The files and options given, for the library.
  var files: CalibrationFiles {
    CalibrationFiles(
      history: history, newPlans: newPlans, transitions: transitions, population: population, mapping: mapping,
      excludeYears: excludeYears, panel: panel)
  }

  /// `--exclude-years` as a set (a usage error when it is not years).
  func excludedYears() throws -> Set<Int> { try usage { try files.excludedYears() } }
}

/// `body`'s value, its `CommandError` a usage error of `validate()`.
func usage<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let error as CommandError { throw ValidationError(error.message) }
}
