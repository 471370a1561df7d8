import Foundation
import TestSupport
import Testing

@testable import HighNeeds
@testable import HighNeedsCore
@testable import HighNeedsCommands

/// The Local SEND Reform Plan tables: every table a partition of the same plans, placements
/// mapped by age where the template splits them, nothing unmapped dropped.
struct LSRPTablesTests {
  /// Random plans for every cell of `taxonomy`, `censuses` of them.
  static func randomPlans(_ taxonomy: Taxonomy, censuses: Int, seed: UInt64) -> [[Double]] {
    var g = SplitMix64(seed: seed)
    let cells = AgeAxis.count * taxonomy.needs.count * taxonomy.placements.count
    return (0..<censuses).map { _ in
      (0..<cells).map { _ in Double(g.next() % 1000) < 300 ? 0 : Double(g.next() % 100_000) / 1000 }
    }
  }

  static func expectPartition(_ counts: LSRPCounts, _ plans: [[Double]]) {
    #expect(counts.byAgeGroup.count == plans.count)
    for (t, x) in plans.enumerated() {
      let total = x.reduce(0, +)
      let tolerance = 1e-9 * max(1, total)
      #expect(abs(counts.byAgeGroup[t].reduce(0, +) - total) <= tolerance)
      #expect(abs(counts.byProvision[t].reduce(0, +) - total) <= tolerance)
      #expect(abs(counts.byNeed[t].reduce(0, +) - total) <= tolerance)
      #expect(abs(counts.byNeedAndGroup[t].joined().reduce(0, +) - total) <= tolerance)
      for (j, row) in counts.byNeedAndGroup[t].enumerated() {
        #expect(abs(row.reduce(0, +) - counts.byNeed[t][j]) <= tolerance)
      }
    }
  }

  @Test func theBuiltInMappingCoversTheBuiltInTaxonomyInTheTemplatesOrder() throws {
    let taxonomy = try Taxonomy.builtIn()
    let mapping = try LSRPMapping.builtIn(for: taxonomy)
    #expect(mapping.provisions.count == 14)
    #expect(mapping.provisions.first == "Early Years settings including PVIs")
    #expect(mapping.provisions.last == "Other (including hospital schools where applicable)")
    #expect(mapping.needs.count == 13)
    #expect(!mapping.provisions.contains { $0.hasPrefix("Not mapped") })
    #expect(!mapping.needs.contains { $0.hasPrefix("Not mapped") })
    #expect(!mapping.groups.contains("Not mapped"))
    let plans = Self.randomPlans(taxonomy, censuses: 3, seed: 11)
    Self.expectPartition(
      LSRPCounts(plans: plans, mapping: mapping, placements: taxonomy.placements.count, needs: taxonomy.needs.count),
      plans)
  }

  @Test func mainstreamPlansFromSixteenAreMainstreamPostSixteen() throws {
    let taxonomy = try Taxonomy.builtIn()
    let mapping = try LSRPMapping.builtIn(for: taxonomy)
    let mainstream = try #require(taxonomy.placements.firstIndex { $0.id == "mainstream" })
    #expect(mapping.provisions[mapping.provisionOf[15][mainstream]] == "Mainstream schools or academies")
    #expect(mapping.provisions[mapping.provisionOf[16][mainstream]] == "Mainstream Post 16 provision")
    // One plan at age 16 in mainstream with need ASD: counted once in each table, in the right rows.
    let P = taxonomy.placements.count
    let N = taxonomy.needs.count
    var x = Array(repeating: 0.0, count: AgeAxis.count * N * P)
    x[(16 * N + 0) * P + mainstream] = 1
    let counts = LSRPCounts(plans: [x], mapping: mapping, placements: P, needs: N)
    #expect(counts.byAgeGroup[0] == [0, 0, 0, 1, 0])
    let post16 = try #require(mapping.provisions.firstIndex(of: "Mainstream Post 16 provision"))
    #expect(counts.byProvision[0][post16] == 1)
    #expect(counts.byNeed[0][0] == 1)
    #expect(mapping.needs[0] == "Autistic Spectrum Disorder")
    let group = try #require(mapping.groups.firstIndex(of: "Post-16"))
    #expect(counts.byNeedAndGroup[0][0][group] == 1)
  }

  @Test func aPlacementOrNeedTheMappingDoesNotNameGetsARowOfItsOwn() throws {
    var taxonomy = try Taxonomy.builtIn()
    taxonomy.placements.append(
      Placement(id: "hospital", label: "Hospital school", group: .hospitalAP, location: .inBorough))
    taxonomy.needs.append(Need(id: "NEW", label: "A local need"))
    let mapping = try LSRPMapping.builtIn(for: taxonomy)
    #expect(mapping.provisions.last == "Not mapped to a provision type: hospital")
    #expect(mapping.needs.last == "Not mapped to a primary need: NEW")
    #expect(mapping.groups.last == "Not mapped")
    let plans = Self.randomPlans(taxonomy, censuses: 2, seed: 12)
    let counts = LSRPCounts(
      plans: plans, mapping: mapping, placements: taxonomy.placements.count, needs: taxonomy.needs.count)
    Self.expectPartition(counts, plans)
    #expect(counts.byProvision[0].last! > 0)
    #expect(counts.byNeed[0].last! > 0)
  }

