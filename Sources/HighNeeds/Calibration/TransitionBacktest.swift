import Foundation

/// A rolling-origin backtest of the child-level transition model on held-out years of a
/// transitions file, beside the naive baselines.
///
/// The stock of census `Y`, `stockAt(Y)[a·P + q]`, is read from the rows of calendar year
/// `Y − 1` (state 2 at census `Y`): the continuing children found at age `a`, placement `q`,
/// plus the joiners there. For each origin `O`, `TransitionFit` is fitted on the calendar years
/// `≤ O − 1` only (every state-2 census `≤ O`), and the census-`O` stock is projected with
///
/// `next[(a+1)·P + q] = Σ_p stock[a·P + p] · (1 − cessationRate[a][p]) · transition[a][p·P + q]`
/// (ages 0–24; the children of age 25 leave) plus `joinersAt(Y)[a·P + q]`, where joiners are
/// `incidenceRate[a] · exp(incidenceTrendLog · (Y − O)) · population(Y, a) · Σ_n newPlanMix[a][n·P + q]`
/// with a population (the trend only when the fit kept one), and otherwise the mean joiners
/// per year of the fit window at each age and placement.
///
/// The p10–p90 interval comes from `draws` simulations, each with rates drawn from the fit's
/// posterior (`Beta(cessationAlpha, cessationBeta)`, `Dirichlet(transitionAlpha)`, a gamma
/// for the joiners at each age and a normal for a kept trend's slope) and with binomial,
/// multinomial and Poisson process noise on the
/// children, all from `Philox4x32(seed)`.
public struct TransitionBacktest: Sendable {
  /// The method's name in outputs.
  public static let methodName = "transitions"
  /// Simulations behind each interval, unless told otherwise.
  public static let defaultDraws = 200
  /// The seed unless told otherwise.
  public static let defaultSeed: UInt64 = 1
  /// Fewest simulations for a p10–p90 interval.
  public static let minimumDraws = 10
  /// Transition years (calendar years of state 1) an origin's fit needs: one.
  ///
  /// One, as the open-source Markov model forecasts from one. With one year the pooling
  /// strengths are `TransitionFit.defaultStrength` (stated, `fits.csv` says so); with two or
  /// more they are chosen by leave-one-year-out.
  public static let minimumFitYears = 1
  /// The interval's percentiles (fractions).
  public static let lowerQuantile = 0.1
  public static let upperQuantile = 0.9
  /// Below this expected count (of the rarer outcome) a binomial or Poisson draw is exact, by
  /// inversion; at or above it, a normal draw with the same mean and variance, rounded.
  public static let exactSamplingLimit = 30.0

  /// Where the projected joiners come from.
  public enum JoinerSource: String, Sendable {
    /// `incidenceRate[a] · population(Y, a)`, split by the fitted new-plan mix.
    case incidence = "incidence_x_population"
    /// The mean joiners per year of the fit window, at each age and placement.
    case windowMean = "mean_of_fit_window"

    /// A sentence for the terminal and the manifest.
    public var description: String {
      switch self {
      case .incidence:
        return "joiners = fitted incidence × population of each forecast census, split by the fitted new-plan mix"
      case .windowMean:
        return "joiners = mean joiners per year of the fit window at each age and placement (no --population)"
      }
    }
  }

  /// What was fitted at one origin.
  public struct OriginFit: Sendable, Equatable {
    /// The origin: the last census whose stock is known.
    public var origin: Int
    /// Calendar years of state 1 fitted.
    public var years: [Int]
    public var cessationStrength: Double
    public var moveStrength: Double
    /// Expected joiners at the first forecast census (plans).
    public var joinersFirstYear: Double
    /// How the strengths were chosen: the stated default with one transition year.
    public var strengthRule: TransitionFit.StrengthRule
  }

