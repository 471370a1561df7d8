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
  public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
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

  /// Eight blocks at once, lane `i` for the counter `(c0, c1, c2, c3[i])`: the same bijection as
  /// `block(_:)`, lane by lane, in SIMD registers.
  ///
  /// Each 32-bit word is held in the low half of a 64-bit lane, so that a round's products are
  /// the vector unit's unsigned 32×32→64-bit multiply of those halves (`pmuludq`), with no
  /// shuffles; the high halves of `x1` and `x3` (a product's) and of `x0` and `x2` (which XOR
  /// them in) are left as they fall, since only low halves are multiplied or returned.
  @inline(__always)
  func blocks(_ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: SIMD8<UInt32>) -> (
    SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>
  ) {
    let low = SIMD8<UInt64>(repeating: 0xFFFF_FFFF)
    var x0 = SIMD8<UInt64>(repeating: UInt64(c0))
    var x1 = SIMD8<UInt64>(repeating: UInt64(c1))
    var x2 = SIMD8<UInt64>(repeating: UInt64(c2))
    var x3 = SIMD8<UInt64>(truncatingIfNeeded: c3)
    var k = (UInt64(key.0), UInt64(key.1))
    for round in 0..<10 {
      let p0 = (x0 & low) &* SIMD8<UInt64>(repeating: 0xD251_1F53)
      let p1 = (x2 & low) &* SIMD8<UInt64>(repeating: 0xCD9E_8D57)
      x0 = (p1 &>> 32) ^ x1 ^ SIMD8<UInt64>(repeating: k.0)
      x2 = (p0 &>> 32) ^ x3 ^ SIMD8<UInt64>(repeating: k.1)
      x1 = p1
      x3 = p0
      if round < 9 { k = ((k.0 + 0x9E37_79B9) & 0xFFFF_FFFF, (k.1 + 0xBB67_AE85) & 0xFFFF_FFFF) }
    }
    return (
      SIMD8<UInt32>(truncatingIfNeeded: x0), SIMD8<UInt32>(truncatingIfNeeded: x1),
      SIMD8<UInt32>(truncatingIfNeeded: x2), SIMD8<UInt32>(truncatingIfNeeded: x3)
    )
  }
}

/// A stream of uniform numbers for one purpose within one draw: counter `(draw, stream, i)`.
///
/// `stream` names what the numbers are for (an uncertain input, a transition row), so adding an
/// input never changes the numbers another input sees.
public struct RandomStream: Sendable {
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
  public mutating func block() -> (UInt32, UInt32, UInt32, UInt32) {
    let words = generator.block(
      (
        UInt32(truncatingIfNeeded: draw), UInt32(truncatingIfNeeded: draw >> 32), stream, index
      ))
    index &+= 1
    return words
  }

  /// Fills `blocks` with the next `blocks.count` blocks (as `block()` would give them one by
  /// one), each computed on its own so that the processor overlaps them.
  ///
  /// Eight blocks are computed together in SIMD lanes (`Philox4x32.blocks`), the last few one
  /// by one.
  public mutating func fill(_ blocks: UnsafeMutableBufferPointer<(UInt32, UInt32, UInt32, UInt32)>) {
    let (low, high) = (UInt32(truncatingIfNeeded: draw), UInt32(truncatingIfNeeded: draw >> 32))
    let lanes = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
    var k = 0
    while k + 8 <= blocks.count {
      let w = generator.blocks(
        low, high, stream, SIMD8<UInt32>(repeating: index &+ UInt32(truncatingIfNeeded: k)) &+ lanes)
      for i in 0..<8 { blocks[k + i] = (w.0[i], w.1[i], w.2[i], w.3[i]) }
      k += 8
    }
    while k < blocks.count {
      blocks[k] = generator.block((low, high, stream, index &+ UInt32(truncatingIfNeeded: k)))
      k += 1
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
