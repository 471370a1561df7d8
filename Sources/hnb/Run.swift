import ArgumentParser
import Foundation
import HighNeedsCommands

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenarios and write CSV tables and a manifest.",
    discussion: """
      Writes the tables the README lists ("What the demo writes": ehcp.csv, dsg.csv, lsrp.csv, …) \
      and manifest.json, only once every scenario has run and passed its integrity checks.

      Examples:
        hnb run Scenarios/sutton/baseline.yaml --out out/baseline
        hnb run Scenarios/sutton/*.yaml --out out/sutton
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @OptionGroup var out: OutOption

  @OptionGroup var asOf: AsOfOption

  func validate() throws { try refuse(scenarios.isEmpty ? "Give at least one scenario file." : nil) }

  func run() throws {
    try reportingErrors {
      try out.pipeline.scenarios(scenarios, asOf: asOf.date) {
        try ScenarioCommands.run($0, command: (["hnb", "run"] + scenarios).joined(separator: " "), asOf: asOf.date)
      }
    }
  }
}
