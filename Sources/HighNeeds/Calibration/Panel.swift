import Foundation

/// One local authority's series in a panel: plans at each January census, and the new plans
/// made in the calendar year before each census where known.
public struct PanelSeries: Sendable, Equatable {
  /// The LA's code as the panel gives it (the DfE three-digit code in the bundled panel).
  public var code: String
  /// The LA's region, or `""` when the panel has none.
  public var region: String
  /// Census year → plans (a year the panel leaves empty is absent, never zero).
  public var plans: [Int: Double]
  /// Census year `Y` → new plans made in calendar year `Y − 1` (the flow into census `Y`).
  public var newPlans: [Int: Double]
  /// Census year → plans by age band (`Panel.bandColumns`, youngest first), where the panel has
  /// all five bands that year.
  public var bands: [Int: [Double]]

  public init(
    code: String, region: String, plans: [Int: Double], newPlans: [Int: Double] = [:], bands: [Int: [Double]] = [:]
  ) {
    self.code = code
    self.region = region
    self.plans = plans
    self.newPlans = newPlans
    self.bands = bands
  }

  /// The census years with plans up to `origin`, as a `PlanSeries` of the total (for the trend
  /// and the baselines): only the run of consecutive years ending at `origin`.
  func series(through origin: Int) -> PlanSeries {
    var years: [Int] = []
    var year = origin
    while let p = plans[year], p > 0 {
      years.insert(year, at: 0)
      year -= 1
    }
    return PlanSeries(level: "total", years: years, plans: years.map { plans[$0] ?? 0 })
  }
}

/// Many LAs' series of plans (`Data/national/panel.csv`, or a file in its shape), the data the
/// pooled methods borrow strength from.
///
/// Read from a CSV with one row per LA and census year: `la_code,year,plans` and, optionally,
/// `region`, `new_plans_prior_year` (new plans made in calendar year `year − 1`), plans by age
/// band (`plans_under_5` … `plans_20_25`, kept for a year that has all five), the other columns of
/// the bundled panel (`ceased_plans_prior_year`, `requests_prior_year`; read, not used) and a
/// `<column>_flag` beside any of them. An empty
/// value must carry a flag when the file has the flag column; it is left out (a gap), never read
/// as zero.
public struct Panel: Sendable, Equatable {
  /// The file read (for messages and the manifest).
  public var file: String
  /// The LAs, by code.
  public var series: [PanelSeries]
  /// Data rows read.
  public var rowsRead: Int

  public init(file: String, series: [PanelSeries], rowsRead: Int = 0) {
    self.file = file
    self.series = series.sorted { $0.code < $1.code }
    self.rowsRead = rowsRead
  }

  /// The bundled national panel, relative to the working directory (as `hnb init`'s pack).
  public static let bundledPath = "Data/national/panel.csv"

  /// The age bands' columns, youngest first (the DfE's bands: under 5, 5–10, 11–15, 16–19, 20–25).
  public static let bandColumns = ["plans_under_5", "plans_5_10", "plans_11_15", "plans_16_19", "plans_20_25"]

  /// The value columns a panel may have beside `la_code`, `year` and `region`.
  public static let valueColumns = [
    "plans", "plans_under_5", "plans_5_10", "plans_11_15", "plans_16_19", "plans_20_25", "new_plans_prior_year",
    "ceased_plans_prior_year", "requests_prior_year",
  ]

  /// The panel as known at census `origin`: every value of a later census removed (the new
  /// plans of row `origin` are those of calendar year `origin − 1`, published with it).
  public func through(_ origin: Int) -> Panel {
    var copy = self
    for i in copy.series.indices {
      copy.series[i].plans = copy.series[i].plans.filter { $0.key <= origin }
      copy.series[i].newPlans = copy.series[i].newPlans.filter { $0.key <= origin }
      copy.series[i].bands = copy.series[i].bands.filter { $0.key <= origin }
    }
    return copy
  }

