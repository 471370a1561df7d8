import Foundation
import Testing

/// The core target (`HighNeedsCore`) reads no file: it has no Yams (the package gives it none,
/// so an import would not compile) and, checked here, no file-system call in its sources.
@Suite struct CoreTargetTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The core's source files: every Swift file under Sources/HighNeedsCore.
  static func coreFiles() throws -> [URL] {
    let root = repository.appendingPathComponent("Sources/HighNeedsCore")
    let paths = try #require(FileManager.default.subpathsOfDirectory(atPath: root.path) as [String]?)
    return paths.filter { $0.hasSuffix(".swift") }.sorted().map { root.appendingPathComponent($0) }
  }

  @Test func theCoreReadsNoFile() throws {
    let files = try Self.coreFiles()
    #expect(files.count >= 30)
    #expect(files.contains { $0.lastPathComponent == "ScenarioResolver.swift" })
    let forbidden = [
      "import Yams", "FileManager", "FileHandle", "contentsOfFile", "contentsOf:", "fopen(", "Bundle.", "URL(fileURL",
    ]
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      for word in forbidden {
        #expect(!text.contains(word), "\(file.lastPathComponent) uses \(word)")
      }
    }
  }
}
