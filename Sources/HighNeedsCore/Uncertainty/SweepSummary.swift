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

  /// Mean, sample sd and percentiles of every (metric, year) column of `rows` (`rows[d][m · H + f]`,
  /// in draw order), in the order of `metrics` then years.
  ///
  /// The columns are shared among the cores; each is computed on its own exactly as on one core
  /// (mean and sd summed in draw order), so the values do not depend on the cores.
  public static func percentileCells(_ metrics: [Int], years H: Int, rows: [[Double]]) -> [[Double]] {
    let columns = metrics.flatMap { m in (0..<H).map { m * H + $0 } }
    let workers = min(columns.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
    let (next, results) = (BatchCounter(), ParallelResults<[Double]>(count: columns.count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let c = next.next(below: columns.count) {
        results.set(c) { columnCells(rows, columns[c]) }
      }
    }
    do { return try results.values() } catch { preconditionFailure("a column's percentiles do not throw") }
  }

  /// Mean, sample sd (n − 1; both summed in draw order) and percentiles of column `j` of `rows`.
  static func columnCells(_ rows: [[Double]], _ j: Int) -> [Double] {
    let values = rows.map { $0[j] }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
    return [mean, sd] + quantiles(values, percentiles.map { $0 / 100 })
  }

  /// The type-7 quantiles of `values` (in any order) at each of `probabilities` (each in
  /// [0, 1]): the same numbers as `quantile(values.sorted(), p)`, from only the order statistics
  /// they need (`⌊h⌋` and `⌊h⌋ + 1`), selected rather than sorted (`select`).
  public static func quantiles(_ values: [Double], _ probabilities: [Double]) -> [Double] {
    guard !values.isEmpty else { return probabilities.map { _ in .nan } }
    let n = values.count
    var ranks = Set<Int>()
    for p in probabilities {
      let lo = Int((Double(n - 1) * p).rounded(.down))
      ranks.formUnion([lo, min(lo + 1, n - 1)])
    }
    var x = values
    x.withUnsafeMutableBufferPointer { select($0, 0..<n, ranks.sorted()[...]) }
    // `x` holds the k-th smallest value at every rank k that `quantile` reads.
    return probabilities.map { quantile(x, $0) }
  }

  /// Rearranges `x[range]` so that `x[k]`, for every `k` of `ranks` (ascending, inside
  /// `range`), is the value a sort of the range puts there: three-way quickselect (median-of-three
  /// pivot) that follows only the parts holding a wanted rank, sorting a part of 32 or fewer, or
  /// one that has been split 64 times.
  static func select(_ x: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, _ ranks: ArraySlice<Int>) {
    var (lo, hi, ranks, depth) = (range.lowerBound, range.upperBound, ranks, 0)
    while !ranks.isEmpty {
      if hi - lo <= 32 || depth == 64 {
        var part = UnsafeMutableBufferPointer(rebasing: x[lo..<hi])
        part.sort()
        return
      }
      depth += 1
      let (a, b, c) = (x[lo], x[(lo + hi) / 2], x[hi - 1])
      let pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b))
      // [lo, less) below the pivot, [less, greater) equal to it, [greater, hi) above it.
      var (less, i, greater) = (lo, lo, hi)
      while i < greater {
        if x[i] < pivot {
          x.swapAt(less, i)
          less += 1
          i += 1
        } else if pivot < x[i] {
          greater -= 1
          x.swapAt(i, greater)
        } else {
          i += 1
        }
      }
      let below = ranks.prefix { $0 < less }
      let above = ranks.drop { $0 < greater }
      // Ranks among the pivot's equals are in place.
      if below.count <= above.count {
        if !below.isEmpty { select(x, lo..<less, below) }
        (lo, ranks) = (greater, above)
      } else {
        if !above.isEmpty { select(x, greater..<hi, above) }
        (hi, ranks) = (less, below)
      }
    }
  }
}
