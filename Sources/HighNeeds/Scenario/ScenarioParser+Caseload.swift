import Foundation

extension ScenarioParser {
  mutating func readCaseload(_ map: MapReader, axes: Axes) throws -> ScenarioInputs.Caseload {
    let P = axes.P
    let N = axes.N
    let A = AgeAxis.count

    // Baseline caseload.
    let baselinePath = try map.path("baseline")
    inputFiles.append(baselinePath)
    let baseline = try { () throws -> [Double] in
      let baselineTable = try CSVTable.read(path: baselinePath, columns: ["age", "placement", "need", "plans"])
      log.table(baselineTable, key: "caseload.baseline", value: "plans", unit: "plans")
      if baselineTable.rows.isEmpty {
        throw InputError(
          SourceLocation(file: baselinePath, line: 2), expected: "a row for each age × placement × need with plans",
          found: "no data rows (only a header)")
      }
      var baseline = Array(repeating: 0.0, count: A * N * P)
      var seen = Set<Int>()
      for row in baselineTable.rows {
        let age = try row.ages("age")
        guard age.count == 1 else {
          throw InputError(
            row.location("age"), key: "age", expected: "a single year of age", found: "'\(row.string("age"))'")
        }
        let p = try axes.placement(row, "placement")
        let n = try axes.need(row, "need")
        let cell = (age.lowerBound * N + n) * P + p
        guard seen.insert(cell).inserted else {
          throw InputError(
            row.location("age"), expected: "each age × placement × need once",
            found: "a repeat of \(age.lowerBound), \(row.string("placement")), \(row.string("need"))")
        }
        baseline[cell] = try row.bounded(
          "plans", atMost: InputBounds.plans, rangeText: "a non-negative count of plans",
          what: "plans in one age × placement × need cell")
      }
      return baseline
    }()

    // Population and incidence: by census year and age, or an age profile with a trend.
    let populationPath = try map.path("population")
    inputFiles.append(populationPath)
    let population = try readYearByAge(
      path: populationPath, value: "population", range: 0...InputBounds.residents,
      rangeText: "a non-negative number of residents",
      growthKey: "population_growth_fraction_per_year", map: map, axes: axes)
    var incidence: ScenarioInputs.YearByAge?
    var pipeline: ScenarioInputs.Pipeline?
    if let pipelineMap = try map.map("pipeline") {
      // A scenario that extends one with incidence may add a pipeline: the pipeline gives new
      // plans, and the incidence it inherits is reported as not used, unless it writes
      // `incidence: none` (and `incidence_trend_fraction_per_year: none`) to say so itself.
      for key in ["incidence", "incidence_trend_fraction_per_year"] {
        guard let value = try map.tree(key) else { continue }
        if case .scalar("none", _) = value { continue }
        log.alert(
          "\(map.valueLocation(key)): \(map.keyPath(key))",
          "not used: new plans come from caseload.pipeline (requests, refusals, conversions)")
      }
      pipeline = try readPipeline(pipelineMap, axes: axes)
      try pipelineMap.finish()
    } else {
      let incidencePath = try map.path("incidence")
      inputFiles.append(incidencePath)
      incidence = try readYearByAge(
        path: incidencePath, value: "rate", range: 0...1,
        rangeText: "a rate in [0, 1] (new plans per resident per year)",
        growthKey: "incidence_trend_fraction_per_year", map: map, axes: axes)
    }

    // New plan mix.
    let mixPath = try map.path("new_plan_mix")
    inputFiles.append(mixPath)
    let mix = try { () throws -> [[Double]] in
      let mixTable = try CSVTable.read(path: mixPath, columns: ["age", "placement", "need", "share"])
      log.table(mixTable, key: "caseload.new_plan_mix", value: "share", unit: "fraction of new plans at the age")
      var mix = Array(repeating: Array(repeating: 0.0, count: N * P), count: A)
      var mixSeen = Set<Int>()
      for row in mixTable.rows {
        let ages = try row.ages("age")
        let p = try axes.placement(row, "placement")
        let n = try axes.need(row, "need")
        let share = try row.double("share", in: 0...1, rangeText: "a share in [0, 1]")
        for age in ages {
          guard mixSeen.insert((age * N + n) * P + p).inserted else {
            throw InputError(
              row.location("age"), expected: "each age × placement × need once", found: "a repeat for age \(age)")
          }
          mix[age][n * P + p] = share
        }
      }
      return mix
    }()

    // Cessation by age and placement.
    let cessationPath = try map.path("cessation")
    inputFiles.append(cessationPath)
    let cessation = try { () throws -> [[Double]] in
      let cessationTable = try CSVTable.read(path: cessationPath, columns: ["age", "placement", "rate"])
      log.table(cessationTable, key: "caseload.cessation", value: "rate", unit: "fraction ceasing per year")
      var general = Array(repeating: -1.0, count: A)
      var specific = Array(repeating: Array(repeating: -1.0, count: P), count: A)
      for row in cessationTable.rows {
        let ages = try row.ages("age", maxAge: AgeAxis.maxAge - 1)
        let p = try axes.placementOrAll(row, "placement")
        let rate = try row.double("rate", in: 0...1, rangeText: "a rate in [0, 1] (fraction ceasing per year)")
        for age in ages {
          if let p {
            if specific[age][p] >= 0 {
              throw InputError(
                row.location("placement"), expected: "each age × placement once",
                found: "age \(age), \(row.string("placement")) again")
            }
            specific[age][p] = rate
          } else {
            if general[age] >= 0 {
              throw InputError(row.location("placement"), expected: "one 'all' row per age", found: "age \(age) again")
            }
            general[age] = rate
          }
        }
      }
      var cessation = Array(repeating: Array(repeating: 1.0, count: P), count: A)
      for age in 0..<AgeAxis.maxAge {
        for p in 0..<P {
          let rate = specific[age][p] >= 0 ? specific[age][p] : general[age]
          if rate < 0 {
            throw InputError(
              SourceLocation(file: cessationPath), key: "rate",
              expected: "a cessation rate for every age 0–24 and placement (a row with placement 'all' covers an age)",
              found: "none for age \(age), \(axes.taxonomy.placements[p].id)")
          }
          cessation[age][p] = rate
        }
      }
      return cessation
    }()

    // Transitions by age.
    let transitionsPath = try map.path("transitions")
    inputFiles.append(transitionsPath)
    let transition = try { () throws -> [[Double]] in
      let transitionTable = try CSVTable.read(path: transitionsPath, columns: ["age", "from", "to", "probability"])
      log.table(transitionTable, key: "caseload.transitions", value: "probability", unit: "probability per year")
      var transition = Array(repeating: Array(repeating: 0.0, count: P * P), count: AgeAxis.maxAge)
      var stayGiven = Array(repeating: Array(repeating: false, count: P), count: AgeAxis.maxAge)
      var transitionSeen = Set<Int>()
      var rowLines: [Int: Int] = [:]
      for row in transitionTable.rows {
        let ages = try row.ages("age", maxAge: AgeAxis.maxAge - 1)
        let from = try axes.placement(row, "from")
        let to = try axes.placement(row, "to")
        let probability = try row.double("probability", in: 0...1, rangeText: "a probability in [0, 1]")
        for age in ages {
          guard transitionSeen.insert((age * P + from) * P + to).inserted else {
            throw InputError(
              row.location("age"), expected: "each age × from × to once",
              found: "age \(age), \(row.string("from")) → \(row.string("to")) again")
          }
          transition[age][from * P + to] = probability
          if from == to { stayGiven[age][from] = true }
          rowLines[age * P + from] = row.line
        }
      }
      for age in 0..<AgeAxis.maxAge {
        for from in 0..<P {
          let moves = (0..<P).filter { $0 != from }.reduce(0.0) { $0 + transition[age][from * P + $1] }
          let location = SourceLocation(file: transitionsPath, line: rowLines[age * P + from])
          if stayGiven[age][from] {
            let total = moves + transition[age][from * P + from]
            if abs(total - 1) > Self.rateTolerance {
              throw InputError(
                location, key: "probability",
                expected:
                  "the row for age \(age) from \(axes.taxonomy.placements[from].id) to sum to 1 (±\(Self.rateTolerance))",
                found: NumberFormat.fixed(total, 9, negativeZero: .kept))
            }
          } else {
            if moves > 1 + Self.rateTolerance {
              throw InputError(
                location, key: "probability",
                expected: "moves from \(axes.taxonomy.placements[from].id) at age \(age) summing to at most 1",
                found: NumberFormat.fixed(moves, 9, negativeZero: .kept))
            }
            transition[age][from * P + from] = max(0, 1 - moves)
          }
          // Within the tolerance is not exactly 1: scale the row to 1 so that moves conserve plans.
          let total = (0..<P).reduce(0.0) { $0 + transition[age][from * P + $1] }
          if stayGiven[age][from] || moves > 1 {
            for to in 0..<P { transition[age][from * P + to] /= total }
          }
        }
      }
      return transition
    }()
    return ScenarioInputs.Caseload(
      baseline: baseline, population: population, incidence: incidence, pipeline: pipeline, newPlanMix: mix,
      newPlanMixFile: mixPath,
      cessation: cessation, transition: transition)
  }

