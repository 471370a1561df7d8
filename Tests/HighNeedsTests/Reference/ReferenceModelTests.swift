import Foundation
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
    "Scenarios/sutton/combined.yaml", "Scenarios/sutton/retrospective/baseline_2019.yaml",
    "Scenarios/sutton/retrospective/wsoa_targets.yaml",
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

  @Test(arguments: suttonScenarios)
  func suttonScenarioAgreesCellByCell(_ file: String) throws {
    let scenario = try ScenarioLoader.load(path: Self.root.appendingPathComponent(file).path)
    let result = try ScenarioRun.run(scenario)
    var comparison = ReferenceComparison()
    comparison.compare(result)
    #expect(comparison.failures.isEmpty, "\(comparison.failures.joined(separator: "\n"))")
    #expect(comparison.cells > 0)
    print("reference vs engine, \(file): \(comparison.summary)")
  }

  /// The reference is not vacuous: a one-part-in-a-million change to an input it reads moves
  /// the outputs outside the tolerance.
  @Test func theComparisonCatchesASmallChange() throws {
    let scenario = try Fixtures.tiny()
    let result = try ScenarioRun.run(scenario)
    var nudged = scenario
    nudged.topUp[1] *= 1 + 1e-6
    var comparison = ReferenceComparison()
    comparison.compare(
      result.scenario, label: "mitigated", path: result.path, parameters: result.parameters,
      accounts: result.accounts, reserve: result.reserve,
      with: ReferenceModel.run(nudged, on: []))
    #expect(!comparison.failures.isEmpty)
  }
}
