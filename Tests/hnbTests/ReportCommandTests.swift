import Foundation
import Testing

/// End-to-end: `hnb report` writes the papers, labelled, with tables that match the goldens.
@Suite(.serialized) struct ReportCommandTests {
  /// The golden Markdown of the Sutton baseline's report: its tables, without the assumptions
  /// appendix (which quotes sources word for word) and the provenance (hashes and date).
  static let golden = HNBCommand.root.appendingPathComponent("Tests/golden/sutton-baseline-report.md")

  /// The report up to its assumptions appendix.
  static func tables(_ markdown: String) -> String {
    markdown.components(separatedBy: "## Appendix: assumptions").first ?? markdown
  }

  @Test func suttonBaselineMatchesTheGoldenTables() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["report", "Scenarios/sutton/baseline.yaml", "--out", out, "--date", "2025-01-01"])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(files == ["manifest.json", "report.html", "report.md", "report.xlsx"])
    // An XLSX file is a zip archive: "PK".
    let xlsx = try Data(contentsOf: URL(fileURLWithPath: out + "/report.xlsx"))
    #expect(xlsx.prefix(2) == Data("PK".utf8))
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.contains("Made by hnb"))
    #expect(markdown.contains("on 2025-01-01"))
    let actual = Self.tables(markdown)
    if ProcessInfo.processInfo.environment["HNB_UPDATE_GOLDEN"] == "1" {
      try actual.write(to: Self.golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: Self.golden, encoding: .utf8)
    #expect(
      actual == expected,
      "report.md differs from Tests/golden/sutton-baseline-report.md; if the change is intended, run the tests with HNB_UPDATE_GOLDEN=1 and review the diff"
    )
  }

  @Test func scenariosAreLabelledAssumptionsNotTargets() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "Scenarios/sutton/local_specialist.yaml", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(html.contains("<p class=\"label base\">Base case (unmitigated)</p>"))
    #expect(html.contains("<p class=\"label assumption\">Scenario: an assumption, not a target</p>"))
    #expect(html.contains("Savings by mitigation"))
    #expect(html.contains("No sensitivity sweep was given"))
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("\"command\" : \"hnb report Scenarios/sutton/baseline.yaml"))
  }

  @Test func aBadDateIsAUsageError() throws {
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--out", HNBCommand.freshDirectory(), "--date", "1 Jan",
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("YYYY-MM-DD"))
  }
}
