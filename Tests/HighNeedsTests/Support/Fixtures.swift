import Foundation
import Testing

@testable import HighNeeds

/// Test fixtures: the tiny hand-calculated scenario, and copies of it to break on purpose.
enum Fixtures {
  /// The directory of the tiny scenario inside the test bundle.
  static var tinyDirectory: URL {
    get throws {
      guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        throw InputError(SourceLocation(file: "Fixtures"), expected: "the test fixtures", found: "nothing")
      }
      return url.appendingPathComponent("tiny")
    }
  }

  /// `path` inside the repository (this file is Tests/HighNeedsTests/Support/Fixtures.swift).
  static func repository(_ path: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(path).path
  }

  static func tiny() throws -> Scenario {
    try ScenarioLoader.load(path: tinyDirectory.appendingPathComponent("tiny.yaml").path)
  }

  /// The tiny scenario with where it came from (for writers).
  static func tinyWithSource() throws -> LoadedScenario {
    try ScenarioLoader.loadWithSource(path: tinyDirectory.appendingPathComponent("tiny.yaml").path)
  }

  /// Copies the tiny scenario to a fresh directory, applies `edit` to one file, and returns
  /// the path of the copied `tiny.yaml`.
  static func editedTiny(_ file: String, _ edit: (String) -> String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-test-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: try tinyDirectory, to: directory)
    let url = directory.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    try edit(text).write(to: url, atomically: true, encoding: .utf8)
    return directory.appendingPathComponent("tiny.yaml").path
  }

  /// The message of the error loading `path` throws, or nil if it loads.
  static func loadError(_ path: String) -> String? {
    do {
      _ = try ScenarioLoader.load(path: path)
      return nil
    } catch {
      return (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
  }
}
