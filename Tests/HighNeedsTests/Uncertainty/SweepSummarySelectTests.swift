import Foundation
import Testing
import TestSupport

@testable import HighNeedsCore

/// The percentiles' order statistics selected by the numbers' bits (`SweepSummary.selectByBits`)
/// are those of a sort.
@Suite struct SweepSummarySelectTests {
  /// `selectByBits` puts the sorted values at the ranks asked for, on values spread over many
  /// magnitudes and signs, one far outlier (one range holding nearly all), ties and one value;
  /// and it leaves a NaN or −0 to `select`, with the values untouched.
  @Test func valuesSelectedByTheirBitsAreTheSortedOnes() {
    var random = SplitMix64(seed: 12)
    var cases = 0
    for n in [65, 100, 1_000, 10_000] {
      let spread = (0..<n).map { _ in
        Double.random(in: -1...1, using: &random) * pow(10, Double.random(in: -12...12, using: &random))
      }
      var outlier = (0..<n).map { _ in Double.random(in: 3_000...4_000, using: &random) }
      outlier[n / 2] = 1e300
      let ties = (0..<n).map { _ in Double(Int.random(in: 0...2, using: &random)) * 0.25 }
      let ranks = [0, 1, n / 10, n / 2 - 1, n / 2, n - 2, n - 1]
      for values in [spread, outlier, ties, Array(repeating: 7, count: n)] {
        let sorted = values.sorted()
        var x = values
        let selected = x.withUnsafeMutableBufferPointer { SweepSummary.selectByBits($0, ranks) }
        #expect(selected, "\(n) values")
        #expect(ranks.map { x[$0].bitPattern } == ranks.map { sorted[$0].bitPattern }, "\(n) values")
        cases += 1
      }
      for odd in [Double.nan, -0.0] {
        var x = spread
        x[n - 1] = odd
        let before = x.map(\.bitPattern)
        #expect(!x.withUnsafeMutableBufferPointer { SweepSummary.selectByBits($0, ranks) })
        #expect(x.map(\.bitPattern) == before)
      }
    }
    #expect(cases == 16)
  }
}
