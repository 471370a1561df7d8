import Foundation
import Numerics
import Testing

@testable import HighNeeds

@Suite struct CalibrationTrendModelTests {
  @Test func recoversConstantGrowthExactly() throws {
    let years = Array(2010...2020)
    let series = PlanSeries(level: "total", years: years, plans: years.map { 100 * exp(0.08 * Double($0 - 2010)) })
    let fit = try TrendFit.fit(series, horizon: 3)
    #expect(fit.growthRate.isApproximatelyEqual(to: 0.08, relativeTolerance: 1e-9))
    let forecast = fit.forecast(horizon: 3)
    #expect(forecast.map(\.year) == [2021, 2022, 2023])
    #expect(forecast[2].forecast.isApproximatelyEqual(to: 100 * exp(0.08 * 13), relativeTolerance: 1e-9))
    // The method never erred inside the window, so its interval is a point.
    #expect(forecast[0].p10.map { $0.isApproximatelyEqual(to: forecast[0].forecast, relativeTolerance: 1e-9) } == true)
  }

  @Test func intervalsWidenWithTheMethodsOwnErrors() throws {
    let plans: [Double] = [100, 110, 118, 131, 140, 155, 163, 180, 191, 210]
    let fit = try TrendFit.fit(PlanSeries(level: "total", years: Array(2000...2009), plans: plans), horizon: 3)
    #expect(TrendFit.decayGrid.contains(fit.decay))
    let forecast = fit.forecast(horizon: 3)
    for f in forecast {
      let p10 = try #require(f.p10)
      let p90 = try #require(f.p90)
      #expect(p10 < f.forecast && f.forecast < p90)
    }
    #expect(fit.logErrorSD[2] > fit.logErrorSD[0])
  }

  @Test func weightedGrowthSpansLastYearAndTheWindowMean() {
    let logs = [0.0, 0.1, 0.3, 0.35].map { $0 }
    let years = [1, 2, 3, 4]
    #expect(TrendFit.growth(years: years, logs: logs, decay: 0).isApproximatelyEqual(to: 0.05))
    let one = TrendFit.growth(years: years, logs: logs, decay: 1)
    #expect(one.isApproximatelyEqual(to: 0.35 / 3))
  }

  @Test func excludedYearsAreSpannedByTheirGap() throws {
    let series = PlanSeries(level: "total", years: [2020, 2021, 2022, 2023], plans: [100, 110, 500, 133.1])
    let fitted = series.through(2023, excluding: [2022])
    #expect(fitted.years == [2020, 2021, 2023])
    let fit = try TrendFit.fit(fitted, horizon: 1)
    #expect(fit.growthRate.isApproximatelyEqual(to: log(1.1), relativeTolerance: 1e-9))
  }

  @Test func baselinesFollowTheirDefinitions() {
    let series = PlanSeries(level: "total", years: [2018, 2019, 2020], plans: [100, 120, 150])
    #expect(Baseline.lastValue.forecast(series, year: 2022) == 150)
    #expect(Baseline.lastGrowth.forecast(series, year: 2022).isApproximatelyEqual(to: 150 * 1.25 * 1.25))
    #expect(Baseline.linearTrend.forecast(series, year: 2022).isApproximatelyEqual(to: 123.333333333 + 25 * 3))
  }
}
