import Foundation

/// A pooled forecast of an LA's total turned into a scenario's incidence trend, year by year,
/// through the stock-flow identity: what `hnb init` writes in a generated scenario and `hnb fit
/// --panel --scenario` writes for a given one (docs/CALIBRATION.md, "The forecast as a scenario's
/// trend").
public struct GrowthSeries: Sendable {
  /// The trend fraction of each projected census year (`incidence_trend_fraction_per_year`).
  public var trend: [Double]
  /// The forecast total path `P̂_t`, `t = 1…H` (empty without a forecast).
  public var path: [Double]
  /// The model's total with the trend, `t = 1…H`.
  public var model: [Double]
  /// Plans of the base stock still held at `t` (`K_t`) and of the new plans since the base
  /// (`C_t`), so that the total is `K_t + v · C_t` when every new plan is scaled by `v`.
  public var kept: [Double]
  public var arrived: [Double]
  /// The sweep's `incidence_factor` (drawn once): a lognormal's median and `sd_log`, nil
  /// without an interval.
  public var factor: (median: Double, sdLog: Double)?
  /// The census years whose trend was held inside the bounds (so the model's total leaves the path).
  public var clamped: [Int]
  /// The key the trend is written as: `incidenceTrendKey`, or `requestTrendKey` for a pipeline.
  public var trendKey = GrowthSeries.incidenceTrendKey

  /// The trend a year may take: a fall of half, a doubling.
  public static let trendBounds = -0.5...1.0
  /// The lowest incidence the trend may reach, as a multiple of the base year's: a forecast
  /// total falling faster than plans leave (a census that lost most of an LA's plans) would
  /// otherwise halve new plans every year.
  public static let lowestLevel = 0.5
  /// `Φ⁻¹(0.9)`, for a p10–p90 as a normal's.
  public static let z90 = 1.2815515655446004
  /// A normal's or lognormal's truncation point (`docs/SCENARIO.md`, "Truncation"), rounded up.
  public static let truncationZ = 7.0345

  /// The model's total plans at each projected census, `t = 1…H`, from the base stock by age
  /// (0–25), with cessation by age (0–24; every plan ends at 25), and `arrivals(t, kept)` new
  /// plans by age at census `t`: exactly the model's total when cessation is the same in every
  /// placement, since moves and overflow keep plans.
  public static func totals(
    stock start: [Double], cessation: [Double], years: Int, arrivals: (Int, Double) -> [Double]
  ) -> (total: [Double], keptOfBase: [Double]) {
    var stock = start
    var base = start
    var total: [Double] = []
    var keptOfBase: [Double] = []
    for t in 1...years {
      var next = [Double](repeating: 0, count: 26)
      var nextBase = [Double](repeating: 0, count: 26)
      for a in 0..<25 {
        next[a + 1] = stock[a] * (1 - cessation[a])
        nextBase[a + 1] = base[a] * (1 - cessation[a])
      }
      let kept = next.reduce(0, +)
      let new = arrivals(t, kept)
      for a in 0..<26 { next[a] += new[a] }
      stock = next
      base = nextBase
      total.append(stock.reduce(0, +))
      keptOfBase.append(base.reduce(0, +))
    }
    return (total, keptOfBase)
  }

  /// New plans held at the base incidence (`trend` all 0), without a forecast.
  public static func flat(stock: [Double], cessation: [Double], years: Int, base: (Int) -> [Double]) -> GrowthSeries {
    let flat = totals(stock: stock, cessation: cessation, years: years) { t, _ in base(t) }
    return GrowthSeries(
      trend: Array(repeating: 0, count: years), path: [], model: flat.total, kept: flat.keptOfBase,
      arrived: zip(flat.total, flat.keptOfBase).map { $0 - $1 }, factor: nil, clamped: [])
  }

  /// The incidence trend that makes the model's total follow `forecast`.
  ///
  /// At each census `t` the new plans `N_t = P̂_t − K_t` (the forecast less the plans kept from
  /// the year before, after cessation by age) over the new plans at the base incidence `B_t`
  /// (`base(t)`, by age) give the multiplier `m_t = N_t / B_t` and the trend
  /// `m_t / m_{t−1} − 1` (rounded to 6 decimals as written), held inside `trendBounds`,
  /// `m_t ≥ lowestLevel` and so that no rate passes 0.5 (`highestRate`: the highest base
  /// incidence). The interval: every new plan scaled by one lognormal draw `v`, so the total at
  /// `h` is `K_h + v · C_h`; `v`'s p10 and p90 are the means on the log scale of those that give
  /// the pooled p10 and p90 at each horizon the forecast has them.
  public static func make(
    forecast: PooledForecast, stock: [Double], cessation: [Double], years horizon: Int, census: Int,
    highestRate: Double, base: (Int) -> [Double]
  ) -> GrowthSeries {
    make(
      forecast: forecast, stock: stock, cessation: cessation, years: horizon, census: census,
      highestRate: highestRate
    ) { t in (base(t), []) }
  }

