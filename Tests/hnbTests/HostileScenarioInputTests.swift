import Foundation
import Testing

/// The S cases of docs/BAD_INPUTS.md ("Hostile and careless use"): `extends:` reads nothing
/// outside the folders the user named and echoes nothing it read; a family of scenario files
/// cannot crash or hang the loader; a taxonomy is bounded; every message is printable.
///
/// Each case runs `hnb run` on a copy of the Sutton baseline as the catalogue does
/// (`BadInputCatalogueTests.check`): exactly the message and exit code shown, nothing written.
@Suite struct HostileScenarioInputTests {
  typealias Case = BadInputCatalogueTests.Case
  typealias Workspace = BadInputCatalogueTests.Workspace

  /// What the files outside the scenario's folders hold; it must never reach a message.
  static let secret = "aws_secret_access_key = SECRET-DO-NOT-ECHO"

  /// Makes `baseline.yaml` extend `parents` (a path or a YAML list).
  static func extends(_ w: Workspace, _ parents: String) throws {
    try w.replace("baseline.yaml", "kind: base\n", "kind: base\nextends: \(parents)\n")
  }

  /// Writes `text` to `path` under the workspace root (outside the scenario's directory).
  static func outside(_ w: Workspace, _ path: String, _ text: String = secret + "\n") throws {
    let url = w.root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  static let cases: [Case] = [
    // MARK: extends reads only inside the folders named
    Case(
      id: "S01 extends an absolute path", edit: { try extends($0, "/etc/passwd") },
      message:
        "{dir}/baseline.yaml:14:10: extends: expected a path relative to the scenario file's directory (absolute paths are not allowed); found '/etc/passwd'"
    ),
    Case(
      id: "S02 extends a .. path that climbs out", edit: { try extends($0, "../../secret.yaml") },
      message:
        "{dir}/baseline.yaml:14:10: extends: expected a scenario file inside {dir} or directly in {root} (the directory of the scenario named on the command line, or the one above it); found '../../secret.yaml', which leaves them"
    ),
    Case(
      id: "S03 extends a file in a sibling directory",
      edit: { w in
        try outside(w, "other/secret.yaml")
        try extends(w, "../other/secret.yaml")
      },
      message:
        "{dir}/baseline.yaml:14:10: extends: expected a scenario file inside {dir} or directly in {root} (the directory of the scenario named on the command line, or the one above it); found '../other/secret.yaml', which leaves them"
    ),
    Case(
      id: "S04 extends a symbolic link to a file outside",
      edit: { w in
        try outside(w, "other/secret.yaml")
        try FileManager.default.createSymbolicLink(
          atPath: w.url("parent.yaml").path, withDestinationPath: "../other/secret.yaml")
        try extends(w, "parent.yaml")
      },
      message:
        "{dir}/baseline.yaml:14:10: extends: expected a scenario file inside {dir} or directly in {root} (the directory of the scenario named on the command line, or the one above it); found 'parent.yaml', a symbolic link to {root}/other/secret.yaml, outside them"
    ),
    Case(
      id: "S05 extends a file that is not .yaml",
      edit: { w in
        try w.write("credentials", secret + "\n")
        try extends(w, "credentials")
      },
      message: "{dir}/baseline.yaml:14:10: extends: expected a scenario file ending .yaml or .yml; found 'credentials'"),
    Case(
      id: "S06 extends a .yaml link to a file that is not .yaml",
      edit: { w in
        try w.write("credentials", secret + "\n")
        try FileManager.default.createSymbolicLink(
          atPath: w.url("parent.yaml").path, withDestinationPath: "credentials")
        try extends(w, "parent.yaml")
      },
      message:
        "{dir}/baseline.yaml:14:10: extends: expected a scenario file; found 'parent.yaml', a symbolic link to {dir}/credentials, not a .yaml or .yml file"
    ),
    Case(
      id: "S07 extends a .yaml file that is not a scenario",
      edit: { w in
        try w.write("token.yaml", "SECRET-DO-NOT-ECHO-ghp_0123456789abcdef\n")
        try extends(w, "token.yaml")
      },
      message: "{dir}/token.yaml:1:1: expected a map of scenario keys; found a single value (is this a scenario file?)"),
    Case(
      id: "S08 extends a .yaml file that is not YAML",
      edit: { w in
        try w.write("keys.yaml", "password: \"SECRET-DO-NOT-ECHO\n")
        try extends(w, "keys.yaml")
      },
      message:
        "{dir}/keys.yaml:2:1: expected valid YAML; found found unexpected end of stream (while scanning a quoted scalar at line 1, column 11)"
    ),
    Case(
      id: "S20 a parent one directory up extends a file above it",
      edit: { w in
        try outside(w, "parent.yaml", "extends: ../secret.yaml\n")
        try extends(w, "../parent.yaml")
      },
      message:
        "{root}/parent.yaml:1:10: extends: expected a scenario file inside {dir} or directly in {root} (the directory of the scenario named on the command line, or the one above it), or inside {root} (the directory of the file that extends it); found '../secret.yaml', which leaves them"
    ),
    // MARK: a family of files cannot crash or hang the loader
    Case(
      id: "S09 a cycle written through ../",
      edit: { w in
        try w.write("a.yaml", "extends: [../scn/b.yaml, ../scn/baseline.yaml]\n")
        try w.write("b.yaml", "extends: ../scn/a.yaml\n")
        try extends(w, "a.yaml")
      },
      message:
        "{dir}/a.yaml: extends: expected no cycle of extends; found {dir}/a.yaml → {dir}/b.yaml → {dir}/a.yaml"
    ),
    Case(
      id: "S10 an extends chain of 17 levels",
      edit: { w in
        for level in 1...17 {
          try w.write("p\(level).yaml", level < 17 ? "extends: p\(level + 1).yaml\n" : "kind: base\n")
        }
        try extends(w, "p1.yaml")
      },
      message:
        "{dir}/p16.yaml:1:10: extends: expected at most 16 levels of extends above {dir}/baseline.yaml; found 17 levels: {dir}/baseline.yaml → … → {dir}/p17.yaml"
    ),
    Case(
      id: "S11 a family of more than 64 files",
      edit: { w in
        for i in 1...40 { try w.write("a\(i).yaml", "kind: base\n") }
        try w.write("a1.yaml", "extends: [" + (1...30).map { "b\($0).yaml" }.joined(separator: ", ") + "]\n")
        for i in 1...30 { try w.write("b\(i).yaml", "kind: base\n") }
        try extends(w, "[" + (1...40).map { "a\($0).yaml" }.joined(separator: ", ") + "]")
      },
      message:
        "{dir}/baseline.yaml:14:332: extends: expected at most 64 files in the family of {dir}/baseline.yaml (it and every file it extends); found more, reading {dir}/a34.yaml"
    ),
    Case(
      id: "S12 a taxonomy of 101 placements",
      edit: { w in
        let taxonomy = HNBCommand.root.appendingPathComponent("Sources/HighNeeds/Resources/taxonomy")
        var placements = try String(contentsOf: taxonomy.appendingPathComponent("placements.csv"), encoding: .utf8)
        for i in 13...101 { placements += "extra_\(i),Extra \(i),other,not_applicable\n" }
        try w.write("data/placements.csv", placements)
        try FileManager.default.copyItem(at: taxonomy.appendingPathComponent("needs.csv"), to: w.url("data/needs.csv"))
        try w.replace(
          "baseline.yaml", "kind: base\n",
          "kind: base\ntaxonomy:\n  placements: data/placements.csv\n  needs: data/needs.csv\n")
      },
      message:
        "{dir}/data/placements.csv:102: expected at most 100 placements (the state holds 26 ages × placements × needs numbers for every year: about 132 MB at the bounds); found 101 placements (with 13 needs, a 40-year run would need about 38 MB)"
    ),
    // MARK: messages that are printable and fit the file
    Case(
      id: "S13 a byte order mark inside a CSV",
      edit: {
        try $0.replace(
          "data/baseline_caseload_2025.csv", "age,placement,need,plans\n", "age,placement,need,plans\n\u{FEFF}")
      },
      message:
        "{dir}/data/baseline_caseload_2025.csv:2:1: age: expected an age 0–25 or a range like 5-10; found '\\u{FEFF}0' (\\u{FEFF} is an invisible byte order mark inside the text, as left where two files were joined: delete it)"
    ),
    Case(
      id: "S14 a NUL byte in a CSV", edit: { try $0.insertByte(0x00, in: "data/top_ups.csv", after: "mainstream") },
      message:
        "{dir}/data/top_ups.csv:3:11: expected UTF-8 text; found a NUL byte (0x00) (UTF-16 text without a byte order mark, or not a text file? save it as 'CSV UTF-8 (Comma delimited)')"
    ),
    Case(
      id: "S15 the scenario YAML in UTF-16",
      edit: { w in
        try w.bytes("baseline.yaml") {
          Data([0xFF, 0xFE]) + (String(decoding: $0, as: UTF8.self).data(using: .utf16LittleEndian) ?? Data())
        }
      },
      message: "{dir}/baseline.yaml:1:1: expected UTF-8 text; found UTF-16 text: save it as UTF-8 text"),
    Case(
      id: "S16 a control character in the YAML",
      edit: { try $0.insertByte(0x07, in: "baseline.yaml", after: "title: \"") },
      message:
        "{dir}/baseline.yaml:5:9: expected readable YAML text; found control characters are not allowed (the character U+0007)"
    ),
    Case(
      id: "S17 a value of a million characters",
      edit: {
        try $0.replace(
          "data/top_ups.csv", "mainstream,all,10422", "mainstream,all,TBC" + String(repeating: "x", count: 1_000_000))
      },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found 'TBCxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1000003 characters)"
    ),
  ]

  @Test(arguments: cases) func hostileInputIsRefusedPrintablyAndWritesNothing(_ c: Case) throws {
    let result = try BadInputCatalogueTests.check(c)
    #expect(!result.stderr.contains("SECRET"), "\(c.id) echoed a file's contents")
    let controls = result.stderr.unicodeScalars.filter { $0 != "\n" && $0.properties.generalCategory == .control }
    #expect(controls.isEmpty, "\(c.id) printed control characters")
    #expect(result.stderr.count < 1_000)
  }

  /// `path` relative to the repository root, where `HNBCommand.run` runs `hnb`.
  static func relativeToRoot(_ path: String) -> String {
    let depth = HNBCommand.root.standardizedFileURL.pathComponents.count - 1
    return String(repeating: "../", count: depth) + String(path.drop { $0 == "/" })
  }

  /// A cycle written through `../`, with several parents in every file, named by a relative
  /// path (so no two spellings of a file are alike): found by real path, its chain printed,
  /// in well under a second. (It ran for minutes, growing exponentially, when files were
  /// known by the path as written.)
  @Test func aCycleThroughDotDotWithSeveralParentsIsFoundAtOnce() throws {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    let names = ["a", "b", "c", "d"]
    for (i, name) in names.enumerated() {
      let others = names.indices.filter { $0 != i }.map { "../scn/\(names[$0]).yaml" }
      try w.write("\(name).yaml", "extends: [\(others.joined(separator: ", "))]\n")
    }
    try Self.extends(w, "a.yaml")
    let start = Date()
    let result = try HNBCommand.run(["validate", Self.relativeToRoot(w.yaml.path)])
    let elapsed = Date().timeIntervalSince(start)
    #expect(result.status == 65)
    #expect(result.stderr.contains("extends: expected no cycle of extends; found "))
    #expect(result.stderr.contains("a.yaml → ") && result.stderr.contains("b.yaml"))
    #expect(elapsed < 1, "took \(elapsed) s")
  }

  /// Every file of the shipped scenario families validates, including the sweep family that
  /// extends a parent one directory up.
  @Test func theShippedScenariosStillValidate() throws {
    let files = [
      "baseline", "combined", "local_specialist", "mainstream_inclusion", "pathways_16_25", "sweep/baseline",
      "sweep/combined", "sweep/combined_delivery", "retrospective/baseline_2019", "retrospective/wsoa_targets",
    ]
    for file in files {
      let result = try HNBCommand.run(["validate", "Scenarios/sutton/\(file).yaml"])
      #expect(result.status == 0, "\(file): \(result.stderr)")
    }
  }

  /// A parent one directory up may extend a file inside its own directory.
  ///
  /// A `sweep/` folder extends `../baseline.yaml`, a refined baseline that extends the `hnb init`
  /// folder beside it (`generated/`). The parent's value reaches the run; S20 shows it can climb
  /// no further.
  @Test func aParentOneUpMayExtendAFileInItsOwnDirectory() throws {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    try Self.outside(w, "generated/base.yaml", "name: from-generated\n")
    try Self.outside(w, "refined.yaml", "extends: generated/base.yaml\n")
    try w.replace("baseline.yaml", "name: sutton-baseline\n", "")
    try Self.extends(w, "../refined.yaml")
    let result = try HNBCommand.run(["validate", Self.relativeToRoot(w.yaml.path)])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("(from-generated: 12 placements"), "\(result.stdout)")
  }

  /// A CSV saved with CR-only line ends (Excel for Mac's "CSV") is read as CRLF and LF are:
  /// the same outputs as the clean files.
  @Test func crOnlyLineEndsAreLineEnds() throws {
    let variant = try Workspace()
    defer { try? FileManager.default.removeItem(at: variant.root) }
    for file in variant.csvFiles {
      try variant.bytes(file) {
        Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r").utf8)
      }
    }
    let expected = try #require(BadInputCatalogueTests.cleanOutputs)
    let got = try BadInputCatalogueTests.outputs(variant)
    #expect(got.keys.sorted() == expected.keys.sorted())
    for name in expected.keys.sorted() where name != "manifest.json" {
      #expect(got[name] == expected[name], "\(name) differs")
    }
  }
}
