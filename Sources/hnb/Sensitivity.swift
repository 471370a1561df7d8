import ArgumentParser
import Foundation
import HighNeedsCommands

struct Sensitivity: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Tornado (one at a time) or Sobol (variance-based) sensitivity of one metric in one year.",
    discussion: """
      The factors are the scenario's scalar uncertain inputs, each set to one value for the whole \
      projection. tornado moves each to its p10 and p90 (or median ± --percent), the others at \
      their medians, and writes tornado.csv, largest swing first; sobol adds the Dirichlet rows \
      and mixes as grouped factors, runs Saltelli sampling (N·(k+2) runs) and writes sobol.csv \
      with first- and total-order indices and bootstrap intervals. See the README.

      Example:
        hnb sensitivity Scenarios/sutton/sweep/baseline.yaml --method sobol --samples 256 \
          --output cumulative_balance --year 2030-31 --out out/sobol
      """)

  @Argument(help: "Scenario YAML file with an uncertainty: section.")
  var scenario: String

  @Option(help: "tornado or sobol.")
  var method: SensitivityCommand.Method

  @Option(help: "The metric (a metric of percentiles.csv).")
  var output: String = "cumulative_balance"

  @Option(help: "The financial year, e.g. 2030-31 (default: the last).")
  var year: String?

  @Option(
    OptionRanges.percent, help: "Tornado: move each input's median by ± this percentage instead of using p10/p90.")
  var percent: Double?

  @Option(OptionRanges.samples, help: "Sobol: base samples N (default 256).") var samples: Int = 256

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Sobol: bootstrap resamples for the intervals (default 500): a whole number from 2/(1 − confidence) (40 for "
        + "95%, so that each end of the interval lies inside the resamples) to \(OptionRanges.bootstrap.range.upperBound)."
    ),
    transform: OptionRanges.bootstrap.parse)
  var bootstrap: Int = 500

  @Option(OptionRanges.confidence, help: "Sobol: confidence of the intervals (default 0.95).")
  var confidence: Double = 0.95

  @Option(SeedRange(), help: "Sobol: seed of the sample and the bootstrap (default 1)") var seed: UInt64 = 1

  @OptionGroup var out: OutOption

  @OptionGroup var asOf: AsOfOption

  func validate() throws { try refuse(SensitivityCommand.problem(bootstrap: bootstrap, confidence: confidence)) }

  func run() throws {
    try reportingErrors {
      try SensitivityCommand(
        scenario: scenario, method: method, output: output, year: year, percent: percent, samples: samples,
        bootstrap: bootstrap, confidence: confidence, seed: seed, asOf: asOf.date
      ).run(out.pipeline)
    }
  }
}

extension SensitivityCommand.Method: ExpressibleByArgument {}
