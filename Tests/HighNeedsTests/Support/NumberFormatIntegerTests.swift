import Foundation
import Testing

@testable import HighNeedsCore

/// The fixed-width whole numbers print as `String(format:)`'s `%0Nd` and `%0NX` did, so the
/// year labels, dates and byte messages that moved to them are unchanged.
@Suite struct NumberFormatIntegerTests {
  @Test func zeroPaddedIsPercentZeroND() {
    for n in [-12345, -100, -7, -1, 0, 1, 7, 9, 10, 99, 100, 999, 1000, 2025, 12345, Int(Int32.max)] {
      for width in 0...6 {
        #expect(NumberFormat.zeroPadded(n, width: width) == String(format: "%0\(width)d", n), "\(n) \(width)")
      }
    }
  }

  @Test func hexIsPercentZeroNX() {
    for n in [0, 1, 0x0F, 0x10, 0xA3, 0xFF, 0xE9, 0x2028, 0xFEFF, 0x1F600] {
      for width in [0, 2, 4] {
        #expect(NumberFormat.hex(n, width: width) == String(format: "%0\(width)X", n), "\(n) \(width)")
      }
    }
  }

  @Test func yearLabels() {
    #expect(YearLabel.academic(startingIn: 2025) == "2025/26")
    #expect(YearLabel.financial(startingIn: 1999) == "1999-00")
    #expect(YearLabel.financial(startingIn: 2008) == "2008-09")
  }
}
