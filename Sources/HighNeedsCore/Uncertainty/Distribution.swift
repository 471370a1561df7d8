import CKernels
import Foundation

/// A probability distribution of one uncertain input, sampled by its inverse CDF.
///
/// Every scalar distribution is sampled as `F⁻¹(u)` from a uniform `u`, so that inputs can be
/// rank-correlated through a Gaussian copula (`u = Φ(z)` with correlated normal `z`).
public enum Distribution: Sendable, Equatable {
  /// Normal with `mean` and standard deviation `sd` (≥ 0).
  case normal(mean: Double, sd: Double)
  /// `median · exp(sdLog · z)`: lognormal with the given median and log-scale deviation.
  case lognormal(median: Double, sdLog: Double)
  /// Triangular on `[min, max]` with peak `mode`.
  case triangular(min: Double, mode: Double, max: Double)
  /// Uniform on `[min, max]`.
  case uniform(min: Double, max: Double)
  /// Beta with shape parameters `alpha`, `beta` (> 0), for rates in (0, 1).
  case beta(alpha: Double, beta: Double)

  /// The tail probability taken as the ends of an unbounded distribution's support: a normal's
  /// `mean ± 7.03 sd`.
  ///
  /// A normal or lognormal is truncated there (`quantile` clamps `u` to `[supportTail,
  /// 1 − supportTail]`), so every value a sweep can draw lies between `quantile(supportTail)`
  /// and `quantile(1 − supportTail)`: the interval a key's range (or a target's bound) is
  /// checked against when the scenario is loaded. The truncation moves a draw only when its
  /// uniform falls in the outer 1e-12 of either tail (about once in 5e11 draws).
  public static let supportTail = 1e-12

  /// The distribution as written in a scenario file, such as `normal(mean 1, sd 0.05)`.
  public var description: String {
    switch self {
    case .normal(let mean, let sd): return "normal(mean \(format(mean)), sd \(format(sd)))"
    case .lognormal(let median, let sdLog): return "lognormal(median \(format(median)), sd_log \(format(sdLog)))"
    case .triangular(let a, let c, let b): return "triangular(min \(format(a)), mode \(format(c)), max \(format(b)))"
    case .uniform(let a, let b): return "uniform(min \(format(a)), max \(format(b)))"
    case .beta(let alpha, let beta): return "beta(alpha \(format(alpha)), beta \(format(beta)))"
    }
  }

