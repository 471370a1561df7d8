import Foundation

extension Taxonomy {
  /// The built-in SEN2 taxonomy (12 placements, 13 needs).
  public static func builtIn() throws -> Taxonomy {
    guard let paths = ScenarioLoader.defaultTaxonomyPaths else {
      throw InputError(SourceLocation(file: "taxonomy"), expected: "the built-in taxonomy", found: "it missing")
    }
    return try Taxonomy.load(placementsPath: paths.placements, needsPath: paths.needs)
  }
}

/// Rates estimated from child-level transitions, smoothed towards pooled rates so that no
/// possible move has zero probability, with their posterior parameters.
///
/// Cessation (beta-binomial): with `leavers[a,p]` of `stock[a,p]` pooled over years,
/// `overallRate = Σ leavers / Σ stock`,
/// `ageRate[a] = (Σ_p leavers[a,p] + cessationStrength · overallRate) / (Σ_p stock[a,p] + cessationStrength)`,
/// `cessationRate[a][p] = (leavers[a,p] + cessationStrength · ageRate[a]) / (stock[a,p] + cessationStrength)`,
/// the mean of the posterior `Beta(cessationAlpha, cessationBeta)` with
/// `cessationAlpha = leavers + cessationStrength · ageRate[a]`,
/// `cessationBeta = stock − leavers + cessationStrength · (1 − ageRate[a])`.
///
/// Moves (Dirichlet-multinomial): with `moves[a,p,q]` the continuing children from `p` at age
/// `a` found in `q` (stays included), the placement's pooled row
/// `pooledRow[p][q] = (Σ_a moves[a,p,q] + uniformPseudoCount / P) / (Σ_{a,q} moves[a,p,q] + uniformPseudoCount)`
/// (never zero), and
/// `transition[a][p][q] = (moves[a,p,q] + moveStrength · pooledRow[p][q]) / (Σ_q moves[a,p,q] + moveStrength)`,
/// the mean of the posterior `Dirichlet(transitionAlpha[a][p][·])`,
/// `transitionAlpha = moves + moveStrength · pooledRow`. Every entry is positive.
///
/// The strengths are chosen from `strengthGrid` by leave-one-year-out predictive
/// log-likelihood: each year's counts are scored under the rates fitted to the other years,
/// and the strength with the highest total wins (`defaultStrength` when there is one year).
///
/// Joiners: `pooledRate[a] = Σ_y joiners[y,a] / Σ_y population[y+1, a]` (state-2 census),
/// with Poisson standard error `√joiners / population`; the new-plan mix at each age is
/// smoothed the same way as a move row, towards the mix over all ages, with `moveStrength`.
///
/// Incidence trend: with `AggregateFit.minimumTransitionsForTrend` or more years that have
/// joiners, the overall rate `r_y = Σ_a joiners[y,a] / Σ_a population[y+1,a]` is fitted as
/// `log r_y = α + incidenceTrendLog · (y + 1 − L)` by least squares weighted by the year's
/// joiners (Poisson: `var log r_y ≈ 1 / joiners_y`), `L` the last state-2 census;
/// `incidenceTrendStandardError = 1 / √(Σ w (x − x̄)²)`. The trend is kept only when it
/// predicts held-out years better: each year's joiners are scored, `J log μ − μ` (Poisson),
/// under the trend and under a constant rate `Σ J / Σ population` fitted to the other years
/// (`incidenceTrendScores`). When kept, `incidenceRate[a]` is the rate at
/// `L`: `pooledRate[a] · Σ_y P_{y,a} / Σ_y P_{y,a} · exp(incidenceTrendLog · (y + 1 − L))`
/// (exact when the rate follows the trend), so a scenario starting at census `L` grows it by
/// `incidenceTrend = exp(incidenceTrendLog) − 1` a year. With fewer years `incidenceRate` is
/// the pooled rate and no trend is fitted.
public struct TransitionFit: Sendable {
  public var taxonomy: Taxonomy
  /// Years of state 1 fitted.
  public var years: [Int]
  public var cessationStrength: Double
  public var moveStrength: Double
  /// `cessationRate[a][p]`, ages 0–24.
  public var cessationRate: [[Double]]
  public var cessationAlpha: [[Double]]
  public var cessationBeta: [[Double]]
  /// `transition[a][p·P + q]`, ages 0–24.
  public var transition: [[Double]]
  public var transitionAlpha: [[Double]]
  /// `incidenceRate[a]`, ages 0–25, at the last state-2 census (nil without population).
  public var incidenceRate: [Double]?
  public var incidenceStandardError: [Double]?
  /// `incidenceTrendLog`: the fitted log-linear trend of incidence per year, and its standard
  /// error (nil without population or with too few years).
  public var incidenceTrendLog: Double?
  public var incidenceTrendStandardError: Double?
  /// `exp(incidenceTrendLog) − 1`: the scenario's `incidence_trend_fraction_per_year`.
  public var incidenceTrend: Double? { incidenceTrendLog.map { exp($0) - 1 } }
  /// Leave-one-year-out Poisson log-likelihood of the years' joiners under a trend and under a
  /// constant rate (nil when no trend could be fitted); the trend is kept when it scores higher.
  public var incidenceTrendScores: (trend: Double, constant: Double)?
  /// `newPlanMix[a][n·P + q]`.
  public var newPlanMix: [[Double]]
  /// Observed counts, for the report: `stock[a][p]`, `leavers[a][p]`, `joiners[a]`.
  public var stock: [[Double]]
  public var leavers: [[Double]]
  public var joiners: [Double]
  /// Held-out log-likelihood of each strength tried (cessation, moves).
  public var cessationScores: [(strength: Double, logLikelihood: Double)]
  public var moveScores: [(strength: Double, logLikelihood: Double)]

