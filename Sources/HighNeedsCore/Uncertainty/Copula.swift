import Foundation

/// Rank correlation between uncertain inputs by a Gaussian copula.
///
/// Standard normals `z` are correlated as `L z` (`L` the Cholesky factor of the Pearson matrix
/// `R`), then each input takes `F⁻¹(Φ((L z)_i))`. A Gaussian copula with Pearson `ρ` has
/// Spearman correlation `(6/π) asin(ρ/2)`, so a stated Spearman `ρ_s` becomes
/// `ρ = 2 sin(π ρ_s / 6)`. Each draw is transformed on its own, so it stays a function of
/// `(seed, draw)` alone (unlike Iman–Conover, which reorders a whole sample).
public enum Copula {
  /// `R[i][j] = 2 sin(π S[i][j] / 6)` for a Spearman matrix `S`.
  public static func pearson(fromSpearman s: [[Double]]) -> [[Double]] {
    s.map { row in row.map { 2 * sin(Double.pi * $0 / 6) } }
  }

  /// The lower-triangular `L` with `L Lᵀ = m`, or nil when `m` is not positive definite.
  public static func cholesky(_ m: [[Double]]) -> [[Double]]? {
    let n = m.count
    var l = Array(repeating: Array(repeating: 0.0, count: n), count: n)
    for i in 0..<n {
      for j in 0...i {
        var sum = m[i][j]
        for k in 0..<j { sum -= l[i][k] * l[j][k] }
        if i == j {
          guard sum > 1e-12 else { return nil }
          l[i][i] = sum.squareRoot()
        } else {
          l[i][j] = sum / l[j][j]
        }
      }
    }
    return l
  }
}
