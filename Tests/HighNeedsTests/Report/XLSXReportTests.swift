import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsReport

@Suite struct XLSXReportTests {
  @Test func columnTypesGiveTheFormatAndTheUnitShown() {
    #expect(ColumnType.money.excelFormat == "£#,##0;-£#,##0")
    #expect(ColumnType.plans.excelFormat == "#,##0")
    #expect(ColumnType.fraction.excelFormat == "0.0%")
    #expect(ColumnType.number.excelFormat == nil)
    #expect(!ColumnType.text.isNumeric && !ColumnType.yearLabel.isNumeric && ColumnType.number.isNumeric)
    #expect(XLSXReport.heading(.money("closing_gbp")) == "closing_gbp (£)")
    #expect(XLSXReport.heading(.fraction("x")) == "x (fraction, shown as %)")
    #expect(XLSXReport.heading(.year("census_year")) == "census_year")
  }

  /// Number cells take decimal numbers only: never NaN, infinity, hexadecimal or text.
  @Test func onlyDecimalNumbersBecomeNumberCells() {
    #expect(XLSXReport.number("-12.50") == -12.5)
    #expect(XLSXReport.number("1e3") == 1000)
    #expect(XLSXReport.number("2_984_096") == 2_984_096)
    for text in ["", "nan", "inf", "0x10", "2025-26", "places.csv"] {
      #expect(XLSXReport.number(text) == nil, "\(text)")
    }
  }

