import Foundation

/// A CSV file read whole, with the line each row came from, so that errors point at the cell.
///
/// RFC 4180 quoting is supported (a quoted field may hold commas and doubled quotes); a byte
/// order mark and CRLF line ends are accepted. Blank lines carry no data and are skipped.
public struct CSVTable: Sendable {
  /// The file the table was read from, as the user named it.
  public let file: String
  /// Column names in file order.
  public let header: [String]
  /// Data rows in file order.
  public let rows: [CSVRow]

  /// Reads `path` and checks that its header has exactly `columns` (in any order).
  public static func read(path: String, columns: [String]) throws -> CSVTable {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(
        SourceLocation(file: path), expected: "a readable CSV file", found: "no such file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(SourceLocation(file: path), expected: "UTF-8 text", found: "other bytes")
    }
    return try parse(text, file: path, columns: columns)
  }

  /// Reads `path`, whose header must have exactly the columns of one of `shapes` (in any
  /// order); returns the table and the index of the shape it has.
  public static func read(path: String, oneOf shapes: [[String]]) throws -> (table: CSVTable, shape: Int) {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw InputError(SourceLocation(file: path), expected: "a readable UTF-8 CSV file", found: "no such file")
    }
    let header = try splitRecords(text, file: path).first?.1 ?? []
    for (index, shape) in shapes.enumerated() where Set(shape) == Set(header) && shape.count == header.count {
      return (try parse(text, file: path, columns: shape), index)
    }
    throw InputError(
      SourceLocation(file: path, line: 1),
      expected: "columns " + shapes.map { $0.joined(separator: ",") }.joined(separator: " or "),
      found: "header '\(header.joined(separator: ","))'")
  }

  /// Parses CSV `text`; `file` is used in messages only.
  public static func parse(_ text: String, file: String, columns: [String]) throws -> CSVTable {
    var records = try splitRecords(text, file: file)
    guard !records.isEmpty else {
      throw InputError(
        SourceLocation(file: file, line: 1), expected: "a header row \(columns.joined(separator: ","))",
        found: "an empty file")
    }
    let (headerLine, header) = records.removeFirst()
    let missing = columns.filter { !header.contains($0) }
    let extra = header.filter { !columns.contains($0) }
    var seen = Set<String>()
    for name in header where !seen.insert(name).inserted {
      throw InputError(
        SourceLocation(file: file, line: headerLine), expected: "each column once",
        found: "column '\(name)' twice")
    }
    if !missing.isEmpty || !extra.isEmpty {
      var found = "header '\(header.joined(separator: ","))'"
      if !missing.isEmpty { found += " (missing: \(missing.joined(separator: ", ")))" }
      if !extra.isEmpty { found += " (unknown: \(extra.joined(separator: ", ")))" }
      throw InputError(
        SourceLocation(file: file, line: headerLine),
        expected: "columns \(columns.joined(separator: ","))", found: found)
    }
    var index: [String: Int] = [:]
    for (i, name) in header.enumerated() { index[name] = i }
    var rows: [CSVRow] = []
    for (line, fields) in records {
      if fields.count != header.count {
        throw InputError(
          SourceLocation(file: file, line: line), expected: "\(header.count) fields",
          found: "\(fields.count) fields")
      }
      rows.append(CSVRow(file: file, line: line, fields: fields, columnIndex: index))
    }
    return CSVTable(file: file, header: header, rows: rows)
  }

  private static func splitRecords(_ text: String, file: String) throws -> [(Int, [String])] {
    var records: [(Int, [String])] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var fieldWasQuoted = false
    var line = 1
    var recordLine = 1
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var i = 0
    func endRecord() {
      fields.append(field)
      let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
      if !blank { records.append((recordLine, fields)) }
      fields = []
      field = ""
      fieldWasQuoted = false
    }
    while i < scalars.count {
      let c = scalars[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < scalars.count && scalars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          if c == "\n" { line += 1 }
          field.unicodeScalars.append(c)
        }
      } else {
        switch c {
        case "\"":
          if !field.isEmpty {
            throw InputError(
              SourceLocation(file: file, line: line, column: fields.count + 1),
              expected: "a quote only at the start of a field", found: "a quote inside '\(field)'")
          }
          inQuotes = true
          fieldWasQuoted = true
        case ",":
          fields.append(field)
          field = ""
        case "\r":
          break
        case "\n":
          endRecord()
          line += 1
          recordLine = line
        default:
          field.unicodeScalars.append(c)
        }
      }
      i += 1
    }
    if inQuotes {
      throw InputError(
        SourceLocation(file: file, line: recordLine), expected: "a closing quote",
        found: "end of file")
    }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    return records
  }
}