  /// The `u`-quantile, `F⁻¹(u)` for `u` in (0, 1); a normal or lognormal is truncated at its
  /// `supportTail` quantiles (`u` clamped to `[supportTail, 1 − supportTail]`).
  public func quantile(_ u: Double) -> Double {
    switch self {
    case .normal(let mean, let sd):
      return sd == 0 ? mean : mean + sd * Self.normalQuantile(Self.truncated(u))
    case .lognormal(let median, let sdLog):
      return sdLog == 0 ? median : median * exp(sdLog * Self.normalQuantile(Self.truncated(u)))
    case .triangular(let a, let c, let b):
      if a == b { return a }
      let split = (c - a) / (b - a)
      let x = u < split ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c))
      return min(b, max(a, x))
    case .uniform(let a, let b):
      // Kept within [a, b]: `a + u·(b − a)` can round past b for u near 1.
      return a == b ? a : min(b, max(a, a + u * (b - a)))
    case .beta(let alpha, let beta):
      return Self.betaQuantile(u, alpha, beta)
    }
  }

  /// `u` clamped to `[supportTail, 1 − supportTail]` (NaN to the lower end).
  static func truncated(_ u: Double) -> Double {
    u >= supportTail ? min(u, 1 - supportTail) : supportTail
  }

  /// The smallest and largest value a draw can take: the ends of a bounded distribution, the
  /// `supportTail` quantiles of a normal or lognormal.
  public var support: ClosedRange<Double> {
    switch self {
    case .normal, .lognormal: return quantile(Self.supportTail)...quantile(1 - Self.supportTail)
    case .triangular(let a, _, let b): return a...b
    case .uniform(let a, let b): return a...b
    case .beta: return 0...1
    }
  }

  /// The mean of the distribution.
  public var mean: Double {
    switch self {
    case .normal(let mean, _): return mean
    case .lognormal(let median, let sdLog): return median * exp(sdLog * sdLog / 2)
    case .triangular(let a, let c, let b): return (a + b + c) / 3
    case .uniform(let a, let b): return (a + b) / 2
    case .beta(let alpha, let beta): return alpha / (alpha + beta)
    }
  }

  /// `Φ(x)`, the standard normal CDF, from `erfc` (accurate in both tails).
  public static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// `Φ⁻¹(p)`: Acklam's rational approximation (relative error 1.15e-9) refined by one Halley
  /// step on `erfc`, which brings it to about full double precision.
  public static func normalQuantile(_ p: Double) -> Double {
    if p <= 0 { return -.infinity }
    if p >= 1 { return .infinity }
    let a = [
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
      -3.066479806614716e+01, 2.506628277459239e+00,
    ]
    let b = [
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
      -1.328068155288572e+01,
    ]
    let c = [
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
      4.374664141464968e+00, 2.938163982698783e+00,
    ]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      x =
        (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x =
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log1p(-p)).squareRoot()
      x =
        -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
        / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // Halley refinement: e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    let e = normalCDF(x) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
  }

  /// `ln Γ(x)` for `x > 0`.
  static func logGamma(_ x: Double) -> Double { lgamma(x) }

  /// `I_x(a, b)`, the regularized incomplete beta function, by Lentz's continued fraction.
  public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let front = exp(a * log(x) + b * log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b)))
    if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
    let tiny = 1e-300
    var f = 1.0
    var c = 1.0
    var d = 0.0
    for i in 0...400 {
      let m = Double(i / 2)
      let numerator: Double
      if i == 0 {
        numerator = 1
      } else if i % 2 == 0 {
        numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      } else {
        numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
      }
      d = 1 + numerator * d
      if abs(d) < tiny { d = tiny }
      d = 1 / d
      c = 1 + numerator / c
      if abs(c) < tiny { c = tiny }
      let cd = c * d
      f *= cd
      if abs(1 - cd) < 1e-15 { break }
    }
    return front * (f - 1) / a
  }

  /// The beta `u`-quantile: Newton steps on `I_x(α, β) = u`, kept inside a shrinking bracket
  /// (bisection when a step leaves it); converges to about 1e-14.
  static func betaQuantile(_ u: Double, _ alpha: Double, _ beta: Double) -> Double {
    var lo = 0.0
    var hi = 1.0
    var x = alpha / (alpha + beta)
    let logB = logGamma(alpha) + logGamma(beta) - logGamma(alpha + beta)
    for _ in 0..<100 {
      let f = regularizedBeta(x, alpha, beta) - u
      if f < 0 { lo = x } else { hi = x }
      let density = exp((alpha - 1) * log(x) + (beta - 1) * log1p(-x) - logB)
      var next = x - f / density
      if !(next > lo && next < hi) || !density.isFinite || density == 0 { next = (lo + hi) / 2 }
      if abs(next - x) < 1e-15 * max(1, x) || hi - lo < 1e-15 { return next }
      x = next
    }
    return x
  }

  /// A Gamma(`shape`, 1) variate by Marsaglia and Tsang's method, drawing what it needs from
  /// `stream`: below shape 1, a Gamma(`shape + 1`) times the boost `u^(1/shape)` (computed as
  /// `exp(log(u) · (1/shape))`), `u` the first candidate block's spare uniform.
  public static func gamma(shape: Double, _ stream: inout RandomStream) -> Double {
    let boosted = shape < 1
    let (d, c) = marsagliaTsang(boosted ? shape + 1 : shape)
    let first = stream.block()
    let g = gammaCandidate(d: d, c: c, first, &stream) ?? gamma(d: d, c: c, &stream)
    return boosted ? g * exp(log(boostUniform(first)) * (1 / shape)) : g
  }

  /// Marsaglia and Tsang's constants for `shape ≥ 1`: `d = shape − 1/3`, `c = 1 / √(9d)`.
  static func marsagliaTsang(_ shape: Double) -> (d: Double, c: Double) {
    let d = shape - 1.0 / 3.0
    return (d, 1 / (9 * d).squareRoot())
  }

  /// A Gamma(`d + 1/3`, 1) variate from Marsaglia and Tsang's constants: candidates from fresh
  /// blocks of `stream` until one is accepted.
  static func gamma(d: Double, c: Double, _ stream: inout RandomStream) -> Double {
    while true {
      if let g = gammaCandidate(d: d, c: c, stream.block(), &stream) { return g }
    }
  }

  /// Marsaglia and Tsang's candidate from one block of four random words, or nil when it is
  /// rejected.
  ///
  /// The normal deviate comes from the ziggurat (`NormalZiggurat`): its signed uniform from word
  /// 0, its layer from the low 7 bits of word 3; the acceptance uniform is word 1. Word 2 and
  /// the top 21 bits of word 3 are left for `boostUniform`. `stream` is read only when the
  /// ziggurat's first try fails (about 1.2% of candidates).
  @inline(__always)
  static func gammaCandidate(
    d: Double, c: Double, _ w: RandomStream.Block, _ stream: inout RandomStream
  ) -> Double? {
    let z = NormalZiggurat.standard.normal(
      2 * RandomStream.unit(w.0) - 1, layer: Int(w.3 & UInt32(NormalZiggurat.layers - 1)), &stream)
    let v0 = 1 + c * z
    if v0 <= 0 { return nil }
    let v = v0 * v0 * v0
    let u = RandomStream.unit(w.1)
    // The squeeze accepts most candidates without a logarithm; it never accepts one the full
    // test would reject.
    let z2 = z * z
    if u < 1 - 0.0331 * z2 * z2 { return d * v }
    if log(u) < 0.5 * z2 + d - d * v + d * log(v) { return d * v }
    return nil
  }

  /// The uniform (53 bits) of a gamma's first candidate block that the candidate does not use:
  /// word 2 and the top 21 bits of word 3.
  @inline(__always)
  static func boostUniform(_ w: RandomStream.Block) -> Double { RandomStream.unit(w.2, w.3) }

  /// A Dirichlet draw around `mean` (shares summing to 1) with concentration `κ`:
  /// `x_j = G_j / Σ G`, `G_j ~ Gamma(κ · mean_j)`; zero shares stay zero (see `DirichletPlan`).
  public static func dirichlet(mean: [Double], concentration: Double, _ stream: inout RandomStream) -> [Double] {
    var x = mean
    let plan = DirichletPlan(mean: mean[...], concentration: concentration)
    x.withUnsafeMutableBufferPointer { plan.draw(into: $0, &stream) }
    return x
  }
}

