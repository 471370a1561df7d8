import Foundation

/// Builds a CSV file in memory: quoted where needed, `\n` line ends (numbers come formatted by
/// `NumberFormat`).
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
}
