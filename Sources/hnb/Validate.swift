import ArgumentParser
import Foundation
import HighNeeds

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check scenario files and their CSV inputs without writing anything.",
    discussion: """
      Reports the first error in each file (with file, line, column or key), and every alert \
      for unusual values. Exit 0 when all are valid, 65 otherwise.

      Example:
        hnb validate Scenarios/sutton/*.yaml
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  func run() throws {
    var failed = false
    for path in scenarios {
      do {
        let scenario = try reportingErrors { try ScenarioLoader.load(path: path) }
        for alert in scenario.alerts { printError(alert.text) }
        print(
          "\(path): valid (\(scenario.name): \(scenario.taxonomy.placements.count) placements, \(scenario.taxonomy.needs.count) needs, \(scenario.horizonYears) years, \(scenario.mitigations.count) mitigations, \(scenario.alerts.count) alerts)"
        )
      } catch {
        failed = true
      }
    }
    if failed { throw Exit.invalidInput }
  }
}
