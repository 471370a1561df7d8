import Foundation
import Testing

/// End-to-end: a path recorded in a folder someone sent (a sweep's manifest) does not make
/// `hnb report` open that file, nor print anything of it.
@Suite(.serialized) struct EvidenceReadingTests {
  /// A sweep of the Sutton sweep baseline (8 draws), whole or as shards, under a fresh folder.
  static func sweep(_ extra: [String], out: String) throws {
    let result = try HNBCommand.run(
      ["sweep", "Scenarios/sutton/sweep/baseline.yaml", "--draws", "8", "--batch-size", "4", "--seed", "1"] + extra
        + ["--out", out, "--as-of", "2026-01-15"])
    try #require(result.status == 0, "\(result.stderr)")
  }

  /// Replaces `old` with `new` in the file at `path`.
  static func edit(_ path: String, _ old: String, _ new: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try #require(text.contains(old))
    try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test func aRecordedFileOutsideTheNamedFoldersIsNotRead() throws {
    let root = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let sweep = root + "/sweep"
    try Self.sweep([], out: sweep)
    // The manifest now records a file of the system, as a hostile folder could.
    try Self.edit(
      sweep + "/manifest.json", "\"input_sha256\" : {", "\"input_sha256\" : {\n    \"/etc/passwd\" : \"00\",")
    let result = try HNBCommand.run([
      "report", "Scenarios/sutton/baseline.yaml", "--sweep", sweep, "--out", root + "/report", "--date", "2026-01-15",
    ])
    #expect(result.status == 65, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "'/etc/passwd' lies outside the working directory and the report's scenario folders, so it is not read"),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root + "/report"))
  }
}