/// One CSV data row, with typed accessors whose errors name file, line, column and cell.
public struct CSVRow: Sendable {
  public let file: String
  public let line: Int
  let fields: [String]
  let columnIndex: [String: Int]

  /// The location of `column` in this row (column number is 1-based).
  public func location(_ column: String) -> SourceLocation {
    SourceLocation(file: file, line: line, column: (columnIndex[column] ?? 0) + 1)
  }

  /// The trimmed text of `column`.
  public func string(_ column: String) -> String {
    guard let i = columnIndex[column] else { return "" }
    return fields[i].trimmingCharacters(in: .whitespaces)
  }

  /// A non-empty text value.
  public func required(_ column: String) throws -> String {
    let s = string(column)
    if s.isEmpty {
      throw InputError(location(column), key: column, expected: "a value", found: "an empty cell")
    }
    return s
  }

  /// A finite number; `range` names what the value must lie in.
  public func double(_ column: String, in range: ClosedRange<Double>? = nil, rangeText: String? = nil)
    throws -> Double
  {
    let s = try required(column)
    guard let value = parseNumber(s) else {
      throw InputError(location(column), key: column, expected: "a number", found: "'\(s)'")
    }
    if let range, !range.contains(value) {
      throw InputError(
        location(column), key: column, expected: rangeText ?? "a value in \(range)", found: "\(s)")
    }
    return value
  }

  /// A whole number.
  public func int(_ column: String) throws -> Int {
    let s = try required(column)
    guard let value = Int(s) else {
      throw InputError(location(column), key: column, expected: "a whole number", found: "'\(s)'")
    }
    return value
  }

  /// An age or age range `a` / `a-b` within 0…25, as a closed range.
  public func ages(_ column: String, maxAge: Int = AgeAxis.maxAge) throws -> ClosedRange<Int> {
    let s = try required(column)
    guard let range = parseAgeRange(s), range.lowerBound >= 0, range.upperBound <= maxAge else {
      throw InputError(
        location(column), key: column, expected: "an age 0–\(maxAge) or a range like 5-10",
        found: "'\(s)'")
    }
    return range
  }
}

/// Parses a decimal number (`12`, `-0.5`, `1.5e6`, with optional `_` digit separators);
/// rejects hexadecimal, NaN, infinity and anything else `Double` would otherwise accept.
func parseNumber(_ text: String) -> Double? {
  let cleaned = text.replacingOccurrences(of: "_", with: "")
  var digits = 0
  var seenDot = false
  var seenExponent = false
  var previous: Character = " "
  for (i, c) in cleaned.enumerated() {
    switch c {
    case "0"..."9": digits += 1
    case "+", "-":
      guard i == 0 || previous == "e" || previous == "E" else { return nil }
    case ".":
      guard !seenDot, !seenExponent else { return nil }
      seenDot = true
    case "e", "E":
      guard !seenExponent, digits > 0 else { return nil }
      seenExponent = true
    default: return nil
    }
    previous = c
  }
  guard digits > 0, let value = Double(cleaned), value.isFinite else { return nil }
  return value
}

/// Parses `a` or `a-b` (a ≤ b) into a closed range.
func parseAgeRange(_ text: String) -> ClosedRange<Int>? {
  let parts = text.split(separator: "-", omittingEmptySubsequences: false)
  if parts.count == 1, let a = Int(parts[0]) { return a...a }
  if parts.count == 2, let a = Int(parts[0].trimmingCharacters(in: .whitespaces)),
    let b = Int(parts[1].trimmingCharacters(in: .whitespaces)), a <= b
  {
    return a...b
  }
  return nil
}
