import Foundation

@testable import HighNeeds

/// Calibration fixtures in the test bundle, and temporary files for tests that write their own.
enum CalibrationFixtures {
  /// The path of `name` under `Fixtures/calibration`.
  static func path(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw InputError(SourceLocation(file: "Fixtures"), expected: "the test fixtures", found: "nothing")
    }
    return url.appendingPathComponent("calibration").appendingPathComponent(name).path
  }

  /// Writes `text` to a new temporary file called `name` and returns its path.
  static func temporary(_ name: String, _ text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-calib-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
