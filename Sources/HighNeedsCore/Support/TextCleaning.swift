import Foundation

/// Whitespace as Foundation's `CharacterSet.whitespaces` holds it on Linux: the tab, Unicode's
/// space separators (general category Zs) and the zero-width space, not line breaks.
extension Unicode.Scalar {
  /// Whether this is a tab, a space separator or the zero-width space.
  package var isHorizontalWhitespace: Bool {
    if value < 0x80 { return value == 0x20 || value == 0x09 }
    return value == 0x200B || properties.generalCategory == .spaceSeparator
  }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
  /// This text without its leading and trailing whitespace: what Foundation's
  /// `trimmingCharacters(in: .whitespaces)` gives, scalar by scalar, without its bridging to
  /// `NSString` (most of the time reading a CSV table took).
  package var trimmingWhitespace: String {
    // Most cells start and end with a visible ASCII character: nothing to trim.
    if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
      return String(self)
    }
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.isHorizontalWhitespace }) else { return "" }
    guard let last = scalars.lastIndex(where: { !$0.isHorizontalWhitespace }) else { return "" }
    return String(String.UnicodeScalarView(scalars[first...last]))
  }
}

extension String {
  /// This text without its `_` digit separators (`1_000` → `1000`); itself, uncopied, when it
  /// has none.
  package var withoutDigitSeparators: String {
    utf8.contains(UInt8(ascii: "_")) ? replacingOccurrences(of: "_", with: "") : self
  }
}
