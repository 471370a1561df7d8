import Foundation
import HighNeeds
import Testing

/// End-to-end: no command deletes what hnb did not write, whichever way `--out` is written.
///
/// Every command that writes is given an `--out` that reaches a folder holding one of its own
/// inputs through a symbolic link to a parent: each must resolve the path, refuse (73) and leave
/// every byte where it was. And a run over an earlier output the user added notes to is refused.
@Suite(.serialized) struct OutputFolderCommandTests {
  /// A workspace: the Sutton scenarios and a history under `work/`, reached also through `link`.
  struct Workspace {
    let root: URL
    var work: URL { root.appendingPathComponent("work") }
    var link: String { root.appendingPathComponent("link").path }

    init() throws {
      let fm = FileManager.default
      let base = fm.temporaryDirectory.appendingPathComponent("hnb-outdir-\(UUID().uuidString)")
      try fm.createDirectory(at: base, withIntermediateDirectories: true)
      root = base.resolvingSymlinksInPath()
      try fm.createDirectory(at: root.appendingPathComponent("work/history"), withIntermediateDirectories: true)
      try fm.copyItem(
        at: HNBCommand.root.appendingPathComponent("Scenarios/sutton"), to: root.appendingPathComponent("work/sutton"))
      try fm.copyItem(
        at: HNBCommand.root.appendingPathComponent("Calibration/data/sutton_history.csv"),
        to: root.appendingPathComponent("work/history/sutton_history.csv"))
      try fm.createSymbolicLink(atPath: root.appendingPathComponent("link").path, withDestinationPath: "work")
    }

    /// Every path under the workspace with its bytes (a folder's as empty).
    func snapshot() throws -> [String: Data] {
      var files: [String: Data] = [:]
      for name in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
        files[name] = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) ?? Data()
      }
      return files
    }
  }

  /// Each command, its arguments with the scenario folder `{s}`, the history folder `{h}` and the
  /// output `{out}`, and the folder (through the link) that holds an input it reads.
  static let commands: [(String, [String], String)] = [
    ("run", ["run", "{s}/baseline.yaml", "--out", "{out}"], "sutton"),
    ("compare", ["compare", "{s}/baseline.yaml", "{s}/combined.yaml", "--out", "{out}"], "sutton"),
    ("report", ["report", "{s}/baseline.yaml", "--out", "{out}"], "sutton/data"),
    ("fit", ["fit", "--history", "{h}/sutton_history.csv", "--out", "{out}"], "history"),
    (
      "backtest", ["backtest", "--history", "{h}/sutton_history.csv", "--fit-through", "2022", "--out", "{out}"],
      "history"
    ),
    ("sweep", ["sweep", "{s}/sweep/baseline.yaml", "--draws", "4", "--out", "{out}"], "sutton/sweep"),
    (
      "goalseek",
      [
        "goalseek", "{s}/baseline.yaml", "--target", "cumulative_balance >= 0 in 2027-28", "--vary", "transfer_percent",
        "--out", "{out}",
      ],
      "sutton"
    ),
    (
      "sensitivity",
      [
        "sensitivity", "{s}/sweep/baseline.yaml", "--method", "tornado", "--output", "cumulative_balance", "--out",
        "{out}",
      ],
      "sutton"
    ),
  ]

  @Test func everyCommandResolvesOutBeforeComparingItWithItsInputs() throws {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    for (name, arguments, inputFolder) in Self.commands {
      let out = w.link + "/" + inputFolder
      let before = try w.snapshot()
      let result = try HNBCommand.run(
        arguments.map {
          $0.replacingOccurrences(of: "{s}", with: w.work.path + "/sutton")
            .replacingOccurrences(of: "{h}", with: w.work.path + "/history").replacingOccurrences(
              of: "{out}", with: out)
        } + (["fit", "backtest", "report"].contains(name) ? [] : ["--as-of", "2026-01-15"]))
      #expect(result.status == 73, "\(name): \(result.stderr)")
      #expect(result.stderr.contains("refusing to write the output here: the input "), "\(name): \(result.stderr)")
      #expect(try w.snapshot() == before, "\(name) changed the workspace")
    }
  }

  /// A shard given as `--out` of `hnb merge` is one of its inputs: refused, kept.
  @Test func mergeNeverWritesOverAShard() throws {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    let shards = ["1/2", "2/2"].map { k in w.root.appendingPathComponent("shard\(k.prefix(1))").path }
    for (k, shard) in zip(["1/2", "2/2"], shards) {
      let result = try HNBCommand.run([
        "sweep", w.work.path + "/sutton/sweep/baseline.yaml", "--draws", "8", "--batch-size", "4", "--shard", k,
        "--out", shard, "--as-of",
        "2026-01-15",
      ])
      try #require(result.status == 0, "\(result.stderr)")
    }
    let before = try w.snapshot()
    let result = try HNBCommand.run(["merge"] + shards + ["--out", shards[0]])
    #expect(result.status == 73, "\(result.stderr)")
    #expect(result.stderr.contains("is inside it"), "\(result.stderr)")
    #expect(try w.snapshot() == before)
  }

  /// Notes a user adds beside the tables survive the next run, which is refused and names them.
  @Test func notesBesideAnEarlierOutputSurvive() throws {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    let out = w.root.appendingPathComponent("out").path
    let arguments = ["run", w.work.path + "/sutton/baseline.yaml", "--out", out, "--as-of", "2026-01-15"]
    #expect(try HNBCommand.run(arguments).status == 0)
    try Data("Forum notes\n".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
    let before = try w.snapshot()
    let result = try HNBCommand.run(arguments)
    #expect(result.status == 73)
    #expect(
      result.stderr
        == "error: \(out): refusing to write the output here: it holds what hnb did not write there: 'notes.txt' "
        + "(hnb deletes only its own, unchanged files: move these elsewhere, or choose another --out)\n")
    #expect(try w.snapshot() == before)
    let empty = try HNBCommand.run(["run", w.work.path + "/sutton/baseline.yaml", "--out", ""])
    #expect(empty.status == 73)
    #expect(empty.stderr.contains("--out is an empty path"))
  }
}
