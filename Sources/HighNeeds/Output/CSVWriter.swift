import Foundation

/// Builds a CSV file in memory: quoted where needed, numbers at fixed precision, `\n` line ends.
public struct CSVWriter {
  private(set) var text: String
  /// The columns, typed (all `text` when the file was started with a bare header).
  public private(set) var columns: [TableColumn]

  /// Starts a file with `header`, every column text.
  public init(header: [String]) {
    self.init(columns: header.map { TableColumn($0, .text) })
  }

  /// Starts a file with the header of `columns`, whose types writers other than CSV use.
  public init(columns: [TableColumn]) {
    text = ""
    self.columns = columns
    row(columns.map(\.name))
  }

  /// The table so far: its typed columns and CSV text.
  public var table: OutputTable { OutputTable(columns: columns, text: text) }

  /// Appends one row of already formatted cells.
  public mutating func row(_ cells: [String]) {
    for (i, cell) in cells.enumerated() {
      if i > 0 { text.append(",") }
      text.append(Self.plain(cell) ? cell : Self.escape(cell))
    }
    text.append("\n")
  }

  static func escape(_ cell: String) -> String {
    asciiEscape(cell) ?? escapeCharacters(cell)
  }

  /// `escape` decided character by character (any cell).
  static func escapeCharacters(_ cell: String) -> String {
    // A text cell that a spreadsheet would read as a formula is written as text.
    if let first = cell.first, "=+@".contains(first) || (first == "-" && parseNumber(cell) == nil) {
      return escapeCharacters("'" + cell)
    }
    if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return cell
  }

  /// `escape` of an ASCII cell without a carriage return, done on its bytes; nil for any other
  /// cell.
  ///
  /// In such a cell every character is one byte (`\r\n`, the one ASCII character of two
  /// bytes, is excluded), so the bytes decide exactly as the characters do.
  static func asciiEscape(_ cell: String) -> String? {
    cell.utf8.withContiguousStorageIfAvailable { bytes -> String? in
      var quote = false
      for byte in bytes {
        if byte >= 0x80 || byte == UInt8(ascii: "\r") { return nil }
        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") { quote = true }
      }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count + 8)
      if quote { out.append(UInt8(ascii: "\"")) }
      if let first = bytes.first,
        first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "@")
          || (first == UInt8(ascii: "-") && parseNumber(cell) == nil)
      {
        out.append(UInt8(ascii: "'"))
      }
      for byte in bytes {
        out.append(byte)
        if quote && byte == UInt8(ascii: "\"") { out.append(byte) }
      }
      if quote { out.append(UInt8(ascii: "\"")) }
      return String(decoding: out, as: UTF8.self)
    } ?? nil
  }

  /// Whether `escape` leaves `cell` as it is, decided from its bytes without building
  /// characters (most cells: names, ids and numbers); false when unsure, so that `escape`
  /// decides.
  ///
  /// True only when no byte is `,`, `"`, a line break or (first) one of `=+@`, and a leading
  /// `-` is followed by a short plain decimal (which `parseNumber` reads as finite).
  static func plain(_ cell: String) -> Bool {
    cell.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard let first = bytes.first else { return true }
      switch first {
      case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"): return false
      case UInt8(ascii: "-"):
        // "-" then digits with at most one dot (at most 30 bytes: always finite).
        guard bytes.count <= 30 else { return false }
        var digits = 0
        var dots = 0
        for byte in bytes.dropFirst() {
          switch byte {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
          case UInt8(ascii: "."): dots += 1
          default: return false
          }
        }
        return digits > 0 && dots <= 1
      default:
        for byte in bytes {
          switch byte {
          case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"): return false
          default: continue
          }
        }
        return true
      }
    } ?? false  // not contiguous (a bridged string): `escape` decides
  }

  /// Pounds to the penny.
  public static func gbp(_ x: Double) -> String { fixed(x, 2) }
  /// Plan counts to six decimals (projections are expected values, not whole children).
  public static func plans(_ x: Double) -> String { fixed(x, 6) }
  /// Fractions to six decimals.
  public static func fraction(_ x: Double) -> String { fixed(x, 6) }

  /// `x` with `places` decimals, never printing a negative zero.
  ///
  /// Exactly C's `%.*f` (as `String(format:)` prints it): the decimal rounding of the double's
  /// exact binary value, ties to even; computed in integers for the usual magnitudes
  /// (`decimalDigits`), by `snprintf` otherwise.
  public static func fixed(_ x: Double, _ places: Int) -> String {
    let text = decimalDigits(x, places) ?? printed(x, places)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// `%.*f` of `x` by C's `vsnprintf`.
  static func printed(_ x: Double, _ places: Int) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer -> String in
      guard let base = buffer.baseAddress else { return String(format: "%.\(places)f", x) }
      let written = withVaList([Int32(places), x]) { vsnprintf(base, 512, "%.*f", $0) }
      guard written >= 0, written < 512 else { return String(format: "%.\(places)f", x) }
      return String(cString: base)
    }
  }

  /// `%.*f` of `x` computed exactly in 128-bit integers.
  ///
  /// `|x| · 10^places = m · 10^places · 2^e` rounded to the nearest integer, ties to even (as
  /// glibc's `printf` in the default rounding mode), then the digits with the point put in. Nil when `x` is not finite, `places` is
  /// above 17 or `|x|` is 2⁶⁰ or more (those go to `printed`).
  static func decimalDigits(_ x: Double, _ places: Int) -> String? {
    guard x.isFinite, (0...17).contains(places), x.magnitude < 0x1p60 else { return nil }
    var scale: UInt128 = 1
    for _ in 0..<places { scale *= 10 }
    let (m, e): (UInt128, Int) =
      x.exponentBitPattern == 0
      ? (UInt128(x.significandBitPattern), -1074)
      : (UInt128(x.significandBitPattern | (1 << 52)), Int(x.exponentBitPattern) - 1075)
    let numerator = m * scale  // below 2⁵³ · 10¹⁷ < 2¹¹¹
    var n: UInt128
    if e >= 0 {
      n = numerator << UInt128(e)  // |x| < 2⁶⁰: e ≤ 7
    } else if -e > 111 {
      n = 0  // below a half
    } else {
      let shift = UInt128(-e)
      n = numerator >> shift
      let rest = numerator & ((1 << shift) - 1)
      let half: UInt128 = 1 << (shift - 1)
      if rest > half || (rest == half && n & 1 == 1) { n += 1 }
    }
    var digits = Array((n <= UInt128(UInt64.max) ? String(UInt64(n)) : String(n)).utf8)
    if places > 0 {
      if digits.count <= places {
        digits = Array(repeating: UInt8(ascii: "0"), count: places + 1 - digits.count) + digits
      }
      digits.insert(UInt8(ascii: "."), at: digits.count - places)
    }
    if x.sign == .minus { digits.insert(UInt8(ascii: "-"), at: 0) }
    return String(decoding: digits, as: UTF8.self)
  }
}
