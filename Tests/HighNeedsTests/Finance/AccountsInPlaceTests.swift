import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The accounts and reserve written over an earlier draw's (`financialYears(…, into:)`,
/// `reserve(…, into:)`, what a sweep does for each draw) are the ones built afresh, field by
/// field and bit for bit, whatever the array held before.
struct AccountsInPlaceTests {
  /// Every field of two years' accounts, as bit patterns (arrays element by element).
  static func bits(_ a: FinancialYearAccounts) -> [UInt64] {
    a.topUpCost.map(\.bitPattern) + a.placeFundingCost.map(\.bitPattern) + a.central.map(\.bitPattern)
      + a.mitigationCosts.map(\.bitPattern) + a.otherIncome.map(\.bitPattern)
      + [
        a.placementCosts, a.centralCosts, a.totalMitigationCosts, a.expenditure, a.hnbAllocation, a.deductions,
        a.importExportAdjustment, a.schoolsBlockTransfer, a.income, a.totalDSG,
        Double(a.topUpCost.count), Double(a.central.count), Double(a.mitigationCosts.count),
        Double(a.otherIncome.count),
      ].map(\.bitPattern)
  }

  static func bits(_ r: ReserveYear) -> [UInt64] {
    let y = r.settlement
    return [
      r.opening, r.income, r.expenditure, r.contributions, r.inYear, r.closing, y.stabilityGrant, y.localShare,
      y.historicBalance, y.accruingBalance, y.generalFundPressure,
    ].map(\.bitPattern)
  }

  @Test(arguments: ["Scenarios/sutton/sweep/combined.yaml", "Scenarios/sutton/sweep/baseline.yaml"])
  func writtenOverAnotherDrawTheyAreTheFreshOnes(_ file: String) throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository(file))
    let r = try ScenarioRun.run(s)
    // Another draw: every census's occupancy 7% higher, and a scenario with another allocation.
    var other = r.path
    other.occupancy = other.occupancy.map { $0.map { $0 * 1.07 } }
    var otherScenario = s
    otherScenario.income.hnbAllocation = s.income.hnbAllocation.map { $0 * 0.9 }
    let fresh = Accounts.financialYears(scenario: s, parameters: r.parameters, path: r.path)
    let freshReserve = Accounts.reserve(scenario: s, accounts: fresh)
    #expect(fresh.count == s.horizonYears && freshReserve.count == s.horizonYears)

    var reused = Accounts.financialYears(scenario: otherScenario, parameters: r.parameters, path: other)
    var reusedReserve = Accounts.reserve(scenario: otherScenario, accounts: reused)
    #expect(reused.map(Self.bits) != fresh.map(Self.bits), "the other draw's accounts differ to begin with")
    Accounts.financialYears(scenario: s, parameters: r.parameters, path: r.path, into: &reused)
    Accounts.reserve(scenario: s, accounts: reused, into: &reusedReserve)
    #expect(reused.map(Self.bits) == fresh.map(Self.bits))
    #expect(reusedReserve.map(Self.bits) == freshReserve.map(Self.bits))

    // An array of another shape is replaced.
    var misshapen = Array(fresh.prefix(3))
    misshapen[0].topUpCost.append(1)
    var shortReserve = Array(freshReserve.prefix(2))
    Accounts.financialYears(scenario: s, parameters: r.parameters, path: r.path, into: &misshapen)
    Accounts.reserve(scenario: s, accounts: misshapen, into: &shortReserve)
    #expect(misshapen.map(Self.bits) == fresh.map(Self.bits))
    #expect(shortReserve.map(Self.bits) == freshReserve.map(Self.bits))
  }
}
