import Foundation

/// A series of plans at successive January censuses, for one level (the total, an age band or
/// a placement), with optional new plans per calendar year.
public struct PlanSeries: Sendable, Equatable {
  /// `total`, `age:<band>` (such as `age:5-10`) or `placement:<id>`.
  public var level: String
  /// Census years, ascending.
  public var years: [Int]
  /// Plans at each census in `years`.
  public var plans: [Double]

  public init(level: String, years: [Int], plans: [Double]) {
    self.level = level
    self.years = years
    self.plans = plans
  }

  /// The part of the series up to and including census `year`, leaving out `excluded` years.
  public func through(_ year: Int, excluding excluded: Set<Int> = []) -> PlanSeries {
    let kept = zip(years, plans).filter { $0.0 <= year && !excluded.contains($0.0) }
    return PlanSeries(level: level, years: kept.map(\.0), plans: kept.map(\.1))
  }

  /// Plans at census `year`, if the series has it.
  public func plans(at year: Int) -> Double? {
    years.firstIndex(of: year).map { plans[$0] }
  }
}

/// Aggregate EHCP history in the DfE's published shape: plans by census year, and by age
/// (single year or band), placement and need where given.
///
/// Read from a tidy CSV `year,age,placement,need,plans` in which any of `age`, `placement` and
/// `need` may be absent (as a column) or `total`/blank (in a row), so that a totals-only series,
/// a table by age band and a full table are all accepted.
public struct AggregateHistory: Sendable {
  /// The file the history came from.
  public var file: String
  /// The total at each census year, ascending and without gaps.
  public var total: PlanSeries
  /// One series for each age band (`under 5`, `5-10`, `11-15`, `16-19`, `20-25`) the file gives.
  public var ageBands: [PlanSeries]
  /// One series for each placement the file gives.
  public var placements: [PlanSeries]
  /// New plans by calendar year, where known.
  public var newPlans: [Int: Double]
  /// Data rows read from the history file.
  public var rowsRead: Int
  /// Census years in which a level has no rows (neither its own marginal row nor any of the
  /// finest rows that fall in it), by level in `allSeries` order; such a year is missing from
  /// that level's series, not zero.
  public var gaps: [(level: String, years: [Int])] = []

  /// One line per level with gaps, for the command's warnings.
  public var gapWarnings: [String] {
    gaps.map { gap in
      "note: \(gap.level) has no rows for census year\(gap.years.count == 1 ? "" : "s") "
        + gap.years.map(String.init).joined(separator: ", ")
        + " in \(file); left out of that level's fits and scores (write an explicit 0 row for a true zero)"
    }
  }

  /// The total, then age bands, then placements.
  public var allSeries: [PlanSeries] { [total] + ageBands + placements }

  /// The published age bands, as the DfE writes them, with the ages each covers.
  public static let ageBands: [(label: String, ages: ClosedRange<Int>)] = [
    ("under 5", 0...4), ("5-10", 5...10), ("11-15", 11...15), ("16-19", 16...19), ("20-25", 20...25),
  ]

