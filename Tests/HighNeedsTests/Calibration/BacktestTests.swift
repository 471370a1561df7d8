import Foundation
import Numerics
import Testing

@testable import HighNeeds

@Suite struct CalibrationBacktestTests {
  @Test func rollingOriginScoresEveryHeldOutYear() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("england_history.csv"))
    let backtest = try Backtest.run(history: history, fitThrough: 2019...2024, horizon: 3)
    let method = backtest.rows.filter { $0.method == Backtest.methodName }
    // Origins 2019–2022 reach 3 years ahead; 2023 two; 2024 one.
    #expect(method.count == 4 * 3 + 2 + 1)
    #expect(method.allSatisfy { $0.year == $0.fitThrough + $0.horizon && $0.year <= 2025 })
    #expect(backtest.rows.count == method.count * 4)
    let h1 = try #require(backtest.summary.first { $0.method == "last_value" && $0.horizon == 1 })
    let expected =
      (2019...2024).map { o in
        abs(history.total.plans(at: o)! - history.total.plans(at: o + 1)!) / history.total.plans(at: o + 1)! * 100
      }.reduce(0, +) / 6
    #expect(h1.meanAbsPercentError.isApproximatelyEqual(to: expected))
  }

  @Test func warnsWhenTheWindowCrossesAKnownBreak() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history.csv"))
    let crossing = try Backtest.run(history: history, fitThrough: 2023...2023, horizon: 1)
    #expect(crossing.warnings.contains { $0.contains("person-level") })
    #expect(crossing.warnings.contains { $0.contains("statements were transferred") })
    let trimmed = try Backtest.run(
      history: history, fitThrough: 2022...2022, horizon: 1, excluded: Set(2010...2018))
    #expect(trimmed.warnings.isEmpty)
  }

  @Test func originsWithoutLaterYearsAreRefused() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("sutton_history.csv"))
    #expect(throws: InputError.self) { try Backtest.run(history: history, fitThrough: 2024...2025, horizon: 1) }
  }
}
