import ArgumentParser
import Foundation
import HighNeedsCommands

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

/// Runs `body`, turning the library's errors into messages and documented exit codes; a usage
/// error found after parsing is printed as ArgumentParser prints one, with `usage`'s usage.
func reportingErrors<T>(usage: ParsableCommand.Type = HNB.self, _ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as CommandError where error.kind == .usage {
    let name = usage.configuration.commandName ?? String(describing: usage).lowercased()
    Console.standard.err(
      "Error: \(error.message)\nUsage: \(HNB.usageString(for: usage))\n  See 'hnb \(name) --help' for more information."
    )
    throw ExitCode(64)
  } catch {
    throw ExitCode(Console.standard.report(error))
  }
}

/// `problem`, when there is one, as a usage error of `validate()`.
func refuse(_ problem: String?) throws {
  if let problem { throw ValidationError(problem) }
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
      throw ValidationError("--as-of must be a date YYYY-MM-DD, not \(InputError.quoted(text)).")
    }
  }

  /// The date given, or today (UTC).
  var date: CalendarDate { text.flatMap(CalendarDate.init) ?? .today() }
}

/// `--out`, which every writing command takes.
struct OutOption: ParsableArguments {
  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  /// The pipeline writing to `--out`.
  var pipeline: CommandPipeline { CommandPipeline(out: out) }
}

extension Option {
  /// An option read and checked once by `range`, its help stating the range.
  init<R: OptionRange>(wrappedValue: Value, _ range: R, help: String) where R.Value == Value {
    self.init(
      wrappedValue: wrappedValue, parsing: .unconditional, help: .init(range.help(help)),
      transform: { try range.parse($0) })
  }

  /// An optional option read and checked once by `range`, its help stating the range.
  init<R: OptionRange>(_ range: R, help: String) where Value == R.Value? {
    self.init(parsing: .unconditional, help: .init(range.help(help)), transform: { try range.parse($0) })
  }
}
