import Foundation

@testable import HighNeeds

/// An independent re-implementation of `docs/MODEL.md`, written for the tests.
///
/// It reads the same loaded `Scenario` as the engine (reading inputs is not what it checks) but
/// redoes every calculation from the equations in `docs/MODEL.md` with plain nested loops over
/// flat arrays: no BLAS, no `ModelParameters`, `Projection`, `Accounts`,
/// `KPIs`, `Attribution` or `Mitigation.strength`. Where the document gives a quantity two ways
/// (for example `movedIn`), the reference takes the more direct one, so that the engine's
/// formulation is checked rather than copied. `ReferenceComparison` says how close the two must be.
enum ReferenceModel {
  /// Plans moving into, out of and between one placement in one projected year (counts).
  struct Flows {
    var opening = 0.0
    var newPlans = 0.0
    var ceased = 0.0
    var movedOut = 0.0
    var movedIn = 0.0
    var overflowOut = 0.0
    var overflowIn = 0.0
    var closing = 0.0
  }

  /// Everything one run (one set of mitigations switched on) produces.
  struct Run {
    /// `plans[t][(a · N + n) · P + p]` for `t = 0…H`.
    var plans: [[Double]] = []
    /// `flows[t-1][p]` for `t = 1…H`.
    var flows: [[Flows]] = []
    /// `places[t][p]`: commissioned places after `add_capacity`, `t = 0…H`.
    var places: [[Double]] = []
    /// `topUpLine[f][L]`, `placeFundingLine[f][L]`: financial-year placement costs by cost line.
    var topUpLine: [[Double]] = []
    var placeFundingLine: [[Double]] = []
    /// `central[f][c]`, `mitigationCost[f][m]`.
    var central: [[Double]] = []
    var mitigationCost: [[Double]] = []
    var placementCosts: [Double] = []
    var centralCosts: [Double] = []
    var totalMitigationCosts: [Double] = []
    var expenditure: [Double] = []
    var hnbAllocation: [Double] = []
    /// Positive, as the scenario states them; income subtracts them.
    var deductions: [Double] = []
    var importExport: [Double] = []
    var schoolsBlockTransfer: [Double] = []
    var income: [Double] = []
    var totalDSG: [Double] = []
    var opening: [Double] = []
    var contributions: [Double] = []
    var inYear: [Double] = []
    var closing: [Double] = []
    /// The 2026 settlement's lines (all 0 without one).
    var stabilityGrant: [Double] = []
    var localShare: [Double] = []
    var historicBalance: [Double] = []
    var accruingBalance: [Double] = []
    var generalFundPressure: [Double] = []
    /// The assessment pipeline by `[t-1][age]` (empty without one): requests, refusals,
    /// assessments, assessments ending in a plan, plans started.
    var requests: [[Double]] = []
    var refusals: [[Double]] = []
    var assessments: [[Double]] = []
    var assessmentsToPlans: [[Double]] = []
    var plansStarted: [[Double]] = []
    var kpis: [KPI] = []
  }

  /// The headline measures of one financial year.
  struct KPI {
    var totalPlans = 0.0
    var shareMainstream = 0.0
    var shareInBorough = 0.0
    var shareIndependentSpecial = 0.0
    var averageCostPerPlan = 0.0
    var cumulativeDeficitPercentOfDSG = 0.0
    var deficitAboveOnePercent = false
  }

  /// `e(y)`: a mitigation's strength in the academic year starting in `y` (`docs/MODEL.md`,
  /// "Mitigations").
  static func strength(_ m: Mitigation, academicYearStart y: Int) -> Double {
    if y < m.startAcademicYear { return 0 }
    let ramped = Double(y - m.startAcademicYear + 1) / Double(m.rampYears)
    return ramped < 1 ? ramped : 1
  }

