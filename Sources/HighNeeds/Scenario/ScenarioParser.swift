import Foundation

/// Reads a merged YAML tree and the CSV files it names into `ScenarioInputs`, checking every
/// value as written (its kind, unit and range, each at its file:line:column), and records
/// where they came from (`ScenarioSource`: files, the tree, rows read, the assumptions log).
///
/// What is derived from several values (a trend applied, shares normalised, levers built) and
/// the checks that need it are `ScenarioResolver`'s.
struct ScenarioParser {
  let tree: YAMLTree
  let files: [String]
  let log = AssumptionLog()
  var inputFiles: [String] = []

  static let rateTolerance = ScenarioInputs.rateTolerance

  init(tree: YAMLTree, files: [String]) {
    self.tree = tree
    self.files = files
  }

  mutating func parse() throws -> ParsedScenario {
    let root = try MapReader(tree, path: "", log: log)
    let name = try root.string("name")
    if name.isEmpty
      || name.unicodeScalars.contains(where: {
        !CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789_-").contains($0)
      })
    {
      throw InputError(
        root.location, key: "name", expected: "lower-case letters, digits, '_' or '-'", found: "'\(name)'")
    }
    let title = try root.optionalString("title") ?? name
    let description = try root.optionalString("description") ?? ""
    let kind = try root.optionalString("kind") ?? "scenario"
    guard kind == "base" || kind == "scenario" else {
      throw InputError(root.location, key: "kind", expected: "base or scenario", found: "'\(kind)'")
    }

    // Taxonomy
    let taxonomy: Taxonomy
    if let map = try root.map("taxonomy") {
      let placementsPath = try map.path("placements")
      let needsPath = try map.path("needs")
      try map.finish()
      taxonomy = try Taxonomy.load(placementsPath: placementsPath, needsPath: needsPath)
      inputFiles += [placementsPath, needsPath]
    } else {
      guard let paths = ScenarioLoader.defaultTaxonomyPaths else {
        throw InputError(
          root.location, key: "taxonomy", expected: "the built-in taxonomy", found: "it missing from the installation")
      }
      taxonomy = try Taxonomy.load(placementsPath: paths.placements, needsPath: paths.needs)
      inputFiles += [paths.placements, paths.needs]
    }

    // Time
    guard let time = try root.map("time") else {
      throw root.missing("time", "a map with base_census_year and horizon_years")
    }
    let base = try time.int("base_census_year", in: 2000...2100, unit: "census year")
    let horizon = try time.int("horizon_years", in: 1...40, unit: "years")
    try time.finish()

    let axes = Axes(taxonomy: taxonomy, base: base, horizon: horizon)
    let thresholds = try readAlertThresholds(root)

    guard let caseloadMap = try root.map("caseload") else { throw root.missing("caseload", "a map of caseload inputs") }
    let caseload = try readCaseload(caseloadMap, axes: axes)
    try caseloadMap.finish()

    guard let capacityMap = try root.map("capacity") else {
      throw root.missing("capacity", "a map with places and overflow")
    }
    let capacity = try readCapacity(capacityMap, axes: axes)
    try capacityMap.finish()

    guard let costsMap = try root.map("costs") else { throw root.missing("costs", "a map of cost inputs") }
    let costs = try readCosts(costsMap, axes: axes, capacity: capacity, thresholds: thresholds)
    try costsMap.finish()

    guard let incomeMap = try root.map("income") else { throw root.missing("income", "a map of income inputs") }
    let income = try readIncome(incomeMap, axes: axes)
    try incomeMap.finish()

    guard let reserveMap = try root.map("reserve") else {
      throw root.missing("reserve", "a map with opening_balance_gbp")
    }
    let opening = try reserveMap.number(
      "opening_balance_gbp", unit: "gbp", in: -1e11...1e11, rangeText: "an amount within ±£100bn")
    var contributions = [InputNumber?](repeating: nil, count: horizon)
    if let map = try reserveMap.map("contributions_gbp") {
      for (key, location) in map.keys {
        guard let f = axes.financialLabels.firstIndex(of: key) else {
          throw InputError(
            location, key: map.keyPath(key),
            expected: "a financial year \(axes.financialLabels.first ?? "")…\(axes.financialLabels.last ?? "")",
            found: "'\(key)'")
        }
        contributions[f] = try map.number(key, unit: "gbp", in: -1e11...1e11, rangeText: "an amount within ±£100bn")
      }
      try map.finish()
    }
    var settlement: Settlement?
    if let map = try reserveMap.map("settlement") {
      settlement = try readSettlement(map, axes: axes)
      try map.finish()
    }
    try reserveMap.finish()

    let mitigations = try readMitigations(
      root.list("mitigations") ?? [], axes: axes, hasPipeline: caseload.pipeline != nil,
      costLines: costs.lines.map(\.id))

    var outturn: [OutturnValue] = []
    if let path = try root.optionalPath("outturn") {
      inputFiles.append(path)
      outturn = try readOutturn(path, axes: axes)
    }
    var inputs = ScenarioInputs(
      name: name, title: title, description: description, isBase: kind == "base", taxonomy: taxonomy,
      baseCensusYear: base, horizonYears: horizon, thresholds: thresholds, caseload: caseload, capacity: capacity,
      costs: costs, income: income,
      reserve: ScenarioInputs.Reserve(openingBalance: opening, contributions: contributions, settlement: settlement),
      mitigations: mitigations, outturn: outturn, uncertainty: UncertaintySpec(), alerts: [])
    // Each number written with a distribution is an uncertain input that sets its slot.
    let slots = inputs.numberSlots()
    let numbers = log.uncertainNumbers.map { number -> UncertainInput in
      guard let slot = slots[number.id] else {
        preconditionFailure("\(number.id): a number written with a distribution that ScenarioInputs does not keep")
      }
      return UncertainInput(
        id: number.id, target: .scenarioNumber(slot, labels: number.labels), distribution: number.distribution,
        perYear: number.labels != nil)
    }
    inputs.uncertainty = try readUncertainty(root.map("uncertainty"), axes: axes, numbers: numbers)
    try root.finish()
    for alert in FittedTrendCheck.alerts(tree: tree, files: files) { log.alert(alert.location, alert.message) }
    inputs.alerts = log.alerts.sorted()
    let source = ScenarioSource(
      name: name, scenarioFiles: files, inputFiles: inputFiles, tree: tree, inputRows: log.rowCounts,
      assumptions: log.entries.sorted())
    return ParsedScenario(inputs: inputs, source: source)
  }

