import Foundation
import Testing
import TestSupport

@testable import HighNeeds

@Suite struct LargestRemainderTests {
  @Test func partsSumToTheRoundedTotal() {
    // 33.4 + 33.3 + 33.3 = 100: naive rounding gives 33 + 33 + 33 = 99.
    let parts = LargestRemainder.round([33.4, 33.3, 33.3])
    #expect(parts == [34, 33, 33])
    #expect(parts.reduce(0, +) == 100)
  }

  @Test func tiesGoToTheEarlierPart() {
    #expect(LargestRemainder.round([0.5, 0.5]) == [1, 0])
    #expect(LargestRemainder.round([1.5, 1.5, 1.0]) == [2, 1, 1])
  }

  @Test func thousandsAndSignedParts() {
    // A corkscrew's flows: income, −expenditure, contributions reach the change in balance.
    let flows = LargestRemainder.round([68_899_940.4, -77_674_221.96, 0], unit: 1000, total: -8_774_281.56)
    #expect(flows == [68_900_000, -77_674_000, 0])
    #expect(flows.reduce(0, +) == -8_774_000)
  }

  @Test func aTotalRoundedElsewhereIsStillReached() {
    // The caller fixes the total (e.g. closing − opening, each rounded on its own).
    #expect(LargestRemainder.round([0.2, 0.2], total: 3).reduce(0, +) == 3)
    #expect(LargestRemainder.round([0.2, 0.2], total: -2).reduce(0, +) == -2)
    #expect(LargestRemainder.round([], total: 5).isEmpty)
  }

  @Test func randomPartsAlwaysAddUpAndMoveLessThanOneUnit() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let n = Int.random(in: 1...12, using: &generator)
      let parts = (0..<n).map { _ in Double.random(in: -5e6...5e6, using: &generator) }
      let rounded = LargestRemainder.round(parts, unit: 1000)
      #expect(rounded.reduce(0, +) == LargestRemainder.round(parts.reduce(0, +), unit: 1000))
      expectElementwise(parts, rounded) { x, r in #expect(abs(x - r) < 1000) }
    }
  }
}
