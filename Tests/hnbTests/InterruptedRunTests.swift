import Foundation
import HighNeeds
import Testing
import TestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `hnb run` and `hnb sweep` killed (SIGKILL) at seeded random moments while writing over a
/// complete earlier output leave either that earlier output or the new complete one, never a
/// mix and never nothing; the next run removes whatever temporary directories the kills left.
@Suite(.serialized) struct InterruptedRunTests {
  /// Every file of `directory` by name, or nil when it does not exist.
  static func snapshot(_ directory: String) throws -> [String: Data]? {
    guard FileManager.default.fileExists(atPath: directory) else { return nil }
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
      files[name] = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }
    return files
  }

  /// A complete earlier output unlike `new` in every file and in its file set: each file
  /// changed, the manifest naming another command, and one file `new` does not have.
  static func earlier(than new: [String: Data]) throws -> [String: Data] {
    var files = new.filter { $0.key != OutputDirectory.markerName }.mapValues { $0 + Data("# an earlier run\n".utf8) }
    let newManifest = try #require(new["manifest.json"])
    var manifest = try #require(try JSONSerialization.jsonObject(with: newManifest) as? [String: Any])
    manifest["command"] = "an earlier run"
    files["manifest.json"] = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
    files["earlier_only.csv"] = Data("written only by the earlier run\n".utf8)
    // What hnb wrote with these files: the marker that lets the next run replace them.
    files[OutputDirectory.markerName] = Data(OutputDirectory.marker(files).utf8)
    return files
  }

  static func write(_ files: [String: Data], to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, data) in files { try data.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name)) }
  }

  /// Starts `hnb arguments`, sends SIGKILL after `delay` seconds (if it is still running) and
  /// waits for it; true when it was killed.
  static func runAndKill(_ arguments: [String], after delay: Double) throws -> Bool {
    let process = Process()
    process.executableURL = HNBCommand.executable
    process.arguments = arguments
    process.currentDirectoryURL = HNBCommand.root
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    Thread.sleep(forTimeInterval: delay)
    let killed = process.isRunning
    if killed { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return killed
  }

  /// Runs `trials` interrupted runs of `command(out)` over an earlier output.
  ///
  /// Each must leave the earlier or the new complete output; then one uninterrupted run must
  /// clean up what the kills left. Returns how many trials ended with each.
  static func interrupt(
    _ command: @escaping (String) -> [String], trials: Int, seed: UInt64
  ) throws -> (earlier: Int, new: Int) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-kill-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    // The new complete output, and how long it takes to write.
    let started = Date()
    let reference = try HNBCommand.run(command(root + "/reference"))
    let duration = Date().timeIntervalSince(started)
    try #require(reference.status == 0, "\(reference.stderr)")
    let new = try #require(try snapshot(root + "/reference"))
    let earlier = try earlier(than: new)
    let out = root + "/trials/out"
    var generator = SplitMix64(seed: seed)
    var outcome = (earlier: 0, new: 0)
    for trial in 0..<trials {
      try? FileManager.default.removeItem(atPath: out)
      try write(earlier, to: out)
      // Half the kills anywhere in the run, half near its end, where the files are written
      // and swapped in.
      let delay =
        trial % 2 == 0
        ? Double.random(in: 0...duration, using: &generator)
        : Double.random(in: (0.8 * duration)...(1.1 * duration), using: &generator)
      _ = try runAndKill(command(out), after: delay)
      let after = try snapshot(out)
      #expect(after == earlier || after == new, "trial \(trial) killed at \(delay) s left a mix or nothing")
      if after == earlier { outcome.earlier += 1 }
      if after == new { outcome.new += 1 }
    }
    // The next run replaces the output and removes every temporary directory a kill left.
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/trials").filter { $0 != "out" }
    let final = try HNBCommand.run(command(out))
    #expect(final.status == 0, "\(final.stderr)")
    #expect(try snapshot(out) == new)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/trials") == ["out"])
    for leftover in leftovers { #expect(final.stderr.contains("note: removed \(root)/trials/\(leftover)")) }
    return outcome
  }

  @Test func aKilledRunLeavesTheEarlierOrTheNewOutput() throws {
    let outcome = try Self.interrupt(
      { ["run", "Scenarios/sutton/baseline.yaml", "--out", $0, "--as-of", "2026-01-15"] }, trials: 3, seed: 6)
    #expect(outcome.earlier + outcome.new == 3)
    print("hnb run killed 3 times: \(outcome.earlier) left the earlier output, \(outcome.new) the new one")
  }

  @Test func aKilledSweepLeavesTheEarlierOrTheNewOutput() throws {
    let outcome = try Self.interrupt(
      {
        [
          "sweep", "Scenarios/sutton/sweep/baseline.yaml", "--draws", "8", "--seed", "3", "--out", $0, "--as-of",
          "2026-01-15",
        ]
      }, trials: 4, seed: 7)
    #expect(outcome.earlier + outcome.new == 4)
    print("hnb sweep killed 4 times: \(outcome.earlier) left the earlier output, \(outcome.new) the new one")
  }

  /// What killed runs leave is cleaned up by the next run, and nothing else is touched.
  ///
  /// A `.out.tmp-PID` of a process no longer running is removed; one of a running process, or
  /// one holding a directory, is left alone. And the fallback's window: killed between renaming
  /// the earlier output aside and renaming the new one in, a run leaves `.out.old-PID` and no
  /// `out`; the next run puts it back before replacing it.
  @Test func leftoversOfKilledRunsAreCleanedUp() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-left-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = root + "/out"
    // Pids that cannot be running (above the kernel's maximum), and one that is (this process).
    let me = ProcessInfo.processInfo.processIdentifier
    let dead = root + "/.out.tmp-99999999"
    let live = root + "/.out.tmp-\(me)"
    let foreign = root + "/.out.old-99999998"
    let aside = root + "/.out.old-99999997"
    try Self.write(["partial.csv": Data("half a file".utf8)], to: dead)
    try Self.write(["partial.csv": Data("being written".utf8)], to: live)
    try FileManager.default.createDirectory(atPath: foreign + "/sub", withIntermediateDirectories: true)
    let earlier = ["manifest.json": Data("{\"tool\": \"hnb\"}\n".utf8), "kpis.csv": Data("earlier\n".utf8)]
    try Self.write(
      earlier.merging([OutputDirectory.markerName: Data(OutputDirectory.marker(earlier).utf8)]) { a, _ in a }, to: aside
    )
    let result = try HNBCommand.run(["run", "Scenarios/sutton/baseline.yaml", "--out", out, "--as-of", "2026-01-15"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("note: put back \(out) from .out.old-99999997, left by an interrupted run"))
    #expect(result.stderr.contains("note: removed \(dead), left by an interrupted run"))
    #expect(result.stderr.contains("note: left \(foreign) alone"))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [
        ".out.old-99999998", ".out.tmp-\(me)", "out",
      ])
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).contains("ehcp.csv"))
  }
}
