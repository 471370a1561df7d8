import Foundation

/// `manifest.json` of a goal seek or a sensitivity analysis: the command, the inputs and their
/// hashes, the method and its settings, the files written.
public enum AnalysisManifest {
  /// The manifest of an analysis of the scenarios that came from `sources`: its `settings` are
  /// written at the top level beside the inputs and outputs.
  public static func manifest(
    command: String, sources: [ScenarioSource], settings: [String: JSONValue], outputs: [String]
  ) throws -> Manifest {
    var manifest = Manifest(command: command, outputs: outputs)
    manifest.inputSHA256 = try Manifest.inputHashes(sources.flatMap(\.files))
    manifest.scenarios = sources.map(Manifest.scenario)
    manifest.settings = settings
    return manifest
  }

  /// A CSV file's text from a header and rows (quoted where needed).
  public static func csv(header: [String], rows: [[String]]) -> String {
    var w = CSVWriter(header: header)
    for r in rows { w.row(r) }
    return w.text
  }
}
