import Foundation

/// Incidence and cessation by age band, estimated from an aggregate history and the population
/// as a constrained least-squares problem.
///
/// For each age band `b` (width `w_b` single ages) and each pair of fitted consecutive censuses
/// `t → t+1`, the stock-flow identity is
/// `S(t+1, b) = aged(t, b) · (1 − cessationRate[b]) + P(t+1, b) · incidence(b, t+1)`, where
/// `aged(t, b) = S(t, b) · (1 − 1/w_b) + S(t, b−1) / w_{b−1}` (plans spread evenly over the
/// band's ages, so `1/w` of a band ages into the next one each year; the oldest band's `1/w`
/// passes 25 and leaves), `P` is the population of the band's ages, and
/// `incidence(b, Y) = incidenceRate[b] + incidenceTrend[b] · (Y − lastYear)`, a straight-line
/// trend over the years given whose value at the last fitted census is `incidenceRate[b]`.
/// With a totals-only history the whole 0–25 range is one band with no ageing, so its
/// cessation includes passing 25.
///
/// The identity is linear in `(cessationRate[b], incidenceRate[b], incidenceTrend[b])`; each
/// band is fitted by least squares on plan counts subject to `0 ≤ cessationRate ≤ 1` and
/// `0 ≤ incidence(b, Y) ≤ 1` at the first and last target years (so at every year between),
/// with `ConstrainedLeastSquares` (LAPACK `dgglse`/`dgels`). With fewer than
/// `minimumTransitionsForTrend` transitions no trend is fitted.
///
/// Where the history gives placements, `placementMix` is the share of plans in each placement:
/// the least-squares fit of one mix to the shares of every fitted year, on the simplex
/// (`Σ share = 1`, `share ≥ 0`).
public struct AggregateFit: Sendable {
  /// One age band's estimates.
  public struct Band: Sendable, Equatable {
    /// `under 5`, `5-10`, …, or `0-25` for a totals-only history.
    public var label: String
    /// Single ages in the band.
    public var ages: ClosedRange<Int>
    /// Plans ceasing a year per plan, before ageing past 25 (fraction).
    public var cessationRate: Double
    /// New plans a year per resident at the last fitted census (fraction).
    public var incidenceRate: Double
    /// Change in `incidenceRate` per year (fraction per year).
    public var incidenceTrend: Double
    /// Root mean square of `S(t+1) − fitted` over the transitions (plans).
    public var residualRMS: Double
    /// Residents of the band's ages at the last fitted census.
    public var population: Double
  }

  /// One fitted census: actual and one-step fitted plans for a band.
  public struct Reproduction: Sendable, Equatable {
    public var year: Int
    public var band: String
    public var actual: Double
    public var fitted: Double
  }

  /// Census years whose plans were reproduced (the later census of each fitted transition).
  public var years: [Int]
  /// The last fitted census year (`incidenceRate` applies there).
  public var lastYear: Int
  public var bands: [Band]
  /// `(placement id, share)`, when the history gives placements.
  public var placementMix: [(id: String, share: Double)]
  /// Actual and fitted plans for every band and fitted year.
  public var reproduction: [Reproduction]
  /// Whether a trend in incidence was fitted.
  public var trendFitted: Bool

  /// Fewest transitions for a trend in incidence to be fitted.
  public static let minimumTransitionsForTrend = 3

