import Foundation

/// The master check: every reconciliation a run must pass before it may write anything.
///
/// Tolerances: plan counts to 1e-6 of a plan; money to 1e-4 gbp (a hundredth of a penny),
/// both far below what rounding in the outputs shows and far above floating-point noise at a
/// local authority's magnitudes; plus `summationTolerance` of the largest term compared, since
/// floating-point noise grows with the size of the numbers (at £10bn a double's spacing is
/// already 2e-6 gbp, and a sum of a few such terms is off by more than 1e-4 gbp). So an input
/// within the documented bounds (`InputBounds`) cannot fail a check by rounding alone.
public enum IntegrityChecks {
  /// How far two plan counts may differ and still agree (plans).
  public static let planTolerance = 1e-6
  /// How far two amounts of money may differ and still agree (gbp: a hundredth of a penny).
  public static let moneyTolerance = 1e-4
  /// Relative slack for a sum of thousands of cells taken in another order, which differs from
  /// the engine's only in the last bits; also the slack relative to the largest term of any
  /// identity checked.
  public static let summationTolerance = 1e-12

  /// True when `a` and `b` differ by more than `tolerance` plus `summationTolerance` of the
  /// largest of `terms` (the magnitudes the two sides were computed from).
  ///
  /// Inlined where it is called, so that the list of terms stays on the stack (every sweep
  /// draw checks hundreds of identities).
  @inline(__always)
  static func differ(_ a: Double, _ b: Double, _ tolerance: Double, _ terms: Double...) -> Bool {
    let scale = terms.reduce(max(abs(a), abs(b))) { max($0, abs($1)) }
    return !(abs(a - b) <= tolerance + summationTolerance * scale)
  }

  /// The assessment pipeline of one year: no negative flow, requests = refusals + assessments,
  /// and assessments ≥ those ending in a plan, at every age.
  static func pipelineFailures(_ year: [PipelineFlows], _ label: String) -> [String] {
    var failures: [String] = []
    for (a, x) in year.enumerated() {
      if [x.requests, x.refusals, x.assessments, x.assessmentsToPlans, x.plansStarted].contains(where: {
        $0 < -planTolerance || !$0.isFinite
      }) {
        failures.append("\(label) age \(a): a negative or non-finite pipeline flow")
      }
      if differ(x.refusals + x.assessments, x.requests, planTolerance, x.refusals, x.assessments) {
        failures.append(
          "\(label) age \(a): refusals \(x.refusals) + assessments \(x.assessments) ≠ requests \(x.requests)")
      }
      if x.assessmentsToPlans > x.assessments + planTolerance {
        failures.append(
          "\(label) age \(a): \(NumberFormat.shortest(x.assessmentsToPlans)) assessments end in a plan of \(NumberFormat.shortest(x.assessments))"
        )
      }
    }
    return failures
  }

