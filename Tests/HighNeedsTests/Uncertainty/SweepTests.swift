import Foundation
import Numerics
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

@Suite struct SweepTests {
  static func withUncertainty(_ yaml: String) throws -> Scenario {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 + "\n" + yaml }
    return try ScenarioLoader.load(path: path)
  }

  @Test func zeroVarianceSweepEqualsTheDeterministicRun() throws {
    let s = try Self.withUncertainty(
      """
      uncertainty:
        inputs:
          - {id: inc, target: incidence_factor, varies: per_year, distribution: {type: normal, mean: 1, sd: 0}}
          - {id: fees, target: top_up_factor, distribution: {type: uniform, min: 1, max: 1}}
          - {id: grow, target: hnb_growth_shock, varies: per_year, distribution: {type: normal, mean: 0, sd: 0}}
          - {id: ceas, target: cessation_factor, distribution: {type: lognormal, median: 1, sd_log: 0}}
      """)
    #expect(s.uncertainty.inputs.count == 4)
    let deterministic = try ScenarioRun.run(s)
    let rows = try Sweep.run(s, seed: 3, draws: 5, batches: 0..<1)
    let H = s.horizonYears
    // The batched projection adds in a different order from the deterministic one: equal to
    // 1e-9 relative (1e-3 gbp on a balance near zero).
    func same(_ a: Double, _ b: Double) -> Bool {
      a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-3) || a.isApproximatelyEqual(to: b, relativeTolerance: 1e-9)
    }
    for row in rows {
      for f in 0..<H {
        #expect(same(row[SweepMetric.totalPlans.index * H + f], deterministic.kpis[f].totalPlans))
        #expect(same(row[SweepMetric.expenditure.index * H + f], deterministic.accounts[f].expenditure))
        #expect(same(row[SweepMetric.cumulativeBalance.index * H + f], deterministic.reserve[f].closing))
      }
    }
  }

  @Test func drawsDoNotDependOnTheirBatch() throws {
    let s = try Self.withUncertainty(
      """
      uncertainty:
        inputs:
          - {id: inc, target: incidence_factor, distribution: {type: lognormal, median: 1, sd_log: 0.1}}
          - {id: fees, target: top_up_factor, distribution: {type: triangular, min: 0.9, mode: 1, max: 1.2}}
        rank_correlation:
          - {between: [inc, fees], rho: 0.5}
        transition_concentration: 50
        new_plan_mix_concentration: 50
      """)
    let generator = Philox4x32(seed: 11)
    let model = SweepModel(s)
    let all = try Sweep.metrics(model, (0..<6).map { try model.draw($0, generator: generator) })
    let alone = try Sweep.metrics(model, [try model.draw(4, generator: generator)])
    #expect(all[4] == alone[0])
    #expect(all[0] != all[1])
  }

  @Test func rankCorrelationIsReproduced() throws {
    var spec = UncertaintySpec()
    spec.inputs = [
      UncertainInput(id: "a", target: .incidenceFactor, distribution: .uniform(min: 0, max: 1), perYear: false),
      UncertainInput(id: "b", target: .cessationFactor, distribution: .beta(alpha: 2, beta: 5), perYear: false),
    ]
    spec.rankCorrelation = [[1, 0.6], [0.6, 1]]
    let g = Philox4x32(seed: 5)
    let n = 4000
    let pairs = (0..<n).map { Draw.inputValues(spec, horizon: 1, generator: g, draw: $0) }
    func ranks(_ x: [Double]) -> [Double] {
      var r = Array(repeating: 0.0, count: x.count)
      for (k, i) in x.indices.sorted(by: { x[$0] < x[$1] }).enumerated() { r[i] = Double(k) }
      return r
    }
    let ra = ranks(pairs.map { $0[0][0] })
    let rb = ranks(pairs.map { $0[1][0] })
    let m = Double(n - 1) / 2
    let cov = zip(ra, rb).map { ($0 - m) * ($1 - m) }.reduce(0, +)
    let varA = ra.map { ($0 - m) * ($0 - m) }.reduce(0, +)
    // Standard error of Spearman's rho near 0.6 with n = 4000 is about 0.01.
    #expect(abs(cov / varA - 0.6) < 0.04)
  }

  @Test func type7QuantilesAndKnownDistribution() {
    #expect(SweepSummary.quantile([1, 2, 3, 4], 0.5) == 2.5)
    #expect(SweepSummary.quantile([1, 2, 3, 4], 0.25) == 1.75)
    #expect(SweepSummary.quantile([7], 0.9) == 7)
    // 40,000 standard normal draws: the sample p95 has standard error
    // √(p(1−p)/n)/φ(z) ≈ 0.0106; allow 4 of them.
    var s = RandomStream(Philox4x32(seed: 2), draw: 0, stream: 0)
    let xs = (0..<40_000).map { _ in Distribution.normalQuantile(s.uniform()) }.sorted()
    #expect(abs(SweepSummary.quantile(xs, 0.95) - 1.6448536269514722) < 0.043)
    #expect(abs(SweepSummary.quantile(xs, 0.5)) < 0.025)
    #expect(abs(SweepSummary.quantile(xs, 0.10) + 1.2815515655446004) < 0.035)
  }

  @Test func shardsCoverEveryBatchOnce() {
    for n in 1...5 {
      let batches = (1...n).flatMap { Array(Sweep.batches(draws: 1000, shard: $0, of: n, batchSize: 256)) }
      #expect(batches == Array(0..<4))
    }
  }

  @Test func unknownTargetIsAnError() throws {
    #expect(throws: InputError.self) {
      try Self.withUncertainty(
        """
        uncertainty:
          inputs:
            - {id: x, target: nonsense, distribution: {type: normal, mean: 1, sd: 0}}
        """)
    }
  }
}
