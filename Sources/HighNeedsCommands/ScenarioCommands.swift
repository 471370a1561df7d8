import Foundation
import HighNeeds

/// The work of `hnb run`, `hnb compare` and `hnb validate`: what each writes and prints.
package enum ScenarioCommands {
  /// `hnb run`: every scenario's tables and the manifest; a headline per scenario.
  package static func run(_ scenarios: [LoadedScenario], command: String, asOf: CalendarDate) throws -> CommandOutput {
    try output(
      try scenarios.map { try result($0.scenario) }, sources: scenarios.map(\.source), command: command, asOf: asOf)
  }

  /// Runs `scenario` for the tables of a command: its mitigations' effects on the LSRP tables
  /// are attributed with their savings.
  static func result(_ scenario: Scenario) throws -> ScenarioResult {
    try ScenarioRun.run(scenario, counting: try LSRPTable.counting(for: scenario))
  }

  /// `hnb compare`: both runs' tables and their side-by-side comparison.
  package static func compare(_ scenarios: [LoadedScenario], command: String, asOf: CalendarDate) throws
    -> CommandOutput
  {
    let (a, b) = (scenarios[0], scenarios[1])
    try CompareTables.checkComparable(
      a.scenario, b.scenario, file: b.source.scenarioFiles.first ?? b.scenario.name)
    let results = try scenarios.map { try result($0.scenario) }
    return try output(
      results, sources: scenarios.map(\.source), command: command, asOf: asOf,
      adding: try CompareTables.tables(results[0], results[1]))
  }

  /// The tables of `results` (and `tables`), their manifest, and a headline per scenario;
  /// `sources[i]` is where `results[i]`'s scenario came from.
  static func output(
    _ results: [ScenarioResult], sources: [ScenarioSource], command: String, asOf: CalendarDate,
    adding tables: [String: String] = [:]
  )
    throws -> CommandOutput
  {
    CommandOutput(
      files: try RunTables.tables(results, sources: sources).merging(tables) { $1 },
      manifest: ScenarioSet.manifest(command: command, results: results, sources: sources, asOf: asOf),
      summary: results.map(headline))
  }

  /// One line per scenario for the terminal, with the forecast against any outturn given.
  package static func headline(_ r: ScenarioResult) -> String {
    let s = r.scenario
    let last = s.horizonYears - 1
    let first =
      r.kpis.firstIndex { $0.deficitAboveOnePercent }.map { "first above 1% of DSG in \(s.financialYearLabel($0))" }
      ?? "never above 1% of DSG"
    let balance = r.reserve[last].closing
    var line =
      "\(s.name): \(Int(r.kpis[last].totalPlans.rounded())) plans at January \(s.censusYear(s.horizonYears)); "
      + "cumulative DSG balance \(NumberFormat.poundsMillions(balance)) at 31 March \(s.baseCensusYear + s.horizonYears); "
      + "deficit \(first)"
    for comparison in outturnComparisons(r) { line += "\n  against outturn: " + comparison }
    return line
  }

  /// How far the forecast was from the actual figures given (outturn), at the latest year of
  /// each measure: total plans and the DSG balance.
  package static func outturnComparisons(_ r: ScenarioResult) -> [String] {
    let s = r.scenario
    var lines: [String] = []
    if let actual = s.outturn.filter({ $0.measure == .totalPlans }).max(by: { $0.year < $1.year }) {
      let forecast = r.path.occupancy[actual.year - s.baseCensusYear].reduce(0, +)
      // No percentage of an actual of 0 plans (it would print inf or nan).
      let relative =
        actual.value > 0 ? " (\(NumberFormat.signed((forecast - actual.value) / actual.value * 100, 1))%)" : ""
      lines.append(
        "\(NumberFormat.fixed(forecast, 0, negativeZero: .kept)) plans forecast for January \(actual.year), "
          + "\(NumberFormat.fixed(actual.value, 0, negativeZero: .kept)) actual"
          + relative)
    }
    if let actual = s.outturn.filter({ $0.measure == .dsgClosingBalance }).max(by: { $0.year < $1.year }) {
      let forecast = r.reserve[actual.year - s.baseCensusYear - 1].closing
      lines.append(
        "DSG balance at 31 March \(actual.year) \(NumberFormat.poundsMillions(forecast)) forecast, "
          + "\(NumberFormat.poundsMillions(actual.value)) actual")
    }
    return lines
  }

  /// `hnb validate`: reads each scenario, printing its first error, or its alerts and
  /// `validLines`; true when all are valid.
  package static func validate(_ paths: [String], asOf: CalendarDate, console: Console = .standard) -> Bool {
    var valid = true
    for path in paths {
      do {
        let loaded = try ScenarioSet.load([path], asOf: asOf, console: console)[0]
        for line in validLines(loaded, path: path) { console.out(line) }
      } catch {
        _ = console.report(error)
        valid = false
      }
    }
    return valid
  }

  /// What `hnb validate` prints for a valid scenario: its size, then the values that state no
  /// source.
  package static func validLines(_ loaded: LoadedScenario, path: String) -> [String] {
    let s = loaded.scenario
    func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    return [
      "\(path): valid (\(s.name): \(counted(s.taxonomy.placements.count, "placement")), "
        + "\(counted(s.taxonomy.needs.count, "need")), \(counted(s.horizonYears, "year")), "
        + "\(counted(s.mitigations.count, "mitigation")), \(counted(s.alerts.count, "alert")))",
      unsourcedText(loaded.source),
    ]
  }

  /// The values of a scenario (as its `source` logs them) that state no source, one line
  /// each, for `hnb validate`.
  ///
  /// A YAML number written bare (status `not stated`) and a CSV file named without
  /// `{file, source}` (every cell of it without a `source` column of its own then has no stated
  /// source) are listed with where they are written.
  package static func unsourcedText(_ source: ScenarioSource) -> String {
    let defaultFileSource = "see the file and its SOURCES.md"
    var lines: [String] = []
    for entry in source.assumptions {
      if entry.status == .notStated {
        lines.append("    \(entry.location): \(entry.key) = \(entry.value) (\(entry.unit))")
      } else if entry.status == .file, entry.source == defaultFileSource {
        // Cells of a file with a `source` column (outturn) name their own source.
        let cells = source.assumptions.filter { $0.key.hasPrefix(entry.key + "[") && $0.source == defaultFileSource }
        if !cells.isEmpty {
          lines.append("    \(entry.location): \(entry.key) = \(entry.value) (a CSV file: its \(cells.count) values)")
        }
      }
    }
    if lines.isEmpty { return "  no stated source: none (every value names its source)" }
    return "  no stated source (\(lines.count)):\n" + lines.joined(separator: "\n")
  }
}
