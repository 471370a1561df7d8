import Foundation

/// The flow before new plans: requests for an EHC needs assessment, the share refused, the
/// assessments, and the share that end in a plan, some of them after the next census.
///
/// With a pipeline, new plans at each age are the plans it starts instead of `population ×
/// incidence` (see `docs/MODEL.md`, "The assessment pipeline"). Indices: `[t-1][age]` for the
/// year to census `t = 1…H`, ages at the census.
public struct AssessmentPipeline: Sendable, Equatable {
  /// `requestRate[t-1][age]`: requests in the year to census `t` per resident (fraction), any
  /// trend applied.
  public var requestRate: [[Double]]
  /// `refusalRate[t-1][age]`: the share of requests refused (fraction).
  public var refusalRate: [[Double]]
  /// `conversionRate[t-1][age]`: the share of assessments that end in a plan (fraction).
  public var conversionRate: [[Double]]
  /// The share of plans from a year's assessments that start after the next census, a year
  /// older (fraction; the 20-week limit crossing the census).
  public var lagShare: Double

  public init(requestRate: [[Double]], refusalRate: [[Double]], conversionRate: [[Double]], lagShare: Double) {
    self.requestRate = requestRate
    self.refusalRate = refusalRate
    self.conversionRate = conversionRate
    self.lagShare = lagShare
  }
}

/// One year's pipeline at one age (counts).
public struct PipelineFlows: Sendable, Equatable {
  public var requests = 0.0
  public var refusals = 0.0
  public var assessments = 0.0
  /// Assessments that end in a plan, whenever the plan starts.
  public var assessmentsToPlans = 0.0
  /// Plans started before the census: `(1 − lagShare)` of this year's assessments to plans at
  /// this age, plus `lagShare` of last year's at the age below.
  public var plansStarted = 0.0
}

/// The lever factors of one year on the pipeline's rates (1 = no change).
struct PipelineLeverFactors {
  var requests: [Double]
  var refusals: [Double]
  var conversion: [Double]

  init(ages: Int) {
    requests = Array(repeating: 1, count: ages)
    refusals = requests
    conversion = requests
  }
}

extension AssessmentPipeline {
  /// The pipeline's flows for each year to census `t = 1…H` with the lever factors of each year.
  ///
  /// `requests = population · requestRate · fR`, `refusals = requests · min(1, refusalRate ·
  /// fF)`, `assessments = requests − refusals`, `toPlans = assessments · min(1, conversionRate ·
  /// fC)`; `plansStarted[t][a] = (1 − λ) · toPlans[t][a] + λ · toPlans[t−1][a−1]`. The year
  /// before the first (`t = 0`) is taken to have had the first year's assessments (a steady
  /// start, without levers), so the first year's lagged plans are not lost.
  func flows(population: [[Double]], factors: [PipelineLeverFactors]) -> [[PipelineFlows]] {
    let H = requestRate.count
    let A = AgeAxis.count
    func year(_ t: Int, _ f: PipelineLeverFactors) -> [PipelineFlows] {
      (0..<A).map { a in
        var x = PipelineFlows()
        x.requests = population[t][a] * requestRate[t][a] * f.requests[a]
        x.refusals = x.requests * min(1, refusalRate[t][a] * f.refusals[a])
        x.assessments = x.requests - x.refusals
        x.assessmentsToPlans = x.assessments * min(1, conversionRate[t][a] * f.conversion[a])
        return x
      }
    }
    guard H > 0 else { return [] }
    var previous = year(0, PipelineLeverFactors(ages: A))
    var result: [[PipelineFlows]] = []
    for t in 0..<H {
      var current = year(t, factors[t])
      for a in 0..<A {
        let carried = a == 0 ? 0 : previous[a - 1].assessmentsToPlans
        current[a].plansStarted = (1 - lagShare) * current[a].assessmentsToPlans + lagShare * carried
      }
      result.append(current)
      previous = current
    }
    return result
  }
}
