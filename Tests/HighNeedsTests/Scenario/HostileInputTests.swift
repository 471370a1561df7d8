import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// Issue 13, the loader's part: messages never carry a file's contents or control characters;
/// a family of scenario files is read once per real file and bounded; a taxonomy is bounded;
/// line ends and encodings are read or refused with a message that fits the file.
@Suite struct HostileInputTests {
  /// Whatever a message is given to say, it prints at most a few hundred characters of it, and
  /// nothing a terminal would act on.
  @Test func aMessageIsPrintableAndShortWhateverItIsGiven() {
    let huge = String(repeating: "x\0\u{1B}[2J", count: 2_000_000)
    var error = InputError(SourceLocation(file: "f.yaml", line: 1), key: "k\0ey", expected: "a\tvalue", found: huge)
    error.note = "with the drawn values a = 1\n"
    let message = error.errorDescription ?? ""
    #expect(message.count < InputError.foundLimit + 200)
    #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
    #expect(message.contains("k\\0ey: expected a\\tvalue; found x\\0\\u{1B}[2J"))
    #expect(message.contains("… (cut: 12000000 characters in all) (with the drawn values a = 1\\n)"))
    error.found += "\0"
    #expect(!error.found.contains("\0"))
    #expect(InputError(SourceLocation(file: "f"), expected: "e", found: "plain 'text'").found == "plain 'text'")
  }

