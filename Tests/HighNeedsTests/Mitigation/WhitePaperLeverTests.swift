import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The White Paper's levers: new plans diverted to a targeted tier (with its cost), plans
/// reassessed at a phase transfer, and national price bands capping a cost line's uplift.
struct WhitePaperLeverTests {
  static func lever(_ id: String, _ lever: Mitigation.Lever, start: Int, ramp: Int = 1, ages: ClosedRange<Int> = 0...25)
    -> Mitigation
  {
    Mitigation(id: id, label: id, lever: lever, startAcademicYear: start, rampYears: ramp, ages: ages, source: "test")
  }

  /// Sutton's baseline with `mitigations`, and its index of need `id` and cost line `line`.
  static func sutton(_ mitigations: (Scenario) -> [Mitigation]) throws -> Scenario {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    s.mitigations = mitigations(s)
    return s
  }

  @Test func divertedNewPlansLeaveTheCaseloadAndCostTheirTier() throws {
    let s = try Self.sutton { s in
      let needs = ["ASD", "SEMH"].compactMap { s.taxonomy.needIndex($0) }
      return [
        Self.lever(
          "complex_only", .divertNewPlans(needs: needs, share: 0.4, costPerChild: 5000, supportYears: 2), start: 2026)
      ]
    }
    let none = ModelParameters(scenario: s, mitigationMask: 0)
    let all = ModelParameters(scenario: s, mitigationMask: 1)
    // No effect in 2025/26 (t = 1); from 2026/27 40% of ASD and SEMH new plans are diverted.
    #expect(all.diverted[0][0] == 0)
    let asd = try #require(s.taxonomy.needIndex("ASD"))
    let P = s.placementCount
    let N = s.needCount
    var asdNone = 0.0
    var asdAll = 0.0
    var otherNone = 0.0
    var otherAll = 0.0
    for a in 0..<AgeAxis.count {
      for n in 0..<N {
        for p in 0..<P {
          let i = (a * N + n) * P + p
          if n == asd {
            asdNone += none.newPlans[1][i]
            asdAll += all.newPlans[1][i]
          } else if s.taxonomy.needs[n].id != "SEMH" {
            otherNone += none.newPlans[1][i]
            otherAll += all.newPlans[1][i]
          }
        }
      }
    }
    #expect(abs(asdAll - 0.6 * asdNone) < 1e-9)
    #expect(abs(otherAll - otherNone) < 1e-9)
    let totalNone = none.newPlans[1].reduce(0, +)
    let totalAll = all.newPlans[1].reduce(0, +)
    #expect(abs(all.diverted[1][0] - (totalNone - totalAll)) < 1e-9)
    // The tier costs £5,000 a child a year for two years: 2026-27 = 5/12 of 2025/26 (none) +
    // 7/12 of 2026/27 (the first year's children); 2027-28 = 5/12 · first + 7/12 · (first + second).
    let d = all.diverted.map { $0[0] }
    let early = 5.0 / 12.0
    let late = 7.0 / 12.0
    let expected: [Double] = [
      0, late * d[1], early * d[1] + late * (d[1] + d[2]), early * (d[1] + d[2]) + late * (d[2] + d[3]),
    ]
    for f in 0..<4 {
      let cost: Double = all.mitigationCost[f][0]
      #expect(abs(cost - 5000 * expected[f]) < 1e-6, "2025-26 + \(f)")
    }
    #expect(IntegrityChecks.failures(try ScenarioRun.run(s)).isEmpty)
  }

  @Test func reassessmentAtATransferAddsToCessationAtThoseAgesOnly() throws {
    let s = try Self.sutton { _ in [Self.lever("reassess", .reassessAtTransfer(share: 0.1), start: 2029, ages: 10...10)]
    }
    let none = ModelParameters(scenario: s, mitigationMask: 0)
    let all = ModelParameters(scenario: s, mitigationMask: 1)
    let P = s.placementCount
    let t = 2029 - s.baseCensusYear  // the year to census 2030: academic year 2029/30
    for p in 0..<P {
      let ceased: Double = 1 - all.survival[t][10 * P + p]
      let before: Double = 1 - none.survival[t][10 * P + p]
      #expect(abs(ceased - min(1, before + 0.1)) < 1e-12)
      #expect(all.survival[t][11 * P + p] == none.survival[t][11 * P + p])
      #expect(all.survival[t - 1][10 * P + p] == none.survival[t - 1][10 * P + p])
    }
  }

  @Test func priceBandsCapTheUpliftOfOneCostLineFromTheirStart() throws {
    let s = try Self.sutton { s in
      let line = s.costLines.firstIndex { $0.id == "independent_special" } ?? -1
      return [Self.lever("bands", .capUplift(line: line, uplift: 0.01, effect: 1), start: 2027, ramp: 2)]
    }
    let line = try #require(s.costLines.first { $0.id == "independent_special" })
    let p = try #require(line.placements.first)
    let none = ModelParameters(scenario: s, mitigationMask: 0)
    let all = ModelParameters(scenario: s, mitigationMask: 1)
    let u = line.uplift
    #expect(u > 0.01)
    // Census t's academic year starts in B + t − 1: 2027/28 is t = 3 (half strength), 2028/29 full.
    let t = 2027 - s.baseCensusYear + 1
    #expect(all.topUp[t - 1][p] == none.topUp[t - 1][p])
    let halfway = 1 + u - 0.5 * (u - 0.01)
    #expect(abs(all.topUp[t][p] / all.topUp[t - 1][p] - halfway) < 1e-12)
    #expect(abs(all.topUp[t + 1][p] / all.topUp[t][p] - 1.01) < 1e-12)
    // Other lines keep their uplift.
    let other = try #require(s.costLines.first { $0.id == "maintained_special" }?.placements.first)
    #expect(all.topUp[t + 1][other] == none.topUp[t + 1][other])
  }
}
