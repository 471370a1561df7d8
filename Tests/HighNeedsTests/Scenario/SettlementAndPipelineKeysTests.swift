import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// The scenario keys of the 2026 settlement (`reserve.settlement`) and of the assessment
/// pipeline (`caseload.pipeline`, its levers): read, defaulted as documented, and refused with
/// a message naming the key when wrong.
struct SettlementAndPipelineKeysTests {
  /// The tiny scenario with `reserve.settlement` as `yaml` (indented under `reserve:`).
  static func withSettlement(_ yaml: String) throws -> String {
    try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(of: "reserve:\n", with: "reserve:\n  settlement:\n" + yaml)
    }
  }

  /// The tiny scenario with a pipeline in place of its incidence, and `extra` YAML appended.
  static func withPipeline(
    requests: String = "0-9,0\n10,0.02\n11-25,0", conversions: String = "0-25,0.8", lag: String = "0",
    extra: String = ""
  ) throws -> String {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(
        of: "  incidence: incidence.csv\n",
        with:
          "  pipeline:\n    requests: requests.csv\n    refusals: refusals.csv\n    conversions: conversions.csv\n"
          + "    lag_share: \(lag)\n") + extra
    }
    let directory = (path as NSString).deletingLastPathComponent
    try "age,rate\n\(requests)\n".write(toFile: directory + "/requests.csv", atomically: true, encoding: .utf8)
    try "age,share\n0-25,0.25\n".write(toFile: directory + "/refusals.csv", atomically: true, encoding: .utf8)
    try "age,share\n\(conversions)\n".write(toFile: directory + "/conversions.csv", atomically: true, encoding: .utf8)
    return path
  }

  @Test func theSettlementKeysAreReadWithTheirDefaults() throws {
    let path = try Self.withSettlement(
      """
          deficit_at_31_march: 2026
          eligible_deficit_gbp: {s251_outturn: 210000, accounts: 205000}

      """)
    let loaded = try ScenarioLoader.loadWithSource(path: path)
    let s = loaded.scenario
    let settlement = try #require(s.settlement)
    #expect(settlement.deficitYear == 0)
    #expect(settlement.writeOffShare == 0.9)
    #expect(settlement.grantYear == 1)
    #expect(settlement.localShareYear == nil)
    #expect(settlement.overrideLastYear == 2)
    #expect(settlement.figures.map(\.deficitGBP).min() == 205000)
    // The defaults are assumptions in the log, with their reasons.
    let grant = try #require(loaded.source.assumptions.first { $0.key == "reserve.settlement.grant_received_in" })
    #expect(grant.value == "2026-27" && grant.status == .assumption)
    #expect(grant.source.contains("autumn 2026"))
    let result = try ScenarioRun.run(s)
    #expect(abs(result.reserve[1].settlement.stabilityGrant - 0.9 * 205000) < 1e-6)
  }

  @Test(arguments: [
    ("    deficit_at_31_march: 2026\n    write_off_share: 1.5\n", ["reserve.settlement.write_off_share", "[0, 1]"]),
    (
      "    deficit_at_31_march: 2027\n    grant_received_in: 2026-27\n",
      ["reserve.settlement.grant_received_in", "after the deficit date (31 March 2027)", "2026-27"]
    ),
    (
      "    deficit_at_31_march: 2026\n    grant_received_in: 2031-32\n",
      ["reserve.settlement.grant_received_in", "2025-26…2027-28 or none", "'2031-32'"]
    ),
    ("    deficit_at_31_march: 2019\n", ["reserve.settlement.deficit_at_31_march", "2025…2028"]),
    (
      "    deficit_at_31_march: 2026\n    statutory_override_last_year: 2030-99\n",
      ["reserve.settlement.statutory_override_last_year", "a financial year such as 2027-28", "'2030-99'"]
    ),
    ("    deficit_at_31_march: 2026\n    grant: 2026-27\n", ["reserve.settlement", "unknown key 'grant'"]),
  ])
  func aWrongSettlementKeyIsRefusedNamingIt(_ yaml: String, _ fragments: [String]) throws {
    let message = try #require(Fixtures.loadError(try Self.withSettlement(yaml)))
    for fragment in fragments { #expect(message.contains(fragment), "\(message) lacks \(fragment)") }
  }

  @Test func aPipelineGivesNewPlansFromRequestsRefusalsAndConversions() throws {
    let s = try ScenarioLoader.load(path: try Self.withPipeline())
    let pipeline = try #require(s.pipeline)
    #expect(pipeline.requestRate.count == 3)
    #expect(abs(s.incidenceRate[0][10] - 0.02 * 0.75 * 0.8) < 1e-15)
    let m = ModelParameters(scenario: s, mitigationMask: 0)
    #expect(abs(m.newPlanCount[0][10] - s.population[0][10] * 0.012) < 1e-9)
  }

  @Test func aPipelineLeverScalesRequests() throws {
    let lever = """
      mitigations:
        - {id: surge, label: Request surge, lever: scale_requests, factor: 1.33, start: 2025/26, ramp_years: 1, source: LGA and CCN 2026}

      """
    let s = try ScenarioLoader.load(path: try Self.withPipeline(extra: lever))
    let none = ModelParameters(scenario: s, mitigationMask: 0)
    let all = ModelParameters(scenario: s, mitigationMask: 1)
    #expect(abs(all.pipeline[0][10].requests - 1.33 * none.pipeline[0][10].requests) < 1e-9)
  }

  @Test func aConversionAboveOneIsRefusedNamingTheFile() throws {
    let message = try #require(Fixtures.loadError(try Self.withPipeline(conversions: "0-25,1.2")))
    for fragment in ["conversions.csv:2", "share", "[0, 1]", "1.2"] {
      #expect(message.contains(fragment), "\(message) lacks \(fragment)")
    }
  }

  /// A scenario extending one with incidence may add a pipeline: the incidence is reported as
  /// not used, never silently dropped.
  @Test func anIncidenceBesideAPipelineIsReportedAsNotUsed() throws {
    let path = try Self.withPipeline()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "  pipeline:\n", with: "  incidence: incidence.csv\n  pipeline:\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let s = try ScenarioLoader.load(path: path)
    #expect(s.pipeline != nil)
    #expect(s.alerts.contains { $0.text.contains("caseload.incidence") && $0.text.contains("not used") })
    // Written `none`, it is the scenario's own choice: no alert.
    let text2 = try String(contentsOfFile: path, encoding: .utf8)
    try text2.replacingOccurrences(of: "  incidence: incidence.csv\n", with: "  incidence: none\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let quiet = try ScenarioLoader.load(path: path)
    #expect(!quiet.alerts.contains { $0.text.contains("caseload.incidence") })
  }

  @Test func aPipelineLeverWithoutAPipelineIsRefused() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0 + """
        mitigations:
          - {id: gate, label: Gatekeeping, lever: scale_refusals, factor: 1.5, start: 2025/26, ramp_years: 1, source: x}

        """
    }
    let message = try #require(Fixtures.loadError(path))
    #expect(message.contains("mitigations.gate.lever"), "\(message)")
    #expect(message.contains("caseload.pipeline"), "\(message)")
  }
}
