import Foundation
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

/// The sweep's fast paths give the very numbers of the plain ones: Philox blocks computed in
/// bulk, one-share Dirichlet rows, and percentiles from selected order statistics.
///
/// Serialized: two tests switch the bulk Philox between AVX2 and scalar.
@Suite(.serialized) struct SweepSpeedTests {
  /// `fill` (in bulk: AVX2 where the processor has it, and scalar) gives the blocks `block()`
  /// gives one by one, for every length across the eight-block width, from any index (the
  /// counter's last word wrapping), and leaves the stream where `block()` would.
  @Test func fillGivesTheBlocksOneByOne() {
    let detected = VectorKernels.level
    defer { VectorKernels.level = 2 }  // AVX2 again where the processor has it
    let generator = Philox4x32(seed: 0x0123_4567_89ab_cdef)
    for level in detected == 2 ? [0, 2] : [0] {
      VectorKernels.level = level
      for (draw, stream, skip) in [(0, 0 as UInt32, 0), (9_999, 0x4000_0011, 3), (1 << 40, 0x8000_0005, 0)] {
        for start in [0, UInt32.max - 5] {
          for count in 0...27 {
            var one = RandomStream(generator, draw: draw, stream: stream, index: start)
            var many = RandomStream(generator, draw: draw, stream: stream, index: start)
            for _ in 0..<skip {
              _ = one.block()
              _ = many.block()
            }
            let expected = (0..<count).map { _ in one.block() }
            var blocks = [(UInt32, UInt32, UInt32, UInt32)](repeating: (0, 0, 0, 0), count: count)
            blocks.withUnsafeMutableBufferPointer { many.fill($0) }
            #expect(blocks.count == expected.count)
            for (a, b) in zip(blocks, expected) {
              #expect(a == b, "level \(level), draw \(draw), stream \(stream), \(count) blocks from \(start)")
            }
            let next = (one.block(), many.block())
            #expect(next.0 == next.1)
          }
        }
      }
    }
  }

