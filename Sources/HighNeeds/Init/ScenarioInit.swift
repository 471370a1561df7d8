import Foundation

/// A starting scenario for one local authority, built from the national data pack: the files
/// of its folder and what the builder noticed.
public struct InitScenario: Sendable {
  public var la: LocalAuthority
  /// The scenario's name (`<la-slug>-baseline`).
  public var name: String
  /// The January census the baseline comes from.
  public var censusYear: Int
  /// Relative path → text: `baseline.yaml`, `README.md`, `assumptions.csv`, the CSV inputs under
  /// `data/` and `sweep/baseline.yaml` with `sweep/uncertainty.yaml`.
  public var files: [String: String]
  /// Every value with its status and method.
  public var log: [InitAssumption]
  /// `alert:` lines: national defaults used where the LA's figure is missing, suppressed or
  /// implausible.
  public var alerts: [String]
  /// Tables of the pack with nothing (or nothing usable) for this LA, in words.
  public var missing: [String]
  /// Plans at the base census by placement (the toolkit's 12), in micro-units (1e-6 plan).
  public var placementMicro: [String: Int]
  /// The growth trend and what it was fitted to (for the tests and the closing note).
  var growth: Builder.Growth? = nil
}

/// Builds a runnable, sourced starting scenario for any English LA from the national data pack.
///
/// This is `hnb init`; the method is in `docs/INIT.md`.
public enum ScenarioInit {
  /// The toolkit's SEN2 placements, in the built-in taxonomy's order.
  public static let placements = [
    "early_years", "mainstream", "resourced_provision", "special_maintained_in", "special_maintained_out",
    "special_independent", "special_non_maintained", "ap_pru", "fe_general", "specialist_post16",
    "educated_elsewhere", "neet",
  ]
  /// The pack's placement groups (maintained special not yet split by location).
  static let groups = [
    "early_years", "mainstream", "resourced_provision", "special_maintained", "special_independent",
    "special_non_maintained", "ap_pru", "fe_general", "specialist_post16", "neet", "educated_elsewhere",
  ]
  /// The SEN2 primary needs.
  public static let needs = [
    "ASD", "HI", "MLD", "MSI", "PD", "PMLD", "SEMH", "SLCN", "SLD", "SPLD", "VI", "OTH", "UKN",
  ]
  /// Share of maintained special plans in schools inside the LA: SEN2 does not record where
  /// the school is (the toolkit's default, as Sutton's baseline).
  public static let inBoroughShareMaintainedSpecial = 0.85
  /// The largest annual growth of an LA's residents carried forward; beyond it (a boundary or
  /// estimate change, as the City of London's 23% a year mid-2021 to mid-2024) England's is used.
  public static let plausiblePopulationGrowth = 0.03
  /// Plans of England's cessation rate mixed into each age's rate (credibility weighting).
  public static let cessationPriorPlans = 10.0
  /// Horizon of the generated baseline, years.
  public static let horizonYears = 10
  /// Bounds of a plausible unit cost: within this factor of England's median.
  static let plausibleFactor = 3.0

  static let ages = 0...25

  /// The DfE placement groups a generated baseline must reproduce, as the model's placements.
  public static let dfeGroups: [String: [String]] = [
    "nm_early_years": ["early_years"],
    "mainstream_total": ["mainstream", "resourced_provision"],
    "special_total": [
      "special_maintained_in", "special_maintained_out", "special_independent", "special_non_maintained",
    ],
    "ap_pru_total": ["ap_pru"],
    "fe_total": ["fe_general", "specialist_post16"],
    "ed_elsewhere": ["educated_elsewhere", "neet"],
    "ehcplans": placements,
  ]

  /// The scenario folder for `la`.
  public static func build(la: LocalAuthority, pack: NationalPack) throws -> InitScenario {
    var builder = try Builder(la: la, pack: pack)
    return try builder.build()
  }

  /// The index of a placement of `placements` (the pack's groups other than maintained special
  /// are placements of the same name).
  static func index(_ placement: String) -> Int {
    placements.firstIndex(of: placement) ?? placements.count - 1
  }

  /// A file-name-safe slug of an LA name: lower case, letters and digits, hyphens.
  public static func slug(_ name: String) -> String {
    var out = ""
    for scalar in LALookup.normalised(name).unicodeScalars {
      if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
        out.unicodeScalars.append(scalar)
      } else if !out.hasSuffix("-") && !out.isEmpty {
        out.append("-")
      }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "la" : out
  }
}

/// The derivations, one LA at a time.
struct Builder {
  let la: LocalAuthority
  let pack: NationalPack
  let code: String
  let census: Int
  var log: [InitAssumption] = []
  var alerts: [String] = []
  var missing: [String] = []
  /// The LA's residents 0–25 at the latest mid-year.
  var population: [Double] = []
  var populationMidYear = 0

  init(la: LocalAuthority, pack: NationalPack) throws {
    self.la = la
    self.pack = pack
    self.code = la.code
    self.census = pack.latestCensusYear
  }

  var firstFinancialYear: String { YearLabel.financial(startingIn: census) }
  var packFile: (String) -> String { { "Data/national/\($0)" } }

  mutating func note(_ key: String, _ value: String, _ unit: String, _ status: InitAssumption.Status, _ method: String)
  {
    log.append(InitAssumption(key: key, value: value, unit: unit, status: status, method: method))
    if status == .nationalDefault {
      alerts.append("alert: \(la.name): \(key) = \(value) \(unit) is a national default: \(method)")
    }
  }

  func missingTable(_ file: String, _ what: String) -> InputError {
    InputError(
      SourceLocation(file: (pack.folder as NSString).appendingPathComponent(file)), key: "la \(code)",
      expected: "\(what) for \(la.name) (\(code))", found: "no rows")
  }

  // MARK: population

  mutating func loadPopulation() throws {
    guard let years = pack.population[code], let latest = years.keys.max(), let profile = years[latest] else {
      throw missingTable("population.csv", "ONS residents by single year of age")
    }
    populationMidYear = latest
    population = ScenarioInit.ages.map { profile[$0] ?? 0 }
    guard population.reduce(0, +) > 0 else { throw missingTable("population.csv", "residents aged 0-25") }
  }

  /// Ages of a pack age label ("0-2", "7", "20-25").
  static func ages(of label: String) -> ClosedRange<Int>? {
    if let age = Int(label), ScenarioInit.ages.contains(age) { return age...age }
    let parts = label.split(separator: "-")
    if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b, a >= 0, b <= 25 { return a...b }
    return nil
  }

  /// Spreads `value` over `ages` in proportion to `weights` (equal shares if they are all zero).
  static func spread(_ value: Double, over ages: ClosedRange<Int>, weights: [Double]) -> [Int: Double] {
    let w = ages.map { weights[$0] }
    let total = w.reduce(0, +)
    var out: [Int: Double] = [:]
    for (i, age) in ages.enumerated() {
      out[age] = total > 0 ? value * w[i] / total : value / Double(ages.count)
    }
    return out
  }

  // MARK: caseload

  /// Age × group table `[26][11]` of `la` at `year`, bands spread by `weights`; nil when the
  /// placements were withheld or the LA has no rows.
  func groupsByAge(_ la: String, _ year: Int, weights: [Double]) -> [[Double]]? {
    guard let cells = pack.agePlacement[la]?[year], !cells.isEmpty else { return nil }
    if cells.contains(where: { $0.category == "all" }) { return nil }
    var table = [[Double]](repeating: [Double](repeating: 0, count: ScenarioInit.groups.count), count: 26)
    for cell in cells {
      guard let g = ScenarioInit.groups.firstIndex(of: cell.category), let value = cell.value,
        let ages = Builder.ages(of: cell.age)
      else { continue }
      for (age, share) in Builder.spread(value, over: ages, weights: weights) { table[age][g] += share }
    }
    return table
  }

  /// Published plans by age (all placements) of `la` at `year`, bands spread by `weights`.
  func ageTotals(_ la: String, _ year: Int, weights: [Double]) -> [Double]? {
    guard let cells = pack.agePlacement[la]?[year], !cells.isEmpty else { return nil }
    var totals = [Double](repeating: 0, count: 26)
    var any = false
    for cell in cells {
      guard let value = cell.value, let ages = Builder.ages(of: cell.age) else { continue }
      any = true
      for (age, share) in Builder.spread(value, over: ages, weights: weights) { totals[age] += share }
    }
    return any ? totals : nil
  }

