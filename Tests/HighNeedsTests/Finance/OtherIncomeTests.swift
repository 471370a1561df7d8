import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// Other income lines (`income.other_income`: the Inclusive Mainstream Fund, Experts at Hand):
/// added to income year by year, shown as lines of their own, agreed by the reference model.
struct OtherIncomeTests {
  static let lines = """
      other_income:
        - {id: imf, label: Inclusive Mainstream Fund, gbp: {2025-26: 0, 2026-27: 100000, 2027-28: 120000}, source: assumption}
        - {id: experts, label: Experts at Hand, gbp: 50000}

    """

  @Test func otherIncomeAddsToIncomeAndIsALineOfItsOwn() throws {
    let plain = try Fixtures.tiny()
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(of: "  total_dsg_gbp: 20_000_000\n", with: "  total_dsg_gbp: 20_000_000\n" + Self.lines)
    }
    let s = try ScenarioLoader.load(path: path)
    #expect(s.income.otherLines.map(\.id) == ["imf", "experts"])
    let before = try ScenarioRun.run(plain)
    let after = try ScenarioRun.run(s)
    let added = [50_000.0, 150_000, 170_000]
    for f in 0..<3 {
      #expect(abs(after.accounts[f].income - before.accounts[f].income - added[f]) < 1e-6)
      #expect(after.accounts[f].otherIncome.reduce(0, +) == added[f])
    }
    #expect(IntegrityChecks.failures(after).isEmpty)
    var comparison = ReferenceComparison()
    comparison.compare(after, savings: true)
    #expect(comparison.failures.isEmpty, "\(comparison.failures)")
    let finance = RunTables.finance([after]).text
    #expect(finance.contains("tiny,2026-27,income,other_income.imf,Inclusive Mainstream Fund,100000.00\n"))
    #expect(finance.contains("tiny,2027-28,income,other_income.experts,Experts at Hand,50000.00\n"))
  }

  @Test func anOtherIncomeLineWithoutAmountsIsRefused() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(
        of: "  total_dsg_gbp: 20_000_000\n", with: "  total_dsg_gbp: 20_000_000\n  other_income:\n    - {id: imf}\n")
    }
    let message = try #require(Fixtures.loadError(path))
    #expect(message.contains("income.other_income.imf.gbp"), "\(message)")
  }
}
