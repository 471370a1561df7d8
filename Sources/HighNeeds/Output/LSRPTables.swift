import Foundation

/// How a taxonomy's placements and needs map to the rows of the Local SEND Reform Plan's data
/// tables: provision types (table 6), primary needs (table 7) and provision groups (7.x).
///
/// The mapping is data (`Resources/lsrp/`): `provisions.csv` lists the template's provision
/// types in its order with the group each belongs to, `placements.csv` maps a placement (for a
/// range of ages) to a provision type, `needs.csv` maps a need to the template's need, in the
/// template's order. A placement or need the mapping does not name gets a row of its own,
/// labelled as not mapped, so no plan is dropped and the tables still add up.
public struct LSRPMapping: Sendable {
  /// The provision types in the template's order, then any placement not mapped.
  public var provisions: [String]
  /// `groupOfProvision[i]`: index into `groups` of provision `i`.
  public var groupOfProvision: [Int]
  /// The provision groups of tables 7.x, in order of first appearance.
  public var groups: [String]
  /// `provisionOf[age][placement]`: index into `provisions`.
  public var provisionOf: [[Int]]
  /// The template's primary needs in its order, then any need not mapped.
  public var needs: [String]
  /// `needOf[need]`: index into `needs`.
  public var needOf: [Int]

  /// The built-in mapping for `taxonomy`.
  public static func builtIn(for taxonomy: Taxonomy) throws -> LSRPMapping {
    guard let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("lsrp")
    else {
      throw InputError(
        SourceLocation(file: "Resources/lsrp"), expected: "the built-in LSRP mapping",
        found: "it missing from the installation")
    }
    return try load(folder: folder.path, taxonomy: taxonomy)
  }

  /// Reads the mapping in `folder` for `taxonomy`.
  public static func load(folder: String, taxonomy: Taxonomy) throws -> LSRPMapping {
    let provisionTable = try CSVTable.read(path: folder + "/provisions.csv", columns: ["provision", "group"])
    let placementTable = try CSVTable.read(
      path: folder + "/placements.csv", columns: ["placement", "age_from", "age_to", "provision"])
    let needTable = try CSVTable.read(path: folder + "/needs.csv", columns: ["need", "lsrp_need"])

    var provisions: [String] = []
    var groups: [String] = []
    var groupOfProvision: [Int] = []
    for row in provisionTable.rows {
      let provision = try row.required("provision")
      if provisions.contains(provision) {
        throw InputError(
          row.location("provision"), key: "provision", expected: "each provision type once",
          found: "\(InputError.quoted(provision)) again")
      }
      provisions.append(provision)
      groupOfProvision.append(index(of: try row.required("group"), in: &groups))
    }

    let P = taxonomy.placements.count
    var provisionOf = Array(repeating: Array(repeating: -1, count: P), count: AgeAxis.count)
    for row in placementTable.rows {
      let id = try row.required("placement")
      let from = try row.int("age_from")
      let to = try row.int("age_to")
      guard 0 <= from, from <= to, to <= AgeAxis.maxAge else {
        throw InputError(
          row.location("age_from"), key: "age_from",
          expected: "0 ≤ age_from ≤ age_to ≤ \(AgeAxis.maxAge)", found: "\(from)…\(to)")
      }
      let provision = try row.required("provision")
      guard let i = provisions.firstIndex(of: provision) else {
        throw InputError(
          row.location("provision"), key: "provision", expected: "a provision type of provisions.csv",
          found: InputError.quoted(provision))
      }
      // A placement the scenario's taxonomy does not have is not an error: the mapping covers
      // the built-in taxonomy and its variants.
      guard let p = taxonomy.placements.firstIndex(where: { $0.id == id }) else { continue }
      for a in from...to {
        if provisionOf[a][p] >= 0 {
          throw InputError(
            row.location("age_from"), key: "age_from", expected: "each placement and age mapped once",
            found: "age \(a) of \(InputError.quoted(id)) again")
        }
        provisionOf[a][p] = i
      }
    }
    // Ages a mapping leaves out go to the placement's own unmapped row.
    for p in 0..<P where (0..<AgeAxis.count).contains(where: { provisionOf[$0][p] < 0 }) {
      let label = "Not mapped to a provision type: \(taxonomy.placements[p].id)"
      provisions.append(label)
      groupOfProvision.append(index(of: "Not mapped", in: &groups))
      for a in 0..<AgeAxis.count where provisionOf[a][p] < 0 { provisionOf[a][p] = provisions.count - 1 }
    }

    var needs: [String] = []
    var needOf = Array(repeating: -1, count: taxonomy.needs.count)
    for row in needTable.rows {
      let id = try row.required("need")
      let j = index(of: try row.required("lsrp_need"), in: &needs)
      guard let n = taxonomy.needs.firstIndex(where: { $0.id == id }) else { continue }
      if needOf[n] >= 0 {
        throw InputError(
          row.location("need"), key: "need", expected: "each need mapped once", found: "\(InputError.quoted(id)) again")
      }
      needOf[n] = j
    }
    for n in 0..<taxonomy.needs.count where needOf[n] < 0 {
      needs.append("Not mapped to a primary need: \(taxonomy.needs[n].id)")
      needOf[n] = needs.count - 1
    }
    return LSRPMapping(
      provisions: provisions, groupOfProvision: groupOfProvision, groups: groups, provisionOf: provisionOf,
      needs: needs, needOf: needOf)
  }

