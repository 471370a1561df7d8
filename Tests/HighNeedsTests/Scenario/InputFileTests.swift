import Foundation
import Testing

@testable import HighNeeds

/// The pieces of the path policy and the data-sunset rule that the end-to-end catalogue does
/// not reach one by one.
@Suite struct InputFileTests {
  @Test(arguments: [
    ("data/x.csv", "data/x.csv"), ("./data/../data/x.csv", "data/x.csv"), ("../x.csv", "../x.csv"),
    ("a/../../x.csv", "../x.csv"), ("/a/b/../../../etc/passwd", "/etc/passwd"), ("a//b/./c", "a/b/c"),
    ("", ""),
  ])
  func lexicalNormalizationFollowsNoLinks(_ input: String, _ expected: String) {
    #expect(InputFile.lexical(input) == expected)
  }

  @Test func aPathThatClimbsOutIsRefusedBeforeItIsLookedFor() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-if-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("a\n".utf8).write(to: directory.appendingPathComponent("data/x.csv"))
    let yaml = SourceLocation(file: directory.appendingPathComponent("s.yaml").path, line: 3, column: 5)
    #expect(try InputFile.confinedPath("data/x.csv", at: yaml, key: "k") == directory.path + "/data/x.csv")
    #expect(try InputFile.confinedPath("data/../data/x.csv", at: yaml, key: "k") == directory.path + "/data/x.csv")
    for bad in ["../s.yaml", "data/../../x.csv", "/etc/passwd", "~/x.csv", ""] {
      #expect(throws: InputError.self) { try InputFile.confinedPath(bad, at: yaml, key: "k") }
    }
  }

  @Test func undecodableBytesAreLocated() {
    let data = Data("ab\ncd".utf8) + Data([0xE9]) + Data("f\n".utf8)
    #expect(
      throws: InputError(
        SourceLocation(file: "f.csv", line: 2, column: 3), expected: "UTF-8 text",
        found: "the byte 0xE9 (Latin-1 or Windows-1252 text? save the file as UTF-8, e.g. Excel's 'CSV UTF-8')")
    ) {
      try InputFile.decode(data, file: "f.csv", what: "CSV file")
    }
  }

  @Test(arguments: [
    ("2024-02-29", true), ("2025-02-29", false), ("2025-13-01", false), ("2025-1-01", false), ("2025-04-31", false),
    ("2026-01-15", true), ("26-01-15", false), ("2026-01-15T00:00", false),
  ])
  func asOfDatesMustBeRealDates(_ text: String, _ valid: Bool) {
    #expect((CalendarDate(text) != nil) == valid)
    if valid { #expect(CalendarDate(text)?.description == text) }
  }
}
