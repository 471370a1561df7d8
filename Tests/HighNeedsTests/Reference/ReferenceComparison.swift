import Foundation

@testable import HighNeeds

/// Compares every output cell of an engine run with the reference model.
///
/// Tolerance: two values agree when `|engine − reference| ≤ 1e-9 · max(|engine|, |reference|)`
/// (relative), or when the difference is at most `1e-6` for money in pounds and `1e-9` for plans,
/// places, fractions and percentages (absolute; for values near 0, such as a `movedIn` that the
/// engine forms as a difference of two large numbers). Both are far tighter than anything the
/// outputs show (pennies, 6 decimals of a plan) and far looser than the last-bit differences that
/// summing in another order gives.
struct ReferenceComparison {
  static let relativeTolerance = 1e-9
  static let moneyTolerance = 1e-6
  static let countTolerance = 1e-9

  /// Cells compared.
  var cells = 0
  /// Largest `|engine − reference| / scale` over cells with a non-zero scale (see `check`).
  var maxRelative = 0.0
  /// Largest `|engine − reference|` in pounds, and in plans (or fractions).
  var maxMoney = 0.0
  var maxCount = 0.0
  /// The first disagreements, described.
  var failures: [String] = []

  /// Compares one cell.
  ///
  /// `money` picks the absolute tolerance. `scale` (default the larger of the two values) is
  /// what the relative tolerance is taken of: a saving, a difference between two expenditures,
  /// is compared relative to the expenditure itself.
  mutating func check(
    _ engine: Double, _ reference: Double, money: Bool, scale given: Double = 0, _ what: @autoclosure () -> String
  ) {
    cells += 1
    let difference = abs(engine - reference)
    let scale = max(abs(engine), abs(reference), given)
    if scale > 0 { maxRelative = max(maxRelative, difference / scale) }
    if money { maxMoney = max(maxMoney, difference) } else { maxCount = max(maxCount, difference) }
    let absolute = money ? Self.moneyTolerance : Self.countTolerance
    let agrees = difference <= absolute || difference <= Self.relativeTolerance * scale
    if !agrees && failures.count < 20 {
      failures.append("\(what()): engine \(engine), reference \(reference)")
    }
  }

  mutating func check(_ engine: Bool, _ reference: Bool, _ what: @autoclosure () -> String) {
    cells += 1
    if engine != reference && failures.count < 20 {
      failures.append("\(what()): engine \(engine), reference \(reference)")
    }
  }