  /// `quoted` names the invisible byte order mark it shows as `\u{FEFF}`.
  @Test func aByteOrderMarkInsideAValueIsNamed() {
    #expect(
      InputError.quoted("\u{FEFF}mainstream").hasPrefix(
        "'\\u{FEFF}mainstream' (\\u{FEFF} is an invisible byte order mark"))
    #expect(InputError.quoted("mainstream") == "'mainstream'")
    // A value written into a message without `quoted`: the backstop shows and names it too.
    let error = InputError(SourceLocation(file: "f.csv"), expected: "a placement", found: "'\u{FEFF}mainstream'")
    #expect(error.found == "'\\u{FEFF}mainstream'" + InputError.bomHint)
    #expect(
      InputError(SourceLocation(file: "f"), expected: "e", found: InputError.quoted("\u{FEFF}a")).found.count < 120)
  }

  /// A file two parents name under different spellings (`l2.yaml`, `../d/l2.yaml`) is one
  /// file: read once, listed once, however deep the family (twelve levels of two spellings
  /// were 4,096 readings when files were known by the path as written).
  @Test func aFileNamedTwoWaysIsReadOnce() throws {
    let tiny = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let directory = (tiny as NSString).deletingLastPathComponent
    let name = (directory as NSString).lastPathComponent
    for level in 1...12 {
      let next = level == 12 ? "tiny.yaml" : "l\(level + 1).yaml"
      let head = level == 1 ? "name: l1\n" : ""
      try (head + "extends: [\(next), ../\(name)/\(next)]\n").write(
        toFile: directory + "/l\(level).yaml", atomically: true, encoding: .utf8)
    }
    // A relative path, so that no spelling is normalised away before the files are compared.
    let cwd = FileManager.default.currentDirectoryPath
    let depth = URL(fileURLWithPath: cwd).standardizedFileURL.pathComponents.count - 1
    let relative = String(repeating: "../", count: depth) + String(directory.drop { $0 == "/" }) + "/l1.yaml"
    let start = Date()
    let source = try ScenarioLoader.loadWithSource(path: relative).source
    #expect(Date().timeIntervalSince(start) < 1)
    #expect(source.scenarioFiles.count == 13)
    #expect(Set(source.scenarioFiles.map { ($0 as NSString).lastPathComponent }).count == 13)
  }

  /// An `extends:` chain past the depth limit is refused where the last level is written,
  /// before the file beyond it is read; one at the limit loads.
  @Test func theExtendsDepthIsBounded() throws {
    let tiny = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let directory = (tiny as NSString).deletingLastPathComponent
    let limit = ScenarioLoader.maximumExtendsDepth
    for level in 0..<limit {
      let next = level == limit - 1 ? "tiny.yaml" : "l\(level + 1).yaml"
      try "extends: \(next)\n".write(toFile: directory + "/l\(level).yaml", atomically: true, encoding: .utf8)
    }
    // l0 → l1 → … → l15 → tiny: 16 levels above l0; from top, tiny is the 17th.
    #expect(try ScenarioLoader.loadWithSource(path: directory + "/l0.yaml").source.scenarioFiles.count == limit + 1)
    try "extends: l0.yaml\n".write(toFile: directory + "/top.yaml", atomically: true, encoding: .utf8)
    #expect(
      Fixtures.loadError(directory + "/top.yaml")
        == "\(directory)/l15.yaml:1:10: extends: expected at most 16 levels of extends above \(directory)/top.yaml; found 17 levels: \(directory)/top.yaml → … → \(directory)/tiny.yaml"
    )
  }

  /// A cycle too long to print by full paths within a message's `found` is printed whole by
  /// file names.
  @Test func aLongCycleIsPrintedWhole() throws {
    let tiny = try Fixtures.editedTiny("tiny.yaml") { $0 }
    let directory = (tiny as NSString).deletingLastPathComponent
    let names = (1...12).map { "a_scenario_file_with_a_long_name_\($0).yaml" }
    for (i, name) in names.enumerated() {
      try "extends: \(names[(i + 1) % names.count])\n".write(
        toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }
    let message = Fixtures.loadError(directory + "/" + names[0]) ?? ""
    #expect(message.contains("expected no cycle of extends; found a cycle of 12 files ("))
    #expect(message.hasSuffix((names + [names[0]]).joined(separator: " → ") + ")"))
  }

  /// More needs than the bound is refused at the first row over it, with the memory stated.
  @Test func aTaxonomyIsBounded() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-taxonomy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let placements = directory.appendingPathComponent("placements.csv").path
    let needs = directory.appendingPathComponent("needs.csv").path
    try "id,label,group,location\nms,Mainstream,mainstream,in_borough\n".write(
      toFile: placements, atomically: true, encoding: .utf8)
    try ("id,label\n" + (1...51).map { "n\($0),Need \($0)\n" }.joined()).write(
      toFile: needs, atomically: true, encoding: .utf8)
    #expect(
      throws: InputError(
        SourceLocation(file: needs, line: 52),
        expected:
          "at most 50 needs (the state holds 26 ages × placements × needs numbers for every year: about 132 MB at the bounds)",
        found: "51 needs (with 1 placements, a 40-year run would need about 1 MB)")
    ) { try Taxonomy.load(placementsPath: placements, needsPath: needs) }
    // The estimate at the bounds, and the case the issue found (1,500 × 1,500 took 12 GB).
    #expect(abs(Taxonomy.estimatedBytes(placements: 100, needs: 50, horizonYears: 40) - 132e6) < 1e6)
    #expect(Taxonomy.estimatedBytes(placements: 1500, needs: 1500, horizonYears: 10) > 12e9)
  }

  /// CR-only line ends (Excel for Mac) end a row, as LF and CRLF do, and lines are counted.
  @Test func crOnlyLineEndsEndARow() throws {
    let table = try CSVTable.parse("a,b\r1,\"x\ry\"\r\r3,4\r", file: "f.csv", columns: ["a", "b"])
    #expect(table.rows.map(\.line) == [2, 5])
    #expect(table.rows[0].string("b") == "x\ry")
    #expect(InputFile.location(ofByte: 7, in: Data("ab\rcd\r\nef".utf8), file: "f").description == "f:3:1")
  }

  /// The hint for an encoding fits the kind of file: a YAML file is saved as UTF-8 text, not
  /// as Excel's CSV; a NUL byte is refused where it is.
  @Test func encodingHintsFitTheFile() {
    let utf16 = Data([0xFF, 0xFE]) + (("name: x\n").data(using: .utf16LittleEndian) ?? Data())
    #expect(
      throws: InputError(
        SourceLocation(file: "s.yaml", line: 1, column: 1), expected: "UTF-8 text",
        found: "UTF-16 text: save it as UTF-8 text")
    ) { try InputFile.decode(utf16, file: "s.yaml", what: "scenario file") }
    let withoutMark = ("name: x\n").data(using: .utf16LittleEndian) ?? Data()
    #expect(
      throws: InputError(
        SourceLocation(file: "s.yaml", line: 1, column: 2), expected: "UTF-8 text",
        found:
          "a NUL byte (0x00) (UTF-16 text without a byte order mark, or not a text file? save it as UTF-8 text)")
    ) { try InputFile.decode(withoutMark, file: "s.yaml", what: "scenario file") }
  }
}