  /// A baseline forecast that could not be made at an origin and level where the actual is
  /// above 0 at a forecast census (so it would have been scored), and why.
  public struct NotAvailable: Sendable, Equatable {
    public var origin: Int
    public var level: String
    public var method: String
    public var reason: String
  }

  public var rows: [BacktestRow]
  public var summary: [BacktestSummary]
  public var fits: [OriginFit]
  /// Baseline forecasts not made (each origin and level once, for all its horizons).
  public var notAvailable: [NotAvailable]
  public var joiners: JoinerSource
  /// The censuses whose stock the file gives.
  public var censuses: [Int]
  public var draws: Int
  public var seed: UInt64

  /// The stock of census `census` by age and placement, `[a·P + q]` (ages 0–25), from the rows
  /// of calendar year `census − 1`; nil when the file has no such year.
  public static func stockAt(_ counts: TransitionCounts, census: Int) -> [Double]? {
    guard let first = counts.years.first, counts.years.contains(census - 1) else { return nil }
    let y = census - 1 - first
    let P = counts.placementCount
    let N = counts.needCount
    let ages = AgeAxis.maxAge + 1
    var stock = Array(repeating: 0.0, count: ages * P)
    for a in 0..<AgeAxis.maxAge {
      for p in 0..<P {
        for q in 0..<P { stock[(a + 1) * P + q] += counts.moves[y][(a * P + p) * P + q] }
      }
    }
    for a in 0..<ages {
      for n in 0..<N {
        for q in 0..<P { stock[a * P + q] += counts.joiners[y][(a * N + n) * P + q] }
      }
    }
    return stock
  }

  /// `counts` restricted to the calendar years up to `lastYear`.
  static func through(_ counts: TransitionCounts, lastYear: Int) -> TransitionCounts {
    let k = counts.years.filter { $0 <= lastYear }.count
    var result = counts
    result.years = Array(counts.years.prefix(k))
    result.stock = Array(counts.stock.prefix(k))
    result.leavers = Array(counts.leavers.prefix(k))
    result.moves = Array(counts.moves.prefix(k))
    result.joiners = Array(counts.joiners.prefix(k))
    return result
  }

  /// The reporting levels: `total`, `group:<id>` for each placement group the taxonomy uses,
  /// and `placement:<id>`, each with the placement indices it sums.
  static func levels(_ taxonomy: Taxonomy) -> [(name: String, placements: [Int])] {
    var result: [(String, [Int])] = [("total", Array(taxonomy.placements.indices))]
    for group in PlacementGroup.allCases {
      let members = taxonomy.placements.indices.filter { taxonomy.placements[$0].group == group }
      if !members.isEmpty { result.append(("group:" + group.rawValue, members)) }
    }
    for (p, placement) in taxonomy.placements.enumerated() { result.append(("placement:" + placement.id, [p])) }
    return result
  }

  /// The sum over ages of `stock` at the placements `placements`.
  static func value(_ stock: [Double], placements: [Int], placementCount P: Int) -> Double {
    var total = 0.0
    for a in 0...AgeAxis.maxAge { for p in placements { total += stock[a * P + p] } }
    return total
  }

  /// One year of the projection: survivors moved and aged a year, plus `joiners`.
  static func step(stock: [Double], cessation: [[Double]], transition: [[Double]], joiners: [Double], P: Int)
    -> [Double]
  {
    var next = joiners
    for a in 0..<AgeAxis.maxAge {
      for p in 0..<P where stock[a * P + p] > 0 {
        let survivors = stock[a * P + p] * (1 - cessation[a][p])
        for q in 0..<P { next[(a + 1) * P + q] += survivors * transition[a][p * P + q] }
      }
    }
    return next
  }

