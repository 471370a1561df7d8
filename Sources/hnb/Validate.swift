import ArgumentParser
import Foundation
import HighNeedsCommands

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
    if !ScenarioCommands.validate(scenarios, asOf: asOf.date) { throw ExitCode(65) }
  }
}