  /// Reads a value by census year and age: the table, and the trend `growthKey` when the
  /// table is one age profile (`ScenarioResolver` grows it).
  ///
  /// Either `census_year,age,VALUE` for every projected census year, or `age,VALUE` (the base
  /// census year's profile) with a trend. Ages may be ranges; every age 0–25 must be covered
  /// once in each year.
  /// `caseload.pipeline`: the request rate, refusal share and conversion share files (each by
  /// age, or by census year and age; each with an optional trend) and the lag share.
  mutating func readPipeline(_ map: MapReader, axes: Axes) throws -> ScenarioInputs.Pipeline {
    func rates(_ key: String, _ column: String, _ text: String) throws -> ScenarioInputs.YearByAge {
      let path = try map.path(key)
      inputFiles.append(path)
      return try readYearByAge(
        path: path, value: column, range: 0...1, rangeText: text, growthKey: "\(key)_trend_fraction_per_year", map: map,
        axes: axes)
    }
    let requests = try rates("requests", "rate", "a rate in [0, 1] (requests per resident per year)")
    let refusals = try rates("refusals", "share", "a share in [0, 1] (of requests refused)")
    let conversions = try rates("conversions", "share", "a share in [0, 1] (of assessments that end in a plan)")
    guard let lagTree = try map.tree("lag_share") else {
      throw map.missing("lag_share", "the share of a year's plans that start after the next census (0 for none)")
    }
    let lag = try MapReader.number(
      lagTree, keyPath: map.keyPath("lag_share"), unit: "fraction", range: 0...1, rangeText: "a share in [0, 1]",
      log: log)
    return ScenarioInputs.Pipeline(requests: requests, refusals: refusals, conversions: conversions, lagShare: lag)
  }

