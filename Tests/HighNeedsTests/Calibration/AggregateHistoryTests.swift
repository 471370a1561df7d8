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