  typealias Axes = ScenarioAxes

  typealias Thresholds = ScenarioInputs.Thresholds

  func readAlertThresholds(_ root: MapReader) throws -> Thresholds {
    var thresholds = Thresholds()
    if let map = try root.map("alerts") {
      thresholds.growth =
        try map.optionalNumber("growth_fraction_per_year_above", unit: "fraction per year", in: 0...10)?.value
        ?? thresholds.growth
      thresholds.unitCostRatio =
        try map.optionalNumber("unit_cost_ratio_above", unit: "ratio", in: 1...1000)?.value ?? thresholds.unitCostRatio
      if let age = try map.optionalNumber("census_age_years_above", unit: "years", in: 0...100)?.value {
        guard age == age.rounded() else {
          throw InputError(
            map.valueLocation("census_age_years_above"), key: map.keyPath("census_age_years_above"),
            expected: "a whole number of years 0–100", found: format(age))
        }
        thresholds.censusAge = Int(age)
      }
      try map.finish()
    }
    return thresholds
  }

  func readOutturn(_ path: String, axes: Axes) throws -> [OutturnValue] {
    let table = try CSVTable.read(path: path, columns: ["year", "measure", "value", "source"])
    var values: [OutturnValue] = []
    var unusedLines = Set<Int>()
    var seen = Set<String>()
    for row in table.rows {
      let measureText = try row.required("measure")
      guard let measure = OutturnValue.Measure(rawValue: measureText) else {
        throw InputError(
          row.location("measure"), key: "measure",
          expected: "one of \(OutturnValue.Measure.allCases.map(\.rawValue).joined(separator: ", "))",
          found: "'\(measureText)'")
      }
      let value: Double
      switch measure.unit {
      case "fraction": value = try row.double("value", in: 0...1, rangeText: "a fraction in [0, 1]")
      case "plans":
        value = try row.bounded(
          "value", atMost: InputBounds.totalPlans, rangeText: "a non-negative count", what: "plans in all")
      default:
        value = try row.double(
          "value", in: -InputBounds.amount...InputBounds.amount, rangeText: "an amount within ±£100bn")
      }
      let year = try row.int("year")
      if !seen.insert("\(year)|\(measure.rawValue)").inserted {
        throw InputError(
          row.location("measure"), key: "measure", expected: "one value per year and measure",
          found: "\(measure.rawValue) for \(year) again")
      }
      let source = try row.required("source")
      // Census measures exist for censuses B…B+H; balances at 31 March B+1…B+H.
      let first = measure == .dsgClosingBalance ? axes.base + 1 : axes.base
      guard (first...(axes.base + axes.horizon)).contains(year) else {
        unusedLines.insert(row.line)
        continue
      }
      values.append(OutturnValue(year: year, measure: measure, value: value, source: source))
    }
    log.table(table, key: "outturn", value: "value", unit: "as the measure names", unusedLines: unusedLines)
    if !unusedLines.isEmpty {
      log.alert(path, "\(unusedLines.count) row(s) for years outside the forecast were read and not used")
    }
    return values
  }

}

/// The axes' readers of a CSV row's placement and need.
extension ScenarioAxes {
  func placement(_ row: CSVRow, _ column: String) throws -> Int {
    let id = try row.required(column)
    guard let index = taxonomy.placementIndex(id) else {
      throw InputError(
        row.location(column), key: column,
        expected: "a placement defined in the taxonomy (\(taxonomy.placements.map(\.id).joined(separator: ", ")))",
        found: "'\(id)'")
    }
    return index
  }

  func need(_ row: CSVRow, _ column: String) throws -> Int {
    let id = try row.required(column)
    guard let index = taxonomy.needIndex(id) else {
      throw InputError(
        row.location(column), key: column,
        expected: "a need defined in the taxonomy (\(taxonomy.needs.map(\.id).joined(separator: ", ")))",
        found: "'\(id)'")
    }
    return index
  }

  /// Placement index, or nil for `all`.
  func placementOrAll(_ row: CSVRow, _ column: String) throws -> Int? {
    if row.string(column) == "all" { return nil }
    return try placement(row, column)
  }

  func needOrAll(_ row: CSVRow, _ column: String) throws -> Int? {
    if row.string(column) == "all" { return nil }
    return try need(row, column)
  }
}
