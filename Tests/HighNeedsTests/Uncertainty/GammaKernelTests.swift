import CKernels
import Foundation
import Testing
import TestSupport

@testable import HighNeedsCore

/// The gamma sampler's bulk first candidates (`Sources/CKernels/gamma.c`), in AVX2 and in plain
/// code, are `Distribution.gammaCandidate` wherever its ziggurat and squeeze accept at the first
/// try, bit for bit, and are refused wherever they do not.
struct GammaKernelTests {
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

  @Test func firstCandidatesAreTheScalarCandidatesBitForBit() {
    var random = SplitMix64(seed: 41)
    let levels = [0, 2]
    var accepted = 0
    var refused = 0
    for level in levels {
      VectorKernels.level = level
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
              #expect((first.accepted?[k] == 1) == fast, "level \(level), n \(n), block \(k)")
              guard fast else {
                refused += 1
                continue
              }
              accepted += 1
              // The stream is never read on this path: any stream will do.
              var unused = RandomStream(Philox4x32(seed: 1), draw: 0, stream: 0)
              let scalar = Distribution.gammaCandidate(d: gammas.d[k], c: gammas.c[k], blocks[k], &unused)
              #expect(first.candidates?[k].bitPattern == scalar?.bitPattern, "level \(level), n \(n), block \(k)")
            }
          }
        }
      }
    }
    VectorKernels.level = 2
    // Both kinds of block occur: about 92% are accepted at the first try at these shapes.
    #expect(accepted > 5 * refused && refused > 100)
  }
}
