import Foundation

/// Whole numbers with a fixed width, as `%0Nd` and `%0NX` printed them, without `String(format:)`.
extension NumberFormat {
  /// `n` in decimal with at least `width` characters, zeros after any minus sign (`%0Nd`):
  /// `zeroPadded(7, width: 2)` is `07`, `zeroPadded(-7, width: 3)` is `-07`.
  package static func zeroPadded(_ n: Int, width: Int) -> String {
    let digits = String(n.magnitude)
    let sign = n < 0 ? "-" : ""
    let zeros = max(0, width - sign.count - digits.count)
    return sign + String(repeating: "0", count: zeros) + digits
  }

  /// `n` (not negative) in upper-case hexadecimal with at least `width` digits (`%0NX`):
  /// `hex(0xA3, width: 2)` is `A3`, `hex(0xE9, width: 4)` is `00E9`.
  package static func hex(_ n: Int, width: Int) -> String {
    precondition(n >= 0, "hex of a negative number")
    let digits = String(n, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
