import Foundation
import Numerics
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

@Suite struct RandomTests {
  /// Known-answer vectors of Philox4x32-10 from Random123's `kat_vectors`.
  @Test func philoxKnownAnswers() {
    let zero = Philox4x32(seed: 0).block((0, 0, 0, 0))
    #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
    let ones = Philox4x32(seed: UInt64.max).block((.max, .max, .max, .max))
    #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
    let pi = Philox4x32(seed: 0x299f_31d0_a409_3822).block((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344))
    #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
  }

  @Test func streamsDependOnlyOnSeedDrawAndStream() {
    let g = Philox4x32(seed: 42)
    var a = RandomStream(g, draw: 7, stream: 3)
    var b = RandomStream(g, draw: 7, stream: 3)
    var c = RandomStream(g, draw: 8, stream: 3)
    let xs = (0..<5).map { _ in a.uniform() }
    #expect(xs == (0..<5).map { _ in b.uniform() })
    #expect(xs != (0..<5).map { _ in c.uniform() })
    #expect(xs.allSatisfy { $0 > 0 && $0 < 1 })
  }

  @Test func uniformMeanAndVariance() {
    var s = RandomStream(Philox4x32(seed: 1), draw: 0, stream: 0)
    let n = 200_000
    let xs = (0..<n).map { _ in s.uniform() }
    let mean = xs.reduce(0, +) / Double(n)
    let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
    // Standard errors: 1/√(12n) ≈ 0.00065 for the mean.
    #expect(abs(mean - 0.5) < 0.003)
    #expect(abs(variance - 1.0 / 12) < 0.001)
  }

  @Test func normalQuantileKnownValues() {
    let cases: [(Double, Double)] = [
      (0.5, 0), (0.975, 1.959963984540054), (0.95, 1.6448536269514722), (0.999, 3.090232306167813),
      (0.001, -3.090232306167813), (1e-10, -6.361340902404056), (0.1, -1.2815515655446004),
    ]
    for (p, x) in cases {
      #expect(Distribution.normalQuantile(p).isApproximatelyEqual(to: x, absoluteTolerance: 1e-12))
    }
  }