  /// The series of actual stocks at `level` that the baselines are fitted to at `origin`: the
  /// censuses `F+1 … O` (state 2 of the years before them); at a one-year origin (`O = F+1`)
  /// census `F`, known only from the state 1 of year `F`, stands before it, so that the
  /// baselines see two censuses as at every later origin.
  static func baselineSeries(
    _ counts: TransitionCounts, actual: [Int: [Double]], origin: Int, level: (name: String, placements: [Int])
  ) -> PlanSeries {
    let first = counts.years.first ?? origin
    let P = counts.placementCount
    var years = Array((first + 1)...origin)
    var plans = years.map { actual[$0].map { value($0, placements: level.placements, placementCount: P) } ?? 0 }
    if years.count < 2, let stateOne = counts.stock.first {
      years.insert(first, at: 0)
      plans.insert(value(stateOne, placements: level.placements, placementCount: P), at: 0)
    }
    return PlanSeries(level: level.name, years: years, plans: plans)
  }

  /// Why `baseline` cannot forecast from `series`, or nil when it can: `last_growth` needs two
  /// censuses, the earlier above 0; `linear_trend` needs two censuses.
  static func unavailableReason(_ baseline: Baseline, _ series: PlanSeries) -> String? {
    let n = series.plans.count
    switch baseline {
    case .lastValue:
      return nil
    case .lastGrowth:
      if n < 2 { return "one census up to the origin: no growth rate" }
      if series.plans[n - 2] <= 0 {
        return "no children at census \(series.years[n - 2]): no growth rate from it"
      }
      return nil
    case .linearTrend:
      return n < 2 ? "one census up to the origin: no line" : nil
    }
  }

