import Foundation
import Testing

/// The targets are layers: core ← I/O (`HighNeeds`) ← report ← commands ← `hnb`, each importing
/// only the modules below it that Package.swift gives it.
///
/// An import that points up a layer is a compile error already (it makes a cycle). What the
/// compiler lets through is an import of a module the target does not declare: SwiftPM puts every
/// built module on the search path, so the report importing ArgumentParser, or the core importing
/// a module of another target, builds whenever that module happens to be built first. This test
/// refuses such an import, and a target in Sources/ whose layer is not stated here.
@Suite struct TargetLayeringTests {
  /// What each target's sources may import, besides the system's modules: the project's targets
  /// below it and the packages and system libraries it declares in Package.swift.
  static let layers: [String: Set<String>] = [
    "HighNeedsCore": ["CBLAS", "CLAPACKE", "CKernels"],
    "HighNeeds": ["HighNeedsCore", "CLAPACKE", "Yams"],
    "HighNeedsReport": ["HighNeedsCore", "HighNeeds", "CXLSXWriter"],
    "HighNeedsCommands": ["HighNeedsCore", "HighNeeds", "HighNeedsReport", "CBLAS"],
    "hnb": ["HighNeedsCommands", "ArgumentParser"],
  ]

  /// Modules of the platform that any target may import.
  static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin"]

  static let sources = CoreTargetTests.repository.appendingPathComponent("Sources")

  /// The module an `import` line names (`import X`, `@_exported import X`,
  /// `package import struct X.Y`, …), or nil for any other line.
  static func importedModule(_ line: String) -> String? {
    var words = line.split(whereSeparator: \.isWhitespace).map(String.init)[...]
    while let first = words.first, first.hasPrefix("@") || Self.modifiers.contains(first) { words.removeFirst() }
    guard words.first == "import" else { return nil }
    words.removeFirst()
    if let kind = words.first, Self.importKinds.contains(kind) { words.removeFirst() }
    return words.first.map { String($0.prefix { $0 != "." }) }
  }

  static let modifiers: Set<String> = ["public", "package", "internal", "fileprivate", "private"]
  static let importKinds: Set<String> = ["typealias", "struct", "class", "enum", "protocol", "let", "var", "func"]

  /// Each module imported by the Swift files of `target`, with the files that import it.
  static func imports(of target: String) throws -> [String: [String]] {
    let root = sources.appendingPathComponent(target)
    let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".swift") }
    var found: [String: [String]] = [:]
    for path in paths.sorted() {
      let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
      for line in text.split(separator: "\n") {
        if let module = importedModule(String(line)) { found[module, default: []].append(path) }
      }
    }
    return found
  }

  @Test func importLinesAreRead() {
    #expect(Self.importedModule("import Foundation") == "Foundation")
    #expect(Self.importedModule("@_exported import HighNeedsCore") == "HighNeedsCore")
    #expect(Self.importedModule("  package import struct Yams.Node") == "Yams")
    #expect(Self.importedModule("@preconcurrency internal import Dispatch") == "Dispatch")
    #expect(Self.importedModule("/// import Yams, in a comment") == nil)
    #expect(Self.importedModule("let imported = 1") == nil)
  }

  @Test func everySwiftTargetHasItsLayerStated() throws {
    let folders = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
    let swiftTargets = try folders.filter { folder in
      let files = try FileManager.default.subpathsOfDirectory(atPath: Self.sources.appendingPathComponent(folder).path)
      return files.contains { $0.hasSuffix(".swift") }
    }
    #expect(Set(swiftTargets) == Set(Self.layers.keys))
  }

  @Test(arguments: ["HighNeedsCore", "HighNeeds", "HighNeedsReport", "HighNeedsCommands", "hnb"])
  func aTargetImportsOnlyTheLayersBelowIt(_ target: String) throws {
    let found = try Self.imports(of: target)
    #expect(found["Foundation"] != nil, "no import read in Sources/\(target)")
    let allowed = try #require(Self.layers[target]).union(Self.system)
    for (module, files) in found.sorted(by: { $0.key < $1.key }) where !allowed.contains(module) {
      Issue.record("Sources/\(target)/\(files[0]) imports \(module), which is not below \(target)")
    }
  }

  /// The modules each layer is seen to import: the reading above finds the project's imports.
  @Test func theUpperLayersImportTheOnesBelow() throws {
    #expect(try Self.imports(of: "HighNeedsReport")["HighNeeds"] != nil)
    #expect(try Self.imports(of: "HighNeedsCommands")["HighNeedsReport"] != nil)
    #expect(try Self.imports(of: "hnb")["HighNeedsCommands"] != nil)
  }
}
