import Foundation
import Testing

@testable import HighNeeds

/// The growth trend `hnb init` writes: the pooled forecast of the LA's total, through the
/// stock-flow identity, and its interval as the sweep's caseload spread.
@Suite(.serialized) struct InitGrowthTests {
  @Test func everyLAsTrendIsFiniteBoundedAndItsModelTotalFollowsThePooledForecast() throws {
    let pack = try ScenarioInitTests.pack.get()
    var clamped: [String] = []
    var worst = (gap: 0.0, la: "")
    var unmatched: [String] = []
    var largeWorst = (gap: 0.0, la: "")
    for la in pack.currentAuthorities {
      let growth = try #require(try ScenarioInit.build(la: la, pack: pack).growth, "\(la.name)")
      let forecast = try #require(growth.forecast, "\(la.name): no pooled forecast")
      #expect(growth.trend.count == ScenarioInit.horizonYears)
      #expect(growth.trend.allSatisfy { $0.isFinite && GrowthSeries.trendBounds.contains($0) }, "\(la.name)")
      let levels = growth.trend.reduce(into: [1.0]) { $0.append(($0.last ?? 1) * (1 + $1)) }
      #expect(levels.allSatisfy { $0 >= GrowthSeries.lowestLevel - 1e-6 }, "\(la.name)")
      if !growth.clamped.isEmpty { clamped.append("\(la.name) \(growth.clamped)") }
      // Up to the first held year, the model's total is the forecast path.
      let free = (growth.clamped.min() ?? Int.max) - forecast.origin - 1
      for t in 0..<min(free, growth.path.count) {
        #expect(abs(growth.model[t] - growth.path[t]) < 1e-3 * max(1, growth.path[t] / 1000), "\(la.name) \(t + 1)")
      }
      // The sweep's interval at h1-h3 against the pooled one, where the factor was not capped.
      guard let factor = growth.factor else {
        unmatched.append(la.name)
        continue
      }
      #expect(factor.sdLog.isFinite && factor.sdLog >= 0 && factor.median > 0, "\(la.name)")
      for f in forecast.forecasts {
        let sweep = try #require(growth.series.sweepInterval(horizon: f.horizon))
        let (p10, p90) = (try #require(f.p10), try #require(f.p90))
        let gap = max(abs(sweep.p10 / p10 - 1), abs(sweep.p90 / p90 - 1))
        if gap > worst.gap { worst = (gap, "\(la.name) h\(f.horizon)") }
        if forecast.lastPlans >= 500 && growth.clamped.isEmpty && gap > largeWorst.gap {
          largeWorst = (gap, "\(la.name) h\(f.horizon)")
        }
      }
    }
    print(
      "held years: \(clamped.count) LAs: \(clamped.joined(separator: "; ")); no interval: \(unmatched); worst sweep interval gap \(worst), with 500 plans or more \(largeWorst)"
    )
    #expect(clamped.count <= 5)
    #expect(unmatched.count <= 3)
    #expect(largeWorst.gap < 0.05, "\(largeWorst)")
  }

  /// The extension beyond the calibrated horizons holds the growth (`extensionDamping = 1`).
  @Test func beyondThreeYearsTheGrowthIsCarriedByTheDamping() throws {
    let pack = try ScenarioInitTests.pack.get()
    let context = try #require(pack.pooled)
    let panel = try #require(pack.panel)
    let series = try #require(panel.series.first { $0.code == "887" }).series(through: context.origin)
    let forecast = try PooledForecast.make(series: series, context: context)
    let direct = try PooledForecast.make(series: series, panel: panel, horizon: 3)
    #expect(forecast.forecasts == direct.forecasts)
    for h in 1...10 {
      let steps =
        Double(min(h, 3))
        + (h > 3 ? (4...h).reduce(0.0) { s, j in s + pow(PooledForecast.extensionDamping, Double(j - 3)) } : 0)
      #expect(abs(forecast.logForecast(horizon: h) - (log(forecast.lastPlans) + forecast.growth * steps)) < 1e-12)
    }
    for f in forecast.forecasts {
      #expect(abs(exp(forecast.logForecast(horizon: f.horizon)) - f.forecast) < 1e-9 * f.forecast)
    }
  }
}
