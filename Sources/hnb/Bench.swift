import ArgumentParser
import Foundation
import HighNeeds

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time a sweep and compare it with this machine's own DGEMM rate and memory bandwidth.",
    discussion: """
      Prints wall time, draws per second, peak memory (resident set), the sweep's achieved \
      GFLOP/s in its matrix products and GB/s over its state, beside a 1000×1000 DGEMM and a \
      large memory copy measured on this machine. Build with -c release for meaningful figures.

      Example:
        hnb bench --draws 10000
      """)

  @Option(help: "Scenario with an uncertainty section.")
  var scenario = "Scenarios/sutton/sweep/baseline.yaml"

  @Option(OptionRanges.benchDraws, help: "Number of draws (default 10000).") var draws: Int = 10_000

  @Option(SeedRange(), help: "Seed of the counter-based generator (default 1)") var seed: UInt64 = 1

  func run() throws {
    for line in try reportingErrors({ try Benchmark.run(scenario: scenario, draws: draws, seed: seed) }) { print(line) }
  }
}
