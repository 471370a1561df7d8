import Foundation
import Testing
import TestSupport

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
    #expect(files == [".hnb-output.sha256", "manifest.json", "report.html", "report.md", "report.xlsx"])
    // An XLSX file is a zip archive: "PK".
    let xlsx = try Data(contentsOf: URL(fileURLWithPath: out + "/report.xlsx"))
    #expect(xlsx.prefix(2) == Data("PK".utf8))
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.contains("Made by hnb"))
    #expect(markdown.contains("on 2025-01-01"))
    // With HNB_UPDATE_GOLDEN=1 this writes the golden file and fails: it is read by hand.
    try expectGolden(Self.tables(markdown), file: Self.golden)
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

  /// A small seeded sweep and a tornado of the Sutton baseline (the sweep files extend it, so
  /// the scenario names match the report's).
  static func rangeDirectories() throws -> (sweep: String, tornado: String) {
    let sweep = HNBCommand.freshDirectory()
    let r = try HNBCommand.run([
      "sweep", "Scenarios/sutton/sweep/baseline.yaml", "--draws", "20", "--seed", "1", "--threshold", "50000000",
      "--out", sweep,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let tornado = HNBCommand.freshDirectory()
    let t = try HNBCommand.run([
      "sensitivity", "Scenarios/sutton/sweep/baseline.yaml", "--method", "tornado", "--output", "cumulative_balance",
      "--out", tornado,
    ])
    #expect(t.status == 0, "\(t.stderr)")
    return (sweep, tornado)
  }

  @Test func sweepAndTornadoDirectoriesAddTheRangeAndAreHashedInTheManifest() throws {
    let (sweep, tornado) = try Self.rangeDirectories()
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--sweep", sweep, "--tornado", tornado, "--out", out, "--date",
      "2025-01-01",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(!markdown.contains("No sensitivity sweep was given"))
    #expect(markdown.contains("**sutton-baseline: range of the cumulative DSG balance**"))
    #expect(markdown.contains("| Financial year | Deficit above 1% of DSG (%) | Deficit above £50,000,000 (%) |"))
    #expect(markdown.contains("**sutton-baseline: what moves the final balance most**"))
    #expect(markdown.contains("The range comes from `hnb sweep Scenarios/sutton/sweep/baseline.yaml"))
    // The median in the paper is the sweep's, rounded to £000.
    let percentiles = try HNBCommand.readCSV(sweep + "/percentiles.csv")
    let last = try #require(
      percentiles.first { $0["metric"] == "cumulative_balance" && $0["year"] == "2034-35" })
    let median = try #require(Double(last["p50"] ?? ""))
    let grouped = ReportFormatCheck.thousands((median / 1000).rounded())
    #expect(markdown.contains("| 2034-35 |") && markdown.contains(grouped), "\(grouped)")
    let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(html.contains("P25–P75"))
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
        as? [String: Any])
    let hashes = manifest["input_sha256"] as? [String: String] ?? [:]
    for name in ["percentiles.csv", "exceedance.csv", "tornado.csv"] {
      #expect(hashes.keys.contains { $0.hasSuffix("/" + name) }, "\(name)")
    }
    let ranges = manifest["ranges"] as? [[String: String]] ?? []
    #expect(ranges.map { $0["kind"] ?? "" } == ["sweep", "tornado"])
    #expect((manifest["command"] as? String)?.contains("--sweep") == true)
  }

  @Test(arguments: [
    ("a sweep of a scenario the report does not have", "sweep"),
    ("a backtest directory given as a sweep", "backtest"),
    ("a tornado of another year", "tornado-year"),
  ])
  func rangeDirectoriesThatDoNotFitAreRefused(_ what: String, _ kind: String) throws {
    var arguments = ["report", "Scenarios/sutton/combined.yaml", "--out", HNBCommand.freshDirectory()]
    var expected = ""
    switch kind {
    case "sweep":
      let (sweep, _) = try Self.rangeDirectories()
      arguments += ["--sweep", sweep]
      expected = "scenario: expected results for scenarios of this report (sutton-combined); found 'sutton-baseline'"
    case "backtest":
      let backtest = HNBCommand.freshDirectory()
      let fit = try HNBCommand.run([
        "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2022", "--out", backtest,
      ])
      #expect(fit.status == 0, "\(fit.stderr)")
      arguments += ["--sweep", backtest]
      expected = "command: expected a directory written by 'hnb sweep'; found 'hnb backtest"
    default:
      let tornado = HNBCommand.freshDirectory()
      let t = try HNBCommand.run([
        "sensitivity", "Scenarios/sutton/sweep/combined.yaml", "--method", "tornado", "--output", "cumulative_balance",
        "--year", "2030-31", "--out", tornado,
      ])
      #expect(t.status == 0, "\(t.stderr)")
      arguments += ["--tornado", tornado]
      expected =
        "year: expected a tornado of the final balance, in 2034-35 (the default of hnb sensitivity); found '2030-31'"
    }
    let result = try HNBCommand.run(arguments)
    #expect(result.status == 65, "\(what)")
    #expect(result.stderr.contains(expected), "\(what): \(result.stderr)")
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

/// Thousands grouping as the papers print it (`-300,291`).
enum ReportFormatCheck {
  static func thousands(_ x: Double) -> String {
    let digits = String(Int(abs(x)))
    var grouped = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
      grouped.append(c)
    }
    return (x < 0 ? "-" : "") + grouped
  }
}
