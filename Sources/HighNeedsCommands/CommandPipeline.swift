import Foundation
import HighNeeds

/// Where a command's lines go: standard output for results, standard error for alerts,
/// warnings and progress.
package struct Console: Sendable {
  package var out: @Sendable (String) -> Void
  package var err: @Sendable (String) -> Void

  package init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
    self.out = out
    self.err = err
  }

  /// The process's standard output and standard error, a line each.
  package static let standard = Console(
    out: { print($0) }, err: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })

  /// Prints `error` as `error: MESSAGE` on standard error and returns its documented exit code
  /// (README): 65 invalid input (or a question the inputs cannot answer), 70 a failed integrity
  /// check, 73 the output directory refused, 74 an output not written.
  package func report(_ error: any Error) -> Int32 {
    err("error: \((error as? LocalizedError)?.errorDescription ?? error.localizedDescription)")
    switch error {
    case let error as CommandError: return error.kind == .usage ? 64 : 65
    case is InputError, is InputErrors: return 65
    case is IntegrityError: return 70
    case is OutputError: return 73
    default: return 74
    }
  }
}

/// A command's failure that is neither a bad input file nor a failed write: a usage error found
/// only once the inputs are read (an option's bound that depends on the scenario; exit 64), or
/// a question the inputs cannot answer (no value meets a goal; exit 65).
package struct CommandError: Error, LocalizedError, Sendable {
  package enum Kind: Sendable { case usage, unanswerable }
  package var kind: Kind
  package var message: String

  package init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  package var errorDescription: String? { message }
}

/// What a command writes and prints once its work is done.
package struct CommandOutput {
  /// File name → bytes, without `manifest.json`.
  package var files: [String: Data]
  /// Builds `manifest.json` from the names of every file written (itself included); nil: the
  /// files hold their own manifest.
  package var manifest: (([String]) throws -> String)?
  /// Files read while working that must survive the write, beyond the inputs checked first.
  package var extraInputs: [String] = []
  /// Lines printed on standard output once everything is written.
  package var summary: [String] = []
  /// Appended to the closing `wrote N files to OUT` line; nil: no such line.
  package var wroteSuffix: String? = ""

  package init(
    files: [String: String], manifest: (([String]) throws -> String)? = nil, summary: [String] = [],
    wroteSuffix: String? = ""
  ) {
    self.files = files.mapValues { Data($0.utf8) }
    self.manifest = manifest
    self.summary = summary
    self.wroteSuffix = wroteSuffix
  }
}

/// The one sequence every writing command follows: load the inputs → check the output folder
/// → compute (with its integrity checks) → build the manifest → write all or nothing → print
/// the summary.
///
/// The output folder is checked as soon as the inputs are known, before any long computation,
/// so that a sweep or a goal seek refuses a bad `--out` at once (exit 73) rather than after
/// minutes of work; it is checked again when written (`OutputDirectory.write`).
package struct CommandPipeline: Sendable {
  /// `--out`.
  package var out: String
  package var console: Console

  package init(out: String, console: Console = .standard) {
    self.out = out
    self.console = console
  }

  /// Checks `--out` against `inputs`, runs `body`, adds its manifest, writes and prints.
  package func write(inputs: [String], _ body: () throws -> CommandOutput) throws {
    try OutputDirectory.check(out, inputs: inputs)
    var output = try body()
    if let manifest = output.manifest {
      output.files["manifest.json"] = Data(try manifest(Array(output.files.keys) + ["manifest.json"]).utf8)
    }
    try OutputDirectory.write(bytes: output.files, to: out, inputs: inputs + output.extraInputs)
    for line in output.summary { console.out(line) }
    if let suffix = output.wroteSuffix { console.out("wrote \(output.files.count) files to \(out)\(suffix)") }
  }

  /// Loads the scenarios at `paths` as of `asOf` (printing their alerts), then `write`s with
  /// their scenario and input files as the inputs.
  package func scenarios(
    _ paths: [String], asOf: CalendarDate, _ body: ([LoadedScenario]) throws -> CommandOutput
  ) throws {
    let loaded = try ScenarioSet.load(paths, asOf: asOf, console: console)
    try write(inputs: ScenarioSet.files(loaded)) { try body(loaded) }
  }
}

/// The scenarios of one command.
package enum ScenarioSet {
  /// Loads every scenario, with where it came from, and its data-sunset alert as of `asOf`,
  /// printing its alerts as it is read; names must be unique.
  package static func load(_ paths: [String], asOf: CalendarDate, console: Console = .standard) throws
    -> [LoadedScenario]
  {
    var loaded: [LoadedScenario] = []
    for path in paths {
      let next = DataVintage.applying(asOf: asOf, to: try ScenarioLoader.loadWithSource(path: path))
      let name = next.scenario.name
      if let other = loaded.first(where: { $0.scenario.name == name }) {
        throw InputError(
          SourceLocation(file: path), key: "name", expected: "a name not used by another scenario in this run",
          found: "'\(name)', also in \(other.source.scenarioFiles.first ?? "")")
      }
      for alert in next.scenario.alerts { console.err(alert.text) }
      loaded.append(next)
    }
    return loaded
  }

  /// Every scenario and input file the scenarios read: none may lie inside `--out`.
  package static func files(_ loaded: [LoadedScenario]) -> [String] {
    loaded.flatMap(\.source.files)
  }

  /// `manifest.json` of a set of runs (`sources[i]` where `results[i]`'s scenario came from),
  /// with the as-of date and data vintage.
  package static func manifest(
    command: String, results: [ScenarioResult], sources: [ScenarioSource], asOf: CalendarDate
  ) -> ([String]) throws -> String {
    { outputs in
      try DataVintage.annotate(
        Manifest.run(command: command, results: results, sources: sources, outputs: outputs),
        scenarios: results.map(\.scenario), asOf: asOf
      ).text()
    }
  }
}
