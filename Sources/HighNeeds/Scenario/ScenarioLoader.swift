import Foundation

/// Reads a scenario YAML file (following `extends:`) and its CSV inputs into `ScenarioInputs`,
/// and resolves them into a `Scenario`; beside either, where it came from (`ScenarioSource`).
///
/// All file reading happens here and in `ScenarioParser`; `ScenarioResolver` and the engine
/// never read a file. The engine's values carry no provenance: a command keeps the source of
/// what it loaded (`loadWithSource`) and hands it to the writers.
public enum ScenarioLoader {
  /// Most levels of `extends:` above the scenario named on the command line (its parent is
  /// level 1, the parent's parent level 2, …).
  public static let maximumExtendsDepth = 16
  /// Most files in one scenario's family (the scenario and every file it extends, directly or
  /// not, each counted once).
  public static let maximumFamilyFiles = 64

  /// Reads, validates and resolves the scenario at `path`, with the plausibility alerts of
  /// what it read: the scenario alone, for the engine.
  public static func load(path: String) throws -> Scenario {
    try loadWithSource(path: path).scenario
  }

  /// Reads, validates and resolves the scenario at `path` (with the plausibility alerts of
  /// what it read), and where it came from.
  public static func loadWithSource(path: String) throws -> LoadedScenario {
    let parsed = try parseWithSource(path: path)
    let inputs = parsed.inputs
    var scenario = try ScenarioResolver.resolve(inputs)
    scenario.alerts =
      (scenario.alerts
      + PlausibilityChecks.alerts(
        scenario, populationFile: inputs.caseload.population.file,
        incidenceFile: inputs.caseload.incidence?.file ?? inputs.caseload.pipeline?.requests.file ?? ""))
      .sorted()
    return LoadedScenario(scenario: scenario, source: parsed.source)
  }

  /// Reads the scenario at `path` and the files it names into `ScenarioInputs`, each value
  /// checked as written: the inputs alone, for the engine.
  public static func parse(path: String) throws -> ScenarioInputs {
    try parseWithSource(path: path).inputs
  }

  /// Reads the scenario at `path` and the files it names into `ScenarioInputs`, each value
  /// checked as written, and where they came from.
  public static func parseWithSource(path: String) throws -> ParsedScenario {
    var family = ScenarioFamily(root: (path as NSString).standardizingPath)
    try family.collect(path: family.rootPath, real: InputFile.realPath(family.rootPath), chain: [])
    let order = family.order
    guard let root = order.last else {
      throw InputError(SourceLocation(file: path), expected: "a scenario file", found: "nothing")
    }
    // Each file's own keys are merged once, ancestors first, so an override in one parent is
    // not undone by a second parent that shares an ancestor with it.
    var merged: YAMLTree = .mapping([], root.tree.location)
    for file in order { merged = merged.merged(with: file.tree) }
    var parser = ScenarioParser(tree: merged, files: order.reversed().map(\.path))
    return try parser.parse()
  }

  /// The built-in SEN2 taxonomy files.
  package static var defaultTaxonomyPaths: (placements: String, needs: String)? {
    guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else { return nil }
    return (
      url.appendingPathComponent("taxonomy/placements.csv").path,
      url.appendingPathComponent("taxonomy/needs.csv").path
    )
  }
}

/// The files of one scenario's family: the scenario named on the command line and every file
/// it extends, read once each and kept ancestors first.
///
/// A file is known by its real path (every symbolic link and `..` resolved), so a cycle is
/// found however its paths are written, and a file two parents share is read once. An
/// `extends:` path must pass `InputFile.confinedScenarioPath`: it stays inside the directory
/// of the scenario named on the command line or directly in the directory above it (or, for a
/// parent outside that directory, inside the parent's own directory).
struct ScenarioFamily {
  /// The scenario named on the command line, as named.
  let rootPath: String
  /// Its directory, and that directory's parent (real paths).
  let home: String
  let parentHome: String
  /// Each file with its own keys and without `extends`, ancestors first.
  var order: [(path: String, tree: YAMLTree)] = []
  /// Real paths of the files in `order`.
  var done: Set<String> = []

  init(root: String) {
    rootPath = root
    let directory = (root as NSString).deletingLastPathComponent
    home = InputFile.realPath(directory.isEmpty ? "." : directory)
    parentHome = (home as NSString).deletingLastPathComponent
  }

  /// Appends `path`'s ancestors (depth first, in the order listed, each file once), then `path`.
  ///
  /// `chain` is the files extending it, the command line's first, each with the place of its
  /// `extends:` entry that leads on.
  mutating func collect(
    path: String, real: String, chain: [(path: String, real: String, entry: SourceLocation)]
  ) throws {
    if let start = chain.firstIndex(where: { $0.real == real }) {
      // The loop as named when it fits a message's `found`; a longer one by file names, whole.
      let loop = chain[start...].map(\.path) + [path]
      let full = loop.joined(separator: " → ")
      var error = InputError(
        SourceLocation(file: path), key: "extends", expected: "no cycle of extends",
        found: full.count <= InputError.foundLimit ? full : "a cycle of \(loop.count - 1) files")
      if full.count > InputError.foundLimit {
        error.note = loop.map { ($0 as NSString).lastPathComponent }.joined(separator: " → ")
      }
      throw error
    }
    if done.contains(real) { return }
    let entry = chain.last?.entry ?? SourceLocation(file: path)
    if chain.count > ScenarioLoader.maximumExtendsDepth {
      throw InputError(
        entry, key: "extends",
        expected: "at most \(ScenarioLoader.maximumExtendsDepth) levels of extends above \(rootPath)",
        found: "\(chain.count) levels: \(rootPath) → … → \(path)")
    }
    if done.count + chain.count >= ScenarioLoader.maximumFamilyFiles {
      throw InputError(
        entry, key: "extends",
        expected:
          "at most \(ScenarioLoader.maximumFamilyFiles) files in the family of \(rootPath) (it and every file it extends)",
        found: "more, reading \(path)")
    }
    let text = try InputFile.text(path, what: "scenario file", reading: chain.isEmpty ? path : real)
    let tree = try YAMLTree.parse(text, file: path)
    guard case .mapping(var pairs, let location) = tree else {
      let empty = text.allSatisfy { $0.isWhitespace || $0 == "\u{FEFF}" }
      let kind: String
      switch tree {
      case .scalar: kind = "a single value (is this a scenario file?)"
      default: kind = tree.kindDescription
      }
      throw InputError(tree.location, expected: "a map of scenario keys", found: empty ? "an empty file" : kind)
    }
    var parents: [(String, SourceLocation)] = []
    if let index = pairs.firstIndex(where: { $0.key == "extends" }) {
      switch pairs[index].value {
      case .scalar(let parent, let l):
        parents = [(parent, l)]
      case .sequence(let items, let l):
        if items.count > ScenarioLoader.maximumFamilyFiles {
          throw InputError(
            l, key: "extends",
            expected: "at most \(ScenarioLoader.maximumFamilyFiles) files in the family of \(rootPath)",
            found: "a list of \(items.count)")
        }
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
      let parentReal = try InputFile.confinedScenarioPath(parent, at: l, home: home, parentHome: parentHome)
      try collect(
        path: resolvePath(parent, relativeTo: path), real: parentReal, chain: chain + [(path, real, l)])
    }
    order.append((path, .mapping(pairs, location)))
    done.insert(real)
  }
}
