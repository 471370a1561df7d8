import Foundation
import Testing

/// The core target (`HighNeedsCore`) reads no file: it has no Yams (the package gives it none,
/// so an import would not compile) and, checked here, no file-system call in its sources.
@Suite struct CoreTargetTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The core's source files, from the `highNeedsCore` list in Package.swift.
  static func coreFiles() throws -> [URL] {
    let manifest = try String(contentsOf: repository.appendingPathComponent("Package.swift"), encoding: .utf8)
    let start = try #require(manifest.range(of: "let highNeedsCore = ["))
    let end = try #require(manifest.range(of: "]", range: start.upperBound..<manifest.endIndex))
    let entries = manifest[start.upperBound..<end.lowerBound].split(separator: "\"").enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    let root = repository.appendingPathComponent("Sources/HighNeeds")
    var files: [URL] = []
    for entry in entries {
      let url = root.appendingPathComponent(entry)
      if entry.hasSuffix(".swift") {
        files.append(url)
      } else {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".swift") }
        files += names.map { url.appendingPathComponent($0) }
      }
    }
    return files
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