  /// Fits `history` with `population`, leaving out `excluded` census years (a transition is
  /// used only when both of its censuses are kept).
  public static func fit(
    history: AggregateHistory, population: PopulationTable, excluded: Set<Int> = []
  ) throws -> AggregateFit {
    let series: [PlanSeries]
    let bandAges: [(label: String, ages: ClosedRange<Int>)]
    if history.ageBands.isEmpty {
      series = [history.total]
      bandAges = [("0-25", 0...AgeAxis.maxAge)]
    } else {
      series = history.ageBands
      bandAges = history.ageBands.map { s in
        let label = String(s.level.dropFirst("age:".count))
        return AggregateHistory.ageBands.first { $0.label == label } ?? (label, 0...AgeAxis.maxAge)
      }
    }
    let ageing = bandAges.count > 1
    // A pair is used when both censuses are kept and every band has rows in both.
    let years = history.total.years
    let pairs = years.dropLast().filter { t in
      [t, t + 1].allSatisfy { year in !excluded.contains(year) && series.allSatisfy { $0.plans(at: year) != nil } }
    }
    guard pairs.count >= 2, let lastTarget = pairs.last.map({ $0 + 1 }), let firstTarget = pairs.first.map({ $0 + 1 })
    else {
      throw InputError(
        SourceLocation(file: history.file),
        expected: "at least two pairs of consecutive fitted census years with rows for every age band",
        found: "\(pairs.count)")
    }
    func populationOf(_ band: Int, _ year: Int) throws -> Double {
      var total = 0.0
      for age in bandAges[band].ages {
        guard let p = population.population(year: year, age: age) else {
          throw InputError(
            SourceLocation(file: "--population"), expected: "the population at every age 0–25 in census year \(year)",
            found: "none for age \(age)")
        }
        total += p
      }
      return total
    }
    let withTrend = pairs.count >= minimumTransitionsForTrend
    var bands: [Band] = []
    var reproduction: [Reproduction] = []
    for b in series.indices {
      let width = Double(bandAges[b].ages.count)
      var design: [[Double]] = []
      var target: [Double] = []
      var aged: [Double] = []
      var populations: [Double] = []
      for t in pairs {
        let plans = { (band: Int, year: Int) in series[band].plans(at: year) ?? 0 }
        var stock = plans(b, t) * (ageing ? 1 - 1 / width : 1)
        if ageing && b > 0 { stock += plans(b - 1, t) / Double(bandAges[b - 1].ages.count) }
        let pop = try populationOf(b, t + 1)
        // Population is incidence's denominator: none at ages that hold plans is impossible,
        // and would fit incidence 0 without a word.
        if pop == 0 && plans(b, t + 1) > 0 {
          throw InputError(
            SourceLocation(file: "--population"),
            expected:
              "residents at ages \(bandAges[b].label) in census year \(t + 1) (the history has "
              + "\(format(plans(b, t + 1))) plans there)",
            found: "0 at every one of those ages")
        }
        aged.append(stock)
        populations.append(pop)
        var row = [-stock, pop]
        if withTrend { row.append(pop * Double(t + 1 - lastTarget)) }
        design.append(row)
        target.append(plans(b, t + 1) - stock)
      }
      var problem = ConstrainedLeastSquares(design: design, target: target)
      let n = withTrend ? 3 : 2
      func unit(_ j: Int, _ sign: Double) -> [Double] { (0..<n).map { $0 == j ? sign : 0 } }
      problem.inequalities = [(unit(0, -1), 0), (unit(0, 1), 1)]
      for year in Set([firstTarget, lastTarget]).sorted() {
        var row = unit(1, 1)
        if withTrend { row[2] = Double(year - lastTarget) }
        problem.inequalities.append((row.map { -$0 }, 0))
        problem.inequalities.append((row, 1))
      }
      let (x, rss) = try problem.solve()
      let trend = withTrend ? x[2] : 0
      bands.append(
        Band(
          label: bandAges[b].label, ages: bandAges[b].ages, cessationRate: x[0], incidenceRate: x[1],
          incidenceTrend: trend, residualRMS: (rss / Double(pairs.count)).squareRoot(),
          population: populations.last ?? 0))
      for (k, t) in pairs.enumerated() {
        let incidence = x[1] + trend * Double(t + 1 - lastTarget)
        reproduction.append(
          Reproduction(
            year: t + 1, band: bandAges[b].label, actual: target[k] + aged[k],
            fitted: aged[k] * (1 - x[0]) + populations[k] * incidence))
      }
    }
    return AggregateFit(
      years: pairs.map { $0 + 1 }, lastYear: lastTarget, bands: bands,
      placementMix: try placementMix(history, excluded: excluded), reproduction: reproduction, trendFitted: withTrend)
  }

  /// The least-squares placement mix on the simplex (see the type's documentation).
  static func placementMix(_ history: AggregateHistory, excluded: Set<Int>) throws -> [(id: String, share: Double)] {
    let places = history.placements
    guard !places.isEmpty else { return [] }
    let ids = places.map { String($0.level.dropFirst("placement:".count)) }
    let P = places.count
    var design: [[Double]] = []
    var target: [Double] = []
    for year in history.total.years where !excluded.contains(year) {
      // Only years that give every placement: a share needs the whole of its year.
      let plans = places.compactMap { $0.plans(at: year) }
      let total = plans.reduce(0, +)
      guard plans.count == P, total > 0 else { continue }
      for p in 0..<P {
        design.append((0..<P).map { $0 == p ? 1 : 0 })
        target.append(plans[p] / total)
      }
    }
    guard !design.isEmpty else { return [] }
    if P > ConstrainedLeastSquares.maximumInequalities {
      // The unconstrained minimiser (the mean share) already lies on the simplex.
      let years = Double(design.count / P)
      return (0..<P).map { p in
        (ids[p], stride(from: p, to: target.count, by: P).map { target[$0] }.reduce(0, +) / years)
      }
    }
    var problem = ConstrainedLeastSquares(design: design, target: target)
    problem.equalities = [(Array(repeating: 1, count: P), 1)]
    problem.inequalities = (0..<P).map { p in ((0..<P).map { $0 == p ? -1 : 0 }, 0) }
    let x = try problem.solve().x
    return (0..<P).map { (ids[$0], max(0, x[$0])) }
  }

  /// Incidence at census `year` for band `b` (the fitted straight line, kept within [0, 1]).
  public func incidence(band b: Int, year: Int) -> Double {
    min(1, max(0, bands[b].incidenceRate + bands[b].incidenceTrend * Double(year - lastYear)))
  }

  /// The relative change a year of new plans at the last fitted census:
  /// `Σ_b P_b · trend_b / Σ_b P_b · rate_b` (fraction per year; 0 without a trend).
  ///
  /// A scenario's `incidence_trend_fraction_per_year` is one such fraction for every age.
  public var incidenceTrendFraction: Double {
    let plans = bands.map { $0.population * $0.incidenceRate }.reduce(0, +)
    return plans > 0 ? bands.map { $0.population * $0.incidenceTrend }.reduce(0, +) / plans : 0
  }
}