  /// The index of `label` in `labels`, appended first if it is not there.
  private static func index(of label: String, in labels: inout [String]) -> Int {
    if let i = labels.firstIndex(of: label) { return i }
    labels.append(label)
    return labels.count - 1
  }
}

/// The Local SEND Reform Plan's EHC plan tables for one caseload path: plans at each January
/// census by age group (table 5.1), provision type (6), primary need (7) and need by provision
/// group (7.x), every one a partition of the same plans.
public struct LSRPCounts: Sendable, Equatable {
  /// `byAgeGroup[t][band]` (plans), bands as `AgeAxis.bands`.
  public var byAgeGroup: [[Double]]
  /// `byProvision[t][i]` (plans), `i` as `LSRPMapping.provisions`.
  public var byProvision: [[Double]]
  /// `byNeed[t][j]` (plans), `j` as `LSRPMapping.needs`.
  public var byNeed: [[Double]]
  /// `byNeedAndGroup[t][j][g]` (plans), `g` as `LSRPMapping.groups`.
  public var byNeedAndGroup: [[[Double]]]

  /// Sums `plans[t]` (cells `(age * N + need) * P + placement`) into the tables.
  public init(plans: [[Double]], mapping: LSRPMapping, placements P: Int, needs N: Int) {
    // The bands cover every age 0…25 (`AgeAxis.bands`).
    let bandOf = (0..<AgeAxis.count).map { a in AgeAxis.bands.firstIndex { $0.ages.contains(a) } ?? 0 }
    byAgeGroup = []
    byProvision = []
    byNeed = []
    byNeedAndGroup = []
    for x in plans {
      var ages = Array(repeating: 0.0, count: AgeAxis.bands.count)
      var provisions = Array(repeating: 0.0, count: mapping.provisions.count)
      var needs = Array(repeating: 0.0, count: mapping.needs.count)
      var needGroups = Array(
        repeating: Array(repeating: 0.0, count: mapping.groups.count), count: mapping.needs.count)
      for a in 0..<AgeAxis.count {
        for n in 0..<N {
          for p in 0..<P {
            let v = x[(a * N + n) * P + p]
            if v == 0 { continue }
            let i = mapping.provisionOf[a][p]
            let j = mapping.needOf[n]
            ages[bandOf[a]] += v
            provisions[i] += v
            needs[j] += v
            needGroups[j][mapping.groupOfProvision[i]] += v
          }
        }
      }
      byAgeGroup.append(ages)
      byProvision.append(provisions)
      byNeed.append(needs)
      byNeedAndGroup.append(needGroups)
    }
  }
}

extension LSRPCounts {
  /// The counts of census `t`, flat: age groups, provision types, needs, then needs by group.
  func flat(_ t: Int) -> [Double] {
    byAgeGroup[t] + byProvision[t] + byNeed[t] + byNeedAndGroup[t].flatMap { $0 }
  }

  /// The tables of flat vectors (`flat`'s layout), one per census.
  init(flat vectors: [[Double]], mapping: LSRPMapping) {
    let (b, p, n, g) = (AgeAxis.bands.count, mapping.provisions.count, mapping.needs.count, mapping.groups.count)
    byAgeGroup = vectors.map { Array($0[0..<b]) }
    byProvision = vectors.map { Array($0[b..<(b + p)]) }
    byNeed = vectors.map { Array($0[(b + p)..<(b + p + n)]) }
    byNeedAndGroup = vectors.map { v in (0..<n).map { j in Array(v[(b + p + n + j * g)..<(b + p + n + (j + 1) * g)]) } }
  }
}

