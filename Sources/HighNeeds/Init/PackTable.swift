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
    // The scenario loader's reader and parser: UTF-8 and size checked, RFC 4180 quoting with
    // its errors (an unclosed quote, text after a closing quote), blank lines skipped.
    let text = try InputFile.text(path, what: "file of the national data pack (scripts/data/build_pack.py)")
    let records = try CSVTable.splitRecords(text, file: path).map { (line: $0.0, cells: $0.1) }
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
    let rows = records.dropFirst()
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
}