/// A Dirichlet around a fixed mean, prepared once for many draws: each positive share's
/// position and its gamma sampler's constants (which depend only on the share and `κ`).
///
/// A draw of `K` positive shares takes the first `K` blocks of its stream together (one
/// independent computation each, which the processor overlaps), the `k`-th block giving the
/// `k`-th gamma's first candidate and its boost uniform; the rare rejected candidates continue
/// the stream after them.
public struct DirichletPlan: Sendable {
  /// The positive shares' positions in the mean, in order.
  let indices: [Int]
  /// Their gammas' constants, in the same order.
  let gammas: GammaConstants

  /// The number of positive shares: the shares a draw gives.
  var count: Int { indices.count }

  /// The plan of `Dirichlet(κ · mean)`.
  public init(mean: ArraySlice<Double>, concentration κ: Double) {
    indices = mean.indices.filter { mean[$0] > 0 }.map { $0 - mean.startIndex }
    gammas = GammaConstants(shapes: indices.map { κ * mean[mean.startIndex + $0] })
  }

  /// Draws over `x`, which holds the mean on entry (zeros stay zero; a mean with no positive
  /// share is left as it is).
  public func draw(into x: UnsafeMutableBufferPointer<Double>, _ stream: inout RandomStream) {
    guard count > 0 else { return }
    withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { shares in
      draw(shares: shares, &stream)
      for (k, j) in indices.enumerated() { x[j] = shares[k] }
    }
  }