  /// The base caseload `[age][placement][need]` in micro-units.
  mutating func caseload() throws -> [[[Int]]] {
    let groupsCount = ScenarioInit.groups.count
    var groupTable: [[Double]]
    if let table = groupsByAge(code, census, weights: population) {
      groupTable = table
      note(
        "caseload.baseline (age x placement)", "January \(census)", "plans", .data,
        "DfE SEN2 January \(census), plans by single year of age and placement (\(packFile("caseload_age_placement.csv"))); the under-3 band spread over ages 0-2 in proportion to the LA's residents (ONS mid-\(populationMidYear))"
      )
    } else if let totals = ageTotals(code, census, weights: population) {
      // Placements withheld at the latest census: the previous census's placement shares at
      // each age, or England's, applied to the published plans by age.
      let previous = groupsByAge(code, census - 1, weights: population)
      let england = groupsByAge(
        "", census,
        weights: pack.population[""]?[populationMidYear].map { d in
          ScenarioInit.ages.map { d[$0] ?? 0 }
        } ?? population)
      groupTable = [[Double]](repeating: [Double](repeating: 0, count: groupsCount), count: 26)
      for age in ScenarioInit.ages where totals[age] > 0 {
        var shares = previous?[age] ?? []
        if shares.reduce(0, +) <= 0 { shares = england?[age] ?? [] }
        let sum = shares.reduce(0, +)
        guard sum > 0 else { continue }
        for g in 0..<groupsCount { groupTable[age][g] = totals[age] * shares[g] / sum }
      }
      missing.append("age x placement at January \(census) (placements withheld by DfE)")
      note(
        "caseload.baseline (age x placement)", "January \(census)", "plans", .derived,
        "DfE SEN2 January \(census) plans by age (published), split by placement in the shares of the LA's January \(census - 1) age x placement table (England's where the LA had none at an age): the January \(census) placements were withheld by DfE"
      )
      alerts.append(
        "alert: \(la.name): the January \(census) placements are withheld in SEN2; the baseline uses the January \(census - 1) placement shares (derived)"
      )
    } else {
      throw missingTable("caseload_age_placement.csv", "SEN2 plans by age at January \(census)")
    }
    // Integer micro-units per age and group (the band spreading made fractions).
    let totalPlans = groupTable.flatMap { $0 }.reduce(0, +)
    let publishedTotal = (pack.publishedTotals[code]?[census]?["ehcplans"] ?? nil) ?? totalPlans.rounded()
    // Each group's total first (whole published counts stay whole), then its ages.
    let grandMicro = Int(publishedTotal.rounded()) * 1_000_000
    let columnSums = (0..<groupsCount).map { g in (0..<26).reduce(0.0) { $0 + groupTable[$1][g] } * 1e6 }
    let columnMicro = LargestRemainder.round(columnSums, unit: 1, total: Double(grandMicro)).map { Int($0) }
    var micro = [[Int]](repeating: [Int](repeating: 0, count: groupsCount), count: 26)
    for g in 0..<groupsCount {
      let column = InitFormat.microParts((0..<26).map { groupTable[$0][g] }, total: columnMicro[g])
      for age in 0..<26 { micro[age][g] = column[age] }
    }
    // The model's placements: maintained special split in/out of the LA.
    let share = ScenarioInit.inBoroughShareMaintainedSpecial
    note(
      "caseload.baseline (maintained special in the LA)", NumberFormat.trimmed(share), "fraction", .nationalDefault,
      "assumed share of maintained special plans in schools inside the LA (SEN2 does not record where the school is); the rest are in other LAs' maintained special schools. Replace with the LA's own split"
    )
    let placementsCount = ScenarioInit.placements.count
    var ap = [[Int]](repeating: [Int](repeating: 0, count: placementsCount), count: 26)
    for age in 0..<26 {
      for (g, group) in ScenarioInit.groups.enumerated() {
        let value = micro[age][g]
        if group == "special_maintained" {
          let inside = InitFormat.microParts([share, 1 - share], total: value)
          ap[age][ScenarioInit.index("special_maintained_in")] += inside[0]
          ap[age][ScenarioInit.index("special_maintained_out")] += inside[1]
        } else {
          ap[age][ScenarioInit.index(group)] += value
        }
      }
    }
    // Need × placement.
    var needPlacement = [[Double]](repeating: [Double](repeating: 0, count: placementsCount), count: 13)
    let needCells = pack.needPlacement[code]?[census] ?? []
    let usable = !needCells.isEmpty && !needCells.contains(where: { $0.category == "all" })
    let source = usable ? needCells : (pack.needPlacement[""]?[census] ?? [])
    for cell in source {
      guard let n = ScenarioInit.needs.firstIndex(of: cell.category), let value = cell.value else { continue }
      if cell.age == "special_maintained" {
        needPlacement[n][ScenarioInit.index("special_maintained_in")] += value * share
        needPlacement[n][ScenarioInit.index("special_maintained_out")] += value * (1 - share)
      } else if let p = ScenarioInit.placements.firstIndex(of: cell.age) {
        needPlacement[n][p] += value
      }
    }
    if usable {
      note(
        "caseload.baseline (need x placement)", "January \(census)", "plans", .data,
        "DfE SEN2 January \(census), plans by primary need and placement (\(packFile("caseload_need_placement.csv")))")
    } else {
      missing.append("need x placement at January \(census) (withheld by DfE)")
      note(
        "caseload.baseline (need x placement)", "England January \(census)", "shares", .nationalDefault,
        "the LA's need x placement table is withheld in SEN2 January \(census): England's need mix within each placement is used"
      )
    }
    // Seed: the LA's need × age table, smoothed by +0.5 a cell (England's if withheld).
    var seed = [[Double]](repeating: [Double](repeating: 0.5, count: 13), count: 26)
    var seedCells = pack.needAge[code]?[census] ?? []
    if seedCells.isEmpty || seedCells.contains(where: { $0.value == nil }) {
      seedCells = pack.needAge[""]?[census] ?? []
      missing.append("need x age at January \(census)")
    }
    for cell in seedCells {
      guard let n = ScenarioInit.needs.firstIndex(of: cell.category), let value = cell.value,
        let ages = Builder.ages(of: cell.age)
      else { continue }
      for (age, part) in Builder.spread(value, over: ages, weights: population) { seed[age][n] += part }
    }
    let apDouble = ap.map { $0.map { Double($0) / 1e6 } }
    let fitted = IPF.fit(agePlacement: apDouble, needPlacement: needPlacement, seed: seed)
    note(
      "caseload.baseline (age x placement x need)", "IPF", "plans", .derived,
      "iterative proportional fitting of the age x placement and need x placement tables from the LA's need x age table (+0.5 a cell) as the seed: \(fitted.iterations) iterations, largest need x placement gap \(NumberFormat.trimmed(fitted.needGap, places: 9)) plans; every age x placement cell and so every placement total and the total are exactly the published ones"
    )
    var out = [[[Int]]](
      repeating: [[Int]](repeating: [Int](repeating: 0, count: 13), count: placementsCount), count: 26)
    for age in 0..<26 {
      for p in 0..<placementsCount where ap[age][p] > 0 {
        out[age][p] = InitFormat.microParts(fitted.table[age][p], total: ap[age][p])
      }
    }
    return out
  }

  // MARK: build

  mutating func build() throws -> InitScenario {
    try loadPopulation()
    let caseload = try caseload()
    let placementCount = ScenarioInit.placements.count
    var placementMicro: [String: Int] = [:]
    var byAge = [Double](repeating: 0, count: 26)
    var byPlacement = [Double](repeating: 0, count: placementCount)
    var total = 0
    for age in 0..<26 {
      for p in 0..<placementCount {
        let cell = caseload[age][p].reduce(0, +)
        placementMicro[ScenarioInit.placements[p], default: 0] += cell
        byAge[age] += Double(cell) / 1e6
        byPlacement[p] += Double(cell) / 1e6
        total += cell
      }
    }
    // The published totals must hold exactly.
    if let published = pack.publishedTotals[code]?[census]?["ehcplans"] ?? nil, Int(published) * 1_000_000 != total {
      throw IntegrityError(failures: [
        "\(la.name): the baseline holds \(NumberFormat.micro(total)) plans; SEN2 January \(census) publishes \(Int(published))"
      ])
    }
    var files: [String: String] = [:]
    let baselineFile = "data/baseline_caseload_\(census).csv"
    var lines = ["age,placement,need,plans"]
    for age in 0..<26 {
      for p in 0..<placementCount {
        for n in 0..<13 where caseload[age][p][n] > 0 {
          lines.append(
            "\(age),\(ScenarioInit.placements[p]),\(ScenarioInit.needs[n]),\(NumberFormat.micro(caseload[age][p][n]))")
        }
      }
    }
    files[baselineFile] = lines.joined(separator: "\n") + "\n"

    files["data/population.csv"] =
      "age,population\n"
      + ScenarioInit.ages.map { "\($0),\(NumberFormat.trimmed(population[$0], places: 2))" }.joined(separator: "\n")
      + "\n"
    note(
      "caseload.population", "mid-\(populationMidYear)", "residents", .data,
      "ONS mid-\(populationMidYear) residents by single year of age 0-25 (\(packFile("population.csv"))), as the residents at January \(census)"
    )
    let growth = populationGrowth()
    let incidence = try incidenceRates()
    files["data/incidence.csv"] =
      "age,rate\n"
      + ScenarioInit.ages.map { "\($0),\(NumberFormat.trimmed(incidence[$0], places: 8))" }.joined(separator: "\n")
      + "\n"
    let cessation = cessationRates(byAge: byAge)
    files["data/cessation.csv"] =
      "age,placement,rate\n"
      + (0...24).map { "\($0),all,\(NumberFormat.trimmed(cessation[$0], places: 8))" }.joined(separator: "\n") + "\n"
    let trend = growthTrend(byAge: byAge, populationGrowth: growth, incidence: incidence, cessation: cessation)
    files["data/new_plan_mix.csv"] = newPlanMix(caseload: caseload, byPlacement: byPlacement, incidence: incidence)
    files["data/transitions.csv"] = pack.transitionsDefault
    note(
      "caseload.transitions", "data/transitions.csv", "probability", .nationalDefault,
      "moves at phase transfers (into reception, Year 7, Year 12, post-19): the toolkit's default pattern (\(packFile("transitions_default.csv")), Sutton's assumed moves), not calibrated on this LA; calibrate with hnb fit --transitions where child-level data exist"
    )
    let places = placesPlan(byPlacement: byPlacement)
    files["data/places.csv"] = places.text
    let costs = try costInputs(byPlacement: byPlacement)
    files["data/top_ups.csv"] = costs.topUps
    let income = try incomeInputs(totalPlans: Double(total) / 1e6)
    let name = "\(ScenarioInit.slug(la.name))-baseline"
    let yaml = baselineYAML(
      name: name, totalPlans: Double(total) / 1e6, baselineFile: baselineFile, growth: growth, trend: trend,
      places: places,
      costs: costs,
      income: income)
    files["baseline.yaml"] = yaml
    files.merge(try pipelineFiles(incidence: incidence, trend: trend, name: name)) { $1 }
    files["settlement.yaml"] = settlementYAML()
    files["sweep/baseline.yaml"] = sweepYAML(name: name)
    files["sweep/uncertainty.yaml"] = uncertaintyYAML(trend)
    files["assumptions.csv"] = assumptionsCSV()
    files["README.md"] = readme(
      name: name, totalPlans: Double(total) / 1e6, byPlacement: byPlacement, income: income, trend: trend)
    return InitScenario(
      la: la, name: name, censusYear: census, files: files, log: log, alerts: alerts, missing: missing,
      placementMicro: placementMicro, growth: trend)
  }

