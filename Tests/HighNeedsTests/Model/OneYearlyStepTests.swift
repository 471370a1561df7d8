import Foundation
import Numerics
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// One implementation of the yearly step: the deterministic projection is the batched
/// projection with a batch of one, and the state it keeps is the batch's.
@Suite struct OneYearlyStepTests {
  /// A workspace whose every buffer holds NaN, as an earlier batch's numbers might.
  static func poisoned() -> BatchWorkspace {
    let workspace = BatchWorkspace()
    let count = 200_000
    for buffer in workspace.buffers(counts: Array(repeating: count, count: BatchProjection.Vector.allCases.count)) {
      buffer.update(repeating: .nan, count: count)
    }
    return workspace
  }

  /// The sweep's projection of a draw that changes nothing gives the deterministic run's
  /// occupancy and flows to the bit (the central draw of a sweep is `hnb run`), with levers
  /// that move new plans and placements (combined) and with capacity binding.
  @Test func aDrawThatChangesNothingIsTheDeterministicRunToTheBit() throws {
    var combined = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/combined.yaml"))
    combined.uncertainty.transitionConcentration = nil
    combined.uncertainty.newPlanMixConcentration = nil
    for s in [combined, try MitigationTests.capacityScenario()] {
      let model = SweepModel(s)
      let swept = model.projection.run([CaseloadDraw(horizon: s.horizonYears)])
      let run = Projection.run(
        baseline: s.baselinePlans, members: [model.parameters], placements: s.placementCount, needs: s.needCount,
        overflow: s.overflow, horizon: s.horizonYears)
      try #require(swept.count == 1 && run.count == 1)
      try #require(swept[0].occupancy.count == s.horizonYears + 1 && run[0].occupancy.count == s.horizonYears + 1)
      try #require(swept[0].flows.count == s.horizonYears && run[0].flows.count == s.horizonYears)
      #expect(swept[0].occupancy == run[0].occupancy)
      #expect(swept[0].flows == run[0].flows)
      #expect(swept[0].flows.joined().contains { $0.movedOut > 0 })
    }
    let capacity = try ScenarioRun.run(MitigationTests.capacityScenario())
    #expect(capacity.path.flows.joined().contains { $0.overflowOut > 0 }, "capacity must bind")
  }

  /// The state kept at each census is each draw's own, whatever the workspace held.
  ///
  /// The baseline at census 0, no plans in the blocks no draw has reached (even when the
  /// workspace held NaN there), and summed over ages the occupancy. Drawn matrices leave such
  /// blocks uncleared, so they are used here.
  @Test func keptPlansAreEachDrawsStateAtEveryCensus() throws {
    var s = try Fixtures.tiny()
    s.uncertainty.transitionConcentration = 30
    let model = SweepModel(s)
    let generator = Philox4x32(seed: 3)
    let draws = try (0..<5).map { try model.draw($0, generator: generator).caseload }
    let paths = model.projection.run(draws, workspace: Self.poisoned(), keepPlans: true)
    let (H, N, P) = (s.horizonYears, s.needCount, s.placementCount)
    try #require(paths.count == draws.count)
    for path in paths {
      try #require(path.plans.count == H + 1 && path.occupancy.count == H + 1)
      #expect(path.plans[0] == s.baselinePlans)
      for t in 0...H {
        try #require(path.plans[t].count == AgeAxis.count * N * P)
        #expect(path.plans[t].allSatisfy { $0.isFinite }, "census \(t) holds a number no draw put there")
        for j in 0..<(N * P) {
          let overAges = (0..<AgeAxis.count).reduce(0.0) { $0 + path.plans[t][$1 * N * P + j] }
          #expect(overAges.isApproximatelyEqual(to: path.occupancy[t][j], absoluteTolerance: 1e-9))
        }
      }
    }
    let withoutPlans = model.projection.run(draws, workspace: Self.poisoned())
    try #require(withoutPlans.count == paths.count)
    #expect(withoutPlans.allSatisfy { $0.plans.isEmpty })
    for (a, b) in zip(withoutPlans, paths) { #expect(a.occupancy == b.occupancy && a.flows == b.flows) }
  }
}
