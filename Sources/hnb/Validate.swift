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
        let scenario = try reportingErrors {
          DataVintage.applying(asOf: asOf.date, to: try ScenarioLoader.load(path: path))
        }
        for alert in scenario.alerts { printError(alert.text) }
        print(
          "\(path): valid (\(scenario.name): \(scenario.taxonomy.placements.count) placements, \(scenario.taxonomy.needs.count) needs, \(scenario.horizonYears) years, \(scenario.mitigations.count) mitigations, \(scenario.alerts.count) alerts)"
        )
        print(unsourcedText(scenario))
      } catch {
        failed = true
      }
    }
    if failed { throw Exit.invalidInput }
  }
}

/// The values of `scenario` that state no source, one line each, for `hnb validate`.
///
/// A YAML number written bare (status `not stated`) and a CSV file named without
/// `{file, source}` (every cell of it without a `source` column of its own then has no stated
/// source) are listed with where they are written.
func unsourcedText(_ scenario: Scenario) -> String {
  let defaultFileSource = "see the file and its SOURCES.md"
  var lines: [String] = []
  for entry in scenario.assumptions {
    if entry.status == "not stated" {
      lines.append("    \(entry.location): \(entry.key) = \(entry.value) (\(entry.unit))")
    } else if entry.status == "file", entry.source == defaultFileSource {
      // Cells of a file with a `source` column (outturn) name their own source.
      let cells = scenario.assumptions.filter { $0.key.hasPrefix(entry.key + "[") && $0.source == defaultFileSource }
      if !cells.isEmpty {
        lines.append("    \(entry.location): \(entry.key) = \(entry.value) (a CSV file: its \(cells.count) values)")
      }
    }
  }
  if lines.isEmpty { return "  no stated source: none (every value names its source)" }
  return "  no stated source (\(lines.count)):\n" + lines.joined(separator: "\n")
}
