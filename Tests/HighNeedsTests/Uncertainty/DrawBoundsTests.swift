import Foundation
import Testing

@testable import HighNeeds

/// Issue 13, class A: a sweep never draws an impossible value.
///
/// A normal or lognormal is
/// truncated at its 1e-12 quantiles (`Distribution.supportTail`), so every draw lies in the
/// support a scenario is checked against when it is loaded; a distribution whose support
/// crosses a bound (a negative factor, a shock of -1 or less, an incidence factor that takes a
/// rate above 1) is refused then.
@Suite struct DrawBoundsTests {
  /// A random distribution of each kind, from `stream`.
  static func randomDistribution(_ stream: inout RandomStream) -> Distribution {
    func value(_ range: ClosedRange<Double>) -> Double {
      range.lowerBound + stream.uniform() * (range.upperBound - range.lowerBound)
    }
    switch Int(stream.uniform() * 5) {
    case 0: return .normal(mean: value(-1e6...1e6), sd: pow(10, value(-6...6)))
    case 1: return .lognormal(median: pow(10, value(-6...6)), sdLog: value(0...10))
    case 2:
      let ends = [value(-1e3...1e3), value(-1e3...1e3), value(-1e3...1e3)].sorted()
      return .triangular(min: ends[0], mode: ends[1], max: ends[2])
    case 3:
      let ends = [value(-1e3...1e3), value(-1e3...1e3)].sorted()
      return .uniform(min: ends[0], max: ends[1])
    default: return .beta(alpha: pow(10, value(-3...6)), beta: pow(10, value(-3...6)))
    }
  }

  /// Property: for 2,000 random distributions and uniforms from the extremes (0, the smallest
  /// a stream can give, just inside and outside 1e-12, 1) and at random, every quantile is
  /// finite and inside `support`.
  @Test func everyDrawLiesInTheSupportCheckedAtLoad() {
    var stream = RandomStream(Philox4x32(seed: 13), draw: 0, stream: 0)
    let extremes: [Double] = [
      0, 5.551115123125783e-17, 1e-300, 1e-13, 1e-12, 1.0000001e-12, 0.5, 1 - 1e-12, 1 - 1e-13, 1.0.nextDown, 1,
    ]
    for _ in 0..<2000 {
      let d = Self.randomDistribution(&stream)
      let support = d.support
      #expect(support.lowerBound.isFinite && support.upperBound.isFinite, "\(d.description)")
      for u in extremes + (0..<20).map({ _ in stream.uniform() }) {
        let x = d.quantile(u)
        #expect(x.isFinite && support.contains(x), "\(d.description) at u = \(u): \(x) outside \(support)")
      }
    }
  }

  /// A normal is cut exactly at its 1e-12 quantiles, and unchanged inside them.
  @Test func theTruncationRuleIsTheStatedOne() {
    let d = Distribution.normal(mean: 0, sd: 1)
    #expect(d.quantile(0) == d.quantile(1e-12))
    #expect(d.quantile(1) == d.quantile(1 - 1e-12))
    #expect(abs(d.quantile(1e-12) + 7.034) < 1e-3)
    #expect(d.quantile(0.3) == Distribution.normalQuantile(0.3))
  }

  static func load(_ inputs: String) throws -> Scenario {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 + "\nuncertainty:\n  inputs:\n" + inputs + "\n" }
    return try ScenarioLoader.load(path: path)
  }

  /// Shocks and factors whose support crosses a bound are refused at load, naming the input's
  /// key, the bound and where the distribution reaches; ones that stay inside load, and every
  /// draw of them keeps the HNB allocation and the top-ups positive.
  @Test func distributionsThatCouldCrossABoundAreRefused() throws {
    let refused: [(String, String)] = [
      (
        "    - {id: grow, target: hnb_growth_shock, varies: per_year, distribution: {type: normal, mean: 0, sd: 0.2}}",
        "uncertainty.inputs.grow.distribution: expected a distribution of shocks above -1 (a shock of -1 or less "
          + "makes the HNB allocation zero or negative); found normal(mean 0, sd 0.2), reaching -1.407"
      ),
      (
        "    - {id: fees, target: top_up_uplift_shock, distribution: {type: uniform, min: -1, max: 0.1}}",
        "uncertainty.inputs.fees.distribution: expected a distribution of shocks above -1 (a shock of -1 or less "
          + "makes top-ups zero or negative); found uniform(min -1, max 0.1), reaching -1"
      ),
      (
        "    - {id: price, target: top_up_factor, distribution: {type: normal, mean: 1, sd: 0.2}}",
        "uncertainty.inputs.price.distribution: expected a distribution of non-negative factors; found "
          + "normal(mean 1, sd 0.2), reaching -0.4069"
      ),
      (
        "    - {id: inc, target: incidence_factor, distribution: {type: uniform, min: 0, max: 150}}",
        "uncertainty.inputs.inc.distribution: expected incidence factors that keep every incidence rate at most 1 "
          + "(the highest rate is 0.01); found uniform(min 0, max 150), reaching 150"
      ),
    ]
    for (input, message) in refused {
      do {
        _ = try Self.load(input)
        Issue.record("loaded: \(input)")
      } catch let error as InputError {
        #expect((error.errorDescription ?? "").hasSuffix(message), "\(error.errorDescription ?? "")")
      }
    }

    let s = try Self.load(
      """
          - {id: grow, target: hnb_growth_shock, varies: per_year, distribution: {type: normal, mean: 0, sd: 0.14}}
          - {id: fees, target: top_up_uplift_shock, varies: per_year, distribution: {type: normal, mean: -0.5, sd: 0.07}}
      """)
    let mitigated = ModelParameters(scenario: s, mitigationMask: (1 << s.mitigations.count) - 1)
    for index in 0..<300 {
      let draw = try Draw(base: s, mitigated: mitigated, generator: Philox4x32(seed: 2), index: index)
      let allocation = draw.scenario(over: s).income.hnbAllocation
      let topUp = draw.parameters(over: mitigated).topUp.joined()
      #expect(!allocation.isEmpty && allocation.allSatisfy { $0 > 0 })
      #expect(!topUp.isEmpty && topUp.allSatisfy { $0 >= 0 })
    }
  }
}
