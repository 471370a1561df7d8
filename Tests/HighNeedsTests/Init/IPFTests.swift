import Foundation
import Testing

@testable import HighNeeds

/// Iterative proportional fitting: both published margins hold, and the fit keeps the seed's
/// association.
struct IPFTests {
  /// A deterministic pseudo-random table of whole counts, some cells zero.
  static func table(_ rows: Int, _ columns: Int, seed: UInt64) -> [[Double]] {
    var state = seed
    return (0..<rows).map { _ in
      (0..<columns).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let r = Int((state >> 33) % 20)
        return r < 5 ? 0 : Double(r)
      }
    }
  }

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func bothMarginsHoldAndTotalsAreExact(seed: UInt64) {
    let ages = 26
    let placements = 12
    let needs = 13
    let agePlacement = Self.table(ages, placements, seed: seed)
    // A need table with the same placement totals: split each placement's total by a random mix.
    let mix = Self.table(needs, placements, seed: seed &+ 99).map { $0.map { $0 + 1 } }
    var needPlacement = [[Double]](repeating: [Double](repeating: 0, count: placements), count: needs)
    for p in 0..<placements {
      let total = (0..<ages).reduce(0.0) { $0 + agePlacement[$1][p] }
      let m = (0..<needs).reduce(0.0) { $0 + mix[$1][p] }
      for n in 0..<needs { needPlacement[n][p] = total * mix[n][p] / m }
    }
    let seedTable = Self.table(ages, needs, seed: seed &+ 7).map { $0.map { $0 + 0.5 } }
    let fit = IPF.fit(agePlacement: agePlacement, needPlacement: needPlacement, seed: seedTable)
    #expect(fit.needGap <= 1e-9)
    for a in 0..<ages {
      for p in 0..<placements {
        #expect(abs(fit.table[a][p].reduce(0, +) - agePlacement[a][p]) <= 1e-9 * max(1, agePlacement[a][p]))
        // A structural zero of the age table stays zero.
        if agePlacement[a][p] == 0 { #expect(fit.table[a][p].allSatisfy { $0 == 0 }) }
      }
    }
    for p in 0..<placements {
      for n in 0..<needs {
        let sum = (0..<ages).reduce(0.0) { $0 + fit.table[$1][p][n] }
        #expect(abs(sum - needPlacement[n][p]) <= 1e-8)
      }
    }
    // Integerised in micro-units, each age x placement cell is exactly its published count.
    for a in 0..<ages {
      for p in 0..<placements where agePlacement[a][p] > 0 {
        let micro = InitFormat.microParts(fit.table[a][p], total: Int(agePlacement[a][p]) * 1_000_000)
        #expect(micro.reduce(0, +) == Int(agePlacement[a][p]) * 1_000_000)
      }
    }
  }

  @Test func aUniformSeedGivesIndependenceWithinEachPlacement() {
    let agePlacement: [[Double]] = [[4, 0], [6, 10]]
    let needPlacement: [[Double]] = [[5, 2], [5, 8]]
    let fit = IPF.fit(agePlacement: agePlacement, needPlacement: needPlacement, seed: [[1, 1], [1, 1]])
    // x[a][p][n] = AP[a][p] * NP[n][p] / P[p]
    #expect(abs(fit.table[0][0][0] - 4 * 5 / 10.0) < 1e-12)
    #expect(abs(fit.table[1][1][1] - 10 * 8 / 10.0) < 1e-12)
    #expect(fit.table[0][1] == [0, 0])
  }

  @Test func needTotalsThatDisagreeAreScaledToTheAgeTable() {
    // The need table says 9 plans in placement 0; the age table (the census count) says 10.
    let fit = IPF.fit(agePlacement: [[10]], needPlacement: [[3], [6]], seed: [[1, 1]])
    #expect(abs(fit.table[0][0].reduce(0, +) - 10) < 1e-12)
    #expect(abs(fit.table[0][0][1] - 20 / 3.0) < 1e-9)
  }
}