  /// Every census year with plans in any LA, ascending.
  public var years: [Int] { Set(series.flatMap { $0.plans.keys }).sorted() }

  /// Reads the panel at `path`.
  public static func read(path: String) throws -> Panel {
    let text = try InputFile.text(path, what: "panel CSV file")
    guard
      let header = try CSVTable.splitRecords(text, file: path).first?.1.map({
        $0.trimmingWhitespace
      })
    else {
      throw InputError(
        SourceLocation(file: path, line: 1), expected: "a header row la_code,year,plans", found: "an empty file")
    }
    let known = Set(["la_code", "year", "region"] + valueColumns + valueColumns.map { $0 + "_flag" })
    if let unknown = header.first(where: { !known.contains($0) }) {
      throw InputError(
        SourceLocation(file: path, line: 1, column: (header.firstIndex(of: unknown) ?? 0) + 1),
        expected: "columns la_code,year,plans and optionally region, "
          + valueColumns.dropFirst().joined(separator: ", ")
          + " and a <column>_flag beside each",
        found: "column \(InputError.quoted(unknown))")
    }
    for required in ["la_code", "year", "plans"] where !header.contains(required) {
      throw InputError(
        SourceLocation(file: path, line: 1), expected: "columns la_code,year,plans (and optional others)",
        found: "no \(required) column")
    }
    let table = try CSVTable.parse(text, file: path, columns: header)
    var plans: [String: [Int: Double]] = [:]
    var newPlans: [String: [Int: Double]] = [:]
    var bands: [String: [Int: [Double]]] = [:]
    var regions: [String: String] = [:]
    var seen = Set<String>()
    func value(_ row: CSVRow, _ column: String) throws -> Double? {
      guard header.contains(column) else { return nil }
      if row.string(column).isEmpty {
        if header.contains(column + "_flag") && row.string(column + "_flag").isEmpty {
          throw InputError(
            row.location(column), key: column,
            expected: "a count, or an empty cell with a \(column)_flag saying why", found: "an empty cell and no flag")
        }
        return nil
      }
      return try row.double(
        column, in: 0...CalibrationLimits.maximumCount, rangeText: "a count 0–\(CalibrationLimits.maximumText)")
    }
    for row in table.rows {
      let code = try row.required("la_code")
      let year = try row.int("year")
      guard TransitionCounts.calendarYears.contains(year) else {
        throw InputError(
          row.location("year"), key: "year",
          expected:
            "a census year \(TransitionCounts.calendarYears.lowerBound)–\(TransitionCounts.calendarYears.upperBound)",
          found: "\(year)")
      }
      let region = row.string("region")
      if let previous = regions[code], previous != region {
        throw InputError(
          row.location("region"), key: "region", expected: "one region for LA \(code) (\(InputError.quoted(previous)))",
          found: InputError.quoted(region))
      }
      regions[code] = region
      if !seen.insert("\(code)\u{1F}\(year)").inserted {
        throw InputError(
          row.location("year"), key: "year", expected: "each LA and year once", found: "LA \(code), \(year) again")
      }
      if let p = try value(row, "plans") { plans[code, default: [:]][year] = p }
      var values: [String: Double] = [:]
      for column in valueColumns.dropFirst() { values[column] = try value(row, column) }
      let byBand = bandColumns.compactMap { values[$0] }
      if byBand.count == bandColumns.count { bands[code, default: [:]][year] = byBand }
      if let n = try value(row, "new_plans_prior_year") { newPlans[code, default: [:]][year] = n }
    }
    guard !regions.isEmpty else {
      throw InputError(SourceLocation(file: path, line: 2), expected: "at least one data row", found: "none")
    }
    return Panel(
      file: path,
      series: regions.keys.map { code in
        PanelSeries(
          code: code, region: regions[code] ?? "", plans: plans[code] ?? [:], newPlans: newPlans[code] ?? [:],
          bands: bands[code] ?? [:])
      }, rowsRead: table.rows.count)
  }
}
