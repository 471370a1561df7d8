import Foundation

/// Variance-based (Sobol) sensitivity indices of a model of independent uniform factors.
///
/// Saltelli sampling: two `N × k` matrices `A` and `B` of uniforms on (0, 1) from Philox
/// streams, and for each factor `i` the matrix `AB⁽ⁱ⁾` (`A` with column `i` from `B`), so
/// `N(k + 2)` model runs. With `V` the variance of `f(A)` and `f(B)` pooled:
/// - first order (Saltelli 2010): `Sᵢ = mean(f(B) · (f(AB⁽ⁱ⁾) − f(A))) / V`;
/// - total order (Jansen 1999): `STᵢ = mean((f(A) − f(AB⁽ⁱ⁾))²) / (2V)`.
/// Confidence intervals are bootstrap percentiles over resamples of the `N` rows (the same rows
/// for `A`, `B` and every `AB⁽ⁱ⁾`), drawn from their own Philox stream: all reproducible from
/// the seed.
public enum Sobol {
  /// Indices with their bootstrap intervals, by factor.
  public struct Indices: Sendable {
    public var first: [Double]
    public var total: [Double]
    public var firstInterval: [ClosedRange<Double>]
    public var totalInterval: [ClosedRange<Double>]
    /// The output's variance `V` and mean over `A` and `B`.
    public var variance: Double
    public var mean: Double
  }

  /// The `N(k + 2)` points at which the model is run: `A`, then `B`, then `AB⁽¹⁾ … AB⁽ᵏ⁾`.
  public static func points(factors k: Int, samples n: Int, seed: UInt64) -> [[Double]] {
    let g = Philox4x32(seed: seed)
    var a: [[Double]] = []
    var b: [[Double]] = []
    for j in 0..<n {
      var sa = RandomStream(g, draw: j, stream: 0x1000_0001)
      var sb = RandomStream(g, draw: j, stream: 0x1000_0002)
      a.append((0..<k).map { _ in sa.uniform() })
      b.append((0..<k).map { _ in sb.uniform() })
    }
    var all = a + b
    for i in 0..<k {
      for j in 0..<n {
        var row = a[j]
        row[i] = b[j][i]
        all.append(row)
      }
    }
    return all
  }

  /// The indices from model values `y` at `points(factors: k, samples: n, seed:)`, in order.
  public static func indices(
    _ y: [Double], factors k: Int, samples n: Int, seed: UInt64, bootstrap: Int = 500, confidence: Double = 0.95
  ) -> Indices {
    func estimate(_ rows: [Int]) -> (first: [Double], total: [Double], variance: Double, mean: Double) {
      let m = Double(rows.count)
      var sum = 0.0
      for j in rows { sum += y[j] + y[n + j] }
      let mean = sum / (2 * m)
      var v = 0.0
      for j in rows { v += (y[j] - mean) * (y[j] - mean) + (y[n + j] - mean) * (y[n + j] - mean) }
      v /= 2 * m
      var first: [Double] = []
      var total: [Double] = []
      for i in 0..<k {
        var s = 0.0
        var t = 0.0
        for j in rows {
          let fa = y[j]
          let fb = y[n + j]
          let fab = y[(2 + i) * n + j]
          s += fb * (fab - fa)
          t += (fa - fab) * (fa - fab)
        }
        first.append(v > 0 ? s / m / v : 0)
        total.append(v > 0 ? t / m / (2 * v) : 0)
      }
      return (first, total, v, mean)
    }
    let point = estimate(Array(0..<n))
    let g = Philox4x32(seed: seed)
    var firsts = Array(repeating: [Double](), count: k)
    var totals = Array(repeating: [Double](), count: k)
    for r in 0..<bootstrap {
      var s = RandomStream(g, draw: r, stream: 0x1000_0003)
      let rows = (0..<n).map { _ in Swift.min(n - 1, Int(s.uniform() * Double(n))) }
      let e = estimate(rows)
      for i in 0..<k {
        firsts[i].append(e.first[i])
        totals[i].append(e.total[i])
      }
    }
    let lo = (1 - confidence) / 2
    func interval(_ xs: [Double], _ x: Double) -> ClosedRange<Double> {
      guard !xs.isEmpty else { return x...x }
      let sorted = xs.sorted()
      return SweepSummary.quantile(sorted, lo)...SweepSummary.quantile(sorted, 1 - lo)
    }
    return Indices(
      first: point.first, total: point.total,
      firstInterval: (0..<k).map { interval(firsts[$0], point.first[$0]) },
      totalInterval: (0..<k).map { interval(totals[$0], point.total[$0]) }, variance: point.variance,
      mean: point.mean)
  }
}