  /// Runs every check on `result`; returns the failures (empty when all pass).
  public static func failures(_ r: ScenarioResult) -> [String] {
    var failures: [String] = []
    let s = r.scenario
    let P = s.placementCount
    let N = s.needCount
    // The path and parameters are read in place (borrowed), not copied into a list.
    func checkPath(_ label: String, _ path: CaseloadPath, _ parameters: ModelParameters) {
      for t in 1...s.horizonYears {
        let year = s.censusYear(t)
        let flows = path.flows[t - 1]
        var opening = 0.0, new = 0.0, ceased = 0.0, closing = 0.0
        var movedOut = 0.0, movedIn = 0.0, overflowOut = 0.0, overflowIn = 0.0
        for p in 0..<P {
          let x = flows[p]
          let balance = x.opening + x.newPlans - x.ceased - x.movedOut + x.movedIn - x.overflowOut + x.overflowIn
          if differ(
            balance, x.closing, planTolerance, x.opening, x.newPlans, x.ceased, x.movedOut, x.movedIn, x.overflowOut,
            x.overflowIn)
          {
            failures.append(
              "\(s.name) \(label) \(year) \(s.taxonomy.placements[p].id): opening + new − ceased ± moves = \(balance), closing = \(x.closing)"
            )
          }
          opening += x.opening; new += x.newPlans; ceased += x.ceased; closing += x.closing
          movedOut += x.movedOut; movedIn += x.movedIn; overflowOut += x.overflowOut; overflowIn += x.overflowIn
        }
        if differ(opening + new - ceased, closing, planTolerance, opening, new, ceased) {
          failures.append(
            "\(s.name) \(label) \(year): total opening + new − ceased = \(opening + new - ceased), closing = \(closing)"
          )
        }
        if differ(movedOut, movedIn, planTolerance) || differ(overflowOut, overflowIn, planTolerance) {
          failures.append(
            "\(s.name) \(label) \(year): moves do not net to zero (out \(movedOut), in \(movedIn); overflow out \(overflowOut), in \(overflowIn))"
          )
        }
        if !parameters.pipeline.isEmpty {
          failures += pipelineFailures(parameters.pipeline[t - 1], "\(s.name) \(label) \(year)")
        }
        if let cell = path.plans.isEmpty ? nil : path.plans[t].firstIndex(where: { $0 < -planTolerance }) {
          failures.append("\(s.name) \(label) \(year): negative plans in cell \(cell)")
        }
        if !path.plans.isEmpty {
          // Occupancy must equal the cell-level state summed over ages.
          var sums = Array(repeating: 0.0, count: N * P)
          for (cell, x) in path.plans[t].enumerated() { sums[cell % (N * P)] += x }
          for j in 0..<(N * P) where differ(sums[j], path.occupancy[t][j], planTolerance) {
            failures.append(
              "\(s.name) \(label) \(year): occupancy differs from the state summed over ages at column \(j)")
            break
          }
        }
        for p in 0..<P where s.overflow[p] != nil {
          let occupied = stride(from: p, to: N * P, by: P).reduce(0) { $0 + path.occupancy[t][$1] }
          if occupied > parameters.places[t][p] + planTolerance + summationTolerance * occupied {
            failures.append(
              "\(s.name) \(label) \(year) \(s.taxonomy.placements[p].id): \(NumberFormat.shortest(occupied)) plans above \(NumberFormat.shortest(parameters.places[t][p])) places after overflow"
            )
          }
        }
      }
    }

    checkPath("mitigated", r.path, r.parameters)
    if let u = r.unmitigatedPath, let up = r.unmitigatedParameters { checkPath("unmitigated", u, up) }

    failures += accountFailures(
      r, label: "mitigated", accounts: r.accounts, reserve: r.reserve, parameters: r.parameters, path: r.path)
    if let accounts = r.unmitigatedAccounts, let reserve = r.unmitigatedReserve,
      let parameters = r.unmitigatedParameters,
      let path = r.unmitigatedPath
    {
      failures += accountFailures(
        r, label: "unmitigated", accounts: accounts, reserve: reserve, parameters: parameters, path: path)
    }

    // Mitigation savings reconcile with the difference between the two runs.
    if let unmitigated = r.unmitigatedAccounts {
      for f in 0..<s.horizonYears {
        let difference = unmitigated[f].expenditure - r.accounts[f].expenditure
        let attributed = r.savings.reduce(0) { $0 + $1[f] }
        if differ(difference, attributed, moneyTolerance, unmitigated[f].expenditure, r.accounts[f].expenditure) {
          failures.append(
            "\(s.name) \(s.financialYearLabel(f)): savings by mitigation sum to \(attributed), unmitigated − mitigated = \(difference)"
          )
        }
      }
    }
    return failures
  }

