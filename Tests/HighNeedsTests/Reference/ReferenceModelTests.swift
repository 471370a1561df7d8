import Foundation
import PropertyBased
import Testing

@testable import HighNeeds

/// The engine agrees with the independent reference model (`ReferenceModel`) on every output
/// cell, within the tolerance stated on `ReferenceComparison`.
@Suite struct ReferenceModelTests {
  /// The repository root, found from this file's path.
  static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  /// Every Sutton scenario: the 2025 set and the retrospective set.
  static let suttonScenarios = [
    "Scenarios/sutton/baseline.yaml", "Scenarios/sutton/mainstream_inclusion.yaml",
    "Scenarios/sutton/local_specialist.yaml", "Scenarios/sutton/pathways_16_25.yaml",
    "Scenarios/sutton/combined.yaml", "Scenarios/sutton/reform_2026.yaml", "Scenarios/sutton/request_surge_2026.yaml",
    "Scenarios/sutton/retrospective/baseline_2019.yaml", "Scenarios/sutton/retrospective/wsoa_targets.yaml",
    "Scenarios/sutton/retrospective/pooled_2019.yaml",
  ]

  /// The list above names every scenario in the two folders, so a new one is not left out.
  @Test func theListNamesEverySuttonScenario() throws {
    var found: [String] = []
    for folder in ["Scenarios/sutton", "Scenarios/sutton/retrospective"] {
      let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(folder).path)
      found += names.filter { $0.hasSuffix(".yaml") }.map { "\(folder)/\($0)" }
    }
    #expect(found.sorted() == Self.suttonScenarios.sorted())
  }

  /// The most mitigations a Sutton scenario may have for its savings to be compared.
  ///
  /// Unless `HNB_REFERENCE_FULL=1`: the reference runs all `2^k` combinations one by one, and the
  /// 1,024 of `combined.yaml` take about a minute in a debug build. Ten mitigations are covered
  /// on small generated scenarios instead (`tenMitigationsShareTheirSavingsExactly`).
  static let savingsMitigationLimit = 7

  @Test(arguments: suttonScenarios)
  func suttonScenarioAgreesCellByCell(_ file: String) throws {
    let scenario = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
    let result = try ScenarioRun.run(scenario)
    var comparison = ReferenceComparison()
    let full = ProcessInfo.processInfo.environment["HNB_REFERENCE_FULL"] == "1"
    comparison.compare(result, savings: full || scenario.mitigations.count <= Self.savingsMitigationLimit)
    #expect(comparison.failures.isEmpty, "\(comparison.failures.joined(separator: "\n"))")
    #expect(comparison.cells > 0)
    print("reference vs engine, \(file): \(comparison.summary)")
  }

  /// The 2026 settlement (grant, local share, override end; eligible deficit from the run or
  /// the lowest figure) agrees with the reference year by year, on every Sutton 2025 scenario.
  @Test(arguments: [
    Settlement(deficitYear: 0, grantYear: 1, overrideLastYear: 2),
    Settlement(
      deficitYear: 0, figures: [.init(source: "s251", deficitGBP: 14e6), .init(source: "accounts", deficitGBP: 13e6)],
      writeOffShare: 0.85, grantYear: 2, localShareYear: 3, overrideLastYear: 2),
    Settlement(deficitYear: -1, grantYear: 0),
  ])
  func settlementAgreesWithTheReference(_ settlement: Settlement) throws {
    for file in Self.suttonScenarios.prefix(5) where !file.hasSuffix("combined.yaml") {
      var scenario = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
      scenario.settlement = settlement
      let result = try ScenarioRun.run(scenario)
      var comparison = ReferenceComparison()
      comparison.compare(result, savings: false)
      #expect(comparison.failures.isEmpty, "\(file): \(comparison.failures.joined(separator: "\n"))")
      #expect(result.reserve.contains { $0.settlement.stabilityGrant > 0 })
    }
  }

  /// The assessment pipeline (with a lag, and its three levers) agrees with the reference on
  /// every requests, refusals, assessments and plans-started cell, and on the caseload it feeds.
  @Test func assessmentPipelineAgreesWithTheReference() throws {
    for file in ["Scenarios/sutton/baseline.yaml", "Scenarios/sutton/mainstream_inclusion.yaml"] {
      var s = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
      s.pipeline = AssessmentPipelineTests.pipeline(for: s, lagShare: 0.35)
      s.mitigations += [
        AssessmentPipelineTests.mitigation("surge", .scaleRequests(factor: 1.33), start: 2026),
        AssessmentPipelineTests.mitigation("gate", .scaleRefusals(factor: 1.4), start: 2027, ages: 4...12),
        AssessmentPipelineTests.mitigation("convert", .scaleConversion(factor: 1.1), start: 2026),
      ]
      let result = try ScenarioRun.run(s)
      var comparison = ReferenceComparison()
      comparison.compare(result, savings: true)
      #expect(comparison.failures.isEmpty, "\(file): \(comparison.failures.prefix(5).joined(separator: "\n"))")
      #expect(!result.parameters.pipeline.isEmpty)
    }
  }

  /// The White Paper's levers (diversion to a targeted tier with its cost, reassessment at a
  /// phase transfer, price bands) agree with the reference, with the savings of each.
  @Test func whitePaperLeversAgreeWithTheReference() throws {
    for file in ["Scenarios/sutton/baseline.yaml", "Scenarios/sutton/local_specialist.yaml"] {
      var s = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
      let needs = ["ASD", "SEMH", "SLCN"].compactMap { s.taxonomy.needIndex($0) }
      let line = s.costLines.firstIndex { $0.id == "independent_special" } ?? 0
      s.mitigations += [
        WhitePaperLeverTests.lever(
          "complex_only", .divertNewPlans(needs: needs, share: 0.3, costPerChild: 6000, supportYears: 3), start: 2027,
          ramp: 3, ages: 4...15),
        WhitePaperLeverTests.lever("reassess", .reassessAtTransfer(share: 0.08), start: 2029, ages: 10...10),
        WhitePaperLeverTests.lever("bands", .capUplift(line: line, uplift: 0.015, effect: 1), start: 2026, ramp: 2),
      ]
      let result = try ScenarioRun.run(s)
      var comparison = ReferenceComparison()
      comparison.compare(result, savings: true)
      #expect(comparison.failures.isEmpty, "\(file): \(comparison.failures.prefix(5).joined(separator: "\n"))")
    }
  }

  /// Random scenarios (every input shape and lever; see `GeneratedScenario`) agree cell by
  /// cell, and the loader's one derived money series, the HNB allocation, compounds its growth
  /// as `docs/MODEL.md` says (the reference reads the rest of the inputs as loaded).
  @Test func generatedScenariosAgreeCellByCell() async {
    await propertyCheck(count: 40, input: Gen.uint64()) { seed in
      let generated = GeneratedScenario(seed: seed)
      let scenario = try generated.load()
      let result = try ScenarioRun.run(scenario)
      var comparison = ReferenceComparison()
      comparison.compare(result)
      #expect(comparison.failures.isEmpty, "seed \(seed): \(comparison.failures.joined(separator: "\n"))")
      var allocation = generated.hnbAllocation
      for f in 0..<scenario.horizonYears {
        if f > 0 { allocation *= 1 + generated.hnbGrowth[f] }
        comparison.check(scenario.income.hnbAllocation[f], allocation, money: true, "HNB allocation \(f)")
      }
      #expect(comparison.failures.isEmpty, "seed \(seed): \(comparison.failures.joined(separator: "\n"))")
    }
  }

  /// Ten mitigations (the most a scenario may have, 1,024 combinations) on small generated
  /// scenarios: the Shapley weights at the largest `k`.
  @Test func tenMitigationsShareTheirSavingsExactly() async {
    var options = GeneratedScenario.Options()
    options.minMitigations = 10
    options.maxMitigations = 10
    options.maxPlacements = 3
    options.maxNeeds = 1
    options.maxHorizon = 3
    await propertyCheck(count: 3, input: Gen.uint64()) { seed in
      let scenario = try GeneratedScenario(seed: seed, options: options).load()
      let result = try ScenarioRun.run(scenario)
      var comparison = ReferenceComparison()
      comparison.compare(result)
      #expect(scenario.mitigations.count == 10)
      #expect(comparison.failures.isEmpty, "seed \(seed): \(comparison.failures.joined(separator: "\n"))")
    }
  }

  /// The reference is not vacuous: a one-part-in-a-million change to an input it reads moves
  /// the outputs outside the tolerance.
  @Test func theComparisonCatchesASmallChange() throws {
    let scenario = try Fixtures.tiny()
    let result = try ScenarioRun.run(scenario)
    var nudged = scenario
    nudged.topUpInput[1] *= 1 + 1e-6
    var comparison = ReferenceComparison()
    comparison.compare(
      result.scenario, label: "mitigated", path: result.path, parameters: result.parameters,
      accounts: result.accounts, reserve: result.reserve,
      with: ReferenceModel.run(nudged, on: []))
    #expect(!comparison.failures.isEmpty)
  }
}
