import Foundation
import Testing

@testable import HighNeeds

/// Issue 13, class A: a population of 0 where the history has plans is refused by the fit
/// (it is incidence's denominator), not fitted as incidence 0.
@Suite struct ZeroPopulationFitTests {
  @Test func aZeroPopulationWherePlansExistIsRefused() throws {
    let history = try AggregateHistory.read(path: try CalibrationFixtures.path("aggregate_bands.csv"))
    let lines = try String(
      contentsOfFile: try CalibrationFixtures.path("aggregate_population.csv"), encoding: .utf8
    )
    .split(separator: "\n").map(String.init)
    let zeroed =
      [lines[0]]
      + lines.dropFirst().map { line in
        var fields = line.split(separator: ",").map(String.init)
        fields[fields.count - 1] = "0"
        return fields.joined(separator: ",")
      }
    let population = try PopulationTable.read(
      path: try CalibrationFixtures.temporary("population.csv", zeroed.joined(separator: "\n") + "\n"))
    #expect {
      _ = try AggregateFit.fit(history: history, population: population)
    } throws: { error in
      let text = (error as? InputError)?.errorDescription ?? ""
      return text.hasPrefix("--population: expected residents at ages under 5 in census year 2015 (the history has ")
        && text.hasSuffix(" plans there); found 0 at every one of those ages")
    }
  }
}