  /// The trend that makes the model's total follow `forecast` when the new plans at census `t`
  /// are `current · m_t + carried · m_{t−1}` by age (`arrivals(t)`): a pipeline whose share `λ`
  /// of a year's plans starts after the census carries the year before's multiplier.
  ///
  /// `m_t = (P̂_t − K_t) / (Σ current + Σ carried)`: the multiplier that gives the new plans
  /// wanted were the year before's the same, so the total follows the forecast to within the
  /// change in `m` times the plans carried (exactly with nothing carried, which is `make(…base:)`);
  /// the rest as `make(…base:)`.
  public static func make(
    forecast: PooledForecast, stock: [Double], cessation: [Double], years horizon: Int, census: Int,
    highestRate: Double, arrivals: (Int) -> (current: [Double], carried: [Double])
  ) -> GrowthSeries {
    let path = (1...horizon).map { exp(forecast.logForecast(horizon: $0)) }
    var multiplier = 1.0
    var trend: [Double] = []
    var clamped: [Int] = []
    let run = totals(stock: stock, cessation: cessation, years: horizon) { t, kept in
      let (b, carried) = arrivals(t)
      let previous = multiplier
      let needed = b.reduce(0, +)
      // With plans carried from the year before, the year's multiplier is the one that would
      // give the new plans wanted were the year before's the same (`carried` scaled by `m_t`
      // too): solving exactly for `m_t` against `m_{t−1}` swings, and diverges once `λ`
      // approaches a half (docs/CALIBRATION.md).
      let steady = needed + (carried.isEmpty ? 0 : carried.reduce(0, +))
      let wanted = steady > 0 ? (path[t - 1] - kept) / steady : multiplier
      var g = wanted / multiplier - 1
      var upper = trendBounds.upperBound
      if highestRate > 0 { upper = min(upper, 0.5 / (highestRate * multiplier) - 1) }
      let lower = max(trendBounds.lowerBound, lowestLevel / multiplier - 1)
      if !g.isFinite || g < lower || g > upper {
        g = g.isFinite ? min(max(g, lower), upper) : 0
        clamped.append(census + t)
      }
      g = Double(NumberFormat.trimmed(g, places: 6)) ?? g
      trend.append(g)
      multiplier *= 1 + g
      if carried.isEmpty { return b.map { $0 * multiplier } }
      return zip(b, carried).map { $0 * multiplier + $1 * previous }
    }
    let arrived = zip(run.total, run.keptOfBase).map { $0 - $1 }
    var lows: [Double] = []
    var highs: [Double] = []
    for f in forecast.forecasts where f.horizon <= horizon {
      let h = f.horizon - 1
      guard let p10 = f.p10, let p90 = f.p90, arrived[h] > 0 else { continue }
      let low = (p10 - run.keptOfBase[h]) / arrived[h]
      let high = (p90 - run.keptOfBase[h]) / arrived[h]
      if low > 0 { lows.append(Foundation.log(low)) }
      if high > 0 { highs.append(Foundation.log(high)) }
    }
    var factor: (median: Double, sdLog: Double)?
    if !lows.isEmpty, !highs.isEmpty {
      let lo = lows.reduce(0, +) / Double(lows.count)
      let hi = highs.reduce(0, +) / Double(highs.count)
      let mu = (lo + hi) / 2
      var sd = max(0, (hi - lo) / (2 * z90))
      // Every drawn incidence must stay a rate: exp(μ + 7.03 σ) · the highest rate ≤ 1.
      let rate = highestRate * (trend.reduce(into: [1.0]) { $0.append(($0.last ?? 1) * (1 + $1)) }.max() ?? 1)
      if rate > 0 { sd = min(sd, 0.999 * (-Foundation.log(rate) - mu) / truncationZ) }
      let median = Double(NumberFormat.trimmed(exp(mu), places: 6)) ?? exp(mu)
      sd = max(0, floor(sd * 1e6) / 1e6)
      factor = (median, sd)
    }
    return GrowthSeries(
      trend: trend, path: path, model: run.total, kept: run.keptOfBase, arrived: arrived, factor: factor,
      clamped: clamped)
  }

  /// The sweep's p10 and p90 of the total at horizon `h` (1-based) under `factor`.
  public func sweepInterval(horizon h: Int) -> (p10: Double, p90: Double)? {
    guard let f = factor, h >= 1, h <= kept.count else { return nil }
    let mu = Foundation.log(f.median)
    return (
      kept[h - 1] + exp(mu - GrowthSeries.z90 * f.sdLog) * arrived[h - 1],
      kept[h - 1] + exp(mu + GrowthSeries.z90 * f.sdLog) * arrived[h - 1]
    )
  }
}

extension GrowthSeries {
  /// The key of the incidence trend, which `make` fits unless told otherwise.
  public static let incidenceTrendKey = "caseload.incidence_trend_fraction_per_year"
  /// The key of the pipeline's request trend.
  public static let requestTrendKey = "caseload.pipeline.requests_trend_fraction_per_year"

