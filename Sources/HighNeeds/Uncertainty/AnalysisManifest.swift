import Foundation

/// `manifest.json` of a goal seek or a sensitivity analysis: the command, the inputs and their
/// hashes, the method and its settings, the files written.
public enum AnalysisManifest {
  /// Builds the manifest text; `settings` are written as given (strings, numbers, arrays).
  public static func json(command: String, scenarios: [Scenario], settings: [String: Any], outputs: [String]) throws
    -> String
  {
    var hashes: [String: String] = [:]
    for file in Set(scenarios.flatMap { $0.scenarioFiles + $0.inputFiles }) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError(SourceLocation(file: file), expected: "a readable input file", found: "it gone while running")
      }
      hashes[Manifest.displayPath(file)] = SHA256.hex(data)
    }
    var manifest: [String: Any] = [
      "tool": "hnb",
      "tool_version": toolVersion,
      "command": command,
      "input_sha256": hashes,
      "scenarios": scenarios.map { s in
        [
          "name": s.name, "files": s.scenarioFiles.map(Manifest.displayPath),
          "resolved": Manifest.resolvedJSON(s.resolvedTree, keyPath: []),
        ] as [String: Any]
      },
      "outputs": outputs.sorted(),
    ]
    for (key, value) in settings { manifest[key] = value }
    let data = try JSONSerialization.data(
      withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
  }

  /// A CSV file's text from a header and rows (quoted where needed).
  public static func csv(header: [String], rows: [[String]]) -> String {
    var w = CSVWriter(header: header)
    for r in rows { w.row(r) }
    return w.text
  }
}