  // MARK: flows

  /// Annualised growth of the residents aged 0–25 of `la` from the pack's first to its latest
  /// mid-year, with those years and totals.
  func residentsGrowth(_ la: String) -> (growth: Double, first: Int, last: Int, from: Double, to: Double)? {
    guard let years = pack.population[la], let first = years.keys.min(), let last = years.keys.max(), last > first,
      let a = years[first], let b = years[last]
    else { return nil }
    let sumA = ScenarioInit.ages.reduce(0.0) { $0 + (a[$1] ?? 0) }
    let sumB = ScenarioInit.ages.reduce(0.0) { $0 + (b[$1] ?? 0) }
    guard sumA > 0 else { return nil }
    let g = pow(sumB / sumA, 1 / Double(last - first)) - 1
    return ((g * 1e6).rounded() / 1e6, first, last, sumA, sumB)
  }

  mutating func populationGrowth() -> Double {
    let key = "caseload.population_growth_fraction_per_year"
    let england = residentsGrowth("")
    if let own = residentsGrowth(code), abs(own.growth) <= ScenarioInit.plausiblePopulationGrowth {
      note(
        key, NumberFormat.trimmed(own.growth), "fraction per year", .derived,
        "the LA's residents aged 0-25, ONS mid-\(own.first) to mid-\(own.last) (\(NumberFormat.trimmed(own.from, places: 0)) to \(NumberFormat.trimmed(own.to, places: 0))), annualised and carried forward"
      )
      return own.growth
    }
    let own = residentsGrowth(code)
    let value = england?.growth ?? 0
    note(
      key, NumberFormat.trimmed(value), "fraction per year", .nationalDefault,
      (own.map {
        "the LA's residents aged 0-25 changed by \(NumberFormat.trimmed($0.growth * 100, places: 1))% a year from mid-\($0.first) to mid-\($0.last) (\(NumberFormat.trimmed($0.from, places: 0)) to \(NumberFormat.trimmed($0.to, places: 0))), more than \(NumberFormat.trimmed(ScenarioInit.plausiblePopulationGrowth * 100, places: 0))% a year, which is not carried for ten years"
      } ?? "no earlier mid-year for the LA in the pack")
        + ": England's 0-25 growth over the same years is used")
    return value
  }

  /// Rates by age from new plans by age at start and residents, or nil without age rows.
  func ratesByAge(_ la: String, year: Int, population: [Double]) -> (rates: [Double], total: Double)? {
    guard let cells = pack.newPlans[la]?[year] else { return nil }
    let ageCells = cells.filter { $0.category == "all" && $0.age != "Total" }
    guard !ageCells.isEmpty, !ageCells.contains(where: { $0.value == nil }) else { return nil }
    var rates = [Double](repeating: 0, count: 26)
    var known = 0.0
    for cell in ageCells {
      guard let ages = Builder.ages(of: cell.age), let value = cell.value else { continue }
      let residents = ages.reduce(0.0) { $0 + population[$1] }
      known += value
      for age in ages where residents > 0 { rates[age] = value / residents }
    }
    let published = cells.first(where: { $0.category == "all" && $0.age == "Total" })?.value ?? known
    if known > 0, published > known { rates = rates.map { $0 * published / known } }
    return (rates.map { min($0, 1) }, published)
  }

  mutating func incidenceRates() throws -> [Double] {
    let year = pack.latestNewPlansYear
    let englandPopulation = ScenarioInit.ages.map { pack.population[""]?[populationMidYear]?[$0] ?? 0 }
    if let own = ratesByAge(code, year: year, population: population) {
      note(
        "caseload.incidence", "data/incidence.csv", "fraction per year", .derived,
        "the LA's new EHC plans in calendar \(year) by age at start (\(NumberFormat.trimmed(own.total, places: 0)) in all; \(packFile("new_plans.csv"))) / its residents of that age (ONS mid-\(populationMidYear)); the bands 0-2 and 20-25 at one rate each; plans of unknown age spread pro rata"
      )
      return own.rates
    }
    guard let england = ratesByAge("", year: year, population: englandPopulation) else {
      throw missingTable("new_plans.csv", "England's new plans by age in \(year)")
    }
    let total = pack.newPlans[code]?[year]?.first(where: { $0.category == "all" && $0.age == "Total" })?.value
    if let total {
      let expected = ScenarioInit.ages.reduce(0.0) { $0 + england.rates[$1] * population[$1] }
      let factor = expected > 0 ? total / expected : 1
      missing.append("new plans by age in \(year)")
      note(
        "caseload.incidence", "data/incidence.csv", "fraction per year", .derived,
        "England's new-plan rates by age in \(year), scaled to the LA's \(NumberFormat.trimmed(total, places: 0)) new plans (its ages are not published)"
      )
      return england.rates.map { min($0 * factor, 1) }
    }
    missing.append("new plans in \(year)")
    note(
      "caseload.incidence", "data/incidence.csv", "fraction per year", .nationalDefault,
      "England's new-plan rates by age in calendar \(year): the LA's new plans are not published")
    return england.rates
  }

  /// Cessation rates by age 0–24 of `la` from its ceased plans in `year` and stock by age.
  func cessationByAge(_ la: String, year: Int, stock: [Double]) -> [Double?]? {
    guard let cells = pack.ceased[la]?[year], !cells.isEmpty, !cells.contains(where: { $0.value == nil }) else {
      return nil
    }
    var rates = [Double?](repeating: nil, count: 25)
    var known = 0.0
    var total = 0.0
    for cell in cells {
      guard let value = cell.value else { continue }
      if cell.age == "Total" {
        total = value
        continue
      }
      guard var ages = Builder.ages(of: cell.age) else { continue }
      known += value
      var ceased = value
      if ages.upperBound == 25 {  // plans at 25 always end: the rest ceased at 20-24
        ceased = max(0, value - stock[25])
        ages = ages.lowerBound...24
      }
      let held = ages.reduce(0.0) { $0 + stock[$1] }
      for age in ages where held > 0 { rates[age] = ceased / held }
    }
    let scale = known > 0 && total > known ? total / known : 1
    return rates.map { $0.map { min($0 * scale, 1) } }
  }

  mutating func cessationRates(byAge: [Double]) -> [Double] {
    let year = pack.latestCeasedYear
    let stockOwn = ageTotals(code, year, weights: population)
    let stock = stockOwn ?? byAge
    let englandWeights = ScenarioInit.ages.map { pack.population[""]?[populationMidYear]?[$0] ?? 0 }
    let englandStock = ageTotals("", year, weights: englandWeights) ?? []
    let england = englandStock.isEmpty ? nil : cessationByAge("", year: year, stock: englandStock)
    let own = cessationByAge(code, year: year, stock: stock)
    var rates = [Double](repeating: 0, count: 25)
    var defaulted: [Int] = []
    for age in 0...24 {
      if let rate = own?[age] ?? nil {
        // Credibility weighting: the LA's rate on its plans at that age, England's on a prior
        // of `cessationPriorPlans` plans, so a rate on a handful of plans is not taken whole.
        let englandRate = (england?[age] ?? nil) ?? rate
        let m = ScenarioInit.cessationPriorPlans
        rates[age] = (rate * stock[age] + englandRate * m) / (stock[age] + m)
      } else {
        rates[age] = (england?[age] ?? nil) ?? 0
        defaulted.append(age)
      }
    }
    if own == nil {
      missing.append("ceased plans by age in \(year)")
      note(
        "caseload.cessation", "data/cessation.csv", "fraction per year", .nationalDefault,
        "England's ceased plans in calendar \(year) by age / England's plans by age at January \(year): the LA's ceased plans by age are not published"
      )
    } else {
      note(
        "caseload.cessation", "data/cessation.csv", "fraction per year", .derived,
        "the LA's ceased plans in calendar \(year) by age at ceasing (\(packFile("ceased_plans.csv"))) / its plans of that age at January \(stockOwn == nil ? census : year)\(stockOwn == nil ? " (its January \(year) ages are withheld)" : ""); 20-25: ceased less the plans at 25 (which always end) over the plans at 20-24; unknown ages pro rata; capped at 1; each age's rate weighted with England's as if England's were observed on \(NumberFormat.trimmed(ScenarioInit.cessationPriorPlans)) more plans (credibility weighting: it moves an age with hundreds of plans by a few percent of the difference, and keeps a handful of plans from setting the rate)"
          + (defaulted.isEmpty
            ? "" : "; England's rate at ages with no plans: \(defaulted.map(String.init).joined(separator: " "))"))
    }
    return rates
  }

