import HighNeedsCore
import Testing

/// The outturn measures keep the names outturn files use (and `outturn.csv` writes), in the
/// order an unknown measure's message lists them, each with its unit.
@Suite struct OutturnMeasureTests {
  @Test func namesAndUnitsAreTheFiles() {
    #expect(
      OutturnValue.Measure.allCases.map { "\($0.rawValue) \($0.unit)" } == [
        "total_plans plans", "share_mainstream fraction", "share_in_borough fraction",
        "share_independent_special fraction", "dsg_closing_balance_gbp gbp",
      ])
  }
}
