import ArgumentParser
import Foundation
import HighNeeds

@main
struct HNB: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hnb",
    abstract: "Forecast the High Needs Block of the Dedicated Schools Grant from scenario files.",
    discussion: """
      Exit codes: 0 success; 64 usage error; 65 invalid input (a scenario or CSV file); \
      70 a failed integrity check (the run's numbers do not reconcile; nothing is written); \
      73 the output directory is refused (not empty and not an earlier hnb output, or an input is \
      inside it); 74 an output could not be written.

      Scenario files are documented in docs/SCENARIO.md; the model in docs/MODEL.md.

      Examples:
        hnb validate Scenarios/sutton/*.yaml
        hnb run Scenarios/sutton/*.yaml --out out/sutton
        hnb compare Scenarios/sutton/baseline.yaml Scenarios/sutton/combined.yaml --out out/compare
      """,
    version: toolVersion,
    subcommands: [
      Run.self, Validate.self, Compare.self, Report.self, Fit.self, Backtest.self, Sweep.self, Merge.self, Bench.self,
      GoalSeek.self, Sensitivity.self, Init.self,
    ]
  )
}

/// Exit codes, documented in the README.
enum Exit {
  static let invalidInput = ExitCode(65)
  static let integrityFailure = ExitCode(70)
  static let refusedOutput = ExitCode(73)
  static let outputFailure = ExitCode(74)
}

/// Writes to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, turning the library's errors into messages and documented exit codes.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ExitCode {
    throw error
  } catch {
    let exit: ExitCode
    switch error {
    case is InputError, is InputErrors: exit = Exit.invalidInput
    case is IntegrityError: exit = Exit.integrityFailure
    case is OutputError: exit = Exit.refusedOutput
    default: exit = Exit.outputFailure
    }
    printError("error: \((error as? LocalizedError)?.errorDescription ?? error.localizedDescription)")
    throw exit
  }
}

/// `--as-of`: the date a run is made as of, for the data-sunset rule (see `DataVintage`).
struct AsOfOption: ParsableArguments {
  @Option(
    name: .customLong("as-of"),
    help:
      "The date the run is made as of, YYYY-MM-DD (default: today, UTC): the data-sunset alert measures the newest census's age from it; recorded in the manifest."
  )
  var text: String?

  func validate() throws {
    if let text, CalendarDate(text) == nil {
      throw ValidationError("--as-of must be a date YYYY-MM-DD, not '\(text)'.")
    }
  }

  /// The date given, or today (UTC).
  var date: CalendarDate { text.flatMap(CalendarDate.init) ?? .today() }
}

/// Loads every scenario with its data-sunset alert as of `asOf`, printing its alerts; names
/// must be unique.
func loadScenarios(_ paths: [String], asOf: CalendarDate = .today()) throws -> [Scenario] {
  var scenarios: [Scenario] = []
  for path in paths {
    let scenario = DataVintage.applying(asOf: asOf, to: try ScenarioLoader.load(path: path))
    if let other = scenarios.first(where: { $0.name == scenario.name }) {
      throw InputError(
        SourceLocation(file: path), key: "name", expected: "a name not used by another scenario in this run",
        found: "'\(scenario.name)', also in \(other.scenarioFiles.first ?? "")")
    }
    for alert in scenario.alerts { printError(alert.text) }
    scenarios.append(scenario)
  }
  return scenarios
}
