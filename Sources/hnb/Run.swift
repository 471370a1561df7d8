import ArgumentParser
import Foundation
import HighNeeds

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenarios and write CSV tables and a manifest.",
    discussion: """
      Writes ehcp.csv, flows.csv, finance.csv, dsg.csv, kpis.csv, summary.csv, mitigations.csv, \
      management_plan.csv, lsrp.csv, pipeline.csv, outturn.csv, assumptions.csv and manifest.json to the output \
      directory. The directory is replaced only when every scenario has run and passed its \
      integrity checks.

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