  @Test func aMappingThatNamesAnAgeTwiceIsRefusedNamingTheRow() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lsrp-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "provision,group\nA,G\nB,G\n".write(toFile: folder + "/provisions.csv", atomically: true, encoding: .utf8)
    try "placement,age_from,age_to,provision\nmainstream,0,16,A\nmainstream,16,25,B\n".write(
      toFile: folder + "/placements.csv", atomically: true, encoding: .utf8)
    try "need,lsrp_need\nASD,Autism\n".write(toFile: folder + "/needs.csv", atomically: true, encoding: .utf8)
    let taxonomy = try Taxonomy.builtIn()
    let message = try #require(thrownMessage { _ = try LSRPMapping.load(folder: folder, taxonomy: taxonomy) })
    #expect(message.contains("placements.csv:3"), "\(message)")
    #expect(message.contains("age 16 of 'mainstream' again"), "\(message)")
  }

  /// With a pipeline, tables 10–12 and pipeline.csv hold its requests, assessments and
  /// assessments ending in a plan, and pipeline.csv's new plans are the caseload's new plans.
  @Test func thePipelineTablesAddUpToTheRunsFlows() throws {
    var s = try ScenarioLoader.load(path: "Scenarios/sutton/mainstream_inclusion.yaml")
    s.pipeline = AssessmentPipelineTests.pipeline(for: s, lagShare: 0.25)
    let r = try ScenarioRun.run(s)
    let lsrp = try CSVTable.parse(
      try LSRPTable.csv([r]).text, file: "lsrp.csv",
      columns: ["scenario", "case", "table", "row", "column", "census_year", "plans"])
    let pipeline = try CSVTable.parse(
      RunTables.pipeline([r]).text, file: "pipeline.csv",
      columns: [
        "scenario", "case", "census_year", "age_band", "requests", "refusals", "assessments",
        "assessments_ending_in_plan", "new_plans",
      ])
    #expect(pipeline.rows.count == 2 * s.horizonYears * AgeAxis.bands.count)
    for t in 1...s.horizonYears {
      let year = String(s.censusYear(t))
      let flows = r.parameters.pipeline[t - 1]
      func lsrpSum(_ table: String) throws -> Double {
        try lsrp.rows.filter {
          $0.string("case") == "mitigated" && $0.string("census_year") == year
            && $0.string("table").hasPrefix(table + " ")
        }.reduce(0) { $0 + (try $1.double("plans")) }
      }
      #expect(abs(try lsrpSum("10") - flows.reduce(0) { $0 + $1.requests }) < 1e-4)
      #expect(abs(try lsrpSum("11") - flows.reduce(0) { $0 + $1.assessments }) < 1e-4)
      #expect(abs(try lsrpSum("12") - flows.reduce(0) { $0 + $1.assessmentsToPlans }) < 1e-4)
      let rows = pipeline.rows.filter { $0.string("case") == "mitigated" && $0.string("census_year") == year }
      let newPlans = try rows.reduce(0) { $0 + (try $1.double("new_plans")) }
      let entered = r.path.flows[t - 1].reduce(0) { $0 + $1.newPlans }
      #expect(abs(newPlans - entered) < 1e-4, "\(year): \(newPlans) against flows' \(entered)")
    }
  }

  /// Each mitigation's effect on every cell of the tables is its Shapley share: the effects add
  /// up to mitigated − unmitigated.
  @Test(arguments: ["Scenarios/sutton/local_specialist.yaml", "Scenarios/sutton/request_surge_2026.yaml"])
  func eachMitigationsEffectsAddUpToTheDifference(_ file: String) throws {
    let s = try ScenarioLoader.load(path: file)
    let r = try ScenarioCommands.result(s)
    #expect(r.countEffects.count == s.mitigations.count)
    let table = try CSVTable.parse(
      try LSRPTable.csv([r]).text, file: "lsrp.csv",
      columns: ["scenario", "case", "table", "row", "column", "census_year", "plans"])
    var sums: [String: [String: Double]] = [:]
    for row in table.rows {
      let key = [row.string("table"), row.string("row"), row.string("column"), row.string("census_year")].joined(
        separator: "|")
      let name = row.string("case").hasPrefix("effect:") ? "effects" : row.string("case")
      sums[key, default: [:]][name, default: 0] += try row.double("plans")
    }
    let effectCases = Set(table.rows.map { $0.string("case") }.filter { $0.hasPrefix("effect:") })
    #expect(effectCases == Set(s.mitigations.map { "effect:" + $0.id }))
    var checked = 0
    for (key, value) in sums {
      guard let effects = value["effects"] else { continue }
      let difference = (value["mitigated"] ?? .nan) - (value["unmitigated"] ?? .nan)
      #expect(abs(effects - difference) < 1e-4, "\(key): effects \(effects), difference \(difference)")
      checked += 1
    }
    #expect(checked > 1000)
    // With a pipeline, tables 10-12 have effects too, and a request surge changes requests.
    let requests = table.rows.filter { $0.string("table").hasPrefix("10 ") && $0.string("case").hasPrefix("effect:") }
    #expect(requests.isEmpty == (s.pipeline == nil))
    if s.pipeline != nil { #expect(try requests.contains { try $0.double("plans") > 1 }) }
  }
}
