import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

@Suite struct ProjectionTests {
  /// The runs of one call share nothing: each member's path is the path of that member run
  /// alone (the batched engine's workspace, reused from run to run, carries no state across).
  @Test func batchEqualsOneAtATime() throws {
    let scenario = try MitigationTests.withMitigations([
      Mitigation(
        id: "move", label: "move", lever: .shiftPlacements(from: 1, to: 0, share: 0.3), startAcademicYear: 2025,
        rampYears: 1, ages: 0...25, source: ""),
      Mitigation(
        id: "fewer", label: "fewer", lever: .scaleIncidence(factor: 0.5), startAcademicYear: 2026, rampYears: 2,
        ages: 0...25, source: ""),
    ])
    let members = (0..<4).map { ModelParameters(scenario: scenario, mitigationMask: $0) }
    let together = Projection.run(
      baseline: scenario.baselinePlans, members: members, placements: 2, needs: 1, overflow: scenario.overflow,
      horizon: 3)
    for (b, member) in members.enumerated() {
      let alone = Projection.run(
        baseline: scenario.baselinePlans, members: [member], placements: 2, needs: 1, overflow: scenario.overflow,
        horizon: 3)[0]
      for t in 0...3 {
        expectElementwise(together[b].plans[t], alone.plans[t], absoluteTolerance: 1e-12)
      }
    }
  }

  @Test func transitionsKeepEveryPlan() throws {
    var scenario = try Fixtures.tiny()
    scenario.cessationRate = scenario.cessationRate.map { $0.map { _ in 0 } }
    scenario.incidenceRate = scenario.incidenceRate.map { $0.map { _ in 0 } }
    let result = try ScenarioRun.run(scenario)
    for occupancy in result.path.occupancy {
      #expect(occupancy.reduce(0, +).isApproximatelyEqual(to: 180, absoluteTolerance: 1e-9))
    }
  }
}
