import Foundation

/// The version of the toolkit, written into every manifest.
public let toolVersion = "0.1.0"

/// `manifest.json`: what produced a set of outputs, so that a reader can reproduce them.
public enum Manifest {
  /// JSON text (sorted keys) describing `results`, the command that made them and its inputs.
  public static func json(command: String, results: [ScenarioResult], outputs: [String]) throws -> String {
    var files: Set<String> = []
    for r in results { files.formUnion(r.scenario.scenarioFiles + r.scenario.inputFiles) }
    var hashes: [String: String] = [:]
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError(SourceLocation(file: file), expected: "a readable input file", found: "it gone while running")
      }
      hashes[displayPath(file)] = SHA256.hex(data)
    }
    var rows: [String: Any] = [:]
    for r in results {
      for (file, count) in r.scenario.inputRows {
        rows[displayPath(file)] = ["data_rows_read": count.read, "data_rows_not_used": count.unused]
      }
    }
    let scenarios: [[String: Any]] = results.sorted { $0.scenario.name < $1.scenario.name }.map { r in
      let s = r.scenario
      return [
        "name": s.name,
        "title": s.title,
        "kind": s.isBase ? "base (unmitigated)" : "scenario (an assumption, not a target)",
        "files": s.scenarioFiles.map(displayPath),
        "resolved": resolvedJSON(s.resolvedTree, keyPath: []),
        "alerts": s.alerts.map(\.text),
        "price_basis": s.priceBasis,
      ]
    }
    let firstFile = results.first?.scenario.scenarioFiles.first ?? FileManager.default.currentDirectoryPath
    let manifest: [String: Any] = [
      "tool": "hnb",
      "tool_version": toolVersion,
      "command": command,
      "git": gitState(directory: (firstFile as NSString).deletingLastPathComponent, files: files.sorted()),
      "input_sha256": hashes,
      "input_rows": rows,
      "scenarios": scenarios,
      "seed": "none (the deterministic run draws no random numbers)",
      "outputs": outputs.sorted(),
      "integrity_checks":
        "passed: conservation of plans by year and placement, moves net to zero, cost lines sum to totals, the DSG corkscrew, mitigation savings reconcile",
    ]
    let data = try JSONSerialization.data(
      withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
  }

  /// Keys whose values are file paths: in the manifest they are written resolved (relative to
  /// the working directory), since after `extends:` a relative path alone does not say which
  /// file it was relative to.
  static let pathKeys: Set<String> = [
    "taxonomy.placements", "taxonomy.needs", "caseload.baseline", "caseload.population", "caseload.incidence",
    "caseload.new_plan_mix", "caseload.cessation", "caseload.transitions", "capacity.places", "costs.top_ups",
    "outturn",
  ]

  /// The merged scenario as JSON, with file paths resolved.
  static func resolvedJSON(_ tree: YAMLTree, keyPath: [String]) -> Any {
    switch tree {
    case .scalar(let text, let location):
      let dotted = keyPath.joined(separator: ".")
      let parent = keyPath.dropLast().joined(separator: ".")
      if pathKeys.contains(dotted) || (keyPath.last == "file" && pathKeys.contains(parent)) {
        return displayPath(resolvePath(text, relativeTo: location.file))
      }
      return tree.jsonValue
    case .mapping(let pairs, _):
      var dict: [String: Any] = [:]
      for pair in pairs { dict[pair.key] = resolvedJSON(pair.value, keyPath: keyPath + [pair.key]) }
      return dict
    case .sequence(let items, _):
      return items.map { resolvedJSON($0, keyPath: keyPath) }
    case .null:
      return tree.jsonValue
    }
  }

  /// A path relative to the working directory when it lies below it, so that manifests of the
  /// same run from the same checkout are identical on any machine.
  static func displayPath(_ path: String) -> String {
    if let builtIn = ScenarioLoader.defaultTaxonomyPaths,
      let name = [builtIn.placements, builtIn.needs].first(where: { $0 == path })
    {
      return "built-in:taxonomy/" + (name as NSString).lastPathComponent
    }
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
  }

  /// The commit of the repository holding the scenario, and whether any input differs from it.
  ///
  /// The two `git` commands run at the same time (each takes tens of milliseconds, most of a
  /// small run's wall time); the status counts only when there is a commit.
  static func gitState(directory: String, files: [String]) -> [String: Any] {
    let head = GitCommand(["rev-parse", "HEAD"], in: directory)
    let status = GitCommand(["status", "--porcelain", "--"] + files, in: directory)
    let statusText = status.output() ?? ""
    guard let commit = head.output()?.trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty else {
      return ["commit": "not in a git repository"]
    }
    return [
      "commit": commit,
      "inputs_modified_since_commit": !statusText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
    ]
  }

  /// One `git` command, started when made; `output()` waits for it.
  private struct GitCommand {
    let process = Process()
    let pipe = Pipe()
    let started: Bool

    init(_ arguments: [String], in directory: String) {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-C", directory.isEmpty ? "." : directory] + arguments
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      do {
        try process.run()
        started = true
      } catch {
        started = false
      }
    }

    /// The command's standard output, or nil if it could not run or failed.
    func output() -> String? {
      guard started else { return nil }
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { return nil }
      return String(data: data, encoding: .utf8)
    }
  }
}
