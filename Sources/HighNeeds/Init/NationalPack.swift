import Foundation

/// A local authority of the national data pack (`Data/national/la.csv`).
public struct LocalAuthority: Sendable, Equatable {
  /// The three-digit DfE LA code, the pack's join key.
  public var code: String
  /// The current ONS GSS code (E06…, E08…, E09…, E10…).
  public var eCode: String
  /// Other ONS codes the SEN2 files used for the same LA.
  public var otherCodes: [String]
  public var name: String
  public var region: String
  /// Whether the LA exists today or has been reorganised away.
  public enum Status: String, CaseIterable, Sendable {
    case current
    /// An LA reorganised away (its note names the successors).
    case predecessor
  }

  public var status: Status
  /// The reorganisation note (names the successors of a predecessor).
  public var note: String
}

/// One (age or band, category, value) cell of a pack table; `value` is nil when the source
/// withheld it (its `flag` says why).
struct PackCell: Sendable {
  var age: String
  var category: String
  var value: Double?
  var flag: String
}

/// The national data pack the toolkit ships (`Data/national/`, built by
/// `scripts/data/build_pack.py`): DfE SEN2, ESFA DSG allocations, DfE s251 high-needs budgets
/// and ONS population for every English LA and England (the LA code `""`).
///
/// Values the source withheld are nil, never zero; a category missing from a long table was
/// published as 0.
public struct NationalPack: Sendable {
  /// The folder read.
  public let folder: String
  /// Every LA in the pack, current and predecessor.
  public let authorities: [LocalAuthority]
  /// la → census year → age × placement cells (ages "0-2", "3"…"25"; placement a group, or
  /// `all` when the placements were withheld).
  let agePlacement: [String: [Int: [PackCell]]]
  /// la → census year → placement → plans (all ages).
  let placementTotals: [String: [Int: [String: Double?]]]
  /// la → census year → published DfE placement group → plans.
  let publishedTotals: [String: [Int: [String: Double?]]]
  /// la → census year → need × placement cells (`age` holds the placement).
  let needPlacement: [String: [Int: [PackCell]]]
  /// la → census year → need × age cells.
  let needAge: [String: [Int: [PackCell]]]
  /// la → calendar year → new plans by age at start (`category` `all`) and by placement (`age` Total).
  let newPlans: [String: [Int: [PackCell]]]
  /// la → calendar year → ceased plans by age at ceasing (`Total`, bands, `unknown`).
  let ceased: [String: [Int: [PackCell]]]
  /// la → calendar year → requests and assessments by age (`Total`, single ages) and measure.
  let requests: [String: [Int: [PackCell]]]
  /// la → mid-year → age → residents.
  let population: [String: [Int: [Int: Double]]]
  /// la → financial year → allocation column → gbp.
  let allocations: [String: [String: [String: Double?]]]
  /// la → financial year → import/export adjustment gbp.
  let importExport: [String: [String: Double]]
  /// la → s251 budget line → gbp (the budget year in `s251Year`).
  let s251: [String: [String: Double?]]
  /// The financial year of the s251 budget lines.
  let s251Year: String
  /// la → financial year → DSG cumulative balance, percent of DSG.
  let dsgBalance: [String: [String: Double?]]
  /// National figures: key → (value, source).
  let national: [String: (value: Double, source: String)]
  /// The default moves at phase transfers (`age,from,to,probability`), as text.
  let transitionsDefault: String
  /// The national panel (`panel.csv`), nil when the pack has none.
  let panel: Panel?
  /// The pooled method fitted on the panel up to the latest census (nil without a panel or
  /// without England's growth at that census): every LA's growth trend is forecast from it.
  let pooled: PooledForecast.Context?

