import Foundation

/// Plans moving into, out of and between one placement in one projected year (counts).
public struct PlacementFlows: Sendable, Equatable {
  public var opening = 0.0
  public var newPlans = 0.0
  public var ceased = 0.0
  public var movedOut = 0.0
  public var movedIn = 0.0
  public var overflowOut = 0.0
  public var overflowIn = 0.0
  public var closing = 0.0
}

/// The caseload path of one run.
public struct CaseloadPath: Sendable {
  /// `plans[t][cell]` for `t = 0…H`: the state at each census (counts); empty when the run
  /// was asked not to keep it.
  public var plans: [[Double]]
  /// `occupancy[t][need * P + p]`: plans summed over ages.
  public var occupancy: [[Double]]
  /// `flows[t-1][p]` for `t = 1…H`.
  public var flows: [[PlacementFlows]]
}

/// The deterministic projection: each run is the batched projection with a batch of one.
///
/// There is one implementation of the yearly step, `BatchProjection.run` (see `docs/MODEL.md`,
/// "One year's step"); a run here is a batch of one draw that changes nothing, on the run's own
/// parameters (the unmitigated run, the mitigated run or any combination of mitigations).
public enum Projection {
  /// Projects `members` from the same baseline, one after another; returns one path per member.
  ///
  /// `keepPlans[i]` (all true when nil): whether member `i`'s path keeps its state at every
  /// census (`CaseloadPath.plans`); its occupancy and flows are always kept.
  public static func run(
    baseline: [Double], members: [ModelParameters], placements P: Int, needs N: Int,
    overflow: [[Double]?], horizon H: Int, keepPlans: [Bool]? = nil
  ) -> [CaseloadPath] {
    let keep = keepPlans ?? Array(repeating: true, count: members.count)
    precondition(keep.count == members.count, "keepPlans for another number of members")
    let workspace = BatchWorkspace()
    let unchanged = [CaseloadDraw(horizon: H)]
    return members.indices.map { i in
      let projection = BatchProjection(
        baseline: baseline, parameters: members[i], placements: P, needs: N, overflow: overflow, horizon: H)
      return projection.run(unchanged, workspace: workspace, keepPlans: keep[i])[0]
    }
  }
}
