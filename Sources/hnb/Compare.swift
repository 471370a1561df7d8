import ArgumentParser
import Foundation
import HighNeedsCommands

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run two scenarios and write them side by side with their differences.",
    discussion: """
      Writes compare_kpis.csv (measures by financial year: A, B and B − A), \
      compare_placement_groups.csv and both runs' full tables, with a manifest.

      Example:
        hnb compare Scenarios/sutton/baseline.yaml Scenarios/sutton/combined.yaml --out out/compare
      """)

  @Argument(help: "The first scenario (usually the unmitigated base).")
  var a: String

  @Argument(help: "The second scenario (usually the mitigated one).")
  var b: String

  @OptionGroup var out: OutOption

  @OptionGroup var asOf: AsOfOption

  func run() throws {
    try reportingErrors {
      try out.pipeline.scenarios([a, b], asOf: asOf.date) {
        try ScenarioCommands.compare($0, command: ["hnb", "compare", a, b].joined(separator: " "), asOf: asOf.date)
      }
    }
  }
}