  /// `base^exponent` for an integer exponent, by repeated multiplication or division.
  static func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(exponent) { result *= base }
    return exponent >= 0 ? result : 1 / result
  }

  /// Runs `s` with the mitigations whose flag is set in `on` (`on[i]` for `s.mitigations[i]`).
  static func run(_ s: Scenario, on: [Bool]) -> Run {
    let P = s.placementCount
    let N = s.needCount
    let A = AgeAxis.count
    let oldest = AgeAxis.maxAge
    let H = s.horizonYears
    let B = s.baseCensusYear
    let active = s.mitigations.indices.filter { on[$0] }.map { s.mitigations[$0] }
    var run = Run()

    // Commissioned places, t = 0…H, with `add_capacity` summed before the floor at 0.
    for t in 0...H {
      let y = B + t - 1
      var year = s.commissionedPlaces[t]
      var added = Array(repeating: 0.0, count: P)
      for m in active {
        if case .addCapacity(let p, let places) = m.lever { added[p] += strength(m, academicYearStart: y) * places }
      }
      for p in 0..<P { year[p] = max(0, year[p] + added[p]) }
      run.places.append(year)
    }

    // The assessment pipeline: each year's requests, refusals and assessments at each age with
    // the levers' factors; a share λ of the plans from a year's assessments starts after the
    // census, a year older. The year before the first had the first year's assessments.
    if let pipe = s.pipeline {
      var lastToPlans: [Double] = []
      for i in -1..<H {
        let t = max(i, 0)
        var requestFactor = Array(repeating: 1.0, count: A)
        var refusalFactor = requestFactor
        var conversionFactor = requestFactor
        if i >= 0 {
          for m in active {
            let e = strength(m, academicYearStart: B + i)
            switch m.lever {
            case .scaleRequests(let f): for a in m.ages { requestFactor[a] *= 1 + e * (f - 1) }
            case .scaleRefusals(let f): for a in m.ages { refusalFactor[a] *= 1 + e * (f - 1) }
            case .scaleConversion(let f): for a in m.ages { conversionFactor[a] *= 1 + e * (f - 1) }
            default: break
            }
          }
        }
        var requests = [Double]()
        var refusals = [Double]()
        var assessments = [Double]()
        var toPlans = [Double]()
        for a in 0..<A {
          let r = s.population[t][a] * pipe.requestRate[t][a] * requestFactor[a]
          let refused = r * min(1, pipe.refusalRate[t][a] * refusalFactor[a])
          requests.append(r)
          refusals.append(refused)
          assessments.append(r - refused)
          toPlans.append((r - refused) * min(1, pipe.conversionRate[t][a] * conversionFactor[a]))
        }
        if i >= 0 {
          run.requests.append(requests)
          run.refusals.append(refusals)
          run.assessments.append(assessments)
          run.assessmentsToPlans.append(toPlans)
          run.plansStarted.append(
            (0..<A).map { a in
              (1 - pipe.lagShare) * toPlans[a] + (a == 0 ? 0 : pipe.lagShare * lastToPlans[a - 1])
            })
        }
        lastToPlans = toPlans
      }
    }

    // The state: `x[(a · N + n) · P + p]`, flat so that the debug build stays quick.
    func cell(_ a: Int, _ n: Int, _ p: Int) -> Int { (a * N + n) * P + p }
    var x = s.baselinePlans
    run.plans.append(x)

    // `tier[i][t]`: children mitigation i diverted to the targeted tier in the year to census t.
    var tier = Array(repeating: Array(repeating: 0.0, count: H + 1), count: s.mitigations.count)
    for t in 1...H {
      let y = B + t - 1
      // The share of each age's would-be new plans each mitigation diverts this year.
      var divertedShare = Array(repeating: Array(repeating: 0.0, count: A), count: s.mitigations.count)
      // This year's rates after mitigations, applied in the order listed.
      var cessation = s.cessationRate
      // With a pipeline, incidence levers scale the plans it starts.
      var incidence = s.pipeline == nil ? s.incidenceRate[t - 1] : Array(repeating: 1.0, count: A)
      var mix = s.newPlanMix
      var transition = s.transition
      for i in s.mitigations.indices where on[i] {
        let m = s.mitigations[i]
        let e = strength(m, academicYearStart: y)
        switch m.lever {
        case .divertNewPlans(let needs, let share, _, _):
          for a in m.ages {
            for n in needs {
              for p in 0..<P {
                let moved = mix[a][n * P + p] * share * e
                mix[a][n * P + p] -= moved
                divertedShare[i][a] += moved
              }
            }
          }
        case .reassessAtTransfer(let share):
          for a in m.ages where a < oldest { for p in 0..<P { cessation[a][p] = min(1, cessation[a][p] + e * share) } }
        case .scaleIncidence(let factor):
          for a in m.ages { incidence[a] = incidence[a] * (1 + e * (factor - 1)) }
        case .scaleCessation(let factor):
          for a in m.ages { for p in 0..<P { cessation[a][p] = min(1, cessation[a][p] * (1 + e * (factor - 1))) } }
        case .shiftNewPlans(let from, let to, let share):
          for a in m.ages {
            for n in 0..<N {
              let moved = mix[a][n * P + from] * share * e
              mix[a][n * P + from] -= moved
              mix[a][n * P + to] += moved
            }
          }
        case .shiftNewPlansToTarget(let from, let to, let target):
          for a in m.ages {
            var sFrom = 0.0
            var sTo = 0.0
            for n in 0..<N {
              sFrom += mix[a][n * P + from]
              sTo += mix[a][n * P + to]
            }
            if sFrom == 0 { continue }
            let fraction = e * min(sFrom, max(0, target - sTo)) / sFrom
            for n in 0..<N {
              let moved = mix[a][n * P + from] * fraction
              mix[a][n * P + from] -= moved
              mix[a][n * P + to] += moved
            }
          }
        case .shiftPlacements(let from, let to, let share):
          // T ← T · M with M = I except M[from][from] = 1 − share·e, M[from][to] = share·e,
          // multiplied over the non-zero entries (r, q, M[r][q]) of M.
          var M = Array(repeating: 0.0, count: P * P)
          for p in 0..<P { M[p * P + p] = 1 }
          M[from * P + from] = 1 - share * e
          M[from * P + to] = share * e
          var entries: [(r: Int, q: Int, value: Double)] = []
          for r in 0..<P {
            for q in 0..<P where M[r * P + q] != 0 { entries.append((r, q, M[r * P + q])) }
          }
          for a in m.ages where a < oldest {
            let T = transition[a]
            var product = Array(repeating: 0.0, count: P * P)
            for p in 0..<P {
              for (r, q, value) in entries { product[p * P + q] += T[p * P + r] * value }
            }
            transition[a] = product
          }
        case .unitCost, .addCapacity, .scaleRequests, .scaleRefusals, .scaleConversion, .capUplift:
          break
        }
      }

      // Flows by placement: opening, new, ceased, moved out/in, overflow out/in, closing.
      var opening = Array(repeating: 0.0, count: P)
      var newPlans = opening
      var ceased = opening
      var movedOut = opening
      var movedIn = opening
      var overflowOut = opening
      var overflowIn = opening
      var closing = opening
      for i in 0..<(A * N * P) { opening[i % P] += x[i] }
      // 1. Cessation (every plan ends at 25).
      var kept = x
      for a in 0..<A {
        for n in 0..<N {
          for p in 0..<P {
            let i = (a * N + n) * P + p
            kept[i] = a == oldest ? 0 : x[i] * (1 - cessation[a][p])
            ceased[p] += x[i] - kept[i]
          }
        }
      }
      // 2–3. Transitions, then ageing: the plans aged a at census t−1 are aged a+1 at t.
      var next = Array(repeating: 0.0, count: A * N * P)
      for a in 0..<oldest {
        // The non-zero entries of T_a, (from, to, probability): most plans stay put.
        var moves: [(p: Int, q: Int, probability: Double)] = []
        for p in 0..<P {
          for q in 0..<P where transition[a][p * P + q] != 0 { moves.append((p, q, transition[a][p * P + q])) }
        }
        for n in 0..<N {
          let from = (a * N + n) * P
          let to = ((a + 1) * N + n) * P
          for (p, q, probability) in moves {
            let moved = kept[from + p] * probability
            next[to + q] += moved
            if p != q {
              movedOut[p] += moved
              movedIn[q] += moved
            }
          }
        }
      }
      // 4. New plans, at their age at census t.
      for a in 0..<A {
        let count = (s.pipeline == nil ? s.population[t - 1][a] : run.plansStarted[t - 1][a]) * incidence[a]
        for i in s.mitigations.indices { tier[i][t] += count * divertedShare[i][a] }
        if count == 0 { continue }
        for j in 0..<(N * P) {
          let arrivals = count * mix[a][j]
          next[a * N * P + j] += arrivals
          newPlans[j % P] += arrivals
        }
      }
      // 5. Capacity: demand above places overflows, keeping age and need.
      for p in 0..<P {
        guard let destinations = s.overflow[p] else { continue }
        var demand = 0.0
        for row in 0..<(A * N) { demand += next[row * P + p] }
        let capacity = run.places[t][p]
        if demand <= capacity { continue }
        for row in 0..<(A * N) {
          let excess = next[row * P + p] * (1 - capacity / demand)
          next[row * P + p] -= excess
          overflowOut[p] += excess
          for q in 0..<P {
            next[row * P + q] += excess * destinations[q]
            overflowIn[q] += excess * destinations[q]
          }
        }
      }
      for i in 0..<(A * N * P) { closing[i % P] += next[i] }
      let flows = (0..<P).map {
        Flows(
          opening: opening[$0], newPlans: newPlans[$0], ceased: ceased[$0], movedOut: movedOut[$0],
          movedIn: movedIn[$0], overflowOut: overflowOut[$0], overflowIn: overflowIn[$0], closing: closing[$0])
      }
      run.flows.append(flows)
      run.plans.append(next)
      x = next
    }

    // Academic-year costs for census t = 0…H, by cost line.
    var academicTopUp: [[Double]] = []
    var academicFunding: [[Double]] = []
    for t in 0...H {
      let y = B + t - 1
      let plans = run.plans[t]
      var topUps: [Double] = []
      var funding: [Double] = []
      for line in s.costLines {
        var lineTopUp = 0.0
        var lineFunding = 0.0
        for p in line.placements {
          // National price bands: each year after the price base grows at the line's uplift
          // less the capped part.
          var factor = power(1 + line.uplift, y - s.priceBaseAcademicYear)
          let capped = active.contains {
            if case .capUplift(let l, _, _) = $0.lever { return s.costLines[l].id == line.id }
            return false
          }
          if capped && y > s.priceBaseAcademicYear {
            factor = 1
            for year in (s.priceBaseAcademicYear + 1)...y {
              var rate = line.uplift
              for m in active {
                if case .capUplift(let l, let cap, let effect) = m.lever, s.costLines[l].id == line.id {
                  rate -= strength(m, academicYearStart: year) * effect * max(0, rate - cap)
                }
              }
              factor *= 1 + rate
            }
          }
          for m in active {
            if case .unitCost(let q, let f) = m.lever, q == p {
              factor *= 1 + strength(m, academicYearStart: y) * (f - 1)
            }
          }
          for a in 0..<A {
            for n in 0..<N { lineTopUp += plans[cell(a, n, p)] * s.topUpInput[n * P + p] * factor }
          }
          let rate = s.placeFundingRate[p] * power(1 + s.placeFundingUplift, y - s.priceBaseAcademicYear)
          lineFunding += run.places[t][p] * rate
        }
        topUps.append(lineTopUp)
        funding.append(lineFunding)
      }
      academicTopUp.append(topUps)
      academicFunding.append(funding)
    }

    // Financial years: 5/12 of the academic year ending, 7/12 of the one starting.
    let early = 5.0 / 12.0
    let late = 7.0 / 12.0
    var balance = s.openingBalance
    // The settlement (docs/MODEL.md): the eligible deficit is fixed at the deficit date, before
    // any grant; the balance accruing since is the sum of the later years' flows.
    var eligible = 0.0
    if let st = s.settlement, st.deficitYear < 0 {
      eligible = st.figures.map(\.deficitGBP).min() ?? max(0, -s.openingBalance)
    }
    var accruing = 0.0
    for f in 0..<H {
      let topUps = s.costLines.indices.map { early * academicTopUp[f][$0] + late * academicTopUp[f + 1][$0] }
      let funding = s.costLines.indices.map { early * academicFunding[f][$0] + late * academicFunding[f + 1][$0] }
      let central = s.centralLines.map { $0.baseGBP * power(1 + $0.uplift, B + f - s.priceBaseFinancialYear) }
      let mitigationCost = s.mitigations.indices.map { i -> Double in
        guard on[i] else { return 0 }
        let m = s.mitigations[i]
        var share = 0.0
        if B + f - 1 >= m.startAcademicYear { share += early }
        if B + f >= m.startAcademicYear { share += late }
        var cost = m.annualCostGBP * share
        // The targeted tier: each diverted child costs `costPerChild` a year for `years` years.
        if case .divertNewPlans(_, _, let perChild, let years) = m.lever {
          func children(_ t: Int) -> Double {
            var total = 0.0
            if t >= 1 { for u in max(1, t - years + 1)...t { total += tier[i][u] } }
            return total
          }
          cost += perChild * (early * children(f) + late * children(f + 1))
        }
        return cost
      }
      var placementCosts = 0.0
      for L in s.costLines.indices { placementCosts += topUps[L] + funding[L] }
      var centralCosts = 0.0
      for c in central { centralCosts += c }
      var totalMitigation = 0.0
      for c in mitigationCost { totalMitigation += c }
      let expenditure = placementCosts + centralCosts + totalMitigation
      let transfer = s.income.schoolsBlock[f] * s.income.schoolsBlockTransferPercent[f] / 100
      var income =
        s.income.hnbAllocation[f] - s.income.deductions[f] + s.income.importExportAdjustment[f] + transfer
      for line in s.income.otherLines { income += line.gbp[f] }
      let opening = balance
      let inYear = income - expenditure
      var closing = opening + inYear + s.contributions[f]
      var grant = 0.0
      var local = 0.0
      var pressure = 0.0
      if let st = s.settlement {
        if f == st.deficitYear { eligible = st.figures.map(\.deficitGBP).min() ?? max(0, -closing) }
        if f == st.grantYear { grant = st.writeOffShare * eligible }
        if f == st.localShareYear { local = (1 - st.writeOffShare) * eligible }
        if f > st.deficitYear { accruing += inYear + s.contributions[f] }
        if let last = st.overrideLastYear, f > last, inYear + s.contributions[f] < 0 {
          pressure = -(inYear + s.contributions[f])
        }
      }
      closing += grant + local
      balance = closing
      run.stabilityGrant.append(grant)
      run.localShare.append(local)
      run.accruingBalance.append(accruing)
      run.historicBalance.append(closing - accruing)
      run.generalFundPressure.append(pressure)

      run.topUpLine.append(topUps)
      run.placeFundingLine.append(funding)
      run.central.append(central)
      run.mitigationCost.append(mitigationCost)
      run.placementCosts.append(placementCosts)
      run.centralCosts.append(centralCosts)
      run.totalMitigationCosts.append(totalMitigation)
      run.expenditure.append(expenditure)
      run.hnbAllocation.append(s.income.hnbAllocation[f])
      run.deductions.append(s.income.deductions[f])
      run.importExport.append(s.income.importExportAdjustment[f])
      run.schoolsBlockTransfer.append(transfer)
      run.income.append(income)
      run.totalDSG.append(s.income.totalDSG[f])
      run.opening.append(opening)
      run.contributions.append(s.contributions[f])
      run.inYear.append(inYear)
      run.closing.append(closing)

      // KPIs, from the census inside the financial year (t = f+1).
      var kpi = KPI()
      let previous = run.plans[f]
      let after = run.plans[f + 1]
      var mainstream = 0.0
      var inBorough = 0.0
      var independent = 0.0
      var before = 0.0
      for a in 0..<A {
        for n in 0..<N {
          for p in 0..<P {
            let plans = after[cell(a, n, p)]
            let placement = s.taxonomy.placements[p]
            kpi.totalPlans += plans
            before += previous[cell(a, n, p)]
            if placement.group == .mainstream || placement.group == .resourcedProvision { mainstream += plans }
            if placement.location == .inBorough { inBorough += plans }
            if placement.group == .independentSpecial { independent += plans }
          }
        }
      }
      if kpi.totalPlans > 0 {
        kpi.shareMainstream = mainstream / kpi.totalPlans
        kpi.shareInBorough = inBorough / kpi.totalPlans
        kpi.shareIndependentSpecial = independent / kpi.totalPlans
      }
      let blended = early * before + late * kpi.totalPlans
      kpi.averageCostPerPlan = blended > 0 ? placementCosts / blended : 0
      kpi.cumulativeDeficitPercentOfDSG = max(0, -closing) / s.income.totalDSG[f] * 100
      kpi.deficitAboveOnePercent = kpi.cumulativeDeficitPercentOfDSG > 1
      run.kpis.append(kpi)
    }
    return run
  }

  /// `savings[i][f]`: mitigation `i`'s Shapley value, from the expenditure of every one of the
  /// `2^k` combinations, each run by the reference.
  static func savings(_ s: Scenario) -> [[Double]] {
    let k = s.mitigations.count
    guard k > 0 else { return [] }
    var expenditure: [[Double]] = []
    for mask in 0..<(1 << k) {
      expenditure.append(run(s, on: (0..<k).map { mask & (1 << $0) != 0 }).expenditure)
    }
    func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }
    var savings = Array(repeating: Array(repeating: 0.0, count: s.horizonYears), count: k)
    for i in 0..<k {
      for mask in 0..<(1 << k) where mask & (1 << i) == 0 {
        let size = (0..<k).filter { mask & (1 << $0) != 0 }.count
        let weight = factorial(size) * factorial(k - size - 1) / factorial(k)
        for f in 0..<s.horizonYears {
          savings[i][f] += weight * (expenditure[mask][f] - expenditure[mask | (1 << i)][f])
        }
      }
    }
    return savings
  }
}
