import Foundation
import HighNeeds
import HighNeedsReport

/// The work of `hnb report`: the scenarios run, the evidence folders read and checked for
/// staleness, and the papers written.
package struct ReportCommand: Sendable {
  package var scenarios: [String]
  /// `--backtest`, `--sweep` and `--tornado` folders.
  package var backtest: [String]
  package var sweep: [String]
  package var tornado: [String]
  /// `--date`: the footer's date and the as-of date of the data-sunset rule (nil: today, UTC).
  package var date: String?
  package var allowStaleEvidence: Bool

  package init(
    scenarios: [String], backtest: [String], sweep: [String], tornado: [String], date: String?,
    allowStaleEvidence: Bool
  ) {
    self.scenarios = scenarios
    self.backtest = backtest
    self.sweep = sweep
    self.tornado = tornado
    self.date = date
    self.allowStaleEvidence = allowStaleEvidence
  }

  /// The command line recorded in the papers; the output directory is left out, so that the
  /// same run gives the same papers anywhere.
  package var command: String {
    (["hnb", "report"] + scenarios + backtest.flatMap { ["--backtest", $0] } + sweep.flatMap { ["--sweep", $0] }
      + tornado.flatMap { ["--tornado", $0] } + (allowStaleEvidence ? ["--allow-stale-evidence"] : []))
      .joined(separator: " ")
  }

  /// Loads, reads the evidence (refusing stale evidence unless allowed), then writes the papers
  /// through `pipeline`.
  package func run(_ pipeline: CommandPipeline) throws {
    let asOf = date.flatMap(CalendarDate.init) ?? .today()
    let loaded = try ScenarioSet.load(scenarios, asOf: asOf, console: pipeline.console)
    let analyses = try evidence(for: loaded)
    for notice in analyses.staleEvidence { pipeline.console.err("warning: " + notice) }
    // A directory read into the paper must survive it: --out may not be one of them.
    let evidenceFiles =
      analyses.backtests.flatMap { b in b.files.map { Self.path(b.directory, $0.file) } }
      + analyses.ranges.flatMap { r in r.files.map { Self.path(r.directory, $0.file) } }
    try pipeline.write(inputs: ScenarioSet.files(loaded) + evidenceFiles) {
      try papers(
        try loaded.map { try ScenarioCommands.result($0.scenario) }, scenarios: loaded, analyses: analyses, asOf: asOf)
    }
  }

  /// The file `file` names, in `directory`.
  static func path(_ directory: String, _ file: String) -> String {
    (directory as NSString).appendingPathComponent((file as NSString).lastPathComponent)
  }

  /// The evidence folders read, each checked against the inputs now.
  func evidence(for loaded: [LoadedScenario]) throws -> ReportAnalyses {
    var analyses = ReportAnalyses()
    analyses.backtests = try backtest.map { try BacktestAccuracy.read(directory: $0) }
    analyses.ranges =
      try sweep.map { try RangeEvidence.readSweep(directory: $0) }
      + tornado.map { try RangeEvidence.readTornado(directory: $0) }
    for range in analyses.ranges { try range.add(to: &analyses, scenarios: loaded.map(\.scenario)) }
    var stale: [InputError] = []
    let checked =
      analyses.ranges.map { r in
        (
          r.kind.rawValue, r.directory, r.recordedInputs,
          loaded.map(\.source).filter { r.scenarios.contains($0.name) }
        )
      } + analyses.backtests.map { b in ("backtest", b.directory, b.recordedInputs, [ScenarioSource]()) }
    for (what, directory, recorded, covered) in checked {
      let problems = EvidenceStaleness.problems(
        recorded: recorded, manifest: (directory as NSString).appendingPathComponent("manifest.json"), what: what,
        covered: covered, named: loaded.map(\.source))
      stale += problems
      if !problems.isEmpty {
        analyses.staleEvidence.append(EvidenceStaleness.notice(what: what, directory: directory, problems: problems))
      }
    }
    if !stale.isEmpty && !allowStaleEvidence { throw stale.count == 1 ? stale[0] : InputErrors(stale) as any Error }
    return analyses
  }

  /// `report.html`, `report.md`, `report.xlsx` and the manifest.
  func papers(
    _ results: [ScenarioResult], scenarios loaded: [LoadedScenario], analyses: ReportAnalyses, asOf: CalendarDate
  ) throws -> CommandOutput {
    let sources = loaded.map(\.source)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    let generatedOn = date ?? formatter.string(from: Date())
    let command = self.command
    let report = try ReportBuilder.build(
      results, sources: sources, analyses: analyses, command: command, generatedOn: generatedOn)
    var output = CommandOutput(
      files: ["report.html": HTMLReport.html(report), "report.md": MarkdownReport.markdown(report)],
      summary: results.map(ScenarioCommands.headline))
    output.files["report.xlsx"] = try XLSXReport.data(
      tables: try RunTables.typedTables(results, sources: sources), title: report.title,
      created: formatter.date(from: generatedOn) ?? Date(),
      warnings: report.warnings)
    output.manifest = { outputs in
      let manifest = DataVintage.annotate(
        try Manifest.run(command: command, results: results, sources: sources, outputs: outputs),
        scenarios: loaded.map(\.scenario), asOf: asOf)
      return try EvidenceStaleness.manifest(
        RangeEvidence.manifest(
          BacktestAccuracy.manifest(manifest, adding: analyses.backtests), adding: analyses.ranges),
        adding: analyses.staleEvidence
      ).text()
    }
    return output
  }
}
