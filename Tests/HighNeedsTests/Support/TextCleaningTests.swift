import Foundation
import Testing
import TestSupport

@testable import HighNeedsCore

/// The CSV reader's own trimming and digit-separator removal give what Foundation's
/// `trimmingCharacters(in: .whitespaces)` and `replacingOccurrences(of: "_", with: "")` give.
struct TextCleaningTests {
  /// Every Unicode scalar is whitespace exactly when `CharacterSet.whitespaces` holds it.
  @Test func whitespaceIsFoundationsWhitespaceForEveryScalar() {
    var whitespace = 0
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      #expect(
        scalar.isHorizontalWhitespace == CharacterSet.whitespaces.contains(scalar), "U+\(String(value, radix: 16))")
      if scalar.isHorizontalWhitespace { whitespace += 1 }
    }
    // The tab, the 17 space separators of Unicode 15 and the zero-width space.
    #expect(whitespace == 19)
  }

  /// On random texts of spaces, tabs, line breaks, no-break, em and zero-width spaces, letters, digits,
  /// underscores, a combining accent and an emoji (and their substrings), trimming and removing
  /// `_` give Foundation's results.
  @Test func trimmingAndSeparatorsAreFoundations() {
    let pieces = [
      " ", "\t", "\r", "\n", "\u{00A0}", "\u{2003}", "\u{200B}", "a", "7", "_", ".", "\u{0301}", "🙂", "é", "",
    ]
    var random = SplitMix64(seed: 61)
    for _ in 0..<20_000 {
      let text = (0..<Int.random(in: 0...7, using: &random)).map { _ in pieces.randomElement(using: &random)! }
        .joined()
      #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
      #expect(text.withoutDigitSeparators == text.replacingOccurrences(of: "_", with: ""))
      let tail = text.dropFirst()
      #expect(tail.trimmingWhitespace == tail.trimmingCharacters(in: .whitespaces))
    }
  }
}
