import Foundation
import Testing

@testable import HighNeeds

@Suite struct XLSXReportTests {
  @Test func columnKindsFollowTheUnitsInCSVHeaders() {
    #expect(XLSXReport.kind(of: "closing_gbp") == .number(format: "£#,##0;-£#,##0", unit: "£"))
    #expect(XLSXReport.kind(of: "mitigated_plans") == .number(format: "#,##0", unit: "plans"))
    #expect(XLSXReport.kind(of: "share_mainstream_fraction") == .number(format: "0.0%", unit: "fraction, shown as %"))
    #expect(XLSXReport.kind(of: "deficit_above_1_percent_of_dsg") == .text)
    #expect(XLSXReport.heading("closing_gbp") == "closing_gbp (£)")
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
    let result = try ScenarioRun.run(try Fixtures.tiny())
    let data = try XLSXReport.data(
      tables: try RunTables.tables([result]), title: "test", created: Date(timeIntervalSince1970: 1_795_000_000))
    #expect(data.prefix(2) == Data("PK".utf8))
    #expect(data.count > 5000)
  }

  @Test func theSameInputsGiveTheSameBytes() throws {
    let result = try ScenarioRun.run(try Fixtures.tiny())
    let created = Date(timeIntervalSince1970: 1_795_000_000)
    let first = try XLSXReport.data(tables: try RunTables.tables([result]), title: "test", created: created)
    Thread.sleep(forTimeInterval: 1.1)
    let second = try XLSXReport.data(tables: try RunTables.tables([result]), title: "test", created: created)
    #expect(first == second)
  }
}
