import Foundation
import HighNeedsCore
import TestSupport
import Testing

/// The one number formatter prints exactly what the formatters it replaced printed: C's
/// `printf` conversions as `String(format:)` gives them, with the stated rules on negative
/// zero, ties, grouping and units.
@Suite struct NumberFormatTests {
  /// Edge values (zeros of both signs, exact binary ties, values at the integer path's limit,
  /// subnormals, not-finite values) and 20,000 random values over 27 decades of both signs.
  static let values: [Double] = {
    var random = SplitMix64(seed: 7)
    var values: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.125, 0.375, -0.625, 1.005, 2.675, 0.05, 0.15, 0.25, -0.25, 1e15, -1e15,
      1e300, 123_456_789.125, 0x1p59, 0x1p60, -0x1p60 + 1024, Double.leastNonzeroMagnitude,
      -Double.leastNonzeroMagnitude, 2.2250738585072014e-308, 0.0000005, 0.0000015, -0.0000004, 999.95, 9.95, 9.949,
      Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, .nan, -Double.nan, .infinity, -.infinity,
    ]
    for _ in 0..<20_000 {
      let magnitude = pow(10, Double.random(in: -8...19, using: &random))
      values.append(Double.random(in: -1...1, using: &random) * magnitude)
    }
    return values
  }()

  /// `String(format:)`'s `%.Nf` without the minus of a negative zero.
  static func unsignedZero(_ text: String) -> String {
    text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
  }

  @Test func fixedIsStringFormatWithoutNegativeZero() {
    for x in Self.values {
      for places in [0, 1, 2, 3, 4, 6, 9] {
        let printf = String(format: "%.\(places)f", x)
        #expect(NumberFormat.fixed(x, places) == Self.unsignedZero(printf), "\(x) to \(places) places")
        #expect(NumberFormat.fixed(x, places, negativeZero: .kept) == printf, "\(x) to \(places) places, kept")
      }
      // The integer path at every number of places it takes (all of these but the largest).
      #expect(NumberFormat.decimalDigits(x, 6) != nil || !x.isFinite || x.magnitude >= 0x1p60)
      for places in 0...17 {
        if let digits = NumberFormat.decimalDigits(x, places) {
          #expect(digits == NumberFormat.printed(x, places), "\(x) to \(places) places")
        }
      }
    }
  }

  @Test func negativeZeroAndTies() {
    #expect(NumberFormat.fixed(-0.0, 2) == "0.00")
    #expect(NumberFormat.fixed(-0.0, 2, negativeZero: .kept) == "-0.00")
    #expect(NumberFormat.pounds(-0.001) == "0.00")
    #expect(NumberFormat.pounds(-0.02) == "-0.02")
    #expect(NumberFormat.plans(-0.0000001) == "0.000000")
    // Exact binary ties go to even (printf); `wholePounds` rounds them away from zero first.
    #expect([0.5, 1.5, 2.5, -2.5].map { NumberFormat.fixed($0, 0) } == ["0", "2", "2", "-2"])
    #expect([0.5, 1.5, 2.5, -2.5, -0.4].map(NumberFormat.wholePounds) == ["1", "2", "3", "-3", "-0"])
    #expect(NumberFormat.fixed(0.125, 2) == "0.12")
    #expect(NumberFormat.fixed(0.375, 2) == "0.38")
  }

  @Test func largeAndNotFiniteValues() {
    #expect(NumberFormat.pounds(0x1p60) == "1152921504606846976.00")
    #expect(NumberFormat.fixed(1e300, 0).count == 301)
    // Not-finite values print as C prints them: the writers refuse them before formatting.
    #expect(NumberFormat.fixed(.infinity, 2) == "inf")
    #expect(NumberFormat.fixed(-.infinity, 2) == "-inf")
    #expect(NumberFormat.fixed(.nan, 2) == "nan")
    #expect(NumberFormat.significant(.nan, 10, nan: "") == "")
    #expect(NumberFormat.significant(.infinity, 10, nan: "") == "inf")
  }

  @Test func signedIsStringFormatPlus() {
    for x in Self.values where x.isFinite {
      #expect(NumberFormat.signed(x, 1) == String(format: "%+.1f", x), "\(x)")
    }
    #expect(NumberFormat.signed(-0.04, 1) == "-0.0")
    #expect(NumberFormat.signed(0, 1) == "+0.0")
  }

  @Test func significantIsStringFormatG() {
    for x in Self.values {
      for digits in [4, 6, 10] {
        #expect(NumberFormat.significant(x, digits) == String(format: "%.\(digits)g", x), "\(x) to \(digits) digits")
      }
    }
    #expect(NumberFormat.significant(1e-6, 6) == "1e-06")
    #expect(NumberFormat.significant(95, 6) == "95")
  }

  /// Whole numbers below 10¹⁵ as integers, the rest to four significant digits (messages).
  @Test func compact() {
    #expect(NumberFormat.compact(1200) == "1200")
    #expect(NumberFormat.compact(-0.0) == "0")
    #expect(NumberFormat.compact(1.0 / 3) == "0.3333")
    #expect(NumberFormat.compact(1e15) == "1e+15")
    #expect(NumberFormat.compact(-2.5e-7) == "-2.5e-07")
    #expect(NumberFormat.compact(.nan) == "nan")
  }

  /// `hnb init`'s numbers: at most `places` decimals, trailing zeros and a negative zero gone
  /// (the rule `InitFormat.number` had, checked here against its words).
  @Test func trimmed() {
    for x in Self.values where x.isFinite {
      var old = String(format: "%.6f", x)
      if old.contains(".") {
        while old.hasSuffix("0") { old.removeLast() }
        if old.hasSuffix(".") { old.removeLast() }
      }
      if old == "-0" { old = "0" }
      #expect(NumberFormat.trimmed(x) == old, "\(x)")
    }
    #expect(NumberFormat.trimmed(2.5, places: 0) == "2")
    #expect(NumberFormat.trimmed(-0.0000004) == "0")
    #expect(NumberFormat.trimmed(0.125, places: 3) == "0.125")
  }

  @Test func micro() {
    #expect(NumberFormat.micro(0) == "0")
    #expect(NumberFormat.micro(1_250_000) == "1.25")
    #expect(NumberFormat.micro(-1) == "-0.000001")
    #expect(NumberFormat.micro(-3_000_000) == "-3")
    #expect(NumberFormat.micro(Int.min) == "-9223372036854.775808")
  }

  /// Pounds in millions: the sign before the pound sign; `abs` gives the unsigned figure.
  @Test func poundsMillions() {
    for x in Self.values where x.isFinite {
      let old = (x < 0 ? "-" : "") + "£" + String(format: "%.1fm", abs(x) / 1e6)
      #expect(NumberFormat.poundsMillions(x) == old, "\(x)")
      if x.sign == .plus { #expect(NumberFormat.poundsMillions(x, places: 2) == String(format: "£%.2fm", x / 1e6)) }
    }
    #expect(NumberFormat.poundsMillions(-1_250_000) == "-£1.2m")  // 1.25 is a tie in binary: to even
    #expect(NumberFormat.poundsMillions(-1) == "-£0.0m")
    #expect(NumberFormat.poundsMillionsLabel(millions: -1298.25) == "-£1,298.3m")
    #expect(NumberFormat.poundsMillionsLabel(millions: 298) == "£298m")
    #expect(NumberFormat.poundsMillionsLabel(millions: -0.04) == "£0m")
  }

  @Test func grouped() {
    #expect(NumberFormat.grouped(-1_234_567) == "-1,234,567")
    #expect(NumberFormat.grouped(999) == "999")
    #expect(NumberFormat.grouped(1000) == "1,000")
    #expect(NumberFormat.grouped(-0.04) == "0.0")
    #expect(NumberFormat.grouped(-0.0) == "0")
    #expect(NumberFormat.grouped(12.5) == "12.5")
    #expect(NumberFormat.grouped(1_234.96) == "1,235.0")
    #expect(NumberFormat.grouped(24, places: 1) == "24.0")
    #expect(NumberFormat.grouped(-1e15) == "-1,000,000,000,000,000")
  }

  /// The shortest text that reads back as the same double, as Swift prints it.
  @Test func shortestRoundTrips() {
    for x in Self.values where x.isFinite {
      #expect(Double(NumberFormat.shortest(x))?.bitPattern == x.bitPattern, "\(x)")
    }
    #expect(NumberFormat.shortest(0.1) == "0.1")
    #expect(NumberFormat.shortest(1e-7) == "1e-07")
    #expect(NumberFormat.shortest(-0.0) == "-0.0")
    #expect(NumberFormat.shortest(1_234_567) == "1234567.0")
  }

  @Test func percentAndBytes() {
    #expect(NumberFormat.percent(0.375) == "38%")
    #expect(NumberFormat.percent(0.5) == "50%")
    #expect(NumberFormat.bytes(812) == "812 bytes")
    #expect(NumberFormat.bytes(9_949) == "9.9 kB")
    #expect(NumberFormat.bytes(9_950) == "10 kB")
    #expect(NumberFormat.bytes(1.1e15) == "1.1 PB")
    #expect(NumberFormat.bytes(2.5e30) == "2500000 YB")
  }
}
