import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

@Suite struct MitigationTests {
  static func withMitigations(_ mitigations: [Mitigation]) throws -> Scenario {
    var scenario = try Fixtures.tiny()
    scenario.mitigations = mitigations
    return scenario
  }

  static let shift = Mitigation(
    id: "shift", label: "Shift new plans to mainstream", lever: .shiftNewPlans(from: 1, to: 0, share: 0.5),
    startAcademicYear: 2025, rampYears: 2, ages: 0...25, source: "test")
  static let cheaper = Mitigation(
    id: "cheaper", label: "Special top-ups 10% lower", lever: .unitCost(placement: 1, factor: 0.9),
    startAcademicYear: 2026, rampYears: 1, ages: 0...25, source: "test")
  static let fewer = Mitigation(
    id: "fewer", label: "Incidence 20% lower", lever: .scaleIncidence(factor: 0.8),
    startAcademicYear: 2025, rampYears: 1, ages: 0...25, source: "test")

  @Test func rampReachesFullStrength() {
    #expect(Self.shift.strength(academicYearStart: 2024) == 0)
    #expect(Self.shift.strength(academicYearStart: 2025) == 0.5)
    #expect(Self.shift.strength(academicYearStart: 2026) == 1)
    #expect(Self.shift.strength(academicYearStart: 2030) == 1)
  }

  @Test func savingsReconcileWithTheDifferenceOfRuns() throws {
    let scenario = try Self.withMitigations([Self.shift, Self.cheaper, Self.fewer])
    let result = try ScenarioRun.run(scenario)
    var none = scenario
    none.mitigations = []
    let unmitigated = try ScenarioRun.run(none)
    for f in 0..<scenario.horizonYears {
      let difference = unmitigated.accounts[f].expenditure - result.accounts[f].expenditure
      let attributed = result.savings.reduce(0) { $0 + $1[f] }
      #expect(attributed.isApproximatelyEqual(to: difference, absoluteTolerance: 1e-6))
      #expect(
        unmitigated.accounts[f].expenditure.isApproximatelyEqual(
          to: result.unmitigatedAccounts?[f].expenditure ?? 0, absoluteTolerance: 1e-6))
    }
    // Each saving is positive here: every lever lowers cost.
    for line in result.savings { #expect(line.reduce(0, +) > 0) }
  }

  @Test func aLoneMitigationGetsTheWholeDifference() throws {
    let alone = try ScenarioRun.run(try Self.withMitigations([Self.cheaper]))
    let without = try ScenarioRun.run(try Self.withMitigations([]))
    for f in 0..<3 {
      let difference = without.accounts[f].expenditure - alone.accounts[f].expenditure
      #expect(alone.savings[0][f].isApproximatelyEqual(to: difference, absoluteTolerance: 1e-6))
    }
    // Starts in 2026/27: financial year 2025-26 holds no 2026/27 months, so no saving.
    #expect(alone.savings[0][0] == 0)
  }

  @Test func aMitigationsOwnCostIsNettedOffItsSavings() throws {
    var costly = Self.cheaper
    costly.annualCostGBP = 10_000
    let free = try ScenarioRun.run(try Self.withMitigations([Self.shift, Self.cheaper]))
    let paid = try ScenarioRun.run(try Self.withMitigations([Self.shift, costly]))
    // Starts in 2026/27: 7/12 of a year's cost in 2026-27 (September to March), then all of it,
    // all charged to `cheaper`.
    let costs: [Double] = [0, 10_000.0 * 7 / 12, 10_000]
    expectElementwise(paid.accounts.map(\.totalMitigationCosts), costs, absoluteTolerance: 1e-9)
    for f in 0..<3 {
      let cost = costs[f]
      #expect(paid.savings[1][f].isApproximatelyEqual(to: free.savings[1][f] - cost, absoluteTolerance: 1e-6))
      #expect(paid.savings[0][f].isApproximatelyEqual(to: free.savings[0][f], absoluteTolerance: 1e-6))
    }
  }

  @Test func shapleyIsOrderIndependent() throws {
    let forward = try ScenarioRun.run(try Self.withMitigations([Self.shift, Self.cheaper]))
    let backward = try ScenarioRun.run(try Self.withMitigations([Self.cheaper, Self.shift]))
    for f in 0..<3 {
      #expect(forward.savings[0][f].isApproximatelyEqual(to: backward.savings[1][f], absoluteTolerance: 1e-6))
      #expect(forward.savings[1][f].isApproximatelyEqual(to: backward.savings[0][f], absoluteTolerance: 1e-6))
    }
  }