  /// Runs the backtest of `counts` for every origin in `fitThrough`, `horizon` censuses ahead.
  ///
  /// An origin needs `minimumFitYears` transition years up to it and at least one later census
  /// in the file; origins outside that, a horizon below 1, fewer than `minimumDraws` draws, or a
  /// population missing a forecast census are errors naming the option or file. A baseline that
  /// cannot forecast at an origin and level (`unavailableReason`) is listed in `notAvailable`
  /// with its reason instead of being scored.
  public static func run(
    counts: TransitionCounts, population: PopulationTable?, populationFile: String = "--population",
    fitThrough: ClosedRange<Int>, horizon: Int, draws: Int = defaultDraws, seed: UInt64 = defaultSeed
  ) throws -> TransitionBacktest {
    guard horizon >= 1 else {
      throw InputError(SourceLocation(file: "--horizon"), expected: "a horizon of 1 year or more", found: "\(horizon)")
    }
    guard draws >= minimumDraws else {
      throw InputError(
        SourceLocation(file: "--draws"), expected: "\(minimumDraws) or more draws for a p10–p90 interval",
        found: "\(draws)")
    }
    guard let firstYear = counts.years.first, let lastYear = counts.years.last else {
      throw InputError(SourceLocation(file: counts.file), expected: "at least one transition year", found: "none")
    }
    let censuses = counts.years.map { $0 + 1 }
    let firstOrigin = firstYear + minimumFitYears
    guard fitThrough.lowerBound >= firstOrigin, fitThrough.upperBound <= lastYear else {
      let range = firstOrigin <= lastYear ? "origins from \(firstOrigin) to \(lastYear)" : "no possible origin"
      throw InputError(
        SourceLocation(file: "--fit-through"),
        expected:
          "\(range) (\(counts.file) has transitions for calendar years \(firstYear)–\(lastYear), so the stock of "
          + "censuses \(firstYear + 1)–\(lastYear + 1); an origin needs \(minimumFitYears) transition year\(minimumFitYears == 1 ? "" : "s") up to "
          + "it and one later census to compare)",
        found: "\(fitThrough.lowerBound)–\(fitThrough.upperBound)")
    }
    let P = counts.placementCount
    let N = counts.needCount
    let A = AgeAxis.maxAge
    let ages = A + 1
    let levels = levels(counts.taxonomy)
    var actual: [Int: [Double]] = [:]
    for census in censuses { actual[census] = stockAt(counts, census: census) }
    func actualLevel(_ census: Int, _ placements: [Int]) -> Double? {
      actual[census].map { value($0, placements: placements, placementCount: P) }
    }
    let joinerSource: JoinerSource = population == nil ? .windowMean : .incidence
    let generator = Philox4x32(seed: seed)
    var rows: [BacktestRow] = []
    var fits: [OriginFit] = []
    var notAvailable: [NotAvailable] = []
    for origin in fitThrough {
      let window = through(counts, lastYear: origin - 1)
      let fit = try TransitionFit.fit(window, population: population)
      let lastCensus = min(origin + horizon, lastYear + 1)
      let targets = Array((origin + 1)...lastCensus)
      // Expected joiners by census, `[a·P + q]`, and the age totals' posterior for the draws.
      var joinerShare = Array(repeating: 0.0, count: ages * P)
      var joinerMean: [[Double]] = []
      let draw: (inout RandomStream) -> [Double]
      if let population, let rate = fit.incidenceRate, let error = fit.incidenceStandardError {
        for a in 0...A {
          for q in 0..<P { joinerShare[a * P + q] = (0..<N).map { fit.newPlanMix[a][$0 * P + q] }.reduce(0, +) }
        }
        var people: [[Double]] = []
        for census in targets {
          people.append(
            try (0...A).map { a in
              guard let value = population.population(year: census, age: a) else {
                throw InputError(
                  SourceLocation(file: populationFile),
                  expected: "population at census \(census), age \(a) (forecasts from origin \(origin) need it)",
                  found: "none")
              }
              return value
            })
        }
        // The fitted rates are at the origin's census; a fitted trend carries them forward:
        // rate × exp(trendLog · h) at horizon h.
        let trendLog = fit.incidenceTrendLog ?? 0
        let trendSE = fit.incidenceTrendStandardError
        joinerMean = people.enumerated().map { h, pop in
          let along = exp(trendLog * Double(h + 1))
          return (0..<(ages * P)).map { i in rate[i / P] * along * pop[i / P] * joinerShare[i] }
        }
        // Incidence ~ Gamma with the fit's mean and standard error: shape (rate/se)², scale
        // se²/rate; the trend ~ Normal(trendLog, its standard error).
        let share = joinerShare
        let populations = people
        draw = { stream in
          let r = (0...A).map { a in
            guard rate[a] > 0, error[a] > 0 else { return rate[a] }
            let shape = (rate[a] / error[a]) * (rate[a] / error[a])
            return Distribution.gamma(shape: shape, &stream) * error[a] * error[a] / rate[a]
          }
          let slope = trendSE.map { trendLog + $0 * Distribution.normalQuantile(stream.uniform()) } ?? trendLog
          return populations.enumerated().flatMap { h, pop in
            let along = exp(slope * Double(h + 1))
            return (0..<(ages * P)).map { i in r[i / P] * along * pop[i / P] * share[i] }
          }
        }
      } else {
        let k = Double(window.years.count)
        var total = Array(repeating: 0.0, count: ages * P)
        for y in window.joiners.indices {
          for a in 0...A {
            for n in 0..<N { for q in 0..<P { total[a * P + q] += window.joiners[y][(a * N + n) * P + q] } }
          }
        }
        let byAge = (0...A).map { a in (0..<P).map { total[a * P + $0] }.reduce(0, +) }
        let mean = total.map { $0 / k }
        joinerMean = targets.map { _ in mean }
        let count = targets.count
        // The mean per year ~ Gamma(shape = joiners in the window, scale = 1/k) at each age
        // (a Poisson rate's posterior), split by the window's placement shares.
        draw = { stream in
          let scaled = (0...A).map { a in byAge[a] > 0 ? Distribution.gamma(shape: byAge[a], &stream) / byAge[a] : 0 }
          let one = (0..<(ages * P)).map { i in mean[i] * scaled[i / P] }
          return Array((0..<count).map { _ in one }.joined())
        }
      }
      // The point forecast.
      var stock = try requireStock(actual[origin], census: origin, file: counts.file)
      let start = stock
      var point: [[Double]] = []
      for h in targets.indices {
        stock = step(
          stock: stock, cessation: fit.cessationRate, transition: fit.transition, joiners: joinerMean[h], P: P)
        point.append(stock)
      }
      fits.append(
        OriginFit(
          origin: origin, years: window.years, cessationStrength: fit.cessationStrength, moveStrength: fit.moveStrength,
          joinersFirstYear: joinerMean.first?.reduce(0, +) ?? 0, strengthRule: fit.strengthRule))
      // The simulations: `simulated[l][h][d]`.
      var simulated = Array(
        repeating: Array(repeating: Array(repeating: 0.0, count: draws), count: targets.count), count: levels.count)
      for d in 0..<draws {
        var rates = RandomStream(generator, draw: d, stream: UInt32(truncatingIfNeeded: origin) &* 2)
        var noise = RandomStream(generator, draw: d, stream: UInt32(truncatingIfNeeded: origin) &* 2 &+ 1)
        let sample = drawRates(fit, &rates)
        let joiners = draw(&rates)
        var s = start
        for h in targets.indices {
          s = simulateStep(
            stock: s, cessation: sample.cessation, transition: sample.transition,
            joiners: Array(joiners[(h * ages * P)..<((h + 1) * ages * P)]), P: P, &noise)
          for (l, level) in levels.enumerated() {
            simulated[l][h][d] = value(s, placements: level.placements, placementCount: P)
          }
        }
      }
      for (l, level) in levels.enumerated() {
        let series = baselineSeries(counts, actual: actual, origin: origin, level: level)
        let unavailable = Baseline.allCases.map { unavailableReason($0, series) }
        // Listed only where a forecast would be scored (an actual above 0 at a target census).
        let scored = targets.contains { (actualLevel($0, level.placements) ?? 0) > 0 }
        for (baseline, reason) in zip(Baseline.allCases, unavailable) where scored {
          guard let reason else { continue }
          notAvailable.append(
            NotAvailable(origin: origin, level: level.name, method: baseline.rawValue, reason: reason))
        }
        for (h, census) in targets.enumerated() {
          guard let observed = actualLevel(census, level.placements), observed > 0 else { continue }
          let sorted = simulated[l][h].sorted()
          rows.append(
            BacktestRow(
              fitThrough: origin, year: census, horizon: h + 1, level: level.name, method: methodName,
              actual: observed, forecast: value(point[h], placements: level.placements, placementCount: P),
              p10: SweepSummary.quantile(sorted, lowerQuantile), p90: SweepSummary.quantile(sorted, upperQuantile)))
          for (baseline, reason) in zip(Baseline.allCases, unavailable) where reason == nil {
            rows.append(
              BacktestRow(
                fitThrough: origin, year: census, horizon: h + 1, level: level.name, method: baseline.rawValue,
                actual: observed, forecast: baseline.forecast(series, year: census), p10: nil, p90: nil))
          }
        }
      }
    }
    let summary = Backtest.summarise(rows, methods: [methodName] + Baseline.allCases.map(\.rawValue))
    try CalibrationLimits.check(rows, summary: summary, file: counts.file)
    return TransitionBacktest(
      rows: rows, summary: summary, fits: fits, notAvailable: notAvailable,
      joiners: joinerSource, censuses: censuses, draws: draws, seed: seed)
  }

