import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

/// The sweep's batched projection against the deterministic engine, draw by draw.
///
/// Each draw is also built the slow way, as full `ModelParameters` from a scenario carrying
/// its Dirichlet matrices and mix and with its factors applied to the rates, and run through
/// `Projection.run`. Tolerance: 1e-9 relative or 1e-9 plans, far below a plan and far above
/// the rounding of summing in a different order.
@Suite struct BatchProjectionTests {
  static func dense(_ s: Scenario, _ d: CaseloadDraw, _ projection: BatchProjection) -> ModelParameters {
    var t = s
    if let values = d.transitionValues { t.transition = projection.transitionMatrices(values) }
    if let values = d.newPlanMixValues { t.newPlanMix = projection.newPlanMix(values) }
    var m = ModelParameters(scenario: t, mitigationMask: (1 << t.mitigations.count) - 1)
    for i in 0..<t.horizonYears {
      m.newPlans[i] = m.newPlans[i].map { $0 * d.incidenceFactor[i] }
      for a in 0..<AgeAxis.maxAge {
        for p in 0..<t.placementCount where d.cessationFactor[i] != 1 {
          let j = a * t.placementCount + p
          m.survival[i][j] = 1 - min(1, (1 - m.survival[i][j]) * d.cessationFactor[i])
        }
      }
    }
    return m
  }

  static func close(_ a: Double, _ b: Double) -> Bool {
    a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-9) || a.isApproximatelyEqual(to: b, relativeTolerance: 1e-9)
  }

  func check(_ s: Scenario, draws: Int, seed: UInt64, workspace: BatchWorkspace = BatchWorkspace()) throws {
    let model = SweepModel(s)
    let generator = Philox4x32(seed: seed)
    let batch = try (0..<draws).map { try model.draw($0, generator: generator).caseload }
    let fast = model.projection.run(batch, workspace: workspace)
    let slow = Projection.run(
      baseline: s.baselinePlans, members: batch.map { Self.dense(s, $0, model.projection) },
      placements: s.placementCount,
      needs: s.needCount, overflow: s.overflow, horizon: s.horizonYears,
      keepPlans: Array(repeating: false, count: draws))
    var worst = 0.0
    expectElementwise(fast, slow) { f, d in
      for t in 0...s.horizonYears {
        expectElementwise(f.occupancy[t], d.occupancy[t], "census \(t)") { x, y in
          #expect(Self.close(x, y))
          worst = max(worst, abs(x - y))
        }
      }
      for t in 0..<s.horizonYears {
        expectElementwise(f.flows[t], d.flows[t], "flows in year \(t + 1)") { x, y in
          for (u, v) in [
            (x.opening, y.opening), (x.newPlans, y.newPlans), (x.ceased, y.ceased), (x.movedOut, y.movedOut),
            (x.movedIn, y.movedIn), (x.overflowOut, y.overflowOut), (x.overflowIn, y.overflowIn),
            (x.closing, y.closing),
          ] {
            #expect(Self.close(u, v), "flows in year \(t + 1): \(u) against \(v)")
          }
        }
      }
    }
    #expect(worst < 1e-6)
  }

  /// Dirichlet rows and mix, incidence and cessation per year, and mitigations that move new
  /// plans and placements (the combined SEP scenario).
  @Test func suttonCombinedSweepDrawsMatchTheDeterministicEngine() throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/combined.yaml"))
    #expect(s.uncertainty.transitionConcentration != nil && s.uncertainty.newPlanMixConcentration != nil)
    try check(s, draws: 7, seed: 5)
  }

  /// Shared matrices: the transitions go through one `dgemm` over the batch.
  @Test func drawsSharingTheirMatricesMatchTheDeterministicEngine() throws {
    var s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/combined.yaml"))
    s.uncertainty.transitionConcentration = nil
    s.uncertainty.newPlanMixConcentration = nil
    try check(s, draws: 5, seed: 8)
  }

  /// Capacity binds in the tiny scenario, so overflow runs through the batched path.
  @Test func overflowMatchesTheDeterministicEngine() throws {
    var s = try Fixtures.tiny()
    s.uncertainty.inputs = [
      UncertainInput(
        id: "inc", target: .incidenceFactor, distribution: .uniform(min: 0.5, max: 3), perYear: true)
    ]
    s.uncertainty.rankCorrelation = [[1]]
    s.uncertainty.transitionConcentration = 30
    try check(s, draws: 9, seed: 2)
  }

  /// A reused workspace holds an earlier batch's numbers, and blocks no draw has reached are
  /// cleared only when they become live: with every buffer filled with NaN first, no NaN may
  /// reach a result (with Dirichlet rows, levers and overflow, and with shared matrices).
  @Test func aWorkspaceFullOfNaNChangesNothing() throws {
    func poisoned() -> BatchWorkspace {
      let workspace = BatchWorkspace()
      let count = 200_000
      for buffer in workspace.buffers(counts: Array(repeating: count, count: BatchProjection.Vector.allCases.count)) {
        buffer.update(repeating: .nan, count: count)
      }
      return workspace
    }
    let combined = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/combined.yaml"))
    try check(combined, draws: 6, seed: 4, workspace: poisoned())
    var shared = combined
    shared.uncertainty.transitionConcentration = nil
    shared.uncertainty.newPlanMixConcentration = nil
    try check(shared, draws: 4, seed: 4, workspace: poisoned())
    var tiny = try Fixtures.tiny()
    tiny.uncertainty.transitionConcentration = 30
    tiny.uncertainty.inputs = [
      UncertainInput(id: "inc", target: .incidenceFactor, distribution: .uniform(min: 0.5, max: 3), perYear: true)
    ]
    tiny.uncertainty.rankCorrelation = [[1]]
    try check(tiny, draws: 7, seed: 6, workspace: poisoned())
  }
}