  @Test func shapleyOnAHandWorkedGame() {
    // E(∅)=100, E({0})=80, E({1})=70, E({0,1})=40: the interaction (−10) is split evenly.
    let savings = Attribution.shapley(expenditure: [[100], [80], [70], [40]], mitigations: 2)
    #expect(savings[0][0].isApproximatelyEqual(to: 25))
    #expect(savings[1][0].isApproximatelyEqual(to: 35))
  }

  @Test func shiftingNewPlansMovesThemAndKeepsTheTotal() throws {
    let result = try ScenarioRun.run(try Self.withMitigations([Self.shift]))
    let flows = result.path.flows[0]  // 2026: strength 0.5 → a quarter of sp's 2 new plans move
    #expect(flows[1].newPlans.isApproximatelyEqual(to: 1.5, absoluteTolerance: 1e-12))
    #expect(flows[0].newPlans.isApproximatelyEqual(to: 8.5, absoluteTolerance: 1e-12))
  }

  @Test func shiftingNewPlansTowardsATargetShare() throws {
    // Age 10's new plans are 80% ms, 20% sp; target 90% ms, reached over two years.
    let target = Mitigation(
      id: "target", label: "90% of new plans in mainstream",
      lever: .shiftNewPlansToTarget(from: 1, to: 0, targetShare: 0.9), startAcademicYear: 2025, rampYears: 2,
      ages: 0...25, source: "test")
    let result = try ScenarioRun.run(try Self.withMitigations([target]))
    let newMainstream = result.path.flows.map { $0[0].newPlans }
    expectElementwise(newMainstream, [8.5, 9, 9], absoluteTolerance: 1e-12)
    // A target already met moves nothing.
    let met = Mitigation(
      id: "met", label: "met", lever: .shiftNewPlansToTarget(from: 1, to: 0, targetShare: 0.5),
      startAcademicYear: 2025, rampYears: 1, ages: 0...25, source: "test")
    let unchanged = try ScenarioRun.run(try Self.withMitigations([met]))
    #expect(unchanged.path.flows.map { $0[0].newPlans } == [8, 8, 8])
  }

  /// The tiny scenario with a third placement, independent, taking the overflow from 20
  /// special places.
  static func capacityScenario() throws -> Scenario {
    var scenario = try Fixtures.tiny()
    scenario.taxonomy.placements.append(
      Placement(id: "ind", label: "Independent", group: .independentSpecial, location: .outOfBorough))
    scenario = Self.widened(scenario)
    scenario.commissionedPlaces = scenario.commissionedPlaces.map { _ in [0, 20, 0] }
    scenario.overflow = [nil, [0, 0, 1], nil]
    return scenario
  }

  @Test func capacityLimitOverflowsAndConserves() throws {
    let result = try ScenarioRun.run(try Self.capacityScenario())
    // 2026: 29 special plans demanded, 20 places → 9 overflow to independent.
    #expect(result.path.flows[0][1].overflowOut.isApproximatelyEqual(to: 9, absoluteTolerance: 1e-9))
    #expect(result.path.flows[0][2].overflowIn.isApproximatelyEqual(to: 9, absoluteTolerance: 1e-9))
    #expect(result.path.flows[0][1].closing.isApproximatelyEqual(to: 20, absoluteTolerance: 1e-9))
  }

  /// Adds an empty third placement column to the tiny scenario's arrays.
  static func widened(_ s: Scenario) -> Scenario {
    var s = s
    func widen(_ v: [Double], width: Int) -> [Double] {
      stride(from: 0, to: v.count, by: width).flatMap { Array(v[$0..<($0 + width)]) + [0] }
    }
    s.baselinePlans = widen(s.baselinePlans, width: 2)
    s.newPlanMix = s.newPlanMix.map { widen($0, width: 2) }
    s.cessationRate = s.cessationRate.map { $0 + [$0[0]] }
    s.transition = s.transition.map { m in [m[0], m[1], 0, m[2], m[3], 0, 0, 0, 1] }
    s.topUpInput = widen(s.topUpInput, width: 2).enumerated().map { $0.offset == 2 ? 50_000 : $0.element }
    s.placeFundingRate.append(0)
    s.costLines.append(CostLine(id: "independent", label: "Independent", placements: [2], uplift: 0))
    return s
  }
}
