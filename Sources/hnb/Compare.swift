import ArgumentParser
import Foundation
import HighNeeds

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run two scenarios and write them side by side with their differences.",
    discussion: """
      Writes compare_kpis.csv (measures by financial year: A, B and B − A), \
      compare_placement_groups.csv and both runs' full tables, with a manifest.

      Example:
        hnb compare Scenarios/sutton/baseline.yaml Scenarios/sutton/combined.yaml --out out/compare
      """)

  @Argument(help: "The first scenario (usually the unmitigated base).")
  var a: String

  @Argument(help: "The second scenario (usually the mitigated one).")
  var b: String

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func run() throws {
    try reportingErrors {
      let loaded = try loadScenarios([a, b], asOf: asOf.date)
      try CompareTables.checkComparable(loaded[0], loaded[1])
      let results = try loaded.map(ScenarioRun.run)
      var files = RunTables.tables(results)
      for (name, text) in try CompareTables.tables(results[0], results[1]) { files[name] = text }
      let command = ["hnb", "compare", a, b].joined(separator: " ")
      files["manifest.json"] = try DataVintage.annotate(
        manifest: Manifest.json(command: command, results: results, outputs: Array(files.keys) + ["manifest.json"]),
        scenarios: loaded, asOf: asOf.date)
      try OutputDirectory.write(files, to: out, inputs: loaded.flatMap { $0.scenarioFiles + $0.inputFiles })
      for r in results { print(headline(r)) }
      print("wrote \(files.count) files to \(out)")
    }
  }
}