  /// Draws the positive shares only, in their order in the mean, into `shares` (at least as
  /// many as there are positive shares).
  public func draw(shares: UnsafeMutableBufferPointer<Double>, _ stream: inout RandomStream) {
    precondition(shares.count >= count, "room for every positive share")
    guard count > 0 else { return }
    withUnsafeTemporaryAllocation(of: RandomStream.Block.self, capacity: count) { blocks in
      stream.fill(blocks)
      gammas.withFirstCandidates(blocks: UnsafeBufferPointer(blocks)) { gammas in
        gammas.completeRejected(0..<count, blocks: UnsafeBufferPointer(blocks), &stream)
        [0].withUnsafeBufferPointer { zero in
          [count].withUnsafeBufferPointer { count in
            gammas.shares(first: zero, count: count, offset: zero, into: shares)
          }
        }
      }
    }
  }
}

/// The gamma samplers of Dirichlet shares, one array per constant (as the bulk kernel
/// `hnb_gamma_first_candidates` reads them): for share `k`, `Gamma(shapes[k], 1)` by Marsaglia
/// and Tsang's method with the constants `d[k]`, `c[k]` of `shapes[k]`, or below shape 1 of
/// `shapes[k] + 1`, boosted by `u^(1/shapes[k])`.
struct GammaConstants: Sendable {
  var shapes: [Double] = []
  var inverseShapes: [Double] = []
  var d: [Double] = []
  var c: [Double] = []

  /// The gammas below shape 1 (boosted), in order: their positions, and their `1 / shape`.
  var boosted: [Int32] = []
  var boostedInverseShapes: [Double] = []

  /// The constants of gammas of shapes `shapes`.
  init(shapes: [Double]) {
    self.shapes = shapes
    inverseShapes = shapes.map { 1 / $0 }
    for (k, shape) in shapes.enumerated() {
      let (d, c) = Distribution.marsagliaTsang(shape < 1 ? shape + 1 : shape)
      self.d.append(d)
      self.c.append(c)
      if shape < 1 {
        boosted.append(Int32(k))
        boostedInverseShapes.append(inverseShapes[k])
      }
    }
  }

  /// The constants of every plan's gammas in turn.
  init(concatenating parts: [GammaConstants]) {
    // The kernels index the blocks' words with 32-bit integers (4 words a gamma).
    precondition(parts.reduce(0) { $0 + $1.shapes.count } < 1 << 29, "fewer than 2^29 gammas in a draw")
    for part in parts {
      boosted += part.boosted.map { $0 + Int32(shapes.count) }
      boostedInverseShapes += part.boostedInverseShapes
      shapes += part.shapes
      inverseShapes += part.inverseShapes
      d += part.d
      c += part.c
    }
  }