  /// Reads the pack in `folder`.
  public static func load(folder: String) throws -> NationalPack {
    func cells(_ name: String, _ year: String, _ age: String, _ category: String, _ value: String) throws -> (
      [String: [Int: [PackCell]]]
    ) {
      let table = try PackTable.read(name, in: folder, required: ["la", year, age, category, value, "flag"])
      var out: [String: [Int: [PackCell]]] = [:]
      for row in table.rows {
        guard let y = Int(table.string(row, year)) else {
          throw InputError(
            SourceLocation(file: table.file, line: row.line), key: year, expected: "a year",
            found: InputError.quoted(table.string(row, year)))
        }
        let cell = PackCell(
          age: table.string(row, age), category: table.string(row, category), value: try table.number(row, value),
          flag: table.string(row, "flag"))
        out[table.string(row, "la"), default: [:]][y, default: []].append(cell)
      }
      return out
    }
    let laTable = try PackTable.read(
      "la.csv", in: folder,
      required: ["la", "new_la_code", "la_name", "region_name", "status", "other_ons_codes_seen", "note"])
    let authorities = try laTable.rows.map { row in
      let statusText = laTable.string(row, "status")
      guard let status = LocalAuthority.Status(rawValue: statusText) else {
        throw InputError(
          SourceLocation(file: laTable.file, line: row.line, column: (laTable.columns["status"] ?? 0) + 1),
          key: "status", expected: LocalAuthority.Status.allCases.map(\.rawValue).joined(separator: " or "),
          found: InputError.quoted(statusText))
      }
      return LocalAuthority(
        code: laTable.string(row, "la"), eCode: laTable.string(row, "new_la_code"),
        otherCodes: laTable.string(row, "other_ons_codes_seen").split(whereSeparator: { $0 == ";" || $0 == " " })
          .map(String.init),
        name: laTable.string(row, "la_name"), region: laTable.string(row, "region_name"),
        status: status, note: laTable.string(row, "note"))
    }
    let agePlacement = try cells("caseload_age_placement.csv", "census_year", "age", "placement", "plans")
    var placementTotals: [String: [Int: [String: Double?]]] = [:]
    for (la, years) in try cells("caseload_placement.csv", "census_year", "census_year", "placement", "plans") {
      for (year, list) in years {
        for cell in list { placementTotals[la, default: [:]][year, default: [:]][cell.category] = cell.value }
      }
    }
    var publishedTotals: [String: [Int: [String: Double?]]] = [:]
    for (la, years) in try cells(
      "caseload_published_totals.csv", "census_year", "census_year", "dfe_placement_group", "plans")
    {
      for (year, list) in years {
        for cell in list { publishedTotals[la, default: [:]][year, default: [:]][cell.category] = cell.value }
      }
    }
    let needPlacement = try cells("caseload_need_placement.csv", "census_year", "placement", "need", "plans")
    let needAge = try cells("caseload_need_age.csv", "census_year", "age", "need", "plans")
    let newPlans = try cells("new_plans.csv", "calendar_year", "age_at_start", "placement", "new_plans")
    let ceased = try cells("ceased_plans.csv", "calendar_year", "age", "age", "ceased_plans")
    let requests = try cells("requests_assessments.csv", "calendar_year", "age", "measure", "count")

    var population: [String: [Int: [Int: Double]]] = [:]
    for (la, years) in try cells("population.csv", "mid_year", "age", "age", "population") {
      for (year, list) in years {
        for cell in list {
          if let age = Int(cell.age), let value = cell.value {
            population[la, default: [:]][year, default: [:]][age] = value
          }
        }
      }
    }
    let allocationColumns = [
      "hnb_before_deductions_gbp", "hnb_after_deductions_gbp", "total_dsg_after_deductions_gbp",
      "total_dsg_before_deductions_gbp", "schools_block_gbp",
    ]
    let allocTable = try PackTable.read(
      "hnb_allocations.csv", in: folder, required: ["la", "financial_year"] + allocationColumns)
    var allocations: [String: [String: [String: Double?]]] = [:]
    for row in allocTable.rows {
      for column in allocationColumns {
        allocations[allocTable.string(row, "la"), default: [:]][allocTable.string(row, "financial_year"), default: [:]][
          column] = try allocTable.number(row, column)
      }
    }
    let ieTable = try PackTable.read(
      "import_export.csv", in: folder, required: ["la", "financial_year", "import_export_gbp"])
    var importExport: [String: [String: Double]] = [:]
    for row in ieTable.rows {
      if let value = try ieTable.number(row, "import_export_gbp") {
        importExport[ieTable.string(row, "la"), default: [:]][ieTable.string(row, "financial_year")] = value
      }
    }
    let sTable = try PackTable.read(
      "s251_high_needs.csv", in: folder, required: ["la", "statement", "financial_year", "line", "amount_gbp", "flag"])
    var s251: [String: [String: Double?]] = [:]
    var s251Year = ""
    for row in sTable.rows where sTable.string(row, "statement") == "s251 budget" {
      s251Year = max(s251Year, sTable.string(row, "financial_year"))
    }
    for row in sTable.rows
    where sTable.string(row, "statement") == "s251 budget" && sTable.string(row, "financial_year") == s251Year {
      s251[sTable.string(row, "la"), default: [:]][sTable.string(row, "line")] = try sTable.number(row, "amount_gbp")
    }
    let dTable = try PackTable.read(
      "dsg_balance.csv", in: folder, required: ["la", "financial_year", "balance_pct_of_dsg", "flag"])
    var dsgBalance: [String: [String: Double?]] = [:]
    for row in dTable.rows {
      dsgBalance[dTable.string(row, "la"), default: [:]][dTable.string(row, "financial_year")] = try dTable.number(
        row, "balance_pct_of_dsg")
    }
    let nTable = try PackTable.read("national_figures.csv", in: folder, required: ["key", "value", "unit", "source"])
    var national: [String: (value: Double, source: String)] = [:]
    for row in nTable.rows {
      guard let value = try nTable.number(row, "value") else {
        throw InputError(
          SourceLocation(file: nTable.file, line: row.line), key: "value", expected: "a number", found: "an empty cell")
      }
      national[nTable.string(row, "key")] = (value, nTable.string(row, "source"))
    }
    let transitionsPath = (folder as NSString).appendingPathComponent("transitions_default.csv")
    guard
      let transitions = FileManager.default.contents(atPath: transitionsPath).flatMap({
        String(data: $0, encoding: .utf8)
      })
    else {
      throw InputError(
        SourceLocation(file: transitionsPath), expected: "the default moves file", found: "no readable file")
    }
    let panelPath = (folder as NSString).appendingPathComponent("panel.csv")
    let panel = FileManager.default.fileExists(atPath: panelPath) ? try Panel.read(path: panelPath) : nil
    let census = agePlacement.values.flatMap { $0.keys }.max() ?? 0
    let pooled = panel.flatMap {
      PooledForecast.Context(panel: $0, origin: census, horizon: PooledForecast.calibratedHorizon)
    }
    return NationalPack(
      folder: folder, authorities: authorities, agePlacement: agePlacement, placementTotals: placementTotals,
      publishedTotals: publishedTotals, needPlacement: needPlacement, needAge: needAge, newPlans: newPlans,
      ceased: ceased, requests: requests,
      population: population, allocations: allocations, importExport: importExport, s251: s251, s251Year: s251Year,
      dsgBalance: dsgBalance, national: national, transitionsDefault: transitions, panel: panel, pooled: pooled)
  }

