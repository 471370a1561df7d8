import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsReport

@Suite struct BacktestAccuracyTests {
  static let manifest = """
    {"tool": "hnb", "tool_version": "0.1.0", "outputs": [], "command": "hnb backtest --history h.csv --fit-through 2019-2020 --horizon 2",
     "method": "trend: test", "input_sha256": {"h.csv": "00"},
     "warnings": ["warning: the fit window for origin 2019–2020 crosses a break in the series: test"]}
    """
  static let summary = """
    level,method,horizon,forecasts,mape_pct,coverage_p10_p90
    total,trend,1,2,1.000,0.500000
    total,trend,2,1,4.000,1.000000
    total,last_value,1,2,1.000,
    total,last_value,2,1,3.000,
    total,linear_trend,1,2,2.000,
    total,linear_trend,2,1,5.000,

    """
  static let backtest = """
    fit_through,year,horizon,level,actual_plans,forecast_plans,p10_plans,p90_plans,abs_pct_error,inside_p10_p90
    2019,2020,1,total,100,101,95,105,1.000,true
    2019,2021,2,total,100,104,95,105,4.000,true
    2020,2021,1,total,100,99,99.5,105,1.000,false

    """
  static let baselines = """
    fit_through,year,horizon,level,baseline,actual_plans,forecast_plans,abs_pct_error
    2019,2020,1,total,last_value,100,99,1.000
    2019,2020,1,total,linear_trend,100,98,2.000

    """
  static let fits = """
    fit_through,level,first_year,last_census_fitted,years_fitted,decay,growth_log_per_year,horizon,log_error_sd,in_window_errors
    2019,total,2010,2019,10,0.00,0.04,1,0.05,8
    2020,total,2010,2020,11,0.00,0.04,1,0.05,8

    """

  /// A backtest directory with the files above, `replace` overriding any of them.
  static func directory(_ replace: [String: String] = [:]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-bt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var files = [
      "manifest.json": manifest, "summary.csv": summary, "backtest.csv": backtest, "baselines.csv": baselines,
      "fits.csv": fits,
    ]
    for (k, v) in replace { files[k] = v }
    for (name, text) in files {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return dir.path
  }

  @Test func readsTheMethodBaselinesCoverageAndCaveats() throws {
    let b = try BacktestAccuracy.read(directory: try Self.directory())
    #expect(b.method == "trend")
    #expect(b.errors.map(\.name) == ["trend", "last_value", "linear_trend"])
    #expect(b.methodErrors.mapePercent == [1, 4])
    #expect(b.methodErrors.forecasts == [2, 1])
    #expect(b.covered == [1, 1])
    #expect(b.withInterval == [2, 1])
    #expect(b.origins == [2019, 2020])
    #expect(b.windows.map(\.yearsFitted) == [10, 11])
    #expect(b.warnings.count == 1)
    #expect(b.files.count == 5)
  }

  @Test func aMissingColumnNamesTheFileAndColumn() throws {
    let bad = Self.summary.replacingOccurrences(of: "mape_pct", with: "mape")
    let dir = try Self.directory(["summary.csv": bad])
    #expect {
      try BacktestAccuracy.read(directory: dir)
    } throws: { error in
      let text = (error as? InputError)?.errorDescription ?? ""
      return text.contains("summary.csv:1") && text.contains("mape_pct")
    }
  }

  @Test func summaryAndForecastsFromDifferentRunsAreAnError() throws {
    let extra = Self.backtest + "2020,2022,2,total,100,104,95,105,4.000,true\n"
    #expect(throws: InputError.self) {
      try BacktestAccuracy.read(directory: try Self.directory(["backtest.csv": extra]))
    }
    let run =
      #"{"tool": "hnb", "tool_version": "0.1.0", "outputs": [], "command": "hnb run a.yaml", "method": "x", "warnings": []}"#
    let error = #expect(throws: InputError.self) {
      try BacktestAccuracy.read(directory: try Self.directory(["manifest.json": run]))
    }
    #expect(error?.key == "command")
  }

  @Test func theSectionSaysPlainlyWhereTheMethodDoesNotBeatABaseline() throws {
    var analyses = ReportAnalyses()
    analyses.backtests = [try BacktestAccuracy.read(directory: try Self.directory())]
    let report = try ReportBuilderTests.report(analyses: analyses)
    let section = try #require(report.sections.first { $0.id == "backtest" })
    let text = section.subsections.flatMap(\.blocks).compactMap { block -> String? in
      if case .paragraph(let p) = block { return p }
      return nil
    }.joined(separator: "\n")
    #expect(text.contains("Against last value: the same error at 1 year ahead, higher error at 2 years ahead."))
    #expect(text.contains("Against linear trend: lower error at every horizon."))
    #expect(text.contains("did not beat every naive baseline"))
    #expect(text.contains("Of the 3 actuals, 2 (66.7%)"))
    #expect(text.contains("The fit window for origin 2019–2020 crosses a break"))
    #expect(text.contains("from the 2010 census to each origin, 10–11 censuses fitted"))
    let html = HTMLReport.html(report)
    #expect(html.contains("Mean absolute percentage error by forecast horizon"))
    #expect(html.contains("<rect"))
    #expect(report.provenance.inputSHA256.contains { $0.file.hasSuffix("summary.csv") })
    let markdown = MarkdownReport.markdown(report)
    #expect(markdown.contains("| The method (trend) | 1.0 | 4.0 |"))
  }

  @Test func withoutABacktestTheReportSaysNoneWasGiven() throws {
    let report = try ReportBuilderTests.report()
    let section = try #require(report.sections.first { $0.id == "backtest" })
    guard case .paragraph(let text) = section.blocks.first else {
      Issue.record("expected a paragraph")
      return
    }
    #expect(text.hasPrefix("No backtest was given"))
  }
}
