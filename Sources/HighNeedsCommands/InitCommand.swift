import Foundation
import HighNeeds

/// `hnb init` end to end: finds the national data pack and the LA, builds the scenario folder,
/// writes it all or nothing and says what it wrote (the command line only parses options).
package enum InitCommand {
  /// Writes the starting scenario of the LA `query` (a code or a name) to `out` from the pack in
  /// `pack` (or the one `packFolder` finds), printing each `alert:` on standard error; returns
  /// the lines to print on standard output.
  ///
  /// An unknown, ambiguous or reorganised LA is a `CommandError` of kind `.usage` (exit 64); a
  /// missing or malformed pack an `InputError` (65); a refused `--out` an `OutputError` (73).
  package static func run(la query: String, out: String, pack: String?, executable: String) throws -> [String] {
    let folder = try pack ?? packFolder(executable: executable)
    let national = try NationalPack.load(folder: folder)
    let authority: LocalAuthority
    do {
      authority = try LALookup.find(query, in: national.authorities)
    } catch let error as LALookupError {
      throw CommandError(.usage, error.errorDescription ?? "")
    }
    try OutputDirectory.check(out)
    let scenario = try ScenarioInit.build(la: authority, pack: national)
    for alert in scenario.alerts { Console.standard.err(alert) }
    try OutputDirectory.write(scenario.files, to: out)
    let plans = Double(scenario.placementMicro.values.reduce(0, +)) / 1e6
    return [
      "\(out): \(scenario.name) for \(authority.name) (\(authority.code), \(authority.eCode)): January "
        + "\(scenario.censusYear) census, \(NumberFormat.fixed(plans, 0)) plans, \(scenario.files.count) files; "
        + "\(scenario.alerts.count) national defaults, \(scenario.missing.count) tables missing for this LA",
      "  next: hnb validate \(out)/baseline.yaml; hnb run \(out)/baseline.yaml --out out/"
        + "\(ScenarioInit.slug(authority.name)); hnb sweep \(out)/sweep/baseline.yaml --out out/"
        + "\(ScenarioInit.slug(authority.name))-sweep",
    ]
  }

  /// `Data/national` in the current directory or in a directory above `executable` (a built
  /// `hnb` inside the repository finds the repository's pack); an `InputError` when there is none.
  package static func packFolder(executable: String) throws -> String {
    let fm = FileManager.default
    let here = (fm.currentDirectoryPath as NSString).appendingPathComponent("Data/national")
    if fm.fileExists(atPath: (here as NSString).appendingPathComponent("la.csv")) { return here }
    var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent("Data/national")
      if fm.fileExists(atPath: candidate.appendingPathComponent("la.csv").path) { return candidate.path }
      dir.deleteLastPathComponent()
    }
    throw InputError(
      SourceLocation(file: "Data/national/la.csv"), key: "--pack",
      expected:
        "the national data pack (the toolkit's Data/national, built by scripts/data/build_pack.py) in the current "
        + "directory or a directory above the hnb executable, or --pack DIR",
      found: "none")
  }
}
