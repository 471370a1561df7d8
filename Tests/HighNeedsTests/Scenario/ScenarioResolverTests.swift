import Foundation
import TestSupport
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// A scenario is parsed into `ScenarioInputs` and resolved into a `Scenario`; resolving reads
/// no file, and a number's typed slot sets what the engine runs.
@Suite struct ScenarioResolverTests {
  /// What the engine runs, as text (the scenario is not `Equatable`).
  static func engine(_ s: Scenario) -> String {
    String(
      describing: (
        s.baselinePlans, s.population, s.incidenceRate, s.newPlanMix, s.cessationRate, s.transition,
        s.commissionedPlaces, s.overflow, s.topUpInput, s.placeFundingRate, s.placeFundingUplift,
        s.costLines.map { "\($0.id) \($0.placements) \($0.uplift)" },
        s.centralLines.map { "\($0.id) \($0.baseGBP) \($0.uplift)" }, s.income, s.openingBalance, s.contributions,
        s.mitigations.map {
          "\($0.id) \($0.lever) \($0.startAcademicYear) \($0.rampYears) \($0.ages) \($0.annualCostGBP)"
        }
      ))
  }

  /// The Sutton scenarios, each the family of a file with levers, overflow and trends.
  static let sutton = ["Scenarios/sutton/combined.yaml", "Scenarios/sutton/sweep/combined_delivery.yaml"]

  @Test(arguments: sutton)
  func loadingIsParsingThenResolving(_ path: String) throws {
    let file = Fixtures.repository(path)
    let withSource = try ScenarioLoader.loadWithSource(path: file)
    let loaded = withSource.scenario
    let parsed = try ScenarioLoader.parseWithSource(path: file)
    let resolved = try ScenarioResolver.resolve(parsed.inputs)
    #expect(Self.engine(resolved) == Self.engine(loaded))
    // The source is the parser's: resolving neither reads nor changes it.
    #expect(!parsed.source.assumptions.isEmpty)
    #expect(withSource.source.assumptions == parsed.source.assumptions)
    #expect(withSource.source.files == parsed.source.files)
    // Loading adds only the plausibility alerts.
    #expect(resolved.alerts.allSatisfy { loaded.alerts.contains($0) })
  }

  /// Resolve is pure: with every file of the scenario deleted after parsing, it gives the same
  /// scenario.
  @Test func resolvingReadsNoFile() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let loaded = try ScenarioLoader.load(path: path)
    let inputs = try ScenarioLoader.parse(path: path)
    try FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(Self.engine(try ScenarioResolver.resolve(inputs)) == Self.engine(loaded))
  }

  /// Every number of the file has a slot by its key path, and setting it through the slot
  /// changes what the engine runs as writing it in the file does.
  @Test func aNumbersSlotSetsWhatTheFileWouldWrite() throws {
    let s = try Fixtures.tiny()
    let slots = s.inputs.numberSlots()
    #expect(
      Set(slots.keys) == [
        "costs.place_funding_gbp_per_place.sp", "costs.place_funding_gbp_per_place.ms",
        "costs.place_funding_uplift_fraction_per_year", "costs.cost_lines.mainstream.uplift_fraction_per_year",
        "costs.cost_lines.special.uplift_fraction_per_year", "costs.central_lines.outreach.gbp",
        "costs.central_lines.outreach.uplift_fraction_per_year", "income.hnb_allocation_gbp",
        "income.hnb_growth_fraction_per_year", "income.deductions_gbp", "income.import_export_adjustment_gbp",
        "income.schools_block_gbp", "income.schools_block_transfer_percent", "income.total_dsg_gbp",
        "reserve.opening_balance_gbp", "reserve.contributions_gbp.2026-27",
      ])
    let edits: [(key: String, written: (String, String), value: Double)] = [
      ("reserve.contributions_gbp.2026-27", ("2026-27: 50000", "2026-27: 70000"), 70000),
      (
        "costs.cost_lines.special.uplift_fraction_per_year",
        ("uplift_fraction_per_year: 0.10", "uplift_fraction_per_year: 0.2"), 0.2
      ),
      (
        "income.hnb_growth_fraction_per_year",
        ("hnb_growth_fraction_per_year: 0.02", "hnb_growth_fraction_per_year: 0.03"), 0.03
      ),
      ("costs.place_funding_gbp_per_place.sp", ("value: 10000", "value: 12000"), 12000),
    ]
    for edit in edits {
      let slot = try #require(slots[edit.key])
      var inputs = s.inputs
      slot.set(Array(repeating: edit.value, count: s.horizonYears), in: &inputs)
      let written = try ScenarioLoader.load(
        path: Fixtures.editedTiny("tiny.yaml") { $0.replacingOccurrences(of: edit.written.0, with: edit.written.1) })
      #expect(Self.engine(try ScenarioResolver.resolve(inputs)) == Self.engine(written), "\(edit.key)")
    }
  }

  /// A series written year by year has a slot for each year, which sets that year alone.
  @Test func eachYearOfASeriesHasItsOwnSlot() throws {
    func tiny(_ growth: String) throws -> Scenario {
      try ScenarioLoader.load(
        path: Fixtures.editedTiny("tiny.yaml") {
          $0.replacingOccurrences(
            of: "hnb_growth_fraction_per_year: 0.02", with: "hnb_growth_fraction_per_year: \(growth)")
        })
    }
    let s = try tiny("{2026-27: 0.02, 2027-28: 0.04}")
    let slots = s.inputs.numberSlots()
    #expect(slots["income.hnb_growth_fraction_per_year"] == nil)
    let slot = try #require(slots["income.hnb_growth_fraction_per_year.2027-28"])
    var inputs = s.inputs
    slot.set(Array(repeating: 0.07, count: s.horizonYears), in: &inputs)
    #expect(inputs.income.hnbGrowth?.values == [0.02, 0.07])
    let written = try tiny("{2026-27: 0.02, 2027-28: 0.07}")
    #expect(Self.engine(try ScenarioResolver.resolve(inputs)) == Self.engine(written))
  }
}