  func readYearByAge(
    path: String, value column: String, range: ClosedRange<Double>, rangeText: String, growthKey: String,
    map: MapReader, axes: Axes
  ) throws -> ScenarioInputs.YearByAge {
    let (values, byYear) = try yearByAgeTable(path: path, value: column, range: range, rangeText: rangeText, axes: axes)
    // `none` clears a trend a parent gave (a layer that gives every census year needs it).
    var cleared = false
    if case .scalar("none", _) = try map.tree(growthKey) {
      cleared = true
      log.record(
        key: map.keyPath(growthKey), value: "none", unit: "fraction per year",
        source: "scenario setting: no trend (\(path) as written)", status: .setting,
        location: map.valueLocation(growthKey))
    }
    let growth =
      cleared
      ? nil
      : try map.series(
        growthKey, labels: axes.censusLabels, unit: "fraction per year", in: -0.99...10,
        rangeText: "a growth fraction above -0.99")
    if byYear, growth != nil {
      throw InputError(
        map.valueLocation(growthKey), key: map.keyPath(growthKey),
        expected: "no trend when \(path) gives every census year (\(growthKey): none clears one a parent gave)",
        found: "both")
    }
    return ScenarioInputs.YearByAge(
      values: values, byYear: byYear, file: path, column: column, range: range, rangeText: rangeText, growth: growth,
      growthKeyPath: map.keyPath(growthKey), mapLocation: map.location, growthLocation: map.valueLocation(growthKey))
  }

  /// The CSV part of `readYearByAge`: the values by census year and age (one profile when the
  /// file has no `census_year`), and whether the file gives every census year.
  func yearByAgeTable(
    path: String, value column: String, range: ClosedRange<Double>, rangeText: String, axes: Axes
  ) throws -> (values: [[Double]], byYear: Bool) {
    let A = AgeAxis.count
    let (table, shape) = try CSVTable.read(path: path, oneOf: [["census_year", "age", column], ["age", column]])
    let byYear = shape == 0
    var values = Array(repeating: Array(repeating: -1.0, count: A), count: byYear ? axes.horizon : 1)
    var outsideLines = Set<Int>()
    for row in table.rows {
      var t = 0
      if byYear {
        // Checked before subtracting, so that a year near Int.min cannot overflow.
        let year = try row.int("census_year")
        guard ((axes.base + 1)...(axes.base + axes.horizon)).contains(year) else {
          outsideLines.insert(row.line)
          continue
        }
        t = year - axes.base - 1
      }
      let ages = try row.ages("age")
      let value =
        range.upperBound > 1
        ? try row.bounded(column, atMost: range.upperBound, rangeText: rangeText, what: "residents of one age")
        : try row.double(column, in: range, rangeText: rangeText)
      for age in ages {
        if values[t][age] >= 0 {
          throw InputError(
            row.location("age"), key: "age", expected: "each age once\(byYear ? " per census year" : "")",
            found: "age \(age) again")
        }
        values[t][age] = value
      }
    }
    for (t, year) in values.enumerated() {
      if let age = year.firstIndex(where: { $0 < 0 }) {
        let when = byYear ? " in every census year \(axes.base + 1)–\(axes.base + axes.horizon)" : ""
        throw InputError(
          SourceLocation(file: path), key: column, expected: "a value for every age 0–25\(when)",
          found: "none for \(byYear ? "\(axes.base + 1 + t), " : "")age \(age)")
      }
    }
    let outside = outsideLines.count
    let unit = column == "rate" ? "new plans per resident per year" : "residents"
    log.table(
      table, key: "caseload.\(column == "rate" ? "incidence" : "population")", value: column, unit: unit,
      unusedLines: outsideLines)
    if outside > 0 {
      log.alert(
        path,
        "\(outside) row(s) for census years outside \(axes.base + 1)–\(axes.base + axes.horizon) were read and not used"
      )
    }
    return (values, byYear)
  }
}