  mutating func newPlanMix(caseload: [[[Int]]], byPlacement: [Double], incidence: [Double]) -> String {
    // Placement weights: the LA's new plans by placement against its caseload by placement.
    let year = pack.latestNewPlansYear
    var ratio = [Double](repeating: 1, count: ScenarioInit.placements.count)
    var usedRatio = false
    if let cells = pack.newPlans[code]?[year]?.filter({ $0.age == "Total" && $0.category != "all" }), !cells.isEmpty,
      !cells.contains(where: { $0.value == nil })
    {
      let newTotal = cells.reduce(0.0) { $0 + ($1.value ?? 0) }
      let stockTotal = byPlacement.reduce(0, +)
      for (p, placement) in ScenarioInit.placements.enumerated() where byPlacement[p] > 0 && newTotal > 0 {
        let group = placement.hasPrefix("special_maintained") ? "special_maintained" : placement
        let groupStock =
          placement.hasPrefix("special_maintained")
          ? byPlacement[3] + byPlacement[4] : byPlacement[p]
        let newShare = (cells.first(where: { $0.category == group })?.value ?? 0) / newTotal
        ratio[p] = newShare / (groupStock / stockTotal)
        usedRatio = true
      }
    }
    var lines = ["age,placement,need,share"]
    var borrowed: [Int] = []
    for age in 0...25 {
      // This age's caseload reweighted by placement; unweighted if that leaves nothing; else
      // the nearest age holding plans.
      var weights: [Double] = []
      let order = (0...25).sorted { (abs($0 - age), $0) < (abs($1 - age), $1) }
      search: for source in order {
        for useRatio in [true, false] {
          weights = []
          for p in 0..<ScenarioInit.placements.count {
            for n in 0..<13 { weights.append(Double(caseload[source][p][n]) * (useRatio ? ratio[p] : 1)) }
          }
          if weights.reduce(0, +) > 0 {
            if source != age && incidence[age] > 0 { borrowed.append(age) }
            break search
          }
        }
      }
      let micro = InitFormat.microParts(weights, total: 1_000_000)
      for (i, value) in micro.enumerated() where value > 0 {
        lines.append(
          "\(age),\(ScenarioInit.placements[i / 13]),\(ScenarioInit.needs[i % 13]),\(NumberFormat.micro(value))")
      }
    }
    note(
      "caseload.new_plan_mix", "data/new_plan_mix.csv", "share", .derived,
      "at each age, the baseline caseload's placement x need mix at that age"
        + (usedRatio
          ? ", reweighted by placement by the LA's new plans in calendar \(year) by placement against its caseload by placement"
          : " (the LA's new plans by placement are not published)")
        + (borrowed.isEmpty
          ? "" : "; ages with no plans take the nearest age's mix: \(borrowed.map(String.init).joined(separator: " "))")
    )
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: places

  struct Places {
    var text: String
    var places: [String: Int]
  }

  mutating func placesPlan(byPlacement: [Double]) -> Places {
    var rows = ["placement,academic_year,places"]
    var places: [String: Int] = [:]
    for placement in ["resourced_provision", "special_maintained_in", "ap_pru"] {
      let p = ScenarioInit.index(placement)
      let value = Int(byPlacement[p].rounded(.up))
      places[placement] = value
      for year in (census - 1)...(census + ScenarioInit.horizonYears - 1) {
        rows.append("\(placement),\(YearLabel.academic(startingIn: year)),\(value)")
      }
      note(
        "capacity.places[\(placement)]", "\(value)", "places", .derived,
        "the LA's \(placement) plans at January \(census) rounded up, held flat (a full sector, no place plan in the public data): replace with the commissioned places"
      )
    }
    return Places(text: rows.joined(separator: "\n") + "\n", places: places)
  }

  // MARK: costs

  struct Costs {
    var topUps: String
    var topUp: [String: Double]
    var topUpUplift: Double
    var independentUplift: Double
    var centralLines:
      [(id: String, label: String, gbp: Double, uplift: Double, status: InitAssumption.Status, method: String)]
    var placeRates: [String: (value: Double, source: String)]
  }

  /// The s251 unit-cost figures of one LA at the s251 budget year's prices, by cost key.
  static func rawUnitCosts(_ pack: NationalPack, _ la: String) -> [String: Double] {
    guard let lines = pack.s251[la], let year = Int(pack.s251Year.prefix(4)),
      let plans = pack.placementTotals[la]?[year]
    else { return [:] }
    func line(_ id: String) -> Double? { lines[id] ?? nil }
    func count(_ groups: [String]) -> Double { groups.reduce(0.0) { $0 + ((plans[$1] ?? nil) ?? 0) } }
    var out: [String: Double] = [:]
    func put(_ key: String, _ amount: Double?, _ denominator: Double) {
      if let amount, denominator > 0, amount > 0 { out[key] = amount / denominator }
    }
    put(
      "mainstream", (line("topup_maintained_primary") ?? 0) + (line("topup_maintained_secondary") ?? 0),
      count(["mainstream", "resourced_provision"]))
    put("special_maintained", line("topup_maintained_special"), count(["special_maintained"]))
    put(
      "independent",
      (line("topup_nmi_special") ?? 0) + (line("topup_nmi_primary") ?? 0) + (line("topup_nmi_secondary") ?? 0),
      count(["special_independent", "special_non_maintained"]))
    put("fe_general", line("topup_maintained_post_school"), count(["fe_general"]))
    put("specialist_post16", line("topup_nmi_post_school"), count(["specialist_post16"]))
    put(
      "early_years", (line("topup_maintained_early_years") ?? 0) + (line("topup_nmi_early_years") ?? 0),
      count(["early_years"]))
    return out
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let mid = sorted.count / 2
    return sorted.count % 2 == 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid]
  }