  static func requireStock(_ stock: [Double]?, census: Int, file: String) throws -> [Double] {
    guard let stock else {
      throw InputError(
        SourceLocation(file: file), key: "calendar-year", expected: "transitions into census \(census)",
        found: "none")
    }
    return stock
  }

  /// Rates drawn from the fit's posterior: cessation `Beta(α, β)` as `G_α / (G_α + G_β)`, and
  /// each move row `Dirichlet(transitionAlpha)`.
  static func drawRates(_ fit: TransitionFit, _ stream: inout RandomStream) -> (
    cessation: [[Double]], transition: [[Double]]
  ) {
    let P = fit.taxonomy.placements.count
    var cessation = fit.cessationRate
    var transition = fit.transition
    for a in cessation.indices {
      for p in 0..<P {
        let alpha = fit.cessationAlpha[a][p]
        let beta = fit.cessationBeta[a][p]
        let x = alpha > 0 ? Distribution.gamma(shape: alpha, &stream) : 0
        let y = beta > 0 ? Distribution.gamma(shape: beta, &stream) : 0
        cessation[a][p] = x + y > 0 ? x / (x + y) : fit.cessationRate[a][p]
        let row = Array(fit.transitionAlpha[a][(p * P)..<((p + 1) * P)])
        let concentration = row.reduce(0, +)
        guard concentration > 0 else { continue }
        let drawn = Distribution.dirichlet(
          mean: row.map { $0 / concentration }, concentration: concentration, &stream)
        for q in 0..<P { transition[a][p * P + q] = drawn[q] }
      }
    }
    return (cessation, transition)
  }

