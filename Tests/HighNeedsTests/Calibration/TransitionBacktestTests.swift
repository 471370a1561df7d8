import Foundation
import Testing
import TestSupport

@testable import HighNeeds

/// A cohort of children simulated child by child from known rates, written as a transitions
/// file whose censuses follow from each other (the stock of one census is the next year's state 1).
///
/// Each calendar year every child at age `a` (curriculum year `a − 4`) in `mainstream` or
/// `special_maintained_in` leaves with `cessation(a, p)`; at age 25 every child leaves. The
/// others move mainstream → special with `moveToSpecial`, special → mainstream with
/// `moveToMainstream`, and age a year. Joiners at ages 4–15 are `Poisson(incidence · population)`,
/// in mainstream with probability `joinerMainstreamShare`; the population of each age is
/// `basePopulation · (1 + populationGrowth)^(census − first year)`. The first `burnIn` years are
/// simulated but not written, so the written years start from a settled caseload.
struct SyntheticCohort {
  var cessationYoung = [0.08, 0.03]
  var cessationOld = 0.2
  var oldFromAge = 16
  var moveToSpecial = 0.05
  var moveToMainstream = 0.01
  var incidence = 0.01
  /// Growth of incidence a year (fraction), from the first calendar year written.
  var incidenceGrowth = 0.0
  var joinerMainstreamShare = 0.8
  var basePopulation = 3000.0
  var populationGrowth = 0.03
  var burnIn = 15
  var seed: UInt64 = 7
  /// Extra cessation in one calendar year (a shock the model cannot foresee).
  var shock: (year: Int, extraCessation: Double)?

  static let placements = ["mainstream", "special_maintained_in"]
  static let joinerAges = 4...15

  func population(census: Int, firstYear: Int) -> Double {
    basePopulation * pow(1 + populationGrowth, Double(census - firstYear))
  }

  /// The transitions of calendar years `years` and the population of censuses `years + 1`.
  func generate(years: ClosedRange<Int>) -> (transitions: String, population: String) {
    var rng = SplitMix64(seed: seed)
    let maxAge = AgeAxis.maxAge
    var stock = Array(repeating: [0, 0], count: maxAge + 1)
    var text = CalibrationTransitionFitTests.header
    func poisson(_ mean: Double) -> Int {
      let u = Double.random(in: 0..<1, using: &rng)
      var k = 0
      var pmf = exp(-mean)
      var cdf = pmf
      while u > cdf && pmf > 0 {
        k += 1
        pmf *= mean / Double(k)
        cdf += pmf
      }
      return k
    }
    for year in (years.lowerBound - burnIn)...years.upperBound {
      let write = years.contains(year)
      var next = Array(repeating: [0, 0], count: maxAge + 1)
      for age in 0...maxAge {
        for p in 0..<2 {
          var cease = age >= oldFromAge ? cessationOld : cessationYoung[p]
          if let shock, shock.year == year { cease += shock.extraCessation }
          for _ in 0..<stock[age][p] {
            let setting = Self.placements[p]
            if age == maxAge || Double.random(in: 0..<1, using: &rng) < cease {
              if write { text += "\(year),\(setting),ASD,\(age - 4),NONSEND,NONSEND,\(age - 3)\n" }
              continue
            }
            let move = Double.random(in: 0..<1, using: &rng) < (p == 0 ? moveToSpecial : moveToMainstream)
            let q = move ? 1 - p : p
            next[age + 1][q] += 1
            if write { text += "\(year),\(setting),ASD,\(age - 4),\(Self.placements[q]),ASD,\(age - 3)\n" }
          }
        }
      }
      for age in Self.joinerAges {
        let rate = incidence * pow(1 + incidenceGrowth, Double(year - years.lowerBound))
        let count = poisson(rate * population(census: year + 1, firstYear: years.lowerBound))
        for i in 0..<count {
          let q = Double.random(in: 0..<1, using: &rng) < joinerMainstreamShare ? 0 : 1
          next[age][q] += 1
          let need = i % 2 == 0 ? "ASD" : "SLCN"
          if write { text += "\(year),NONSEND,NONSEND,\(age - 5),\(Self.placements[q]),\(need),\(age - 4)\n" }
        }
      }
      stock = next
    }
    var population = "year,age,population\n"
    for census in (years.lowerBound + 1)...(years.upperBound + 1) {
      for age in 0...AgeAxis.maxAge {
        population +=
          "\(census),\(age),\(NumberFormat.fixed(self.population(census: census, firstYear: years.lowerBound), 3))\n"
      }
    }
    return (text, population)
  }
}

