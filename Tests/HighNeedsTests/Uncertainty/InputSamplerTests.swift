import Foundation
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

/// `InputSampler` (streams and Cholesky factor prepared once; deviates no correlated input
/// reads skipped; a once-drawn input's quantile taken once) gives the very values of the plain
/// computation: every input's deviate in every year, every year slot's quantile.
struct InputSamplerTests {
  /// The plain computation, written out: what `Draw.inputValues` computed before the sampler.
  static func plainValues(_ spec: UncertaintySpec, horizon H: Int, generator: Philox4x32, draw: Int) -> [[Double]] {
    let k = spec.inputs.count
    var uniforms = spec.inputs.map { input -> [Double] in
      var s = RandomStream(generator, draw: draw, stream: Draw.stream(for: input.id))
      let first = s.uniform()
      return input.perYear ? [first] + (1..<H).map { _ in s.uniform() } : Array(repeating: first, count: H)
    }
    let correlated = (0..<k).filter { i in (0..<k).contains { j in j != i && spec.rankCorrelation[i][j] != 0 } }
    if !correlated.isEmpty, let l = Copula.cholesky(Copula.pearson(fromSpearman: spec.rankCorrelation)) {
      for y in 0..<H {
        let z = (0..<k).map { Distribution.normalQuantile(uniforms[$0][y]) }
        for i in correlated {
          var zi = 0.0
          for j in 0...i { zi += l[i][j] * z[j] }
          uniforms[i][y] = Distribution.normalCDF(zi)
        }
      }
    }
    return (0..<k).map { i in uniforms[i].map { spec.inputs[i].distribution.quantile($0) } }
  }

  /// Random specs of 1 to 7 inputs, once or per year, of every scalar distribution, with rank
  /// correlations between random pairs (leaving inputs between them uncorrelated), over
  /// horizons of 1 to 12 years and many draws: bit for bit the plain values.
  @Test func theSamplersValuesAreThePlainOnes() {
    var random = SplitMix64(seed: 61)
    let distributions: [Distribution] = [
      .normal(mean: 1, sd: 0.05), .lognormal(median: 1, sdLog: 0.08), .triangular(min: 0.85, mode: 1, max: 1.15),
      .uniform(min: -0.1, max: 0.2), .beta(alpha: 2, beta: 5), .normal(mean: 0, sd: 0),
    ]
    var checked = 0
    for trial in 0..<60 {
      var spec = UncertaintySpec()
      let k = Int.random(in: 1...7, using: &random)
      spec.inputs = (0..<k).map { i in
        UncertainInput(
          id: "input\(trial)_\(i)", target: .incidenceFactor,
          distribution: distributions[Int.random(in: 0..<distributions.count, using: &random)],
          perYear: Bool.random(using: &random))
      }
      var correlation = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0 } }
      if k > 1 {
        for _ in 0..<Int.random(in: 0...2, using: &random) {
          let (i, j) = (Int.random(in: 0..<k, using: &random), Int.random(in: 0..<k, using: &random))
          guard i != j else { continue }
          let rho = Double.random(in: -0.4...0.4, using: &random)
          (correlation[i][j], correlation[j][i]) = (rho, rho)
        }
      }
      spec.rankCorrelation = correlation
      let H = Int.random(in: 1...12, using: &random)
      let generator = Philox4x32(seed: random.next())
      let sampler = InputSampler(spec)
      for draw in 0..<25 {
        let expected = Self.plainValues(spec, horizon: H, generator: generator, draw: draw)
        let got = sampler.values(horizon: H, generator: generator, draw: draw)
        #expect(got.count == expected.count)
        #expect(
          got.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) }, "trial \(trial), draw \(draw)")
        checked += 1
      }
    }
    #expect(checked == 60 * 25)
  }

  /// The Sutton sweep's inputs (incidence and fee inflation correlated, three inputs between and
  /// after them not): the plain values, and `Draw.inputValues` is the sampler's.
  @Test func theSuttonSweepsValuesAreThePlainOnes() throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/baseline.yaml"))
    let sampler = InputSampler(s.uncertainty)
    #expect(sampler.correlated == [0, 3])
    #expect(sampler.needed == [true, false, false, true, false])
    let generator = Philox4x32(seed: 1)
    for draw in 0..<200 {
      let expected = Self.plainValues(s.uncertainty, horizon: s.horizonYears, generator: generator, draw: draw)
      let got = Draw.inputValues(s.uncertainty, horizon: s.horizonYears, generator: generator, draw: draw)
      #expect(got.map { $0.map(\.bitPattern) } == expected.map { $0.map(\.bitPattern) }, "draw \(draw)")
    }
  }
}