  @Test func scalarQuantilesAreExact() {
    #expect(Distribution.uniform(min: 2, max: 4).quantile(0.25) == 2.5)
    // Triangular(0, 1, 2): the median is the mode; P(X < 0.5) = 0.125.
    #expect(Distribution.triangular(min: 0, mode: 1, max: 2).quantile(0.5).isApproximatelyEqual(to: 1))
    #expect(Distribution.triangular(min: 0, mode: 1, max: 2).quantile(0.125).isApproximatelyEqual(to: 0.5))
    #expect(Distribution.lognormal(median: 3, sdLog: 0.2).quantile(0.5).isApproximatelyEqual(to: 3))
    #expect(
      Distribution.normal(mean: 10, sd: 2).quantile(0.975).isApproximatelyEqual(
        to: 10 + 2 * 1.959963984540054, relativeTolerance: 1e-12))
    // Beta(2, 2): F(x) = 3x² − 2x³, so F(0.25) = 0.15625. Beta(1, 3): F(x) = 1 − (1 − x)³.
    #expect(
      Distribution.beta(alpha: 2, beta: 2).quantile(0.15625).isApproximatelyEqual(to: 0.25, absoluteTolerance: 1e-12))
    #expect(
      Distribution.beta(alpha: 1, beta: 3).quantile(0.875).isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-12))
    #expect(
      Distribution.beta(alpha: 0.5, beta: 0.5).quantile(0.5).isApproximatelyEqual(to: 0.5, absoluteTolerance: 1e-12))
  }

  @Test func zeroSpreadGivesTheCentre() {
    for u in [1e-9, 0.3, 0.999] {
      #expect(Distribution.normal(mean: 0.07, sd: 0).quantile(u) == 0.07)
      #expect(Distribution.lognormal(median: 1, sdLog: 0).quantile(u) == 1)
      #expect(Distribution.uniform(min: 5, max: 5).quantile(u) == 5)
    }
  }

  @Test func gammaAndDirichletMoments() {
    var s = RandomStream(Philox4x32(seed: 9), draw: 0, stream: 1)
    let n = 50_000
    for shape in [0.4, 3.0] {
      let xs = (0..<n).map { _ in Distribution.gamma(shape: shape, &s) }
      let mean = xs.reduce(0, +) / Double(n)
      #expect(abs(mean - shape) < 5 * (shape / Double(n)).squareRoot())
    }
    let centre = [0.5, 0.3, 0.2, 0]
    var sums = [0.0, 0, 0, 0]
    for _ in 0..<10_000 {
      let x = Distribution.dirichlet(mean: centre, concentration: 50, &s)
      #expect(abs(x.reduce(0, +) - 1) < 1e-12)
      #expect(x[3] == 0)
      for j in 0..<4 { sums[j] += x[j] }
    }
    for j in 0..<3 { #expect(abs(sums[j] / 10_000 - centre[j]) < 0.005) }
  }

  /// Shapes so small that every gamma underflows to 0 give the mean, not 0/0.
  @Test func aDirichletWhoseGammasAllUnderflowGivesTheMean() {
    var stream = RandomStream(Philox4x32(seed: 2), draw: 0, stream: 1)
    let x = Distribution.dirichlet(mean: [0.25, 0, 0.75], concentration: 1e-300, &stream)
    #expect(x == [0.25, 0, 0.75])
  }

  /// `fill` gives the blocks `block()` would, one by one, and moves the stream past them.
  @Test func fillEqualsSuccessiveBlocks() {
    let g = Philox4x32(seed: 5)
    var a = RandomStream(g, draw: 3, stream: 11)
    var b = RandomStream(g, draw: 3, stream: 11)
    var filled = [(UInt32, UInt32, UInt32, UInt32)](repeating: (0, 0, 0, 0), count: 9)
    filled.withUnsafeMutableBufferPointer { a.fill($0) }
    for k in 0..<9 {
      let w = b.block()
      #expect([w.0, w.1, w.2, w.3] == [filled[k].0, filled[k].1, filled[k].2, filled[k].3])
    }
    #expect(a.uniform() == b.uniform())
  }

  /// The ziggurat's layers close (the top one has the common area to 1e-12, its tail start is
  /// Marsaglia and Tsang's to 11 of their 12 digits) and its deviates
  /// are standard normal: moments and tail frequencies within 5 standard errors over 400,000
  /// draws, and a Kolmogorov–Smirnov distance to `Φ` below the 1% critical value.
  @Test func zigguratDeviatesAreStandardNormal() {
    let z = NormalZiggurat.standard
    let top = z.x[NormalZiggurat.layers - 1]
    #expect(abs(top * (1 - exp(-0.5 * top * top)) / z.layerArea - 1) < 1e-12)
    #expect(abs(z.tailStart - 3.442619855899) < 1e-11)
    #expect(z.x[1] == z.tailStart && z.x[NormalZiggurat.layers] == 0)
    var s = RandomStream(Philox4x32(seed: 17), draw: 0, stream: 4)
    let n = 400_000
    var xs = (0..<n).map { _ -> Double in
      let w = s.block()
      return z.normal(2 * RandomStream.unit(w.0) - 1, layer: Int(w.3 & UInt32(NormalZiggurat.layers - 1)), &s)
    }
    let count = Double(n)
    let mean = xs.reduce(0, +) / count
    let variance = xs.map { $0 * $0 }.reduce(0, +) / count - mean * mean
    #expect(abs(mean) < 5 / count.squareRoot())
    #expect(abs(variance - 1) < 5 * (2 / count).squareRoot())
    // Beyond the tail start (3.44) and beyond 2: P = 2(1 − Φ(x)).
    for x in [2.0, z.tailStart] {
      let p = 2 * (1 - Distribution.normalCDF(x))
      let observed = Double(xs.filter { abs($0) > x }.count) / count
      #expect(abs(observed - p) < 5 * (p * (1 - p) / count).squareRoot())
    }
    xs.sort()
    var distance = 0.0
    for (i, x) in xs.enumerated() {
      let f = Distribution.normalCDF(x)
      distance = max(distance, abs(f - Double(i) / count), abs(f - Double(i + 1) / count))
    }
    #expect(distance < 1.63 / count.squareRoot())
  }

  /// Dirichlet shares have the mean `m_j` and variance `m_j (1 − m_j) / (κ + 1)` of the
  /// distribution, including shares whose gamma shape is below 1 (the boost), within 5
  /// standard errors over 40,000 draws; each draw is a function of (seed, draw, stream).
  @Test func dirichletMomentsWithSmallShapes() {
    let mean = [0.6, 0.3, 0.05, 0.03, 0.02, 0]
    let kappa = 20.0
    let plan = DirichletPlan(mean: mean[...], concentration: kappa)
    let g = Philox4x32(seed: 23)
    let n = 40_000
    var sums = [Double](repeating: 0, count: mean.count)
    var squares = [Double](repeating: 0, count: mean.count)
    for draw in 0..<n {
      var stream = RandomStream(g, draw: draw, stream: 9)
      var x = mean
      x.withUnsafeMutableBufferPointer { plan.draw(into: $0, &stream) }
      #expect(abs(x.reduce(0, +) - 1) < 1e-12)
      #expect(x[5] == 0)
      for j in x.indices {
        sums[j] += x[j]
        squares[j] += x[j] * x[j]
      }
      if draw < 3 {
        var again = RandomStream(g, draw: draw, stream: 9)
        #expect(Distribution.dirichlet(mean: mean, concentration: kappa, &again) == x)
      }
    }
    for j in 0..<5 {
      let m = mean[j]
      let variance = m * (1 - m) / (kappa + 1)
      let sampleMean = sums[j] / Double(n)
      let sampleVariance = squares[j] / Double(n) - sampleMean * sampleMean
      #expect(abs(sampleMean - m) < 5 * (variance / Double(n)).squareRoot())
      // A share is Beta(α, β), α = κ m, β = κ (1 − m); a sample variance has variance about
      // σ⁴ (kurtosis − 1) / n.
      let (alpha, beta) = (kappa * m, kappa * (1 - m))
      let excess =
        6 * ((alpha - beta) * (alpha - beta) * (alpha + beta + 1) - alpha * beta * (alpha + beta + 2))
        / (alpha * beta * (alpha + beta + 2) * (alpha + beta + 3))
      let spread = (variance * variance * (excess + 2) / Double(n)).squareRoot()
      #expect(abs(sampleVariance - variance) < 5 * spread)
    }
  }
}
