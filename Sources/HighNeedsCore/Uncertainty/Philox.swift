import CKernels
import Foundation

/// Philox4x32-10: a counter-based random number generator (Salmon et al., SC'11, "Parallel
/// random numbers: as easy as 1, 2, 3").
///
/// The output is a pure function of a 64-bit key and a 128-bit counter, so draw `i` of a sweep
/// depends only on `(seed, i)`: whatever the batch size, thread count or sharding, the same draw
/// sees the same numbers. Ten rounds of `(hi, lo) = M · c` mixing with Weyl-sequence key bumps.
public struct Philox4x32: Sendable {
  /// The two 32-bit key words (the seed).
  public let key: (UInt32, UInt32)

  /// A generator keyed by `seed` (low word first).
  public init(seed: UInt64) {
    key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
  }

  /// Four 32-bit words for `counter`: the ten-round Philox bijection under this key.
  public func block(_ counter: RandomStream.Block) -> RandomStream.Block {
    var c = counter
    var k = key
    for round in 0..<10 {
      let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
      let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
      c = (
        UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k.0, UInt32(truncatingIfNeeded: p1),
        UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k.1, UInt32(truncatingIfNeeded: p0)
      )
      if round < 9 { k = (k.0 &+ 0x9E37_79B9, k.1 &+ 0xBB67_AE85) }
    }
    return c
  }

  /// Block `i` of `blocks` for the counter `(c0, c1, c2[i], c3[i])`: `block(_:)` of each, in
  /// bulk (`Sources/CKernels`: eight at a time in AVX2 registers when the processor has AVX2).
  func blocks(
    _ c0: UInt32, _ c1: UInt32, streams c2: UnsafeBufferPointer<UInt32>, indices c3: UnsafeBufferPointer<UInt32>,
    into blocks: UnsafeMutableBufferPointer<RandomStream.Block>
  ) {
    precondition(c2.count == blocks.count && c3.count == blocks.count, "one counter for each block")
    guard let out = blocks.baseAddress, let c2 = c2.baseAddress, let c3 = c3.baseAddress else { return }
    out.withMemoryRebound(to: UInt32.self, capacity: 4 * blocks.count) {
      hnb_philox4x32_blocks(key.0, key.1, c0, c1, c2, c3, blocks.count, $0)
    }
  }
}

/// A stream of uniform numbers for one purpose within one draw: counter `(draw, stream, i)`.
///
/// `stream` names what the numbers are for (an uncertain input, a transition row), so adding an
/// input never changes the numbers another input sees.
public struct RandomStream: Sendable {
  /// One block of the stream: four random words.
  public typealias Block = (UInt32, UInt32, UInt32, UInt32)

  let generator: Philox4x32
  let draw: UInt64
  let stream: UInt32
  private var index: UInt32 = 0
  /// The second uniform of the last block `uniform()` used, when not yet returned.
  private var spare = 0.0
  private var hasSpare = false

  /// The stream `stream` of draw `draw` under `generator`'s seed.
  public init(_ generator: Philox4x32, draw: Int, stream: UInt32) {
    self.generator = generator
    self.draw = UInt64(draw)
    self.stream = stream
  }

  /// The stream `stream` of draw `draw` with its first `index` blocks taken (computed
  /// elsewhere, as `Philox4x32.blocks` computes many streams' first blocks together).
  init(_ generator: Philox4x32, draw: Int, stream: UInt32, index: UInt32) {
    self.init(generator, draw: draw, stream: stream)
    self.index = index
  }

  /// The next uniform number in the open interval (0, 1), with 53 random bits.
  ///
  /// Each block gives two: `(⌊w₀ · 2²¹ + w₁ / 2¹¹⌋ + 0.5) / 2⁵³` from each pair of words.
  @inline(__always)
  public mutating func uniform() -> Double {
    if hasSpare {
      hasSpare = false
      return spare
    }
    let words = block()
    spare = Self.unit(words.2, words.3)
    hasSpare = true
    return Self.unit(words.0, words.1)
  }

  /// The next block of four words (counter `(draw, stream, index)`), whole: a spare uniform
  /// that `uniform()` holds is kept for its next call.
  @inline(__always)
  public mutating func block() -> Block {
    let words = generator.block(
      (
        UInt32(truncatingIfNeeded: draw), UInt32(truncatingIfNeeded: draw >> 32), stream, index
      ))
    index &+= 1
    return words
  }

  /// Fills `blocks` with the next `blocks.count` blocks (as `block()` would give them one by
  /// one), in bulk (`Sources/CKernels`: eight at a time in AVX2 registers when the processor has
  /// AVX2).
  public mutating func fill(_ blocks: UnsafeMutableBufferPointer<Block>) {
    if let out = blocks.baseAddress {
      out.withMemoryRebound(to: UInt32.self, capacity: 4 * blocks.count) {
        hnb_philox4x32_run(
          generator.key.0, generator.key.1, UInt32(truncatingIfNeeded: draw), UInt32(truncatingIfNeeded: draw >> 32),
          stream, index, blocks.count, $0)
      }
    }
    index &+= UInt32(truncatingIfNeeded: blocks.count)
  }

  /// The uniform in (0, 1) of one word, with 32 random bits: `(w + 0.5) / 2³²`.
  @inline(__always)
  static func unit(_ w: UInt32) -> Double { (Double(w) + 0.5) / 4_294_967_296 }

  /// The uniform in (0, 1) of two words: the top 32 bits from `high`, 21 from the top of `low`
  /// (its low 11 bits are left for other uses).
  @inline(__always)
  static func unit(_ high: UInt32, _ low: UInt32) -> Double {
    let bits = (UInt64(high) << 21) ^ (UInt64(low) >> 11)
    return (Double(bits) + 0.5) / 9_007_199_254_740_992
  }
}
