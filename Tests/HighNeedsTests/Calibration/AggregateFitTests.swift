import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds

@Suite struct CalibrationAggregateFitTests {
  /// The rates `scripts/calibration/synthetic_aggregates.py` generated the fixtures from.
  static let cessation = [0.02, 0.03, 0.05, 0.15, 0.25]
  static let incidence2020 = [0.001, 0.004, 0.003, 0.002, 0.0005]
  static let trendFraction = 0.04

  @Test func recoversKnownRatesAndReproducesTheHistory() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("aggregate_bands.csv"))
    let population = try PopulationTable.read(path: try CalibrationFixtures.path("aggregate_population.csv"))
    let fit = try AggregateFit.fit(history: history, population: population)
    #expect(fit.years == Array(2015...2020) && fit.lastYear == 2020 && fit.trendFitted)
    #expect(fit.bands.map(\.label) == ["under 5", "5-10", "11-15", "16-19", "20-25"])
    for (b, band) in fit.bands.enumerated() {
      // The fixture is printed to 9 decimals, so the rates come back to about 1e-6.
      #expect(band.cessationRate.isApproximatelyEqual(to: Self.cessation[b], absoluteTolerance: 1e-6))
      #expect(band.incidenceRate.isApproximatelyEqual(to: Self.incidence2020[b], absoluteTolerance: 1e-8))
      #expect(
        band.incidenceTrend.isApproximatelyEqual(
          to: Self.incidence2020[b] * Self.trendFraction, absoluteTolerance: 1e-8))
      #expect((0...1).contains(band.cessationRate) && (0...1).contains(band.incidenceRate))
    }
    #expect(fit.incidenceTrendFraction.isApproximatelyEqual(to: Self.trendFraction, relativeTolerance: 1e-5))
    // Totals reproduced within 0.001%.
    for year in fit.years {
      let rows = fit.reproduction.filter { $0.year == year }
      let actual = rows.map(\.actual).reduce(0, +)
      let fitted = rows.map(\.fitted).reduce(0, +)
      #expect(fitted.isApproximatelyEqual(to: actual, relativeTolerance: 1e-5))
    }
  }

  @Test func pairsWithABandMissingAreLeftOutNotReadAsZero() throws {
    // Drop the 11-15 row of 2017: the pairs 2016→2017 and 2017→2018 cannot be used, and the
    // others still recover the rates exactly.
    let lines = try String(contentsOfFile: try CalibrationFixtures.path("aggregate_bands.csv"), encoding: .utf8)
      .split(separator: "\n").filter { !$0.hasPrefix("2017,11-15,") }
    let path = try CalibrationFixtures.temporary("bands.csv", lines.joined(separator: "\n") + "\n")
    let history = try AggregateHistory.read(path: path)
    let population = try PopulationTable.read(path: try CalibrationFixtures.path("aggregate_population.csv"))
    let fit = try AggregateFit.fit(history: history, population: population)
    #expect(fit.years == [2015, 2016, 2019, 2020])
    for (b, band) in fit.bands.enumerated() {
      #expect(band.cessationRate.isApproximatelyEqual(to: Self.cessation[b], absoluteTolerance: 1e-6))
    }
  }

  @Test func ratesStayWithinBoundsWhenTheDataPushOutside() throws {
    // Totals that grow faster than any new plans could explain: unconstrained, cessation would
    // be negative; constrained, it is 0 and incidence takes up what it can.
    let years = Array(2015...2020)
    var text = "year,plans\n"
    var popText = "year,age,population\n"
    var plans = 1000.0
    for year in years {
      text += "\(year),\(plans)\n"
      for age in 0...25 { popText += "\(year),\(age),1000\n" }
      plans *= 1.2
    }
    let history = try AggregateHistory.read(path: try CalibrationFixtures.temporary("h.csv", text))
    let population = try PopulationTable.read(path: try CalibrationFixtures.temporary("p.csv", popText))
    let fit = try AggregateFit.fit(history: history, population: population)
    let band = try #require(fit.bands.first)
    #expect(fit.bands.count == 1 && band.label == "0-25")
    #expect(band.cessationRate == 0)
    for year in 2016...2020 {
      #expect((0...1).contains(fit.incidence(band: 0, year: year)))
    }
  }

  @Test func solverMeetsBoundsAndTheSimplex() throws {
    // min (x + 1)² + (y − 2)² with 0 ≤ x, y ≤ 1: the corner (0, 1).
    var box = ConstrainedLeastSquares(design: [[1, 0], [0, 1]], target: [-1, 2])
    box.inequalities = [([-1, 0], 0), ([1, 0], 1), ([0, -1], 0), ([0, 1], 1)]
    let corner = try box.solve()
    #expect(corner.x[0].isApproximatelyEqual(to: 0, absoluteTolerance: 1e-12))
    #expect(corner.x[1].isApproximatelyEqual(to: 1, absoluteTolerance: 1e-12))
    #expect(corner.residualSumOfSquares.isApproximatelyEqual(to: 2))
    // The nearest point of the simplex to (0.9, 0.5, −0.2) is (0.7, 0.3, 0).
    var simplex = ConstrainedLeastSquares(design: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], target: [0.9, 0.5, -0.2])
    simplex.equalities = [([1, 1, 1], 1)]
    simplex.inequalities = [([-1, 0, 0], 0), ([0, -1, 0], 0), ([0, 0, -1], 0)]
    let point = try simplex.solve().x
    expectElementwise(point, [0.7, 0.3, 0.0], absoluteTolerance: 1e-12)
  }

  @Test func placementMixLiesOnTheSimplex() throws {
    let text = """
      year,placement,plans
      2019,mainstream,60
      2019,special_maintained_in,40
      2020,mainstream,50
      2020,special_maintained_in,50
      2021,mainstream,70
      2021,special_maintained_in,30

      """
    let history = try AggregateHistory.read(path: try CalibrationFixtures.temporary("mix.csv", text))
    let mix = try AggregateFit.placementMix(history, excluded: [])
    #expect(mix.map(\.id) == ["mainstream", "special_maintained_in"])
    #expect(mix[0].share.isApproximatelyEqual(to: 0.6) && mix[1].share.isApproximatelyEqual(to: 0.4))
    #expect(mix.map(\.share).reduce(0, +).isApproximatelyEqual(to: 1))
  }
}
