import Foundation
import Testing

@testable import HighNeeds

@Suite struct CalibrationAggregateHistoryTests {
  @Test func readsTheShippedTotals() throws {
    let history = try AggregateHistory.read(
      path: try CalibrationFixtures.path("sutton_history.csv"),
      newPlansPath: try CalibrationFixtures.path("sutton_new_plans.csv"))
    #expect(history.total.years == Array(2010...2025))
    #expect(history.total.plans(at: 2018) == 1588)
    #expect(history.total.plans(at: 2025) == 2582)
    #expect(history.newPlans[2024] == 390)
    #expect(history.ageBands.isEmpty && history.placements.isEmpty)
  }

  @Test func bandsSingleAgesAndTotalsAreAllAccepted() throws {
    let path = try CalibrationFixtures.temporary(
      "h.csv",
      """
      year,age,placement,plans
      2020,total,total,100
      2020,under 5,total,10
      2020,5-10,mainstream,30
      2020,5-10,special,20
      2020,11-15,,40
      2021,3,mainstream,4
      2021,4,mainstream,8
      2021,7,special,60
      2021,12,special,50

      """)
    let history = try AggregateHistory.read(path: path)
    #expect(history.total.plans == [100, 122])
    let bands = Dictionary(uniqueKeysWithValues: history.ageBands.map { ($0.level, $0.plans) })
    #expect(bands["age:under 5"] == [10, 12])
    #expect(bands["age:5-10"] == [50, 60])
    #expect(bands["age:11-15"] == [40, 50])
    let placements = Dictionary(uniqueKeysWithValues: history.placements.map { ($0.level, $0.plans) })
    #expect(placements["placement:special"] == [20, 110])
  }

  @Test func aYearGapIsAPreciseError() throws {
    let path = try CalibrationFixtures.temporary("gap.csv", "year,plans\n2018,10\n2019,11\n2021,13\n")
    let error = try #require(throws: InputError.self) { try AggregateHistory.read(path: path) }
    #expect(error.errorDescription?.contains("every census year from 2018 to 2021") == true)
    #expect(error.errorDescription?.contains("no rows for 2020") == true)
  }

  @Test func aLevelWithoutRowsInAYearIsMissingNotZero() throws {
    // 2021 gives only the total; 20-25 has an explicit 0 in 2020 and no row in 2022.
    let path = try CalibrationFixtures.temporary(
      "levels.csv",
      """
      year,age,placement,plans
      2020,total,total,100
      2020,5-10,total,60
      2020,20-25,total,0
      2020,total,special,30
      2021,total,total,110
      2022,total,total,125
      2022,5-10,total,70
      2022,total,special,40

      """)
    let history = try AggregateHistory.read(path: path)
    #expect(history.total.years == [2020, 2021, 2022])
    let bands = Dictionary(uniqueKeysWithValues: history.ageBands.map { ($0.level, $0) })
    #expect(bands["age:5-10"]?.years == [2020, 2022] && bands["age:5-10"]?.plans == [60, 70])
    #expect(bands["age:20-25"]?.years == [2020] && bands["age:20-25"]?.plans == [0])
    #expect(history.placements.first?.years == [2020, 2022])
    #expect(history.gaps.map(\.level) == ["age:5-10", "age:20-25", "placement:special"])
    #expect(history.gaps.map(\.years) == [[2021], [2021, 2022], [2021]])
    #expect(history.gapWarnings[1].contains("age:20-25 has no rows for census years 2021, 2022 in \(path)"))
  }

  @Test func theShippedDetailHistoryHasBandsAndPlacementGroups() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history_detail.csv"))
    #expect(history.total.years == Array(2010...2025) && history.total.plans(at: 2025) == 2582)
    #expect(history.ageBands.count == 5 && history.placements.count == 6)
    // The 2023 age table is missing from the public data: a gap, not zero plans.
    let fiveToTen = try #require(history.ageBands.first { $0.level == "age:5-10" })
    #expect(fiveToTen.plans(at: 2023) == nil && fiveToTen.plans(at: 2025) == 935)
    // Placement groups add up to the total of the table they come from (the 2025 release from 2019).
    for year in 2019...2025 {
      let sum = history.placements.compactMap { $0.plans(at: year) }.reduce(0, +)
      #expect(sum == history.total.plans(at: year))
    }
  }

  @Test func anUnknownAgeBandNamesTheCell() throws {
    let path = try CalibrationFixtures.temporary("band.csv", "year,age,plans\n2018,5 to 10,10\n")
    let error = try #require(throws: InputError.self) { try AggregateHistory.read(path: path) }
    #expect(error.errorDescription?.contains("band.csv:2:2") == true)
    #expect(error.errorDescription?.contains("'5 to 10'") == true)
  }

  @Test func aRepeatedCellIsAnError() throws {
    let path = try CalibrationFixtures.temporary("dup.csv", "year,plans\n2018,10\n2018,11\n")
    #expect(throws: InputError.self) { try AggregateHistory.read(path: path) }
  }
}
