import Foundation
import Testing

/// Golden files: outputs checked in under `Tests/golden/` that a test compares byte for byte.
public enum Golden {
  /// The environment variable that switches the tests to writing golden files.
  public static let updateVariable = "HNB_UPDATE_GOLDEN"

  /// Whether this run writes golden files (`HNB_UPDATE_GOLDEN=1`) instead of comparing with them.
  public static var isUpdating: Bool { ProcessInfo.processInfo.environment[updateVariable] == "1" }
}

/// Checks that `actual` is the text of the golden file at `golden`.
///
/// In update mode (`update`, by default `HNB_UPDATE_GOLDEN=1`), or when the file does not exist
/// yet, it writes `actual` to the file and records an issue saying so: a written golden file
/// must be read by hand before it is committed, so a run that wrote one never passes (as
/// swift-argument-parser's `assertSnapshot` does). Otherwise a difference records an issue
/// naming the first line that differs.
public func expectGolden(
  _ actual: String, file golden: URL, update: Bool = Golden.isUpdating,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let exists = FileManager.default.fileExists(atPath: golden.path)
  if update || !exists {
    try FileManager.default.createDirectory(
      at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
    try actual.write(to: golden, atomically: true, encoding: .utf8)
    let why = update ? "\(Golden.updateVariable)=1" : "there was none"
    Issue.record(
      Comment(
        rawValue:
          "wrote the golden file \(golden.path) (\(why)): review the change (git diff) and run the tests again without \(Golden.updateVariable)"
      ), sourceLocation: sourceLocation)
    return
  }
  let expected = try String(contentsOf: golden, encoding: .utf8)
  guard actual != expected else { return }
  // Lines without the empty one after a final line end, so a missing last line is "the end of the text".
  func lines(_ text: String) -> [String] {
    let all = text.components(separatedBy: "\n")
    return all.last == "" ? Array(all.dropLast()) : all
  }
  let found = lines(actual)
  let wanted = lines(expected)
  let line =
    zip(found, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    ?? min(found.count, wanted.count)
  func text(_ lines: [String]) -> String { line < lines.count ? "\"\(lines[line])\"" : "the end of the text" }
  let difference =
    found == wanted
    ? "in the line end at the end of the text"
    : "at line \(line + 1): expected \(text(wanted)); found \(text(found))"
  Issue.record(
    Comment(
      rawValue:
        "differs from the golden file \(golden.path) \(difference). If the change is intended, run the tests with \(Golden.updateVariable)=1, review the diff and commit it"
    ), sourceLocation: sourceLocation)
}
