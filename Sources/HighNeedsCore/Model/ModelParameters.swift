import Foundation

/// The year-by-year inputs of one projection run, after mitigations: what the engine steps.
///
/// Built from a `Scenario` and the set of mitigations switched on, so that the unmitigated
/// run, the fully mitigated run and every combination in between are the same code.
public struct ModelParameters: Sendable {
  /// `survival[t-1][age * P + p] = 1 − cessationRate` for the year into census `t`.
  public var survival: [[Double]]
  /// `transition[t-1][age]`: P×P row-stochastic matrix for the year into census `t`.
  public var transition: [[[Double]]]
  /// `newPlans[t-1][cell]`: plans starting in the year to census `t`, at their age at `t`.
  public var newPlans: [[Double]]
  /// `newPlanCount[t-1][age]`: population × incidence, the new plans at each age before the mix.
  public var newPlanCount: [[Double]]
  /// `places[t][p]`: commissioned places in the academic year of census `t`.
  public var places: [[Double]]
  /// `topUp[t][need * P + p]`: gbp per plan in the academic year of census `t` (uplifted).
  public var topUp: [[Double]]
  /// `placeFundingRate[t][p]`: gbp per commissioned place in the academic year of census `t`.
  public var placeFundingRate: [[Double]]
  /// `mitigationCost[f][i]`: cost of mitigation `i` in financial year `f` when it is switched on (gbp).
  public var mitigationCost: [[Double]]
  /// `pipeline[t-1][age]`: requests, refusals, assessments and plans started in the year to
  /// census `t`, when the scenario models the assessment pipeline (empty otherwise).
  public var pipeline: [[PipelineFlows]] = []
  /// `diverted[t-1][i]`: would-be new plans in the year to census `t` that mitigation `i`
  /// (`divert_new_plans`) sends to the targeted tier instead (children; 0 for other levers).
  public var diverted: [[Double]] = []

