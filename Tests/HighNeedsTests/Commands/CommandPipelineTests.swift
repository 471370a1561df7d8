import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCommands

/// The command pipeline every writing command goes through: `--out` is refused before any work
/// is done, nothing is written when the work fails, the manifest names every file written, and
/// the summary is printed only once everything is written.
@Suite struct CommandPipelineTests {
  /// Lines a command printed, by stream.
  final class Printed: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(stream: String, text: String)] = []

    func append(_ stream: String, _ text: String) { lock.withLock { lines.append((stream, text)) } }
    func of(_ stream: String) -> [String] { lock.withLock { lines.filter { $0.stream == stream }.map(\.text) } }

    var console: Console { Console(out: { self.append("out", $0) }, err: { self.append("err", $0) }) }
  }

  /// A copy of the tiny scenario in a new temporary directory: its `tiny.yaml` and the directory.
  static func scenario() throws -> (path: String, directory: URL) {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let directory = URL(fileURLWithPath: InputFile.realPath((path as NSString).deletingLastPathComponent))
    return (path, directory)
  }

  /// Each way `--out` is refused (a folder hnb did not write, a folder holding an input, an
  /// empty path), for every kind of command: the pipeline throws `OutputError` before the work
  /// starts, and nothing is printed or written.
  @Test(arguments: ["a folder of the user's files", "the folder holding an input", "an empty path"])
  func aRefusedOutIsRefusedBeforeAnyWork(_ refusal: String) throws {
    let (path, directory) = try Self.scenario()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out: String
    switch refusal {
    case "a folder of the user's files":
      out = directory.appendingPathComponent("mine").path
      try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
      try Data("notes\n".utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("notes.txt"))
    case "the folder holding an input": out = directory.path
    default: out = ""
    }
    let before = try FileManager.default.subpathsOfDirectory(atPath: directory.path).sorted()
    let printed = Printed()
    let pipeline = CommandPipeline(out: out, console: printed.console)
    var worked = false
    #expect(throws: OutputError.self) {
      try pipeline.scenarios([path], asOf: CalendarDate("2026-01-15") ?? .today()) { _ in
        worked = true
        return CommandOutput(files: ["a.csv": "x\n"])
      }
    }
    #expect(!worked)
    #expect(printed.of("out").isEmpty)
    #expect(try FileManager.default.subpathsOfDirectory(atPath: directory.path).sorted() == before)
  }

  /// A goal seek whose target no allowed value meets, writing to a refused `--out`: the folder
  /// is refused (exit 73) before the seek runs, rather than the seek's answer after it.
  @Test func aGoalSeekRefusesItsOutBeforeSolving() throws {
    let (path, directory) = try Self.scenario()
    defer { try? FileManager.default.removeItem(at: directory) }
    let command = GoalSeekCommand(
      scenario: path, target: "cumulative_balance >= 1_000_000_000_000 in 2027-28", vary: "transfer_percent", min: 0,
      max: 1,
      tolerance: nil, draws: 2, seed: 1, asOf: CalendarDate("2026-01-15") ?? .today())
    let printed = Printed()
    #expect(throws: OutputError.self) {
      try command.run(CommandPipeline(out: directory.path, console: printed.console))
    }
    let elsewhere = directory.appendingPathComponent("out").path
    #expect(throws: CommandError.self) { try command.run(CommandPipeline(out: elsewhere, console: printed.console)) }
    #expect(!FileManager.default.fileExists(atPath: elsewhere))
    #expect(printed.of("out").isEmpty)
  }

  /// Work that fails leaves `--out` as it was (here: absent) and prints no summary.
  @Test func failedWorkWritesNothing() throws {
    let (path, directory) = try Self.scenario()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let printed = Printed()
    #expect(throws: IntegrityError.self) {
      try CommandPipeline(out: out, console: printed.console).scenarios([path], asOf: .today()) { _ in
        throw IntegrityError(failures: ["a check"])
      }
    }
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(printed.of("out").isEmpty)
  }

  /// A written output: its files, a manifest built from the names of every file written (itself
  /// included, sorted), the summary lines and then `wrote N files to OUT`, in that order.
  @Test func aWrittenOutputHoldsItsManifestAndPrintsItsSummaryLast() throws {
    let (path, directory) = try Self.scenario()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let printed = Printed()
    try CommandPipeline(out: out, console: printed.console).scenarios([path], asOf: .today()) { scenarios in
      #expect(scenarios.count == 1)
      return CommandOutput(
        files: ["b.csv": "b\n", "a.csv": "a\n"], manifest: { $0.sorted().joined(separator: ",") + "\n" },
        summary: ["first", "second"], wroteSuffix: " (done)")
    }
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest == "a.csv,b.csv,manifest.json\n")
    #expect(try String(contentsOfFile: out + "/a.csv", encoding: .utf8) == "a\n")
    #expect(printed.of("out") == ["first", "second", "wrote 3 files to \(out) (done)"])
  }

  /// The documented exit code of each class of error (README), with its message on standard
  /// error after `error: `.
  @Test func everyErrorHasItsDocumentedExitCode() {
    let cases: [(any Error, Int32)] = [
      (InputError(SourceLocation(file: "f.csv", line: 2), expected: "a number", found: "'x'"), 65),
      (InputErrors([InputError(SourceLocation(file: "f.csv"), expected: "a", found: "b")]), 65),
      (CommandError(.unanswerable, "no value meets it"), 65),
      (CommandError(.usage, "--x: expected 1; found 2"), 64),
      (IntegrityError(failures: ["a check"]), 70),
      (OutputError(path: "out", reason: "it is not empty"), 73),
      (CocoaError(.fileWriteOutOfSpace), 74),
    ]
    for (error, code) in cases {
      let printed = Printed()
      #expect(printed.console.report(error) == code)
      let message = (error as? LocalizedError)?.errorDescription ?? error.localizedDescription
      #expect(printed.of("err") == ["error: " + message])
    }
  }

  /// Scenario names must be unique within a command: the second file of a name is refused,
  /// naming the first.
  @Test func aScenarioNameUsedTwiceIsRefused() throws {
    let (path, directory) = try Self.scenario()
    defer { try? FileManager.default.removeItem(at: directory) }
    let printed = Printed()
    #expect {
      try ScenarioSet.load([path, path], asOf: .today(), console: printed.console)
    } throws: { error in
      (error as? InputError)?.key == "name" && (error as? InputError)?.found.contains("also in") == true
    }
  }
}
