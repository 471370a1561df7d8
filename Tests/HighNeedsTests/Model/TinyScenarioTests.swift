import Foundation
import Numerics
import Testing
import TestSupport

@testable import HighNeeds

/// The tiny scenario worked by hand (2 ages × 2 placements × 1 need, 3 years).
///
/// Census 2025: age 10 ms 100, sp 20; age 11 ms 50, sp 10. Each year 10% of age 10 cease and
/// everyone at 11 ceases; 10% of surviving 10-year-olds in ms move to sp; 10 new plans arrive at
/// age 10 (1,000 residents × 0.01), 80% ms, 20% sp.
/// - 2026: age 10 → ms 90, sp 18; move 9 → ms 81, sp 27 at age 11; new ms 8, sp 2 → ms 89, sp 29.
/// - 2027: ms 7.2 → 6.48 and sp 1.8 + 0.72 = 2.52 at age 11, plus new → ms 14.48, sp 4.52.
/// - 2028: the same as 2027.
/// Academic-year costs (ms £5,000 flat; sp £20,000 × 1.1^t; 30 sp places × £10,000):
/// - AY 2024/25: 750,000 + 600,000 + 300,000; AY 2025/26: 445,000 + 638,000 + 300,000;
///   AY 2026/27: 72,400 + 109,384 + 300,000; AY 2027/28: 72,400 + 120,322.40 + 300,000.
/// Financial year = 5/12 of the AY ending + 7/12 of the AY starting, plus outreach
/// 100,000 × 1.05^f:
/// - 2025-26: 572,083.33 + 622,166.67 + 300,000 + 100,000 = 1,594,250.00
/// - 2026-27: 227,650.00 + 329,640.67 + 300,000 + 105,000 = 962,290.67
/// - 2027-28: 72,400.00 + 115,764.73 + 300,000 + 110,250 = 598,414.73
/// Income: 1,500,000 × 1.02^f − 100,000 + 10,000 + 0.5% × 10,000,000.
/// Reserve: −200,000 → −334,250.00 → +243,459.33 (with a 50,000 contribution) → 1,165,644.60.
@Suite struct TinyScenarioTests {
  let result: ScenarioResult

  init() throws {
    result = try ScenarioRun.run(try Fixtures.tiny())
  }

  func pennies(_ x: Double) -> Double { (x * 100).rounded() / 100 }

  @Test func caseloadMatchesHandCalculation() {
    let totals = result.path.occupancy.map { $0.reduce(0, +) }
    let expected = [180.0, 118, 19, 19]
    expectElementwise(totals, expected, absoluteTolerance: 1e-9)
    // Occupancy columns are need-major: [ms, sp] for the one need.
    #expect(result.path.occupancy[1][0].isApproximatelyEqual(to: 89, absoluteTolerance: 1e-9))
    #expect(result.path.occupancy[2][1].isApproximatelyEqual(to: 4.52, absoluteTolerance: 1e-9))
    let flows2026 = result.path.flows[0]
    #expect(flows2026[0].ceased.isApproximatelyEqual(to: 60, absoluteTolerance: 1e-9))
    #expect(flows2026[0].movedOut.isApproximatelyEqual(to: 9, absoluteTolerance: 1e-9))
    #expect(flows2026[1].movedIn.isApproximatelyEqual(to: 9, absoluteTolerance: 1e-9))
  }

  @Test func expenditureToThePenny() {
    #expect(result.accounts.map { pennies($0.expenditure) } == [1_594_250.00, 962_290.67, 598_414.73])
    #expect(result.accounts.map { pennies($0.topUpCost[1]) } == [622_166.67, 329_640.67, 115_764.73])
    #expect(result.accounts.map { pennies($0.central[0]) } == [100_000, 105_000, 110_250])
  }

  @Test func incomeAndReserveToThePenny() {
    #expect(result.accounts.map { pennies($0.income) } == [1_460_000, 1_490_000, 1_520_600])
    #expect(result.reserve.map { pennies($0.closing) } == [-334_250.00, 243_459.33, 1_165_644.60])
    #expect(result.reserve[1].contributions == 50_000)
    #expect(result.kpis.map(\.deficitAboveOnePercent) == [true, false, false])
  }

  /// Population as a base-year profile with a trend: 1,000 residents at age 10 growing 10% a
  /// year give 11, 12.1 and 13.31 new plans; incidence given by year overrides the profile.
  @Test func populationTrendAndIncidenceByYear() throws {
    var path = try Fixtures.editedTiny("population.csv") { _ in
      "age,population\n0-25,1000\n"
    }
    let directory = (path as NSString).deletingLastPathComponent
    try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(
        of: "  incidence: incidence.csv", with: "  incidence: incidence.csv\n  population_growth_fraction_per_year: 0.1"
      )
      .write(toFile: path, atomically: true, encoding: .utf8)
    let grown = try ScenarioRun.run(try ScenarioLoader.load(path: path))
    let arrivals = grown.path.flows.map { $0.reduce(0) { $0 + $1.newPlans } }
    expectElementwise(arrivals, [11.0, 12.1, 13.31], relativeTolerance: 1e-12)

    try
      "census_year,age,rate\n2026,0-9,0\n2026,10,0.01\n2026,11-25,0\n2027,0-25,0\n2028,10,0.02\n2028,0-9,0\n2028,11-25,0\n"
      .write(toFile: directory + "/incidence.csv", atomically: true, encoding: .utf8)
    try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(of: "\n  population_growth_fraction_per_year: 0.1", with: "")
      .write(toFile: path, atomically: true, encoding: .utf8)
    path = directory + "/tiny.yaml"
    let byYear = try ScenarioRun.run(try ScenarioLoader.load(path: path))
    let yearly = byYear.path.flows.map { $0.reduce(0) { $0 + $1.newPlans } }
    expectElementwise(yearly, [10.0, 0, 20], absoluteTolerance: 1e-12)
  }
}
