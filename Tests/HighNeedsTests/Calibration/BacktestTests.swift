import Foundation
import Numerics
import Testing

@testable import HighNeeds

@Suite struct CalibrationBacktestTests {
  @Test func rollingOriginScoresEveryHeldOutYear() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("england_history.csv"))
    let backtest = try Backtest.run(history: history, fitThrough: 2019...2024, horizon: 3)
    let method = backtest.rows.filter { $0.method == Backtest.methodName }
    // Origins 2019–2022 reach 3 years ahead; 2023 two; 2024 one.
    #expect(method.count == 4 * 3 + 2 + 1)
    #expect(method.allSatisfy { $0.year == $0.fitThrough + $0.horizon && $0.year <= 2025 })
    #expect(backtest.rows.count == method.count * 4)
    let h1 = try #require(backtest.summary.first { $0.method == "last_value" && $0.horizon == 1 })
    let expected =
      (2019...2024).map { o in
        abs(history.total.plans(at: o)! - history.total.plans(at: o + 1)!) / history.total.plans(at: o + 1)! * 100
      }.reduce(0, +) / 6
    #expect(h1.meanAbsPercentError.isApproximatelyEqual(to: expected))
  }

  @Test func warnsWhenTheWindowCrossesAKnownBreak() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history.csv"))
    let crossing = try Backtest.run(history: history, fitThrough: 2023...2023, horizon: 1)
    #expect(crossing.warnings.contains { $0.contains("person-level") })
    #expect(crossing.warnings.contains { $0.contains("statements were transferred") })
    let trimmed = try Backtest.run(
      history: history, fitThrough: 2022...2022, horizon: 1, excluded: Set(2010...2018))
    #expect(trimmed.warnings.isEmpty)
  }

  @Test func aLevelWithAGapIsForecastFromItsLastCensusAndNotScoredInTheGap() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history_detail.csv"))
    let backtest = try Backtest.run(history: history, fitThrough: 2014...2023, horizon: 3)
    let band = backtest.rows.filter { $0.level == "age:11-15" && $0.fitThrough == 2023 }
    #expect(!backtest.rows.contains { $0.level == "age:11-15" && $0.year == 2023 })
    // At origin 2023 the band's last census is 2022: 2024 is two steps from it, labelled h1.
    let series = try #require(history.ageBands.first { $0.level == "age:11-15" })
    let total = history.total.through(2023)
    let totalFit = try TrendFit.fit(total, horizon: 3)
    let share = try TopDownFit.fit(series.through(2023), total: total, steps: 4)
    #expect(share.lastYear == 2022)
    let method = try #require(band.first { $0.method == Backtest.methodName && $0.year == 2024 })
    #expect(method.horizon == 1)
    let expected = try #require(totalFit.forecast(horizon: 1).first).forecast * share.share
    #expect(method.forecast.isApproximatelyEqual(to: expected, relativeTolerance: 1e-12))
    // The level's own trend, a candidate, also steps twice from 2022.
    let own = try TrendFit.fit(series.through(2022), horizon: 4)
    let candidate = try #require(band.first { $0.method == Backtest.levelTrendName && $0.year == 2024 })
    #expect(
      candidate.forecast.isApproximatelyEqual(to: own.lastPlans * exp(2 * own.growthRate), relativeTolerance: 1e-12))
    // Ages 20-25 start in 2015: no forecast before two censuses, and a note that says so.
    #expect(!backtest.rows.contains { $0.level == "age:20-25" && $0.fitThrough <= 2015 })
    #expect(backtest.rows.contains { $0.level == "age:20-25" && $0.fitThrough == 2016 })
    #expect(
      backtest.warnings.contains(
        "note: age:20-25 is not forecast at origins 2014, 2015: fewer than two census years with rows up to the origin")
    )
    #expect(backtest.warnings.contains { $0.hasPrefix("note: age:5-10 has no rows for census year 2023") })
  }

  @Test func originsWithoutLaterYearsAreRefused() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history.csv"))
    #expect(throws: InputError.self) { try Backtest.run(history: history, fitThrough: 2024...2025, horizon: 1) }
  }

  @Test func stockFlowRecoversAConstantLeaveRateAndNewPlanGrowth() throws {
    // S(Y+1) = 0.95·S(Y) + N(Y), N growing 10% a year.
    var plans = [1000.0]
    var newPlans: [Int: Double] = [:]
    for (k, year) in (2010...2019).enumerated() {
      newPlans[year] = 80 * pow(1.1, Double(k))
      plans.append(plans[k] * 0.95 + (newPlans[year] ?? 0))
    }
    let series = PlanSeries(level: "total", years: Array(2010...2020), plans: plans)
    let fit = try #require(StockFlowFit.fit(series, newPlans: newPlans, horizon: 2))
    #expect(fit.leaveRate.isApproximatelyEqual(to: 0.05, relativeTolerance: 1e-9))
    #expect(fit.newPlanGrowth.isApproximatelyEqual(to: log(1.1), relativeTolerance: 1e-9))
    let next = plans[10] * 0.95 + 80 * pow(1.1, 10)
    #expect(fit.forecast(horizon: 2)[0].isApproximatelyEqual(to: next, relativeTolerance: 1e-9))
    #expect(
      fit.forecast(horizon: 2)[1].isApproximatelyEqual(to: next * 0.95 + 80 * pow(1.1, 11), relativeTolerance: 1e-9))
    // The model never erred inside the window, so its interval is a point.
    #expect(fit.errorCounts.allSatisfy { $0 >= TrendFit.minimumErrors } && fit.logErrorSD.allSatisfy { $0 < 1e-9 })
    let interval = fit.intervalForecast(horizon: 2)
    #expect(interval.map(\.year) == [2021, 2022])
    #expect(interval[1].p90.map { $0.isApproximatelyEqual(to: interval[1].forecast, relativeTolerance: 1e-9) } == true)
  }

  @Test func stockFlowUsesOnlyNewPlansKnownAtTheOrigin() throws {
    var history = try AggregateHistory.read(
      path: try CalibrationFixtures.path("sutton_history.csv"),
      newPlansPath: try CalibrationFixtures.path("sutton_new_plans.csv"))
    let before = try Backtest.run(history: history, fitThrough: 2019...2021, horizon: 2)
    // New plans of calendar 2021 onwards are published with census 2022: no origin up to 2021 may use them.
    for year in 2021...2024 { history.newPlans[year] = 1 }
    let after = try Backtest.run(history: history, fitThrough: 2019...2021, horizon: 2)
    let flow = before.rows.filter { $0.method == Backtest.stockFlowName }
    #expect(flow.count == 3 * 2 && flow.allSatisfy { $0.level == "total" })
    #expect(flow == after.rows.filter { $0.method == Backtest.stockFlowName })
    // Its interval comes from its own in-window errors, as the trend's.
    #expect(flow.allSatisfy { ($0.p10 ?? .infinity) < $0.forecast && $0.forecast < ($0.p90 ?? 0) })
    #expect(before.summary.contains { $0.method == Backtest.stockFlowName && $0.coverage != nil })
  }

  @Test func stockFlowFromAnExcludedOriginCountsItsHorizonFromTheOrigin() throws {
    let history = try AggregateHistory.read(
      path: try CalibrationFixtures.path("sutton_history.csv"),
      newPlansPath: try CalibrationFixtures.path("sutton_new_plans.csv"))
    let backtest = try Backtest.run(history: history, fitThrough: 2021...2021, horizon: 2, excluded: [2021])
    let flow = backtest.rows.filter { $0.method == Backtest.stockFlowName }
    #expect(flow.map(\.year) == [2022, 2023] && flow.map(\.horizon) == [1, 2])
    // Fitted through 2020 (2021 left out): 2022 is its second step.
    let fit = try #require(
      StockFlowFit.fit(history.total.through(2021, excluding: [2021]), newPlans: history.newPlans, horizon: 3))
    #expect(flow[0].forecast.isApproximatelyEqual(to: fit.forecast(horizon: 3)[1], relativeTolerance: 1e-12))
    let trend = backtest.rows.filter { $0.method == Backtest.methodName }
    #expect(trend.map(\.year) == [2022, 2023] && trend.map(\.horizon) == [1, 2])
  }
}
