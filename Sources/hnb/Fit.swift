import ArgumentParser
import Foundation
import HighNeedsCommands

struct Fit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Estimate a scenario's rates from history, and write them with a fit report.",
    discussion: """
      --history alone: the total's trend and each age band and placement as its share (trend.csv, \
      shares.csv, forecast.csv). With --population: cessation and incidence by age band by constrained \
      least squares (calibration.yaml). With --new-plans: the stock-flow model (stock_flow*.csv). With \
      --panel: the pooled forecast of the total (pooled_*.csv; pooled_trend.yaml: with --scenario FILE, \
      FILE's incidence trend by year and the sweep's caseload_growth, as hnb init writes them; without, \
      the total's growth as one trend). With --transitions: the rates from child-level flows. The \
      method is printed and in manifest.json; see docs/CALIBRATION.md.

      Examples:
        hnb fit --history Calibration/data/sutton_history_detail.csv --out out/fit
        hnb fit --history Calibration/data/england_history.csv \\
          --new-plans Calibration/data/england_new_plans.csv --out out/fit
        hnb fit --history bands.csv --population population.csv --out out/fit
      """)

  @OptionGroup var inputs: CalibrationInputs
  @Option(help: "The scenario the --panel trend is for (base census = the fit's last).") var scenario: String?
  var files: CalibrationFiles { var f = inputs.files; f.scenario = scenario; return f }
  @Option(OptionRanges.horizon, help: "Years to forecast from the trend fit (default 3).") var horizon: Int = 3
  @OptionGroup var out: OutOption

  func validate() throws {
    try refuse(files.fitProblem())
    _ = try inputs.excludedYears()
  }

  func run() throws {
    try reportingErrors {
      try out.pipeline.write(inputs: files.files) {
        try FitCommand(inputs: files, horizon: horizon).run(console: .standard)
      }
    }
  }
}
