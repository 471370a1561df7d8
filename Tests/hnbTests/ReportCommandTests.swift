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

  @Test func aBacktestDirectoryAddsItsAccuracyAndIsHashedInTheManifest() throws {
    let backtest = HNBCommand.freshDirectory()
    let fit = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2019-2024", "--horizon", "3",
      "--out", backtest,
    ])
    #expect(fit.status == 0, "\(fit.stderr)")
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--backtest", backtest, "--out", out, "--date", "2025-01-01",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.contains("## Appendix: backtest accuracy"))
    #expect(markdown.contains("| The method (trend) |"))
    #expect(markdown.contains("Last year's growth (naive baseline)"))
    #expect(markdown.contains("crosses a break in the series"))
    // The tables before the appendix are those of a report without a backtest.
    let expected = try String(contentsOf: Self.golden, encoding: .utf8)
    #expect(Self.tables(markdown) == expected)
    let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(html.contains("Mean absolute percentage error by forecast horizon"))
    let manifest = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
    let hashes = (manifest as? [String: Any])?["input_sha256"] as? [String: String] ?? [:]
    for name in ["summary.csv", "backtest.csv", "baselines.csv", "manifest.json"] {
      #expect(hashes.keys.contains { $0.hasSuffix("/" + name) && !$0.hasPrefix("Scenarios") }, "\(name)")
    }
    #expect(((manifest as? [String: Any])?["command"] as? String)?.contains("--backtest") == true)
  }

  @Test func aBacktestWithoutANeededColumnIsRefusedNamingFileAndColumn() throws {
    let backtest = HNBCommand.freshDirectory()
    let fit = try HNBCommand.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2022", "--out", backtest,
    ])
    #expect(fit.status == 0, "\(fit.stderr)")
    let summary = backtest + "/summary.csv"
    let text = try String(contentsOfFile: summary, encoding: .utf8)
    try text.replacingOccurrences(of: "mape_pct", with: "mape").write(
      toFile: summary, atomically: true, encoding: .utf8)
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--backtest", backtest, "--out", HNBCommand.freshDirectory(),
    ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("summary.csv:1"))
    #expect(result.stderr.contains("mape_pct"))
  }

  @Test func withoutABacktestTheReportSaysNoneWasGiven() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["report", "Scenarios/sutton/baseline.yaml", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.contains("No backtest was given"))
  }

  @Test func aBadDateIsAUsageError() throws {
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--out", HNBCommand.freshDirectory(), "--date", "1 Jan",
    ])
    #expect(result.status == 64)
    #expect(result.stderr.contains("YYYY-MM-DD"))
  }
}
