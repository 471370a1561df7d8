import Foundation
import Testing
import TestSupport

@testable import HighNeeds

/// A synthetic panel: LA `i`'s log growth in year `t` is England's `g_E(t)` plus a lasting
/// deviation `α_i ~ N(0, τ²)` plus noise `e_it ~ N(0, σ²)`, so the best weight on an LA's last
/// deviation is `τ² / (τ² + σ²)`.
enum SyntheticPanel {
  static func normal(_ rng: inout SplitMix64) -> Double {
    let u = (Double(rng.next() >> 11) + 0.5) / 9_007_199_254_740_992
    let v = (Double(rng.next() >> 11) + 0.5) / 9_007_199_254_740_992
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }

  static func make(
    las: Int, years: ClosedRange<Int>, tau: Double, sigma: Double, size: ClosedRange<Double> = 1e6...1e6,
    seed: UInt64 = 1
  ) -> Panel {
    var rng = SplitMix64(seed: seed)
    var series: [PanelSeries] = []
    for i in 0..<las {
      let alpha = tau * normal(&rng)
      let start = size.lowerBound + (size.upperBound - size.lowerBound) * Double(i) / Double(max(las - 1, 1))
      var plans: [Int: Double] = [:]
      var newPlans: [Int: Double] = [:]
      var bands: [Int: [Double]] = [:]
      var logP = log(start)
      for year in years {
        if year > years.lowerBound {
          let national = 0.04 + 0.03 * sin(Double(year))
          logP += national + alpha + sigma * normal(&rng)
        }
        plans[year] = exp(logP)
        newPlans[year] = exp(logP) * 0.12
        // Age bands that add up to the total, their shares moving with the LA and year (no
        // draws from `rng`, so the totals are as they were before bands were added).
        let shares = (0..<5).map { b in [0.05, 0.35, 0.35, 0.17, 0.08][b] * (1 + 0.2 * sin(Double(i + 3 * b + year))) }
        bands[year] = shares.map { exp(logP) * $0 / shares.reduce(0, +) }
      }
      series.append(
        PanelSeries(
          code: String(format: "L%04d", i), region: i % 2 == 0 ? "North" : "South", plans: plans, newPlans: newPlans,
          bands: bands))
    }
    return Panel(file: "synthetic", series: series)
  }
}

@Suite struct PanelBacktestTests {
  @Test func theShrinkageWeightIsRecoveredOnASyntheticPanel() {
    // τ = σ: half of an LA's last deviation from England lasts.
    for (tau, sigma) in [(0.03, 0.03), (0.02, 0.04)] {
      let panel = SyntheticPanel.make(las: 1500, years: 2000...2012, tau: tau, sigma: sigma)
      let fit = PooledFit.fit(panel, origin: 2012, horizon: 1)
      let expected = tau * tau / (tau * tau + sigma * sigma)
      #expect(abs(fit.shrinkWeight - expected) < 0.03, "β \(fit.shrinkWeight), expected \(expected)")
      // No regional effect was generated: the region's weight is free, the LA's is the same β.
      #expect(abs(fit.localWeight - expected) < 0.03)
    }
  }

  @Test func withNoLastingDeviationTheForecastIsEnglandsGrowth() {
    let panel = SyntheticPanel.make(las: 1500, years: 2000...2012, tau: 0, sigma: 0.03)
    let fit = PooledFit.fit(panel, origin: 2012, horizon: 1)
    #expect(abs(fit.shrinkWeight) < 0.03)
  }

