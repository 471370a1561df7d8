import Foundation
import Testing

@testable import HighNeeds

/// The base of "deficit as % of DSG": `income.total_dsg_gbp` is the total DSG **before**
/// deductions (gross), the base of the DfE's published balance percentages (`docs/INIT.md`,
/// "The DSG base of the percentages"), and `hnb init` writes it from the pack's
/// `total_dsg_before_deductions_gbp`.
@Suite struct DSGBaseTests {
  /// Medway: the gross DSG of 2023-24 carried to 2025-26 at Medway's own 2019-20 → 2023-24
  /// trend, marked derived, and the log says which base it is.
  @Test func initWritesTheGrossDSGAtTheLAsOwnTrend() throws {
    let pack = try ScenarioInitTests.pack.get()
    let medway = try #require(pack.authorities.first { $0.code == "887" })
    let scenario = try ScenarioInit.build(la: medway, pack: pack)
    let own = try #require(pack.allocations["887"])
    let first = try #require(own["2019-20"]?["total_dsg_before_deductions_gbp"] ?? nil)
    let last = try #require(own["2023-24"]?["total_dsg_before_deductions_gbp"] ?? nil)
    let after = try #require(own["2023-24"]?["total_dsg_after_deductions_gbp"] ?? nil)
    #expect(last > 2.5 * after)  // the two bases differ by far more than any rounding
    let trend = ((pow(last / first, 0.25) - 1) * 1e6).rounded() / 1e6
    let expected = Int((last * pow(1 + trend, 2)).rounded())
    let yaml = try #require(scenario.files["baseline.yaml"])
    #expect(yaml.contains("\"2025-26\": {value: \(expected), unit: gbp"), "\(expected)")
    let entry = try #require(scenario.log.first { $0.key == "income.total_dsg_gbp" })
    #expect(entry.status == .derived)
    #expect(entry.method.contains("total DSG before deductions (gross"))
  }

  /// An LA without ESFA rows (the City of London) takes England's ratio of the gross DSG to
  /// the HNB, as a national default.
  @Test func anLAWithoutAllocationsTakesEnglandsGrossRatio() throws {
    let pack = try ScenarioInitTests.pack.get()
    let city = try #require(pack.authorities.first { $0.code == "201" })
    let scenario = try ScenarioInit.build(la: city, pack: pack)
    let entry = try #require(scenario.log.first { $0.key == "income.total_dsg_gbp" })
    #expect(entry.status == .nationalDefault)
    #expect(entry.method.contains("total DSG before deductions (gross) to HNB before deductions"))
  }

  /// In every LA and year of the pack the gross DSG is at least the DSG after deductions and
  /// the HNB before deductions (it contains both).
  @Test func thePacksGrossDSGContainsTheOtherFigures() throws {
    let pack = try ScenarioInitTests.pack.get()
    var checked = 0
    for (la, years) in pack.allocations {
      for (year, columns) in years {
        guard let gross = columns["total_dsg_before_deductions_gbp"] ?? nil else { continue }
        let after = try #require(columns["total_dsg_after_deductions_gbp"] ?? nil, "\(la) \(year)")
        let hnb = try #require(columns["hnb_before_deductions_gbp"] ?? nil, "\(la) \(year)")
        #expect(gross >= after && gross >= hnb, "\(la) \(year)")
        checked += 1
      }
    }
    #expect(checked > 700)
  }
}
