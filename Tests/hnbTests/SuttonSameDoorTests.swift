import Foundation
import HighNeeds
import Testing

/// End-to-end: Sutton through the same door as any LA.
///
/// `Scenarios/sutton/same_door/national/` is what `hnb init --la sutton` writes, and
/// `on_national.yaml` layers Sutton's local evidence on it (`Scenarios/sutton/README.md`,
/// "Through the same door").
@Suite(.serialized) struct SuttonSameDoorTests {
  static let folder = "Scenarios/sutton/same_door"
  static let regenerate = "hnb init --la sutton --out Scenarios/sutton/same_door/national"

  /// `same_door/national/` is exactly what `hnb init --la sutton` writes today, so a change to init
  /// or the pack that moves it fails here until the folder is regenerated (and the comparison in
  /// the README is rerun).
  @Test func theNationalFolderIsWhatInitWritesToday() throws {
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try HNBCommand.run(["init", "--la", "sutton", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let committed = try InitCommandTests.contents(HNBCommand.root.path + "/" + Self.folder + "/national")
    let fresh = try InitCommandTests.contents(out)
    #expect(
      committed.keys.sorted() == fresh.keys.sorted(),
      "the files of \(Self.folder)/national differ from what hnb init writes: regenerate with \(Self.regenerate)")
    for (name, data) in fresh.sorted(by: { $0.key < $1.key }) where committed[name] != data {
      Issue.record(
        """
        \(Self.folder)/national/\(name) differs from what hnb init writes: regenerate with \(Self.regenerate), \
        then rerun python3 scripts/sutton/same_door.py --compare for the tables in Scenarios/sutton/README.md
        """)
    }
  }

  /// The layer validates and runs; its base census is Sutton's published January 2025 total and
  /// DfE placement groups (from the pack, as init builds it); its caseload is the generated base's
  /// in every year; and each override took effect: the deficit brought forward and the 2026
  /// settlement in the reserve, the commissioned places, the two central lines, and each one's
  /// provenance in the layer's file.
  @Test func theLayerRunsWithTheGeneratedCaseloadAndSuttonsOverrides() throws {
    let layer = Self.folder + "/on_national.yaml"
    let national = Self.folder + "/national/baseline.yaml"
    let validate = try HNBCommand.run(["validate", layer, "--as-of", "2026-01-15"])
    #expect(validate.status == 0, "\(validate.stderr)")
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = try HNBCommand.run(["run", layer, "--out", out + "/layer", "--as-of", "2026-01-15"])
    #expect(run.status == 0, "\(run.stderr)")
    let base = try HNBCommand.run(["run", national, "--out", out + "/national", "--as-of", "2026-01-15"])
    #expect(base.status == 0, "\(base.stderr)")

    // The base census: the published total and each published DfE placement group.
    let pack = try NationalPack.load(folder: InitCommandTests.packFolder)
    let published = pack.publishedPlacementTotals(la: "319", year: 2025)
    #expect(published["ehcplans"] == 2582)
    var byPlacement: [String: Double] = [:]
    for row in try HNBCommand.readCSV(out + "/layer/ehcp.csv") where row["census_year"] == "2025" {
      byPlacement[row["placement"] ?? "", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    var groups = 0
    for (group, placements) in ScenarioInit.dfeGroups.sorted(by: { $0.key < $1.key }) {
      guard let value = published[group] ?? nil else { continue }
      let model = placements.reduce(0) { $0 + (byPlacement[$1] ?? 0) }
      // placement_unknown is inside educated_elsewhere in the model (as ScenarioInitTests).
      let unknown = group == "ed_elsewhere" ? ((published["placement_unknown"] ?? nil) ?? 0) : 0
      #expect(abs(model - value - unknown) < 1e-4, "\(group): \(model) against the published \(value + unknown)")
      groups += 1
    }
    #expect(groups == 7)

    // The caseload is the generated base's (the layer moves money, places and the reserve).
    func totals(_ run: String) throws -> [String: String] {
      var out: [String: String] = [:]
      for row in try HNBCommand.readCSV(run + "/kpis.csv") { out[row["financial_year"] ?? ""] = row["total_plans"] }
      return out
    }
    let layerTotals = try totals(out + "/layer")
    #expect(layerTotals.count == 10)
    #expect(layerTotals == (try totals(out + "/national")))

    // The reserve: £10.6m brought forward, and 90% of the deficit at 31 March 2026 written off in 2026-27.
    let dsg = Dictionary(
      uniqueKeysWithValues: try HNBCommand.readCSV(out + "/layer/dsg.csv").map { ($0["financial_year"] ?? "", $0) })
    let first = try #require(dsg["2025-26"])
    let second = try #require(dsg["2026-27"])
    #expect(first["opening_gbp"] == "-10600000.00")
    let closing = try #require(Double(first["closing_gbp"] ?? ""))
    let grant = try #require(Double(second["stability_grant_gbp"] ?? ""))
    #expect(closing < -10_600_000)
    #expect(abs(grant - 0.9 * -closing) < 0.01, "stability grant \(grant) against 90% of \(closing)")
    let nationalFirst = try #require(
      try HNBCommand.readCSV(out + "/national/dsg.csv").first { $0["financial_year"] == "2025-26" })
    #expect(nationalFirst["opening_gbp"] == "0.00")

    // The commissioned places and the two central lines.
    let flows = try HNBCommand.readCSV(out + "/layer/flows.csv").filter { $0["census_year"] == "2026" }
    let places = Dictionary(
      uniqueKeysWithValues: flows.map { ($0["placement"] ?? "", $0["commissioned_places"] ?? "") })
    #expect(places["special_maintained_in"] == "502.000000")
    #expect(places["resourced_provision"] == "396.000000")
    #expect(places["ap_pru"] == "215.000000")
    let finance = try HNBCommand.readCSV(out + "/layer/finance.csv").filter { $0["financial_year"] == "2025-26" }
    let lines = Dictionary(uniqueKeysWithValues: finance.map { ($0["line"] ?? "", $0["gbp"] ?? "") })
    #expect(lines["central.place_funding_other"] == "1270000.00")
    #expect(lines["central.other_unitemised"] == "5103363.00")
    #expect(lines["place_funding.alternative_provision"] == "2150000.00")

    // Each override is defined in the layer, the rest in the generated base.
    let assumptions = try HNBCommand.readCSV(out + "/layer/assumptions.csv")
    func definedAt(_ key: String) -> String? { assumptions.first { $0["key"] == key }?["defined_at"] }
    for key in [
      "reserve.opening_balance_gbp", "reserve.settlement.deficit_at_31_march", "capacity.places",
      "costs.central_lines.other_unitemised.gbp",
    ] {
      #expect(definedAt(key)?.hasPrefix(layer + ":") == true, "\(key): \(definedAt(key) ?? "not in assumptions.csv")")
    }
    #expect(definedAt("income.hnb_allocation_gbp")?.hasPrefix(national + ":") == true)
  }
}
