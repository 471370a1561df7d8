import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds

/// Properties a finance officer relies on, checked over a range of values.
@Suite struct PropertyTests {
  @Test(arguments: [0.5, 1.0, 1.37, 2.0, 10.0])
  func scalingEveryUnitCostScalesExpenditure(k: Double) throws {
    let base = try ScenarioRun.run(try Fixtures.tiny())
    var scenario = try Fixtures.tiny()
    scenario.topUpInput = scenario.topUpInput.map { $0 * k }
    scenario.placeFundingRate = scenario.placeFundingRate.map { $0 * k }
    scenario.centralLines = scenario.centralLines.map {
      var line = $0; line.baseGBP *= k; return line
    }
    let scaled = try ScenarioRun.run(scenario)
    expectElementwise(base.accounts, scaled.accounts) { a, b in
      #expect(b.expenditure.isApproximatelyEqual(to: a.expenditure * k, relativeTolerance: 1e-12))
    }
  }

  @Test func zeroCaseloadGivesZeroTopUpCost() throws {
    var scenario = try Fixtures.tiny()
    scenario.baselinePlans = scenario.baselinePlans.map { _ in 0 }
    scenario.incidenceRate = scenario.incidenceRate.map { $0.map { _ in 0 } }
    let result = try ScenarioRun.run(scenario)
    for year in result.accounts {
      #expect(year.topUpCost.allSatisfy { $0 == 0 })
      #expect(year.placeFundingCost[1] == 300_000)  // commissioned places are paid for, filled or not
    }
  }

  @Test(arguments: [0.0, 0.01, 0.1, 0.5, 2.0])
  func moreIncidenceNeverLowersCost(extra: Double) throws {
    let base = try ScenarioRun.run(try Fixtures.tiny())
    var scenario = try Fixtures.tiny()
    scenario.incidenceRate = scenario.incidenceRate.map { $0.map { $0 * (1 + extra) } }
    let more = try ScenarioRun.run(scenario)
    expectElementwise(base.accounts, more.accounts) { a, b in
      #expect(b.expenditure >= a.expenditure - 1e-9)
    }
  }
}
