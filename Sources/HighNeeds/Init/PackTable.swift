import Foundation

/// One CSV file of the national data pack, read whole, with the line of every row kept for
/// messages.
///
/// The pack's files are written by `scripts/data/build_pack.py`: comma-separated, RFC 4180
/// quoting, a header row. A missing file, a missing column or a malformed number is an
/// `InputError` naming the file, line and column.
struct PackTable: Sendable {
  /// The file's path, as given.
  let file: String
  /// Column name → index.
  let columns: [String: Int]
  /// Data rows (cells) with their line numbers.
  let rows: [(line: Int, cells: [String])]

  /// Reads `name` in the pack folder `folder`, requiring `required` columns.
  static func read(_ name: String, in folder: String, required: [String]) throws -> PackTable {
    let path = (folder as NSString).appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
    else {
      throw InputError(
        SourceLocation(file: path), expected: "a file of the national data pack (scripts/data/build_pack.py)",
        found: "no readable UTF-8 file")
    }
    let records = parse(text)
    guard let header = records.first else {
      throw InputError(SourceLocation(file: path, line: 1), expected: "a header row", found: "an empty file")
    }
    var columns: [String: Int] = [:]
    for (i, name) in header.cells.enumerated() { columns[name] = i }
    for column in required where columns[column] == nil {
      throw InputError(
        SourceLocation(file: path, line: 1), key: column, expected: "the column \(column)",
        found: "columns \(InputError.quoted(header.cells.joined(separator: ","), limit: 200))")
    }
    let rows = records.dropFirst().filter { !($0.cells.count == 1 && $0.cells[0].isEmpty) }
    for row in rows where row.cells.count != header.cells.count {
      throw InputError(
        SourceLocation(file: path, line: row.line), expected: "\(header.cells.count) cells",
        found: "\(row.cells.count)")
    }
    return PackTable(file: path, columns: columns, rows: Array(rows))
  }

  /// The cell of `column` in `row`.
  func string(_ row: (line: Int, cells: [String]), _ column: String) -> String {
    guard let i = columns[column] else { return "" }
    return row.cells[i]
  }

  /// The number in `column` of `row`, or nil when the cell is empty (a flagged value).
  func number(_ row: (line: Int, cells: [String]), _ column: String) throws -> Double? {
    let text = string(row, column)
    if text.isEmpty { return nil }
    guard let value = Double(text), value.isFinite else {
      throw InputError(
        SourceLocation(file: file, line: row.line, column: (columns[column] ?? 0) + 1), key: column,
        expected: "a number", found: InputError.quoted(text))
    }
    return value
  }

  /// Splits CSV text into records of cells with the line each starts on.
  static func parse(_ text: String) -> [(line: Int, cells: [String])] {
    var records: [(line: Int, cells: [String])] = []
    var cells: [String] = []
    var cell = ""
    var quoted = false
    var line = 1
    var start = 1
    var chars = Array(text.unicodeScalars)
    if chars.first == "\u{FEFF}" { chars.removeFirst() }
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count, chars[i + 1] == "\"" {
            cell.unicodeScalars.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          if c == "\n" { line += 1 }
          cell.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        cells.append(cell)
        cell = ""
      } else if c == "\n" || c == "\r" {
        if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
        cells.append(cell)
        records.append((start, cells))
        cells = []
        cell = ""
        line += 1
        start = line
      } else {
        cell.unicodeScalars.append(c)
      }
      i += 1
    }
    if !cell.isEmpty || !cells.isEmpty {
      cells.append(cell)
      records.append((start, cells))
    }
    return records
  }
}
