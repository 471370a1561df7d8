import ArgumentParser
import Foundation
import HighNeeds

struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a starting scenario for any English local authority from the national data pack.",
    discussion: """
      Writes baseline.yaml (unmitigated, from the latest January census, 10 years), its CSV \
      inputs, README.md (the assumptions log and the figures to replace first) and \
      assumptions.csv (every value with its status: data, derived, national default or not \
      stated) to --out, all or nothing. The folder runs as it is: hnb validate lists the values \
      an officer should enter. The method is in docs/INIT.md. An unknown or ambiguous --la \
      lists the nearest matches (exit 64).

      Examples:
        hnb init --la "Medway" --out my-la
        hnb init --la 887 --out my-la
        hnb init --la E06000035 --out my-la
      """)

  @Option(name: .customLong("la"), help: "The local authority: old 3-digit DfE code, ONS E-code or name (any case).")
  var la: String

  @Option(name: .long, help: "Output directory for the scenario folder (created or replaced).")
  var out: String

  @Option(
    name: .customLong("pack"),
    help: "The national data pack folder (default: Data/national in the current directory or above the hnb executable)."
  )
  var pack: String?

  func validate() throws {
    if la.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--la is empty: give a code or a name.")
    }
  }

  func run() throws {
    let folder = try packFolder()
    let national = try reportingErrors { try NationalPack.load(folder: folder) }
    let authority: LocalAuthority
    do {
      authority = try LALookup.find(la, in: national.authorities)
    } catch let error as LALookupError {
      // A usage error found once the pack is read: printed with this command's usage.
      return try reportingErrors(usage: Init.self) { throw CommandError(.usage, error.errorDescription ?? "") }
    }
    try reportingErrors {
      try OutputDirectory.check(out)
      let scenario = try ScenarioInit.build(la: authority, pack: national)
      for alert in scenario.alerts { Console.standard.err(alert) }
      try OutputDirectory.write(scenario.files, to: out)
      let plans = Double(scenario.placementMicro.values.reduce(0, +)) / 1e6
      print(
        "\(out): \(scenario.name) for \(authority.name) (\(authority.code), \(authority.eCode)): January \(scenario.censusYear) census, \(String(format: "%.0f", plans)) plans, \(scenario.files.count) files; \(scenario.alerts.count) national defaults, \(scenario.missing.count) tables missing for this LA"
      )
      print(
        "  next: hnb validate \(out)/baseline.yaml; hnb run \(out)/baseline.yaml --out out/\(ScenarioInit.slug(authority.name))"
      )
    }
  }

  /// `--pack`, or `Data/national` in the current directory or in a directory above the
  /// executable (a built `hnb` inside the repository finds the repository's pack).
  func packFolder() throws -> String {
    if let pack { return pack }
    let fm = FileManager.default
    let here = (fm.currentDirectoryPath as NSString).appendingPathComponent("Data/national")
    if fm.fileExists(atPath: (here as NSString).appendingPathComponent("la.csv")) { return here }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("Data/national")
      if fm.fileExists(atPath: candidate.appendingPathComponent("la.csv").path) { return candidate.path }
      dir.deleteLastPathComponent()
    }
    Console.standard.err(
      "error: no national data pack found: give --pack DIR (the folder Data/national of the toolkit, built by scripts/data/build_pack.py)"
    )
    throw ExitCode(65)
  }
}
