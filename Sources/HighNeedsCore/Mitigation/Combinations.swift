import Foundation

/// The runs of every combination of a scenario's mitigations, projected and priced one at a
/// time: the unmitigated and fully mitigated runs are kept whole, every other run only as its
/// expenditure (all that the attribution of savings needs).
///
/// With `k` mitigations there are `2^k` runs (1,024 at `k = 10`); each run's parameters hold
/// its new plans and matrices for every year (about 0.5 MB on the Sutton model), so they are
/// built, projected and priced in turn and let go, and the memory held does not grow with `2^k`.
public struct MitigationCombinations: Sendable {
  /// One run kept whole: its parameters, caseload path (with the state at every census) and
  /// accounts.
  public struct Run: Sendable {
    public var parameters: ModelParameters
    public var path: CaseloadPath
    public var accounts: [FinancialYearAccounts]
  }

  /// The run with no mitigation on (mask 0).
  public var unmitigated: Run
  /// The run with every mitigation on (mask `2^k − 1`; the same run as `unmitigated` when
  /// `k = 0`).
  public var mitigated: Run
  /// `expenditure[mask][f]` of every combination (mask bit `i` = `scenario.mitigations[i]` on).
  public var expenditure: [[Double]]
  /// `counts[mask]`: `counting`'s counts of each combination's state at census `t = 0…H`
  /// (`[t · size + j]`), then, when the scenario has an assessment pipeline, its requests,
  /// assessments and assessments ending in a plan by age band for the years to census
  /// `t = 1…H` (`PlanCounting.pipelineBands`); empty without `counting`.
  public var counts: [[Double]] = []

  /// Projects and prices every combination of `scenario`'s mitigations, mask by mask in order,
  /// each as a batch of one (as `Projection.run` does).
  ///
  /// With `counting`, each combination's state at every census is also kept long enough to be
  /// counted (the Local SEND Reform Plan's tables, say), so a mitigation's effect on the counts
  /// can be attributed as its savings are.
  public init(_ scenario: Scenario, counting: PlanCounting? = nil) {
    let full = (1 << scenario.mitigations.count) - 1
    let workspace = BatchWorkspace()
    let unchanged = [CaseloadDraw(horizon: scenario.horizonYears)]
    var counts: [[Double]] = []
    func run(_ mask: Int, keepPlans: Bool) -> Run {
      let parameters = ModelParameters(scenario: scenario, mitigationMask: mask)
      let projection = BatchProjection(
        baseline: scenario.baselinePlans, parameters: parameters, placements: scenario.placementCount,
        needs: scenario.needCount, overflow: scenario.overflow, horizon: scenario.horizonYears)
      let path = projection.run(unchanged, workspace: workspace, keepPlans: keepPlans || counting != nil)[0]
      if let counting {
        counts.append(path.plans.flatMap(counting.count) + PlanCounting.pipelineBands(parameters.pipeline))
      }
      return Run(
        parameters: parameters, path: path,
        accounts: Accounts.financialYears(scenario: scenario, parameters: parameters, path: path))
    }
    let unmitigated = run(0, keepPlans: true)
    var expenditure = [unmitigated.accounts.map(\.expenditure)]
    if full > 0 {
      for mask in 1..<full { expenditure.append(run(mask, keepPlans: false).accounts.map(\.expenditure)) }
      mitigated = run(full, keepPlans: true)
      expenditure.append(mitigated.accounts.map(\.expenditure))
    } else {
      mitigated = unmitigated
    }
    self.unmitigated = unmitigated
    self.expenditure = expenditure
    self.counts = counts
  }
}

/// Counts of one census's state (`plans[cell]`) that a run attributes to its mitigations, like
/// money: the Local SEND Reform Plan's tables, for instance.
public struct PlanCounting: Sendable {
  /// The counts of a state; the same number of counts for every state.
  public var count: @Sendable ([Double]) -> [Double]

  public init(count: @escaping @Sendable ([Double]) -> [Double]) { self.count = count }

  /// The pipeline's requests, assessments and assessments ending in a plan, summed by age band
  /// (`AgeAxis.bands`), year by year: `[((t−1) · 3 + measure) · bands + band]`; empty without one.
  public static func pipelineBands(_ pipeline: [[PipelineFlows]]) -> [Double] {
    pipeline.flatMap { year in
      [\PipelineFlows.requests, \.assessments, \.assessmentsToPlans].flatMap { measure in
        AgeAxis.bands.map { band in band.ages.reduce(0.0) { $0 + year[$1][keyPath: measure] } }
      }
    }
  }
}
