import Foundation
import Testing

/// End-to-end: bad input gives a precise message, a documented exit code and no output.
@Suite struct BadInputCommandTests {
  /// A copy of the Sutton baseline with one edit, in a temporary directory.
  static func brokenBaseline(_ edit: (String) -> String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-bad-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: HNBCommand.root.appendingPathComponent("Scenarios/sutton"), to: directory)
    let path = directory.appendingPathComponent("baseline.yaml").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func invalidScenarioExits65AndWritesNothing() throws {
    let path = try Self.brokenBaseline { $0.replacingOccurrences(of: "horizon_years:", with: "horizon_yeras:") }
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["run", path, "--out", out])
    #expect(result.status == 65)
    #expect(result.stderr.contains("baseline.yaml:"))
    #expect(result.stderr.contains("unknown key 'horizon_yeras'"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func anEarlierOutputIsLeftExactlyAsItWas() throws {
    let out = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try "earlier run\n".write(toFile: out + "/kpis.csv", atomically: true, encoding: .utf8)
    let path = try Self.brokenBaseline { $0.replacingOccurrences(of: "horizon_years:", with: "horizon_yeras:") }
    let result = try HNBCommand.run(["run", path, "--out", out])
    #expect(result.status == 65)
    #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["kpis.csv"])
    #expect(try String(contentsOfFile: out + "/kpis.csv", encoding: .utf8) == "earlier run\n")
  }

  @Test func aDirectoryThatIsNotAnEarlierOutputIsNeverReplaced() throws {
    // The scenario's own directory: refused, and every input survives.
    let baseline = try Self.brokenBaseline { $0 }
    let directory = (baseline as NSString).deletingLastPathComponent
    let before = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    let inside = try HNBCommand.run(["run", baseline, "--out", directory])
    #expect(inside.status == 73)
    #expect(inside.stderr.contains("is inside it"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == before)
    // Someone else's directory: refused, untouched.
    let other = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
    try "notes\n".write(toFile: other + "/notes.txt", atomically: true, encoding: .utf8)
    let refused = try HNBCommand.run(["run", baseline, "--out", other])
    #expect(refused.status == 73)
    #expect(try FileManager.default.contentsOfDirectory(atPath: other) == ["notes.txt"])
    // An earlier hnb output: replaced.
    let out = HNBCommand.freshDirectory()
    #expect(try HNBCommand.run(["run", baseline, "--out", out]).status == 0)
    #expect(try HNBCommand.run(["run", baseline, "--out", out]).status == 0)
  }

  @Test func validateReportsTheFileAndExits65() throws {
    let good = try HNBCommand.run(["validate", "Scenarios/sutton/baseline.yaml"])
    #expect(good.status == 0, "\(good.stderr)")
    #expect(
      good.stdout.hasPrefix(
        "Scenarios/sutton/baseline.yaml: valid (sutton-baseline: 12 placements, 13 needs, 10 years, "
          + "0 mitigations, 0 alerts)"))
    // One of a thing is not written as many.
    let one = try HNBCommand.run(["validate", "Scenarios/medway/generated/baseline.yaml"])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains("0 mitigations, 1 alert)"), "\(one.stdout)")
    let path = try Self.brokenBaseline {
      $0.replacingOccurrences(of: "base_census_year: 2025", with: "base_census_year: twenty")
    }
    let bad = try HNBCommand.run(["validate", path])
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("time.base_census_year"))
    #expect(bad.stderr.contains("'twenty'"))
  }

  @Test func usageErrorsExit64AndHelpHasExamples() throws {
    let missing = try HNBCommand.run(["run", "Scenarios/sutton/baseline.yaml"])
    #expect(missing.status == 64)
    for command in ["run", "validate", "compare"] {
      let help = try HNBCommand.run([command, "--help"])
      #expect(help.status == 0)
      #expect(help.stdout.contains("Example"))
    }
  }
}
