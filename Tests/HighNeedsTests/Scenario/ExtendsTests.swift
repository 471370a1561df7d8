import Foundation
import Testing

@testable import HighNeeds
import TestSupport

/// `extends:` merges parents under the child: maps key by key, lists of items with `id` by id.
@Suite struct ExtendsTests {
  /// Writes `files` (name → YAML) beside a copy of the tiny scenario; returns the directory.
  static func directory(_ files: [String: String]) throws -> String {
    let tiny = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let directory = (tiny as NSString).deletingLastPathComponent
    for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
    return directory
  }

  static let mitigation = """
    mitigations:
      - {id: fewer, lever: scale_incidence, factor: 0.9, start: "2025/26", ramp_years: 1}
    """

  @Test func anOverrideInOneParentSurvivesASecondParentWithTheSameAncestor() throws {
    let d = try Self.directory([
      "a.yaml": "name: a\nextends: tiny.yaml\nincome:\n  schools_block_transfer_percent: 0.25\n",
      "b.yaml": "name: b\nextends: tiny.yaml\n" + Self.mitigation,
      "ab.yaml": "name: ab\nextends: [a.yaml, b.yaml]\n",
    ])
    let abLoaded = try ScenarioLoader.loadWithSource(path: d + "/ab.yaml")
    let ab = abLoaded.scenario
    #expect(ab.income.schoolsBlockTransferPercent == [0.25, 0.25, 0.25])
    #expect(ab.mitigations.map(\.id) == ["fewer"])
    #expect(
      abLoaded.source.scenarioFiles.map { ($0 as NSString).lastPathComponent } == [
        "ab.yaml", "b.yaml", "a.yaml", "tiny.yaml",
      ])
  }

  @Test func listsMergeByIdAndAnEmptyListRemovesThemAll() throws {
    let d = try Self.directory([
      "m.yaml": "name: m\nextends: tiny.yaml\n" + Self.mitigation,
      "more.yaml": """
      name: more
      extends: m.yaml
      mitigations:
        - {id: fewer, factor: 0.8}
        - {id: dearer, lever: unit_cost, placement: sp, factor: 1.1, start: "2026/27", ramp_years: 1}
      """,
      "none.yaml": "name: none\nextends: more.yaml\nmitigations: []\n",
    ])
    let more = try ScenarioLoader.load(path: d + "/more.yaml")
    #expect(more.mitigations.map(\.id) == ["fewer", "dearer"])
    #expect(more.mitigations[0].lever == .scaleIncidence(factor: 0.8))
    let none = try ScenarioLoader.load(path: d + "/none.yaml")
    #expect(none.mitigations.isEmpty)
  }

  /// A layer that gives the population for every census year clears the trend its parent grew
  /// an age profile by (`none`), and the assumptions log says so; without `none` it is refused.
  @Test func noneClearsAnInheritedTrend() throws {
    let d = try Self.directory([
      "profile.csv": "age,population\n0-25,900\n",
      "grown.yaml": """
      name: grown
      extends: tiny.yaml
      caseload:
        population: profile.csv
        population_growth_fraction_per_year: 0.1
      """,
      "by_year.yaml": """
      name: by-year
      extends: grown.yaml
      caseload:
        population: population.csv
        population_growth_fraction_per_year: none
      """,
      "both.yaml": "name: both\nextends: grown.yaml\ncaseload:\n  population: population.csv\n",
    ])
    let tiny = try ScenarioLoader.load(path: d + "/tiny.yaml")
    let grown = try ScenarioLoader.load(path: d + "/grown.yaml")
    #expect(abs(grown.population[0][0] - 990) < 1e-9, "\(grown.population[0][0])")
    let byYear = try ScenarioLoader.loadWithSource(path: d + "/by_year.yaml")
    #expect(byYear.scenario.population == tiny.population)
    let row = byYear.source.assumptions.first { $0.key == "caseload.population_growth_fraction_per_year" }
    #expect(row?.value == "none" && row?.status == .setting)
    let refused = thrownMessage { _ = try ScenarioLoader.load(path: d + "/both.yaml") }
    #expect(refused?.contains("no trend when") == true, "\(refused ?? "nothing thrown")")
  }

  @Test func pathsAreRelativeToTheFileThatWritesThem() throws {
    let d = try Self.directory([:])
    let sub = d + "/variants"
    try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
    try "name: v\nextends: ../tiny.yaml\n".write(toFile: sub + "/v.yaml", atomically: true, encoding: .utf8)
    let v = try ScenarioLoader.loadWithSource(path: sub + "/v.yaml")
    #expect(v.source.inputFiles.contains(d + "/baseline.csv"))
  }
}