  /// One year of a simulation: each cell's survivors `Binomial(n, 1 − cessation)`, spread over
  /// placements by a multinomial draw, and `Poisson(joiners)` new children in each cell.
  static func simulateStep(
    stock: [Double], cessation: [[Double]], transition: [[Double]], joiners: [Double], P: Int,
    _ stream: inout RandomStream
  ) -> [Double] {
    var next = joiners.map { poisson($0, &stream) }
    for a in 0..<AgeAxis.maxAge {
      for p in 0..<P where stock[a * P + p] > 0 {
        var left = binomial(stock[a * P + p], 1 - cessation[a][p], &stream)
        var mass = 1.0
        for q in 0..<P where left > 0 {
          let share = transition[a][p * P + q]
          let moved = q == P - 1 || mass <= share ? left : binomial(left, share / mass, &stream)
          next[(a + 1) * P + q] += moved
          left -= moved
          mass -= share
        }
      }
    }
    return next
  }

  /// A `Binomial(n, p)` draw: exact by inversion when the rarer outcome's mean is below
  /// `exactSamplingLimit`, otherwise the rounded normal with the same mean and variance, kept in 0…n.
  static func binomial(_ n: Double, _ p: Double, _ stream: inout RandomStream) -> Double {
    guard n > 0, p > 0 else { return 0 }
    guard p < 1 else { return n }
    let flip = p > 1 - p
    let r = flip ? 1 - p : p
    let result: Double
    if n * r < exactSamplingLimit {
      let u = stream.uniform()
      var k = 0.0
      var pmf = pow(1 - r, n)
      var cdf = pmf
      while u > cdf && k < n {
        pmf *= (n - k) / (k + 1) * r / (1 - r)
        k += 1
        cdf += pmf
      }
      result = k
    } else {
      let z = Distribution.normalQuantile(stream.uniform())
      result = min(n, max(0, (n * r + z * (n * r * (1 - r)).squareRoot()).rounded()))
    }
    return flip ? n - result : result
  }

  /// A `Poisson(mean)` draw: exact by inversion below `exactSamplingLimit`, otherwise the rounded
  /// normal with the same mean and variance, kept at 0 or more.
  static func poisson(_ mean: Double, _ stream: inout RandomStream) -> Double {
    guard mean > 0 else { return 0 }
    let u = stream.uniform()
    if mean < exactSamplingLimit {
      var k = 0.0
      var pmf = exp(-mean)
      var cdf = pmf
      while u > cdf {
        k += 1
        pmf *= mean / k
        cdf += pmf
        if pmf == 0 { break }
      }
      return k
    }
    return max(0, (mean + Distribution.normalQuantile(u) * mean.squareRoot()).rounded())
  }
}
