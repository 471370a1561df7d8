import ArgumentParser
import Foundation
import HighNeedsCommands

struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run many draws of the uncertain inputs and write percentiles and exceedance probabilities.",
    discussion: """
      Draw i depends only on (seed, i). Writes percentiles.csv (metric, scenario, year, mean, sd, \
      p5…p95), exceedance.csv (probability per year that the cumulative deficit is above 1% of DSG \
      and above each --threshold) and manifest.json. With --shard k/n, runs the k-th of n slices \
      of the draws and writes them (exactly, as bit patterns) with shard.json for `hnb merge`.

      Examples:
        hnb sweep Scenarios/sutton/baseline.yaml --draws 2000 --seed 1 --out out/sweep
        hnb sweep Scenarios/sutton/baseline.yaml --draws 100000 --seed 1 --shard 3/8 --out out/shard3
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @Option(help: "Number of draws, 2 to \(HighNeeds.Sweep.maximumDraws).")
  var draws: Int = 1000

  @Option(help: "Seed of the counter-based generator.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("threshold"),
    help: "A cumulative deficit in pounds, 0 to 1e12, to report the probability of passing (repeatable).")
  var thresholds: [Double] = []

  @Option(
    help:
      "Draws advanced together (one matrix product per age), 1 to \(HighNeeds.Sweep.maximumBatchSize); the results do not depend on it."
  )
  var batchSize: Int = HighNeeds.Sweep.defaultBatchSize

  @Option(help: "Run slice k of n (k = 1…n) of the draws, for `hnb merge`.")
  var shard: String?

  @OptionGroup var out: OutOption

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if scenarios.isEmpty { throw ValidationError("Give at least one scenario file.") }
    try refuse(
      SweepCommand.problem(
        draws: draws, batchSize: batchSize, shard: shard, thresholds: thresholds, scenarioCount: scenarios.count))
  }

  func run() throws {
    try reportingErrors {
      let settings = SweepSettings(scenarioPaths: scenarios, draws: draws, seed: seed, thresholdsGBP: thresholds)
      try SweepCommand(
        settings: settings, batchSize: batchSize, shard: shard.flatMap(SweepCommand.parseShard), asOf: asOf.date
      ).run(out.pipeline)
    }
  }
}
