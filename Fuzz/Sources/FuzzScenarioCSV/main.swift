// Fuzzes the CSV inputs of a scenario: the first byte of the input picks one CSV file of the
// Sutton baseline, the Sutton WSOA retrospective or the tiny test scenario (whose own taxonomy
// files are among them); the rest replaces that file, and the scenario is loaded through the
// public loader (`ScenarioLoader.load`). The file is put back after each run.
import Foundation
import FuzzSupport
import HighNeeds

enum Target {
  /// (scenario, CSV file it reads), relative to the workspace.
  ///
  /// Keep the order: the corpus
  /// names slots by index (Fuzz/make-corpus.sh).
  static let slots: [(scenario: String, file: String)] = [
    ("sutton/baseline.yaml", "sutton/data/baseline_caseload_2025.csv"),
    ("sutton/baseline.yaml", "sutton/data/population.csv"),
    ("sutton/baseline.yaml", "sutton/data/incidence.csv"),
    ("sutton/baseline.yaml", "sutton/data/new_plan_mix.csv"),
    ("sutton/baseline.yaml", "sutton/data/cessation.csv"),
    ("sutton/baseline.yaml", "sutton/data/transitions.csv"),
    ("sutton/baseline.yaml", "sutton/data/places.csv"),
    ("sutton/baseline.yaml", "sutton/data/top_ups.csv"),
    ("sutton/retrospective/wsoa_targets.yaml", "sutton/retrospective/outturn.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/placements.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/needs.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/baseline.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/population.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/incidence.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/mix.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/cessation.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/transitions.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/places.csv"),
    ("sutton/tiny/tiny.yaml", "sutton/tiny/top_ups.csv"),
  ]

  /// The file as it is in the repository.
  static func original(_ file: String) -> Data {
    let path = Fuzz.originalPath(file)
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    return data
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let (index, contents) = Fuzz.slot(Fuzz.bytes(data, size), of: Target.slots.count)
  let slot = Target.slots[index]
  let file = Fuzz.path(slot.file)
  Fuzz.write(contents, to: file)
  defer { Fuzz.write(Target.original(slot.file), to: file) }
  Fuzz.expectCleanOutcome("scenario CSV \(slot.file)") { _ = try ScenarioLoader.load(path: Fuzz.path(slot.scenario)) }
  return 0
}

Fuzz.main(fuzzScenarioCSV)
