import Foundation
import Testing

@testable import HighNeeds

/// `manifest.json` says what produced a set of outputs: every input file by path with its
/// SHA-256 and rows read, the merged scenario with its paths resolved, the command, the git
/// state and the outputs, with sorted keys, the same bytes for the same run.
@Suite struct ManifestTests {
  /// The tiny scenario copied to a fresh directory (outside any git repository), run.
  static func tinyRun() throws -> (directory: String, result: ScenarioResult) {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 }
    return ((path as NSString).deletingLastPathComponent, try ScenarioRun.run(try ScenarioLoader.load(path: path)))
  }

  static func object(_ json: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  /// Every input (the scenario file and each CSV) is listed once with the SHA-256 of its bytes
  /// and the data rows read from it.
  @Test func everyInputIsHashedAndCounted() throws {
    let (directory, result) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let manifest = try Self.object(
      try Manifest.json(command: "hnb run tiny.yaml", results: [result], outputs: ["kpis.csv", "assumptions.csv"]))
    let hashes = try #require(manifest["input_sha256"] as? [String: String])
    let names = [
      "tiny.yaml", "placements.csv", "needs.csv", "baseline.csv", "population.csv", "incidence.csv", "mix.csv",
      "cessation.csv", "transitions.csv", "places.csv", "top_ups.csv",
    ]
    #expect(hashes.keys.sorted() == names.map { directory + "/" + $0 }.sorted())
    for (path, hash) in hashes {
      let data = try #require(FileManager.default.contents(atPath: path))
      #expect(hash == SHA256.hex(data), "\(path)")
    }
    let rows = try #require(manifest["input_rows"] as? [String: [String: Int]])
    #expect(rows[directory + "/baseline.csv"] == ["data_rows_read": 4, "data_rows_not_used": 0])
    #expect(rows[directory + "/population.csv"] == ["data_rows_read": 78, "data_rows_not_used": 0])
    #expect(manifest["outputs"] as? [String] == ["assumptions.csv", "kpis.csv"])
    #expect(manifest["command"] as? String == "hnb run tiny.yaml")
    #expect(manifest["tool"] as? String == "hnb")
    #expect(manifest["tool_version"] as? String == toolVersion)
    #expect(manifest["git"] as? [String: String] == ["commit": "not in a git repository"])
  }

  /// The scenario as merged, with its CSV paths resolved (a relative path alone does not say
  /// which file it was relative to after `extends:`), numbers as numbers.
  @Test func theScenarioIsWrittenResolved() throws {
    let (directory, result) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let manifest = try Self.object(try Manifest.json(command: "hnb run", results: [result], outputs: []))
    let scenarios = try #require(manifest["scenarios"] as? [[String: Any]])
    #expect(scenarios.count == 1)
    let scenario = try #require(scenarios.first)
    #expect(scenario["name"] as? String == "tiny")
    #expect(scenario["kind"] as? String == "base (unmitigated)")
    #expect(scenario["files"] as? [String] == [directory + "/tiny.yaml"])
    let resolved = try #require(scenario["resolved"] as? [String: Any])
    let caseload = try #require(resolved["caseload"] as? [String: Any])
    #expect(caseload["baseline"] as? String == directory + "/baseline.csv")
    #expect((resolved["time"] as? [String: Any])?["horizon_years"] as? Int == 3)
    #expect((resolved["income"] as? [String: Any])?["hnb_allocation_gbp"] as? Int == 1_500_000)
    let sp = (resolved["costs"] as? [String: Any]).flatMap { $0["place_funding_gbp_per_place"] as? [String: Any] }
    #expect((sp?["sp"] as? [String: Any])?["source"] as? String == "ESFA place funding rate")
  }

  /// Path keys are resolved against the file that wrote them, `{file, source}` maps included;
  /// other text is left as written.
  @Test func pathKeysResolveAgainstTheirOwnFile() throws {
    let tree = try YAMLTree.parse(
      "name: baseline.csv\ncaseload: {baseline: ../b.csv}\ncosts: {top_ups: {file: t.csv, source: DfE}}\n",
      file: "/data/sub/s.yaml")
    let json = try #require(Manifest.resolvedJSON(tree, keyPath: []) as? [String: Any])
    #expect(json["name"] as? String == "baseline.csv")
    #expect((json["caseload"] as? [String: Any])?["baseline"] as? String == "/data/b.csv")
    let topUps = (json["costs"] as? [String: Any]).flatMap { $0["top_ups"] as? [String: Any] }
    #expect(topUps?["file"] as? String == "/data/sub/t.csv")
    #expect(topUps?["source"] as? String == "DfE")
  }

  /// Keys are sorted at every level and the same run gives the same bytes.
  @Test func keysAreSortedAndTheBytesRepeat() throws {
    let (directory, result) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try Manifest.json(command: "hnb run", results: [result], outputs: ["b.csv", "a.csv"])
    #expect(try Manifest.json(command: "hnb run", results: [result], outputs: ["b.csv", "a.csv"]) == first)
    #expect(first.hasSuffix("}\n"))
    // Top-level keys are the lines indented by two spaces.
    let keys = first.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map {
      String($0.dropFirst(3).prefix { $0 != "\"" })
    }
    #expect(
      keys == [
        "command", "git", "input_rows", "input_sha256", "integrity_checks", "outputs", "scenarios", "seed", "tool",
        "tool_version",
      ])
    #expect(!first.contains("\\/"), "slashes are written unescaped")
  }

  /// An input that disappears between loading and writing stops the manifest, naming it.
  @Test func aVanishedInputStopsTheManifest() throws {
    let (directory, result) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.removeItem(atPath: directory + "/mix.csv")
    let error = #expect(throws: InputError.self) {
      try Manifest.json(command: "hnb run", results: [result], outputs: [])
    }
    #expect(error?.location == HighNeeds.SourceLocation(file: directory + "/mix.csv"))
    #expect(error?.expected == "a readable input file")
  }

  /// Paths below the working directory are written relative to it, so the same run from the
  /// same checkout writes the same manifest on any machine; the built-in taxonomy is named as such.
  @Test func pathsAreShownRelativeToTheWorkingDirectory() throws {
    let cwd = FileManager.default.currentDirectoryPath
    #expect(Manifest.displayPath(cwd + "/Scenarios/sutton/baseline.yaml") == "Scenarios/sutton/baseline.yaml")
    #expect(Manifest.displayPath("/elsewhere/baseline.yaml") == "/elsewhere/baseline.yaml")
    #expect(Manifest.displayPath(cwd + "-other/baseline.yaml") == cwd + "-other/baseline.yaml")
    let builtIn = try #require(ScenarioLoader.defaultTaxonomyPaths)
    #expect(Manifest.displayPath(builtIn.placements) == "built-in:taxonomy/placements.csv")
    #expect(Manifest.displayPath(builtIn.needs) == "built-in:taxonomy/needs.csv")
  }

  /// The git state names the commit and whether an input differs from it.
  @Test func theGitStateSaysWhetherAnInputChanged() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-git-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    func git(_ arguments: [String]) throws -> String {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-C", directory, "-c", "user.name=t", "-c", "user.email=t@example.org"] + arguments
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      try #require(process.terminationStatus == 0, "git \(arguments)")
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let input = directory + "/a.csv"
    try "x\n1\n".write(toFile: input, atomically: true, encoding: .utf8)
    _ = try git(["init", "-q"])
    _ = try git(["add", "a.csv"])
    _ = try git(["commit", "-q", "-m", "inputs"])
    let commit = try git(["rev-parse", "HEAD"])
    let clean = Manifest.gitState(directory: directory, files: [input])
    #expect(clean["commit"] as? String == commit)
    #expect(clean["inputs_modified_since_commit"] as? Bool == false)
    try "x\n2\n".write(toFile: input, atomically: true, encoding: .utf8)
    #expect(Manifest.gitState(directory: directory, files: [input])["inputs_modified_since_commit"] as? Bool == true)
  }
}
