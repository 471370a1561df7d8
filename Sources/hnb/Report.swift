import ArgumentParser
import Foundation
import HighNeedsCommands

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenarios and write Schools Forum papers: HTML with charts, Markdown and an Excel workbook.",
    discussion: """
      Writes report.html (self-contained, charts inline, readable on a phone, printable on A4), \
      report.md, report.xlsx (one sheet per table of hnb run with unrounded numbers, the DfE DSG \
      management plan and LSRP layouts, native charts) and manifest.json. Tables are rounded so \
      that they add up; anything but the base case is labelled a scenario, not a target.

      --sweep DIR (an earlier hnb sweep or merge) adds the fan chart and the chance of each \
      threshold; --tornado DIR (hnb sensitivity --method tornado) the tornado chart; --backtest \
      DIR (an earlier hnb backtest) an accuracy appendix. Evidence must match the report's \
      inputs as they are now (exit 65 naming the file) unless --allow-stale-evidence is given, \
      when the papers say it is stale. See the README, "Schools Forum papers".

      Examples:
        hnb report Scenarios/sutton/*.yaml --out out/sutton-report
        hnb report Scenarios/sutton/*.yaml --backtest out/bt-sutton --out out/sutton-report
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
