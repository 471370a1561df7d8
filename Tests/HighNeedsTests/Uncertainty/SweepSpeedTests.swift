import Foundation
import Testing
import TestSupport

@testable import HighNeedsCore

/// The sweep's fast paths give the very numbers of the plain ones: Philox blocks computed eight
/// at a time, one-share Dirichlet rows, and percentiles from selected order statistics.
@Suite struct SweepSpeedTests {
  /// `fill` (eight blocks at a time in SIMD lanes, then one by one) gives the blocks `block()`
  /// gives one by one, for every length across the lane width, from any index (the counter's
  /// last word wrapping), and leaves the stream where `block()` would.
  @Test func fillGivesTheBlocksOneByOne() {
    let generator = Philox4x32(seed: 0x0123_4567_89ab_cdef)
    for (draw, stream, skip) in [(0, 0 as UInt32, 0), (9_999, 0x4000_0011, 3), (1 << 40, 0x8000_0005, 0)] {
      for count in 0...27 {
        var one = RandomStream(generator, draw: draw, stream: stream)
        var many = RandomStream(generator, draw: draw, stream: stream)
        for _ in 0..<skip {
          _ = one.block()
          _ = many.block()
        }
        let expected = (0..<count).map { _ in one.block() }
        var blocks = [(UInt32, UInt32, UInt32, UInt32)](repeating: (0, 0, 0, 0), count: count)
        blocks.withUnsafeMutableBufferPointer { many.fill($0) }
        #expect(blocks.count == expected.count)
        for (a, b) in zip(blocks, expected) { #expect(a == b, "draw \(draw), stream \(stream), \(count) blocks") }
        let next = (one.block(), many.block())
        #expect(next.0 == next.1)
      }
    }
  }

  /// The SIMD bijection equals the scalar one lane by lane, including counters whose last word
  /// wraps within the eight lanes, and the Random123 known answer in a lane.
  @Test func simdBlocksAreTheScalarBlocks() {
    var random = SplitMix64(seed: 14)
    for seed in [0, UInt64.max, 0x299f_31d0_a409_3822, random.next()] {
      let g = Philox4x32(seed: seed)
      for _ in 0..<20 {
        let (c0, c1, c2) = (
          UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random),
          UInt32.random(in: .min ... .max, using: &random)
        )
        let base = UInt32.max &- UInt32.random(in: 0...10, using: &random)
        let c3 = SIMD8<UInt32>(repeating: base) &+ SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        let w = g.blocks(c0, c1, c2, c3)
        for i in 0..<8 { #expect((w.0[i], w.1[i], w.2[i], w.3[i]) == g.block((c0, c1, c2, c3[i]))) }
      }
    }
    let pi = Philox4x32(seed: 0x299f_31d0_a409_3822).blocks(
      0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, SIMD8<UInt32>(repeating: 0x0370_7344))
    #expect([pi.0[5], pi.1[5], pi.2[5], pi.3[5]] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
  }

  /// A Dirichlet row with one positive share always draws exactly 1 (G / G), whatever its
  /// stream: what lets `Draw` skip those rows' gammas.
  @Test func aOneShareDirichletIsExactlyOne() {
    for shape in [1e-300, 0.004, 0.4, 1, 400, 1e6] {
      let plan = DirichletPlan(mean: [0, 1, 0][...], concentration: shape)
      for draw in 0..<200 {
        var stream = RandomStream(Philox4x32(seed: 5), draw: draw, stream: 0x4000_0000)
        var shares = [Double](repeating: .nan, count: 1)
        shares.withUnsafeMutableBufferPointer { plan.draw(shares: $0, &stream) }
        #expect(shares == [1], "concentration \(shape), draw \(draw)")
      }
    }
  }

  /// `quantiles` (selected order statistics) gives `quantile` of the sorted values, bit for
  /// bit, on random, sorted, reversed, tied and constant values of many lengths.
  @Test func selectedQuantilesAreTheSortedOnes() {
    var random = SplitMix64(seed: 7)
    let probabilities = SweepSummary.percentiles.map { $0 / 100 } + [0, 1, 0.5, 0.999]
    for n in [1, 2, 3, 7, 31, 32, 33, 64, 100, 1_000, 10_000] {
      let uniform = (0..<n).map { _ in Double.random(in: -1e8...1e8, using: &random) }
      let tied = (0..<n).map { _ in Double(Int.random(in: 0...4, using: &random)) }
      let cases = [uniform, uniform.sorted(), uniform.sorted().reversed(), tied, Array(repeating: 3.5, count: n)]
      for values in cases {
        let sorted = values.sorted()
        let expected = probabilities.map { SweepSummary.quantile(sorted, $0) }
        let selected = SweepSummary.quantiles(values, probabilities)
        #expect(selected.map(\.bitPattern) == expected.map(\.bitPattern), "\(n) values")
      }
    }
    #expect(SweepSummary.quantiles([], [0.5]).map(\.isNaN) == [true])
  }
}