  @Test func aForecastAtAnOriginReadsNothingAfterIt() throws {
    let panel = SyntheticPanel.make(las: 60, years: 2010...2025, tau: 0.03, sigma: 0.05, size: 20...5000)
    let origin = 2019
    var changed = panel
    for i in changed.series.indices {
      for year in (origin + 1)...2025 {
        changed.series[i].plans[year] = (changed.series[i].plans[year] ?? 0) * (i % 3 == 0 ? 3 : 0.2)
        changed.series[i].newPlans[year] = 1
        changed.series[i].bands[year] = [1, 2, 3, 4, 5]
      }
    }
    changed.series[0].plans[2024] = nil
    changed.series[1].bands[2023] = nil
    let before = PanelBacktest.forecasts(panel: panel, origin: origin, horizon: 3)
    let after = PanelBacktest.forecasts(panel: changed, origin: origin, horizon: 3)
    #expect(!before.rows.isEmpty && before.rows.count == after.rows.count)
    #expect(before.rows == after.rows)
    #expect(before.rules.map(\.rule) == after.rules.map(\.rule))
    // Every pooled method is forecast, with an interval, and the band models by their bands.
    for method in PooledMethod.allCases {
      #expect(before.rows.contains { $0.method == method.rawValue && $0.p10 != nil }, "\(method)")
    }
    let shrink = before.rows.filter { $0.method == PooledMethod.shrink.rawValue }.map(\.forecast)
    for method in [PooledMethod.age, .cohort, .cohortAverage] {
      #expect(before.rows.filter { $0.method == method.rawValue }.map(\.forecast) != shrink, "\(method)")
    }
    // The backtest's cached fits give the same forecasts as fitting afresh.
    let fits = PanelBacktest.fits(panel, through: origin, horizon: 3)
    #expect(PanelBacktest.forecasts(panel: panel, origin: origin, horizon: 3, fits: fits).rows == before.rows)
    // And a change at the origin itself does move them (the test can fail).
    var atOrigin = panel
    atOrigin.series[0].plans[origin] = (atOrigin.series[0].plans[origin] ?? 0) * 2
    #expect(PanelBacktest.forecasts(panel: atOrigin, origin: origin, horizon: 3).rows != before.rows)
    // As does a change to the bands at the origin, in the band models' forecasts.
    var bandsAtOrigin = panel
    bandsAtOrigin.series[0].bands[origin] = bandsAtOrigin.series[0].bands[origin].map { b in b.map { $0 * 2 } }
    let moved = PanelBacktest.forecasts(panel: bandsAtOrigin, origin: origin, horizon: 3).rows
    #expect(moved.filter { $0.method == "pooled_cohort" } != before.rows.filter { $0.method == "pooled_cohort" })
  }

  @Test func theSummaryGivesMediansByOriginAndHorizon() throws {
    let panel = SyntheticPanel.make(las: 41, years: 2010...2016, tau: 0.03, sigma: 0.05, size: 60...3000)
    let backtest = try PanelBacktest.run(panel: panel, fitThrough: 2013...2014, horizon: 2)
    let lastValue = backtest.rows.filter { $0.method == "last_value" && $0.fitThrough == 2013 && $0.horizon == 1 }
    #expect(lastValue.count == 41)
    let errors = panel.series.map { s in abs(s.plans[2013]! - s.plans[2014]!) / s.plans[2014]! * 100 }.sorted()
    let row = try #require(
      backtest.summary.first { $0.fitThrough == 2013 && $0.horizon == 1 && $0.method == "last_value" })
    #expect(abs(row.median - errors[20]) < 1e-9)
    let overall = try #require(
      backtest.summary.first { $0.fitThrough == nil && $0.horizon == 2 && $0.method == "trend" })
    #expect(overall.forecasts == 82)
    let growth = try #require(
      backtest.summary.first { $0.fitThrough == nil && $0.horizon == 1 && $0.method == "last_growth" })
    #expect(growth.ratioToLastGrowth == 1)
    #expect(backtest.summary.contains { $0.method == "pooled_shrink" && $0.coverage != nil })
  }

  @Test func aHistoryIsForecastFromThePanelUpToItsLastCensus() throws {
    let panel = SyntheticPanel.make(las: 300, years: 2010...2020, tau: 0.03, sigma: 0.03, size: 100...5000)
    let history = PlanSeries(level: "total", years: Array(2010...2016), plans: [100, 104, 110, 113, 121, 125, 140])
    let pooled = try PooledForecast.make(series: history, panel: panel, horizon: 3)
    #expect(pooled.origin == 2016)
    let fit = PooledFit.fit(panel, origin: 2016, horizon: 3)
    let gE = try #require(PanelAggregates(panel.through(2016)).nationalGrowth[2016])
    let d = log(140.0 / 125) - gE
    let expected = gE + fit.shrinkWeight * 140 / (140 + fit.shrinkSize) * d
    #expect(abs(pooled.growth - expected) < 1e-12)
    #expect(abs(pooled.forecasts[2].forecast - 140 * exp(3 * expected)) < 1e-9)
    #expect(pooled.forecasts.allSatisfy { ($0.p10 ?? .nan) < $0.forecast && $0.forecast < ($0.p90 ?? .nan) })
    #expect((pooled.growthFractionSD ?? 0) > 0)
    // The panel after the history's last census is not read.
    let truncated = try PooledForecast.make(series: history, panel: panel.through(2016), horizon: 3)
    #expect(truncated.forecasts == pooled.forecasts && truncated.growth == pooled.growth)
    let tables = CalibrationOutput.pooledTables(pooled, command: "hnb fit")
    #expect(tables["pooled_trend.yaml"]?.contains("value: \(NumberFormat.fraction(exp(expected) - 1))") == true)
  }

  @Test func originsOutsideThePanelAreRefused() {
    let panel = SyntheticPanel.make(las: 5, years: 2010...2016, tau: 0.03, sigma: 0.05)
    let message = thrownMessage { _ = try PanelBacktest.run(panel: panel, fitThrough: 2010...2015, horizon: 1) }
    #expect(message?.contains("--fit-through") == true && message?.contains("origins from 2011 to 2015") == true)
  }
}