  mutating func costInputs(byPlacement: [Double]) throws -> Costs {
    let s251Year = pack.s251Year
    let s251Census = Int(s251Year.prefix(4)) ?? census
    // England's unit costs, the earliest and latest financial years of national_figures.csv.
    let specialSeries = try pack.yearly("unit_cost_maintained_special")
    let inmssSeries = try pack.yearly("unit_cost_inmss")
    guard let special21 = specialSeries.first, let special23 = specialSeries.last, let inmss21 = inmssSeries.first,
      let inmss24 = inmssSeries.last
    else { throw missingTable("national_figures.csv", "England's unit costs") }
    let g = pow(special23.value / special21.value, 1 / Double(special23.start - special21.start)) - 1
    let gIndependent = pow(inmss24.value / inmss21.value, 1 / Double(inmss24.start - inmss21.start)) - 1
    let gRounded = (g * 1e4).rounded() / 1e4
    let gIndependentRounded = (gIndependent * 1e4).rounded() / 1e4
    let yearsToPriceBase = Double(census - 1 - s251Census)
    let upliftToBase = pow(1 + gRounded, yearsToPriceBase)
    let upliftIndependentToBase = pow(1 + gIndependentRounded, yearsToPriceBase)
    let priceBase = YearLabel.academic(startingIn: census - 1)
    note(
      "costs (past uplift, state-funded lines)", NumberFormat.trimmed(gRounded), "fraction per year", .derived,
      "England's maintained special cost per pupil £\(Int(special21.value)) (\(special21.label)) to £\(Int(special23.value)) (\(special23.label)), annualised (\(special21.source); \(special23.source)); carries \(s251Year) figures to \(priceBase) prices"
    )
    note(
      "costs (past uplift, independent lines)", NumberFormat.trimmed(gIndependentRounded), "fraction per year",
      .derived,
      "England's independent and non-maintained special cost per pupil £\(Int(inmss21.value)) (\(inmss21.label)) to £\(Int(inmss24.value)) (\(inmss24.label)), annualised (\(inmss21.source))"
    )
    // England medians of each unit cost across LAs.
    var all: [String: [Double]] = [:]
    for other in pack.currentAuthorities + pack.authorities.filter({ $0.status != .current }) {
      for (key, value) in Builder.rawUnitCosts(pack, other.code) { all[key, default: []].append(value) }
    }
    let medians = all.mapValues(Builder.median)
    let own = Builder.rawUnitCosts(pack, code)
    if pack.s251[code] == nil { missing.append("s251 high-needs budget \(s251Year)") }
    let denominators: [String: String] = [
      "mainstream":
        "(top-ups to maintained schools and academies, primary + secondary) / (mainstream + resourced provision plans)",
      "special_maintained": "(top-ups to maintained schools and academies, special) / (maintained special plans)",
      "independent":
        "(top-ups to non-maintained and independent providers, special + primary + secondary) / (independent + non-maintained special plans)",
      "fe_general": "(top-ups to maintained schools, academies and colleges, post school) / (general FE plans)",
      "specialist_post16":
        "(top-ups to non-maintained and independent providers, post school) / (specialist post-16 plans)",
      "early_years": "(top-ups, early years) / (early years plans)",
    ]
    var unit: [String: Double] = [:]
    var statusOf: [String: (InitAssumption.Status, String)] = [:]
    for key in ["mainstream", "special_maintained", "independent", "fe_general", "specialist_post16", "early_years"] {
      let m = medians[key] ?? 0
      let uplift = key == "independent" ? upliftIndependentToBase : upliftToBase
      let how = denominators[key] ?? ""
      if let value = own[key], m > 0, value >= m / ScenarioInit.plausibleFactor,
        value <= m * ScenarioInit.plausibleFactor
      {
        unit[key] = (value * uplift).rounded()
        statusOf[key] = (
          .derived,
          "the LA's s251 budget \(s251Year): \(how) at January \(s251Census) (£\(Int(value.rounded())) a plan), uplifted to \(priceBase) prices x \(NumberFormat.trimmed(uplift, places: 4))"
        )
      } else {
        unit[key] = (m * uplift).rounded()
        let why =
          own[key] == nil
          ? "the LA's figure is not published (no s251 line or no plans)"
          : "the LA's figure £\(Int((own[key] ?? 0).rounded())) a plan is outside 1/\(Int(ScenarioInit.plausibleFactor))-\(Int(ScenarioInit.plausibleFactor)) x England's median (implausible)"
        statusOf[key] = (
          .nationalDefault,
          "\(why): the median over LAs of \(how) in the s251 budget \(s251Year) (£\(Int(m.rounded()))), uplifted to \(priceBase) prices x \(NumberFormat.trimmed(uplift, places: 4))"
        )
      }
    }
    let apUnit = unit["special_maintained"] ?? 0
    let elsewhereUnit = (medians["mainstream"] ?? 0) * upliftToBase
    var topUp: [String: Double] = [
      "early_years": unit["early_years"] ?? 0, "mainstream": unit["mainstream"] ?? 0,
      "resourced_provision": unit["mainstream"] ?? 0, "special_maintained_in": unit["special_maintained"] ?? 0,
      "special_maintained_out": unit["special_maintained"] ?? 0, "special_independent": unit["independent"] ?? 0,
      "special_non_maintained": unit["independent"] ?? 0, "ap_pru": apUnit, "fe_general": unit["fe_general"] ?? 0,
      "specialist_post16": unit["specialist_post16"] ?? 0, "educated_elsewhere": elsewhereUnit.rounded(), "neet": 0,
    ]
    topUp = topUp.mapValues { $0.rounded() }
    let keyOf: [String: String] = [
      "early_years": "early_years", "mainstream": "mainstream", "resourced_provision": "mainstream",
      "special_maintained_in": "special_maintained", "special_maintained_out": "special_maintained",
      "special_independent": "independent", "special_non_maintained": "independent", "fe_general": "fe_general",
      "specialist_post16": "specialist_post16",
    ]
    var rows = ["placement,need,gbp_per_plan"]
    for placement in ScenarioInit.placements {
      let value = topUp[placement] ?? 0
      rows.append("\(placement),all,\(NumberFormat.wholePounds(value))")
      let logKey = "data/top_ups.csv[\(placement)]"
      if let key = keyOf[placement], let (status, method) = statusOf[key] {
        note(logKey, NumberFormat.wholePounds(value), "gbp per plan per year", status, method)
      } else if placement == "ap_pru" {
        note(
          logKey, NumberFormat.wholePounds(value), "gbp per plan per year", .nationalDefault,
          "assumed equal to the LA's maintained special top-up: s251 AP top-ups mostly pay for pupils without a plan (they are a central line here)"
        )
      } else if placement == "educated_elsewhere" {
        note(
          logKey, NumberFormat.wholePounds(value), "gbp per plan per year", .nationalDefault,
          "assumed: England's median mainstream top-up, uplifted (no public figure for education otherwise than at school)"
        )
      } else {
        note(
          logKey, "0", "gbp per plan per year", .nationalDefault,
          "assumed: no provision is paid for a young person not in education, employment or training")
      }
    }
    // Central lines from the s251 budget, uplifted to the first forecast financial year.
    let upliftToFirstYear = pow(1 + gRounded, Double(census - s251Census))
    let lines = pack.s251[code]
    var central:
      [(id: String, label: String, gbp: Double, uplift: Double, status: InitAssumption.Status, method: String)] = []
    let plans21 = pack.placementTotals[code]?[s251Census] ?? [:]
    let ap21 = (plans21["ap_pru"] ?? nil) ?? 0
    let special21Plans = (plans21["special_maintained"] ?? nil) ?? 0
    let rp21 = (plans21["resourced_provision"] ?? nil) ?? 0
    let apUnit21 = (own["special_maintained"] ?? medians["special_maintained"] ?? 0)
    let placeSpecial = try pack.figure("place_funding_special_gbp")
    let placeRP = try pack.figure("place_funding_resourced_provision_gbp")
    let placeAP = try pack.figure("place_funding_ap_gbp")
    let specs: [(String, String, (([String: Double?]) -> Double?), String, Double)] = [
      (
        "sen_support", "SEN support and inclusion services", { $0["central_sen_support"] ?? nil },
        "central services: SEN support and inclusion", upliftToFirstYear
      ),
      (
        "therapies", "Therapies and other health-related services", { $0["central_therapies"] ?? nil },
        "central services: therapies and other health related", upliftToFirstYear
      ),
      (
        "hospital_education", "Hospital education services", { $0["central_hospital_education"] ?? nil },
        "central services: hospital education", upliftToFirstYear
      ),
      (
        "ap_services", "Alternative provision services", { $0["central_ap_services"] ?? nil },
        "central services: alternative provision", upliftToFirstYear
      ),
      (
        "ap_topups_non_ehcp", "PRU/AP top-ups for pupils without an EHC plan",
        { l in
          let total = ((l["topup_maintained_ap"] ?? nil) ?? 0) + ((l["topup_nmi_ap"] ?? nil) ?? 0)
          return max(0, total - ap21 * apUnit21)
        },
        "top-ups to PRUs and AP less the AP plans at January \(s251Census) x the maintained special top-up (which the ap_pru placement carries)",
        upliftToFirstYear
      ),
      (
        "early_years_inclusion", "Early years SEN inclusion places", { $0["place_early_years"] ?? nil },
        "place funding: early years", upliftToFirstYear
      ),
      (
        "place_funding_other", "Place funding not on the places the model holds for the LA's residents",
        { l in
          guard let total = l["place_total"] ?? nil else { return nil }
          return max(
            0,
            total - special21Plans * ScenarioInit.inBoroughShareMaintainedSpecial * placeSpecial.value - rp21
              * placeRP.value
              - ap21 * placeAP.value - ((l["place_early_years"] ?? nil) ?? 0))
        },
        "place funding (total) less the places the model funds (maintained special in the LA, resourced provision and AP plans at January \(s251Census) at the national rates) and early years: places used by other LAs' pupils, post-16 and hospital places; floored at 0",
        1
      ),
    ]
    // England medians per plan (January of the s251 year) for LAs without an s251 return.
    for (id, label, amount, what, uplift) in specs {
      if let lines, let value = amount(lines), value < 0 {
        central.append(
          (
            id, label, 0, id == "place_funding_other" ? 0 : 0.03, .nationalDefault,
            "the LA's s251 budget \(s251Year), \(what), is negative (£\(Int(value.rounded())), net income, not spend): 0 used"
          ))
      } else if let lines, let value = amount(lines) {
        let gbp = (value * uplift).rounded()
        central.append(
          (
            id, label, gbp, id == "place_funding_other" ? 0 : 0.03, .derived,
            "the LA's s251 budget \(s251Year), \(what): £\(Int(value.rounded()))"
              + (uplift == 1
                ? ", not uplifted (place rates unchanged since 2013)"
                : ", x \(NumberFormat.trimmed(uplift, places: 4)) to \(firstFinancialYear)")
          ))
      } else {
        var perPlan: [Double] = []
        for other in pack.currentAuthorities {
          guard let l = pack.s251[other.code], let v = amount(l),
            let plans = pack.placementTotals[other.code]?[s251Census]?.values.reduce(0.0, { $0 + ($1 ?? 0) }), plans > 0
          else { continue }
          perPlan.append(v / plans)
        }
        let totalPlans = byPlacement.reduce(0, +)
        let gbp = (Builder.median(perPlan) * totalPlans * uplift).rounded()
        central.append(
          (
            id, label, gbp, id == "place_funding_other" ? 0 : 0.03, .nationalDefault,
            "the LA's s251 line is not published: England's median per plan of \(what) in the s251 budget \(s251Year) (£\(Int(Builder.median(perPlan).rounded()))) x the LA's \(Int(totalPlans.rounded())) plans at January \(census)"
              + (uplift == 1 ? "" : ", x \(NumberFormat.trimmed(uplift, places: 4)) to \(firstFinancialYear)")
          ))
      }
    }
    for line in central {
      note(
        "costs.central_lines.\(line.id).gbp", NumberFormat.wholePounds(line.gbp), "gbp per year", line.status,
        line.method)
    }
    return Costs(
      topUps: rows.joined(separator: "\n") + "\n", topUp: topUp, topUpUplift: 0.03,
      independentUplift: gIndependentRounded, centralLines: central,
      placeRates: [
        "special_maintained_in": placeSpecial, "resourced_provision": placeRP, "ap_pru": placeAP,
      ])
  }

  // MARK: income

  struct Income {
    var hnb: Double
    var hnbStatus: InitAssumption.Status
    var hnbMethod: String
    var latestYear: String
    var latestHNB: Double?
    var growth: [(year: String, value: Double, source: String)]
    var schoolsBlock: Double
    var schoolsStatus: InitAssumption.Status
    var schoolsMethod: String
    var totalDSG: [(year: String, value: Double)]
    var dsgStatus: InitAssumption.Status
    var dsgMethod: String
    var importExport: (year: String, value: Double)?
    var balancePercent: (year: String, value: Double)?
  }