@Suite struct TransitionBacktestTests {
  static let years = 2014...2021

  /// The default cohort's files, read once for every test.
  static let standard = Result { try synthetic() }

  /// The synthetic files, read; written to `HNB_SYNTHETIC_TRANSITIONS_DIR` too when it is set
  /// (to reproduce the figures in docs/CALIBRATION.md with `hnb backtest`).
  static func synthetic(_ cohort: SyntheticCohort = SyntheticCohort()) throws -> (
    counts: TransitionCounts, population: PopulationTable
  ) {
    let (transitions, population) = cohort.generate(years: years)
    let path = try CalibrationFixtures.temporary("transitions.csv", transitions)
    let populationPath = try CalibrationFixtures.temporary("population.csv", population)
    if let directory = ProcessInfo.processInfo.environment["HNB_SYNTHETIC_TRANSITIONS_DIR"], cohort.shock == nil {
      let name = cohort.incidenceGrowth == 0 ? "synthetic" : "synthetic_growing"
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try transitions.write(toFile: directory + "/\(name)_transitions.csv", atomically: true, encoding: .utf8)
      try population.write(toFile: directory + "/\(name)_population.csv", atomically: true, encoding: .utf8)
    }
    return (
      try TransitionCounts.read(path: path, taxonomy: try Taxonomy.builtIn()),
      try PopulationTable.read(path: populationPath)
    )
  }

  @Test func theStockOfACensusIsTheNextYearsStateOne() throws {
    let (counts, _) = try Self.standard.get()
    #expect(counts.rejected.isEmpty)
    for census in counts.years.dropFirst() {
      let stock = try #require(TransitionBacktest.stockAt(counts, census: census))
      let y = census - Self.years.lowerBound
      #expect(stock == counts.stock[y], "census \(census)")
    }
    #expect(TransitionBacktest.stockAt(counts, census: Self.years.lowerBound) == nil)
  }

  @Test(arguments: [true, false])
  func horizonOneForecastsMatchTheActualStockWithinSamplingError(withPopulation: Bool) throws {
    let (counts, population) = try Self.standard.get()
    let result = try TransitionBacktest.run(
      counts: counts, population: withPopulation ? population : nil, fitThrough: 2016...2021, horizon: 1)
    #expect(result.joiners == (withPopulation ? .incidence : .windowMean))
    let rows = result.rows.filter { $0.method == TransitionBacktest.methodName && $0.horizon == 1 }
    #expect(rows.count == 6 * 5)  // total, two groups, two placements
    for row in rows {
      // The next census's variance is at most its size (binomial leavers and moves, Poisson joiners).
      #expect(abs(row.forecast - row.actual) < 4 * row.actual.squareRoot(), "\(row)")
      let p10 = try #require(row.p10)
      let p90 = try #require(row.p90)
      #expect(p10 < row.forecast && row.forecast < p90, "\(row)")
    }
    let covered = rows.compactMap(\.covered).filter { $0 }.count
    #expect(Double(covered) / Double(rows.count) >= 0.5)
    // The stock of the origin is projected: a forecast from the wrong census would be off by
    // the joiners of a year (about 12 ages × 30) at the total.
    for row in rows where row.level == "total" {
      #expect(abs(row.forecast - row.actual) < 0.5 * 12 * 30)
    }
  }

