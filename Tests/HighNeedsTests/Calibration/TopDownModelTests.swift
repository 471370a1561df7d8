import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds

@Suite struct CalibrationTopDownModelTests {
  static let years = Array(2015...2020)
  static let total = PlanSeries(
    level: "total", years: years, plans: [1000, 1100, 1180, 1310, 1400, 1550])

  @Test func aSteadyShareSplitsTheTotalsForecastAndItsInterval() throws {
    let level = PlanSeries(level: "age:5-10", years: Self.years, plans: Self.total.plans.map { $0 * 0.3 })
    let totalFit = try TrendFit.fit(Self.total, horizon: 3)
    let fit = try TopDownFit.fit(level, total: Self.total, steps: 3)
    #expect(fit.share.isApproximatelyEqual(to: 0.3, relativeTolerance: 1e-12))
    #expect(fit.shareLogSD.allSatisfy { $0 < 1e-12 })
    let whole = totalFit.forecast(horizon: 3)
    try expectElementwise(fit.forecast(total: totalFit, origin: 2020, horizon: 3), whole) { part, all in
      #expect(part.year == all.year && part.horizon == all.horizon)
      #expect(part.forecast.isApproximatelyEqual(to: 0.3 * all.forecast, relativeTolerance: 1e-12))
      // No share variation: the level's interval is the total's, scaled.
      let p90 = try #require(part.p90)
      let totalP90 = try #require(all.p90)
      #expect((p90 / part.forecast).isApproximatelyEqual(to: totalP90 / all.forecast, relativeTolerance: 1e-9))
    }
  }

  @Test func levelsWhoseSharesAddToOneAddToTheTotal() throws {
    let a = PlanSeries(level: "placement:a", years: Self.years, plans: [600, 640, 700, 760, 800, 900])
    let b = PlanSeries(level: "placement:b", years: Self.years, plans: zip(Self.total.plans, a.plans).map { $0 - $1 })
    let totalFit = try TrendFit.fit(Self.total, horizon: 3)
    let parts = try [a, b].map {
      try TopDownFit.fit($0, total: Self.total, steps: 3).forecast(total: totalFit, origin: 2020, horizon: 3)
    }
    for (h, all) in totalFit.forecast(horizon: 3).enumerated() {
      #expect(
        (parts[0][h].forecast + parts[1][h].forecast).isApproximatelyEqual(to: all.forecast, relativeTolerance: 1e-12))
    }
  }

  @Test func theShareSpreadIsTheRootMeanSquareOfInWindowShareChanges() throws {
    // Shares 0.2, 0.25, 0.2, 0.25: one-year changes ±log(1.25), two-year changes 0.
    let years = [2017, 2018, 2019, 2020]
    let total = PlanSeries(level: "total", years: years, plans: [100, 100, 100, 100])
    let level = PlanSeries(level: "age:11-15", years: years, plans: [20, 25, 20, 25])
    let fit = try TopDownFit.fit(level, total: total, steps: 4)
    #expect(fit.errorCounts == [3, 2, 1, 0])
    #expect(fit.shareLogSD[0].isApproximatelyEqual(to: log(1.25), relativeTolerance: 1e-12))
    #expect(fit.shareLogSD[1].isApproximatelyEqual(to: 0, absoluteTolerance: 1e-15))
    // Fewer than two changes: σ_s(1) · step.
    #expect(fit.shareLogSD[2].isApproximatelyEqual(to: 3 * log(1.25), relativeTolerance: 1e-12))
    #expect(fit.shareLogSD[3].isApproximatelyEqual(to: 4 * log(1.25), relativeTolerance: 1e-12))
  }

  @Test func aLevelWithAGapTakesItsLastShareAndCountsStepsFromIt() throws {
    // The level has no census in 2020: its 2019 share carries, two steps to 2021.
    let level = PlanSeries(level: "age:under 5", years: [2015, 2016, 2017, 2018, 2019], plans: [50, 55, 59, 65, 70])
    let totalFit = try TrendFit.fit(Self.total, horizon: 3)
    let fit = try TopDownFit.fit(level, total: Self.total, steps: 4)
    #expect(fit.lastYear == 2019 && fit.share.isApproximatelyEqual(to: 70.0 / 1400, relativeTolerance: 1e-12))
    let forecast = fit.forecast(total: totalFit, origin: 2020, horizon: 3)
    let whole = totalFit.forecast(horizon: 3)
    #expect(forecast[0].year == 2021 && forecast[0].horizon == 1)
    let totalSD = log(try #require(whole[0].p90) / whole[0].forecast) / TrendFit.z90
    let sd = (totalSD * totalSD + fit.shareLogSD[1] * fit.shareLogSD[1]).squareRoot()
    let p90 = try #require(forecast[0].p90)
    #expect(p90.isApproximatelyEqual(to: forecast[0].forecast * exp(TrendFit.z90 * sd), relativeTolerance: 1e-12))
  }
}