  mutating func incomeInputs(totalPlans: Double) throws -> Income {
    let first = firstFinancialYear
    let englandFirst = try pack.figure("england_hnb_gbp_\(first)")
    let englandAllocations = pack.allocations[""] ?? [:]
    let own = pack.allocations[code] ?? [:]
    let ownYears = own.filter { ($0.value["hnb_before_deductions_gbp"] ?? nil) != nil }.keys.sorted()
    var income: Income
    let englandLatestYear = englandAllocations.keys.sorted().last ?? ""
    let englandLatest = (englandAllocations[englandLatestYear]?["hnb_before_deductions_gbp"] ?? nil) ?? 0
    let years = (census...(census + ScenarioInit.horizonYears - 1)).map { YearLabel.financial(startingIn: $0) }
    var growth: [(year: String, value: Double, source: String)] = []
    for year in years.dropFirst() {
      if let fixed = pack.national["hnb_growth_\(year)"] {
        growth.append((year, fixed.value, fixed.source))
      } else {
        growth.append(
          (
            year, 0.03,
            "national default: assumed cash growth of 3% a year; no national settlement for this year is in the pack"
          ))
      }
    }
    if let latest = ownYears.last, let value = own[latest]?["hnb_before_deductions_gbp"] ?? nil,
      let englandValue = englandAllocations[latest]?["hnb_before_deductions_gbp"] ?? nil
    {
      let factor = englandFirst.value / englandValue
      let hnb = (value * factor).rounded()
      income = Income(
        hnb: hnb, hnbStatus: .derived,
        hnbMethod:
          "the LA's HNB allocation before deductions \(latest) £\(NumberFormat.wholePounds(value)) (ESFA, \(packFile("hnb_allocations.csv"))) x England's growth \(latest) to \(first) (£\(NumberFormat.wholePounds(englandValue)) to £\(NumberFormat.wholePounds(englandFirst.value)), \(englandFirst.source)) = x \(NumberFormat.trimmed(factor, places: 6)); the LA's own \(first) allocation is not in the pack: replace it",
        latestYear: latest, latestHNB: value, growth: growth, schoolsBlock: 0, schoolsStatus: .derived,
        schoolsMethod: "",
        totalDSG: [], dsgStatus: .derived, dsgMethod: "", importExport: nil, balancePercent: nil)
    } else {
      missing.append("HNB allocations (ESFA DSG)")
      let englandPlans = (pack.publishedTotals[""]?[census]?["ehcplans"] ?? nil) ?? 1
      let hnb = (englandFirst.value / englandPlans * totalPlans).rounded()
      income = Income(
        hnb: hnb, hnbStatus: .nationalDefault,
        hnbMethod:
          "the LA has no HNB allocation in the ESFA summaries: England's \(first) HNB £\(NumberFormat.wholePounds(englandFirst.value)) / England's \(Int(englandPlans)) plans at January \(census) x the LA's \(Int(totalPlans.rounded())) plans; replace with the LA's allocation",
        latestYear: englandLatestYear, latestHNB: nil, growth: growth, schoolsBlock: 0, schoolsStatus: .nationalDefault,
        schoolsMethod: "", totalDSG: [], dsgStatus: .nationalDefault, dsgMethod: "", importExport: nil,
        balancePercent: nil)
    }
    note("income.hnb_allocation_gbp", NumberFormat.wholePounds(income.hnb), "gbp", income.hnbStatus, income.hnbMethod)
    for g in growth where !g.source.hasPrefix("national default") {
      note("income.hnb_growth_fraction_per_year[\(g.year)]", NumberFormat.trimmed(g.value), "fraction", .data, g.source)
    }
    let defaulted = growth.filter { $0.source.hasPrefix("national default") }
    if let firstDefault = defaulted.first, let lastDefault = defaulted.last {
      note(
        "income.hnb_growth_fraction_per_year[\(firstDefault.year) to \(lastDefault.year)]", "0.03", "fraction",
        .nationalDefault, "assumed cash growth of 3% a year: no national settlement for these years is in the pack")
    }
    // Schools Block: the latest published, held flat.
    if let latest = ownYears.last, let value = own[latest]?["schools_block_gbp"] ?? nil {
      income.schoolsBlock = value.rounded()
      income.schoolsStatus = .derived
      income.schoolsMethod =
        "the LA's Schools Block before deductions \(latest) (ESFA), held flat (it only sizes a block transfer, which is 0 here)"
    } else {
      income.schoolsBlock = 0
      income.schoolsStatus = .nationalDefault
      income.schoolsMethod =
        "no Schools Block in the pack for this LA: 0 (it only sizes a block transfer, which is 0 here)"
    }
    note(
      "income.schools_block_gbp", NumberFormat.wholePounds(income.schoolsBlock), "gbp", income.schoolsStatus,
      income.schoolsMethod
    )
    // Total DSG: the gross DSG (before deductions), the base of the DfE's balance percentages
    // (docs/INIT.md), at the LA's own trend carried to the first year, then 3% a year.
    let dsgColumn = "total_dsg_before_deductions_gbp"
    let dsgYears = own.filter { ($0.value[dsgColumn] ?? nil) != nil }.keys.sorted()
    if let a = dsgYears.first, let b = dsgYears.last, a != b, let va = own[a]?[dsgColumn] ?? nil,
      let vb = own[b]?[dsgColumn] ?? nil, let ya = Int(a.prefix(4)), let yb = Int(b.prefix(4)), va > 0
    {
      let trend = ((pow(vb / va, 1 / Double(yb - ya)) - 1) * 1e6).rounded() / 1e6
      var value = vb * pow(1 + trend, Double(census - yb))
      for year in years {
        income.totalDSG.append((year, value.rounded()))
        value *= 1.03
      }
      income.dsgStatus = .derived
      income.dsgMethod =
        "the LA's total DSG before deductions (gross, the base of the DfE's balance percentages) \(b) £\(NumberFormat.wholePounds(vb)) (ESFA, \(packFile("hnb_allocations.csv"))) x its own \(a) to \(b) trend (\(NumberFormat.trimmed(trend)) a year) to \(first), then 3% a year (assumed)"
    } else {
      let englandDSG = (englandAllocations[englandLatestYear]?[dsgColumn] ?? nil) ?? 0
      let ratio = englandLatest > 0 ? englandDSG / englandLatest : 0
      var value = income.hnb * ratio
      for year in years {
        income.totalDSG.append((year, value.rounded()))
        value *= 1.03
      }
      income.dsgStatus = .nationalDefault
      income.dsgMethod =
        "no DSG allocation in the pack for this LA: the HNB allocation x England's ratio of total DSG before deductions (gross) to HNB before deductions in \(englandLatestYear) (\(NumberFormat.trimmed(ratio, places: 4))), then 3% a year"
    }
    note(
      "income.total_dsg_gbp", "\(NumberFormat.wholePounds(income.totalDSG.first?.value ?? 0)) (\(first))", "gbp",
      income.dsgStatus, income.dsgMethod)
    if let ie = pack.importExport[code], let year = ie.keys.sorted().last, let value = ie[year] {
      income.importExport = (year, value)
    }
    if let balances = pack.dsgBalance[code], let year = balances.keys.sorted().last, let value = balances[year] ?? nil {
      income.balancePercent = (year, value)
    }
    note(
      "income.deductions_gbp", "0", "gbp", .data,
      "modelling convention (gross): place funding for every commissioned place is on the cost side, so the ESFA's academy-place deductions are not subtracted again"
    )
    note(
      "income.import_export_adjustment_gbp", "0", "gbp", .data,
      "0 because the HNB before deductions already includes the import/export adjustment"
        + (income.importExport.map { " (the LA's \($0.year): £\(NumberFormat.wholePounds($0.value)))" } ?? ""))
    note(
      "reserve.opening_balance_gbp", "0", "gbp", .notStated,
      "not published: the DSG balance at 31 March \(census) is in the pack only as a percent of DSG\(balanceTo)"
        + (income.balancePercent.map { " (\($0.year): \(NumberFormat.trimmed($0.value))% of DSG)" } ?? "")
        + "; enter the LA's own balance brought forward")
    return income
  }

  // MARK: text

  /// " to March YYYY": the last DSG balance date in the pack (empty when it has none).
  var balanceTo: String {
    guard let year = pack.latestBalanceYear, let start = Int(year.prefix(4)) else { return "" }
    return " to March \(start + 1)"
  }

  func source(_ status: InitAssumption.Status, _ method: String) -> String {
    InitFormat.yaml("\(status.rawValue): \(method)")
  }

  func value(_ key: String) -> InitAssumption? { log.first { $0.key == key } }

  /// `{value, source, status}` for the logged key.
  func mapped(_ key: String, _ number: String, unit: String? = nil) -> String {
    let entry = value(key)
    let status = entry?.status ?? .derived
    var text = "{value: \(number)"
    if let unit { text += ", unit: \(unit)" }
    text += ", source: \(source(status, entry?.method ?? ""))"
    text += ", status: \(status.rawValue)"
    return text + "}"
  }

