import Foundation

extension AssessmentPipeline {
  /// The assessments that end in a plan, `toPlans[t-1][age]`, for each year to census
  /// `t = 1…H` without levers (`flows` with every factor 1): what a fitted request trend scales.
  package func assessmentsToPlans(population: [[Double]]) -> [[Double]] {
    let none = Array(repeating: PipelineLeverFactors(ages: AgeAxis.count), count: requestRate.count)
    return flows(population: population, factors: none).map { $0.map(\.assessmentsToPlans) }
  }
}
