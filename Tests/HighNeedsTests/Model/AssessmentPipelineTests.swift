import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The assessment pipeline: requests → refusals → assessments → plans, with a lag across the
/// census, feeding new plans; and its levers.
struct AssessmentPipelineTests {
  /// A pipeline whose rates multiply to the scenario's incidence (refusal 0.25, conversion 0.8,
  /// so `requestRate = incidence / 0.6`), with `lagShare`.
  static func pipeline(for s: Scenario, lagShare: Double) -> AssessmentPipeline {
    let H = s.horizonYears
    let A = AgeAxis.count
    return AssessmentPipeline(
      requestRate: s.incidenceRate.map { $0.map { $0 / 0.6 } },
      refusalRate: Array(repeating: Array(repeating: 0.25, count: A), count: H),
      conversionRate: Array(repeating: Array(repeating: 0.8, count: A), count: H), lagShare: lagShare)
  }

  static func mitigation(_ id: String, _ lever: Mitigation.Lever, start: Int, ages: ClosedRange<Int> = 0...25)
    -> Mitigation
  {
    Mitigation(id: id, label: id, lever: lever, startAcademicYear: start, rampYears: 2, ages: ages, source: "test")
  }

  @Test func withoutALagARatesProductEqualToIncidenceGivesTheSameRun() throws {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    let plain = try ScenarioRun.run(s)
    s.pipeline = Self.pipeline(for: s, lagShare: 0)
    let piped = try ScenarioRun.run(s)
    for t in 0..<s.horizonYears {
      for a in 0..<AgeAxis.count {
        let x = piped.parameters.pipeline[t][a]
        #expect(abs(x.requests - x.refusals - x.assessments) <= 1e-9 * max(1, x.requests))
        #expect(abs(plain.parameters.newPlanCount[t][a] - piped.parameters.newPlanCount[t][a]) < 1e-9)
      }
    }
    #expect(abs(piped.reserve.last!.closing - plain.reserve.last!.closing) < 1e-3)
  }

  @Test func aLagMovesPlansOneYearOlderAndLosesNone() throws {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    s.pipeline = Self.pipeline(for: s, lagShare: 0.3)
    let flows = try #require(s.pipeline).flows(
      population: s.population,
      factors: Array(repeating: PipelineLeverFactors(ages: AgeAxis.count), count: s.horizonYears))
    for t in 1..<s.horizonYears {
      // Plans started this year = 70% of this year's to-plans + 30% of last year's, a year younger.
      for a in 1..<AgeAxis.count {
        let expected = 0.7 * flows[t][a].assessmentsToPlans + 0.3 * flows[t - 1][a - 1].assessmentsToPlans
        #expect(abs(flows[t][a].plansStarted - expected) < 1e-9)
      }
      // Over the ages, the plans started are this year's 70% and last year's 30%, except what
      // would start at 26.
      let started = flows[t].reduce(0) { $0 + $1.plansStarted }
      let lastYear = flows[t - 1].dropLast().reduce(0) { $0 + $1.assessmentsToPlans }
      let thisYear = flows[t].reduce(0) { $0 + $1.assessmentsToPlans }
      #expect(abs(started - (0.7 * thisYear + 0.3 * lastYear)) < 1e-9)
    }
  }

  @Test func theLeversScaleRequestsRefusalsAndConversionWithTheirRamp() throws {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    s.pipeline = Self.pipeline(for: s, lagShare: 0)
    s.mitigations = [
      Self.mitigation("surge", .scaleRequests(factor: 1.3), start: 2026),
      Self.mitigation("gate", .scaleRefusals(factor: 2), start: 2026, ages: 5...10),
      Self.mitigation("convert", .scaleConversion(factor: 2), start: 2027),
    ]
    let none = ModelParameters(scenario: s, mitigationMask: 0)
    let all = ModelParameters(scenario: s, mitigationMask: 7)
    // The academic year 2025/26 (t = 1) has no effect; 2026/27 (t = 2) half of the first two.
    #expect(all.pipeline[0] == none.pipeline[0])
    let a = 7
    let x0 = none.pipeline[1][a]
    let x = all.pipeline[1][a]
    #expect(abs(x.requests - 1.15 * x0.requests) < 1e-9)
    #expect(abs(x.refusals / x.requests - 0.25 * 1.5) < 1e-12)
    #expect(abs(x.assessmentsToPlans / x.assessments - 0.8) < 1e-12)
    // From 2027/28 conversion is 0.8 · 1.5, and from 2028/29 capped at 1.
    #expect(abs(all.pipeline[2][a].assessmentsToPlans / all.pipeline[2][a].assessments - 1) < 1e-12)
    #expect(abs(all.pipeline[3][a].assessmentsToPlans / all.pipeline[3][a].assessments - 1) < 1e-12)
    // Ages the refusal lever does not name keep their refusal rate.
    #expect(abs(all.pipeline[3][12].refusals / all.pipeline[3][12].requests - 0.25) < 1e-12)
  }

  @Test func theIntegrityChecksCatchAPipelineThatDoesNotAddUp() throws {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/baseline.yaml")
    s.pipeline = Self.pipeline(for: s, lagShare: 0.2)
    var result = try ScenarioRun.run(s)
    #expect(IntegrityChecks.failures(result).isEmpty)
    result.parameters.pipeline[2][9].refusals += 1
    result.parameters.pipeline[3][10].assessmentsToPlans = result.parameters.pipeline[3][10].assessments + 1
    let failures = IntegrityChecks.failures(result)
    #expect(failures.count == 2, "\(failures)")
    #expect(failures.contains { $0.contains("2028 age 9") && $0.contains("≠ requests") })
    #expect(failures.contains { $0.contains("2029 age 10") && $0.contains("end in a plan") })
  }
}
