import Foundation
import Testing

/// End-to-end: `hnb backtest` and `hnb fit` on the shipped history.
@Suite struct CalibrationCommandTests {
  @Test func backtestWritesForecastsBaselinesAndASummary() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--new-plans",
      "Calibration/data/sutton_new_plans.csv", "--fit-through", "2019-2022", "--horizon", "3", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("method: trend"))
    #expect(result.stdout.contains("total last_growth: MAPE h1"))
    #expect(result.stderr.contains("warning:") && result.stderr.contains("statements were transferred"))
    let rows = try HNBCommand.readCSV(out + "/backtest.csv")
    #expect(rows.count == 4 * 3)
    #expect(rows.allSatisfy { ($0["level"] ?? "") == "total" && !($0["p10"] ?? "").isEmpty })
    let summary = try HNBCommand.readCSV(out + "/summary.csv")
    #expect(
      Set(summary.compactMap { $0["method"] }) == ["trend", "last_value", "last_growth", "linear_trend", "stock_flow"])
    #expect(try HNBCommand.readCSV(out + "/candidates.csv").count == 4 * 3)
    #expect(result.stdout.contains("total stock_flow: MAPE h1"))
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("\"tool\" : \"hnb\""))
    #expect(manifest.contains("Calibration/data/sutton_history.csv"))
  }

  @Test func fitFromTotalsOnlySaysWhichMethodItUsed() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/england_history.csv", "--exclude-years", "2010-2018", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("method: trend of the series"))
    #expect(!result.stderr.contains("statements were transferred"))
    let forecast = try HNBCommand.readCSV(out + "/forecast.csv")
    #expect(forecast.map { $0["year"] ?? "" } == ["2026", "2027", "2028"])
  }

  @Test func aBadRangeIsAUsageError() throws {
    let result = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2022-2019", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--fit-through"))
  }

  @Test func fitFromTransitionsWritesScenarioInputsAScenarioCanExtend() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--population", fixtures + "population_small.csv", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("2199 rows read, 2196 used, 3 rejected"))
    #expect(result.stdout.contains("rejected 3: same curriculum year in both states (held back)"))
    for file in ["cessation.csv", "transitions.csv", "incidence.csv", "new_plan_mix.csv", "transitions_posterior.csv"] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
    }
    // A scenario extending the Sutton baseline and the fit validates.
    let baseline = HNBCommand.root.appendingPathComponent("Scenarios/sutton/baseline.yaml").path
    try "name: calibrated\nkind: scenario\nextends: [\(baseline), calibration.yaml]\n".write(
      toFile: out + "/calibrated.yaml", atomically: true, encoding: .utf8)
    let validate = try HNBCommand.run(["validate", out + "/calibrated.yaml"])
    #expect(validate.status == 0, "\(validate.stderr)")
  }

  @Test func unknownCodesWithoutAMappingExit65() throws {
    let result = try HNBCommand.run([
      "fit", "--transitions", "Tests/HighNeedsTests/Fixtures/calibration/transitions_small.csv", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("transitions_small.csv:2:2") && result.stderr.contains("'MS' (no --mapping given)"))
  }

  @Test func fitFromAggregatesAndPopulationWritesRatesAScenarioCanExtend() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", fixtures + "aggregate_bands.csv", "--population", fixtures + "aggregate_population.csv",
      "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("method: aggregate: incidence and cessation by constrained least squares"))
    let bands = try HNBCommand.readCSV(out + "/aggregate_fit.csv")
    #expect(bands.map { $0["band"] ?? "" } == ["under 5", "5-10", "11-15", "16-19", "20-25"])
    #expect(bands.allSatisfy { (0...1).contains(Double($0["cessation_rate"] ?? "") ?? -1) })
    let yaml = try String(contentsOfFile: out + "/calibration.yaml", encoding: .utf8)
    #expect(yaml.contains("incidence_trend_fraction_per_year"))
    let baseline = HNBCommand.root.appendingPathComponent("Scenarios/sutton/baseline.yaml").path
    try "name: calibrated\nkind: scenario\nextends: [\(baseline), calibration.yaml]\n".write(
      toFile: out + "/calibrated.yaml", atomically: true, encoding: .utf8)
    let validate = try HNBCommand.run(["validate", out + "/calibrated.yaml"])
    #expect(validate.status == 0, "\(validate.stderr)")
  }

  @Test func fitFromTotalsWithoutPopulationSaysSo() throws {
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history.csv", "--exclude-years", "2010-2018", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("no --population") && result.stderr.contains("only the trend"))
  }
}