  func baselineYAML(
    name: String, totalPlans: Double, baselineFile: String, growth: Double, trend: Growth, places: Places,
    costs: Costs,
    income: Income
  ) -> String {
    let first = firstFinancialYear
    let last = YearLabel.financial(startingIn: census + ScenarioInit.horizonYears - 1)
    var y: [String] = []
    y.append("# \(la.name) High Needs Block: unmitigated starting baseline from the January \(census) SEN2 census.")
    y.append("# Written by `hnb init --la \(la.code)` from the national data pack (Data/national/, DfE/ESFA/ONS,")
    y.append("# Open Government Licence v3.0). Every value names its status: data, derived (method stated),")
    y.append("# national default, or not stated. See README.md (assumptions log) and assumptions.csv.")
    y.append("name: \(name)")
    y.append("title: \(InitFormat.yaml("\(la.name) HNB starting baseline (unmitigated), January \(census) census"))")
    y.append(
      "description: \(InitFormat.yaml("Do-nothing forecast of \(la.name)'s EHC plans, placements, High Needs spend and DSG reserve, \(first) to \(last), generated from public national data by hnb init: \(NumberFormat.trimmed(totalPlans, places: 0)) plans at January \(census). A starting point for the LA's officers to refine, not the LA's own forecast."))"
    )
    y.append("kind: base")
    y.append("")
    y.append("time:")
    y.append("  base_census_year: \(census)")
    y.append("  horizon_years: \(ScenarioInit.horizonYears)")
    y.append("")
    y.append("caseload:")
    y.append("  baseline:")
    y.append("    file: \(baselineFile)")
    y.append(
      "    source: \(source(.derived, "DfE SEN2 January \(census): age x placement and need x placement tables joined by iterative proportional fitting; totals exactly the published ones (README.md)"))"
    )
    y.append("  population:")
    y.append("    file: data/population.csv")
    y.append("    source: \(source(.data, value("caseload.population")?.method ?? ""))")
    y.append(
      "  population_growth_fraction_per_year: \(mapped("caseload.population_growth_fraction_per_year", NumberFormat.trimmed(growth)))"
    )
    y.append("  incidence:")
    y.append("    file: data/incidence.csv")
    y.append(
      "    source: \(source(value("caseload.incidence")?.status ?? .derived, value("caseload.incidence")?.method ?? ""))"
    )
    y += trendYAML(trend, indent: "  ")
    y.append("  new_plan_mix:")
    y.append("    file: data/new_plan_mix.csv")
    y.append("    source: \(source(.derived, value("caseload.new_plan_mix")?.method ?? ""))")
    y.append("  cessation:")
    y.append("    file: data/cessation.csv")
    y.append(
      "    source: \(source(value("caseload.cessation")?.status ?? .derived, value("caseload.cessation")?.method ?? ""))"
    )
    y.append("  transitions:")
    y.append("    file: data/transitions.csv")
    y.append("    source: \(source(.nationalDefault, value("caseload.transitions")?.method ?? ""))")
    y.append("")
    y.append("capacity:")
    y.append("  places:")
    y.append("    file: data/places.csv")
    y.append(
      "    source: \(source(.derived, "resourced provision, maintained special in the LA and AP places = the LA's plans there at January \(census) rounded up, held flat (no public place plan): replace with the commissioned places"))"
    )
    y.append("  overflow:")
    y.append("    special_maintained_in:")
    y.append(
      "      special_independent: {value: 0.6, source: \(source(.nationalDefault, "assumed: when the LA's special places are full, 60% of the excess go to independent special schools (as Sutton's baseline)")), status: national default}"
    )
    y.append(
      "      special_maintained_out: {value: 0.4, source: \(source(.nationalDefault, "assumed: the other 40% to maintained special schools in other LAs")), status: national default}"
    )
    y.append("")
    y.append("costs:")
    y.append(
      "  price_basis: \(InitFormat.yaml("cash; top-ups and fees at \(YearLabel.academic(startingIn: census - 1)) prices, place funding at the national rates, central lines at \(first) prices, each uplifted by its line's rate per year"))"
    )
    y.append("  price_base_academic_year: \(InitFormat.yaml(YearLabel.academic(startingIn: census - 1)))")
    y.append("  top_ups:")
    y.append("    file: data/top_ups.csv")
    y.append(
      "    source: \(source(.derived, "the LA's s251 high-needs budget \(pack.s251Year) per plan, uplifted; national defaults where missing or implausible (assumptions.csv, one row a placement)"))"
    )
    y.append("  place_funding_gbp_per_place:")
    for placement in ["special_maintained_in", "resourced_provision", "ap_pru"] {
      if let rate = costs.placeRates[placement] {
        y.append(
          "    \(placement): {value: \(NumberFormat.wholePounds(rate.value)), source: \(source(.data, rate.source))}")
      }
    }
    y.append(
      "  place_funding_uplift_fraction_per_year: {value: 0, source: \(source(.data, "place funding rates of £10,000 and £6,000 unchanged since 2013 (DfE written answers 50389, 100030)"))}"
    )
    let cashUplift = source(.nationalDefault, "assumed cash uplift of top-up bands, near the pay and CPI outlook")
    y.append("  cost_lines:")
    let lines: [(String, String, [String], String)] = [
      (
        "mainstream_rp", "Mainstream and resourced provision top-ups", ["mainstream", "resourced_provision"],
        "{value: 0.03, source: \(cashUplift), status: national default}"
      ),
      (
        "maintained_special", "Maintained special and special academy top-ups (in and out of the LA)",
        ["special_maintained_in", "special_maintained_out"],
        "{value: 0.03, source: \(cashUplift), status: national default}"
      ),
      (
        "independent_special", "Independent and non-maintained special school fees",
        ["special_independent", "special_non_maintained"],
        "{value: \(NumberFormat.trimmed(costs.independentUplift)), source: \(source(.derived, value("costs (past uplift, independent lines)")?.method ?? "")), status: derived}"
      ),
      (
        "alternative_provision", "Alternative provision top-ups for EHCP pupils", ["ap_pru"],
        "{value: 0.03, source: \(cashUplift), status: national default}"
      ),
      (
        "post16", "Post-16 FE and specialist post-16 institutions", ["fe_general", "specialist_post16"],
        "{value: 0.03, source: \(cashUplift), status: national default}"
      ),
      (
        "early_years_other", "Early years, educated elsewhere and NEET", ["early_years", "educated_elsewhere", "neet"],
        "{value: 0.03, source: \(cashUplift), status: national default}"
      ),
    ]
    for (id, label, placements, uplift) in lines {
      y.append("    - id: \(id)")
      y.append("      label: \(InitFormat.yaml(label))")
      y.append("      placements: [\(placements.joined(separator: ", "))]")
      y.append("      uplift_fraction_per_year: \(uplift)")
    }
    y.append("  price_base_financial_year: \(InitFormat.yaml(first))")
    y.append("  central_lines:")
    for line in costs.centralLines {
      y.append("    - id: \(line.id)")
      y.append("      label: \(InitFormat.yaml(line.label))")
      y.append(
        "      gbp: {value: \(NumberFormat.wholePounds(line.gbp)), source: \(source(line.status, line.method)), status: \(line.status.rawValue)}"
      )
      if line.uplift == 0 {
        y.append(
          "      uplift_fraction_per_year: {value: 0, source: \(source(.data, "place funding rates unchanged since 2013 (DfE written answers 50389, 100030)"))}"
        )
      } else {
        y.append("      uplift_fraction_per_year: {value: 0.03, source: \(cashUplift), status: national default}")
      }
    }
    y.append("")
    y.append("income:")
    y.append(
      "  hnb_allocation_gbp: \(mapped("income.hnb_allocation_gbp", NumberFormat.wholePounds(income.hnb), unit: "gbp"))")
    y.append("  hnb_growth_fraction_per_year:")
    for g in income.growth {
      let status: InitAssumption.Status = g.source.hasPrefix("national default") ? .nationalDefault : .data
      let text =
        g.source.hasPrefix("national default") ? String(g.source.dropFirst("national default".count + 2)) : g.source
      y.append(
        "    \(InitFormat.yaml(g.year)): {value: \(NumberFormat.trimmed(g.value)), source: \(source(status, text)), status: \(status.rawValue)}"
      )
    }
    y.append("  deductions_gbp: \(mapped("income.deductions_gbp", "0", unit: "gbp"))")
    y.append("  import_export_adjustment_gbp: \(mapped("income.import_export_adjustment_gbp", "0", unit: "gbp"))")
    y.append(
      "  schools_block_gbp: \(mapped("income.schools_block_gbp", NumberFormat.wholePounds(income.schoolsBlock), unit: "gbp"))"
    )
    y.append(
      "  schools_block_transfer_percent: {value: 0, source: \(source(.nationalDefault, "unmitigated: no block transfer")), status: national default}"
    )
    y.append("  total_dsg_gbp:")
    for (year, value) in income.totalDSG {
      y.append(
        "    \(InitFormat.yaml(year)): {value: \(NumberFormat.wholePounds(value)), unit: gbp, source: \(source(income.dsgStatus, income.dsgMethod)), status: \(income.dsgStatus.rawValue)}"
      )
    }
    y.append("")
    y.append("reserve:")
    y.append("  # not stated: enter the LA's DSG balance at 1 April \(census) (negative = deficit). The pack has")
    y.append(
      "  # the balance only as a percent of DSG\(balanceTo)\(income.balancePercent.map { " (\($0.year): \(NumberFormat.trimmed($0.value))%)" } ?? ""). hnb validate lists it."
    )
    y.append("  opening_balance_gbp: 0")
    y.append("")
    y.append("alerts:")
    y.append("  growth_fraction_per_year_above: {value: 0.25, source: \"docs/SCENARIO.md default\"}")
    y.append("  unit_cost_ratio_above: {value: 10, source: \"docs/SCENARIO.md default\"}")
    y.append("")
    return y.joined(separator: "\n") + "\n"
  }

  /// `sweep/baseline.yaml`: the baseline with the uncertain inputs of `sweep/uncertainty.yaml`,
  /// for `hnb sweep` (as `Scenarios/sutton/sweep/`).
  func sweepYAML(name: String) -> String {
    """
    # \(la.name): the generated baseline with the uncertain inputs of uncertainty.yaml, for hnb sweep
    # (hnb run ignores them). Written by `hnb init --la \(la.code)`.
    name: \(ScenarioInit.slug(la.name))-sweep
    extends: [../baseline.yaml, uncertainty.yaml]

    """
  }

  /// `sweep/uncertainty.yaml`: the caseload's spread calibrated on the national panel (the
  /// pooled interval, `growth.factor`), the toolkit's default spreads for costs, income and the
  /// placement mix; each noted in the assumptions log.
  mutating func uncertaintyYAML(_ growth: Growth) -> String {
    var y = [
      "# Uncertain inputs for hnb sweep of \(la.name)'s generated baseline (merged by `extends`)."
    ]
    var inputs: [String] = []
    let defaultSource =
      "\"national default: the toolkit's default spread (as Scenarios/sutton/sweep/uncertainty.yaml), not calibrated on this LA: the national panel has totals, not costs or placements\""
    if let factor = growth.factor {
      let matched = (1...PooledForecast.calibratedHorizon).compactMap { h -> String? in
        guard let sweep = growth.series.sweepInterval(horizon: h),
          let pooled = growth.forecast?.forecasts.first(where: { $0.horizon == h }), let p10 = pooled.p10,
          let p90 = pooled.p90
        else { return nil }
        return
          "\(census + h): \(NumberFormat.trimmed(sweep.p10, places: 0))-\(NumberFormat.trimmed(sweep.p90, places: 0)) (pooled \(NumberFormat.trimmed(p10, places: 0))-\(NumberFormat.trimmed(p90, places: 0)))"
      }
      note(
        "uncertainty.inputs.caseload_growth",
        "lognormal median \(NumberFormat.trimmed(factor.median)) sd_log \(NumberFormat.trimmed(factor.sdLog))",
        "factor on every new plan, drawn once", .derived,
        "the pooled method's p10-p90 of the LA's total at 1-3 years (the panel's out-of-sample errors, docs/CALIBRATION.md): every new plan of the ten years is scaled by one draw, so the total at each census is the plans kept from January \(census) plus the draw x the new plans kept since; the lognormal's p10 and p90 are the means on the log scale of those that give the pooled p10 and p90 at each of the three years. Sweep p10-p90 of the total: \(matched.joined(separator: "; ")). Not calibrated beyond three years (the spread then grows only as new plans replace the January \(census) caseload). Cessation is not drawn apart: its part of the total's error is in the pooled interval"
      )
      y += [
        "# caseload_growth is calibrated on the national panel (derived; assumptions.csv): one draw scales",
        "# every new plan of the ten years so that the total's p10-p90 at 1-3 years is the pooled method's",
        "# interval (docs/CALIBRATION.md). The other spreads are the toolkit's defaults (national default,",
        "# as Scenarios/sutton/sweep/uncertainty.yaml), not calibrated on this LA: the panel has no costs.",
      ]
      inputs = [
        "    - id: caseload_growth",
        "      target: incidence_factor",
        "      varies: once",
        "      distribution: {type: lognormal, median: \(NumberFormat.trimmed(factor.median)), sd_log: \(NumberFormat.trimmed(factor.sdLog))}",
        "      source: \"derived: the pooled method's p10-p90 of the LA's total at 1-3 years, from the national panel's out-of-sample errors (docs/CALIBRATION.md; assumptions.csv)\"",
        "      status: derived",
      ]
    } else {
      note(
        "uncertainty.inputs.incidence, uncertainty.inputs.cessation",
        "lognormal sd_log 0.08 a year; triangular 0.85-1.15",
        "factors", .nationalDefault,
        "the toolkit's default caseload spreads (as Scenarios/sutton/sweep/uncertainty.yaml): no pooled interval could be matched for this LA (no pooled forecast, or its p10 lies below the plans kept from January \(census) at every horizon)"
      )
      y += [
        "# The spreads are the toolkit's defaults (national default, as Scenarios/sutton/sweep/uncertainty.yaml),",
        "# not calibrated on this LA: no pooled interval could be matched for it (assumptions.csv).",
      ]
      inputs = [
        "    - id: incidence",
        "      target: incidence_factor",
        "      varies: per_year",
        "      distribution: {type: lognormal, median: 1, sd_log: 0.08}",
        "      source: \(defaultSource)",
        "      status: national default",
        "    - id: cessation",
        "      target: cessation_factor",
        "      distribution: {type: triangular, min: 0.85, mode: 1, max: 1.15}",
        "      source: \(defaultSource)",
        "      status: national default",
      ]
    }
    note(
      "uncertainty.inputs (independent_fees, fee_inflation, hnb_growth), transition and new-plan mix concentrations",
      "normal sd 0.05; normal sd 0.01 a year; normal sd 0.015 a year; 400; 400", "factors and shocks", .nationalDefault,
      "the toolkit's default spreads of independent fees, fee inflation, HNB growth and the placement mix (as Scenarios/sutton/sweep/uncertainty.yaml): the national panel has totals, not costs or placements"
    )
    y +=
      ["uncertainty:", "  inputs:"] + inputs + [
        "    - id: independent_fees",
        "      target: top_up_factor",
        "      placements: [special_independent, special_non_maintained]",
        "      distribution: {type: normal, mean: 1, sd: 0.05}",
        "      source: \(defaultSource)",
        "      status: national default",
        "    - id: fee_inflation",
        "      target: top_up_uplift_shock",
        "      varies: per_year",
        "      distribution: {type: normal, mean: 0, sd: 0.01}",
        "      source: \(defaultSource)",
        "      status: national default",
        "    - id: hnb_growth",
        "      target: hnb_growth_shock",
        "      varies: per_year",
        "      distribution: {type: normal, mean: 0, sd: 0.015}",
        "      source: \(defaultSource)",
        "      status: national default",
      ]
    let stated = "source: \(defaultSource), status: national default"
    if growth.factor == nil {
      y += ["  rank_correlation:", "    - {between: [incidence, fee_inflation], rho: {value: 0.3, \(stated)}}"]
    }
    y += [
      "  transition_concentration: {value: 400, \(stated)}", "  new_plan_mix_concentration: {value: 400, \(stated)}",
      "",
    ]
    return y.joined(separator: "\n") + "\n"
  }

  func assumptionsCSV() -> String {
    (["key,value,unit,status,method_or_source"]
      + log.map { e in
        [e.key, e.value, e.unit, e.status.rawValue, e.method].map(InitFormat.cell).joined(separator: ",")
      }).joined(separator: "\n") + "\n"
  }

  func readme(name: String, totalPlans: Double, byPlacement: [Double], income: Income, trend: Growth) -> String {
    var r: [String] = []
    r.append("# \(la.name): starting High Needs Block scenario")
    r.append("")
    r.append(
      "Written by `hnb init --la \(la.code)` (\(la.name), DfE LA code \(la.code), \(la.eCode), \(la.region)) from the national data pack in `Data/national/` (DfE SEN2, ESFA DSG allocations, DfE s251, ONS population). Contains public sector information licensed under the Open Government Licence v3.0."
    )
    r.append("")
    r.append(
      "This is a **starting point**, not the LA's forecast: every value below is the LA's published figure (`data`), computed from its figures by the stated method (`derived`), England's figure or the toolkit's default (`national default`), or missing (`not stated`). Replace the defaults with local knowledge, most important first."
    )
    r.append("")
    r.append("    hnb validate baseline.yaml")
    r.append("    hnb run baseline.yaml --out out/\(ScenarioInit.slug(la.name))")
    r.append("    hnb sweep sweep/baseline.yaml --draws 1000 --seed 1 --out out/\(ScenarioInit.slug(la.name))-sweep")
    r.append("")
    r.append(
      "`baseline.yaml` reads its inputs from `data/`; `sweep/baseline.yaml` extends it with the uncertain inputs of `sweep/uncertainty.yaml` (the caseload's spread from the national panel where it has the LA, the toolkit's default spreads for costs and income)."
        + (census <= Builder.settlementDeficitYear
          ? " `settlement.yaml` extends it with the 2026 settlement of the deficit (the High Needs Stability Grant writes off 90% of the deficit at 31 March \(Builder.settlementDeficitYear) on approval of the Local SEND Reform Plan), and `pipeline.yaml` with new plans from the assessment pipeline."
          : " `pipeline.yaml` extends it with new plans from the assessment pipeline.")
    )
    r.append("")
    r.append("## Replace these first")
    r.append("")
    r.append(
      "1. `reserve.opening_balance_gbp` (**not stated**, written as 0): the DSG balance brought forward at 1 April \(census)."
        + (census <= Builder.settlementDeficitYear
          ? " It also sets the deficit at 31 March \(Builder.settlementDeficitYear) that `settlement.yaml` writes off."
          : "")
    )
    r.append(
      "2. `income.hnb_allocation_gbp`: the LA's own \(firstFinancialYear) HNB allocation before deductions (here \(NumberFormat.poundsMillions(income.hnb, places: 2)), \(income.hnbStatus.rawValue))."
    )
    r.append(
      "3. `income.total_dsg_gbp`: the LA's total DSG before deductions (gross), year by year (the denominator of the 1% test, as in the DfE's balance percentages)."
    )
    r.append(
      "4. `data/places.csv`: commissioned places (here the January \(census) plans, held flat), and the 85% in-LA share of maintained special plans."
    )
    r.append(
      "5. `data/top_ups.csv`: the LA's top-up bands and independent fees (here from the \(pack.s251Year) s251 budget, uplifted)."
    )
    r.append("")
    r.append("## Baseline at January \(census)")
    r.append("")
    r.append("| placement | plans |")
    r.append("|---|---|")
    for (p, placement) in ScenarioInit.placements.enumerated() {
      r.append("| \(placement) | \(NumberFormat.trimmed(byPlacement[p], places: 2)) |")
    }
    r.append("| **total** | **\(NumberFormat.trimmed(totalPlans, places: 0))** |")
    r.append("")
    r.append(
      "Maintained special plans are split 85/15 in/out of the LA (an assumption); every other placement group equals the DfE's published January \(census) figure."
    )
    r.append("")
    r += growthReadme(trend)
    if !missing.isEmpty {
      r.append("## Not in the pack for this LA")
      r.append("")
      for item in missing { r.append("- \(item)") }
      r.append("")
    }
    if !alerts.isEmpty {
      r.append("## National defaults used (alerts)")
      r.append("")
      for alert in alerts { r.append("- \(alert)") }
      r.append("")
    }
    r.append("## Assumptions log")
    r.append("")
    r.append("The same rows are in `assumptions.csv`.")
    r.append("")
    r.append("| key | value | unit | status | source and method |")
    r.append("|---|---|---|---|---|")
    for e in log {
      r.append(
        "| `\(e.key)` | \(e.value) | \(e.unit) | \(e.status.rawValue) | \(e.method.replacingOccurrences(of: "|", with: "/")) |"
      )
    }
    r.append("")
    r.append("The method is described in `docs/INIT.md` of the toolkit.")
    return r.joined(separator: "\n") + "\n"
  }
}
