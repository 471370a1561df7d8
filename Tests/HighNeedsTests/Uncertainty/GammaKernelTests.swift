import CKernels
import Foundation
import Testing
import TestSupport

@testable import HighNeedsCore

/// The gamma sampler's bulk first candidates (`Sources/CKernels/gamma.c`), in AVX2 and in plain
/// code, are `Distribution.gammaCandidate` wherever its ziggurat and squeeze accept at the first
/// try, bit for bit, and are refused wherever they do not.
///
/// In `VectorKernelsTests`, whose tests run one at a time: these switch the kernels between AVX2
/// and plain code.
extension VectorKernelsTests {
  /// Whether `gammaCandidate` accepts block `w` without its stream or a logarithm: the normal
  /// deviate at the ziggurat's first try, `v0 > 0`, and the squeeze (Marsaglia and Tsang).
  static func acceptedAtFirstTry(d: Double, c: Double, _ w: RandomStream.Block) -> Bool {
    let zig = NormalZiggurat.standard
    let u = 2 * RandomStream.unit(w.0) - 1
    let layer = Int(w.3 & UInt32(NormalZiggurat.layers - 1))
    guard abs(u) < zig.ratio[layer] else { return false }
    let z = u * zig.x[layer]
    let v0 = 1 + c * z
    let z2 = z * z
    return v0 > 0 && RandomStream.unit(w.1) < 1 - 0.0331 * z2 * z2
  }

  @Test func gammaFirstCandidatesAreTheScalarCandidatesBitForBit() {
    var random = SplitMix64(seed: 41)
    var accepted = 0
    var refused = 0

    for level in Self.levels {
      VectorKernels.level = level
      #expect(VectorKernels.level == level)
      // Counts across the vector width (1 to 9) and a Sutton draw's size; shapes from 10⁻³ to
      // 10⁴, as κ · mean gives them, and the constants of shape + 1 below 1.
      for n in [1, 2, 3, 4, 5, 7, 8, 9, 2_500] {
        let shapes = (0..<n).map { _ in pow(10, Double.random(in: -3...4, using: &random)) }
        let gammas = GammaConstants(shapes: shapes)
        let blocks: [RandomStream.Block] = (0..<n).map { _ in
          (
            UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random),
            UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random)
          )
        }
        blocks.withUnsafeBufferPointer { blocks in
          gammas.withFirstCandidates(blocks: blocks) { first in
            for k in 0..<n {
              let fast = Self.acceptedAtFirstTry(d: gammas.d[k], c: gammas.c[k], blocks[k])
              #expect((first.accepted[k] == 1) == fast, "level \(level), n \(n), block \(k)")
              guard fast else {
                refused += 1
                continue
              }
              accepted += 1
              // The stream is never read on this path: any stream will do.
              var unused = RandomStream(Philox4x32(seed: 1), draw: 0, stream: 0)
              let scalar = Distribution.gammaCandidate(d: gammas.d[k], c: gammas.c[k], blocks[k], &unused)
              #expect(first.gammas[k].bitPattern == scalar?.bitPattern, "level \(level), n \(n), block \(k)")
            }
          }
        }
      }
    }
    VectorKernels.level = 2
    // Both kinds of block occur: about 89% are accepted at the first try at these shapes.
    #expect(accepted > 5 * refused && refused > 100)
  }
}