  /// Reads `path` (and `newPlansPath`, CSV `year,plans_new`, if given).
  public static func read(path: String, newPlansPath: String? = nil) throws -> AggregateHistory {
    let optional = ["age", "placement", "need"]
    var shapes: [[String]] = []
    for mask in 0..<8 {
      shapes.append(["year"] + optional.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) + ["plans"])
    }
    let table = try CSVTable.read(path: path, oneOf: shapes).table
    struct Key: Hashable {
      var year: Int
      var band: Int?
      var placement: String?
      var need: String?
    }
    var cells: [Key: Double] = [:]
    for row in table.rows {
      let year = try row.int("year")
      // Bounded, since every census year between the first and the last is computed.
      guard TransitionCounts.calendarYears.contains(year) else {
        throw InputError(
          row.location("year"), key: "year",
          expected:
            "a census year \(TransitionCounts.calendarYears.lowerBound)–\(TransitionCounts.calendarYears.upperBound)",
          found: "\(year)")
      }
      var band: Int?
      if table.header.contains("age") {
        band = try ageBand(row)
      }
      let placement = table.header.contains("placement") ? totalOrValue(row.string("placement")) : nil
      let need = table.header.contains("need") ? totalOrValue(row.string("need")) : nil
      let plans = try row.double(
        "plans", in: 0...CalibrationLimits.maximumCount,
        rangeText: "a count of plans 0–\(CalibrationLimits.maximumText)")
      let key = Key(year: year, band: band, placement: placement, need: need)
      // Single ages within one band add up to the band.
      let isSingleAge = table.header.contains("age") && Int(row.string("age")) != nil
      if cells[key] != nil && !isSingleAge {
        throw InputError(
          row.location("year"), key: "year",
          expected: "each year × age × placement × need once",
          found: "a second row for \(year) \(row.string("age")) \(row.string("placement")) \(row.string("need"))")
      }
      cells[key, default: 0] += plans
    }
    let years = Set(cells.keys.map(\.year)).sorted()
    guard let first = years.first, let last = years.last else {
      throw InputError(SourceLocation(file: path, line: 2), expected: "at least one data row", found: "none")
    }
    if let gap = (first...last).first(where: { !years.contains($0) }) {
      throw InputError(
        SourceLocation(file: path), key: "year",
        expected: "every census year from \(first) to \(last) (exclude years with --exclude-years instead)",
        found: "no rows for \(gap)")
    }
    // A level's value: the explicit marginal row if the file has one, else the sum of the
    // finest rows (those with the most dimensions given) that fall in it.
    func value(year: Int, matches: (Key) -> Bool, isMarginal: (Key) -> Bool) -> Double? {
      let inYear = cells.filter { $0.key.year == year }
      if let marginal = inYear.first(where: { isMarginal($0.key) && matches($0.key) }) { return marginal.value }
      let detail = { (k: Key) in (k.band != nil ? 1 : 0) + (k.placement != nil ? 1 : 0) + (k.need != nil ? 1 : 0) }
      guard let finest = inYear.keys.map(detail).max() else { return nil }
      let rows = inYear.filter { detail($0.key) == finest && matches($0.key) }
      return rows.isEmpty ? nil : rows.values.reduce(0, +)
    }
    var totals: [Double] = []
    for year in years {
      totals.append(
        value(
          year: year, matches: { _ in true }, isMarginal: { $0.band == nil && $0.placement == nil && $0.need == nil })
          ?? 0)
    }
    var gaps: [(level: String, years: [Int])] = []
    // A level's series holds only the years that give it; the others are reported as gaps.
    func series(_ level: String, matches: (Key) -> Bool, isMarginal: (Key) -> Bool) -> PlanSeries {
      var observed = PlanSeries(level: level, years: [], plans: [])
      var missing: [Int] = []
      for year in years {
        if let plans = value(year: year, matches: matches, isMarginal: isMarginal) {
          observed.years.append(year)
          observed.plans.append(plans)
        } else {
          missing.append(year)
        }
      }
      if !missing.isEmpty { gaps.append((level, missing)) }
      return observed
    }
    var bands: [PlanSeries] = []
    for (index, band) in ageBands.enumerated() where cells.keys.contains(where: { $0.band == index }) {
      bands.append(
        series(
          "age:\(band.label)", matches: { $0.band == index }, isMarginal: { $0.placement == nil && $0.need == nil }))
    }
    var placements: [PlanSeries] = []
    for id in Set(cells.keys.compactMap(\.placement)).sorted() {
      placements.append(
        series("placement:\(id)", matches: { $0.placement == id }, isMarginal: { $0.band == nil && $0.need == nil }))
    }
    var newPlans: [Int: Double] = [:]
    if let newPlansPath {
      let table = try CSVTable.read(path: newPlansPath, columns: ["year", "plans_new"])
      for row in table.rows {
        let year = try row.int("year")
        if newPlans[year] != nil {
          throw InputError(row.location("year"), key: "year", expected: "each year once", found: "\(year) again")
        }
        newPlans[year] = try row.double(
          "plans_new", in: 0...CalibrationLimits.maximumCount,
          rangeText: "a count of new plans 0–\(CalibrationLimits.maximumText)")
      }
    }
    return AggregateHistory(
      file: path, total: PlanSeries(level: "total", years: years, plans: totals), ageBands: bands,
      placements: placements, newPlans: newPlans, rowsRead: table.rows.count, gaps: gaps)
  }

  /// `nil` for a blank or `total` cell, otherwise the trimmed text.
  static func totalOrValue(_ text: String) -> String? {
    text.isEmpty || text.lowercased() == "total" ? nil : text
  }

  /// The index of the age band of the row's `age` cell (a single age 0–25 or a band), or nil
  /// for a total.
  static func ageBand(_ row: CSVRow) throws -> Int? {
    let text = row.string("age")
    guard let value = totalOrValue(text) else { return nil }
    let normalised = value.lowercased().replacingOccurrences(of: " ", with: "")
    if let index = ageBands.firstIndex(where: { $0.label.replacingOccurrences(of: " ", with: "") == normalised }) {
      return index
    }
    if let age = Int(value), let index = ageBands.firstIndex(where: { $0.ages.contains(age) }) { return index }
    throw InputError(
      row.location("age"), key: "age",
      expected: "a single age 0–25, a band (under 5, 5-10, 11-15, 16-19, 20-25) or total", found: "'\(text)'")
  }
}
