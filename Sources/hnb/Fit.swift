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
      stock_flow_forecast.csv. With --history and --panel, also writes the pooled growth of the \
      total (pooled_fit.csv, pooled_forecast.csv, pooled_trend.yaml: the incidence trend). \
      With --transitions, estimates the rates from child-level flows. \
      The method used is printed and recorded in manifest.json. See docs/CALIBRATION.md.

      Examples:
        hnb fit --history Calibration/data/sutton_history_detail.csv --out out/fit
        hnb fit --history Calibration/data/england_history.csv \\
          --new-plans Calibration/data/england_new_plans.csv --out out/fit
        hnb fit --history bands.csv --population population.csv --out out/fit
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(OptionRanges.horizon, help: "Years to forecast from the trend fit (default 3).") var horizon: Int = 3

  @OptionGroup var out: OutOption

  func validate() throws {
    try refuse(inputs.files.fitProblem())
    _ = try inputs.excludedYears()
  }

  func run() throws {
    try reportingErrors {
      try out.pipeline.write(inputs: inputs.files.files) {
        try FitCommand(inputs: inputs.files, horizon: horizon).run(console: .standard)
      }
    }
  }
}