  /// Strengths (pseudo-counts) tried for the pooling.
  public static let strengthGrid: [Double] = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]
  /// The strength used when there is only one year to fit (none to hold out): a pseudo-count
  /// of 10 children, inside the grid, stated rather than estimated.
  public static let defaultStrength = 10.0

  /// How the pooling strengths were chosen.
  public enum StrengthRule: String, Sendable {
    /// By leave-one-year-out predictive log-likelihood over `strengthGrid` (two or more years).
    case leaveOneYearOut = "leave_one_year_out"
    /// `defaultStrength`, stated: one year leaves no year to hold out.
    case statedDefault = "stated_default"
  }

  /// `statedDefault` when no strength was scored (one year fitted), else `leaveOneYearOut`.
  public var strengthRule: StrengthRule { cessationScores.isEmpty ? .statedDefault : .leaveOneYearOut }
  /// Pseudo-count spread evenly over destinations in each placement's pooled row.
  public static let uniformPseudoCount = 1.0

  /// Fits `counts`; `population` is needed for incidence rates.
  public static func fit(_ counts: TransitionCounts, population: PopulationTable?) throws -> TransitionFit {
    let P = counts.placementCount
    let N = counts.needCount
    let A = AgeAxis.maxAge
    let Y = counts.years.count
    func sum(_ arrays: [[Double]], _ skip: Int?) -> [Double] {
      var total = Array(repeating: 0.0, count: arrays.first?.count ?? 0)
      for (y, a) in arrays.enumerated() where y != skip { for i in a.indices { total[i] += a[i] } }
      return total
    }
    // Cessation.
    func cessation(stock: [Double], leavers: [Double], strength m: Double) -> (rate: [Double], age: [Double]) {
      let overall = leavers.reduce(0, +) / max(stock.reduce(0, +), 1)
      var rate = Array(repeating: 0.0, count: A * P)
      var ageRates = Array(repeating: 0.0, count: A)
      for a in 0..<A {
        let s = (0..<P).map { stock[a * P + $0] }.reduce(0, +)
        let l = (0..<P).map { leavers[a * P + $0] }.reduce(0, +)
        let ageRate = (l + m * overall) / (s + m)
        ageRates[a] = ageRate
        for p in 0..<P { rate[a * P + p] = (leavers[a * P + p] + m * ageRate) / (stock[a * P + p] + m) }
      }
      return (rate, ageRates)
    }
    func move(_ moves: [Double], strength c: Double) -> [Double] {
      var pooled = Array(repeating: 0.0, count: P * P)
      for p in 0..<P {
        var row = Array(repeating: uniformPseudoCount / Double(P), count: P)
        for a in 0..<A { for q in 0..<P { row[q] += moves[(a * P + p) * P + q] } }
        let total = row.reduce(0, +)
        for q in 0..<P { pooled[p * P + q] = row[q] / total }
      }
      var result = Array(repeating: 0.0, count: A * P * P)
      for a in 0..<A {
        for p in 0..<P {
          let base = (a * P + p) * P
          let n = (0..<P).map { moves[base + $0] }.reduce(0, +)
          for q in 0..<P { result[base + q] = (moves[base + q] + c * pooled[p * P + q]) / (n + c) }
        }
      }
      return result
    }
    var cessationScores: [(Double, Double)] = []
    var moveScores: [(Double, Double)] = []
    var m = defaultStrength
    var c = defaultStrength
    if Y >= 2 {
      for strength in strengthGrid {
        var ll = 0.0
        var llMove = 0.0
        for y in 0..<Y {
          let rate = cessation(
            stock: sum(counts.stock, y).prefix(A * P).map { $0 }, leavers: sum(counts.leavers, y), strength: strength
          ).rate
          for i in 0..<(A * P) {
            let s = counts.stock[y][i]
            let l = counts.leavers[y][i]
            if s > 0 { ll += l * log(rate[i]) + (s - l) * log(1 - rate[i]) }
          }
          let t = move(sum(counts.moves, y), strength: strength)
          for i in 0..<(A * P * P) where counts.moves[y][i] > 0 { llMove += counts.moves[y][i] * log(t[i]) }
        }
        cessationScores.append((strength, ll))
        moveScores.append((strength, llMove))
      }
      m = cessationScores.max { $0.1 < $1.1 }?.0 ?? defaultStrength
      c = moveScores.max { $0.1 < $1.1 }?.0 ?? defaultStrength
    }
    let stock = sum(counts.stock, nil)
    let leavers = sum(counts.leavers, nil)
    let (rate, ageRates) = cessation(stock: stock, leavers: leavers, strength: m)
    let moves = sum(counts.moves, nil)
    let transition = move(moves, strength: c)
    var alphaMoves = Array(repeating: 0.0, count: A * P * P)
    for a in 0..<A {
      for p in 0..<P {
        let base = (a * P + p) * P
        let n = (0..<P).map { moves[base + $0] }.reduce(0, +)
        for q in 0..<P { alphaMoves[base + q] = transition[base + q] * (n + c) }
      }
    }
    // Joiners.
    let joinerCounts = sum(counts.joiners, nil)
    var joinersByAge = Array(repeating: 0.0, count: A + 1)
    for a in 0...A { joinersByAge[a] = (0..<(N * P)).map { joinerCounts[a * N * P + $0] }.reduce(0, +) }
    var incidence: [Double]?
    var incidenceSE: [Double]?
    var trendLog: Double?
    var trendSE: Double?
    var trendScores: (trend: Double, constant: Double)?
    if let population {
      var rates = Array(repeating: 0.0, count: A + 1)
      var errors = Array(repeating: 0.0, count: A + 1)
      for a in 0...A {
        var people = 0.0
        for year in counts.years {
          guard let value = population.population(year: year + 1, age: a) else {
            throw InputError(
              SourceLocation(file: "--population"), expected: "population at census \(year + 1), age \(a)",
              found: "none (joiner rates need the population of every state-2 census)")
          }
          people += value
        }
        rates[a] = people > 0 ? min(1, joinersByAge[a] / people) : 0
        errors[a] = people > 0 ? joinersByAge[a].squareRoot() / people : 0
      }
      // The trend of the overall rate, kept when it predicts held-out years better than a
      // constant rate, and the rates moved to the last census along it.
      let last = (counts.years.last ?? 0) + 1
      var years: [IncidenceYear] = []
      for (y, year) in counts.years.enumerated() {
        let joined = counts.joiners[y].reduce(0, +)
        let people = (0...A).map { population.population(year: year + 1, age: $0) ?? 0 }.reduce(0, +)
        guard joined > 0, people > 0 else { continue }
        years.append(IncidenceYear(x: Double(year + 1 - last), joiners: joined, population: people))
      }
      if years.count >= AggregateFit.minimumTransitionsForTrend, let line = IncidenceYear.trend(years) {
        let scores = IncidenceYear.heldOutScores(years)
        trendScores = scores
        if scores.trend > scores.constant {
          let beta = line.slope
          trendLog = beta
          trendSE = line.standardError
          for a in 0...A {
            var people = 0.0
            var along = 0.0
            for year in counts.years {
              let value = population.population(year: year + 1, age: a) ?? 0
              people += value
              along += value * exp(beta * Double(year + 1 - last))
            }
            if along > 0 {
              rates[a] = min(1, rates[a] * people / along)
              errors[a] *= people / along
            }
          }
        }
      }
      incidence = rates
      incidenceSE = errors
    }
    var overallMix = Array(repeating: uniformPseudoCount / Double(N * P), count: N * P)
    for a in 0...A { for k in 0..<(N * P) { overallMix[k] += joinerCounts[a * N * P + k] } }
    let mixTotal = overallMix.reduce(0, +)
    overallMix = overallMix.map { $0 / mixTotal }
    let mix = (0...A).map { a in
      (0..<(N * P)).map { k in (joinerCounts[a * N * P + k] + c * overallMix[k]) / (joinersByAge[a] + c) }
    }
    return TransitionFit(
      taxonomy: counts.taxonomy, years: counts.years, cessationStrength: m, moveStrength: c,
      cessationRate: (0..<A).map { a in Array(rate[(a * P)..<((a + 1) * P)]) },
      cessationAlpha: (0..<A).map { a in (0..<P).map { p in leavers[a * P + p] + m * ageRates[a] } },
      cessationBeta: (0..<A).map { a in
        (0..<P).map { p in stock[a * P + p] - leavers[a * P + p] + m * (1 - ageRates[a]) }
      },
      transition: (0..<A).map { a in Array(transition[(a * P * P)..<((a + 1) * P * P)]) },
      transitionAlpha: (0..<A).map { a in Array(alphaMoves[(a * P * P)..<((a + 1) * P * P)]) },
      incidenceRate: incidence, incidenceStandardError: incidenceSE, incidenceTrendLog: trendLog,
      incidenceTrendStandardError: trendSE, incidenceTrendScores: trendScores, newPlanMix: mix,
      stock: (0..<A).map { a in Array(stock[(a * P)..<((a + 1) * P)]) },
      leavers: (0..<A).map { a in Array(leavers[(a * P)..<((a + 1) * P)]) }, joiners: joinersByAge,
      cessationScores: cessationScores, moveScores: moveScores)
  }
}

