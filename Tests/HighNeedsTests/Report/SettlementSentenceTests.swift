import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore
@testable import HighNeedsReport

/// The report's summary says, in one sentence, what the settlement writes off, the council's
/// share and the deficit accrued since the deficit date.
struct SettlementSentenceTests {
  @Test func theSummarySaysWhatIsWrittenOffAndWhatAccruesSince() throws {
    let loaded = try ScenarioLoader.loadWithSource(path: "Scenarios/sutton/baseline.yaml")
    var scenario = loaded.scenario
    scenario.settlement = nil
    #expect(ReportBuilder.settlementSentence(try ScenarioRun.run(scenario)) == nil)
    scenario.settlement = Settlement(
      deficitYear: 0, figures: [.init(source: "s251", deficitGBP: 19e6), .init(source: "accounts", deficitGBP: 20e6)],
      grantYear: 1, overrideLastYear: 2)
    let result = try ScenarioRun.run(scenario)
    let sentence = try #require(ReportBuilder.settlementSentence(result))
    let writtenOff =
      "writes off £17.1m (90%) of the eligible deficit of £19.0m at 31 March 2026 (the lowest of the 2 figures compared: s251)"
    #expect(sentence.contains(writtenOff), "\(sentence)")
    #expect(sentence.contains("received in 2026-27"), "\(sentence)")
    #expect(sentence.contains("the council's share of £1.9m stays on the DSG"), "\(sentence)")
    let lastYear = try #require(result.reserve.last)
    let accrued = String(format: "£%.1fm", -lastYear.settlement.accruingBalance / 1e6)
    #expect(sentence.contains("a further deficit of \(accrued) has accrued since 31 March 2026"), "\(sentence)")
    #expect(sentence.contains("after the statutory override ends in 2027-28"), "\(sentence)")
    let report = try ReportBuilder.build([result], sources: [loaded.source], command: "test", generatedOn: "2026-12-04")
    let summary = try #require(report.sections.first { $0.id == "summary" })
    #expect(summary.blocks.contains { if case .paragraph(let p) = $0 { p == sentence } else { false } })
  }
}