/// `lsrp.csv`: the Local SEND Reform Plan's EHC plan tables for every scenario, without and
/// with its mitigations, and each mitigation's share of the difference.
package enum LSRPTable {
  /// What a run counts of each census's state so that each mitigation's effect on the tables
  /// can be attributed (`ScenarioResult.countEffects`).
  package static func counting(for s: Scenario) throws -> PlanCounting {
    let mapping = try LSRPMapping.builtIn(for: s.taxonomy)
    let (P, N) = (s.placementCount, s.needCount)
    return PlanCounting { x in LSRPCounts(plans: [x], mapping: mapping, placements: P, needs: N).flat(0) }
  }

  /// The template's labels of the five age groups of table 5.1.
  static let ageGroupLabels = ["Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25"]

  /// The table (typed columns and CSV text); `results` sorted by scenario name.
  static func csv(_ results: [ScenarioResult]) throws -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .text("case"), .text("table"), .text("row"), .text("column"), .year("census_year"),
      .plans("plans"),
    ])
    for r in results {
      let s = r.scenario
      let mapping = try LSRPMapping.builtIn(for: s.taxonomy)
      var cases: [(String, CaseloadPath)] = []
      if let unmitigated = r.unmitigatedPath {
        cases = [("unmitigated", unmitigated), ("mitigated", r.path)]
      } else {
        cases = [("unmitigated", r.path)]
      }
      let parameters = [r.unmitigatedParameters ?? r.parameters, r.parameters]
      // Each mitigation's Shapley share of the change in the tables (mitigated − unmitigated).
      var effects: [(String, LSRPCounts)] = []
      let size =
        AgeAxis.bands.count + mapping.provisions.count + mapping.needs.count
        + mapping.needs.count * mapping.groups.count
      // After the tables' counts, the pipeline's by band (`PlanCounting.pipelineBands`).
      let bands = AgeAxis.bands.count
      let pipelineSize = r.parameters.pipeline.isEmpty ? 0 : s.horizonYears * 3 * bands
      var pipelineEffects: [String: [Double]] = [:]
      for (i, effect) in r.countEffects.enumerated() {
        precondition(
          effect.count == (s.horizonYears + 1) * size + pipelineSize, "counts made with another mapping")
        let vectors = (0...s.horizonYears).map { t in Array(effect[(t * size)..<((t + 1) * size)]) }
        effects.append(("effect:" + s.mitigations[i].id, LSRPCounts(flat: vectors, mapping: mapping)))
        pipelineEffects["effect:" + s.mitigations[i].id] = Array(effect[((s.horizonYears + 1) * size)...])
      }
      let tables =
        cases.map {
          ($0.0, LSRPCounts(plans: $0.1.plans, mapping: mapping, placements: s.placementCount, needs: s.needCount))
        }
        + effects
      for (c, (name, counts)) in tables.enumerated() {
        func rows(_ table: String, _ labels: [String], _ values: (Int) -> [Double]) {
          for (i, label) in labels.enumerated() {
            for t in 0...s.horizonYears {
              csv.row([s.name, name, table, label, "All", String(s.censusYear(t)), NumberFormat.plans(values(t)[i])])
            }
          }
        }
        rows("5.1 EHC plans by age group", ageGroupLabels) { counts.byAgeGroup[$0] }
        rows("6 EHC plans by provision type", mapping.provisions) { counts.byProvision[$0] }
        rows("7 EHC plans by primary need", mapping.needs) { counts.byNeed[$0] }
        for (g, group) in mapping.groups.enumerated() {
          for (j, need) in mapping.needs.enumerated() {
            for t in 0...s.horizonYears {
              csv.row([
                s.name, name, "7.x EHC plans by primary need and provision group", need, group,
                String(s.censusYear(t)), NumberFormat.plans(counts.byNeedAndGroup[t][j][g]),
              ])
            }
          }
        }
        // Tables 10–12 from the assessment pipeline, for the years to each projected census:
        // each case's flows, or a mitigation's share of their change.
        let values =
          c < cases.count
          ? PlanCounting.pipelineBands(parameters[c].pipeline) : (pipelineEffects[name] ?? [])
        if values.isEmpty { continue }
        let pipelineTables = [
          "10 Requests for an EHC needs assessment by age group", "11 EHC needs assessments by age group",
          "12 EHC needs assessments resulting in a plan by age group",
        ]
        for (m, table) in pipelineTables.enumerated() {
          for (b, label) in ageGroupLabels.enumerated() {
            for t in 1...s.horizonYears {
              let value = values[((t - 1) * 3 + m) * bands + b]
              csv.row([s.name, name, table, label, "All", String(s.censusYear(t)), NumberFormat.plans(value)])
            }
          }
        }
      }
    }
    return csv.table
  }
}
