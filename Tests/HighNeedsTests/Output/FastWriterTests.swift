import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// The writers' fast paths (bytes instead of characters, SHA-256 on the bytes in place) give
/// exactly what the general code gives (the number formatter's: `NumberFormatTests`).
@Suite struct FastWriterTests {
  /// Random cells from pieces that exercise every rule: separators, quotes, line breaks (and
  /// `\r\n`, one character), formula signs, numbers, non-ASCII and a combining accent that
  /// joins the character before it.
  static func cells(count: Int) -> [String] {
    let pieces = [
      ",", "\"", "\n", "\r", "\r\n", "=", "+", "@", "-", "'", "1", "0.5", ".", "e", "_", "a", "Z", " ", "é", "\u{301}",
      "£", "—", "12345678901234567890123456789012345",
    ]
    var random = SplitMix64(seed: 14)
    return (0..<count).map { _ in
      (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }
        .joined()
    }
  }

  @Test func escapeOnBytesIsEscapeOnCharacters() {
    let cells = Self.cells(count: 20_000) + ["", "-", "-1", "-1.5", "-.5", "-5.", "-1.2.3", "=1", ",\r\n", "\r\n="]
    var plain = 0
    for cell in cells {
      #expect(CSVWriter.escape(cell) == CSVWriter.escapeCharacters(cell), "\(cell.debugDescription)")
      if CSVWriter.plain(cell) {
        plain += 1
        #expect(CSVWriter.escapeCharacters(cell) == cell, "\(cell.debugDescription)")
      }
    }
    #expect(plain > 1000)
    // A row is its cells escaped and joined.
    var csv = CSVWriter(header: ["h"])
    csv.row(Array(cells.prefix(50)))
    #expect(csv.text == "h\n" + cells.prefix(50).map(CSVWriter.escapeCharacters).joined(separator: ",") + "\n")
  }

  /// Digests of bytes `(7i + 3) mod 256` (from Python's hashlib), at lengths around the
  /// padding's boundaries (55 and 56 bytes in the last block, whole blocks).
  @Test func sha256AtBlockBoundaries() {
    let expected: [Int: String] = [
      55: "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b",
      56: "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27",
      63: "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055",
      64: "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241",
      65: "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e",
      119: "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e",
      120: "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5",
      127: "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07",
      128: "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6",
      1000: "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371",
    ]
    #expect(expected.count == 10)
    for (n, digest) in expected {
      let data = Data((0..<n).map { UInt8(($0 * 7 + 3) % 256) })
      #expect(SHA256.hex(data) == digest, "\(n) bytes")
      // A slice of a larger buffer (a Data whose bytes do not start at index 0).
      let slice = (Data([9, 9, 9]) + data).dropFirst(3)
      #expect(SHA256.hex(slice) == digest, "\(n) bytes, sliced")
    }
  }
}