  /// The latest January census with an age × placement table.
  public var latestCensusYear: Int {
    agePlacement.values.flatMap { $0.keys }.max() ?? 0
  }

  /// The latest calendar year of England's new plans in the pack (the flow year of the latest
  /// release: 2024 in the SEN2 2025 release).
  public var latestNewPlansYear: Int { newPlans[""]?.keys.max() ?? latestCensusYear - 1 }

  /// The latest calendar year of England's ceased plans in the pack.
  public var latestCeasedYear: Int { ceased[""]?.keys.max() ?? latestCensusYear - 1 }

  /// The latest financial year with a DSG balance in the pack (`2021-22`), if any.
  public var latestBalanceYear: String? { dsgBalance.values.flatMap { $0.keys }.max() }

  /// A national figure published for several financial years, keyed `PREFIX_YYYY_YY_gbp`
  /// (`unit_cost_inmss_2021_22_gbp`): each year's label (`2021-22`), start year, value and source,
  /// oldest first; an error naming the file when fewer than two years are there.
  func yearly(_ prefix: String) throws -> [(label: String, start: Int, value: Double, source: String)] {
    var out: [(label: String, start: Int, value: Double, source: String)] = []
    for (key, figure) in national where key.hasPrefix(prefix + "_") && key.hasSuffix("_gbp") {
      let middle = key.dropFirst(prefix.count + 1).dropLast(4).split(separator: "_")
      guard middle.count == 2, let start = Int(middle[0]), middle[1].count == 2 else { continue }
      out.append(("\(start)-\(middle[1])", start, figure.value, figure.source))
    }
    out.sort { $0.start < $1.start }
    guard out.count >= 2 else {
      throw InputError(
        SourceLocation(file: (folder as NSString).appendingPathComponent("national_figures.csv")),
        key: "\(prefix)_YYYY_YY_gbp", expected: "rows for at least two financial years", found: "\(out.count)")
    }
    return out
  }

  /// The current LAs (those `hnb init` can start), in code order.
  public var currentAuthorities: [LocalAuthority] {
    authorities.filter { $0.status == .current }.sorted { $0.code < $1.code }
  }

  /// The published DfE placement-group totals of `la` at `year` (for checks).
  public func publishedPlacementTotals(la: String, year: Int) -> [String: Double?] {
    publishedTotals[la]?[year] ?? [:]
  }

  /// A national figure, or an error naming the pack file and key.
  func figure(_ key: String) throws -> (value: Double, source: String) {
    guard let figure = national[key] else {
      throw InputError(
        SourceLocation(file: (folder as NSString).appendingPathComponent("national_figures.csv")), key: key,
        expected: "a row for \(key)", found: "none")
    }
    return figure
  }
}