  /// Compares a run's caseload (every cell of every census, when the engine kept it), flows,
  /// places and accounts.
  mutating func compare(
    _ s: Scenario, label: String, path: CaseloadPath, parameters: ModelParameters,
    accounts: [FinancialYearAccounts], reserve: [ReserveYear], with ref: ReferenceModel.Run
  ) {
    let P = s.placementCount
    let N = s.needCount
    for t in 0...s.horizonYears {
      let year = s.censusYear(t)
      if !path.plans.isEmpty {
        for a in 0..<AgeAxis.count {
          for n in 0..<N {
            for p in 0..<P {
              check(
                path.plans[t][(a * N + n) * P + p], ref.plans[t][(a * N + n) * P + p], money: false,
                "\(s.name) \(label) plans \(year) age \(a) \(s.taxonomy.needs[n].id) \(s.taxonomy.placements[p].id)")
            }
          }
        }
      }
      for n in 0..<N {
        for p in 0..<P {
          var occupancy = 0.0
          for a in 0..<AgeAxis.count { occupancy += ref.plans[t][(a * N + n) * P + p] }
          check(path.occupancy[t][n * P + p], occupancy, money: false, "\(s.name) \(label) occupancy \(year) \(n),\(p)")
        }
      }
      for p in 0..<P {
        check(parameters.places[t][p], ref.places[t][p], money: false, "\(s.name) \(label) places \(year) \(p)")
      }
      guard t > 0 else { continue }
      if parameters.pipeline.isEmpty != ref.requests.isEmpty {
        failures.append("\(s.name) \(label): the engine and the reference disagree on whether there is a pipeline")
      }
      if !parameters.pipeline.isEmpty {
        for a in 0..<AgeAxis.count {
          let e = parameters.pipeline[t - 1][a]
          let name = "\(s.name) \(label) pipeline \(year) age \(a)"
          check(e.requests, ref.requests[t - 1][a], money: false, "\(name) requests")
          check(e.refusals, ref.refusals[t - 1][a], money: false, "\(name) refusals")
          check(e.assessments, ref.assessments[t - 1][a], money: false, "\(name) assessments")
          check(e.assessmentsToPlans, ref.assessmentsToPlans[t - 1][a], money: false, "\(name) to plans")
          check(e.plansStarted, ref.plansStarted[t - 1][a], money: false, "\(name) plans started")
        }
      }
      for p in 0..<P {
        let e = path.flows[t - 1][p]
        let r = ref.flows[t - 1][p]
        let name = "\(s.name) \(label) flows \(year) \(s.taxonomy.placements[p].id)"
        check(e.opening, r.opening, money: false, "\(name) opening")
        check(e.newPlans, r.newPlans, money: false, "\(name) new")
        check(e.ceased, r.ceased, money: false, "\(name) ceased")
        check(e.movedOut, r.movedOut, money: false, "\(name) moved out")
        check(e.movedIn, r.movedIn, money: false, "\(name) moved in")
        check(e.overflowOut, r.overflowOut, money: false, "\(name) overflow out")
        check(e.overflowIn, r.overflowIn, money: false, "\(name) overflow in")
        check(e.closing, r.closing, money: false, "\(name) closing")
      }
    }
    for f in 0..<s.horizonYears {
      let e = accounts[f]
      let name = "\(s.name) \(label) \(s.financialYearLabel(f))"
      for L in s.costLines.indices {
        check(e.topUpCost[L], ref.topUpLine[f][L], money: true, "\(name) top_up.\(s.costLines[L].id)")
        check(
          e.placeFundingCost[L], ref.placeFundingLine[f][L], money: true, "\(name) place_funding.\(s.costLines[L].id)")
      }
      for c in s.centralLines.indices {
        check(e.central[c], ref.central[f][c], money: true, "\(name) central.\(s.centralLines[c].id)")
      }
      for m in s.mitigations.indices {
        check(e.mitigationCosts[m], ref.mitigationCost[f][m], money: true, "\(name) mitigation_cost.\(m)")
      }
      check(e.placementCosts, ref.placementCosts[f], money: true, "\(name) total_placement_costs")
      check(e.centralCosts, ref.centralCosts[f], money: true, "\(name) total_central_costs")
      check(e.totalMitigationCosts, ref.totalMitigationCosts[f], money: true, "\(name) total_mitigation_costs")
      check(e.expenditure, ref.expenditure[f], money: true, "\(name) expenditure")
      check(e.hnbAllocation, ref.hnbAllocation[f], money: true, "\(name) hnb_allocation")
      check(e.deductions, ref.deductions[f], money: true, "\(name) deductions")
      check(e.importExportAdjustment, ref.importExport[f], money: true, "\(name) import_export")
      check(e.schoolsBlockTransfer, ref.schoolsBlockTransfer[f], money: true, "\(name) schools_block_transfer")
      check(e.income, ref.income[f], money: true, "\(name) income")
      check(e.totalDSG, ref.totalDSG[f], money: true, "\(name) total_dsg")
      let d = reserve[f]
      check(d.opening, ref.opening[f], money: true, "\(name) dsg opening")
      check(d.income, ref.income[f], money: true, "\(name) dsg income")
      check(d.expenditure, ref.expenditure[f], money: true, "\(name) dsg expenditure")
      check(d.contributions, ref.contributions[f], money: true, "\(name) dsg contributions")
      check(d.inYear, ref.inYear[f], money: true, "\(name) dsg in-year")
      check(d.closing, ref.closing[f], money: true, "\(name) dsg closing")
      check(d.settlement.stabilityGrant, ref.stabilityGrant[f], money: true, "\(name) stability grant")
      check(d.settlement.localShare, ref.localShare[f], money: true, "\(name) local share")
      check(d.settlement.generalFundPressure, ref.generalFundPressure[f], money: true, "\(name) general fund pressure")
      if s.settlement != nil {
        check(d.settlement.historicBalance, ref.historicBalance[f], money: true, "\(name) historic balance")
        check(d.settlement.accruingBalance, ref.accruingBalance[f], money: true, "\(name) accruing balance")
      }
    }
  }