  /// Calls `body` with these gammas' first candidates from `blocks` (one block each, in order):
  /// the candidates the ziggurat's and the squeeze's first tries accept, and the boosts below
  /// shape 1 (`exp(log(u) · (1/shape))`, `u` the block's spare uniform), computed together.
  func withFirstCandidates<R>(
    blocks: UnsafeBufferPointer<RandomStream.Block>, _ body: (FirstCandidates) -> R
  ) -> R {
    precondition(blocks.count == shapes.count, "one block for each gamma")
    let n = max(1, shapes.count)
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { buffer in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { accepted in
        shapes.withUnsafeBufferPointer { shapes in
          d.withUnsafeBufferPointer { d in
            c.withUnsafeBufferPointer { c in
              boosted.withUnsafeBufferPointer { boosted in
                boostedInverseShapes.withUnsafeBufferPointer { boostedInverseShapes in
                  NormalZiggurat.standard.ratio.withUnsafeBufferPointer { ratio in
                    NormalZiggurat.standard.x.withUnsafeBufferPointer { width in
                      guard let gammas = buffer.baseAddress, let flags = accepted.baseAddress,
                        let ratio = ratio.baseAddress, let width = width.baseAddress
                      else { preconditionFailure("allocations of at least one element") }
                      let boosts = gammas.advanced(by: n)
                      // 1 where the shape is 1 or more: G · 1 is G, bit for bit.
                      boosts.initialize(repeating: 1, count: n)
                      flags.initialize(repeating: 0, count: n)
                      if let words = UnsafeRawPointer(blocks.baseAddress)?.assumingMemoryBound(to: UInt32.self),
                        let d = d.baseAddress, let c = c.baseAddress
                      {
                        hnb_gamma_first_candidates(words, d, c, ratio, width, blocks.count, gammas, flags)
                        if let boosted = boosted.baseAddress, let inverse = boostedInverseShapes.baseAddress {
                          hnb_gamma_boosts(words, boosted, inverse, boostedInverseShapes.count, boosts)
                        }
                      }
                      return body(
                        FirstCandidates(
                          shapes: shapes, d: d, c: c, gammas: gammas, accepted: UnsafePointer(flags),
                          boosts: UnsafePointer(boosts)))
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Gammas' constants, first candidates and boosts, read in place (valid only inside
/// `GammaConstants.withFirstCandidates`).
struct FirstCandidates {
  let shapes: UnsafeBufferPointer<Double>
  let d: UnsafeBufferPointer<Double>
  let c: UnsafeBufferPointer<Double>
  /// `gammas[k]`: gamma `k`'s first candidate where `accepted[k]` is 1; `completeRejected`
  /// gives the others.
  let gammas: UnsafeMutablePointer<Double>
  let accepted: UnsafePointer<UInt8>
  /// `boosts[k]`: gamma `k`'s boost when its shape is below 1, otherwise 1.
  let boosts: UnsafePointer<Double>

  /// Whether any of the gammas `range` had its first candidate rejected.
  func anyRejected(_ range: Range<Int>) -> Bool { range.contains { accepted[$0] == 0 } }

  /// Gamma `k` for each of the gammas `range` (one Dirichlet's, in order) whose first candidate
  /// was rejected: its whole candidate from block `k` (`Distribution.gammaCandidate`, which may
  /// read `stream`), then fresh candidates from `stream` until one is accepted.
  func completeRejected(
    _ range: Range<Int>, blocks: UnsafeBufferPointer<RandomStream.Block>, _ stream: inout RandomStream
  ) {
    for k in range where accepted[k] == 0 {
      gammas[k] =
        Distribution.gammaCandidate(d: d[k], c: c[k], blocks[k], &stream)
        ?? Distribution.gamma(d: d[k], c: c[k], &stream)
    }
  }

  /// The Dirichlet draws `x_k = G_k / Σ G` of `first.count` plans.
  ///
  /// Plan `p` is the gammas `first[p] ..< first[p] + count[p]`, its shares written to
  /// `out[offset[p]...]`, `G_k` the gamma times its boost (`hnb_dirichlet_shares`, the sum in
  /// order). Should every gamma of a plan underflow (tiny shapes, vanishingly rare), its shares
  /// are the mean, `shape / Σ shape`.
  func shares(
    first: UnsafeBufferPointer<Int>, count: UnsafeBufferPointer<Int>, offset: UnsafeBufferPointer<Int>,
    into out: UnsafeMutableBufferPointer<Double>
  ) {
    let plans = first.count
    precondition(
      count.count == plans && offset.count == plans && (0..<plans).allSatisfy { offset[$0] + count[$0] <= out.count },
      "every plan's shares within the output")
    guard plans > 0, let firsts = first.baseAddress, let counts = count.baseAddress,
      let offsets = offset.baseAddress, let start = out.baseAddress
    else { return }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: plans) { underflow in
      guard let flags = underflow.baseAddress else { return }
      hnb_dirichlet_shares(gammas, boosts, firsts, counts, offsets, plans, start, flags)
      for p in 0..<plans where underflow[p] != 0 {
        let range = first[p]..<(first[p] + count[p])
        var sum = 0.0
        for k in range { sum += shapes[k] }
        for k in range { out[offset[p] + k - first[p]] = shapes[k] / sum }
      }
    }
  }
}
