import Foundation

/// Reads a scenario YAML file (following `extends:`) and its CSV inputs into a `Scenario`.
///
/// All file reading and input checking happens here; the engine never reads a file.
public enum ScenarioLoader {
  /// Reads and validates the scenario at `path`.
  public static func load(path: String) throws -> Scenario {
    var order: [(path: String, tree: YAMLTree)] = []
    try collect(path: (path as NSString).standardizingPath, visiting: [], into: &order)
    guard let root = order.last else {
      throw InputError(SourceLocation(file: path), expected: "a scenario file", found: "nothing")
    }
    // Each file's own keys are merged once, ancestors first, so an override in one parent is
    // not undone by a second parent that shares an ancestor with it.
    var merged: YAMLTree = .mapping([], root.tree.location)
    for file in order { merged = merged.merged(with: file.tree) }
    var builder = ScenarioBuilder(tree: merged, files: order.reversed().map(\.path))
    return try builder.build()
  }

  /// `scenario` built again from its merged file with the numbers in `overrides` (by key path)
  /// in place of the values written, then the changes `hnb goalseek` made to it made again.
  ///
  /// This is one draw of the numbers written with a `distribution:`. A value the file refuses
  /// (a trend that pushes a rate above 1, say) is an input error naming the draw's values.
  /// CSV inputs are read once per `memo` (share one across the draws of a sweep).
  public static func rebuild(_ scenario: Scenario, overrides: [String: Double], memo: InputMemo) throws -> Scenario {
    var builder = ScenarioBuilder(tree: scenario.resolvedTree, files: scenario.scenarioFiles)
    builder.log.overrides = overrides
    builder.log.memo = memo
    var s: Scenario
    do {
      s = try builder.build()
    } catch var error as InputError {
      let drawn = overrides.sorted { $0.key < $1.key }.map { "\($0.key) = \(format($0.value))" }
      error.found += " (with the drawn values \(drawn.joined(separator: ", ")))"
      throw error
    }
    for adjustment in scenario.adjustments { s = adjustment.variable.applied(adjustment.value, to: s) }
    s.uncertainty = scenario.uncertainty
    s.censusAgeAlertYears = scenario.censusAgeAlertYears
    return s
  }

  /// Appends `path`'s ancestors (depth first, in the order listed, each file once) and then
  /// `path` itself, each with its own keys and without `extends`.
  static func collect(path: String, visiting: [String], into order: inout [(path: String, tree: YAMLTree)]) throws {
    if visiting.contains(path) {
      throw InputError(
        SourceLocation(file: path), key: "extends", expected: "no cycle of extends",
        found: (visiting + [path]).joined(separator: " → "))
    }
    if order.contains(where: { $0.path == path }) { return }
    let text = try InputFile.text(path, what: "scenario file")
    let tree = try YAMLTree.parse(text, file: path)
    guard case .mapping(var pairs, let location) = tree else {
      let empty = text.allSatisfy { $0.isWhitespace || $0 == "\u{FEFF}" }
      throw InputError(
        tree.location, expected: "a map of scenario keys", found: empty ? "an empty file" : tree.kindDescription)
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
    for (parent, l) in parents {
      let parentPath = resolvePath(parent, relativeTo: path)
      guard FileManager.default.fileExists(atPath: parentPath) else {
        throw InputError(l, key: "extends", expected: "an existing scenario file", found: "'\(parent)'")
      }
      try collect(path: parentPath, visiting: visiting + [path], into: &order)
    }
    order.append((path, .mapping(pairs, location)))
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
