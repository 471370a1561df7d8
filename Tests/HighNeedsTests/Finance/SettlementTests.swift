import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The 2026 settlement: the grant writes off a share of the deficit at the date, the rest stays
/// or is paid in, and the corkscrew splits into the historic deficit and the one accruing since.
struct SettlementTests {
  /// Worked by hand (£m): opening −10.6 at 1 April 2025; in-year −5, −6, −7, −8 in 2025-26 to
  /// 2028-29; the deficit date 31 March 2026 (f = 0), the grant in 2026-27 (f = 1), the override
  /// to 2027-28 (f = 2).
  @Test func aWorkedExampleAddsUpByHand() {
    let settlement = Settlement(deficitYear: 0, grantYear: 1, overrideLastYear: 2)
    let (years, eligible) = settlement.years(
      opening: -10.6, inYear: [-5, -6, -7, -8], contributions: [0, 0, 0, 0])
    #expect(abs(eligible - 15.6) < 1e-12)
    #expect(years.map(\.stabilityGrant) == [0, 0.9 * 15.6, 0, 0])
    #expect(years.map(\.localShare) == [0, 0, 0, 0])
    let historic = years.map(\.historicBalance)
    let expectedHistoric = [-15.6, -15.6 + 0.9 * 15.6, -15.6 + 0.9 * 15.6, -15.6 + 0.9 * 15.6]
    for (a, b) in zip(historic, expectedHistoric) { #expect(abs(a - b) < 1e-12) }
    #expect(years.map(\.accruingBalance) == [0, -6, -13, -21])
    // Only the year after the override ends is a pressure on the general fund.
    #expect(years.map(\.generalFundPressure) == [0, 0, 0, 8])
  }

  @Test func theEligibleDeficitIsTheLowestFigureElseTheRunsOwn() {
    var settlement = Settlement(deficitYear: 0, grantYear: 1)
    #expect(settlement.eligibleDeficit(balanceAtDeficitDate: -12) == 12)
    #expect(settlement.eligibleDeficit(balanceAtDeficitDate: 3) == 0)
    settlement.figures = [
      .init(source: "s251 outturn", deficitGBP: 11.2), .init(source: "revenue outturn", deficitGBP: 10.9),
      .init(source: "accounts", deficitGBP: 11.5),
    ]
    #expect(settlement.eligibleDeficit(balanceAtDeficitDate: -12) == 10.9)
  }

  @Test func theLocalSharePaidInClearsTheRestOfTheEligibleDeficit() {
    let settlement = Settlement(deficitYear: -1, grantYear: 0, localShareYear: 1)
    let (years, eligible) = settlement.years(opening: -20, inYear: [1, 1, 1], contributions: [0, 0, 0])
    #expect(eligible == 20)
    #expect(abs(years[0].stabilityGrant - 18) < 1e-12)
    #expect(abs(years[1].localShare - 2) < 1e-12)
    // Once both are in, the historic deficit is gone and only what accrued since is left.
    #expect(abs(years[1].historicBalance) < 1e-12)
    #expect(years.map(\.accruingBalance) == [1, 2, 3])
  }

  @Test func noGrantLeavesTheHistoricDeficitWhole() {
    let settlement = Settlement(deficitYear: 0, grantYear: nil)
    let (years, _) = settlement.years(opening: -10, inYear: [-1, -2], contributions: [0.5, 0])
    #expect(years.map(\.stabilityGrant) == [0, 0])
    #expect(years.map(\.historicBalance) == [-10.5, -10.5])
    #expect(years.map(\.accruingBalance) == [0, -2])
  }

  /// Through a whole run: the grant is in the corkscrew, historic + accruing = closing every
  /// year, and the integrity checks pass.
  @Test func aRunWithTheSettlementPassesItsChecks() throws {
    var scenario = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    scenario.settlement = nil
    let without = try ScenarioRun.run(scenario)
    scenario.settlement = Settlement(deficitYear: 0, grantYear: 1, overrideLastYear: 2)
    let with = try ScenarioRun.run(scenario)
    let eligible = -without.reserve[0].closing
    #expect(eligible > 0)
    #expect(abs(with.reserve[1].settlement.stabilityGrant - 0.9 * eligible) < 1e-6)
    #expect(abs(with.reserve[1].closing - (without.reserve[1].closing + 0.9 * eligible)) < 1e-4)
    for year in with.reserve {
      #expect(abs(year.settlement.historicBalance + year.settlement.accruingBalance - year.closing) < 1e-4)
    }
    #expect(IntegrityChecks.failures(with).isEmpty)
  }
}
