import Foundation
import Testing
import TestSupport

@testable import HighNeeds

/// Synthetic panels by age band: each LA-band's log growth (`cohort` false) or log cohort change
/// ratio (`cohort` true) in year `t` is England's plus a lasting deviation `α_ib ~ N(0, τ²)` plus
/// noise `e_ibt ~ N(0, σ²)`, so the best weight on a band's last deviation is `τ² / (τ² + σ²)`.
enum SyntheticBandPanel {
  static func make(las: Int, years: ClosedRange<Int>, tau: Double, sigma: Double, cohort: Bool, seed: UInt64 = 7)
    -> Panel
  {
    var rng = SplitMix64(seed: seed)
    var series: [PanelSeries] = []
    for i in 0..<las {
      let alpha = (0..<5).map { _ in tau * SyntheticPanel.normal(&rng) }
      var bands = [Double](repeating: 1e5, count: 5)
      var byYear: [Int: [Double]] = [:]
      for year in years {
        if year > years.lowerBound {
          let national = (0..<5).map { b in 0.03 + 0.02 * sin(Double(year + b)) }
          let shock = (0..<5).map { b in exp(national[b] + alpha[b] + sigma * SyntheticPanel.normal(&rng)) }
          if cohort {
            // The cohort change ratio applies to the band's base (plans aged a year).
            let base = PooledFit.cohortBase(bands)
            bands = (0..<5).map { shock[$0] * base[$0] }
          } else {
            bands = (0..<5).map { shock[$0] * bands[$0] }
          }
        }
        byYear[year] = bands
      }
      series.append(
        PanelSeries(
          code: String(format: "B%04d", i), region: "", plans: byYear.mapValues { $0.reduce(0, +) }, bands: byYear))
    }
    return Panel(file: "synthetic bands", series: series)
  }
}

@Suite struct PooledBandsTests {
  @Test func theBandShrinkageWeightIsRecoveredOnASyntheticPanel() {
    for (tau, sigma) in [(0.03, 0.03), (0.02, 0.04), (0.0, 0.03)] {
      let expected = tau * tau / (tau * tau + sigma * sigma)
      let growth = PooledFit.fit(
        SyntheticBandPanel.make(las: 400, years: 2000...2012, tau: tau, sigma: sigma, cohort: false), origin: 2012,
        horizon: 1)
      #expect(abs(growth.ageWeight - expected) < 0.03, "pooled_age β \(growth.ageWeight), expected \(expected)")
      #expect(growth.ageSamples == 400 * 5 * 11)
      let ratios = PooledFit.fit(
        SyntheticBandPanel.make(las: 400, years: 2000...2012, tau: tau, sigma: sigma, cohort: true), origin: 2012,
        horizon: 1)
      #expect(
        abs(ratios.cohortWeight - expected) < 0.03, "pooled_cohort β \(ratios.cohortWeight), expected \(expected)")
    }
  }

  @Test func allPlansInOneBandMakePooledAgePooledShrink() throws {
    var panel = SyntheticPanel.make(las: 300, years: 2000...2012, tau: 0.03, sigma: 0.03, size: 100...5000)
    for i in panel.series.indices {
      panel.series[i].bands = panel.series[i].plans.mapValues { [0, $0, 0, 0, 0] }
    }
    let fit = PooledFit.fit(panel, origin: 2012, horizon: 3)
    #expect(fit.ageSamples == fit.growthSamples && fit.ageSize == fit.shrinkSize)
    #expect(abs(fit.ageWeight - fit.shrinkWeight) < 1e-9 && fit.shrinkWeight > 0.2)
    for la in panel.series {
      for h in 1...3 {
        let age = try #require(fit.logForecast(.age, la, at: 2012, horizon: h))
        let shrink = try #require(fit.logForecast(.shrink, la, at: 2012, horizon: h))
        #expect(abs(age - shrink) < 1e-9)
      }
    }
  }

  @Test func theCohortModelAgesTheBands() {
    // Bands in a steady state (20 plans a year of age in every band): each band's base is its
    // plans, so every cohort change ratio is 1, except LA Y's under 5s, which doubled.
    let flat: [Double] = [100, 120, 100, 80, 120]
    var series: [PanelSeries] = []
    for i in 0..<3 {
      let bands = [2018: flat, 2019: flat]
      series.append(PanelSeries(code: "\(i)", region: "", plans: bands.mapValues { $0.reduce(0, +) }, bands: bands))
    }
    let young: [Double] = [200, 120, 100, 80, 120]
    series.append(PanelSeries(code: "Y", region: "", plans: [2018: 520, 2019: 620], bands: [2018: flat, 2019: young]))
    var fit = PooledFit.fit(Panel(file: "p", series: series), origin: 2019, horizon: 1)
    // England's under-5 ratio is 500 / 400; with β = 1 the LA keeps its own (2), with β = 0 England's.
    fit.cohortSize = 0
    for (beta, underFive) in [(1.0, 2.0), (0.0, 1.25)] {
      fit.cohortWeight = beta
      // A year on: 5–10 loses its oldest sixth and gains a fifth of the under 5s, and so on up.
      let oneYear: [Double] = [200 * underFive, 100 + 200.0 / 5, 80 + 120.0 / 6, 60 + 100.0 / 5, 100 + 80.0 / 4]
      let expected = log(620) + log(oneYear.reduce(0, +) / 620)
      #expect(abs((fit.logForecast(.cohort, series[3], at: 2019, horizon: 1) ?? 0) - expected) < 1e-12)
      let twoYears: [Double] = [
        oneYear[0] * underFive, oneYear[1] * 5 / 6 + oneYear[0] / 5, oneYear[2] * 4 / 5 + oneYear[1] / 6,
        oneYear[3] * 3 / 4 + oneYear[2] / 5, oneYear[4] * 5 / 6 + oneYear[3] / 4,
      ]
      let expectedTwo = log(twoYears.reduce(0, +))
      #expect(abs((fit.logForecast(.cohort, series[3], at: 2019, horizon: 2) ?? 0) - expectedTwo) < 1e-12)
    }
  }

  @Test func anLAWithoutItsBandsIsForecastByPooledShrink() throws {
    var panel = SyntheticPanel.make(las: 60, years: 2010...2020, tau: 0.03, sigma: 0.05, size: 60...3000)
    panel.series[0].bands[2019] = nil
    let fit = PooledFit.fit(panel, origin: 2020, horizon: 3)
    let shrink = try #require(fit.logForecast(.shrink, panel.series[0], at: 2020, horizon: 2))
    for method in [PooledMethod.age, .cohort, .cohortAverage] {
      #expect(fit.logForecast(method, panel.series[0], at: 2020, horizon: 2) == shrink)
      #expect(fit.logForecast(method, panel.series[1], at: 2020, horizon: 2) != nil)
      #expect(fit.logForecast(method, panel.series[1], at: 2020, horizon: 2) != shrink)
    }
  }
}
