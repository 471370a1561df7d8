import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// `manifest.json` says what produced a set of outputs: every input file by path with its
/// SHA-256 and rows read, the merged scenario with its paths resolved, the command, the git
/// state and the outputs, with sorted keys, the same bytes for the same run.
@Suite struct ManifestTests {
  /// The tiny scenario copied to a fresh directory (outside any git repository), run, with
  /// where it came from.
  static func tinyRun() throws -> (directory: String, result: ScenarioResult, source: ScenarioSource) {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let loaded = try ScenarioLoader.loadWithSource(path: path)
    return ((path as NSString).deletingLastPathComponent, try ScenarioRun.run(loaded.scenario), loaded.source)
  }

  static func object(_ json: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  /// Every input (the scenario file and each CSV) is listed once with the SHA-256 of its bytes
  /// and the data rows read from it.
  @Test func everyInputIsHashedAndCounted() throws {
    let (directory, result, source) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let manifest = try Self.object(
      try Manifest.json(
        command: "hnb run tiny.yaml", results: [result], sources: [source], outputs: ["kpis.csv", "assumptions.csv"]))
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
    let (directory, result, source) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let manifest = try Self.object(
      try Manifest.json(command: "hnb run", results: [result], sources: [source], outputs: []))
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
    #expect(
      Manifest.resolvedJSON(tree, keyPath: [])
        == .object([
          "name": .string("baseline.csv"), "caseload": .object(["baseline": .string("/data/b.csv")]),
          "costs": .object(["top_ups": .object(["file": .string("/data/sub/t.csv"), "source": .string("DfE")])]),
        ]))
  }

  /// Keys are sorted at every level and the same run gives the same bytes.
  @Test func keysAreSortedAndTheBytesRepeat() throws {
    let (directory, result, source) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try Manifest.json(
      command: "hnb run", results: [result], sources: [source], outputs: ["b.csv", "a.csv"])
    #expect(
      try Manifest.json(command: "hnb run", results: [result], sources: [source], outputs: ["b.csv", "a.csv"]) == first)
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
    let (directory, result, source) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.removeItem(atPath: directory + "/mix.csv")
    let error = #expect(throws: InputError.self) {
      try Manifest.json(command: "hnb run", results: [result], sources: [source], outputs: [])
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
    #expect(clean == Manifest.Git(commit: commit, inputsModifiedSinceCommit: false))
    try "x\n2\n".write(toFile: input, atomically: true, encoding: .utf8)
    #expect(Manifest.gitState(directory: directory, files: [input]).inputsModifiedSinceCommit == true)
  }

  /// A manifest written and read back is the same manifest, typed fields and an analysis's own
  /// settings alike; absent fields are not written.
  @Test func aManifestReadsBackAsWritten() throws {
    let (directory, result, source) = try Self.tinyRun()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var manifest = try Manifest.run(
      command: "hnb run tiny.yaml", results: [result], sources: [source], outputs: ["b.csv", "a.csv"])
    manifest = DataVintage.annotate(manifest, scenarios: [result.scenario], asOf: CalendarDate("2026-01-15")!)
    manifest.draws = 100
    manifest.settings = [
      "target": .string("P(x >= 0) >= 0.8"), "range": .array([.number(-0.5), .number(2.25)]),
      "tolerance": .number(9.999999999999999e-06), "samples": .integer(32), "flag": .bool(true), "none": .null,
    ]
    let text = try manifest.text()
    #expect(try Manifest.decode(Data(text.utf8), file: "manifest.json") == manifest)
    #expect(try Manifest.decode(Data(text.utf8), file: "manifest.json").text() == text)
    #expect(text.contains("\"tolerance\" : 9.999999999999999e-06,"))
    #expect(text.contains("\"as_of\" : \"2026-01-15\","))
    #expect(!text.contains("\"stale_evidence\""), "a field not set is not written")
    #expect(manifest.outputs == ["a.csv", "b.csv"])
  }

  /// An analysis setting may not take the name of a typed field (it would be written twice).
  @Test func aSettingNamedLikeAFieldIsRefused() throws {
    var manifest = Manifest(command: "hnb sensitivity", outputs: [])
    manifest.settings["seed"] = .string("1")
    #expect(throws: EncodingError.self) { try manifest.text() }
  }

  /// A file that is not a manifest is refused, naming the file, the key and what was found.
  @Test func aMalformedManifestIsRefusedClearly() throws {
    func message(_ text: String) -> String {
      (try? Manifest.decode(Data(text.utf8), file: "out/manifest.json")).map { "read \($0.command)" }
        ?? thrownMessage { _ = try Manifest.decode(Data(text.utf8), file: "out/manifest.json") } ?? ""
    }
    #expect(
      message("[1, 2]")
        == "out/manifest.json: expected a JSON object (a manifest.json written by hnb); found other text")
    #expect(message("{\"tool\" : \"hnb\"") == message("[1, 2]"), "cut short")
    #expect(
      message(#"{"tool": "hnb", "tool_version": "0.1.0", "outputs": []}"#)
        == "out/manifest.json: command: expected a value (a manifest.json written by hnb); found none")
    #expect(
      message(
        #"{"tool": "hnb", "tool_version": "0.1.0", "command": "hnb run", "outputs": [], "input_sha256": {"a": 1}}"#)
        == "out/manifest.json: input_sha256.a: expected a string (a manifest.json written by hnb); found another kind of value"
    )
    #expect(
      message(#"{"tool": "hnb", "tool_version": "0.1.0", "command": "hnb run", "outputs": "a.csv"}"#)
        == "out/manifest.json: outputs: expected a list (a manifest.json written by hnb); found another kind of value")
    #expect(
      message(#"{"tool": "hnb", "tool_version": "0.1.0", "command": "hnb run", "outputs": []}"#) == "read hnb run")
  }
}