  /// The bulk blocks (`Sources/CPhilox`, AVX2 and scalar) equal the Swift bijection block by
  /// block, for every count across the eight-block width, with counters whose last word wraps,
  /// and the Random123 known answer among them.
  @Test func bulkBlocksAreTheScalarBlocks() {
    let detected = VectorKernels.level
    defer { VectorKernels.level = 2 }  // AVX2 again where the processor has it
    var random = SplitMix64(seed: 14)
    var levels = [0]
    if detected == 2 { levels.append(2) }
    for level in levels {
      VectorKernels.level = level
      #expect(VectorKernels.level == level)
      for seed in [0, UInt64.max, 0x299f_31d0_a409_3822, random.next()] {
        let g = Philox4x32(seed: seed)
        for count in 0...27 {
          let (c0, c1) = (
            UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random)
          )
          let streams = (0..<count).map { _ in UInt32.random(in: .min ... .max, using: &random) }
          let indices = (0..<count).map { _ in UInt32.max &- UInt32.random(in: 0...30, using: &random) }
          var blocks = [(UInt32, UInt32, UInt32, UInt32)](repeating: (0, 0, 0, 0), count: count)
          streams.withUnsafeBufferPointer { c2 in
            indices.withUnsafeBufferPointer { c3 in
              blocks.withUnsafeMutableBufferPointer { g.blocks(c0, c1, streams: c2, indices: c3, into: $0) }
            }
          }
          for i in 0..<count {
            #expect(
              blocks[i] == g.block((c0, c1, streams[i], indices[i])), "level \(level), \(count) blocks, block \(i)")
          }
        }
      }
      // Random123's known answer (kat_vectors: philox4x32_10 with the digits of pi), in lane 5.
      let g = Philox4x32(seed: 0x299f_31d0_a409_3822)
      var blocks = [(UInt32, UInt32, UInt32, UInt32)](repeating: (0, 0, 0, 0), count: 8)
      let streams = [UInt32](repeating: 0x1319_8a2e, count: 8)
      let indices = [UInt32](repeating: 0x0370_7344, count: 8)
      streams.withUnsafeBufferPointer { c2 in
        indices.withUnsafeBufferPointer { c3 in
          blocks.withUnsafeMutableBufferPointer {
            g.blocks(0x243f_6a88, 0x85a3_08d3, streams: c2, indices: c3, into: $0)
          }
        }
      }
      #expect(
        [blocks[5].0, blocks[5].1, blocks[5].2, blocks[5].3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }
  }

  /// A set of Dirichlet rows drawn together (every row's first blocks computed across the
  /// streams, then all the gammas' first candidates, then each row's gammas) gives each row's
  /// own draw from its stream, bit for bit, and that is the draw taken one gamma at a time, on
  /// the Sutton sweep's transition rows and mixes (rows of one share, rows needing more blocks
  /// than their first, shapes below 1).
  @Test func aDirichletSetDrawsEachRowFromItsOwnStream() throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/baseline.yaml"))
    let plans = DirichletPlans(s)
    let generator = Philox4x32(seed: 3)
    for set in [plans.rows, plans.mix] {
      let set = try #require(set)
      for draw in [0, 1, 977, 1 << 33] {
        var expected: [Double] = []
        for (plan, stream) in zip(set.plans, set.streams) where plan.count > 0 {
          var random = RandomStream(generator, draw: draw, stream: stream)
          var shares = [Double](repeating: 0, count: plan.count)
          shares.withUnsafeMutableBufferPointer { plan.draw(shares: $0, &random) }
          #expect(
            shares.map(\.bitPattern) == Self.dirichletOneGammaAtATime(plan, generator, draw: draw, stream: stream),
            "draw \(draw), stream \(stream)")
          expected += shares
        }
        let got = set.draw(generator, draw: draw)
        #expect(got.count == expected.count && got.count == set.shares)
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "draw \(draw)")
      }
    }
  }

  /// `plan`'s draw from stream `stream` of draw `draw`, one gamma at a time in Marsaglia and
  /// Tsang's method as `Distribution.gamma(shape:)` takes it, from the `k`-th block for the
  /// `k`-th share (what the bulk first candidates must reproduce): the shares' bit patterns.
  static func dirichletOneGammaAtATime(_ plan: DirichletPlan, _ generator: Philox4x32, draw: Int, stream: UInt32)
    -> [UInt64]
  {
    var random = RandomStream(generator, draw: draw, stream: stream)
    var blocks = [RandomStream.Block](repeating: (0, 0, 0, 0), count: plan.count)
    blocks.withUnsafeMutableBufferPointer { random.fill($0) }
    let g = plan.gammas
    var shares: [Double] = []
    for k in 0..<plan.count {
      var x =
        Distribution.gammaCandidate(d: g.d[k], c: g.c[k], blocks[k], &random)
        ?? Distribution.gamma(d: g.d[k], c: g.c[k], &random)
      if g.shapes[k] < 1 { x *= exp(log(Distribution.boostUniform(blocks[k])) * g.inverseShapes[k]) }
      shares.append(x)
    }
    let total = shares.reduce(0, +)
    return shares.map { ($0 / total).bitPattern }
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

  /// `percentileCells` (columns shared among the cores) gives, column by column and bit for bit,
  /// the mean and sd summed in draw order and the sorted values' percentiles, in the order of
  /// the metrics asked for then years.
  @Test func sharedColumnsAreEachColumnsCells() {
    var random = SplitMix64(seed: 21)
    let (metrics, H) = ([2, 0, 1], 3)
    for n in [1, 2, 33, 1_000] {
      let rows = (0..<n).map { _ in (0..<(3 * H)).map { _ in Double.random(in: -1e9...1e9, using: &random) } }
      let cells = SweepSummary.percentileCells(metrics, years: H, rows: rows)
      #expect(cells.count == metrics.count * H)
      for (k, m) in metrics.enumerated() {
        for f in 0..<H {
          let values = rows.map { $0[m * H + f] }
          var (sum, squares) = (0.0, 0.0)
          for v in values { sum += v }
          let mean = sum / Double(n)
          for v in values { squares += (v - mean) * (v - mean) }
          let sd = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
          let sorted = values.sorted()
          let expected = [mean, sd] + SweepSummary.percentiles.map { SweepSummary.quantile(sorted, $0 / 100) }
          #expect(
            cells[k * H + f].map(\.bitPattern) == expected.map(\.bitPattern), "\(n) draws, metric \(m), year \(f)")
        }
      }
    }
  }
}
