import ArgumentParser
import Foundation
import HighNeeds

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenarios and write Schools Forum papers: HTML with charts, Markdown and an Excel workbook.",
    discussion: """
      Writes report.html (one self-contained file: inline CSS and SVG charts, readable on a \
      phone, printable on A4), report.md (the same tables in Markdown), report.xlsx (one \
      sheet per table of hnb run with real, unrounded numbers, a sheet shaped like the DfE DSG \
      management plan, and native charts) and manifest.json. \
      Tables are rounded so that they add up (thousands of pounds, whole plans); the CSVs \
      of hnb run keep the unrounded values. Anything that is not the base case is labelled a \
      scenario: an assumption, not a target.

      The range of outcomes appears when results are given: --sweep DIR (the output directory \
      of an earlier hnb sweep of the report's scenarios, or of hnb merge) adds a fan chart of \
      the cumulative balance (P10–P90, P25–P75, median) and the chance that the deficit passes \
      each threshold; --tornado DIR (hnb sensitivity --method tornado --output \
      cumulative_balance, in the last year) adds the tornado chart. Both are repeatable and \
      their files are hashed in the manifest; without them the report says that no range was \
      given. Evidence must have been made from the report's inputs as they are now: each \
      folder's manifest records the SHA-256 of every input it read, and a folder whose \
      recorded inputs differ from the files now (or cannot be found) is refused (exit 65, \
      naming the file), unless --allow-stale-evidence is given, when the paper (HTML, Markdown \
      and the workbook's first sheet) and the manifest say that it is stale. With --backtest DIR (the \
      output directory of an earlier hnb backtest; repeat for more than one), an appendix shows \
      the backtest's accuracy: MAPE by horizon of the method beside each naive baseline, p10–p90 \
      coverage and the backtest's caveats; its files are hashed in the manifest. Without it the \
      report says that no backtest was given.

      Examples:
        hnb report Scenarios/sutton/baseline.yaml --out out/report
        hnb report Scenarios/sutton/*.yaml --out out/sutton-report
        hnb report Scenarios/sutton/*.yaml --backtest out/bt-sutton --out out/sutton-report
        hnb sweep Scenarios/sutton/sweep/baseline.yaml --draws 10000 --seed 1 --out out/sweep
        hnb report Scenarios/sutton/baseline.yaml --sweep out/sweep --out out/report-range
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @Option(name: .long, help: "Output directory of an earlier hnb backtest, shown as backtest accuracy (repeatable).")
  var backtest: [String] = []

  @Option(name: .long, help: "Output directory of an earlier hnb sweep (or hnb merge), shown as a range (repeatable).")
  var sweep: [String] = []

  @Option(
    name: .long,
    help: "Output directory of an earlier hnb sensitivity --method tornado, shown as a tornado (repeatable).")
  var tornado: [String] = []

  @Option(
    name: .long,
    help:
      "The date printed in the provenance footer and the as-of date of the data-sunset alert, YYYY-MM-DD (default: today, UTC)."
  )
  var date: String?

  @Flag(
    help:
      "Show --sweep, --tornado or --backtest evidence whose recorded inputs differ from the inputs now, marked stale on the paper and in the manifest (without it such evidence is refused)."
  )
  var allowStaleEvidence = false

  func validate() throws {
    if scenarios.isEmpty { throw ValidationError("Give at least one scenario file.") }
    if let date, CalendarDate(date) == nil {
      throw ValidationError("--date must be a real date YYYY-MM-DD, not \(InputError.quoted(date)).")
    }
  }

  func run() throws {
    try reportingErrors {
      // The footer's date is also the as-of date of the data-sunset rule.
      let asOf = date.flatMap(CalendarDate.init) ?? .today()
      let loaded = try loadScenarios(scenarios, asOf: asOf)
      var analyses = ReportAnalyses()
      analyses.backtests = try backtest.map { try BacktestAccuracy.read(directory: $0) }
      analyses.ranges =
        try sweep.map { try RangeEvidence.readSweep(directory: $0) }
        + tornado.map { try RangeEvidence.readTornado(directory: $0) }
      for range in analyses.ranges { try range.add(to: &analyses, scenarios: loaded) }
      var stale: [InputError] = []
      for range in analyses.ranges {
        let problems = EvidenceStaleness.problems(
          recorded: range.recordedInputs,
          manifest: (range.directory as NSString).appendingPathComponent("manifest.json"),
          what: range.kind.rawValue, covered: loaded.filter { range.scenarios.contains($0.name) })
        stale += problems
        if !problems.isEmpty {
          analyses.staleEvidence.append(
            EvidenceStaleness.notice(what: range.kind.rawValue, directory: range.directory, problems: problems))
        }
      }
      for b in analyses.backtests {
        let problems = EvidenceStaleness.problems(
          recorded: b.recordedInputs, manifest: (b.directory as NSString).appendingPathComponent("manifest.json"),
          what: "backtest", covered: [])
        stale += problems
        if !problems.isEmpty {
          analyses.staleEvidence.append(
            EvidenceStaleness.notice(what: "backtest", directory: b.directory, problems: problems))
        }
      }
      if !stale.isEmpty && !allowStaleEvidence { throw stale.count == 1 ? stale[0] : InputErrors(stale) as any Error }
      for notice in analyses.staleEvidence { printError("warning: " + notice) }
      let results = try loaded.map(ScenarioRun.run)
      // The output directory is left out, so that the same run gives the same papers anywhere.
      let command =
        (["hnb", "report"] + scenarios + backtest.flatMap { ["--backtest", $0] } + sweep.flatMap { ["--sweep", $0] }
        + tornado.flatMap { ["--tornado", $0] } + (allowStaleEvidence ? ["--allow-stale-evidence"] : [])).joined(
          separator: " ")
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "UTC")
      formatter.dateFormat = "yyyy-MM-dd"
      let generatedOn = date ?? formatter.string(from: Date())
      let report = try ReportBuilder.build(
        results, analyses: analyses, command: command, generatedOn: generatedOn)
      var files: [String: Data] = [
        "report.html": Data(HTMLReport.html(report).utf8),
        "report.md": Data(MarkdownReport.markdown(report).utf8),
        "report.xlsx": try XLSXReport.data(
          tables: RunTables.tables(results), title: report.title, created: formatter.date(from: generatedOn) ?? Date(),
          warnings: report.warnings),
      ]
      let manifest = try DataVintage.annotate(
        manifest: Manifest.json(command: command, results: results, outputs: Array(files.keys) + ["manifest.json"]),
        scenarios: loaded, asOf: asOf)
      files["manifest.json"] = Data(
        try EvidenceStaleness.manifest(
          try RangeEvidence.manifest(
            try BacktestAccuracy.manifest(manifest, adding: analyses.backtests), adding: analyses.ranges),
          adding: analyses.staleEvidence
        ).utf8)
      // A directory read into the paper must survive it: --out may not be one of them.
      let backtestFiles =
        analyses.backtests.flatMap { b in
          b.files.map { (b.directory as NSString).appendingPathComponent(($0.file as NSString).lastPathComponent) }
        }
        + analyses.ranges.flatMap { r in
          r.files.map { (r.directory as NSString).appendingPathComponent(($0.file as NSString).lastPathComponent) }
        }
      try OutputDirectory.write(
        bytes: files, to: out, inputs: loaded.flatMap { $0.scenarioFiles + $0.inputFiles } + backtestFiles)
      for r in results { print(headline(r)) }
      print("wrote \(files.count) files to \(out)")
    }
  }
}
