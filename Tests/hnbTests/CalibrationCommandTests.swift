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
    #expect(rows.allSatisfy { ($0["level"] ?? "") == "total" && !($0["p10_plans"] ?? "").isEmpty })
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
    #expect(result.stdout.contains("method: trend of the total"))
    #expect(!result.stderr.contains("statements were transferred"))
    let forecast = try HNBCommand.readCSV(out + "/forecast.csv")
    #expect(forecast.map { $0["year"] ?? "" } == ["2026", "2027", "2028"])
  }

  @Test func fitByAgeAndPlacementSplitsTheTotalTopDown() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history_detail.csv", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("age bands and placement groups as shares of it (top-down)"))
    // The public age table has no 2023: a note, not zero plans.
    #expect(result.stderr.contains("note: age:5-10 has no rows for census year 2023"))
    let forecast = try HNBCommand.readCSV(out + "/forecast.csv")
    func value(_ row: [String: String]) -> Double { Double(row["forecast_plans"] ?? "") ?? .nan }
    for year in ["2026", "2027", "2028"] {
      let rows = forecast.filter { $0["year"] == year }
      let total = value(try #require(rows.first { $0["level"] == "total" }))
      // The placement groups add up to the total in 2025, so their forecasts add up to its forecast.
      let groups = rows.filter { ($0["level"] ?? "").hasPrefix("placement:") }
      #expect(groups.count == 6)
      #expect(abs(groups.map(value).reduce(0, +) - total) < 0.01)
      let bands = rows.filter { ($0["level"] ?? "").hasPrefix("age:") }
      #expect(bands.count == 5)
    }
    let shares = try HNBCommand.readCSV(out + "/shares.csv")
    let mainstream = try #require(shares.first { $0["level"] == "placement:mainstream_and_rp" })
    // 1,284 of 2,582 plans in January 2025.
    #expect(mainstream["share_fraction"] == "0.497289")
    #expect(mainstream["last_census_fitted"] == "2025")
  }

  @Test func fitWithNewPlansWritesTheStockFlowFit() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/england_history.csv", "--new-plans",
      "Calibration/data/england_new_plans.csv", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("method: trend of the total"))
    #expect(
      result.stdout.contains("method: stock_flow") && result.stdout.contains("S(Y+1) = S(Y)·(1 − leaveRate) + N(Y)"))
    // Calendar 2009 has no census pair in a history from 2010.
    #expect(result.stdout.contains("new plans: 16 years read, 15 used") && result.stdout.contains(": 2009"))
    // One row per census pair 2010→2011 … 2024→2025, each rate 1 − (S(Y+1) − N(Y)) / S(Y).
    let pairs = try HNBCommand.readCSV(out + "/stock_flow.csv")
    #expect(pairs.map { $0["census_year"] ?? "" } == (2010...2024).map(String.init))
    for pair in pairs {
      let plans = try #require(Double(pair["plans_at_census"] ?? ""))
      let next = try #require(Double(pair["plans_at_next_census"] ?? ""))
      let new = try #require(Double(pair["new_plans_in_calendar_year"] ?? ""))
      let rate = try #require(Double(pair["implied_leave_rate_fraction"] ?? ""))
      #expect(abs(rate - (1 - (next - new) / plans)) < 1e-6, "\(pair)")
    }
    #expect(
      pairs.first?["plans_at_census"] == "228221.000" && pairs.first?["new_plans_in_calendar_year"] == "25887.000")
    let fit = try #require(try HNBCommand.readCSV(out + "/stock_flow_fit.csv").first)
    #expect(fit["fit_through"] == "2025" && fit["pairs_fitted"] == "15" && fit["base_calendar_year"] == "2024")
    let window = try #require(Int(fit["window_pairs"] ?? ""))
    #expect([1, 2, 3].contains(window) && ["0.00", "0.50", "0.80"].contains(fit["decay"] ?? ""))
    #expect(pairs.map { $0["in_leave_rate_window"] == "true" } == (0..<15).map { $0 >= 15 - window })
    let inWindow = pairs.suffix(window).compactMap { Double($0["implied_leave_rate_fraction"] ?? "") }
    let leaveRate = try #require(Double(fit["leave_rate_fraction_per_year"] ?? ""))
    #expect(abs(leaveRate - inWindow.reduce(0, +) / Double(window)) < 1e-6)
    let growth = try #require(Double(fit["new_plan_growth_log_per_year"] ?? ""))
    // S(2026) = S(2025) · (1 − leaveRate) + N(2024) · exp(growth).
    let forecast = try HNBCommand.readCSV(out + "/stock_flow_forecast.csv")
    #expect(forecast.map { $0["year"] ?? "" } == ["2026", "2027", "2028"])
    // p10 < forecast < p90, from the fit's own in-window errors.
    #expect(
      forecast.allSatisfy { row in
        guard let p10 = Double(row["p10_plans"] ?? ""), let value = Double(row["forecast_plans"] ?? ""),
          let p90 = Double(row["p90_plans"] ?? "")
        else { return false }
        return row["level"] == "total" && p10 < value && value < p90
      })
    let first = try #require(Double(forecast.first?["forecast_plans"] ?? ""))
    #expect(abs(first - (638745 * (1 - leaveRate) + 97747 * exp(growth))) < 1)
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("stock_flow (a candidate beside the trend)"))
    for file in ["stock_flow.csv", "stock_flow_fit.csv", "stock_flow_forecast.csv", "forecast.csv", "trend.csv"] {
      #expect(manifest.contains("\"\(file)\""), "\(file)")
    }
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
    let rows = try #require(json["input_rows"] as? [String: [String: Int]])
    #expect(rows["Calibration/data/england_new_plans.csv"] == ["data_rows_read": 16, "data_rows_not_used": 1])
  }

  @Test func fitWithTooFewNewPlansSaysWhichYearsAreMissing() throws {
    let directory = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let newPlans = directory + "/new_plans.csv"
    try "year,plans_new\n2009,26494\n2024,97747\n".write(toFile: newPlans, atomically: true, encoding: .utf8)
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/england_history.csv", "--new-plans", newPlans, "--exclude-years",
      "2010-2018", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("error: \(newPlans): plans_new: expected new plans"))
    #expect(result.stderr.contains("found 1 usable pair of the 6 consecutive fitted census pairs"))
    #expect(result.stderr.contains("no new plans (or 0) for calendar years 2019, 2020, 2021, 2022, 2023"))
  }

  @Test func newPlansWithoutAHistoryAreAUsageError() throws {
    let result = try HNBCommand.run([
      "fit", "--transitions", "Tests/HighNeedsTests/Fixtures/calibration/transitions_small.csv", "--new-plans",
      "Calibration/data/england_new_plans.csv", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--new-plans") && result.stderr.contains("give --history too"))
  }

  /// The transition fit uses no census years, so `--exclude-years` without `--history` would be
  /// ignored: it is refused.
  @Test func excludedYearsWithoutAHistoryAreAUsageError() throws {
    let result = try HNBCommand.run([
      "fit", "--transitions", "Tests/HighNeedsTests/Fixtures/calibration/transitions_small.csv", "--exclude-years",
      "2019", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--exclude-years") && result.stderr.contains("Give --history too"))
  }

  @Test func aBadRangeIsAUsageError() throws {
    let result = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2022-2019", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--fit-through"))
  }

  /// Copies the Sutton baseline and its data into `directory`, for a scenario there to extend.
  static func copySuttonBaseline(to directory: String) throws {
    let sutton = HNBCommand.root.appendingPathComponent("Scenarios/sutton")
    for item in ["baseline.yaml", "data"] {
      try FileManager.default.copyItem(
        at: sutton.appendingPathComponent(item), to: URL(fileURLWithPath: directory).appendingPathComponent(item))
    }
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
    // A scenario extending the Sutton baseline (a copy beside it: extends reads only inside the
    // scenario's folders) and the fit validates.
    try Self.copySuttonBaseline(to: out)
    try "name: calibrated\nkind: scenario\nextends: [baseline.yaml, calibration.yaml]\n".write(
      toFile: out + "/calibrated.yaml", atomically: true, encoding: .utf8)
    let validate = try HNBCommand.run(["validate", out + "/calibrated.yaml"])
    #expect(validate.status == 0, "\(validate.stderr)")
    // The posterior reaches a sweep of that scenario through calibration.yaml's uncertainty.
    let yaml = try String(contentsOfFile: out + "/calibration.yaml", encoding: .utf8)
    for key in [
      "uncertainty:", "transition_concentration:", "new_plan_mix_concentration:", "id: calibration_cessation",
      "id: calibration_incidence",
    ] {
      #expect(yaml.contains(key), "\(key)")
    }
    let sweep = try HNBCommand.run([
      "sweep", out + "/calibrated.yaml", "--draws", "40", "--seed", "3", "--out", out + "/sweep",
    ])
    #expect(sweep.status == 0, "\(sweep.stderr)")
    let manifest = try String(contentsOfFile: out + "/sweep/manifest.json", encoding: .utf8)
    #expect(manifest.contains("calibration_cessation") && manifest.contains("calibration_incidence"))
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
    try Self.copySuttonBaseline(to: out)
    try "name: calibrated\nkind: scenario\nextends: [baseline.yaml, calibration.yaml]\n".write(
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

  @Test func backtestOfTransitionsWritesForecastsAgainstTheActualStock() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let out = HNBCommand.freshDirectory()
    let arguments = [
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--population", fixtures + "population_small.csv", "--fit-through", "2023", "--horizon", "1", "--draws", "50",
      "--out", out,
    ]
    let result = try HNBCommand.run(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("method: transitions:") && result.stdout.contains("fitted incidence × population"))
    #expect(result.stdout.contains("total transitions: MAPE h1"))
    let rows = try HNBCommand.readCSV(out + "/backtest.csv")
    let total = try #require(rows.first { $0["level"] == "total" })
    #expect(total["fit_through"] == "2023" && total["year"] == "2024" && total["horizon"] == "1")
    let actual = try #require(Double(total["actual_plans"] ?? ""))
    let forecast = try #require(Double(total["forecast_plans"] ?? ""))
    let p10 = try #require(Double(total["p10_plans"] ?? ""))
    let p90 = try #require(Double(total["p90_plans"] ?? ""))
    #expect(p10 < forecast && forecast < p90)
    let error = try #require(Double(total["abs_pct_error"] ?? ""))
    #expect(abs(error - abs(forecast - actual) / actual * 100) < 0.01)
    // The actual stock of census 2024 is the state 2 of calendar year 2023 in the fixture.
    let fixture = try String(
      contentsOf: HNBCommand.root.appendingPathComponent(fixtures + "transitions_small.csv"), encoding: .utf8)
    let inSend = fixture.split(separator: "\n").filter { line in
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      return f.count == 7 && f[0] == "2023" && f[4] != "NONSEND" && f[3] != f[6]
    }
    #expect(actual == Double(inSend.count))
    #expect(rows.contains { $0["level"] == "group:maintained_special" })
    let summary = try HNBCommand.readCSV(out + "/summary.csv")
    #expect(Set(summary.compactMap { $0["method"] }) == ["transitions", "last_value", "last_growth", "linear_trend"])
    #expect(try HNBCommand.readCSV(out + "/baselines.csv").count == 3 * rows.count)
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("\"seed\" : 1") && manifest.contains("\"draws\" : 50"))
    #expect(manifest.contains("incidence_x_population"))
    // Deterministic: the same command writes the same forecasts.
    let again = HNBCommand.freshDirectory()
    let second = try HNBCommand.run(Array(arguments.dropLast()) + [again])
    #expect(second.status == 0)
    #expect(
      try String(contentsOfFile: out + "/backtest.csv", encoding: .utf8)
        == String(contentsOfFile: again + "/backtest.csv", encoding: .utf8))
  }

  @Test func backtestOfTransitionsWithoutPopulationSaysWhereJoinersCameFrom() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--fit-through", "2023", "--horizon", "1", "--draws", "20", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("mean joiners per year of the fit window"))
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("mean_of_fit_window"))
  }

  /// An origin one transition year after the file's first forecasts, and the terminal and
  /// `fits.csv` say its pooling strengths are the stated default.
  @Test func backtestOfTransitionsFromOneTransitionYear() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--population", fixtures + "population_small.csv", "--fit-through", "2022-2023", "--horizon", "1", "--draws",
      "20", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains(
        "origin 2022: one transition year (2021), so the pooling strengths are the stated default 10"))
    let fits = try HNBCommand.readCSV(out + "/fits.csv")
    #expect(fits.map { $0["fit_through"] } == ["2022", "2023"])
    #expect(fits.map { $0["strength_rule"] } == ["stated_default", "leave_one_year_out"])
    #expect(fits.first?["cessation_strength_children"] == "10.0" && fits.first?["transition_years"] == "1")
    let rows = try HNBCommand.readCSV(out + "/backtest.csv")
    #expect(rows.contains { $0["fit_through"] == "2022" && $0["level"] == "total" && $0["year"] == "2023" })
    // Every baseline forecast is either scored or listed as not available with its reason.
    let baselines = try HNBCommand.readCSV(out + "/baselines.csv")
    let missing = try HNBCommand.readCSV(out + "/not_available.csv")
    for row in rows {
      for method in ["last_value", "last_growth", "linear_trend"] {
        let scored = baselines.contains {
          $0["fit_through"] == row["fit_through"] && $0["level"] == row["level"] && $0["year"] == row["year"]
            && $0["baseline"] == method
        }
        let listed = missing.contains {
          $0["fit_through"] == row["fit_through"] && $0["level"] == row["level"] && $0["baseline"] == method
            && !($0["reason"] ?? "").isEmpty
        }
        #expect(scored != listed, "\(row) \(method)")
      }
    }
  }

  @Test func backtestOfTransitionsRejectsBadOriginsAndOptions() throws {
    let fixtures = "Tests/HighNeedsTests/Fixtures/calibration/"
    let early = try HNBCommand.run([
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--fit-through", "2021-2023", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(early.status == 65)
    #expect(early.stderr.contains("--fit-through: expected origins from 2022 to 2023"))
    #expect(early.stderr.contains("found 2021–2023"))
    let both = try HNBCommand.run([
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--history",
      "Calibration/data/sutton_history.csv", "--fit-through", "2023", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(both.status == 64 && both.stderr.contains("not both"))
    let seed = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--seed", "3", "--fit-through", "2022",
      "--out", HNBCommand.freshDirectory(),
    ])
    #expect(seed.status == 64 && seed.stderr.contains("--seed applies to a backtest of --transitions"))
    // The trend backtest reads no population: a --population with --history is refused, not ignored.
    let population = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--population",
      fixtures + "population_small.csv", "--fit-through", "2022", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(
      population.status == 64 && population.stderr.contains("--population applies to a backtest of --transitions"))
    let horizon = try HNBCommand.run([
      "backtest", "--transitions", fixtures + "transitions_small.csv", "--mapping", fixtures + "mapping_small.csv",
      "--fit-through", "2023", "--horizon", "0", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(
      horizon.status == 64
        && horizon.stderr.contains("'--horizon <horizon>': expected a whole number of years 1…20; found 0"))
  }

  @Test func backtestAllScoresEveryLAOfTheBundledPanel() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["backtest", "--all", "--fit-through", "2019", "--horizon", "1", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("pooled_shrink (the method): median MAPE h1"))
    #expect(result.stdout.contains("panel: Data/national/panel.csv, 158 LAs"))
    let errors = try HNBCommand.readCSV(out + "/panel_errors.csv")
    let method = errors.filter { $0["method"] == "pooled_shrink" }
    // Every LA with censuses 2018 and 2019 and a 2020 census: not Dorset, Poole, Bournemouth
    // (835-837 end in 2019) nor the LAs that begin later.
    #expect(method.count == 149)
    #expect(method.allSatisfy { !($0["p10_plans"] ?? "").isEmpty && $0["year"] == "2020" })
    let summary = try HNBCommand.readCSV(out + "/panel_summary.csv")
    #expect(Set(summary.compactMap { $0["fit_through"] }) == ["2019", "all"])
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("Data/national/panel.csv") && manifest.contains("pooled_shrink"))
  }

  @Test func backtestAllRefusesTheSingleSeriesOptionsAndABadPanel() throws {
    let history = try HNBCommand.run([
      "backtest", "--all", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2019", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(history.status == 64 && history.stderr.contains("--history does not apply to it"), "\(history.stderr)")
    let panelOnly = try HNBCommand.run([
      "backtest", "--panel", "Data/national/panel.csv", "--transitions", "t.csv", "--fit-through", "2019", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(panelOnly.status == 64 && panelOnly.stderr.contains("give --all or --history too"), "\(panelOnly.stderr)")
    let bad = try HNBCommand.run([
      "backtest", "--all", "--panel", "Calibration/data/sutton_history.csv", "--fit-through", "2019", "--out",
      HNBCommand.freshDirectory(),
    ])
    #expect(
      bad.status == 65 && bad.stderr.contains("sutton_history.csv:1: expected columns la_code,year,plans"),
      "\(bad.stderr)")
  }

  @Test func fitWithAPanelAloneWritesTheTotalsGrowthAsOneTrend() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history.csv", "--exclude-years", "2020-2025", "--panel",
      "Data/national/panel.csv", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("pooled_shrink (the pooled method) for the total"))
    let fit = try #require(try HNBCommand.readCSV(out + "/pooled_fit.csv").first)
    #expect(fit["fit_through"] == "2019")
    let growth = try #require(fit["growth_fraction_per_year"])
    let trend = try String(contentsOfFile: out + "/pooled_trend.yaml", encoding: .utf8)
    #expect(trend.contains("value: \(growth)"))
    #expect(trend.contains("sd: \(fit["growth_fraction_sd_per_year"] ?? "?")}"))
    #expect(trend.contains("Give --scenario FILE"))
    let refused = try HNBCommand.run([
      "fit", "--panel", "Data/national/panel.csv", "--transitions", "t.csv", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(refused.status == 64 && refused.stderr.contains("give --history too"), "\(refused.stderr)")
    let noPanel = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history.csv", "--scenario",
      "Scenarios/sutton/retrospective/baseline_2019.yaml", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(noPanel.status == 64 && noPanel.stderr.contains("give --history and --panel too"), "\(noPanel.stderr)")
    // A scenario from another census than the history's last is refused, naming its key.
    let otherCensus = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history.csv", "--panel", "Data/national/panel.csv", "--scenario",
      "Scenarios/sutton/retrospective/baseline_2019.yaml", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(
      otherCensus.status == 65 && otherCensus.stderr.contains("time.base_census_year")
        && otherCensus.stderr.contains("2025"), "\(otherCensus.stderr)")
  }

  /// `hnb fit --panel --scenario` for Sutton's January 2019 retrospective writes the trend the
  /// pooled retrospective extends, which validates and whose total is the forecast path.
  @Test func fitForTheRetrospectiveScenarioWritesTheTrendItsPooledScenarioExtends() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "fit", "--history", "Calibration/data/sutton_history.csv", "--exclude-years", "2020-2025", "--panel",
      "Data/national/panel.csv", "--scenario", "Scenarios/sutton/retrospective/baseline_2019.yaml", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let written = try String(contentsOfFile: out + "/pooled_trend.yaml", encoding: .utf8)
    let shipped = try String(
      contentsOfFile: HNBCommand.root.path + "/Scenarios/sutton/retrospective/data/pooled_trend_2019.yaml",
      encoding: .utf8)
    #expect(written == shipped)
    #expect(written.contains("\"2025\": {value:") && written.contains("id: caseload_growth"))
    let validate = try HNBCommand.run(["validate", "Scenarios/sutton/retrospective/pooled_2019.yaml"])
    #expect(validate.status == 0, "\(validate.stderr)")
    let runOut = HNBCommand.freshDirectory()
    let run = try HNBCommand.run([
      "run", "Scenarios/sutton/retrospective/pooled_2019.yaml", "--as-of", "2026-01-15", "--out", runOut,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    // The forecast total at January 2025 is in the file's comment; the model reaches it.
    let rows = try HNBCommand.readCSV(runOut + "/outturn.csv")
    let total = try #require(rows.first { $0["year"] == "2025" && $0["measure"] == "total_plans" })
    let forecast = try #require(Double(total["forecast"] ?? ""))
    #expect(written.contains("2025 \(Int(forecast.rounded()))"), "\(forecast)")
  }

  /// The fit's series for an LA's generated scenario is the one `hnb init` wrote in it: the same
  /// code (`GrowthSeries`) from the same panel and the scenario's own inputs.
  @Test func fitsSeriesForAGeneratedScenarioIsInitsSeries() throws {
    let folder = try Self.medwayHistoryFolder()
    let out = folder + "/fit"
    let result = try HNBCommand.run([
      "fit", "--history", folder + "/medway.csv", "--panel", "Data/national/panel.csv", "--scenario",
      "Scenarios/medway/generated/baseline.yaml", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let written = try String(contentsOfFile: out + "/pooled_trend.yaml", encoding: .utf8)
    let generated = try String(
      contentsOfFile: HNBCommand.root.path + "/Scenarios/medway/generated/baseline.yaml", encoding: .utf8)
    let sweep = try String(
      contentsOfFile: HNBCommand.root.path + "/Scenarios/medway/generated/sweep/uncertainty.yaml", encoding: .utf8)
    func values(_ text: String) -> [String] {
      text.split(separator: "\n").filter { $0.hasPrefix("    \"20") && $0.contains(": {value: ") }.map {
        String($0.prefix { $0 != "," })
      }
    }
    let fitted = values(written)
    #expect(fitted.count == 10)
    #expect(fitted == Array(values(generated).prefix(fitted.count)), "\(fitted) \(values(generated))")
    let distribution = try #require(written.split(separator: "\n").first { $0.contains("type: lognormal") })
    #expect(sweep.contains(distribution), "\(distribution)")
  }
  /// A fresh folder holding `medway.csv`, Medway's (887) totals from the bundled panel: the
  /// `--history` of its generated scenarios.
  static func medwayHistoryFolder() throws -> String {
    let panel = try String(contentsOfFile: HNBCommand.root.path + "/Data/national/panel.csv", encoding: .utf8)
    let history =
      "year,plans\n"
      + panel.split(separator: "\n").filter { $0.hasPrefix("887,") }.map { line -> String in
        let cells = line.split(separator: ",", omittingEmptySubsequences: false)
        return "\(cells[2]),\(cells[3])"
      }.joined(separator: "\n") + "\n"
    let folder = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try history.write(toFile: folder + "/medway.csv", atomically: true, encoding: .utf8)
    return folder
  }

  /// For a scenario whose new plans come from the assessment pipeline the fit writes the request
  /// trend: for Medway's generated pipeline (lag 0) it is init's series (to the rounding of the
  /// request rates init wrote), and with plans that start after the census (lag 0.4, where each
  /// year carries the year before's requests) a scenario that extends it follows the forecast.
  @Test func fitsRequestTrendMakesAPipelineScenarioFollowTheForecast() throws {
    let folder = try Self.medwayHistoryFolder()
    let generated = folder + "/generated"
    try FileManager.default.copyItem(
      atPath: HNBCommand.root.path + "/Scenarios/medway/generated", toPath: generated)
    func fit(_ scenario: String, out: String) throws -> String {
      let result = try HNBCommand.run([
        "fit", "--history", folder + "/medway.csv", "--panel", "Data/national/panel.csv", "--scenario",
        generated + "/" + scenario, "--out", generated + "/" + out,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stdout.contains("pipeline.yaml's request trend") || result.stdout.contains("lagged.yaml's request trend")
      )
      return try String(contentsOfFile: generated + "/" + out + "/pooled_trend.yaml", encoding: .utf8)
    }
    func values(_ text: String) -> [Double] {
      text.split(separator: "\n").filter { $0.hasPrefix("      \"20") && $0.contains(": {value: ") }.compactMap {
        Double($0.split(separator: "value: ").last?.prefix { $0 != "," } ?? "")
      }
    }
    let written = try fit("pipeline.yaml", out: "fit")
    #expect(written.contains("  pipeline:\n    requests_trend_fraction_per_year:\n"))
    let shipped = try String(contentsOfFile: generated + "/pipeline.yaml", encoding: .utf8)
    let (fitted, inits) = (values(written), values(shipped))
    #expect(fitted.count == 10 && inits.count == 10)
    for (a, b) in zip(fitted, inits) { #expect(abs(a - b) <= 5e-6, "\(fitted) \(inits)") }

    try """
    name: medway-lagged
    title: lagged
    extends: pipeline.yaml
    caseload:
      pipeline:
        lag_share: {value: 0.4, source: test}

    """.write(toFile: generated + "/lagged.yaml", atomically: true, encoding: .utf8)
    let lagged = try fit("lagged.yaml", out: "lagfit")
    try """
    name: medway-lagged-fitted
    title: lagged, fitted
    extends: [lagged.yaml, lagfit/pooled_trend.yaml]

    """.write(toFile: generated + "/fitted.yaml", atomically: true, encoding: .utf8)
    let runOut = folder + "/run"
    let run = try HNBCommand.run(["run", generated + "/fitted.yaml", "--out", runOut])
    #expect(run.status == 0, "\(run.stderr)")
    var totals: [String: Double] = [:]
    for row in try HNBCommand.readCSV(runOut + "/ehcp.csv") {
      totals[row["census_year"] ?? "", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    let path = try #require(lagged.split(separator: "\n").first { $0.hasPrefix("# Forecast total by January: ") })
    let forecast = path.dropFirst("# Forecast total by January: ".count).prefix { $0 != ";" }.split(separator: ",")
    #expect(forecast.count == 10)
    for entry in forecast {
      let parts = entry.split(separator: " ")
      let year = String(parts[0])
      let plans = try #require(Double(parts[1]))
      // Each year's multiplier is solved as if the year before's were the same (stable at any
      // lag share): the total follows the forecast to within the change in requests times the
      // plans carried, under 1% here.
      #expect(abs((totals[year] ?? .nan) - plans) <= 0.01 * plans, "\(year): \(totals[year] ?? .nan) against \(plans)")
    }
    // No year held at a bound, and no swings: each year's request trend within 5 points of the next.
    #expect(!lagged.contains("so the total leaves the forecast there"))
    let trends = values(lagged)
    #expect(trends.count == 10)
    for (a, b) in zip(trends, trends.dropFirst()) { #expect(abs(a - b) < 0.05, "\(trends)") }
  }

  @Test func backtestOfAHistoryWithAPanelScoresThePooledCandidate() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--panel", "Data/national/panel.csv",
      "--fit-through", "2019-2022", "--horizon", "3", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("total pooled_shrink: MAPE h1"))
    let pooled = try HNBCommand.readCSV(out + "/candidates.csv").filter { $0["candidate"] == "pooled_shrink" }
    #expect(pooled.count == 4 * 3 && pooled.allSatisfy { !($0["p10_plans"] ?? "").isEmpty })
    // The same forecasts as the panel backtest's rows of Sutton (319).
    let all = HNBCommand.freshDirectory()
    let panel = try HNBCommand.run(["backtest", "--all", "--fit-through", "2019-2022", "--horizon", "3", "--out", all])
    #expect(panel.status == 0, "\(panel.stderr)")
    let sutton = try HNBCommand.readCSV(all + "/panel_errors.csv").filter {
      $0["la_code"] == "319" && $0["method"] == "pooled_shrink"
    }
    #expect(sutton.map { $0["forecast_plans"] ?? "" } == pooled.map { $0["forecast_plans"] ?? "" })
  }

  // MARK: bad input (docs/BAD_INPUTS.md, F cases)

  /// Each way `hnb fit --panel --scenario` is refused gives the message and exit code of
  /// docs/BAD_INPUTS.md's F table, and writes nothing (`--out` does not appear).
  @Test func theFCasesGiveTheirMessages() throws {
    let documented = try HNBCommand.documentedCases("F")
    let fm = FileManager.default
    let dir = HNBCommand.freshDirectory()
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: dir) }
    let sutton = HNBCommand.root.path + "/Scenarios/sutton"
    try fm.copyItem(atPath: sutton + "/baseline.yaml", toPath: dir + "/baseline.yaml")
    try fm.copyItem(atPath: sutton + "/data", toPath: dir + "/data")
    let cessation = try String(contentsOfFile: dir + "/data/cessation.csv", encoding: .utf8)
    try (cessation + "16,fe_general,0.2\n").write(
      toFile: dir + "/data/cessation.csv", atomically: true, encoding: .utf8)
    // F04: every pipeline plan starting after the census; F07: requests given for every year.
    func pipeline(_ name: String, requests: String, lag: Int) throws {
      try """
      name: \(name)
      title: \(name)
      extends: baseline.yaml
      caseload:
        incidence: none
        incidence_trend_fraction_per_year: none
        pipeline:
          requests: {file: \(requests), source: test}
          refusals: {file: data/pipeline/refusals.csv, source: test}
          conversions: {file: data/pipeline/conversions.csv, source: test}
          lag_share: {value: \(lag), source: test}

      """.write(toFile: dir + "/\(name).yaml", atomically: true, encoding: .utf8)
    }
    try pipeline("late", requests: "data/pipeline/requests.csv", lag: 1)
    try pipeline("by_year", requests: "data/requests_by_year.csv", lag: 0)
    try ("census_year,age,rate\n" + (2026...2035).map { "\($0),0-25,0.01\n" }.joined()).write(
      toFile: dir + "/data/requests_by_year.csv", atomically: true, encoding: .utf8)
    let history = ["--history", "Calibration/data/sutton_history.csv"]
    let panel = ["--panel", "Data/national/panel.csv"]
    let out = ["--out", dir + "/out"]
    let arguments: [String: [String]] = [
      "F01": history + ["--scenario", "Scenarios/sutton/baseline.yaml"] + out,
      "F02": panel + ["--transitions", "t.csv"] + out,
      "F03": history + panel + ["--scenario", "Scenarios/sutton/retrospective/baseline_2019.yaml"] + out,
      "F04": history + panel + ["--scenario", dir + "/late.yaml"] + out,
      "F05": history + panel + ["--scenario", dir + "/baseline.yaml"] + out,
      "F06": history + panel + ["--scenario", dir + "/none.yaml"] + out,
      "F07": history + panel + ["--scenario", dir + "/by_year.yaml"] + out,
    ]
    #expect(documented.keys.sorted() == arguments.keys.sorted())
    for (id, args) in arguments.sorted(by: { $0.key < $1.key }) {
      let result = try HNBCommand.run(["fit"] + args)
      let expected = documented[id]
      #expect(result.status == expected?.status, "\(id): \(result.stderr)")
      #expect(result.stderr == (expected?.message.replacingOccurrences(of: "{dir}", with: dir) ?? "") + "\n", "\(id)")
      #expect(!fm.fileExists(atPath: dir + "/out"), "\(id) wrote its --out")
    }
  }
}