/// The boosts of gammas below shape 1 (`hnb_gamma_boosts`), in AVX2 with FMA and in plain code,
/// are `exp(log(u) · (1/shape))` as libm computes them, bit for bit: on random blocks (logarithms
/// near 1 and far from it, exponents within ±512 and beyond) and at the ends of the uniform.
extension VectorKernelsTests {
  @Test func gammaBoostsAreLibmsExpOfLogBitForBit() {
    var random = SplitMix64(seed: 43)
    var checked = 0
    for level in Self.levels {
      VectorKernels.level = level
      #expect(VectorKernels.level == level)
      for n in [1, 3, 4, 5, 8, 9, 100_000] {
        var blocks: [RandomStream.Block] = (0..<n).map { _ in
          (
            UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random),
            UInt32.random(in: .min ... .max, using: &random), UInt32.random(in: .min ... .max, using: &random)
          )
        }
        // The uniform's ends: its least 53 bits (2⁻⁵⁴), its greatest (rounding to 1, whose
        // logarithm is 0); and small uniforms (exponents of −512 to −1024 and beyond, results
        // subnormal and 0).
        if n > 8 {
          blocks[0].2 = 0
          blocks[0].3 = 0
          blocks[2].2 = .max
          blocks[2].3 = .max
          for k in stride(from: 6, to: n, by: 6) { blocks[k].2 >>= UInt32(k % 32) }
        }
        // Every other block boosted, shapes from 10⁻⁵ to 1.
        let index = (0..<n).filter { $0 % 2 == 0 || n < 10 }.map { Int32($0) }
        let inverse = index.map { _ in 1 / pow(10, Double.random(in: -5...0, using: &random)) }
        var boosts = [Double](repeating: .nan, count: n)
        blocks.withUnsafeBufferPointer { blocks in
          let words = UnsafeRawPointer(blocks.baseAddress!).assumingMemoryBound(to: UInt32.self)
          hnb_gamma_boosts(words, index, inverse, index.count, &boosts)
        }
        for (j, k) in index.enumerated() {
          let expected = exp(log(Distribution.boostUniform(blocks[Int(k)])) * inverse[j])
          #expect(boosts[Int(k)].bitPattern == expected.bitPattern, "level \(level), n \(n), block \(k)")
          checked += 1
        }
        // The other entries are left as they were.
        let others = Set(0..<n).subtracting(index.map { Int($0) })
        #expect(others.allSatisfy { boosts[$0].isNaN })
      }
    }
    VectorKernels.level = 2
    #expect(checked > 100_000)
  }
}

/// Dirichlet shares from gammas and boosts (`hnb_dirichlet_shares`), in AVX2 and in plain code,
/// are each plan's products, summed in order and divided by the sum, bit for bit, written where
/// each plan's shares go; a plan whose sum is not positive is flagged and left as its products.
extension VectorKernelsTests {
  @Test func dirichletSharesAreTheLoopWrittenOut() {
    var random = SplitMix64(seed: 47)
    for level in Self.levels {
      VectorKernels.level = level
      #expect(VectorKernels.level == level)
      // Plans of 2 to 13 shares (across the vector widths), one of zeros.
      let counts = Array(2...13) + [5]
      let n = counts.reduce(0, +)
      let gammas = (0..<n).map { k in k >= n - 5 ? 0 : Double.random(in: 1e-9...30, using: &random) }
      let boosts = (0..<n).map { _ in Bool.random(using: &random) ? 1 : Double.random(in: 1e-300...1, using: &random) }
      var first: [Int] = []
      var offset: [Int] = []
      var (at, gap) = (0, 0)
      for count in counts {
        first.append(at)
        offset.append(at + gap)
        at += count
        gap += 1  // a one-share plan's place between each two
      }
      var out = [Double](repeating: .nan, count: n + gap)
      var underflow = [UInt8](repeating: 9, count: counts.count)
      hnb_dirichlet_shares(gammas, boosts, first, counts, offset, counts.count, &out, &underflow)
      for (p, count) in counts.enumerated() {
        let products = (0..<count).map { gammas[first[p] + $0] * boosts[first[p] + $0] }
        let total = products.reduce(0, +)
        let expected = total > 0 ? products.map { $0 / total } : products
        let got = Array(out[offset[p]..<(offset[p] + count)])
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "level \(level), plan \(p)")
        #expect(underflow[p] == (total > 0 ? 0 : 1), "level \(level), plan \(p)")
        #expect(out[offset[p] + count].isNaN, "the place after plan \(p) is left alone")
      }
    }
    VectorKernels.level = 2
  }
}
