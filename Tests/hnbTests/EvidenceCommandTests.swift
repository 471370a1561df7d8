import Foundation
import Testing

/// Sweeps, shards and evidence (issue 13, class V): shards that do not belong together, stale
/// evidence, files outside the folders named, and option ranges.
@Suite(.serialized) struct EvidenceCommandTests {
  /// A copy of `Scenarios/sutton` in a fresh directory, so that a test may change its inputs.
  static func scenarioCopy() throws -> String {
    let root = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: HNBCommand.root.appendingPathComponent("Scenarios/sutton").path, toPath: root + "/sutton")
    return root + "/sutton"
  }

  static func run(_ arguments: [String]) throws -> HNBCommand {
    try HNBCommand.run(arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
  }

  static func shard(_ scenario: String, _ k: Int, seed: Int = 2, batchSize: Int = 8) throws -> String {
    let out = HNBCommand.freshDirectory()
    let r = try run([
      "sweep", scenario, "--draws", "40", "--seed", "\(seed)", "--shard", "\(k)/2", "--batch-size", "\(batchSize)",
      "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    return out
  }

  static func copy(_ directory: String) throws -> String {
    let copy = HNBCommand.freshDirectory()
    try FileManager.default.copyItem(atPath: directory, toPath: copy)
    return copy
  }

  /// Rewrites a file of `directory` and, when `fixChecksum`, the checksum shard.json records for
  /// it (so that the strict reading of the draws, not the checksum, must catch the fault).
  static func edit(_ directory: String, _ name: String, fixChecksum: Bool = false, _ change: (String) -> String)
    throws
  {
    let path = directory + "/" + name
    let text = change(try String(contentsOfFile: path, encoding: .utf8))
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    guard fixChecksum else { return }
    let shardPath = directory + "/shard.json"
    var json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shardPath))) as? [String: Any])
    var files = try #require(json["draws_files"] as? [String: [String: Any]])
    files[name]?["sha256"] = try sha256(path)
    json["draws_files"] = files
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: shardPath))
  }

  /// The SHA-256 of the file at `path` (hex), by `sha256sum`.
  static func sha256(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
  }

  /// Every way a set of shards can fail to be one sweep drawn from the inputs as they are is
  /// refused with exit 65, naming the setting, the file or the line, and nothing is written.
  @Test func mergeRefusesShardsThatAreNotOneSweepOfTheInputsNow() throws {
    let scenarios = try Self.scenarioCopy()
    let scenario = scenarios + "/sweep/baseline.yaml"
    let one = try Self.shard(scenario, 1)
    let two = try Self.shard(scenario, 2)
    let draws = "draws-sutton-baseline.txt"
    func refused(_ shards: [String], _ expected: String, _ what: String) throws {
      let out = HNBCommand.freshDirectory()
      let r = try Self.run(["merge"] + shards + ["--out", out])
      #expect(r.status == 65, "\(what): \(r.stderr)")
      #expect(r.stderr.contains(expected), "\(what): \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "\(what)")
    }
    let ok = HNBCommand.freshDirectory()
    #expect(try Self.run(["merge", two, one, "--out", ok]).status == 0)
    // A shard read into the merge must survive it.
    let before = try FileManager.default.contentsOfDirectory(atPath: one).sorted()
    let over = try Self.run(["merge", one, two, "--out", one])
    #expect(over.status == 73, "\(over.stderr)")
    #expect(over.stderr.contains("the input \(one)/shard.json is inside it"), "\(over.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: one).sorted() == before)

    try refused([one, try Self.shard(scenario, 2, seed: 3)], "shard.json: settings.seed: expected 2, as in", "seed")
    try refused(
      [one, try Self.shard(scenarios + "/sweep/combined.yaml", 2)],
      "shard.json: settings.scenarioPaths: expected '\(scenario)'", "scenario")
    try refused([one, try Self.shard(scenario, 2, batchSize: 16)], "batch_size: expected 8, as in", "batch size")
    try refused([one, one], "shard: expected each shard of the sweep once; found shard 1/2 again", "twice")
    try refused([one], "expected shards 1…2 of one sweep, each once; found shards 1/2 (missing: 2/2)", "missing")

    let damaged = try Self.copy(two)
    try Self.edit(damaged, draws) { String($0.prefix(500)) }
    try refused(
      [one, damaged], "\(draws): expected the draws that shard.json records (sha256 '", "truncated draws")
    let nan = try Self.copy(two)
    try Self.edit(nan, draws, fixChecksum: true) { text in
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      var fields = lines[2].split(separator: ",").map(String.init)
      fields[3] = "7ff8000000000000"
      lines[2] = fields.joined(separator: ",")
      return lines.joined(separator: "\n")
    }
    try refused([one, nan], "\(draws):3:", "NaN draw")
    try refused([one, nan], "expected a finite number; found nan", "NaN draw")
    let short = try Self.copy(two)
    try Self.edit(short, draws, fixChecksum: true) { String($0.dropLast(30)) }
    try refused([one, short], "expected a whole line ending in a line break; found the file cut short", "cut line")
    let broken = try Self.copy(two)
    try Self.edit(broken, "shard.json") { String($0.prefix(200)) }
    try refused(
      [one, broken],
      "shard.json: expected a JSON object written by hnb sweep --shard; found text that is not a JSON object",
      "truncated shard.json")

    // Changed since the shards were drawn: the uncertainty file, named.
    let uncertainty = scenarios + "/sweep/uncertainty.yaml"
    try (try String(contentsOfFile: uncertainty, encoding: .utf8) + "# edited\n").write(
      toFile: uncertainty, atomically: true, encoding: .utf8)
    try refused(
      [one, two], "\(uncertainty): expected the file the shards were drawn from (sha256 '", "changed input")
    try refused([one, two], "found it changed since", "changed input")
  }

  /// A report refuses a sweep (or backtest) made from inputs that changed since, naming the
  /// file; with --allow-stale-evidence it is shown, and the paper and the manifest say stale.
  @Test func aReportRefusesStaleEvidenceOrMarksItStale() throws {
    let scenarios = try Self.scenarioCopy()
    let sweep = HNBCommand.freshDirectory()
    var r = try Self.run([
      "sweep", scenarios + "/sweep/baseline.yaml", "--draws", "20", "--seed", "1", "--out", sweep,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let history = scenarios + "/history.csv"
    try FileManager.default.copyItem(
      atPath: HNBCommand.root.appendingPathComponent("Calibration/data/sutton_history.csv").path, toPath: history)
    let backtest = HNBCommand.freshDirectory()
    r = try Self.run(["backtest", "--history", history, "--fit-through", "2022", "--out", backtest])
    #expect(r.status == 0, "\(r.stderr)")
    let report = [
      "report", scenarios + "/baseline.yaml", "--sweep", sweep, "--backtest", backtest, "--date", "2025-01-01",
    ]
    r = try Self.run(report + ["--out", HNBCommand.freshDirectory()])
    #expect(r.status == 0, "current evidence: \(r.stderr)")

    let topUps = scenarios + "/data/top_ups.csv"
    try (try String(contentsOfFile: topUps, encoding: .utf8).replacingOccurrences(of: "10422", with: "20422")).write(
      toFile: topUps, atomically: true, encoding: .utf8)
    try (try String(contentsOfFile: history, encoding: .utf8) + "\n").write(
      toFile: history, atomically: true, encoding: .utf8)
    let refusedOut = HNBCommand.freshDirectory()
    r = try Self.run(report + ["--out", refusedOut])
    #expect(r.status == 65)
    #expect(
      r.stderr.contains(
        "\(sweep)/manifest.json: input_sha256: expected the inputs the sweep was made from, unchanged (or give "
          + "--allow-stale-evidence); found '\(topUps)' changed since (sha256 '"), "\(r.stderr)")
    #expect(
      r.stderr.contains("\(backtest)/manifest.json: input_sha256: expected the inputs the backtest was made from"))
    #expect(r.stderr.contains("found '\(history)' changed since"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: refusedOut))

    let out = HNBCommand.freshDirectory()
    r = try Self.run(report + ["--allow-stale-evidence", "--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: Stale evidence: the sweep in \(sweep)"))
    let markdown = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
    #expect(markdown.hasPrefix("# High Needs Block forecast\n\n> **WARNING:** Stale evidence: the sweep in \(sweep) "))
    #expect(markdown.contains("> **WARNING:** Stale evidence: the backtest in \(backtest) does not match the inputs"))
    let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(html.contains("<p class=\"warning\" role=\"alert\""))
    #expect(html.contains("Stale evidence: the sweep in"))
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
        as? [String: Any])
    #expect((manifest["stale_evidence"] as? [String])?.count == 2)
    for part in ["xl/workbook.xml", "xl/sharedStrings.xml"] {
      let unzip = Process()
      unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
      unzip.arguments = ["-p", out + "/report.xlsx", part]
      let pipe = Pipe()
      unzip.standardOutput = pipe
      try unzip.run()
      let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      unzip.waitUntilExit()
      #expect(text.contains(part.hasSuffix("workbook.xml") ? "name=\"WARNING\"" : "Stale evidence: the sweep in"))
    }
  }

  /// A file of a --backtest, --sweep or shard folder that is a symbolic link to a file outside
  /// it is refused before it is read: its contents are never echoed.
  @Test func evidenceFilesMustLieInsideTheFolderNamed() throws {
    let secret = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: secret, withIntermediateDirectories: true)
    try "level,secret-password-123\n".write(toFile: secret + "/credentials.csv", atomically: true, encoding: .utf8)
    let backtest = HNBCommand.freshDirectory()
    var r = try Self.run([
      "backtest", "--history", "Calibration/data/sutton_history.csv", "--fit-through", "2022", "--out", backtest,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let sweep = HNBCommand.freshDirectory()
    r = try Self.run(["sweep", "Scenarios/sutton/sweep/baseline.yaml", "--draws", "20", "--seed", "1", "--out", sweep])
    #expect(r.status == 0, "\(r.stderr)")
    let one = try Self.shard("Scenarios/sutton/sweep/baseline.yaml", 1)
    let two = try Self.shard("Scenarios/sutton/sweep/baseline.yaml", 2)
    let cases: [(directory: String, file: String, arguments: [String])] = [
      (backtest, "summary.csv", ["report", "Scenarios/sutton/baseline.yaml", "--backtest", backtest]),
      (sweep, "percentiles.csv", ["report", "Scenarios/sutton/baseline.yaml", "--sweep", sweep]),
      (sweep, "notes.csv", ["report", "Scenarios/sutton/baseline.yaml", "--sweep", sweep]),
      (two, "draws-sutton-baseline.txt", ["merge", one, two]),
    ]
    for c in cases {
      let path = c.directory + "/" + c.file
      let original = FileManager.default.contents(atPath: path)
      try? FileManager.default.removeItem(atPath: path)
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: secret + "/credentials.csv")
      let out = HNBCommand.freshDirectory()
      let result = try Self.run(c.arguments + ["--out", out])
      #expect(result.status == 65, "\(c.file): \(result.stderr)")
      #expect(
        result.stderr
          == "error: \(path): expected a file inside \(c.directory) (the folder named on the command line); "
          + "found a symbolic link to a file outside it\n", "\(c.file)")
      #expect(!result.stderr.contains("secret"))
      #expect(!FileManager.default.fileExists(atPath: out))
      try FileManager.default.removeItem(atPath: path)
      if let original { try original.write(to: URL(fileURLWithPath: path)) }
    }
  }

  /// Counts and numbers of sweep and report options are checked before anything is allocated
  /// or written (exit 64), stating the range and, for too many draws, the memory needed.
  @Test(arguments: [
    (
      ["sweep", "--draws", "100000000"],
      "Error: --draws must be from 2 to 1000000; found 100000000 (a sweep keeps every draw's metrics in memory: "
        + "100000000 draws of 1 scenario(s) would need about 99.8 GiB on a 10-year horizon)."
    ),
    (
      ["sweep", "--draws", "9223372036854775807"], "Error: --draws must be from 2 to 1000000; found 9223372036854775807"
    ),
    (["sweep", "--draws", "1"], "Error: --draws must be from 2 to 1000000; found 1."),
    (
      ["sweep", "--batch-size", "100000000"],
      "Error: --batch-size must be from 1 to 4096 (each core holds a batch's projection state, about 32 kB a draw); "
        + "found 100000000."
    ),
    (
      ["sweep", "--draws", "40", "--batch-size", "8", "--shard", "3/8"],
      "Error: --shard must be k/n with 1 ≤ k ≤ n ≤ 5 (the batches of 40 draws at --batch-size 8, so that no shard "
        + "is empty); found '3/8'."
    ),
    (
      ["sweep", "--shard", "1/9223372036854775807"],
      "Error: --shard must be k/n with 1 ≤ k ≤ n ≤ 16 (the batches of 1000 draws at --batch-size 64, so that no "
        + "shard is empty); found '1/9223372036854775807'."
    ),
    (
      ["sweep", "--threshold", "nan"],
      "Error: --threshold must be a deficit in pounds from 0 to 1000000000000; found nan."
    ),
    (
      ["sweep", "--threshold", "inf"],
      "Error: --threshold must be a deficit in pounds from 0 to 1000000000000; found inf."
    ),
    (
      ["sweep", "--threshold=-5000000"],
      "Error: --threshold must be a deficit in pounds from 0 to 1000000000000; found -5000000.0."
    ),
    (["report", "--date", "2025-13-01"], "Error: --date must be a real date YYYY-MM-DD, not '2025-13-01'."),
    (["report", "--date", "2025-02-29"], "Error: --date must be a real date YYYY-MM-DD, not '2025-02-29'."),
  ])
  func optionsOutOfRangeAreUsageErrors(_ arguments: [String], _ expected: String) throws {
    let out = HNBCommand.freshDirectory()
    let scenario = arguments[0] == "sweep" ? "Scenarios/sutton/sweep/baseline.yaml" : "Scenarios/sutton/baseline.yaml"
    let r = try Self.run([arguments[0], scenario] + arguments.dropFirst() + ["--out", out])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.hasPrefix(expected), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
