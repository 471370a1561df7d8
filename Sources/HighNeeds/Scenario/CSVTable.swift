import Foundation

/// A CSV file read whole, with the line each row came from, so that errors point at the cell.
///
/// RFC 4180 quoting is supported (a quoted field may hold commas and doubled quotes); a byte
/// order mark is accepted, and CRLF (Windows) and a lone CR (Excel for Mac's "CSV") are line
/// ends like LF. Blank lines carry no data and are skipped.
public struct CSVTable: Sendable {
  /// The file the table was read from, as the user named it.
  public let file: String
  /// Column names in file order.
  public let header: [String]
  /// Data rows in file order.
  public let rows: [CSVRow]

  /// Reads `path` and checks that its header has exactly `columns` (in any order).
  public static func read(path: String, columns: [String]) throws -> CSVTable {
    let text = try InputFile.text(path, what: "CSV file")
    return try parse(text, file: path, columns: columns)
  }

  /// Reads `path`, whose header must have exactly the columns of one of `shapes` (in any
  /// order); returns the table and the index of the shape it has.
  public static func read(path: String, oneOf shapes: [[String]]) throws -> (table: CSVTable, shape: Int) {
    let text = try InputFile.text(path, what: "CSV file")
    guard let header = try splitRecords(text, file: path).first?.1.map({ $0.trimmingWhitespace })
    else {
      throw InputError(
        SourceLocation(file: path, line: 1),
        expected: "a header row " + shapes.map { $0.joined(separator: ",") }.joined(separator: " or "),
        found: "an empty file")
    }
    for (index, shape) in shapes.enumerated() where Set(shape) == Set(header) && shape.count == header.count {
      return (try parse(text, file: path, columns: shape), index)
    }
    throw InputError(
      SourceLocation(file: path, line: 1),
      expected: "columns " + shapes.map { $0.joined(separator: ",") }.joined(separator: " or "),
      found: "header \(InputError.quoted(header.joined(separator: ","), limit: headerLimit))" + separatorHint(header))
  }

  /// Parses CSV `text`; `file` is used in messages only.
  public static func parse(_ text: String, file: String, columns: [String]) throws -> CSVTable {
    var records = try splitRecords(text, file: file)
    guard !records.isEmpty else {
      throw InputError(
        SourceLocation(file: file, line: 1), expected: "a header row \(columns.joined(separator: ","))",
        found: "an empty file")
    }
    let (headerLine, rawHeader) = records.removeFirst()
    // Spaces around a column name (`age, placement`) are not part of it.
    let header = rawHeader.map { $0.trimmingWhitespace }
    if let empty = header.firstIndex(of: "") {
      throw InputError(
        SourceLocation(file: file, line: headerLine, column: empty + 1),
        expected: "columns \(columns.joined(separator: ","))",
        found: "an empty column name in column \(empty + 1) (a trailing comma, or a blank column saved by Excel?)")
    }
    let missing = columns.filter { !header.contains($0) }
    let extra = header.filter { !columns.contains($0) }
    var seen = Set<String>()
    for name in header where !seen.insert(name).inserted {
      throw InputError(
        SourceLocation(file: file, line: headerLine), expected: "each column once",
        found: "column \(InputError.quoted(name)) twice")
    }
    if !missing.isEmpty || !extra.isEmpty {
      var found = "header \(InputError.quoted(header.joined(separator: ","), limit: headerLimit))"
      if !missing.isEmpty { found += " (missing: \(missing.joined(separator: ", ")))" }
      if !extra.isEmpty {
        found +=
          " (unknown: \(extra.map { InputError.sanitised($0, limit: InputError.excerptLimit) }.joined(separator: ", ")))"
      }
      found += separatorHint(header)
      throw InputError(
        SourceLocation(file: file, line: headerLine),
        expected: "columns \(columns.joined(separator: ","))", found: found)
    }
    var index: [String: Int] = [:]
    for (i, name) in header.enumerated() { index[name] = i }
    var rows: [CSVRow] = []
    for (line, fields) in records {
      if fields.count != header.count {
        let hint =
          fields.count > header.count
          ? " (a comma inside a value, such as the thousands separator in 1,234, starts a new field)" : ""
        throw InputError(
          SourceLocation(file: file, line: line), expected: "\(header.count) fields (\(header.joined(separator: ",")))",
          found: "\(fields.count) fields\(hint)")
      }
      rows.append(CSVRow(file: file, line: line, fields: fields, columnIndex: index))
    }
    return CSVTable(file: file, header: header, rows: rows)
  }

