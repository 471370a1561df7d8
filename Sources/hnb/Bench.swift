import ArgumentParser
import Foundation
import HighNeedsCommands

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time a sweep and compare it with this machine's own DGEMM rate and memory bandwidth.",
    discussion: """
      Prints wall time, draws per second, peak memory, the sweep's GFLOP/s and state traffic beside a \
      1000×1000 DGEMM and a memory copy measured here; with --vs-numpy, hnb sweep and the numpy reference \
      (scripts/bench, installed by make bench-numpy) timed side by side. Build with -c release.

      Example: hnb bench --draws 10000 --vs-numpy
      """)

  @Option(help: "Scenario with an uncertainty section.") var scenario = "Scenarios/sutton/sweep/baseline.yaml"
  @Option(OptionRanges.benchDraws, help: "Number of draws (default 10000).") var draws: Int = 10_000
  @Option(SeedRange(), help: "Seed of the counter-based generator (default 1)") var seed: UInt64 = 1
  @Flag(help: "Also time hnb sweep against the numpy reference, whole processes.") var vsNumpy = false

  func run() throws {
    let lines = try reportingErrors {
      try Benchmark.run(scenario: scenario, draws: draws, seed: seed, vsNumpy: vsNumpy)
    }
    for line in lines { print(line) }
  }
}
