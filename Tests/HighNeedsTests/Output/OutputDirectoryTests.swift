import Foundation
import Testing

@testable import HighNeeds

/// The output-folder policy: hnb replaces only a folder holding nothing but the files it wrote
/// there, unchanged; it resolves `--out` before comparing it with the inputs; it writes no NaN.
@Suite struct OutputDirectoryTests {
  /// A new temporary directory, removed by the caller.
  static func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return URL(fileURLWithPath: InputFile.realPath(url.path))
  }

  /// Every file under `directory` (relative path → bytes), links and folders included by name.
  static func snapshot(_ directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let fm = FileManager.default
    for name in try fm.subpathsOfDirectory(atPath: directory.path) {
      let path = directory.appendingPathComponent(name).path
      files[name] = fm.contents(atPath: path) ?? Data("<not a file>".utf8)
    }
    return files
  }

  static let run: [String: String] = ["kpis.csv": "year,plans\n2026,100\n", "manifest.json": "{\"tool\": \"hnb\"}\n"]

  /// Whatever a user put into or changed in a folder, a write that would replace it throws
  /// `OutputError`, names what is there, and leaves every byte where it was.
  @Test(arguments: [
    "a note added beside the tables", "a table edited", "a folder added", "a copied manifest.json",
    "a copied marker", "a marker of other files", "a table replaced by a link",
  ])
  func aFolderHoldingWhatHnbDidNotWriteIsNeverReplaced(_ change: String) throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let fm = FileManager.default
    var expectedName = ""
    switch change {
    case "a copied manifest.json", "a copied marker":
      // A folder of the user's own documents into which an output's file was copied.
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
      try Data("budget notes\n".utf8).write(to: out.appendingPathComponent("budget.docx"))
      let earlier = root.appendingPathComponent("earlier")
      try OutputDirectory.write(Self.run, to: earlier.path)
      let copied = change == "a copied marker" ? OutputDirectory.markerName : "manifest.json"
      try fm.copyItem(at: earlier.appendingPathComponent(copied), to: out.appendingPathComponent(copied))
      expectedName = change == "a copied marker" ? "'budget.docx'" : OutputDirectory.markerName
    case "a marker of other files":
      try fm.createDirectory(at: out, withIntermediateDirectories: true)
      try Data("mine\n".utf8).write(to: out.appendingPathComponent("kpis.csv"))
      try Data(OutputDirectory.marker(["kpis.csv": Data("theirs\n".utf8)]).utf8).write(
        to: out.appendingPathComponent(OutputDirectory.markerName))
      expectedName = "'kpis.csv'"
    default:
      try OutputDirectory.write(Self.run, to: out.path)
      switch change {
      case "a note added beside the tables":
        try Data("notes for the Forum\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        expectedName = "'notes.txt'"
      case "a table edited":
        try Data("year,plans\n2026,120\n".utf8).write(to: out.appendingPathComponent("kpis.csv"))
        expectedName = "'kpis.csv'"
      case "a folder added":
        try fm.createDirectory(at: out.appendingPathComponent("drafts"), withIntermediateDirectories: true)
        expectedName = "'drafts'"
      default:
        let elsewhere = root.appendingPathComponent("elsewhere.csv")
        try Data("year,plans\n2026,100\n".utf8).write(to: elsewhere)
        try fm.removeItem(at: out.appendingPathComponent("kpis.csv"))
        try fm.createSymbolicLink(at: out.appendingPathComponent("kpis.csv"), withDestinationURL: elsewhere)
        expectedName = "'kpis.csv'"
      }
    }
    let before = try Self.snapshot(root)
    let error = #expect(throws: OutputError.self) {
      try OutputDirectory.write(["kpis.csv": "new\n"], to: out.path)
    }
    #expect(error?.errorDescription?.contains(expectedName) == true, "\(error?.errorDescription ?? "")")
    #expect(try Self.snapshot(root) == before)
  }

  /// An output hnb wrote, with files removed from it or not, is replaced by the next.
  @Test func anUnchangedOutputIsReplaced() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try OutputDirectory.write(Self.run, to: out.path)
    try OutputDirectory.write(["kpis.csv": "year,plans\n2026,101\n"], to: out.path)
    try FileManager.default.removeItem(at: out.appendingPathComponent("kpis.csv"))
    try OutputDirectory.write(["summary.csv": "a\n1\n"], to: out.path)
    let files = try Self.snapshot(out)
    #expect(files.keys.sorted() == [OutputDirectory.markerName, "summary.csv"])
    #expect(
      files[OutputDirectory.markerName] == Data(OutputDirectory.marker(["summary.csv": Data("a\n1\n".utf8)]).utf8))
  }

  /// `--out` is resolved before it is compared with the inputs, whichever way it is written:
  /// through a linked parent, with `..`, relative; a link as `--out` and an empty path are refused.
  @Test(arguments: [
    "through a linked parent", "with ..", "with .. after a missing part", "the link itself", "the link and .",
    "empty",
  ])
  func theOutputPathIsResolvedBeforeItIsCompared(_ way: String) throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let fm = FileManager.default
    let scenarios = root.appendingPathComponent("scenarios")
    try fm.createDirectory(at: scenarios.appendingPathComponent("data"), withIntermediateDirectories: true)
    let input = scenarios.appendingPathComponent("data/top_ups.csv")
    try Data("placement,need,gbp_per_plan\n".utf8).write(to: input)
    let link = root.appendingPathComponent("link")
    try fm.createSymbolicLink(at: link, withDestinationURL: root)
    let out: String
    let reason: String
    switch way {
    case "through a linked parent":
      out = link.path + "/scenarios"
      reason = "the input \(input.path) is inside it"
    case "with ..":
      out = scenarios.path + "/data/../data/sub/.."
      reason = "the input \(input.path) is inside it"
    case "with .. after a missing part":
      // `link` is not the last part, but stands after a part that does not exist.
      out = root.path + "/missing/../link/scenarios"
      reason = "the input \(input.path) is inside it"
    case "the link and .":
      try fm.createSymbolicLink(at: root.appendingPathComponent("out"), withDestinationURL: scenarios)
      out = root.appendingPathComponent("out").path + "/."
      reason = "it is a symbolic link"
    case "the link itself":
      try fm.createSymbolicLink(at: root.appendingPathComponent("out"), withDestinationURL: scenarios)
      out = root.appendingPathComponent("out").path
      reason = "it is a symbolic link"
    default:
      out = ""
      reason = "--out is an empty path"
    }
    let before = try Self.snapshot(root)
    let error = #expect(throws: OutputError.self) {
      try OutputDirectory.write(["kpis.csv": "new\n"], to: out, inputs: [input.path])
    }
    #expect(error?.errorDescription?.contains(reason) == true, "\(error?.errorDescription ?? "")")
    #expect(try Self.snapshot(root) == before)
  }

  /// A number that is not finite anywhere in a table, a manifest or a paper stops the write
  /// (an `IntegrityError`, exit 70) and names the file, line and column; words that merely
  /// contain the letters pass.
  @Test func noOutputHoldsNaNOrInfinity() throws {
    let bad: [(String, String, String)] = [
      ("kpis.csv", "year,plans\n2026,nan\n", "kpis.csv:2:6"),
      ("kpis.csv", "year,plans\n2026,-inf\n", "kpis.csv:2:7"),
      ("exceedance.csv", "year,deficit above £nan\n", "exceedance.csv:1:22"),
      ("percentiles.csv", "a,b\n\"x\",\"Infinity\"\n", "percentiles.csv:2:6"),
      ("manifest.json", "{\"threshold\": [1, nan]}\n", "manifest.json:1:19"),
      ("report.md", "| year | balance |\n| 2026 | nan |\n", "report.md:2:10"),
      ("report.html", "<td>£-inf</td><td>−inf%</td>", "report.html:1:8"),
      ("report.html", "<td>∞</td>", "report.html:1:5"),
      ("report.html", "<text>£nanm</text>", "report.html:1:9"),
      ("report.html", "<circle cx=\"1\" cy=\"nan\"/>", "report.html:1:20"),
      ("report.html", "<polyline points=\"1,2 3,nan 5,6\"/>", "report.html:1:25"),
      ("report.md", "| year | spend |\n| 2026 | nan £000 |\n", "report.md:2:10"),
    ]
    for (name, text, place) in bad {
      let root = try Self.scratch()
      defer { try? FileManager.default.removeItem(at: root) }
      let out = root.appendingPathComponent("out").path
      let error = #expect(throws: IntegrityError.self, "\(name): \(text)") {
        try OutputDirectory.write([name: text, "other.csv": "a\n1\n"], to: out)
      }
      #expect(error?.failures.count == 1)
      #expect(
        error?.failures.first?.hasPrefix(place + ": expected a finite number") == true, "\(error?.failures ?? [])")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
    let good = [
      "notes.csv": "note,information\n\"Infant class, nan's rule\",financial\n",
      "manifest.json": "{\"title\": \"nan\", \"inf\": \"Infinity \\\" nan\", \"ok\": true}\n",
      "report.md": "Information on the nan bread programme | information |\n",
      "report.html": "<p class=\"info\">Information, infant places</p><td>nanny</td>",
      "draws-a.txt": "nan\n",
    ]
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    try OutputDirectory.write(good, to: root.appendingPathComponent("out").path)
  }

  /// An empty folder is written into; a file in the place of the folder, a folder of other
  /// things with no marker, and a marker hnb did not write (not `SHA-256  name` lines) are refused
  /// and left as they were.
  @Test func anEmptyFolderIsUsedAndAFileOrAForeignMarkerIsNot() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let empty = root.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    try OutputDirectory.write(Self.run, to: empty.path)
    #expect(try Self.snapshot(empty).keys.sorted() == [OutputDirectory.markerName, "kpis.csv", "manifest.json"])
    let cases: [(String, [String: String], String)] = [
      ("file", [:], "it is a file, not a directory"),
      ("notes", ["notes.txt": "mine\n"], "it is not empty and is not an hnb output (it has no .hnb-output.sha256"),
      (
        "forged", [OutputDirectory.markerName: "kpis.csv\n", "kpis.csv": "x\n"],
        "its .hnb-output.sha256 is not one hnb wrote"
      ),
      (
        "escaping", [OutputDirectory.markerName: String(repeating: "0", count: 64) + "  ../kpis.csv\n"],
        "is not one hnb wrote"
      ),
      (
        "absolute", [OutputDirectory.markerName: String(repeating: "0", count: 64) + "  /etc/kpis.csv\n"],
        "is not one hnb wrote"
      ),
    ]
    for (name, files, reason) in cases {
      let target = root.appendingPathComponent(name)
      if files.isEmpty {
        try Data("a file\n".utf8).write(to: target)
      } else {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for (file, text) in files { try Data(text.utf8).write(to: target.appendingPathComponent(file)) }
      }
      let before = try Self.snapshot(root)
      let error = #expect(throws: OutputError.self, "\(name)") {
        try OutputDirectory.write(Self.run, to: target.path)
      }
      #expect(error?.errorDescription?.contains(reason) == true, "\(error?.errorDescription ?? "")")
      #expect(try Self.snapshot(root) == before, "\(name)")
    }
  }

  /// The marker is `sha256sum` output: one `SHA-256  name` line per file, sorted by name, and
  /// reads back as what it lists.
  @Test func theMarkerIsSha256sumOutput() {
    let files = ["b.csv": Data("abc".utf8), "a.csv": Data()]
    let marker = OutputDirectory.marker(files)
    #expect(
      marker
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.csv\n"
        + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.csv\n")
    #expect(OutputDirectory.parseMarker(Data(marker.utf8)) == files.mapValues { SHA256.hex($0) })
  }

  /// What a killed run left beside the output (`.NAME.tmp-PID` of a process no longer
  /// running) is removed by the next write; a running process's is left alone.
  @Test func aDeadRunsLeftoversAreRemovedAndALiveOnesKept() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    // Above the largest pid_max Linux allows (2^22), so no process has it.
    let dead = root.appendingPathComponent(".out.tmp-4194305")
    // The parent of this test process is running (this process's own pid names its staging).
    let live = root.appendingPathComponent(".out.tmp-\(getppid())")
    for leftover in [dead, live] {
      try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
      try Data("half\n".utf8).write(to: leftover.appendingPathComponent("kpis.csv"))
    }
    // A user's file (not a folder) that happens to bear such a name is not a leftover.
    let file = root.appendingPathComponent(".out.old-4194306")
    try Data("a user's file\n".utf8).write(to: file)
    try OutputDirectory.write(Self.run, to: root.appendingPathComponent("out").path)
    #expect(!FileManager.default.fileExists(atPath: dead.path))
    #expect(FileManager.default.fileExists(atPath: live.appendingPathComponent("kpis.csv").path))
    #expect(FileManager.default.contents(atPath: file.path) == Data("a user's file\n".utf8))
  }

  /// A marker that is not a small regular file (a pipe would hang the read, a link to a device
  /// would exhaust memory) is not one hnb wrote: the folder is refused without reading it.
  @Test func aMarkerThatIsNotARegularFileIsNotRead() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    #expect(mkfifo(out.appendingPathComponent(OutputDirectory.markerName).path, 0o600) == 0)
    let error = #expect(throws: OutputError.self) { try OutputDirectory.write(Self.run, to: out.path) }
    #expect(error?.errorDescription?.contains("is not an hnb output") == true, "\(error?.errorDescription ?? "")")
  }

  // MARK: sub-folders

  static let scenario: [String: String] = [
    "baseline.yaml": "name: x\n", "README.md": "# x\n", "data/population.csv": "age,population\n0,10\n",
    "data/incidence.csv": "age,rate\n0,0.01\n", "sweep/baseline.yaml": "extends: [../baseline.yaml]\n",
  ]

  /// A folder with sub-folders is written whole: the marker lists every file by its path
  /// relative to the folder, and the next write replaces it (files and sub-folders it no longer
  /// has are gone).
  @Test func aNestedOutputListsEveryFileByItsRelativePathAndIsReplaced() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try OutputDirectory.write(Self.scenario, to: out.path)
    let files = try Self.snapshot(out)
    #expect(
      files.keys.sorted() == [
        OutputDirectory.markerName, "README.md", "baseline.yaml", "data", "data/incidence.csv", "data/population.csv",
        "sweep", "sweep/baseline.yaml",
      ])
    let marker = OutputDirectory.marker(Self.scenario.mapValues { Data($0.utf8) })
    #expect(files[OutputDirectory.markerName] == Data(marker.utf8))
    #expect(marker.contains("  data/population.csv\n"))
    #expect(OutputDirectory.parseMarker(Data(marker.utf8))?.keys.sorted() == Self.scenario.keys.sorted())
    #expect(files["data/population.csv"] == Data("age,population\n0,10\n".utf8))
    // Replaced by a write without the sweep folder: it is gone.
    var next = Self.scenario
    next["sweep/baseline.yaml"] = nil
    next["data/incidence.csv"] = "age,rate\n0,0.02\n"
    try OutputDirectory.write(next, to: out.path)
    let after = try Self.snapshot(out)
    #expect(!after.keys.contains("sweep"))
    #expect(after["data/incidence.csv"] == Data("age,rate\n0,0.02\n".utf8))
    // A listed file removed by the user is no reason to refuse.
    try FileManager.default.removeItem(at: out.appendingPathComponent("data/population.csv"))
    try OutputDirectory.write(Self.scenario, to: out.path)
    #expect(try Self.snapshot(out).keys.contains("sweep/baseline.yaml"))
  }

  /// Whatever a user put into or changed in a sub-folder, a link in the place of one (never
  /// followed) included, refuses the write, names it, and leaves every byte where it was
  /// (the folder and what a link leads to).
  @Test(arguments: [
    "a file added in a sub-folder", "a file in a sub-folder edited", "a sub-folder replaced by a link",
    "a file in a sub-folder replaced by a link", "an empty folder added in a sub-folder",
    "a folder the marker does not name", "a sub-folder replaced by a file",
  ])
  func aSubFolderHoldingWhatHnbDidNotWriteIsNeverReplaced(_ change: String) throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let fm = FileManager.default
    try OutputDirectory.write(Self.scenario, to: out.path)
    let data = out.appendingPathComponent("data")
    let elsewhere = root.appendingPathComponent("elsewhere")
    try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    let expectedName: String
    switch change {
    case "a file added in a sub-folder":
      try Data("mine\n".utf8).write(to: data.appendingPathComponent("local.csv"))
      expectedName = "'data/local.csv'"
    case "a file in a sub-folder edited":
      try Data("age,population\n0,11\n".utf8).write(to: data.appendingPathComponent("population.csv"))
      expectedName = "'data/population.csv'"
    case "a sub-folder replaced by a link":
      // The link leads to a folder holding the very files the marker lists: still refused, and
      // the files there are not deleted.
      for name in ["population.csv", "incidence.csv"] {
        try fm.copyItem(at: data.appendingPathComponent(name), to: elsewhere.appendingPathComponent(name))
      }
      try fm.removeItem(at: data)
      try fm.createSymbolicLink(at: data, withDestinationURL: elsewhere)
      expectedName = "'data'"
    case "a file in a sub-folder replaced by a link":
      let target = elsewhere.appendingPathComponent("population.csv")
      try fm.copyItem(at: data.appendingPathComponent("population.csv"), to: target)
      try fm.removeItem(at: data.appendingPathComponent("population.csv"))
      try fm.createSymbolicLink(at: data.appendingPathComponent("population.csv"), withDestinationURL: target)
      expectedName = "'data/population.csv'"
    case "an empty folder added in a sub-folder":
      try fm.createDirectory(at: data.appendingPathComponent("drafts"), withIntermediateDirectories: true)
      expectedName = "'data/drafts'"
    case "a folder the marker does not name":
      try fm.createDirectory(at: out.appendingPathComponent("notes"), withIntermediateDirectories: true)
      try Data("mine\n".utf8).write(to: out.appendingPathComponent("notes/a.txt"))
      expectedName = "'notes'"
    default:
      try fm.removeItem(at: out.appendingPathComponent("sweep"))
      try Data("mine\n".utf8).write(to: out.appendingPathComponent("sweep"))
      expectedName = "'sweep'"
    }
    let before = try Self.snapshot(root)
    let error = #expect(throws: OutputError.self, "\(change)") {
      try OutputDirectory.write(Self.scenario, to: out.path)
    }
    #expect(error?.errorDescription?.contains(expectedName) == true, "\(error?.errorDescription ?? "")")
    #expect(try Self.snapshot(root) == before, "\(change)")
  }

  /// A file name that would leave the folder (`..`, an absolute path) or is not a plain relative
  /// path is refused before anything is written; so is a marker naming one.
  @Test(arguments: [
    "../x.csv", "/tmp/x.csv", "data/../../x.csv", "", "data//x.csv", "./x.csv", "data/", ".hnb-output.sha256",
  ])
  func aFileNameOutsideTheFolderIsRefused(_ name: String) throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    let before = try Self.snapshot(root)
    let error = #expect(throws: OutputError.self, "\(name)") {
      try OutputDirectory.write(["kpis.csv": "a\n1\n", name: "escaped\n"], to: out.path)
    }
    #expect(error?.errorDescription?.contains("is not a relative path inside the folder") == true)
    #expect(try Self.snapshot(root) == before)
    #expect(!OutputDirectory.isConfined(name))
    let marker = String(repeating: "0", count: 64) + "  \(name)\n"
    #expect(OutputDirectory.parseMarker(Data(marker.utf8)) == nil, "\(name)")
  }

  /// A write that fails (here the finite-number guard on a file in a sub-folder) leaves an
  /// earlier nested output exactly as it was and no staging folder behind; a dead run's
  /// staging folder with sub-folders of files is removed, one with an empty folder is not.
  @Test func aFailedNestedWriteLeavesTheEarlierOutputAndLeftoversAreCleared() throws {
    let root = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try OutputDirectory.write(Self.scenario, to: out.path)
    let before = try Self.snapshot(root)
    var bad = Self.scenario
    bad["data/incidence.csv"] = "age,rate\n0,nan\n"
    #expect(throws: IntegrityError.self) { try OutputDirectory.write(bad, to: out.path) }
    #expect(try Self.snapshot(root) == before)
    let dead = root.appendingPathComponent(".out.tmp-4194305")
    try FileManager.default.createDirectory(at: dead.appendingPathComponent("data"), withIntermediateDirectories: true)
    try Data("half\n".utf8).write(to: dead.appendingPathComponent("data/a.csv"))
    let emptyFolder = root.appendingPathComponent(".out.tmp-4194306")
    try FileManager.default.createDirectory(
      at: emptyFolder.appendingPathComponent("mine"), withIntermediateDirectories: true)
    try OutputDirectory.write(Self.scenario, to: out.path)
    #expect(!FileManager.default.fileExists(atPath: dead.path))
    #expect(FileManager.default.fileExists(atPath: emptyFolder.appendingPathComponent("mine").path))
  }
}
