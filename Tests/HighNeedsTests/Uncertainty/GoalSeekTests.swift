import Foundation
import Numerics
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// Goal seek on the tiny fixture, where the answer is linear and worked by hand.
@Suite struct GoalSeekTests {
  /// The tiny fixture's closing balance in 2027-28 at the written 0.5% transfer is £1,165,644.60
  /// (TinyScenarioTests); each percent of its £10m Schools Block adds £100,000 a year for three
  /// years, so £1.5m needs `0.5 + (1,500,000 − 1,165,644.60) / 300,000 = 1.6145180` percent.
  static let handAnswer = 0.5 + (1_500_000 - 1_165_644.60) / 300_000

  @Test func transferPercentMeetsABalanceByHand() throws {
    let s = try Fixtures.tiny()
    let variable = try GoalSeekVariable.parse("transfer_percent", scenario: s)
    let target = try GoalSeekTarget.parse("cumulative_balance >= 1_500_000 in 2027-28", scenario: s)
    #expect(variable.asWritten(s) == 0.5)
    let answer = try GoalSeek.solve(from: 0.5, range: 0...100, tolerance: 1e-7) { x in
      try GoalSeek.trial(s, variable: variable, target: target, x: x, draws: 2, seed: 1)
    }
    let value = try #require(answer.value)
    let other = try #require(answer.other)
    #expect(answer.tolerance <= 1e-7)
    #expect(other < Self.handAnswer && Self.handAnswer <= value)
    #expect(value.isApproximatelyEqual(to: Self.handAnswer, absoluteTolerance: 1e-6))
  }

  @Test func aMetTargetNeedsNoChangeAndAnImpossibleOneHasNoAnswer() throws {
    let s = try Fixtures.tiny()
    let variable = try GoalSeekVariable.parse("transfer_percent", scenario: s)
    let met = try GoalSeekTarget.parse("cumulative_balance >= 0 in 2027-28", scenario: s)
    let a = try GoalSeek.solve(from: 0.5, range: 0...100, tolerance: 1e-6) {
      try GoalSeek.trial(s, variable: variable, target: met, x: $0, draws: 2, seed: 1)
    }
    #expect(a.value == 0.5 && a.tolerance == 0)
    let far = try GoalSeekTarget.parse("cumulative_balance >= 1500000 in 2027-28", scenario: s)
    let b = try GoalSeek.solve(from: 0.5, range: 0...1, tolerance: 1e-6) {
      try GoalSeek.trial(s, variable: variable, target: far, x: $0, draws: 2, seed: 1)
    }
    #expect(b.value == nil)
  }

  @Test func bisectionFindsALinearRootOnEitherSide() {
    for root in [-3.7, 0.25, 9.9] {
      let a = GoalSeek.solve(from: 1, range: -10...10, tolerance: 1e-9) { x in
        GoalSeek.Trial(x: x, reported: x, meets: root < 1 ? x <= root : x >= root)
      }
      #expect((a.value ?? .nan).isApproximatelyEqual(to: root, absoluteTolerance: 1e-9))
    }
  }

  @Test func mitigationStrengthZeroIsOffAndOneIsAsWritten() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let s = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/sutton/combined.yaml").path)
    let id = try #require(s.mitigations.first?.id)
    let variable = try GoalSeekVariable.parse("mitigation:" + id, scenario: s)
    var without = s
    without.mitigations.removeFirst()
    let asWritten = try GoalSeek.deterministicMetrics(s)
    #expect(try GoalSeek.deterministicMetrics(variable.applied(0, to: s)) == GoalSeek.deterministicMetrics(without))
    #expect(try GoalSeek.deterministicMetrics(variable.applied(1, to: s)) == asWritten)
    #expect(try GoalSeek.deterministicMetrics(variable.applied(0.5, to: s)) != asWritten)
  }

  @Test func badTargetsAndVariablesAreInputErrors() throws {
    let s = try Fixtures.tiny()
    for text in ["cumulative_balance >= 0", "nonsense >= 0 in 2027-28", "cumulative_balance >= 0 in 2040-41"] {
      #expect(throws: InputError.self) { try GoalSeekTarget.parse(text, scenario: s) }
    }
    #expect(throws: InputError.self) { try GoalSeekVariable.parse("mitigation:none", scenario: s) }
    let p = try GoalSeekTarget.parse("P(cumulative_balance >= 0 in 2027-28) >= 0.8", scenario: s)
    #expect(p.probability == 0.8 && p.metric == .cumulativeBalance && p.year == 2)
  }
}

/// Sweeps run the per-run integrity checks on every draw.
@Suite struct SweepIntegrityTests {
  @Test func everyDrawOfTheSuttonSweepPassesTheChecks() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let s = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/sutton/sweep/combined.yaml").path)
    let generator = Philox4x32(seed: 3)
    let model = SweepModel(s)
    let draws = try (0..<4).map { try model.draw($0, generator: generator) }
    var failures: [String] = []
    _ = Sweep.checkedMetrics(model, draws, failures: &failures)
    #expect(failures.isEmpty, "\(failures.prefix(3))")
  }

  /// Class K of issue 13: each variable's valid range holds its default range, and at both
  /// ends of it every metric of every year is finite and the accounts reconcile (so `--min` and
  /// `--max` inside it cannot lead a goal seek to NaN, infinity or negative plans).
  @Test(arguments: ["incidence", "cessation", "top_up", "hnb_growth", "transfer_percent"])
  func theEndsOfAVariablesRangeRunToFiniteNumbers(_ name: String) throws {
    let s = try Fixtures.tiny()
    let variable = try GoalSeekVariable.parse(name, scenario: s)
    let (valid, _) = variable.validRange
    #expect(valid.contains(variable.defaultRange.lowerBound) && valid.contains(variable.defaultRange.upperBound))
    #expect(valid.contains(variable.asWritten(s)))
    for x in [valid.lowerBound, valid.upperBound] {
      let fixed = try variable.applied(x, to: s)
      let rows = try GoalSeek.metrics(fixed, draws: 2, seed: 1)
      #expect(rows.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(name) at \(x)")
      let plans = SweepMetric.ordered.filter(\.isPlans).map(\.index)
      #expect(
        rows.allSatisfy { row in
          plans.allSatisfy { m in (0..<s.horizonYears).allSatisfy { row[m * s.horizonYears + $0] >= 0 } }
        })
    }
  }
}