  /// Longest header a message quotes, in characters (longer than a value's excerpt: a header
  /// names several columns).
  static let headerLimit = 100

  /// Why a header of one column does not split, when it looks tab- or semicolon-separated.
  static func separatorHint(_ header: [String]) -> String {
    guard header.count == 1,
      let separator = [("\t", "tab"), (";", "semicolon")].first(where: { header[0].contains($0.0) })
    else { return "" }
    return " (the file looks \(separator.1)-separated: hnb reads comma-separated values)"
  }

  /// Most data rows a CSV input may hold: far above any real table (one row per age ×
  /// placement × need cell), low enough that a record-level extract given by mistake is refused
  /// at once.
  public static let maximumRows = 100_000

  /// The records of CSV `text` (from `file`, for messages), each with the line it starts on:
  /// RFC 4180 quoting, LF, CRLF or CR line ends, a leading byte order mark dropped, blank lines
  /// skipped, at most `maximumRows` data rows.
  static func splitRecords(_ text: String, file: String) throws -> [(Int, [String])] {
    var records: [(Int, [String])] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var fieldWasQuoted = false
    // After a field's closing quote only spaces, a comma or the end of the line may follow.
    var afterClosingQuote = false
    var line = 1
    var recordLine = 1
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var i = 0
    func endRecord() throws {
      fields.append(field)
      let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
      if !blank { records.append((recordLine, fields)) }
      if records.count > maximumRows + 1 {
        throw InputError(
          SourceLocation(file: file, line: recordLine),
          expected: "at most \(maximumRows) data rows (a table has one row per cell)",
          found: "more (is this a record-level extract rather than the summary table?)")
      }
      fields = []
      field = ""
      fieldWasQuoted = false
      afterClosingQuote = false
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
            afterClosingQuote = true
          }
        } else {
          if c == "\n" || (c == "\r" && !(i + 1 < scalars.count && scalars[i + 1] == "\n")) { line += 1 }
          field.unicodeScalars.append(c)
        }
      } else if afterClosingQuote, c != ",", c != "\r", c != "\n" {
        guard c == " " else {
          throw InputError(
            SourceLocation(file: file, line: line, column: fields.count + 1),
            expected: "a comma or the end of the line after a field's closing quote",
            found: "\(InputError.quoted(String(c))) after \(InputError.quoted("\"" + field + "\""))")
        }
      } else {
        afterClosingQuote = false
        switch c {
        case "\"":
          if !field.isEmpty {
            throw InputError(
              SourceLocation(file: file, line: line, column: fields.count + 1),
              expected: "a quote only at the start of a field", found: "a quote inside \(InputError.quoted(field))")
          }
          inQuotes = true
          fieldWasQuoted = true
        case ",":
          fields.append(field)
          field = ""
        case "\r" where i + 1 < scalars.count && scalars[i + 1] == "\n":
          break
        case "\r", "\n":
          try endRecord()
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
    if !field.isEmpty || !fields.isEmpty { try endRecord() }
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
    return fields[i].trimmingWhitespace
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
      throw InputError(location(column), key: column, expected: "a number", found: InputError.quoted(s) + numberHint(s))
    }
    if let range, !range.contains(value) {
      throw InputError(
        location(column), key: column, expected: rangeText ?? "a value in \(range)",
        found: "\(s)" + rangeHint(value, range))
    }
    return value
  }

  /// A whole number.
  public func int(_ column: String) throws -> Int {
    let s = try required(column)
    guard let value = Int(s) else {
      throw InputError(location(column), key: column, expected: "a whole number", found: InputError.quoted(s))
    }
    return value
  }

  /// An age or age range `a` / `a-b` within 0…25, as a closed range.
  public func ages(_ column: String, maxAge: Int = AgeAxis.maxAge) throws -> ClosedRange<Int> {
    let s = try required(column)
    guard let range = parseAgeRange(s), range.lowerBound >= 0, range.upperBound <= maxAge else {
      throw InputError(
        location(column), key: column, expected: "an age 0–\(maxAge) or a range like 5-10",
        found: InputError.quoted(s))
    }
    return range
  }
}

