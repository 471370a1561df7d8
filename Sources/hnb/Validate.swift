import ArgumentParser
import Foundation
import HighNeeds

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check scenario files and their CSV inputs without writing anything.",
    discussion: """
      Reports the first error in each file (with file, line, column or key), every alert \
      for unusual values (and the data-sunset alert), and lists the values that state no \
      source: bare numbers in the YAML, and CSV files named without {file, source}. \
      Exit 0 when all are valid, 65 otherwise.

      Example:
        hnb validate Scenarios/sutton/*.yaml
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @OptionGroup var asOf: AsOfOption

  func run() throws {
    var failed = false
    for path in scenarios {
      do {
        let scenario = try reportingErrors { try ScenarioSet.load([path], asOf: asOf.date) }[0]
        for line in ScenarioCommands.validLines(scenario, path: path) { print(line) }
      } catch {
        failed = true
      }
    }
    if failed { throw Exit.invalidInput }
  }
}
