import Foundation

/// The last check before an output is written: no table or paper holds NaN or infinity.
///
/// Every number hnb writes comes from checked inputs through checked arithmetic, and the
/// integrity checks reconcile the run; this guard is the master check behind them all. It reads
/// each text file about to be written and refuses the whole output (exit 70, nothing written)
/// when a number in it is not finite: a CSV field or header, a JSON value, or a table cell or
/// amount, chart point or attribute of a paper (`£nan`, `£nanm`, `inf%`, `| nan |`, `>-inf<`,
/// `cy="nan"`) that reads `nan`, `inf` or `infinity`
/// in any case or sign. It names the file, line and column, so that the fault can be traced.
/// Binary files (the XLSX workbook) are not read: their tables are the run's CSV tables.
public enum FiniteOutputGuard {
  /// The spellings of a number that is not finite, as Swift, C and Foundation print them
  /// (compared in lower case; `∞` as its UTF-8 bytes).
  static let words: Set<[UInt8]> = [Array("nan".utf8), Array("inf".utf8), Array("infinity".utf8), Array("∞".utf8)]

  /// Throws an `IntegrityError` naming every non-finite number in `files` (name → bytes), at
  /// most one per file.
  public static func check(_ files: [String: Data]) throws {
    var failures: [String] = []
    for name in files.keys.sorted() {
      guard let data = files[name], let kind = Kind(name: name),
        let (line, column, found) = firstNonFinite(in: [UInt8](data), kind: kind)
      else { continue }
      failures.append(
        "\(name):\(line):\(column): expected a finite number; found \(InputError.quoted(found)) "
          + "(hnb writes no table holding NaN or infinity: nothing was written)")
    }
    if !failures.isEmpty { throw IntegrityError(failures: failures) }
  }

  /// The kinds of text file the guard reads.
  enum Kind {
    case csv, json, paper

    init?(name: String) {
      switch (name as NSString).pathExtension.lowercased() {
      case "csv": self = .csv
      case "json": self = .json
      case "md", "html", "txt", "svg": self = .paper
      default: return nil
      }
    }
  }

  /// The first non-finite number in `bytes` (UTF-8 text): its line, its column (1-based, in
  /// bytes) and the word.
  static func firstNonFinite(in bytes: [UInt8], kind: Kind) -> (Int, Int, String)? {
    let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
    var line = 1
    var lineStart = 0
    var inString = false
    var i = 0
    while i < bytes.count {
      let byte = bytes[i]
      if byte == newline {
        line += 1
        lineStart = i + 1
        i += 1
        continue
      }
      if kind == .json, byte == quote {
        // A quote toggles a JSON string unless escaped (an odd run of backslashes before it).
        var backslashes = 0
        while i - backslashes > lineStart, bytes[i - backslashes - 1] == backslash { backslashes += 1 }
        if backslashes % 2 == 0 { inString.toggle() }
        i += 1
        continue
      }
      // A candidate is a run of letters (or ∞) that does not continue a word.
      let infinitySign = byte == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x88 && bytes[i + 2] == 0x9E
      guard isLetter(byte) || infinitySign, i == lineStart || !isLetter(bytes[i - 1]) else {
        i += 1
        continue
      }
      var end = infinitySign ? i + 3 : i + 1
      while end < bytes.count, isLetter(bytes[end]) { end += 1 }
      // Every spelling starts with n, i or ∞: other words are passed over without building them.
      guard infinitySign || byte | 0x20 == UInt8(ascii: "n") || byte | 0x20 == UInt8(ascii: "i") else {
        i = end
        continue
      }
      let word = bytes[i..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
      // After £ or $ a unit may follow the number ("£nanm" for millions).
      let amount = i > lineStart && (bytes[i - 1] == 0xA3 || bytes[i - 1] == UInt8(ascii: "$"))
      let spelling = words.contains(word) || (amount && words.contains { word.starts(with: $0) })
      if spelling, !inString, isNumber(bytes, from: i, to: end, lineStart: lineStart, kind: kind) {
        return (line, i - lineStart + 1, String(decoding: bytes[i..<end], as: UTF8.self))
      }
      i = end
    }
    return nil
  }

  /// Whether `byte` is an ASCII letter.
  static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

  /// Whether the word at `start..<end` stands where a number stands in a file of `kind`.
  static func isNumber(_ c: [UInt8], from start: Int, to end: Int, lineStart: Int, kind: Kind) -> Bool {
    func byte(_ i: Int) -> UInt8? { i >= lineStart && i < c.count && c[i] != UInt8(ascii: "\n") ? c[i] : nil }
    func isAny(_ b: UInt8?, _ set: String) -> Bool { b.map { set.utf8.contains($0) } ?? false }
    var before = start
    while let b = byte(before - 1), isAny(b, "+-") { before -= 1 }
    // A minus sign (U+2212, bytes E2 88 92) before it too.
    while before - 3 >= lineStart, c[before - 3] == 0xE2, c[before - 2] == 0x88, c[before - 1] == 0x92 { before -= 3 }
    let previous = byte(before - 1)
    let next = byte(end)
    // An amount (after £, bytes C2 A3, or $) or a rate (before %) in any kind of file.
    if previous == 0xA3 || isAny(previous, "$") || isAny(next, "%") { return true }
    switch kind {
    case .csv:
      // A whole field, header or value (quoted or not).
      return (previous == nil || isAny(previous, ",\"")) && (next == nil || isAny(next, ",\"\r"))
    case .json:
      // Outside a string the only words are true, false and null.
      return true
    case .paper:
      // An element's text starting with it (`>nan<`, `>nan plans<`), an attribute value or a
      // point of a chart (`cy="nan"`, `points="1,nan 2,3"`), or a Markdown cell starting with it
      // (`| nan |`, `| nan £000 |`).
      if isAny(previous, ">") && (next == nil || isAny(next, "< ")) { return true }
      if isAny(previous, "\",") && (next == nil || isAny(next, "\", ")) { return true }
      return isAny(previous, " ") && isAny(byte(before - 2), "|") && (next == nil || isAny(next, " |"))
    }
  }
}
