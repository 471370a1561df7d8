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
    let wanted = ranks.sorted()
    x.withUnsafeMutableBufferPointer { x in
      if !selectByBits(x, wanted) { select(x, 0..<n, wanted[...]) }
    }
    // `x` holds the k-th smallest value at every rank k that `quantile` reads.
    return probabilities.map { quantile(x, $0) }
  }

  /// Sets `x[k]`, for every `k` of `ranks` (ascending, in `x`'s indices), to the value a sort of
  /// `x` puts there, by the numbers' bits; other places may then hold any of the numbers.
  ///
  /// Each number's bits, read as an integer that orders as the numbers do, fall into one of
  /// at most 2,048 equal ranges between the least and the greatest; one count of each range gives
  /// the ranges holding the ranks wanted, and only their numbers are sorted. Three passes over
  /// `x` and a few small sorts, where `select` partitions `x` again for each rank. Returns false,
  /// with `x` untouched, for fewer than 65 numbers or when `x` holds a NaN or −0 (whose places a
  /// sort does not settle: `select` then gives the numbers it always gave).
  static func selectByBits(_ x: UnsafeMutableBufferPointer<Double>, _ ranks: [Int]) -> Bool {
    let n = x.count
    guard n > 64, !ranks.isEmpty else { return false }
    /// The integer that orders as the numbers do.
    func key(_ v: Double) -> UInt64 {
      let bits = v.bitPattern
      return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }
    var (low, high) = (UInt64.max, UInt64.min)
    for v in x {
      if v.isNaN || (v == 0 && v.sign == .minus) { return false }
      let k = key(v)
      low = min(low, k)
      high = max(high, k)
    }
    guard low != high else { return true }  // one number throughout
    let span = high - low
    let shift = UInt64(max(0, (64 - span.leadingZeroBitCount) - 11))
    let ranges = Int(span >> shift) + 1
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: ranges + 1) { start in
      start.initialize(repeating: 0)
      for v in x { start[Int((key(v) - low) >> shift) + 1] += 1 }
      for r in 0..<ranges { start[r + 1] += start[r] }
      // `slot[r]`: where range r's numbers are gathered, or −1 when no rank wanted is in it.
      return withUnsafeTemporaryAllocation(of: Int.self, capacity: ranges) { slot in
        slot.initialize(repeating: -1)
        var gathered = 0
        var r = 0
        for k in ranks {
          while start[r + 1] <= k { r += 1 }
          if slot[r] < 0 {
            slot[r] = gathered
            gathered += start[r + 1] - start[r]
          }
        }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: gathered) { values in
          withUnsafeTemporaryAllocation(of: Int.self, capacity: ranges) { next in
            for r in 0..<ranges { next[r] = slot[r] }
            for v in x {
              let r = Int((key(v) - low) >> shift)
              if next[r] >= 0 {
                values[next[r]] = v
                next[r] += 1
              }
            }
            for r in 0..<ranges where slot[r] >= 0 {
              let count = start[r + 1] - start[r]
              var part = UnsafeMutableBufferPointer(rebasing: values[slot[r]..<(slot[r] + count)])
              part.sort()
              for i in 0..<count { x[start[r] + i] = part[i] }
            }
          }
          return true
        }
      }
    }
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