  /// Builds the parameters of `scenario` with the mitigations whose bit is set in `mask`
  /// (bit `i` = `scenario.mitigations[i]`).
  public init(scenario s: Scenario, mitigationMask mask: Int) {
    let P = s.placementCount
    let N = s.needCount
    let A = AgeAxis.count
    let H = s.horizonYears
    let active = Self.activeMitigations(s, mask: mask)
    let activeIndices = s.mitigations.indices.filter { mask & (1 << $0) != 0 }
    var divertedByYear: [[Double]] = []

    survival = []
    transition = []
    newPlans = []
    newPlanCount = []
    let flows =
      s.pipeline?.flows(
        population: s.population,
        factors: (1...H).map { Self.pipelineFactors(active, academicYearStart: s.baseCensusYear + $0 - 1) }) ?? []
    pipeline = flows
    for t in 1...H {
      let academicStart = s.baseCensusYear + t - 1
      var cessation = s.cessationRate
      // With a pipeline, incidence levers scale the plans it starts.
      var incidence = flows.isEmpty ? s.incidenceRate[t - 1] : Array(repeating: 1, count: A)
      var mix = s.newPlanMix
      var matrices = s.transition
      Self.applyRateLevers(active, academicYearStart: academicStart, placements: P, &cessation, &incidence)
      let divertedShares = Self.applyMixLevers(
        active, academicYearStart: academicStart, placements: P, needs: N, &mix)
      Self.applyPlacementLevers(active, academicYearStart: academicStart, placements: P, &matrices)
      var yearSurvival = Array(repeating: 0.0, count: A * P)
      for a in 0..<A {
        // Every plan ends before age 26, whatever the inputs say.
        for p in 0..<P { yearSurvival[a * P + p] = a == AgeAxis.maxAge ? 0 : 1 - cessation[a][p] }
      }
      survival.append(yearSurvival)
      transition.append(matrices)
      let count =
        flows.isEmpty
        ? (0..<A).map { s.population[t - 1][$0] * incidence[$0] }
        : (0..<A).map { flows[t - 1][$0].plansStarted * incidence[$0] }
      newPlanCount.append(count)
      var yearDiverted = Array(repeating: 0.0, count: s.mitigations.count)
      for (k, i) in activeIndices.enumerated() {
        for a in 0..<A where divertedShares[k][a] != 0 { yearDiverted[i] += count[a] * divertedShares[k][a] }
      }
      divertedByYear.append(yearDiverted)
      var arrivals = Array(repeating: 0.0, count: A * N * P)
      for a in 0..<A where count[a] != 0 {
        for j in 0..<(N * P) { arrivals[a * N * P + j] = count[a] * mix[a][j] }
      }
      newPlans.append(arrivals)
    }

    diverted = divertedByYear
    // A mitigation's cost runs by academic year from its start, blended into financial years
    // like every other cost: 5/12 of the academic year ending, 7/12 of the one starting.
    mitigationCost = (0..<H).map { f in
      s.mitigations.enumerated().map { i, m in
        guard mask & (1 << i) != 0 else { return 0 }
        let ending = s.baseCensusYear + f - 1 >= m.startAcademicYear ? ModelConstants.endingAcademicYearShare : 0
        let starting = s.baseCensusYear + f >= m.startAcademicYear ? ModelConstants.startingAcademicYearShare : 0
        return m.annualCostGBP * (ending + starting)
      }
    }
    // The targeted tier's cost: each diverted child for `supportYears` academic years.
    for (i, m) in s.mitigations.enumerated() {
      guard mask & (1 << i) != 0, case .divertNewPlans(_, _, let cost, let years) = m.lever, cost != 0 else {
        continue
      }
      // `tier[t]`: children in the tier in the academic year of census `t` (0 at the base census).
      let tier = (0...H).map { t in
        t == 0 ? 0 : (max(1, t - years + 1)...t).reduce(0.0) { $0 + divertedByYear[$1 - 1][i] }
      }
      for f in 0..<H {
        mitigationCost[f][i] +=
          cost
          * (ModelConstants.endingAcademicYearShare * tier[f] + ModelConstants.startingAcademicYearShare * tier[f + 1])
      }
    }
    places = []
    topUp = []
    placeFundingRate = []
    for t in 0...H {
      let academicStart = s.baseCensusYear + t - 1
      var yearPlaces = s.commissionedPlaces[t]
      var added = Array(repeating: 0.0, count: P)
      var yearTopUp = Array(repeating: 0.0, count: N * P)
      for (l, line) in s.costLines.enumerated() {
        let uplift = Self.topUpUplift(
          active, line: l, rate: line.uplift, from: s.priceBaseAcademicYear, to: academicStart)
        for p in line.placements {
          for n in 0..<N { yearTopUp[n * P + p] = s.topUpInput[n * P + p] * uplift }
        }
      }
      for m in active {
        let e = m.strength(academicYearStart: academicStart)
        if e == 0 { continue }
        switch m.lever {
        case .unitCost(let p, let factor):
          for n in 0..<N { yearTopUp[n * P + p] *= 1 + e * (factor - 1) }
        case .addCapacity(let p, let extra):
          added[p] += e * extra
        default:
          break
        }
      }
      // Places added by all the levers are summed, then floored at 0: the order the
      // mitigations are listed in does not matter.
      for p in 0..<P where added[p] != 0 { yearPlaces[p] = max(0, yearPlaces[p] + added[p]) }
      let rateUplift = pow(1 + s.placeFundingUplift, Double(academicStart - s.priceBaseAcademicYear))
      places.append(yearPlaces)
      topUp.append(yearTopUp)
      placeFundingRate.append(s.placeFundingRate.map { $0 * rateUplift })
    }
  }
}

extension ModelParameters {
  /// The scenario's mitigations whose bit is set in `mask`, in file order.
  static func activeMitigations(_ s: Scenario, mask: Int) -> [Mitigation] {
    s.mitigations.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
  }

  /// Applies the incidence and cessation levers of `active` in the academic year starting in
  /// `academicYearStart` (cessation capped at 1; age 25 is left to the projection).
  static func applyRateLevers(
    _ active: [Mitigation], academicYearStart year: Int, placements P: Int, _ cessation: inout [[Double]],
    _ incidence: inout [Double]
  ) {
    for m in active {
      let e = m.strength(academicYearStart: year)
      if e == 0 { continue }
      switch m.lever {
      case .scaleIncidence(let factor):
        for a in m.ages { incidence[a] *= 1 + e * (factor - 1) }
      case .scaleCessation(let factor):
        for a in m.ages where a < AgeAxis.maxAge {
          for p in 0..<P { cessation[a][p] = min(1, cessation[a][p] * (1 + e * (factor - 1))) }
        }
      case .reassessAtTransfer(let share):
        for a in m.ages where a < AgeAxis.maxAge {
          for p in 0..<P { cessation[a][p] = min(1, cessation[a][p] + e * share) }
        }
      default:
        break
      }
    }
  }

