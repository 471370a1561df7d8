import ArgumentParser
import Foundation
import HighNeeds

struct Fit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Estimate a scenario's rates from history, and write them with a fit report.",
    discussion: """
      With only --history (a totals or age-band series), fits the trend of each series and \
      writes trend.csv and forecast.csv. The method used is printed and recorded in \
      manifest.json. See docs/CALIBRATION.md.

      Examples:
        hnb fit --history Calibration/data/sutton_history.csv --out out/fit
      """)

  @OptionGroup var inputs: CalibrationInputs

  @Option(name: .long, help: "Years to forecast from the trend fit.")
  var horizon: Int = 3

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  func validate() throws {
    if inputs.history == nil {
      throw ValidationError("fit needs --history (with or without the other inputs).")
    }
    _ = try inputs.excludedYears()
    if horizon < 1 { throw ValidationError("--horizon must be 1 or more; found \(horizon)") }
  }

  func run() throws {
    let excluded = try inputs.excludedYears()
    try reportingErrors {
      var files: [String: String] = [:]
      var rows: [String: [String: Int]] = [:]
      var warnings: [String] = []
      var methods: [String] = []
      if let historyPath = inputs.history {
        let history = try AggregateHistory.read(path: historyPath, newPlansPath: inputs.newPlans)
        rows[historyPath] = ["data_rows_read": history.rowsRead, "data_rows_not_used": 0]
        let lastYear = history.total.years.last ?? 0
        for brk in SeriesBreak.known
        where brk.isCrossed(by: history.total.years.filter { !excluded.contains($0) }) {
          warnings.append(
            "warning: the fit window crosses a break in the series: \(brk.description) "
              + "(exclude years with --exclude-years, or start the history later)")
        }
        let fits = try history.allSeries.map {
          try TrendFit.fit($0.through(lastYear, excluding: excluded), horizon: horizon)
        }
        files.merge(CalibrationOutput.trendTables(fits, horizon: horizon)) { $1 }
        methods.append("trend of the series (exponentially weighted growth), from \(historyPath)")
      }
      for warning in warnings { printError(warning) }
      let command = (["hnb", "fit"] + inputs.arguments + ["--horizon", "\(horizon)"]).joined(separator: " ")
      files["manifest.json"] = try CalibrationOutput.manifest(
        command: command, inputs: inputs.files, inputRows: rows, warnings: warnings,
        outputs: Array(files.keys) + ["manifest.json"], method: methods.joined(separator: "; "))
      try OutputDirectory.write(files, to: out, inputs: inputs.files)
      for method in methods { print("method: \(method)") }
      print("wrote \(files.count) files to \(out)")
    }
  }
}
