import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// An `uncertainty.inputs[]` entry states where its spread comes from (`source`, `note`,
/// `status` or `assumption`, as a number does), and the assumptions log carries it onto every
/// parameter of its distribution, so `hnb validate` lists none of them as unsourced.
@Suite struct UncertaintyProvenanceTests {

  static func uncertaintyEntries(_ path: String) throws -> [AssumptionEntry] {
    try ScenarioLoader.loadWithSource(path: Fixtures.repository(path)).source.assumptions.filter {
      $0.key.hasPrefix("uncertainty.")
    }
  }

  @Test func suttonsStatedSpreadsAreAssumptionsWithTheirSource() throws {
    let entries = try Self.uncertaintyEntries("Scenarios/sutton/sweep/baseline.yaml")
    // 5 inputs' parameters (2 + 3 + 2 + 2 + 2), the correlation and the two concentrations.
    #expect(entries.count == 14)
    for entry in entries {
      #expect(entry.status == .assumption, "\(entry.key)")
      #expect(entry.source.hasPrefix("assumption: a stated"), "\(entry.key): \(entry.source)")
    }
  }

  @Test func initsCalibratedSpreadIsDerivedAndItsDefaultsAreNationalDefaults() throws {
    let entries = try Self.uncertaintyEntries("Scenarios/medway/generated/sweep/baseline.yaml")
    let growth = entries.filter { $0.key.hasPrefix("uncertainty.inputs.caseload_growth.distribution.") }
    #expect(growth.map(\.key).sorted().map { String($0.split(separator: ".").last ?? "") } == ["median", "sd_log"])
    #expect(growth.allSatisfy { $0.status == .derived && $0.source.contains("pooled method") })
    let rest = entries.filter { !$0.key.hasPrefix("uncertainty.inputs.caseload_growth.") }
    #expect(rest.count == 8)
    #expect(rest.allSatisfy { $0.status == .nationalDefault && $0.source.hasPrefix("national default:") })
  }

  @Test func anInputWithoutASourceStaysNotStated() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") { text in
      text + """

        uncertainty:
          inputs:
            - id: fees
              target: top_up_factor
              distribution: {type: normal, mean: 1, sd: 0.05}
            - id: growth
              target: hnb_growth_shock
              distribution: {type: normal, mean: 0, sd: 0.01}
              source: "an officer's judgement"
              note: "see the Schools Forum paper"
              status: assumption

        """
    }
    let entries = try ScenarioLoader.loadWithSource(path: path).source.assumptions.filter {
      $0.key.hasPrefix("uncertainty.")
    }
    let fees = entries.filter { $0.key.hasPrefix("uncertainty.inputs.fees.") }
    let growth = entries.filter { $0.key.hasPrefix("uncertainty.inputs.growth.") }
    #expect(fees.count == 2 && growth.count == 2)
    #expect(fees.allSatisfy { $0.status == .notStated && $0.source == "not stated" })
    #expect(
      growth.allSatisfy {
        $0.status == .assumption && $0.source == "an officer's judgement" && $0.note == "see the Schools Forum paper"
      })
  }
}
