import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// CSVTable reads what spreadsheets save (RFC 4180 quoting, a byte order mark, CRLF and CR line
/// ends, blank lines) and points every error at the file, line and column a user must fix.
@Suite struct CSVTableTests {
  static func parse(_ text: String, _ columns: [String] = ["a", "b"]) throws -> CSVTable {
    try CSVTable.parse(text, file: "f.csv", columns: columns)
  }

  /// A quoted field holds commas, doubled quotes and line ends; the rows after a quoted line
  /// end keep their own line numbers, so a later error still points at the right line.
  @Test func quotedFieldsHoldCommasQuotesAndLineEnds() throws {
    let text = "name,note\n\"Smith, J\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,\"\"\n"
    let table = try Self.parse(text, ["name", "note"])
    #expect(table.rows.map { $0.string("name") } == ["Smith, J", "two\nlines", "last"])
    #expect(table.rows.map { $0.string("note") } == ["say \"hi\"", "x", ""])
    #expect(table.rows.map(\.line) == [2, 3, 5])
    #expect(
      thrownMessage { _ = try Self.parse(text + "a,b,c\n", ["name", "note"]) }
        == "f.csv:6: expected 2 fields (name,note); found 3 fields (a comma inside a value, such as the thousands separator in 1,234, starts a new field)"
    )
  }

  /// A quote may only open a field; a quote left open runs to the end of the file.
  @Test func strayAndUnclosedQuotesAreErrorsAtTheirPlace() {
    #expect(
      thrownMessage { _ = try Self.parse("a,b\n1,x\"y\"\n") }
        == "f.csv:2:2: expected a quote only at the start of a field; found a quote inside 'x'")
    #expect(
      thrownMessage { _ = try Self.parse("a,b\n1,2\n3,\"open\n4,5\n") }
        == "f.csv:3: expected a closing quote; found end of file")
    // Text after a closing quote is not joined to the value ("10"0 is not 100); spaces are.
    #expect(
      thrownMessage { _ = try Self.parse("a,b\n1,\"10\"0\n") }
        == "f.csv:2:2: expected a comma or the end of the line after a field's closing quote; found '0' after '\"10\"'")
    let spaced = try? Self.parse("a,b\n\"1\" ,\"2\"  \n")
    #expect(spaced?.rows.first?.string("a") == "1")
    #expect(spaced?.rows.first?.string("b") == "2")
  }

  /// A byte order mark (Excel's "CSV UTF-8") is not part of the first column's name.
  @Test func aByteOrderMarkIsNotPartOfTheFirstColumn() throws {
    let table = try Self.parse("\u{FEFF}a,b\n1,2\n")
    #expect(table.header == ["a", "b"])
    #expect(table.rows[0].string("a") == "1")
    #expect(table.rows[0].location("a").description == "f.csv:2:1")
  }

  /// LF, CRLF (Windows) and a lone CR (Excel for Mac) each end a row, and count as one line:
  /// no value keeps a stray CR, and blank lines are skipped but counted.
  @Test(arguments: ["\n", "\r\n", "\r"])
  func everyLineEndEndsARow(_ end: String) throws {
    let table = try Self.parse(["a,b", "1,2", "", "3,4"].joined(separator: end) + end)
    #expect(table.rows.map(\.line) == [2, 4])
    #expect(table.rows.map { $0.string("b") } == ["2", "4"])
    #expect(
      thrownMessage { _ = try Self.parse(["a,b", "1,2", "", "3"].joined(separator: end)) }
        == "f.csv:4: expected 2 fields (a,b); found 1 fields")
  }

  /// Line ends of all three kinds in one file (a file edited on two systems) still count lines.
  @Test func mixedLineEndsCountLines() throws {
    let table = try Self.parse("a,b\r\n1,2\r3,4\n5,6")
    #expect(table.rows.map(\.line) == [2, 3, 4])
    #expect(table.rows.map { $0.string("a") } == ["1", "3", "5"])
  }

  /// A blank line carries no data, but a quoted empty field is a row with an empty value.
  @Test func aQuotedEmptyFieldIsARowNotABlankLine() throws {
    let table = try Self.parse("a\n\n\"\"\n", ["a"])
    #expect(table.rows.map(\.line) == [3])
    #expect(
      thrownMessage { _ = try table.rows[0].required("a") } == "f.csv:3:1: a: expected a value; found an empty cell")
  }

  /// The header's columns may come in any order, with spaces around the names; each must be
  /// there once, and nothing else.
  @Test func theHeaderNamesEveryColumnOnceInAnyOrder() throws {
    let table = try Self.parse(" b , a \n1,2\n")
    #expect(table.rows[0].string("a") == "2")
    #expect(table.rows[0].location("a").description == "f.csv:2:2")
    #expect(
      thrownMessage { _ = try Self.parse("a,c\n") }
        == "f.csv:1: expected columns a,b; found header 'a,c' (missing: b) (unknown: c)")
    #expect(
      thrownMessage { _ = try Self.parse("a,a,b\n") } == "f.csv:1: expected each column once; found column 'a' twice")
    #expect(
      thrownMessage { _ = try Self.parse("a,b,\n1,2,\n") }
        == "f.csv:1:3: expected columns a,b; found an empty column name in column 3 (a trailing comma, or a blank column saved by Excel?)"
    )
  }

  /// A file saved with semicolons or tabs says so, rather than only that the columns are wrong.
  @Test func aFileWithAnotherSeparatorSaysSo() {
    #expect(
      thrownMessage { _ = try Self.parse("a;b\n1;2\n") }
        == "f.csv:1: expected columns a,b; found header 'a;b' (missing: a, b) (unknown: a;b) (the file looks semicolon-separated: hnb reads comma-separated values)"
    )
    #expect(
      thrownMessage { _ = try Self.parse("a\tb\n1\t2\n") }?.hasSuffix(
        "(the file looks tab-separated: hnb reads comma-separated values)") == true)
  }

  /// An empty file, or one of blank lines only, has no header.
  @Test(arguments: ["", "\n", "\r\n\r\n"])
  func anEmptyFileHasNoHeader(_ text: String) {
    #expect(thrownMessage { _ = try Self.parse(text) } == "f.csv:1: expected a header row a,b; found an empty file")
  }

  /// A record-level extract given for a summary table is refused at the row past the bound.
  @Test func rowsAreBounded() throws {
    let most = "a\n" + String(repeating: "1\n", count: CSVTable.maximumRows)
    #expect(try Self.parse(most, ["a"]).rows.count == CSVTable.maximumRows)
    #expect(
      thrownMessage { _ = try Self.parse(most + "1\n", ["a"]) }
        == "f.csv:\(CSVTable.maximumRows + 2): expected at most \(CSVTable.maximumRows) data rows (a table has one row per cell); found more (is this a record-level extract rather than the summary table?)"
    )
  }

  /// A file that may have one of several shapes is read with the shape its header has.
  @Test func aFileOfSeveralShapesIsReadByItsHeader() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("t.csv").path
    let shapes = [["age", "rate"], ["census_year", "age", "rate"]]
    try "rate,census_year,age\n0.1,2026,5\n".write(toFile: path, atomically: true, encoding: .utf8)
    let (table, shape) = try CSVTable.read(path: path, oneOf: shapes)
    #expect(shape == 1)
    #expect(table.rows[0].string("census_year") == "2026")
    try "age;rate\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      thrownMessage { _ = try CSVTable.read(path: path, oneOf: shapes) }
        == "\(path):1: expected columns age,rate or census_year,age,rate; found header 'age;rate' (the file looks semicolon-separated: hnb reads comma-separated values)"
    )
    try "\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      thrownMessage { _ = try CSVTable.read(path: path, oneOf: shapes) }
        == "\(path):1: expected a header row age,rate or census_year,age,rate; found an empty file")
  }

  /// A number cell takes what a spreadsheet writes for a number, and says how to fix the
  /// habits that are not numbers, at the cell's line and column under its column's name.
  @Test func numbersAndTheirHints() throws {
    let table = try Self.parse(
      "a,b\nx, 1_000 \nx,-0.5\nx,1.5e6\nx,£1,200\nx,45%\nx,#REF!\nx,(1200)\nx,NaN\nx,0x10\nx,45\n".replacingOccurrences(
        of: "£1,200", with: "\"£1,200\""))
    let rows = table.rows
    #expect(try rows[0].double("b") == 1000)
    #expect(try rows[1].double("b") == -0.5)
    #expect(try rows[2].double("b") == 1.5e6)
    let hints = rows[3...8].map { row in thrownMessage { _ = try row.double("b") } }
    #expect(
      hints == [
        "f.csv:5:2: b: expected a number; found '£1,200' (write it without a currency sign or thousands separators, e.g. 1200)",
        "f.csv:6:2: b: expected a number; found '45%' (write a fraction without '%': 45% is 0.45)",
        "f.csv:7:2: b: expected a number; found '#REF!' (an Excel error value: fix the formula in the spreadsheet and save it again)",
        "f.csv:8:2: b: expected a number; found '(1200)' (an accounting-style negative: write it with a minus sign, e.g. -1200)",
        "f.csv:9:2: b: expected a number; found 'NaN' (NaN and infinity are not allowed: give a finite value)",
        "f.csv:10:2: b: expected a number; found '0x10'",
      ])
    #expect(
      thrownMessage { _ = try rows[9].double("b", in: 0...1) }
        == "f.csv:11:2: b: expected a value in 0.0...1.0; found 45 (a fraction is expected: 45% is 0.45)")
    #expect(
      thrownMessage { _ = try rows[9].double("b", in: 0...10, rangeText: "a share 0–10") }
        == "f.csv:11:2: b: expected a share 0–10; found 45")
  }

  /// Only plain decimals are numbers: not hexadecimal, NaN, infinity or half a number.
  @Test func onlyPlainDecimalsAreNumbers() {
    let accepted = ["12", "-0.5", "+2", ".5", "5.", "1.5e6", "1E-3", "1_000_000"]
    #expect(accepted.map(parseNumber) == [12, -0.5, 2, 0.5, 5, 1.5e6, 1e-3, 1e6])
    let refused = ["", "-", ".", "e5", "1e", "1.2.3", "1-2", "0x10", "inf", "nan", "1e400", "1,000", " 1"]
    #expect(refused.filter { parseNumber($0) != nil } == [])
  }

  /// Whole numbers and ages: a range `a-b` within 0–25, with spaces allowed around the dash.
  @Test func wholeNumbersAndAges() throws {
    let table = try Self.parse("a,b\n3,5-10\n3.5, 7 - 9 \n,10-5\n,26\n")
    let rows = table.rows
    #expect(try rows[0].int("a") == 3)
    #expect(try rows[0].ages("b") == 5...10)
    #expect(try rows[1].ages("b") == 7...9)
    #expect(thrownMessage { _ = try rows[1].int("a") } == "f.csv:3:1: a: expected a whole number; found '3.5'")
    #expect(thrownMessage { _ = try rows[2].int("a") } == "f.csv:4:1: a: expected a value; found an empty cell")
    #expect(
      thrownMessage { _ = try rows[2].ages("b") }
        == "f.csv:4:2: b: expected an age 0–25 or a range like 5-10; found '10-5'")
    #expect(
      thrownMessage { _ = try rows[3].ages("b") }
        == "f.csv:5:2: b: expected an age 0–25 or a range like 5-10; found '26'")
  }
}
