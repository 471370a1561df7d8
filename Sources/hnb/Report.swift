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

  @OptionGroup var out: OutOption

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
      try ReportCommand(
        scenarios: scenarios, backtest: backtest, sweep: sweep, tornado: tornado, date: date,
        allowStaleEvidence: allowStaleEvidence
      ).run(out.pipeline)
    }
  }
}
