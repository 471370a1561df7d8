import Foundation
import Testing

@testable import HighNeeds

/// The next SEN2 release is a data refresh, not a code change: a pack whose every year is one
/// later (as the next release's would be) gives the same LA's scenario one year on, with no
/// year of the old release left in it.
@Suite(.serialized) struct PackRefreshTests {
  /// A year column's cell one year later: `2025` → `2026`, `2023-24` → `2024-25`,
  /// `31 March 2022` → `31 March 2023`.
  static func later(_ text: String) -> String {
    if let year = Int(text) { return String(year + 1) }
    if let start = YearLabel.parseFinancial(text) { return YearLabel.financial(startingIn: start + 1) }
    if text.hasPrefix("31 March "), let year = Int(text.dropFirst(9)) { return "31 March \(year + 1)" }
    return text
  }

  /// A national figure's key one year later (`england_hnb_gbp_2025-26`, `unit_cost_inmss_2021_22_gbp`).
  static func laterKey(_ key: String) -> String {
    var parts = key.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    for (i, part) in parts.enumerated() {
      if YearLabel.parseFinancial(part) != nil {
        parts[i] = later(part)
      } else if part.count == 4, let year = Int(part), year > 2000, i + 1 < parts.count, parts[i + 1].count == 2,
        Int(parts[i + 1]) != nil
      {
        parts[i] = String(year + 1)
        parts[i + 1] = String(format: "%02d", (year + 2) % 100)
      }
    }
    return parts.joined(separator: "_")
  }

  static func csvCell(_ text: String) -> String {
    text.contains(",") || text.contains("\"") || text.contains("\n")
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }

  /// `Data/national` with every year one later, written to a new folder.
  static func shiftedPack() throws -> String {
    let from = ScenarioInitTests.packFolder
    let to = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-pack-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
    let yearColumns: Set<String> = ["census_year", "calendar_year", "mid_year", "financial_year", "as_at"]
    for name in try FileManager.default.contentsOfDirectory(atPath: from).sorted() where name.hasSuffix(".csv") {
      guard name != "transitions_default.csv", name != "inputs.csv" else {
        try FileManager.default.copyItem(atPath: from + "/" + name, toPath: to + "/" + name)
        continue
      }
      let table = try PackTable.read(name, in: from, required: [])
      let header = table.columns.sorted { $0.value < $1.value }.map(\.key)
      var lines = [header.joined(separator: ",")]
      for row in table.rows {
        var cells = row.cells
        for (i, column) in header.enumerated() {
          if yearColumns.contains(column) || (name == "panel.csv" && column == "year") {
            cells[i] = later(cells[i])
          } else if name == "national_figures.csv" && column == "key" {
            cells[i] = laterKey(cells[i])
          }
        }
        lines.append(cells.map(csvCell).joined(separator: ","))
      }
      try (lines.joined(separator: "\n") + "\n").write(toFile: to + "/" + name, atomically: true, encoding: .utf8)
    }
    return to
  }

  @Test func aPackOneYearLaterGivesTheScenarioOneYearLaterWithNoCodeChange() throws {
    let original = try ScenarioInitTests.pack.get()
    let folder = try Self.shiftedPack()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let shifted = try NationalPack.load(folder: folder)
    #expect(shifted.latestCensusYear == original.latestCensusYear + 1)
    #expect(shifted.latestNewPlansYear == original.latestNewPlansYear + 1)
    #expect(shifted.latestBalanceYear == original.latestBalanceYear.map(Self.later))
    let census = original.latestCensusYear
    for code in ["887", "319", "201"] {
      let la = try #require(original.authorities.first { $0.code == code })
      let a = try ScenarioInit.build(la: la, pack: original)
      let b = try ScenarioInit.build(la: la, pack: shifted)
      #expect(b.censusYear == census + 1)
      // The same caseload, flows and costs, one year on.
      #expect(b.files["data/baseline_caseload_\(census + 1).csv"] == a.files["data/baseline_caseload_\(census).csv"])
      for name in ["data/incidence.csv", "data/cessation.csv", "data/new_plan_mix.csv", "data/top_ups.csv"] {
        #expect(b.files[name] == a.files[name], "\(la.name): \(name)")
      }
      let yaml = try #require(b.files["baseline.yaml"])
      #expect(yaml.contains("base_census_year: \(census + 1)\n"))
      #expect(yaml.contains("\"\(YearLabel.financial(startingIn: census + 1))\": {value:"), "\(la.name)")
      #expect(!yaml.contains("\"\(YearLabel.financial(startingIn: census))\": {value:"), "\(la.name)")
      let hnb = { (s: InitScenario) in s.log.first { $0.key == "income.hnb_allocation_gbp" }?.value }
      #expect(hnb(a) == hnb(b), "\(la.name)")
      // The growth trend, from the panel one year on, is the same series.
      let trend = { (s: InitScenario) in s.log.first { $0.key == "caseload.incidence_trend_fraction_per_year" } }
      #expect(trend(a)?.value == trend(b)?.value && trend(a)?.status == .derived, "\(la.name)")
      // No year of the old release is named where the new one's should be.
      let readme = try #require(b.files["README.md"])
      #expect(readme.contains("## Baseline at January \(census + 1)"))
      #expect(!readme.contains("January \(census) census"), "\(la.name)")
    }
  }
}
