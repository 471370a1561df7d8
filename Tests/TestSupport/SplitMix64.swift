/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator, so that generated
/// scenarios, synthetic data and kill times are the same on every run.
///
/// The one copy the test targets share; the model's own generators (`Philox4x32`) are in the
/// library and are tested there.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The generator's whole state: the seed plus the number of values drawn times the golden gamma.
  public var state: UInt64

  /// A generator whose first value is the SplitMix64 output for `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
