import Foundation

/// Reads a scenario YAML file (following `extends:`) and its CSV inputs into a `Scenario`.
///
/// All file reading and input checking happens here; the engine never reads a file.
public enum ScenarioLoader {
  /// Reads and validates the scenario at `path`.
  public static func load(path: String) throws -> Scenario {
    var chain: [String] = []
    let tree = try mergedTree(path: (path as NSString).standardizingPath, visiting: [], files: &chain)
    var builder = ScenarioBuilder(tree: tree, files: chain)
    return try builder.build()
  }

  /// The YAML tree of `path` with its parents merged beneath it and `extends` removed.
  static func mergedTree(path: String, visiting: [String], files: inout [String]) throws -> YAMLTree {
    if visiting.contains(path) {
      throw InputError(
        SourceLocation(file: path), key: "extends", expected: "no cycle of extends",
        found: (visiting + [path]).joined(separator: " → "))
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
    else {
      throw InputError(SourceLocation(file: path), expected: "a readable scenario file", found: "no such file")
    }
    if !files.contains(path) { files.append(path) }
    let tree = try YAMLTree.parse(text, file: path)
    guard case .mapping(var pairs, let location) = tree else {
      throw InputError(tree.location, expected: "a map of scenario keys", found: tree.kindDescription)
    }
    var parents: [(String, SourceLocation)] = []
    if let index = pairs.firstIndex(where: { $0.key == "extends" }) {
      switch pairs[index].value {
      case .scalar(let parent, let l):
        parents = [(parent, l)]
      case .sequence(let items, _):
        for item in items {
          guard case .scalar(let parent, let l) = item else {
            throw InputError(item.location, key: "extends", expected: "a path", found: item.kindDescription)
          }
          parents.append((parent, l))
        }
      default:
        throw InputError(
          pairs[index].value.location, key: "extends", expected: "a path or a list of paths",
          found: pairs[index].value.kindDescription)
      }
      pairs.remove(at: index)
    }
    var merged: YAMLTree = .mapping([], location)
    for (parent, l) in parents {
      let parentPath = resolvePath(parent, relativeTo: path)
      guard FileManager.default.fileExists(atPath: parentPath) else {
        throw InputError(l, key: "extends", expected: "an existing scenario file", found: "'\(parent)'")
      }
      merged = merged.merged(with: try mergedTree(path: parentPath, visiting: visiting + [path], files: &files))
    }
    return merged.merged(with: .mapping(pairs, location))
  }

  /// The built-in SEN2 taxonomy files.
  static var defaultTaxonomyPaths: (placements: String, needs: String)? {
    guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else { return nil }
    return (
      url.appendingPathComponent("taxonomy/placements.csv").path,
      url.appendingPathComponent("taxonomy/needs.csv").path
    )
  }
}
