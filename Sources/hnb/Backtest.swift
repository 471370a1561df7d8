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
      method, and how it was chosen, are described in docs/CALIBRATION.md. With --all, backtests \
      every LA of --panel (default Data/national/panel.csv) by the pooled method (panel_*.csv).

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
