import Foundation
import Testing
import TestSupport

/// The test-support helpers fail when they should.
///
/// An element-wise comparison of collections of different lengths or of nothing, elements out
/// of tolerance, a golden file written or different: each failure is caught as a known issue
/// whose message must match, so a helper that stopped recording it fails here.
@Suite struct TestSupportTests {
  /// Whether `issue`'s comments contain every one of `parts`.
  static func says(_ issue: Issue, _ parts: String...) -> Bool {
    let text = issue.comments.map(\.rawValue).joined(separator: "\n")
    return parts.allSatisfy { text.contains($0) }
  }

  @Test func elementwiseFailsWhenOneSideIsShorterOrEmpty() {
    withKnownIssue {
      expectElementwise([1.0, 2, 3], [1.0, 2], absoluteTolerance: 1e-9)
    } matching: {
      Self.says($0, "3 elements against 2 expected")
    }
    withKnownIssue {
      expectElementwise([Double](), [1.0], "seed 7")
    } matching: {
      Self.says($0, "seed 7: 0 elements against 1 expected")
    }
    withKnownIssue {
      expectElementwise([Double](), [Double]())
    } matching: {
      Self.says($0, "no elements on either side: nothing was compared")
    }
    var pairs = 0
    withKnownIssue {
      expectElementwise(["a", "b"], ["a", "b", "c"]) { x, y in
        pairs += 1
        #expect(x == y)
      }
    } matching: {
      Self.says($0, "2 elements against 3 expected")
    }
    #expect(pairs == 2)
  }

  @Test func elementwiseAcceptsEqualCountsAndEmptyWhenAllowed() {
    expectElementwise([1.0, 2.0000001], [1.0, 2], absoluteTolerance: 1e-6)
    expectElementwise([100.0], [100.0 + 1e-10], relativeTolerance: 1e-11)
    expectElementwise([Double](), [Double](), allowEmpty: true)
    expectElementwise([Int](), [Int](), allowEmpty: true) { _, _ in Issue.record("no pair to call with") }
  }

  @Test func elementwiseNamesTheElementsOutOfTolerance() {
    withKnownIssue {
      expectElementwise([1.0, 2.5, 3, .nan], [1.0, 2, 3, .nan], absoluteTolerance: 0.1)
    } matching: {
      Self.says($0, "2 of 4 elements differ (absolute 0.1, relative 0.0)", "[1] 2.5 against 2.0", "[3] nan against nan")
    }
    // Relative tolerance scales with the larger magnitude.
    withKnownIssue {
      expectElementwise([1_000.0], [1_000.2], relativeTolerance: 1e-4)
    } matching: {
      Self.says($0, "[0] 1000.0 against 1000.2")
    }
    #expect(isClose(.infinity, .infinity))
    #expect(!isClose(.infinity, 1e308, relativeTolerance: 1))
  }

  /// A new temporary file path, in a fresh directory that the caller removes.
  static func scratchFile() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("hnb-golden-\(UUID().uuidString)")
      .appendingPathComponent("golden.md")
  }

  /// Update mode writes the file and fails the run: it never compares the file with itself.
  @Test func goldenUpdateModeWritesTheFileAndFails() throws {
    let golden = Self.scratchFile()
    defer { try? FileManager.default.removeItem(at: golden.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "| a | 1 |\n".write(to: golden, atomically: true, encoding: .utf8)
    try withKnownIssue {
      try expectGolden("| a | 2 |\n", file: golden, update: true)
    } matching: {
      Self.says($0, "wrote the golden file \(golden.path) (HNB_UPDATE_GOLDEN=1): review the change")
    }
    #expect(try String(contentsOf: golden, encoding: .utf8) == "| a | 2 |\n")
    // The next run, without update mode, compares and passes.
    try expectGolden("| a | 2 |\n", file: golden, update: false)
  }

  /// A missing golden file is written, and the run fails all the same.
  @Test func aMissingGoldenFileIsWrittenAndFails() throws {
    let golden = Self.scratchFile()
    defer { try? FileManager.default.removeItem(at: golden.deletingLastPathComponent()) }
    try withKnownIssue {
      try expectGolden("text\n", file: golden, update: false)
    } matching: {
      Self.says($0, "wrote the golden file", "(there was none)")
    }
    #expect(try String(contentsOf: golden, encoding: .utf8) == "text\n")
  }

  /// A difference names the first line that differs, both ways round, and how to update.
  @Test func aGoldenDifferenceNamesTheFirstLine() throws {
    let golden = Self.scratchFile()
    defer { try? FileManager.default.removeItem(at: golden.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
    try "# Report\n| a | 1 |\n| b | 2 |\n".write(to: golden, atomically: true, encoding: .utf8)
    try withKnownIssue {
      try expectGolden("# Report\n| a | 1 |\n| b | 3 |\n", file: golden, update: false)
    } matching: {
      Self.says($0, "at line 3: expected \"| b | 2 |\"; found \"| b | 3 |\"", "HNB_UPDATE_GOLDEN=1")
    }
    try withKnownIssue {
      try expectGolden("# Report\n| a | 1 |\n", file: golden, update: false)
    } matching: {
      Self.says($0, "at line 3: expected \"| b | 2 |\"; found the end of the text")
    }
    try withKnownIssue {
      try expectGolden("# Report\n| a | 1 |\n| b | 2 |", file: golden, update: false)
    } matching: {
      Self.says($0, "differs from the golden file \(golden.path) in the line end at the end of the text")
    }
    #expect(try String(contentsOf: golden, encoding: .utf8) == "# Report\n| a | 1 |\n| b | 2 |\n")
  }

  /// The published SplitMix64 sequence for seed 0, so the generated scenarios stay the same.
  @Test func splitMix64GivesTheReferenceSequence() {
    var rng = SplitMix64(seed: 0)
    #expect(
      [rng.next(), rng.next(), rng.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    var a = SplitMix64(seed: 42)
    var b = SplitMix64(seed: 42)
    #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
  }
}