  /// Compares a whole scenario result: the mitigated run, its KPIs, the unmitigated run and, when
  /// `savings` is true, the savings by mitigation (the reference runs all `2^k` combinations
  /// itself, about 50 ms each for a Sutton-sized scenario in a debug build).
  mutating func compare(_ r: ScenarioResult, savings checkSavings: Bool = true) {
    let s = r.scenario
    let k = s.mitigations.count
    let full = ReferenceModel.run(s, on: Array(repeating: true, count: k))
    compare(
      s, label: "mitigated", path: r.path, parameters: r.parameters, accounts: r.accounts, reserve: r.reserve,
      with: full)
    for f in 0..<s.horizonYears {
      let e = r.kpis[f]
      let x = full.kpis[f]
      let name = "\(s.name) kpi \(s.financialYearLabel(f))"
      check(e.totalPlans, x.totalPlans, money: false, "\(name) total plans")
      check(e.shareMainstream, x.shareMainstream, money: false, "\(name) share mainstream")
      check(e.shareInBorough, x.shareInBorough, money: false, "\(name) share in borough")
      check(e.shareIndependentSpecial, x.shareIndependentSpecial, money: false, "\(name) share independent")
      check(e.averageCostPerPlan, x.averageCostPerPlan, money: true, "\(name) average cost per plan")
      check(e.inYearBalance, full.inYear[f], money: true, "\(name) in-year balance")
      check(e.cumulativeBalance, full.closing[f], money: true, "\(name) cumulative balance")
      check(e.cumulativeDeficitPercentOfDSG, x.cumulativeDeficitPercentOfDSG, money: false, "\(name) deficit %")
      // A deficit within a hair of 1% could fall either side: compare the flag only away from it.
      if abs(x.cumulativeDeficitPercentOfDSG - 1) > Self.countTolerance {
        check(e.deficitAboveOnePercent, x.deficitAboveOnePercent, "\(name) deficit above 1%")
      }
    }
    guard k > 0 else {
      if r.unmitigatedPath != nil || !r.savings.isEmpty {
        failures.append("\(s.name): an unmitigated run or savings without mitigations")
      }
      return
    }
    guard let path = r.unmitigatedPath, let parameters = r.unmitigatedParameters,
      let accounts = r.unmitigatedAccounts, let reserve = r.unmitigatedReserve
    else {
      failures.append("\(s.name): no unmitigated run")
      return
    }
    let none = ReferenceModel.run(s, on: Array(repeating: false, count: k))
    compare(
      s, label: "unmitigated", path: path, parameters: parameters, accounts: accounts, reserve: reserve, with: none)
    guard checkSavings else { return }
    let savings = ReferenceModel.savings(s)
    for i in 0..<k {
      for f in 0..<s.horizonYears {
        check(
          r.savings[i][f], savings[i][f], money: true, scale: none.expenditure[f],
          "\(s.name) saving \(s.mitigations[i].id) \(s.financialYearLabel(f))")
      }
    }
  }

  /// One line for the test log.
  var summary: String {
    "\(cells) cells; largest relative difference \(maxRelative), £\(maxMoney), \(maxCount) plans"
  }
}
