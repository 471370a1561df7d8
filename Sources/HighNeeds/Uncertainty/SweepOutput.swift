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
      + thresholdsGBP.flatMap { ["--threshold", NumberFormat.fixed($0, 0)] }).joined(separator: " ")
  }
}

/// The files of a finished sweep: `percentiles.csv`, `exceedance.csv` and `manifest.json`.
public enum SweepOutput {
  /// Builds the files from every scenario's draws (`rows[s][d]`, in draw order); the
  /// manifest records `asOf`, the scenarios' data vintage and where they came from.
  public static func files(
    settings: SweepSettings, scenarios: [LoadedScenario], rows: [[[Double]]], asOf: CalendarDate
  ) throws -> [String: String] {
    var percentiles = ""
    var exceedance = ""
    for (k, (s, r)) in zip(scenarios.map(\.scenario), rows).enumerated() {
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
      "manifest.json": try DataVintage.annotate(
        try manifest(settings: settings, scenarios: scenarios, outputs: names), scenarios: scenarios.map(\.scenario),
        asOf: asOf
      ).text(),
    ]
  }

  /// Every scenario and input file of `sources` (display path) → its SHA-256 now.
  public static func inputHashes(_ sources: [ScenarioSource]) throws -> [String: String] {
    try Manifest.inputHashes(sources.flatMap(\.files))
  }

  /// `manifest.json` of a sweep: inputs and their hashes, seed, draws and methods.
  static func manifest(settings: SweepSettings, scenarios: [LoadedScenario], outputs: [String]) throws -> Manifest {
    var manifest = Manifest(command: settings.command, outputs: outputs)
    manifest.inputSHA256 = try inputHashes(scenarios.map(\.source))
    manifest.scenarios = scenarios.map { loaded in
      var entry = Manifest.scenario(loaded.source)
      entry.uncertainInputs = loaded.scenario.uncertainty.inputs.map {
        "\($0.id): \($0.targetName), \($0.perYear ? "per_year" : "once")"
      }
      return entry
    }
    manifest.seed = .string(String(settings.seed))
    manifest.draws = settings.draws
    manifest.generator =
      "Philox4x32-10; draw i uses counter (i, stream, k): identical whatever the batch, threads or shards"
    manifest.percentileMethod =
      "exact order statistics of all draws, Hyndman-Fan type 7 (linear interpolation); mean and sd (n-1) summed in draw order"
    return manifest
  }
}