  /// Every column of the run's tables has the type its header's unit says, and the other way
  /// round: a header ending `_gbp` is money, and money is only in such a header.
  @Test func theRunTablesTypesAgreeWithTheirHeaders() throws {
    let tiny = try Fixtures.tinyWithSource()
    let result = try ScenarioRun.run(tiny.scenario)
    let tables = try RunTables.typedTables([result], sources: [tiny.source])
    #expect(Set(tables.keys) == Set(try RunTables.tables([result], sources: [tiny.source]).keys))
    for (file, table) in tables {
      #expect(
        table.text.split(separator: "\n", maxSplits: 1).first.map(String.init)
          == table.columns.map(\.name).joined(separator: ","))
      for column in table.columns {
        let name = column.name
        #expect((name == "gbp" || name.hasSuffix("_gbp")) == (column.type == .money), "\(file) \(name)")
        #expect(name.hasSuffix("_fraction") == (column.type == .fraction), "\(file) \(name)")
        if column.type == .percent { #expect(name.contains("_percent_"), "\(file) \(name)") }
        if name == "plans" || name.hasSuffix("_plans") { #expect(column.type == .plans, "\(file) \(name)") }
      }
    }
  }

  /// The assumptions sheet holds numbers as number cells with the exact value, text as text,
  /// and leaves empty cells empty (read from the workbook's sheet XML).
  @Test func theAssumptionsSheetHoldsNumbersAsNumbers() throws {
    let tiny = try Fixtures.tinyWithSource()
    let result = try ScenarioRun.run(tiny.scenario)
    let tables = try RunTables.typedTables([result], sources: [tiny.source])
    let data = try XLSXReport.data(tables: tables, title: "test", created: Date(timeIntervalSince1970: 1_795_000_000))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-test-\(UUID().uuidString).xlsx").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try data.write(to: URL(fileURLWithPath: path))
    let sheet = try #require(XLSXReport.sheets.firstIndex { $0.sheet == "assumptions" }) + 1
    #expect(try Self.part("xl/workbook.xml", of: path).contains("<sheet name=\"assumptions\" sheetId=\"\(sheet)\""))
    let xml = try Self.part("xl/worksheets/sheet\(sheet).xml", of: path)
    let strings = Self.sharedStrings(try Self.part("xl/sharedStrings.xml", of: path))
    let rows = XLSXReport.parse(try #require(tables["assumptions.csv"]).text)
    // Sheet row n is CSV line n (the header is row 1 in both).
    let number = try #require(rows.firstIndex { $0[1] == "costs.place_funding_gbp_per_place.sp" }) + 1
    let file = try #require(rows.firstIndex { $0[1] == "costs.top_ups" }) + 1
    #expect(rows[number - 1][2] == "10000" && rows[number - 1][6] == "")
    let value = try #require(Self.cell("C\(number)", in: xml))
    #expect(value.type == nil && value.value == "10000", "\(value)")
    let text = try #require(Self.cell("C\(file)", in: xml))
    #expect(text.type == "s" && strings[Int(text.value) ?? -1] == "top_ups.csv", "\(text)")
    let key = try #require(Self.cell("B\(number)", in: xml))
    #expect(key.type == "s" && strings[Int(key.value) ?? -1] == "costs.place_funding_gbp_per_place.sp")
    #expect(Self.cell("G\(number)", in: xml) == nil, "an empty note stays an empty cell")
    // Every numeric value of the CSV is a number cell of the same value.
    var numbers = 0
    for (i, row) in rows.enumerated().dropFirst() {
      guard let expected = XLSXReport.number(row[2]) else { continue }
      numbers += 1
      let cell = try #require(Self.cell("C\(i + 1)", in: xml))
      #expect(cell.type == nil && Double(cell.value) == expected, "C\(i + 1): \(cell) for \(row[2])")
    }
    #expect(numbers > 100)
  }

  /// The text of one part of the zip archive at `path` (`unzip -p`).
  static func part(_ name: String, of path: String) throws -> String {
    let unzip = Process()
    unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
    unzip.arguments = ["-p", path, name]
    let pipe = Pipe()
    unzip.standardOutput = pipe
    try unzip.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    unzip.waitUntilExit()
    return text
  }

  /// The `t` attribute (nil for a number) and the `<v>` text of cell `reference` in sheet XML.
  static func cell(_ reference: String, in xml: String) -> (type: String?, value: String)? {
    guard let start = xml.range(of: "<c r=\"\(reference)\"") else { return nil }
    let rest = xml[start.upperBound...]
    guard let end = rest.range(of: "</c>") ?? rest.range(of: "/>") else { return nil }
    let body = rest[..<end.lowerBound]
    let type = body.range(of: " t=\"").map { r in String(body[r.upperBound...].prefix { $0 != "\"" }) }
    let value = body.range(of: "<v>").map { r in String(body[r.upperBound...].prefix { $0 != "<" }) } ?? ""
    return (type, value)
  }

  /// The shared strings of `xl/sharedStrings.xml`, in order.
  static func sharedStrings(_ xml: String) -> [String] {
    xml.components(separatedBy: "<si>").dropFirst().map { item in
      guard let open = item.range(of: ">", range: (item.range(of: "<t")?.upperBound ?? item.startIndex)..<item.endIndex)
      else { return "" }
      return String(item[open.upperBound...].prefix { $0 != "<" })
    }
  }

  @Test func csvTextParsesBackAsWritten() {
    var csv = CSVWriter(header: ["a", "b"])
    csv.row(["x, \"quoted\"", "1.50"])
    #expect(XLSXReport.parse(csv.text) == [["a", "b"], ["x, \"quoted\"", "1.50"]])
  }

  @Test func columnLetters() {
    #expect(XLSXReport.letter(0) == "A")
    #expect(XLSXReport.letter(25) == "Z")
    #expect(XLSXReport.letter(26) == "AA")
  }

  @Test func theWorkbookIsAZipWithEverySheet() throws {
    let tiny = try Fixtures.tinyWithSource()
    let result = try ScenarioRun.run(tiny.scenario)
    let data = try XLSXReport.data(
      tables: try RunTables.typedTables([result], sources: [tiny.source]), title: "test",
      created: Date(timeIntervalSince1970: 1_795_000_000))
    #expect(data.prefix(2) == Data("PK".utf8))
    #expect(data.count > 5000)
  }

  @Test func theSameInputsGiveTheSameBytes() throws {
    let tiny = try Fixtures.tinyWithSource()
    let result = try ScenarioRun.run(tiny.scenario)
    let created = Date(timeIntervalSince1970: 1_795_000_000)
    let first = try XLSXReport.data(
      tables: try RunTables.typedTables([result], sources: [tiny.source]), title: "test", created: created)
    Thread.sleep(forTimeInterval: 1.1)
    let second = try XLSXReport.data(
      tables: try RunTables.typedTables([result], sources: [tiny.source]), title: "test", created: created)
    #expect(first == second)
  }
}
