import ArgumentParser
import Foundation
import HighNeeds

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenarios and write CSV tables and a manifest.",
    discussion: """
      Writes ehcp.csv, flows.csv, finance.csv, dsg.csv, kpis.csv, summary.csv, mitigations.csv, \
      management_plan.csv, outturn.csv, assumptions.csv and manifest.json to the output \
      directory. The directory is replaced only when every scenario has run and passed its \
      integrity checks.

      Examples:
        hnb run Scenarios/sutton/baseline.yaml --out out/baseline
        hnb run Scenarios/sutton/*.yaml --out out/sutton
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if scenarios.isEmpty { throw ValidationError("Give at least one scenario file.") }
  }

  func run() throws {
    try reportingErrors {
      let loaded = try loadScenarios(scenarios, asOf: asOf.date)
      let results = try loaded.map(ScenarioRun.run)
      var files = RunTables.tables(results)
      // The output directory is left out, so that the same run gives the same manifest anywhere.
      let command = (["hnb", "run"] + scenarios).joined(separator: " ")
      files["manifest.json"] = try DataVintage.annotate(
        manifest: Manifest.json(command: command, results: results, outputs: Array(files.keys) + ["manifest.json"]),
        scenarios: loaded, asOf: asOf.date)
      try OutputDirectory.write(files, to: out, inputs: loaded.flatMap { $0.scenarioFiles + $0.inputFiles })
      for r in results { print(headline(r)) }
      print("wrote \(files.count) files to \(out)")
    }
  }
}

/// One line per scenario for the terminal.
func headline(_ r: ScenarioResult) -> String {
  let s = r.scenario
  let last = s.horizonYears - 1
  let first =
    r.kpis.firstIndex { $0.deficitAboveOnePercent }.map { "first above 1% of DSG in \(s.financialYearLabel($0))" }
    ?? "never above 1% of DSG"
  let balance = r.reserve[last].closing
  var line =
    "\(s.name): \(Int(r.kpis[last].totalPlans.rounded())) plans at January \(s.censusYear(s.horizonYears)); "
    + "cumulative DSG balance \(poundsMillions(balance)) at 31 March \(s.baseCensusYear + s.horizonYears); "
    + "deficit \(first)"
  // Where actual figures were given, say how far the forecast was from them at the latest year.
  if let actual = s.outturn.filter({ $0.measure == "total_plans" }).max(by: { $0.year < $1.year }) {
    let forecast = r.path.occupancy[actual.year - s.baseCensusYear].reduce(0, +)
    line += String(
      format: "\n  against outturn: %.0f plans forecast for January %d, %.0f actual (%+.1f%%)", forecast, actual.year,
      actual.value, (forecast - actual.value) / actual.value * 100)
  }
  if let actual = s.outturn.filter({ $0.measure == "dsg_closing_balance_gbp" }).max(by: { $0.year < $1.year }) {
    let forecast = r.reserve[actual.year - s.baseCensusYear - 1].closing
    line +=
      "\n  against outturn: DSG balance at 31 March \(actual.year) \(poundsMillions(forecast)) forecast, "
      + "\(poundsMillions(actual.value)) actual"
  }
  return line
}

func poundsMillions(_ x: Double) -> String {
  (x < 0 ? "-" : "") + "£" + String(format: "%.1fm", abs(x) / 1e6)
}