/// Parses a decimal number (`12`, `-0.5`, `1.5e6`, with optional `_` digit separators);
/// rejects hexadecimal, NaN, infinity and anything else `Double` would otherwise accept.
package func parseNumber(_ text: String) -> Double? {
  let cleaned = text.withoutDigitSeparators
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

/// Why `text` is not a number, for the common spreadsheet habits (currency signs, thousands
/// separators, percent signs, NaN); empty when there is no better explanation.
func numberHint(_ text: String, percentUnit: Bool = false) -> String {
  let lower = text.lowercased()
  if text.hasPrefix("#") {
    return " (an Excel error value: fix the formula in the spreadsheet and save it again)"
  }
  if text.hasPrefix("("), text.hasSuffix(")"), text.contains(where: \.isNumber) {
    return
      " (an accounting-style negative: write it with a minus sign, e.g. -\(text.filter { $0.isNumber || $0 == "." }))"
  }
  var problems: [String] = []
  if text.contains(where: { "£$€".contains($0) }) { problems.append("a currency sign") }
  if text.contains(","), text.contains(where: \.isNumber) { problems.append("thousands separators") }
  if !problems.isEmpty {
    let digits = text.filter { $0.isNumber || $0 == "." || $0 == "-" }
    return " (write it without \(problems.joined(separator: " or ")), e.g. \(digits))"
  }
  if text.hasSuffix("%") {
    return percentUnit
      ? " (write it without '%': this value is already a percent)"
      : " (write a fraction without '%': 45% is 0.45)"
  }
  if ["nan", ".nan", "inf", ".inf", "-inf", "-.inf", "infinity", "-infinity"].contains(lower) {
    return " (NaN and infinity are not allowed: give a finite value)"
  }
  return ""
}

/// Why `value` lies outside `range` when it looks like a percent given for a fraction.
func rangeHint(_ value: Double, _ range: ClosedRange<Double>) -> String {
  range.upperBound == 1 && value > 1 && value <= 100
    ? " (a fraction is expected: \(format(value))% is \(format(value / 100)))" : ""
}

/// Parses `a` or `a-b` (a ≤ b) into a closed range.
func parseAgeRange(_ text: String) -> ClosedRange<Int>? {
  let parts = text.split(separator: "-", omittingEmptySubsequences: false)
  if parts.count == 1, let a = Int(parts[0]) { return a...a }
  if parts.count == 2, let a = Int(parts[0].trimmingWhitespace),
    let b = Int(parts[1].trimmingWhitespace), a <= b
  {
    return a...b
  }
  return nil
}

extension CSVRow {
  /// A non-negative number in `column` of at most `bound`: below 0 is refused as `rangeText`
  /// says, above `bound` by naming the bound (`what` says what it bounds).
  func bounded(_ column: String, atMost bound: Double, rangeText: String, what: String) throws -> Double {
    let value = try double(column, in: 0...Double.greatestFiniteMagnitude, rangeText: rangeText)
    if value > bound {
      throw InputError(
        location(column), key: column, expected: "at most \(format(bound)) (\(what); see docs/SCENARIO.md, Bounds)",
        found: format(value))
    }
    return value
  }
}
