import Foundation

/// Percentiles and exceedance probabilities of a sweep's draws, and the files that hold them.
///
/// Percentiles are exact order statistics of the draws (Hyndman & Fan type 7, linear
/// interpolation between the two nearest, as R and NumPy by default). A sweep keeps only each
/// draw's headline metrics — `metrics × years` numbers, 120 on the Sutton model, ≈ 1 kB — never
/// the draws' state, so 10,000 draws hold about 10 MB and a million about 1 GB. Beyond that, run
/// shards: each shard writes its draws' metrics and `hnb merge` sorts them (see the README).
public enum SweepSummary {
  /// The probabilities reported, in percent.
  public static let percentiles: [Double] = [5, 10, 25, 50, 75, 90, 95]

  /// The type-7 `p`-quantile (`p` in [0, 1]) of `sorted` (ascending): `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`,
  /// `h = (n − 1) p`.
  public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let h = Double(sorted.count - 1) * p
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
  }
}
