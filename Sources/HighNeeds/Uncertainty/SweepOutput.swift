import Foundation

/// What a sweep was asked for: everything that decides its numbers.
public struct SweepSettings: Sendable, Equatable, Codable {
  public var scenarioPaths: [String]
  public var draws: Int
  public var seed: UInt64
  /// Deficit thresholds in pounds for `exceedance.csv`.
  public var thresholdsGBP: [Double]

  public init(scenarioPaths: [String], draws: Int, seed: UInt64, thresholdsGBP: [Double]) {
    self.scenarioPaths = scenarioPaths
    self.draws = draws
    self.seed = seed
    self.thresholdsGBP = thresholdsGBP
  }

  /// The command that produces the whole sweep (without `--out` or `--shard`), so that sharded
  /// and unsharded runs write the same manifest.
  public var command: String {
    (["hnb", "sweep"] + scenarioPaths + ["--draws", String(draws), "--seed", String(seed)]
      + thresholdsGBP.flatMap { ["--threshold", CSVWriter.fixed($0, 0)] }).joined(separator: " ")
  }
}

/// The files of a finished sweep: `percentiles.csv`, `exceedance.csv` and `manifest.json`.
public enum SweepOutput {
  /// Builds the files from every scenario's draws (`rows[s][d]`, in draw order).
  public static func files(settings: SweepSettings, scenarios: [Scenario], rows: [[[Double]]]) throws -> [String:
    String]
  {
    var percentiles = ""
    var exceedance = ""
    for (k, (s, r)) in zip(scenarios, rows).enumerated() {
      var p = SweepSummary.percentilesCSV(scenario: s, rows: r)
      var e = SweepSummary.exceedanceCSV(scenario: s, rows: r, thresholdsGBP: settings.thresholdsGBP)
      if k > 0 {
        // One header per file.
        p = String(p.drop { $0 != "\n" }.dropFirst())
        e = String(e.drop { $0 != "\n" }.dropFirst())
      }
      percentiles += p
      exceedance += e
    }
    let names = ["percentiles.csv", "exceedance.csv", "manifest.json"]
    return [
      "percentiles.csv": percentiles, "exceedance.csv": exceedance,
      "manifest.json": try manifest(settings: settings, scenarios: scenarios, outputs: names),
    ]
  }

  /// Every scenario and input file of `scenarios` (display path) → its SHA-256 now.
  public static func inputHashes(_ scenarios: [Scenario]) throws -> [String: String] {
    var hashes: [String: String] = [:]
    for file in Set(scenarios.flatMap { $0.scenarioFiles + $0.inputFiles }) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError(SourceLocation(file: file), expected: "a readable input file", found: "it gone while running")
      }
      hashes[Manifest.displayPath(file)] = SHA256.hex(data)
    }
    return hashes
  }

  /// `manifest.json` of a sweep: inputs and their hashes, seed, draws and methods.
  static func manifest(settings: SweepSettings, scenarios: [Scenario], outputs: [String]) throws -> String {
    let hashes = try inputHashes(scenarios)
    let described: [[String: Any]] = scenarios.map { s in
      [
        "name": s.name,
        "files": s.scenarioFiles.map(Manifest.displayPath),
        "resolved": Manifest.resolvedJSON(s.resolvedTree, keyPath: []),
        "uncertain_inputs": s.uncertainty.inputs.map {
          "\($0.id): \($0.targetName), \($0.perYear ? "per_year" : "once")"
        },
      ]
    }
    let manifest: [String: Any] = [
      "tool": "hnb",
      "tool_version": toolVersion,
      "command": settings.command,
      "seed": String(settings.seed),
      "draws": settings.draws,
      "generator": "Philox4x32-10; draw i uses counter (i, stream, k): identical whatever the batch, threads or shards",
      "percentile_method":
        "exact order statistics of all draws, Hyndman-Fan type 7 (linear interpolation); mean and sd (n-1) summed in draw order",
      "input_sha256": hashes,
      "scenarios": described,
      "outputs": outputs.sorted(),
    ]
    let data = try JSONSerialization.data(
      withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return (String(data: data, encoding: .utf8) ?? "{}") + "\n"
  }
}
