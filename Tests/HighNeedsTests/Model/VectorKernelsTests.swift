import CKernels
import Foundation
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

/// The projection's vector kernels (`Sources/CKernels/projection.c`), in AVX2 and in plain code,
/// give the numbers of the loops they replace, written out here element by element, bit for bit;
/// and a sweep's batch projects to the same paths with either.
///
/// Serialized: the tests switch the kernels between AVX2 and plain code.
@Suite(.serialized) struct VectorKernelsTests {
  /// The levels to compare on this processor: plain code, and AVX2 when it has it.
  static var levels: [Int] {
    VectorKernels.level = 2
    return VectorKernels.level == 2 ? [0, 2] : [0]
  }

  static func randomValues(_ count: Int, _ random: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double.random(in: -1e3...1e3, using: &random) * (Bool.random(using: &random) ? 1 : 1e-7) }
  }

  @Test func eachKernelIsItsLoopWrittenOut() {
    defer { VectorKernels.level = 2 }
    var random = SplitMix64(seed: 88)
    var cases = 0
    for level in Self.levels {
      VectorKernels.level = level
      #expect(VectorKernels.level == level)
      // Draw counts across the vector widths (1 to 13, and a batch's 64), rows 1 to 13.
      for d in Array(1...13) + [64] {
        for count in [1, 2, 5, 13] {
          let rows = Self.randomValues(count * d, &random)
          let factor = Self.randomValues(d, &random)
          let start = Self.randomValues(count * d, &random)

          var total = Self.randomValues(d, &random)
          var expected = total
          for n in 0..<count { for b in 0..<d { expected[b] += rows[n * d + b] } }
          hnb_sum_rows(&total, rows, count, d)
          #expect(total.map(\.bitPattern) == expected.map(\.bitPattern), "sum_rows, level \(level), d \(d)")

          let survives = Self.randomValues(d, &random)
          let keptTotal = Self.randomValues(d, &random)
          for accumulate in [0, 1] {
            var target = start
            var expectedTarget = start
            var movedTotal = total
            var expectedMovedTotal = total
            for b in 0..<d { expectedMovedTotal[b] += keptTotal[b] * factor[b] }
            for n in 0..<count {
              for b in 0..<d {
                let i = n * d + b
                let surviving = survives[b] * factor[b]
                if accumulate == 1 {
                  expectedTarget[i] += rows[i] * surviving
                } else {
                  expectedTarget[i] = rows[i] * surviving
                }
              }
            }
            hnb_move_rows(&target, rows, survives, factor, keptTotal, &movedTotal, count, d, Int32(accumulate))
            #expect(target.map(\.bitPattern) == expectedTarget.map(\.bitPattern), "move_rows, level \(level), d \(d)")
            #expect(
              movedTotal.map(\.bitPattern) == expectedMovedTotal.map(\.bitPattern), "move_rows, level \(level), d \(d)")
          }

          let diagonal = Self.randomValues(d, &random)
          var movedOut = Self.randomValues(d, &random)
          var movedIn = Self.randomValues(d, &random)
          var (expectedMovedOut, expectedMovedIn) = (movedOut, movedIn)
          for b in 0..<d {
            let stay = keptTotal[b] * diagonal[b]
            expectedMovedOut[b] += keptTotal[b] - stay
            expectedMovedIn[b] += survives[b] - stay
          }
          hnb_moves_out_in(&movedOut, &movedIn, keptTotal, diagonal, survives, d)
          #expect(
            movedOut.map(\.bitPattern) == expectedMovedOut.map(\.bitPattern), "moves_out_in, level \(level), d \(d)")
          #expect(
            movedIn.map(\.bitPattern) == expectedMovedIn.map(\.bitPattern), "moves_out_in, level \(level), d \(d)")

          // Capacity: a block releases its excess to two destinations (each flat array holds
          // the two destinations' rows, occupancy or inflow one after the other).
          let release = Self.randomValues(d, &random).map { abs($0) / 1e3 }
          let overflowShares = [0.6, 0.4]
          var block = start
          var blockSums = rows
          var overflowOut = Self.randomValues(d, &random)
          var destinations = Self.randomValues(2 * count * d, &random)
          var destinationSums = Self.randomValues(2 * count * d, &random)
          var overflowIn = Self.randomValues(2 * d, &random)
          var want = (block, blockSums, overflowOut, destinations, destinationSums, overflowIn)
          for n in 0..<count {
            var excess = [Double](repeating: 0, count: d)
            for b in 0..<d {
              let i = n * d + b
              let e = want.0[i] * release[b]
              excess[b] = e
              want.0[i] -= e
              want.1[i] -= e
              want.2[b] += e
            }
            for k in 0..<2 {
              for b in 0..<d {
                let moved = excess[b] * overflowShares[k]
                want.3[k * count * d + n * d + b] += moved
                want.4[k * count * d + n * d + b] += moved
                want.5[k * d + b] += moved
              }
            }
          }
          var excessBuffer = [Double](repeating: 0, count: d)
          destinations.withUnsafeMutableBufferPointer { r in
            destinationSums.withUnsafeMutableBufferPointer { s in
              overflowIn.withUnsafeMutableBufferPointer { i in
                let (r, s, i) = (r.baseAddress!, s.baseAddress!, i.baseAddress!)
                hnb_overflow(
                  &block, &blockSums, &overflowOut, &excessBuffer, release, [r, r + count * d], [s, s + count * d],
                  [i, i + d], overflowShares, 2, count, d)
              }
            }
          }
          let got = [block, blockSums, overflowOut, destinations, destinationSums, overflowIn]
          let wanted = [want.0, want.1, want.2, want.3, want.4, want.5]
          for (x, y) in zip(got, wanted) {
            #expect(x.map(\.bitPattern) == y.map(\.bitPattern), "overflow, level \(level), d \(d)")
          }

          var sums = start
          var expectedSums = start
          for i in 0..<(count * d) { expectedSums[i] += rows[i] }
          hnb_add(&sums, rows, count * d)
          #expect(sums.map(\.bitPattern) == expectedSums.map(\.bitPattern), "add, level \(level), d \(d)")

          // New plans: shares every `stride` doubles, some rows unused.
          let stride = d * 3
          let shares = Self.randomValues(count * stride, &random).map(abs)
          let used = (0..<count).map { _ in UInt8(Bool.random(using: &random) ? 1 : 0) }
          let people = Double.random(in: 0...50, using: &random)
          var plans = start
          var into = Self.randomValues(d, &random)
          var expectedPlans = plans
          var expectedInto = into
          for n in 0..<count where used[n] == 1 {
            for b in 0..<d {
              let added = people * shares[n * stride + b] * factor[b]
              expectedPlans[n * d + b] += added
              expectedInto[b] += added
            }
          }
          hnb_add_new_plans(&plans, &into, shares, stride, used, people, factor, count, d)
          #expect(plans.map(\.bitPattern) == expectedPlans.map(\.bitPattern), "add_new_plans, level \(level), d \(d)")
          #expect(into.map(\.bitPattern) == expectedInto.map(\.bitPattern), "add_new_plans, level \(level), d \(d)")
          cases += 1
        }
      }
    }
    #expect(cases == Self.levels.count * 14 * 4)
  }

  /// A batch of the Sutton sweep's draws (Dirichlet rows and mixes, mitigations' levers)
  /// projects to the same paths, bit for bit, with the kernels in AVX2 and in plain code.
  @Test func aBatchProjectsAlikeWithEitherLevel() throws {
    defer { VectorKernels.level = 2 }
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/combined.yaml"))
    let model = SweepModel(s)
    let generator = Philox4x32(seed: 5)
    let draws = try (0..<9).map { try model.draw($0, generator: generator).caseload }
    var paths: [[[UInt64]]] = []
    for level in Self.levels {
      VectorKernels.level = level
      let projected = model.projection.run(draws, keepPlans: true)
      #expect(projected.count == draws.count)
      var bits: [[UInt64]] = []
      for path in projected {
        var drawBits: [UInt64] = path.plans.flatMap { $0.map(\.bitPattern) }
        drawBits += path.occupancy.flatMap { $0.map(\.bitPattern) }
        for year in path.flows {
          for x in year {
            let values: [Double] = [
              x.opening, x.newPlans, x.ceased, x.movedOut, x.movedIn, x.overflowOut, x.overflowIn, x.closing,
            ]
            drawBits += values.map(\.bitPattern)
          }
        }
        bits.append(drawBits)
      }
      paths.append(bits)
    }
    #expect(paths.allSatisfy { $0 == paths[0] })
    #expect(paths[0].allSatisfy { !$0.isEmpty })
  }
}
