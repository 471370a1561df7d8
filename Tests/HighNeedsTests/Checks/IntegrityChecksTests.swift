import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The master check must catch a result that does not reconcile.
@Suite struct IntegrityChecksTests {
  @Test func aCleanRunPasses() throws {
    let result = try ScenarioRun.run(try Fixtures.tiny())
    #expect(IntegrityChecks.failures(result).isEmpty)
  }

  @Test func aBrokenCorkscrewFails() throws {
    var result = try ScenarioRun.run(try Fixtures.tiny())
    result.reserve[1].opening += 0.01
    #expect(IntegrityChecks.failures(result).contains { $0.contains("2026-27") && $0.contains("opening") })
  }

  @Test func aLostPlanFails() throws {
    var result = try ScenarioRun.run(try Fixtures.tiny())
    result.path.flows[0][0].closing -= 1
    #expect(IntegrityChecks.failures(result).contains { $0.contains("2026 ms") })
  }

  @Test func aCostLineThatDoesNotAddUpFails() throws {
    var result = try ScenarioRun.run(try Fixtures.tiny())
    result.accounts[2].topUpCost[0] += 1
    let failures = IntegrityChecks.failures(result)
    #expect(failures.contains { $0.contains("2027-28: placement cost lines sum to") })
    #expect(failures.contains { $0.contains("cell by cell") })
  }

  /// The slack grows with the amounts compared (floating-point noise is relative), and only
  /// with them: a penny is a failure at a local authority's magnitudes, a rounding at £1bn is not.
  @Test func theToleranceScalesWithTheAmountsCompared() {
    #expect(IntegrityChecks.differ(100_000_000.01, 100_000_000, IntegrityChecks.moneyTolerance))
    #expect(!IntegrityChecks.differ(1e9 + 1e-6, 1e9, IntegrityChecks.moneyTolerance))
    #expect(!IntegrityChecks.differ(5e13 + 0.01, 5e13, IntegrityChecks.moneyTolerance))
    #expect(IntegrityChecks.differ(5e13 + 100, 5e13, IntegrityChecks.moneyTolerance))
    // The terms an identity was computed from count too: a − b of two £1bn amounts.
    #expect(!IntegrityChecks.differ(1e-6, 0, IntegrityChecks.moneyTolerance, 1e9, 1e9))
    #expect(IntegrityChecks.differ(.nan, 0, IntegrityChecks.moneyTolerance))
  }

  @Test func plansAboveCapacityFail() throws {
    var result = try ScenarioRun.run(try MitigationTests.capacityScenario())
    result.parameters.places[1][1] = 10
    #expect(IntegrityChecks.failures(result).contains { $0.contains("above 10.0 places") })
  }
}
