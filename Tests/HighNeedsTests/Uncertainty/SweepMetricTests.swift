import HighNeedsCore
import Testing

@Suite struct SweepMetricTests {
  /// The names and their order are the columns of every sweep output: they must not move.
  @Test func namesAreTheOutputsInOutputOrder() {
    #expect(
      SweepMetric.ordered.map(\.rawValue)
        == ["total_plans"] + PlacementGroup.allCases.map { "plans_" + $0.rawValue } + [
          "expenditure", "income", "in_year_balance", "cumulative_balance", "deficit_percent_of_dsg",
        ])
    #expect(SweepMetric.ordered.map(\.index) == Array(0..<SweepMetric.ordered.count))
    #expect(SweepMetric.names.hasPrefix("total_plans, plans_mainstream, "))
    #expect("\(SweepMetric.cumulativeBalance)" == "cumulative_balance")
  }

  @Test func plansMetricsFollowThePlacementGroups() {
    #expect(PlacementGroup.allCases.map { SweepMetric.plans($0).index } == Array(1...PlacementGroup.allCases.count))
    #expect(SweepMetric.ordered.filter(\.isPlans) == [.totalPlans] + PlacementGroup.allCases.map(SweepMetric.plans))
  }
}
