import Foundation
import Testing

@testable import HighNeeds

/// `hnb init`'s builder over the shipped national data pack: every current LA gives a scenario
/// whose base census equals the DfE's published January figures, every value carries a status,
/// and the same pack gives the same bytes.
@Suite(.serialized) struct ScenarioInitTests {
  /// The repository's `Data/national` (this file is Tests/HighNeedsTests/Init/…).
  static let packFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data/national").path

  static let pack = Result { try NationalPack.load(folder: packFolder) }

  @Test func everyCurrentLABuildsWithThePublishedTotalsExactly() throws {
    let pack = try Self.pack.get()
    let authorities = pack.currentAuthorities
    #expect(authorities.count == 153)
    let census = pack.latestCensusYear
    for la in authorities {
      let scenario = try ScenarioInit.build(la: la, pack: pack)
      let published = pack.publishedPlacementTotals(la: la.code, year: census)
      // The total, always published.
      let total = try #require(published["ehcplans"] ?? nil, "\(la.name): no published total")
      #expect(scenario.placementMicro.values.reduce(0, +) == Int(total) * 1_000_000, "\(la.name)")
      // Each DfE placement group, where published (a withheld group has no figure to meet).
      for (group, placements) in ScenarioInit.dfeGroups where group != "ehcplans" {
        guard let value = published[group] ?? nil else { continue }
        let model = placements.reduce(0) { $0 + (scenario.placementMicro[$1] ?? 0) }
        // placement_unknown is inside educated_elsewhere in the model.
        let unknown = group == "ed_elsewhere" ? Int(((published["placement_unknown"] ?? nil) ?? 0) * 1_000_000) : 0
        #expect(model == Int(value) * 1_000_000 + unknown, "\(la.name): \(group)")
      }
      // Every logged value has a status, and every input file is in the log.
      #expect(scenario.log.allSatisfy { !$0.method.isEmpty }, "\(la.name)")
      for name in scenario.files.keys where name.hasSuffix(".csv") && name != "assumptions.csv" {
        #expect(
          scenario.log.contains {
            $0.key.contains(name) || $0.value.contains(name) || name.hasPrefix("data/baseline_caseload")
          }
            || name == "data/population.csv" || name == "data/places.csv",
          "\(la.name): \(name) not in the log")
      }
    }
  }

  /// Every LA's pipeline starts exactly its baseline's new plans: at every age,
  /// `requests · (1 − refusals) · conversions` is the incidence written (to the files' nine
  /// decimals), so no age loses its new plans to a share of 0.
  @Test func everyLAsPipelineStartsItsBaselinesNewPlans() throws {
    let pack = try Self.pack.get()
    func column(_ text: String?) -> [Double] {
      (text ?? "").split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1]) ?? .nan }
    }
    for la in pack.currentAuthorities {
      let files = try ScenarioInit.build(la: la, pack: pack).files
      let incidence = column(files["data/incidence.csv"])
      let requests = column(files["data/pipeline/requests.csv"])
      let refusals = column(files["data/pipeline/refusals.csv"])
      let conversions = column(files["data/pipeline/conversions.csv"])
      #expect(incidence.count == 26 && requests.count == 26, "\(la.name)")
      for a in 0..<min(26, incidence.count, requests.count) {
        let started = requests[a] * (1 - refusals[a]) * conversions[a]
        #expect(abs(started - incidence[a]) <= 1e-8 + 1e-6 * incidence[a], "\(la.name) age \(a)")
      }
    }
  }

  @Test func theSamePackGivesTheSameBytes() throws {
    let pack = try Self.pack.get()
    for code in ["887", "201", "873", "936"] {
      let la = try #require(pack.authorities.first { $0.code == code })
      let a = try ScenarioInit.build(la: la, pack: pack)
      let b = try ScenarioInit.build(la: la, pack: pack)
      #expect(a.files == b.files, "\(la.name)")
    }
  }

  @Test func tinyAndWithheldLAsSayWhatIsMissing() throws {
    let pack = try Self.pack.get()
    let city = try ScenarioInit.build(la: try #require(pack.authorities.first { $0.code == "201" }), pack: pack)
    #expect(city.missing.contains { $0.hasPrefix("HNB allocations") })
    #expect(city.log.contains { $0.key == "income.hnb_allocation_gbp" && $0.status == .nationalDefault })
    let cambridgeshire = try ScenarioInit.build(
      la: try #require(pack.authorities.first { $0.code == "873" }), pack: pack)
    #expect(cambridgeshire.missing.contains { $0.contains("placements withheld") })
    // A residents' growth no LA sustains (the City's estimates changed) is not carried forward.
    #expect(
      city.log.contains { $0.key == "caseload.population_growth_fraction_per_year" && $0.status == .nationalDefault })
    // The officer's balance is never invented.
    #expect(city.log.contains { $0.key == "reserve.opening_balance_gbp" && $0.status == .notStated })
  }
}