  /// The uplift of cost line `line`'s top-ups from the price base's academic year `from` to the
  /// one starting in `to`: `(1 + rate)^(to − from)`, or with a `cap_uplift` lever on the line,
  /// the product of each later year's `1 + rate − e · effect · max(0, rate − cap)`.
  static func topUpUplift(_ active: [Mitigation], line: Int, rate: Double, from: Int, to: Int) -> Double {
    let caps = active.compactMap { m -> (Mitigation, Double, Double)? in
      if case .capUplift(let l, let cap, let effect) = m.lever, l == line { return (m, cap, effect) }
      return nil
    }
    guard !caps.isEmpty, to > from else { return pow(1 + rate, Double(to - from)) }
    var factor = 1.0
    for year in (from + 1)...to {
      var r = rate
      for (m, cap, effect) in caps { r -= m.strength(academicYearStart: year) * effect * max(0, r - cap) }
      factor *= 1 + r
    }
    return factor
  }

  /// The factors the pipeline levers of `active` put on requests, refusals and conversion at
  /// each age in the academic year starting in `year` (`1 + e · (factor − 1)`, as every lever).
  static func pipelineFactors(_ active: [Mitigation], academicYearStart year: Int) -> PipelineLeverFactors {
    var f = PipelineLeverFactors(ages: AgeAxis.count)
    for m in active {
      let e = m.strength(academicYearStart: year)
      if e == 0 { continue }
      switch m.lever {
      case .scaleRequests(let factor):
        for a in m.ages { f.requests[a] *= 1 + e * (factor - 1) }
      case .scaleRefusals(let factor):
        for a in m.ages { f.refusals[a] *= 1 + e * (factor - 1) }
      case .scaleConversion(let factor):
        for a in m.ages { f.conversion[a] *= 1 + e * (factor - 1) }
      default:
        break
      }
    }
    return f
  }

  /// True when a lever of `active` moves new plans between placements in that academic year.
  static func hasMixLevers(_ active: [Mitigation], academicYearStart year: Int) -> Bool {
    active.contains { m in
      switch m.lever {
      case .shiftNewPlans, .shiftNewPlansToTarget, .divertNewPlans: return m.strength(academicYearStart: year) != 0
      default: return false
      }
    }
  }

  /// Applies the levers of `active` that move new plans (`mix[age][need · P + p]`) in the
  /// academic year starting in `academicYearStart`, in file order.
  ///
  /// Returns, for each lever of `active`, the share of each age's would-be new plans it diverts
  /// (`divert_new_plans`; 0 for the other levers).
  @discardableResult
  static func applyMixLevers(
    _ active: [Mitigation], academicYearStart year: Int, placements P: Int, needs N: Int, _ mix: inout [[Double]]
  ) -> [[Double]] {
    var diverted = Array(repeating: Array(repeating: 0.0, count: AgeAxis.count), count: active.count)
    for (i, m) in active.enumerated() {
      let e = m.strength(academicYearStart: year)
      if e == 0 { continue }
      switch m.lever {
      case .divertNewPlans(let needs, let share, _, _):
        for a in m.ages {
          for n in needs {
            for p in 0..<P {
              let moved = mix[a][n * P + p] * share * e
              mix[a][n * P + p] -= moved
              diverted[i][a] += moved
            }
          }
        }
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
          var fromShare = 0.0
          var toShare = 0.0
          for n in 0..<N {
            fromShare += mix[a][n * P + from]
            toShare += mix[a][n * P + to]
          }
          guard fromShare > 0 else { continue }
          let fraction = e * min(fromShare, max(0, target - toShare)) / fromShare
          for n in 0..<N {
            let moved = mix[a][n * P + from] * fraction
            mix[a][n * P + from] -= moved
            mix[a][n * P + to] += moved
          }
        }
      default:
        break
      }
    }
    return diverted
  }

  /// Applies the levers of `active` that move plans between placements to the transition
  /// matrices (`matrices[age]`, P×P) in the academic year starting in `academicYearStart`.
  ///
  /// Each lever is `T ← T · M` with `M = I − σ e_from e_fromᵀ + σ e_from e_toᵀ`, `σ = share ·
  /// strength`: whoever would land in `from` goes on to `to` with probability σ. Applied to
  /// identity matrices this gives the product of the levers' `M`s (see `BatchProjection`).
  static func applyPlacementLevers(
    _ active: [Mitigation], academicYearStart year: Int, placements P: Int, _ matrices: inout [[Double]]
  ) {
    for m in active {
      let e = m.strength(academicYearStart: year)
      if e == 0 { continue }
      guard case .shiftPlacements(let from, let to, let share) = m.lever else { continue }
      let sigma = share * e
      for a in m.ages where a < AgeAxis.maxAge {
        for row in 0..<P {
          let moved = matrices[a][row * P + from] * sigma
          matrices[a][row * P + from] -= moved
          matrices[a][row * P + to] += moved
        }
      }
    }
  }
}