  @Test func anOriginsFitUsesNoLaterYear() throws {
    let (counts, population) = try Self.standard.get()
    var shocked = SyntheticCohort()
    shocked.shock = (year: 2020, extraCessation: 0.2)
    let (changed, _) = try Self.synthetic(shocked)
    let before = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2018...2021, horizon: 2, draws: 20)
    let after = try TransitionBacktest.run(
      counts: changed, population: population, fitThrough: 2018...2021, horizon: 2, draws: 20)
    func method(_ b: TransitionBacktest, _ origin: Int) -> [BacktestRow] {
      b.rows.filter { $0.fitThrough == origin && $0.method == TransitionBacktest.methodName }
    }
    // Calendar year 2020 gives census 2021: origins up to 2020 fit only years up to 2019.
    for origin in 2018...2020 {
      #expect(method(before, origin).map(\.forecast) == method(after, origin).map(\.forecast), "origin \(origin)")
      #expect(method(before, origin).map(\.p10) == method(after, origin).map(\.p10), "origin \(origin)")
    }
    #expect(method(before, 2020).map(\.actual) != method(after, 2020).map(\.actual))
    #expect(method(before, 2021).map(\.forecast) != method(after, 2021).map(\.forecast))
  }

  @Test func theIntervalIsDeterministicForASeed() throws {
    let (counts, population) = try Self.standard.get()
    let a = try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2020...2020, horizon: 1)
    let b = try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2020...2020, horizon: 1)
    let c = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2020...2020, horizon: 1, seed: 2)
    #expect(a.rows == b.rows)
    #expect(a.rows.map(\.forecast) == c.rows.map(\.forecast))
    #expect(a.rows.map(\.p10) != c.rows.map(\.p10))
  }

  @Test func baselinesScoreEachLevelsActualStocks() throws {
    let (counts, population) = try Self.standard.get()
    let result = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2019...2019, horizon: 1, draws: 20)
    let total = try #require(result.rows.first { $0.method == Baseline.lastValue.rawValue && $0.level == "total" })
    let stock = try #require(TransitionBacktest.stockAt(counts, census: 2019))
    #expect(total.forecast == stock.reduce(0, +))
    #expect(Set(result.summary.map(\.method)) == ["transitions", "last_value", "last_growth", "linear_trend"])
  }

  @Test func badOriginsHorizonsAndPopulationsArePreciseErrors() throws {
    let (counts, population) = try Self.standard.get()
    let early = try #require(throws: InputError.self) {
      try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2014...2018, horizon: 1)
    }
    #expect(early.errorDescription?.hasPrefix("--fit-through: expected origins from 2015 to 2021") == true)
    #expect(early.errorDescription?.contains("found 2014–2018") == true)
    let late = try #require(throws: InputError.self) {
      try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2022...2022, horizon: 1)
    }
    #expect(late.errorDescription?.contains("calendar years 2014–2021") == true)
    let horizon = try #require(throws: InputError.self) {
      try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2020...2020, horizon: 0)
    }
    #expect(horizon.errorDescription == "--horizon: expected a horizon of 1 year or more; found 0")
    let draws = try #require(throws: InputError.self) {
      try TransitionBacktest.run(counts: counts, population: population, fitThrough: 2020...2020, horizon: 1, draws: 3)
    }
    #expect(draws.errorDescription?.hasPrefix("--draws:") == true)
    var short = population
    short.values[2022] = nil
    let missing = try #require(throws: InputError.self) {
      try TransitionBacktest.run(
        counts: counts, population: short, populationFile: "p.csv", fitThrough: 2020...2021, horizon: 1)
    }
    #expect(
      missing.errorDescription
        == "p.csv: expected population at census 2022, age 0 (forecasts from origin 2021 need it); found none")
  }

  /// A cohort whose incidence grows 10% a year: the fit keeps a trend near it (the held-out
  /// rule prefers it to a constant rate), and the backtest carries it forward, so the joiners
  /// forecast for the first year after the last origin are above the window's pooled level.
  @Test func aGrowingIncidenceIsFittedAsATrendAndCarriedForward() throws {
    var cohort = SyntheticCohort()
    cohort.incidenceGrowth = 0.1
    let (counts, population) = try Self.synthetic(cohort)
    let fit = try TransitionFit.fit(counts, population: population)
    let scores = try #require(fit.incidenceTrendScores)
    #expect(scores.trend > scores.constant)
    let trend = try #require(fit.incidenceTrend)
    // 8 years of 359–919 joiners: the slope's standard error is about 0.0065.
    #expect(abs(trend - 0.1) < 0.03, "\(trend)")
    let backtest = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2021...2021, horizon: 1, draws: 50)
    let total = try #require(backtest.rows.first { $0.level == "total" && $0.method == TransitionBacktest.methodName })
    // Within 2% of the actual total one year ahead (sampling noise is about 1%).
    #expect(total.absPercentError < 2, "\(total.absPercentError)")
  }

  /// Issue 17's parity item: an origin one transition year after the file's first (as the
  /// open-source Markov model forecasts) is fitted with the stated default strength, says so,
  /// and its baselines see census `F` from the state 1 of year `F`.
  @Test func aOneYearOriginForecastsWithTheStatedDefaultStrength() throws {
    let (counts, population) = try Self.standard.get()
    let first = Self.years.lowerBound
    let result = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: (first + 1)...(first + 2), horizon: 2, draws: 20)
    let one = try #require(result.fits.first { $0.origin == first + 1 })
    #expect(one.years == [first])
    #expect(one.strengthRule == .statedDefault)
    #expect(one.cessationStrength == TransitionFit.defaultStrength && one.moveStrength == TransitionFit.defaultStrength)
    let two = try #require(result.fits.first { $0.origin == first + 2 })
    #expect(two.strengthRule == .leaveOneYearOut)
    // The one-year origin forecasts every level at both horizons, near the actual stock.
    let forecasts = result.rows.filter { $0.fitThrough == first + 1 && $0.method == TransitionBacktest.methodName }
    #expect(forecasts.count == 2 * 5)
    for row in forecasts where row.horizon == 1 {
      #expect(abs(row.forecast - row.actual) < 4 * row.actual.squareRoot(), "\(row)")
    }
    // last_growth from census F (state 1 of year F) to census F+1.
    let before = counts.stock[0].reduce(0, +)
    let origin = try #require(TransitionBacktest.stockAt(counts, census: first + 1)).reduce(0, +)
    for h in 1...2 {
      let growth = try #require(
        result.rows.first {
          $0.fitThrough == first + 1 && $0.level == "total" && $0.method == Baseline.lastGrowth.rawValue
            && $0.horizon == h
        })
      #expect(abs(growth.forecast - origin * pow(origin / before, Double(h))) < 1e-6 * origin)
    }
    #expect(result.notAvailable.isEmpty)
    // The terminal and fits.csv say which strength rule each origin used.
    let headline = CalibrationOutput.transitionHeadline(result)
    #expect(headline.contains { $0.hasPrefix("origin \(first + 1): one transition year (\(first))") })
    #expect(!headline.contains { $0.hasPrefix("origin \(first + 2):") })
    let fits = try #require(CalibrationOutput.transitionBacktestTables(result)["fits.csv"])
    #expect(fits.split(separator: "\n").first?.hasSuffix(",strength_rule") == true)
    #expect(fits.contains(",10.0,10.0,") && fits.contains("stated_default") && fits.contains("leave_one_year_out"))
  }

  /// The origins that had two or more transition years before the one-year origin was allowed
  /// give the tables they gave then, byte for byte: the golden files were written by the build
  /// before it (`hnb backtest --transitions` on this cohort, origins 2016–2021, horizon 3, 50
  /// draws), and adding origin 2015 changes none of their rows.
  @Test func theTwoYearOriginsAreUnchanged() throws {
    let (counts, population) = try Self.standard.get()
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("golden/transition-backtest-synthetic")
    let result = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2016...2021, horizon: 3, draws: 50)
    let tables = CalibrationOutput.transitionBacktestTables(result)
    for name in ["backtest.csv", "baselines.csv", "summary.csv"] {
      try expectGolden(try #require(tables[name]), file: golden.appendingPathComponent(name))
    }
    let wider = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: 2015...2021, horizon: 3, draws: 50)
    #expect(wider.rows.filter { $0.fitThrough >= 2016 } == result.rows)
    #expect(Array(wider.fits.dropFirst()) == result.fits)
  }

  /// A baseline that cannot forecast is listed with its reason, never scored as another
  /// forecast: with no special children at census F, last_growth has no rate at the one-year origin.
  @Test func aBaselineThatCannotForecastIsListedNotScored() throws {
    let (original, population) = try Self.standard.get()
    var counts = original
    let first = Self.years.lowerBound
    let special = try #require(counts.taxonomy.placementIndex("special_maintained_in"))
    let P = counts.taxonomy.placements.count
    for a in 0...AgeAxis.maxAge { counts.stock[0][a * P + special] = 0 }
    let result = try TransitionBacktest.run(
      counts: counts, population: population, fitThrough: (first + 1)...(first + 1), horizon: 1, draws: 20)
    // The placement and its group (the other maintained special placement is empty here).
    let levels = ["group:maintained_special", "placement:special_maintained_in"]
    let reason = "no children at census \(first): no growth rate from it"
    #expect(
      result.notAvailable
        == levels.map { .init(origin: first + 1, level: $0, method: Baseline.lastGrowth.rawValue, reason: reason) })
    for level in levels {
      #expect(!result.rows.contains { $0.level == level && $0.method == Baseline.lastGrowth.rawValue })
      #expect(result.rows.contains { $0.level == level && $0.method == Baseline.linearTrend.rawValue })
    }
    #expect(result.rows.contains { $0.level == "total" && $0.method == Baseline.lastGrowth.rawValue })
    let table = try #require(CalibrationOutput.transitionBacktestTables(result)["not_available.csv"])
    #expect(
      table
        == "fit_through,level,baseline,reason\n"
        + levels.map { "\(first + 1),\($0),last_growth,\(reason)\n" }.joined())
    let headline = CalibrationOutput.transitionHeadline(result)
    #expect(headline.contains { $0.hasPrefix("not available: 2 baseline forecasts") })
    let single = PlanSeries(level: "total", years: [2020], plans: [10])
    #expect(TransitionBacktest.unavailableReason(.lastGrowth, single) != nil)
    #expect(TransitionBacktest.unavailableReason(.linearTrend, single) != nil)
    #expect(TransitionBacktest.unavailableReason(.lastValue, single) == nil)
  }

  @Test func sampledCountsHaveTheRightMean() throws {
    var stream = RandomStream(Philox4x32(seed: 1), draw: 0, stream: 0)
    for (n, p) in [(20.0, 0.3), (1000.0, 0.9), (5000.0, 0.5)] {
      let mean = (0..<2000).map { _ in TransitionBacktest.binomial(n, p, &stream) }.reduce(0, +) / 2000
      #expect(abs(mean - n * p) < 4 * (n * p * (1 - p) / 2000).squareRoot(), "binomial(\(n), \(p))")
    }
    for lambda in [3.0, 100.0] {
      let mean = (0..<2000).map { _ in TransitionBacktest.poisson(lambda, &stream) }.reduce(0, +) / 2000
      #expect(abs(mean - lambda) < 4 * (lambda / 2000).squareRoot(), "poisson(\(lambda))")
    }
  }
}