/// One year's joiners and residents, for the incidence trend (`x`: census year − the last).
struct IncidenceYear {
  var x: Double
  var joiners: Double
  var population: Double

  /// The weighted least-squares line of `log(joiners / population)` on `x`, weights `joiners`:
  /// slope, its standard error, and the fitted log rate at `x`; nil when all `x` are equal.
  static func trend(_ years: [IncidenceYear]) -> (slope: Double, standardError: Double, logRate: (Double) -> Double)? {
    let total = years.map(\.joiners).reduce(0, +)
    let xBar = years.map { $0.joiners * $0.x }.reduce(0, +) / total
    let yBar = years.map { $0.joiners * log($0.joiners / $0.population) }.reduce(0, +) / total
    var sxx = 0.0
    var sxy = 0.0
    for y in years {
      sxx += y.joiners * (y.x - xBar) * (y.x - xBar)
      sxy += y.joiners * (y.x - xBar) * (log(y.joiners / y.population) - yBar)
    }
    guard sxx > 0 else { return nil }
    let slope = sxy / sxx
    return (slope, 1 / sxx.squareRoot(), { yBar + slope * ($0 - xBar) })
  }

  /// Leave-one-year-out Poisson log-likelihood (`J log μ − μ`) of every year's joiners under
  /// a trend and under a constant rate, each fitted to the other years.
  static func heldOutScores(_ years: [IncidenceYear]) -> (trend: Double, constant: Double) {
    var trendScore = 0.0
    var constantScore = 0.0
    for (i, held) in years.enumerated() {
      var others = years
      others.remove(at: i)
      let rate = others.map(\.joiners).reduce(0, +) / others.map(\.population).reduce(0, +)
      let constant = rate * held.population
      constantScore += held.joiners * log(constant) - constant
      let trended = trend(others).map { exp($0.logRate(held.x)) * held.population } ?? constant
      trendScore += held.joiners * log(trended) - trended
    }
    return (trendScore, constantScore)
  }
}
