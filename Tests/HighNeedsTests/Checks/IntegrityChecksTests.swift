import Foundation
import Testing

@testable import HighNeeds

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
    result.accounts[2].topUp[0] += 1
    let failures = IntegrityChecks.failures(result)
    #expect(failures.contains { $0.contains("2027-28: placement cost lines sum to") })
    #expect(failures.contains { $0.contains("cell by cell") })
  }

  @Test func plansAboveCapacityFail() throws {
    var result = try ScenarioRun.run(try MitigationTests.capacityScenario())
    result.parameters.places[1][1] = 10
    #expect(IntegrityChecks.failures(result).contains { $0.contains("above 10.0 places") })
  }
}
