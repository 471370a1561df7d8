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
  /// `places[t][p]`: commissioned places in the academic year of census `t`.
  public var places: [[Double]]
  /// `topUp[t][need * P + p]`: gbp per plan in the academic year of census `t` (uplifted).
  public var topUp: [[Double]]
  /// `placeFundingRate[t][p]`: gbp per commissioned place in the academic year of census `t`.
  public var placeFundingRate: [[Double]]
  /// `mitigationCost[f][i]`: cost of mitigation `i` in financial year `f` when it is switched on (gbp).
  public var mitigationCost: [[Double]]

  /// Builds the parameters of `scenario` with the mitigations whose bit is set in `mask`
  /// (bit `i` = `scenario.mitigations[i]`).
  public init(scenario s: Scenario, mitigationMask mask: Int) {
    let P = s.placementCount
    let N = s.needCount
    let A = AgeAxis.count
    let H = s.horizonYears
    let active = s.mitigations.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)

    survival = []
    transition = []
    newPlans = []
    for t in 1...H {
      let academicStart = s.baseCensusYear + t - 1
      var cessation = s.cessationRate
      var incidence = s.incidenceRate[t - 1]
      var mix = s.newPlanMix
      var matrices = s.transition
      for m in active {
        let e = m.strength(academicYearStart: academicStart)
        if e == 0 { continue }
        switch m.lever {
        case .scaleIncidence(let factor):
          for a in m.ages { incidence[a] *= 1 + e * (factor - 1) }
        case .scaleCessation(let factor):
          for a in m.ages where a < AgeAxis.maxAge {
            for p in 0..<P { cessation[a][p] = min(1, cessation[a][p] * (1 + e * (factor - 1))) }
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
        case .shiftPlacements(let from, let to, let share):
          // T' = T · M, where M sends σ = share·e of whoever lands in `from` on to `to`.
          let sigma = share * e
          for a in m.ages where a < AgeAxis.maxAge {
            for row in 0..<P {
              let moved = matrices[a][row * P + from] * sigma
              matrices[a][row * P + from] -= moved
              matrices[a][row * P + to] += moved
            }
          }
        case .unitCost, .addCapacity:
          break
        }
      }
      var yearSurvival = Array(repeating: 0.0, count: A * P)
      for a in 0..<A {
        // Every plan ends before age 26, whatever the inputs say.
        for p in 0..<P { yearSurvival[a * P + p] = a == AgeAxis.maxAge ? 0 : 1 - cessation[a][p] }
      }
      survival.append(yearSurvival)
      transition.append(matrices)
      var arrivals = Array(repeating: 0.0, count: A * N * P)
      for a in 0..<A {
        let count = s.population[t - 1][a] * incidence[a]
        if count == 0 { continue }
        for j in 0..<(N * P) { arrivals[a * N * P + j] = count * mix[a][j] }
      }
      newPlans.append(arrivals)
    }

    // A mitigation's cost runs by academic year from its start, blended into financial years
    // like every other cost: 5/12 of the academic year ending, 7/12 of the one starting.
    mitigationCost = (0..<H).map { f in
      s.mitigations.enumerated().map { i, m in
        guard mask & (1 << i) != 0 else { return 0 }
        let ending = s.baseCensusYear + f - 1 >= m.startAcademicYear ? 5.0 / 12.0 : 0
        let starting = s.baseCensusYear + f >= m.startAcademicYear ? 7.0 / 12.0 : 0
        return m.annualCostGBP * (ending + starting)
      }
    }
    places = []
    topUp = []
    placeFundingRate = []
    for t in 0...H {
      let academicStart = s.baseCensusYear + t - 1
      var yearPlaces = s.commissionedPlaces[t]
      var yearTopUp = Array(repeating: 0.0, count: N * P)
      for line in s.costLines {
        let uplift = pow(1 + line.uplift, Double(academicStart - s.priceBaseAcademicYear))
        for p in line.placements {
          for n in 0..<N { yearTopUp[n * P + p] = s.topUp[n * P + p] * uplift }
        }
      }
      for m in active {
        let e = m.strength(academicYearStart: academicStart)
        if e == 0 { continue }
        switch m.lever {
        case .unitCost(let p, let factor):
          for n in 0..<N { yearTopUp[n * P + p] *= 1 + e * (factor - 1) }
        case .addCapacity(let p, let extra):
          yearPlaces[p] = max(0, yearPlaces[p] + e * extra)
        default:
          break
        }
      }
      let rateUplift = pow(1 + s.placeFundingUplift, Double(academicStart - s.priceBaseAcademicYear))
      places.append(yearPlaces)
      topUp.append(yearTopUp)
      placeFundingRate.append(s.placeFundingRate.map { $0 * rateUplift })
    }
  }
}