@Suite struct PanelReadingTests {
  func write(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("panel-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func aMinimalPanelIsLaCodeYearAndPlans() throws {
    let panel = try Panel.read(path: try write("la_code,year,plans\nA,2019,10\nA,2020,12\nB,2019,5\n"))
    #expect(panel.series.map(\.code) == ["A", "B"])
    #expect(panel.series[0].plans == [2019: 10, 2020: 12])
    #expect(panel.series[0].region == "")
  }

  @Test func anEmptyValueIsAGapWithItsFlagAndNeverZero() throws {
    let path = try write(
      "la_code,region,year,plans,plans_flag,new_plans_prior_year,new_plans_prior_year_flag\n"
        + "A,North,2019,10,,3,\nA,North,2020,,x,,not_published\n")
    let panel = try Panel.read(path: path)
    #expect(panel.series[0].plans == [2019: 10])
    #expect(panel.series[0].newPlans == [2019: 3])
    let bands = try write(
      "la_code,year,plans,plans_under_5,plans_5_10,plans_11_15,plans_16_19,plans_20_25,plans_20_25_flag\n"
        + "A,2019,10,1,2,3,4,0,\nA,2020,12,1,2,3,4,,x\n")
    #expect(try Panel.read(path: bands).series[0].bands == [2019: [1, 2, 3, 4, 0]])
    let unflagged = try write("la_code,year,plans,plans_flag\nA,2019,,\n")
    let message = thrownMessage { _ = try Panel.read(path: unflagged) }
    #expect(message?.contains(":2:3") == true && message?.contains("plans_flag") == true, "\(message ?? "")")
  }

  @Test func badPanelsAreRefusedNamingTheCell() throws {
    let cases: [(String, String)] = [
      ("la_code,year,plans,colour\nA,2019,1,red\n", "colour"),
      ("la_code,year\nA,2019\n", "no plans column"),
      ("la_code,year,plans\nA,2019,1\nA,2019,2\n", "LA A, 2019 again"),
      ("la_code,region,year,plans\nA,N,2019,1\nA,S,2020,2\n", "one region for LA A"),
      ("la_code,year,plans\nA,2019,-1\n", "a count"),
    ]
    for (text, expected) in cases {
      let path = try write(text)
      let message = thrownMessage { _ = try Panel.read(path: path) }
      #expect(message?.contains(expected) == true, "\(message ?? "no error") for \(text)")
    }
  }

  @Test func theBundledPanelHasEveryLAAndItsReorganisations() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let panel = try Panel.read(path: root.appendingPathComponent(Panel.bundledPath).path)
    #expect(panel.series.count == 158)
    #expect(panel.years == Array(2010...2025))
    let sutton = try #require(panel.series.first { $0.code == "319" })
    #expect(sutton.plans[2025] == 2582 && sutton.newPlans[2025] == 390 && sutton.region == "London")
    // Its bands add up to its total; 2023 has none (no public age table).
    #expect(sutton.bands[2025]?.reduce(0, +) == 2582 && sutton.bands[2023] == nil && sutton.bands.count == 15)
    // Dorset 835 ends in 2019 and its successor 838 starts in 2020: no spliced series.
    #expect(panel.series.first { $0.code == "835" }?.plans.keys.max() == 2019)
    #expect(panel.series.first { $0.code == "838" }?.plans.keys.min() == 2020)
  }
}
