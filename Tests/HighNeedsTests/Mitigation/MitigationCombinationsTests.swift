import Foundation
import Testing
import TestSupport

@testable import HighNeeds

/// Every combination run in turn (`MitigationCombinations`) gives exactly what projecting them
/// all together gives (`Projection.run` over every mask's parameters, then the accounts).
@Suite struct MitigationCombinationsTests {
  static func allAtOnce(_ s: Scenario) -> (paths: [CaseloadPath], expenditure: [[Double]]) {
    let masks = 0..<(1 << s.mitigations.count)
    let parameters = masks.map { ModelParameters(scenario: s, mitigationMask: $0) }
    let paths = Projection.run(
      baseline: s.baselinePlans, members: parameters, placements: s.placementCount, needs: s.needCount,
      overflow: s.overflow, horizon: s.horizonYears)
    let expenditure = zip(parameters, paths).map {
      Accounts.financialYears(scenario: s, parameters: $0, path: $1).map(\.expenditure)
    }
    return (paths, expenditure)
  }

  @Test(arguments: [0, 1, 3])
  func inTurnIsAllAtOnce(mitigations k: Int) throws {
    var s = try Fixtures.tiny()
    s.mitigations = Array(
      [MitigationTests.shift, MitigationTests.cheaper, MitigationTests.fewer].prefix(k))
    let runs = MitigationCombinations(s)
    let reference = Self.allAtOnce(s)
    #expect(runs.expenditure.count == 1 << k)
    #expect(runs.expenditure == reference.expenditure)
    let full = (1 << k) - 1
    for (run, mask) in [(runs.unmitigated, 0), (runs.mitigated, full)] {
      let path = try #require(reference.paths.indices.contains(mask) ? reference.paths[mask] : nil)
      #expect(run.path.plans.count == s.horizonYears + 1)
      #expect(run.path.plans == path.plans)
      #expect(run.path.occupancy == path.occupancy)
      #expect(run.path.flows == path.flows)
      #expect(run.accounts.map(\.expenditure) == reference.expenditure[mask])
      #expect(run.parameters.topUp == ModelParameters(scenario: s, mitigationMask: mask).topUp)
    }
  }

  /// The Sutton scenario with three mitigations (8 runs): the results of `ScenarioRun` are the
  /// runs in turn, and the savings add up to unmitigated minus mitigated expenditure.
  @Test func suttonScenarioSavingsReconcile() throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/local_specialist.yaml"))
    #expect(s.mitigations.count >= 2)
    let reference = Self.allAtOnce(s)
    let result = try ScenarioRun.run(s)
    let full = (1 << s.mitigations.count) - 1
    #expect(result.accounts.map(\.expenditure) == reference.expenditure[full])
    #expect(result.unmitigatedAccounts?.map(\.expenditure) == reference.expenditure[0])
    #expect(result.savings == Attribution.shapley(expenditure: reference.expenditure, mitigations: s.mitigations.count))
  }
}