  /// Costs (each total the sum of its lines; top-ups recomputed cell by cell) and the DSG
  /// corkscrew, for one run.
  private static func accountFailures(
    _ r: ScenarioResult, label run: String, accounts: [FinancialYearAccounts], reserve: [ReserveYear],
    parameters: ModelParameters, path: CaseloadPath
  ) -> [String] {
    let s = r.scenario
    var failures: [String] = []
    // Each year's accounts are read in place (borrowed), not copied.
    func checkYear(_ f: Int, _ year: FinancialYearAccounts) {
      var label: String { "\(s.name) \(run) \(s.financialYearLabel(f))" }  // built only for a failure
      let placement = year.topUpCost.reduce(0, +) + year.placeFundingCost.reduce(0, +)
      if differ(placement, year.placementCosts, moneyTolerance) {
        failures.append(
          "\(label): placement cost lines sum to \(NumberFormat.shortest(placement)), total \(NumberFormat.shortest(year.placementCosts))"
        )
      }
      if differ(year.central.reduce(0, +), year.centralCosts, moneyTolerance) {
        failures.append("\(label): central lines do not sum to their total")
      }
      if differ(year.mitigationCosts.reduce(0, +), year.totalMitigationCosts, moneyTolerance) {
        failures.append("\(label): mitigation costs do not sum to their total")
      }
      if differ(
        year.placementCosts + year.centralCosts + year.totalMitigationCosts, year.expenditure, moneyTolerance,
        year.placementCosts, year.centralCosts, year.totalMitigationCosts)
      {
        failures.append(
          "\(label): expenditure \(NumberFormat.shortest(year.expenditure)) ≠ placement + central + mitigation costs")
      }
      let other = year.otherIncome.reduce(0, +)
      let income =
        year.hnbAllocation - year.deductions + year.importExportAdjustment + year.schoolsBlockTransfer + other
      if differ(
        income, year.income, moneyTolerance, year.hnbAllocation, year.deductions, year.importExportAdjustment,
        year.schoolsBlockTransfer, other)
      {
        failures.append(
          "\(label): income lines sum to \(NumberFormat.shortest(income)), total \(NumberFormat.shortest(year.income))")
      }
      if !path.plans.isEmpty {
        let width = s.needCount * s.placementCount
        func cellTopUp(_ t: Int) -> Double {
          path.plans[t].enumerated().reduce(0) { $0 + $1.element * parameters.topUp[t][$1.offset % width] }
        }
        let recomputed =
          ModelConstants.endingAcademicYearShare * cellTopUp(f)
          + ModelConstants.startingAcademicYearShare * cellTopUp(f + 1)
        let byLine = year.topUpCost.reduce(0, +)
        // Summing 4,000 cells in another order differs only in the last bits.
        if abs(recomputed - byLine) > moneyTolerance + summationTolerance * abs(recomputed) {
          failures.append(
            "\(label): top-ups by cost line \(NumberFormat.shortest(byLine)) ≠ cell by cell \(NumberFormat.shortest(recomputed))"
          )
        }
      }
    }
    for f in accounts.indices { checkYear(f, accounts[f]) }
    var expectedOpening = s.openingBalance
    for (f, year) in reserve.enumerated() {
      var label: String { "\(s.name) \(run) \(s.financialYearLabel(f))" }  // built only for a failure
      if differ(year.opening, expectedOpening, moneyTolerance) {
        failures.append(
          "\(label): opening \(NumberFormat.shortest(year.opening)) ≠ previous closing \(NumberFormat.shortest(expectedOpening))"
        )
      }
      let settled = year.settlement.stabilityGrant + year.settlement.localShare
      if differ(
        year.opening + year.income - year.expenditure + year.contributions + settled, year.closing, moneyTolerance,
        year.opening, year.income, year.expenditure, year.contributions, settled)
      {
        failures.append("\(label): opening + income − expenditure + contributions + grant ≠ closing")
      }
      if s.settlement != nil,
        differ(
          year.settlement.historicBalance + year.settlement.accruingBalance, year.closing, moneyTolerance,
          year.settlement.historicBalance, year.settlement.accruingBalance)
      {
        failures.append(
          "\(label): historic \(year.settlement.historicBalance) + accruing \(year.settlement.accruingBalance) ≠ closing \(year.closing)"
        )
      }
      if differ(year.income, accounts[f].income, moneyTolerance)
        || differ(year.expenditure, accounts[f].expenditure, moneyTolerance)
      {
        failures.append("\(label): reserve flows differ from the accounts")
      }
      expectedOpening = year.closing
    }
    return failures
  }

}
