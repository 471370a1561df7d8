import Foundation
import Testing
import TestSupport

@testable import HighNeeds

/// What `hnb bench --vs-numpy` hands the numpy reference and reads back from the sweep.
@Suite struct BenchmarkVsNumpyTests {
  @Test func modelInputsAreTheScenarioInHnbLayouts() throws {
    let s = try ScenarioLoader.load(path: BatchProjectionTests.repository("Scenarios/sutton/sweep/baseline.yaml"))
    let inputs = try Benchmark.modelInputs(s)
    #expect(JSONSerialization.isValidJSONObject(inputs))
    let (A, P, N, H) = (AgeAxis.count, s.placementCount, s.needCount, s.horizonYears)
    #expect((inputs["baseline_plans"] as? [Double])?.count == A * N * P)
    #expect((inputs["new_plan_mix"] as? [Double])?.count == A * N * P)
    #expect((inputs["transition"] as? [Double])?.count == (A - 1) * P * P)
    #expect((inputs["population"] as? [[Double]])?.count == H)
    #expect((inputs["commissioned_places"] as? [[Double]])?.count == H + 1)
    let check = try #require(inputs["check"] as? [String: [Double]])
    let run = try ScenarioRun.run(s)
    #expect(check["total_plans"]?.count == H + 1)
    #expect(check["closing"] == run.reserve.map(\.closing))
    #expect(check["expenditure"] == run.accounts.map(\.expenditure))
    let uncertainty = try #require(inputs["uncertainty"] as? [String: Any])
    #expect((uncertainty["inputs"] as? [[String: Any]])?.count == s.uncertainty.inputs.count)
  }

  @Test func sweepClosingReadsTheLastYearsRow() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("percentiles-\(UUID()).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    try """
    metric,scenario,year,mean,sd,p5,p10,p25,p50,p75,p90,p95
    cumulative_balance,s,2025-26,-1,1,-2,-3,-4,-5,-6,-7,-8
    cumulative_balance,s,2034-35,-299677731.97,37335710.67,-362076470.52,-347200862.35,-324798560.90,-299819819.96,-273571525.60,-251279907.17,-238966631.80

    """.write(to: file, atomically: true, encoding: .utf8)
    #expect(
      Benchmark.sweepClosing(file.path) == [
        "hnb sweep:       closing balance 2034-35  p10 -347.20m, p50 -299.82m, p90 -251.28m gbp (mean -299.68m, sd 37.34m)"
      ])
    #expect(Benchmark.sweepClosing(file.path + ".missing") == [])
  }
}
