import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore
@testable import HighNeedsReport

@Suite struct ReportBuilderTests {
  static func report(mitigations: [Mitigation] = [], analyses: ReportAnalyses = ReportAnalyses()) throws -> Report {
    let loaded = try Fixtures.tinyWithSource()
    var scenario = loaded.scenario
    scenario.mitigations = mitigations
    if !mitigations.isEmpty { scenario.isBase = false }
    return try ReportBuilder.build(
      [try ScenarioRun.run(scenario)], sources: [loaded.source], analyses: analyses, command: "hnb report tiny.yaml",
      generatedOn: "2025-01-01")
  }

  static func tables(_ report: Report) -> [ReportTable] {
    func collect(_ s: ReportSection) -> [ReportTable] {
      s.blocks.compactMap { block -> ReportTable? in
        switch block {
        case .paragraph: return nil
        case .table(let t), .figure(_, let t): return t
        }
      } + s.subsections.flatMap(collect)
    }
    return report.sections.flatMap(collect)
  }

  static func number(_ c: ReportCell) -> Double {
    if case .number(let v) = c { return v }
    return .nan
  }

  @Test func theCorkscrewPrintsTheHandCalculatedReserveAndAddsUp() throws {
    let report = try Self.report()
    let dsg = try #require(Self.tables(report).first { $0.id == "tiny_dsg" })
    // Reserve by hand: −200,000 → −334,250.00 → 243,459.33 → 1,165,644.60 (£000 below).
    #expect(dsg.rows.map { Self.number($0[6]) } == [-334, 243, 1166])
    var opening = -200.0
    for row in dsg.rows {
      let v = row.dropFirst().map(Self.number)
      #expect(v[0] == opening)
      #expect(v[0] + v[1] - v[2] + v[3] == v[5])
      #expect(v[1] - v[2] == v[4])
      opening = v[5]
    }
  }

  @Test func everyTableWithATotalAddsUp() throws {
    let report = try Self.report(mitigations: [MitigationTests.shift, MitigationTests.cheaper])
    let tables = Self.tables(report)
    for t in tables where t.columns.last?.title == "Total" {
      for row in t.rows {
        let values = row.dropFirst().map(Self.number)
        #expect(values.dropLast().reduce(0, +) == values.last, "\(t.id)")
      }
    }
    for t in tables where !t.totalRows.isEmpty {
      for i in t.totalRows {
        for j in 1..<t.columns.count {
          let parts = t.rows.indices.filter { $0 < i }.map { Self.number(t.rows[$0][j]) }
          #expect(parts.reduce(0, +) == Self.number(t.rows[i][j]), "\(t.id) column \(j)")
        }
      }
    }
    let balance = try #require(tables.first { $0.id == "tiny_balance" })
    for row in balance.rows {
      #expect(Self.number(row[1]) + Self.number(row[2]) == Self.number(row[3]))
    }
  }

  @Test func aScenarioIsLabelledAnAssumptionAndTheRangeSaysItIsAbsent() throws {
    let report = try Self.report(mitigations: [MitigationTests.shift])
    let section = try #require(report.sections.first { $0.id == "tiny" })
    #expect(section.label == "Scenario: an assumption, not a target")
    let html = HTMLReport.html(report)
    #expect(html.contains("Scenario: an assumption, not a target"))
    #expect(html.contains("No sensitivity sweep was given"))
    #expect(!html.contains("class=\"fan\""))
    let base = try Self.report()
    #expect(base.sections.first { $0.id == "tiny" }?.label == "Base case (unmitigated)")
  }

  @Test func sweepResultsDrawAFanAndATornadoWhenGiven() throws {
    var analyses = ReportAnalyses()
    analyses.sweepBands["tiny"] = FanBands(
      p10: [-400_000, -500_000, -600_000], p25: [-350_000, -400_000, -450_000], p50: [-334_250, 243_459, 1_165_645],
      p75: [-300_000, 300_000, 1_300_000], p90: [-250_000, 400_000, 1_500_000])
    analyses.tornado["tiny"] = (
      base: 1_165_645, bars: [TornadoBar(input: "Special top-up uplift", low: 1_000_000, high: 1_300_000)]
    )
    let report = try Self.report(analyses: analyses)
    let range = try #require(report.sections.first { $0.id == "range" })
    #expect(range.blocks.count == 2)
    let html = HTMLReport.html(report)
    #expect(!html.contains("No sensitivity sweep was given"))
    #expect(html.contains("P25–P75"))
    #expect(html.contains("Special top-up uplift"))
  }

  @Test func theHTMLFetchesNothing() throws {
    let html = HTMLReport.html(try Self.report(mitigations: [MitigationTests.shift]))
    #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<link"))
    #expect(!html.contains("url("))
    #expect(!html.contains("src="))
    #expect(!html.contains("@import"))
    // Links are in-page anchors only; the SVG namespace is a name, not a fetch.
    #expect(!html.contains("href=\"http"))
  }

  @Test func markdownHasEveryTable() throws {
    let report = try Self.report(mitigations: [MitigationTests.shift])
    let md = MarkdownReport.markdown(report)
    for t in Self.tables(report) { #expect(md.contains("**\(t.title)**")) }
    #expect(md.contains("| Financial year | Opening balance (£000) |"))
    #expect(md.contains("|---|---:|"))
  }

  @Test func numbersPrintWithThousandsSeparators() {
    #expect(NumberFormat.grouped(-1_234_567) == "-1,234,567")
    #expect(NumberFormat.grouped(999) == "999")
    #expect(NumberFormat.grouped(-0.04) == "0.0")
    #expect(NumberFormat.grouped(12.5) == "12.5")
    #expect(ReportFormat.cell(.number(24), unit: .percent) == "24.0")
  }
}
