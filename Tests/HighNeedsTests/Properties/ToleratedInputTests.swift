import Foundation
import Testing

@testable import HighNeeds

/// Inputs at the edge of what the loader accepts still run and pass every integrity check.
///
/// Shares and probabilities must sum to 1 within `ScenarioInputs.rateTolerance` (1e-6); the
/// engine conserves plans only if they sum to 1 exactly, so the loader makes them do so.
@Suite struct ToleratedInputTests {
  /// A transition row that lists its stay and sums to 1 + 9e-7, on 1,000 plans.
  @Test func anExplicitStayWithinToleranceConservesPlans() throws {
    let path = try Fixtures.editedTiny("transitions.csv") { $0 + "10,ms,ms,0.9000009\n" }
    var scenario = try ScenarioLoader.load(path: path)
    scenario.baselinePlans = scenario.baselinePlans.map { $0 * 10 }
    let row = (0..<2).reduce(0.0) { $0 + scenario.transition[10][$1] }
    #expect(abs(row - 1) < 1e-15)
    let result = try ScenarioRun.run(scenario)
    #expect(IntegrityChecks.failures(result).isEmpty)
  }

  /// Overflow shares that sum to 1 − 9e-7, with hundreds of plans overflowing.
  @Test func overflowSharesWithinToleranceConservePlans() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(
        of: "  places: places.csv\n", with: "  places: places.csv\n  overflow:\n    sp: {ms: 0.9999991}\n")
    }
    var scenario = try ScenarioLoader.load(path: path)
    #expect(abs((scenario.overflow[1]?.reduce(0, +) ?? 0) - 1) < 1e-15)
    scenario.baselinePlans = scenario.baselinePlans.map { $0 * 50 }
    let result = try ScenarioRun.run(scenario)
    #expect(IntegrityChecks.failures(result).isEmpty)
  }
}