  /// The series that makes `scenario`'s total follow `forecast` (`hnb fit --panel --scenario`).
  ///
  /// Its base stock by age, its cessation by age, and its new plans as written without its own
  /// trend: `population × incidence` year by year, or, when new plans come from the assessment
  /// pipeline, the plans it starts with its request trend left out, so that the series is the
  /// request trend (`caseload.pipeline.requests_trend_fraction_per_year`). An error names the key
  /// at its place in `tree` (the scenario's merged YAML, from its `ScenarioSource`; else `file`)
  /// when the scenario starts from another census than the forecast's origin, gives the rates the
  /// trend would scale for every census year (a trend cannot apply), starts every pipeline plan
  /// after the census (`lag_share` 1: a year's requests never reach its own census), or has
  /// cessation that differs by placement at an age (its total then depends on the placements,
  /// which the identity of the total by age does not follow).
  public static func forScenario(
    _ forecast: PooledForecast, scenario: Scenario, tree: YAMLTree, file: String
  ) throws -> GrowthSeries {
    func location(_ key: String) -> SourceLocation { tree.entry(at: key)?.keyLocation ?? SourceLocation(file: file) }
    guard scenario.baseCensusYear == forecast.origin else {
      throw InputError(
        location("time.base_census_year"), key: "time.base_census_year",
        expected: "the census of the --history's last fitted year, \(forecast.origin) (the pooled forecast's origin)",
        found: "\(scenario.baseCensusYear)")
    }
    let caseload = scenario.inputs.caseload
    let scaled =
      caseload.pipeline.map { ($0.requests, "caseload.pipeline.requests", "request rates") }
      ?? caseload.incidence.map { ($0, "caseload.incidence", "incidence") }
    guard let (rates, key, what) = scaled else {
      throw InputError(
        location("caseload"), key: "caseload", expected: "new plans from caseload.incidence or caseload.pipeline",
        found: "neither")
    }
    if rates.byYear {
      throw InputError(
        location(key), key: key,
        expected: "\(what) as one age profile (age,\(rates.column)) that the fitted trend grows",
        found: "\(rates.file) giving every census year")
    }
    if let lag = caseload.pipeline?.lagShare, lag.value >= 1 {
      throw InputError(
        location("caseload.pipeline.lag_share"), key: "caseload.pipeline.lag_share",
        expected:
          "a lag share below 1 (with every plan starting after the census, a year's requests never reach that year's census)",
        found: NumberFormat.trimmed(lag.value))
    }
    let ages = AgeAxis.maxAge + 1
    for a in 0..<(ages - 1) {
      let rates = scenario.cessationRate[a]
      if let low = rates.min(), let high = rates.max(), high - low > 1e-12 {
        throw InputError(
          location("caseload.cessation"), key: "caseload.cessation",
          expected: "cessation the same in every placement at each age (the stock-flow identity of the total by age)",
          found: "rates from \(NumberFormat.fraction(low)) to \(NumberFormat.fraction(high)) at age \(a)")
      }
    }
    var flatInputs = scenario.inputs
    flatInputs.caseload.incidence?.growth = nil
    flatInputs.caseload.pipeline?.requests.growth = nil
    let flat = try ScenarioResolver.resolve(flatInputs)
    let cells = scenario.baselinePlans.count / ages
    let stock = (0..<ages).map { a in scenario.baselinePlans[(a * cells)..<((a + 1) * cells)].reduce(0, +) }
    let cessation = (0..<(ages - 1)).map { scenario.cessationRate[$0].first ?? 0 }
    guard let pipeline = flat.pipeline else {
      let highestRate = flat.incidenceRate.flatMap { $0 }.max() ?? 0
      return make(
        forecast: forecast, stock: stock, cessation: cessation, years: scenario.horizonYears,
        census: scenario.baseCensusYear, highestRate: highestRate
      ) { t in (0..<ages).map { flat.population[t - 1][$0] * flat.incidenceRate[t - 1][$0] } }
    }
    // The plans a year's requests end in, by age (`AssessmentPipeline.flows` without levers):
    // `(1 − λ)` of them start before the census, `λ` a year older after it; the year before the
    // first had the first year's (a steady start), so its carried share moves with `m_1`.
    let toPlans = pipeline.assessmentsToPlans(population: flat.population)
    let lag = pipeline.lagShare
    func shifted(_ year: [Double]) -> [Double] { [0] + year.dropLast().map { lag * $0 } }
    var series = make(
      forecast: forecast, stock: stock, cessation: cessation, years: scenario.horizonYears,
      census: scenario.baseCensusYear, highestRate: pipeline.requestRate.flatMap { $0 }.max() ?? 0
    ) { t in
      let current = toPlans[t - 1].map { (1 - lag) * $0 }
      if t == 1 { return (zip(current, shifted(toPlans[0])).map { $0 + $1 }, []) }
      return (current, shifted(toPlans[t - 2]))
    }
    series.trendKey = requestTrendKey
    return series
  }

}
