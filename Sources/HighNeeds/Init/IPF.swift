import Foundation

/// Iterative proportional fitting of a three-way table age × placement × need to two published
/// two-way margins that share the placement axis: age × placement and need × placement.
///
/// Start from a positive `seed[a][n]` (the age × need association, e.g. the LA's published need
/// × age table, smoothed); then alternately scale each (age, placement) fibre to the age ×
/// placement margin and each (need, placement) fibre to the need × placement margin until the
/// need margin is met within `tolerance`, finishing with the age × placement step so that
/// margin (the census counts by age and placement) holds to rounding. The need × placement
/// margin is first scaled, placement by placement, to the age × placement table's placement
/// totals, so both margins agree (the two DfE tables can differ by a few plans); where the need
/// table has no plans for a placement that holds plans, the seed's need mix is used. The result
/// is the table nearest the seed (in Kullback–Leibler divergence) with those margins.
public enum IPF {
  /// The fitted table `x[a][p][n]`.
  /// - Parameters:
  ///   - agePlacement: `[a][p]` published plans.
  ///   - needPlacement: `[n][p]` published plans.
  ///   - seed: `[a][n]`, every entry > 0.
  public static func fit(
    agePlacement: [[Double]], needPlacement: [[Double]], seed: [[Double]], tolerance: Double = 1e-9,
    maximumIterations: Int = 10_000
  ) -> (table: [[[Double]]], iterations: Int, needGap: Double) {
    let ages = agePlacement.count
    let placements = agePlacement.first?.count ?? 0
    let needs = needPlacement.count
    // Placement totals from the age table; the need margin scaled to them.
    var target = needPlacement
    for p in 0..<placements {
      let total = (0..<ages).reduce(0.0) { $0 + agePlacement[$1][p] }
      let needTotal = (0..<needs).reduce(0.0) { $0 + needPlacement[$1][p] }
      for n in 0..<needs {
        if needTotal > 0 {
          target[n][p] = needPlacement[n][p] / needTotal * total
        } else {
          // No need split published for this placement: the seed's need mix over its ages.
          var w = 0.0
          var all = 0.0
          for a in 0..<ages where agePlacement[a][p] > 0 {
            let rowTotal = seed[a].reduce(0, +)
            w += agePlacement[a][p] * seed[a][n] / rowTotal
            all += agePlacement[a][p]
          }
          target[n][p] = all > 0 ? w : 0
        }
      }
    }
    var x = [[[Double]]](
      repeating: [[Double]](repeating: [Double](repeating: 0, count: needs), count: placements), count: ages)
    for a in 0..<ages {
      for p in 0..<placements where agePlacement[a][p] > 0 {
        for n in 0..<needs where target[n][p] > 0 { x[a][p][n] = seed[a][n] }
      }
    }
    var gap = Double.infinity
    var iterations = 0
    while iterations < maximumIterations {
      iterations += 1
      // Need × placement step.
      for p in 0..<placements {
        for n in 0..<needs {
          var sum = 0.0
          for a in 0..<ages { sum += x[a][p][n] }
          guard sum > 0 else { continue }
          let f = target[n][p] / sum
          for a in 0..<ages { x[a][p][n] *= f }
        }
      }
      // Age × placement step (last, so this margin holds exactly).
      for a in 0..<ages {
        for p in 0..<placements {
          let sum = x[a][p].reduce(0, +)
          guard sum > 0 else { continue }
          let f = agePlacement[a][p] / sum
          for n in 0..<needs { x[a][p][n] *= f }
        }
      }
      gap = 0
      for p in 0..<placements {
        for n in 0..<needs {
          var sum = 0.0
          for a in 0..<ages { sum += x[a][p][n] }
          gap = max(gap, abs(sum - target[n][p]))
        }
      }
      if gap <= tolerance { break }
    }
    return (x, iterations, gap)
  }
}
