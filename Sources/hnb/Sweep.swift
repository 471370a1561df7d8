import ArgumentParser
import Foundation
import HighNeeds

struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run many draws of the uncertain inputs and write percentiles and exceedance probabilities.",
    discussion: """
      Draw i depends only on (seed, i). Writes percentiles.csv (metric, scenario, year, mean, sd, \
      p5…p95), exceedance.csv (probability per year that the cumulative deficit is above 1% of DSG \
      and above each --threshold) and manifest.json. With --shard k/n, runs the k-th of n slices \
      of the draws and writes them (exactly, as bit patterns) with shard.json for `hnb merge`.

      Examples:
        hnb sweep Scenarios/sutton/baseline.yaml --draws 2000 --seed 1 --out out/sweep
        hnb sweep Scenarios/sutton/baseline.yaml --draws 100000 --seed 1 --shard 3/8 --out out/shard3
      """)

  @Argument(help: "Scenario YAML files.")
  var scenarios: [String]

  @Option(help: "Number of draws.")
  var draws: Int = 1000

  @Option(help: "Seed of the counter-based generator.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("threshold"),
    help: "A cumulative deficit in pounds to report the probability of passing (repeatable).")
  var thresholds: [Double] = []

  @Option(help: "Draws advanced together (one matrix product per age); the results do not depend on it.")
  var batchSize: Int = HighNeeds.Sweep.defaultBatchSize

  @Option(help: "Run slice k of n (k = 1…n) of the draws, for `hnb merge`.")
  var shard: String?

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if scenarios.isEmpty { throw ValidationError("Give at least one scenario file.") }
    if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
    if draws < 2 { throw ValidationError("--draws must be at least 2.") }
    if let shard, parseShard(shard) == nil { throw ValidationError("--shard must be k/n with 1 ≤ k ≤ n.") }
  }

  func run() throws {
    try reportingErrors {
      let loaded = try loadScenarios(scenarios, asOf: asOf.date)
      let settings = SweepSettings(scenarioPaths: scenarios, draws: draws, seed: seed, thresholdsGBP: thresholds)
      let (k, n) = shard.flatMap(parseShard) ?? (1, 1)
      let batches = HighNeeds.Sweep.batches(draws: draws, shard: k, of: n, batchSize: batchSize)
      let progress = Progress(
        total: loaded.count
          * batches.map { HighNeeds.Sweep.drawRange(batch: $0, draws: draws, batchSize: batchSize).count }.reduce(0, +))
      var rows: [[[Double]]] = []
      for (i, s) in loaded.enumerated() {
        let done = i * progress.total / loaded.count
        rows.append(
          try HighNeeds.Sweep.run(s, seed: seed, draws: draws, batches: batches, batchSize: batchSize) {
            progress.show(done + $0)
          })
      }
      progress.finish()
      let inputs = loaded.flatMap { $0.scenarioFiles + $0.inputFiles }
      if shard == nil {
        var files = try SweepOutput.files(settings: settings, scenarios: loaded, rows: rows)
        if let manifest = files["manifest.json"] {
          files["manifest.json"] = try DataVintage.annotate(manifest: manifest, scenarios: loaded, asOf: asOf.date)
        }
        try OutputDirectory.write(files, to: out, inputs: inputs)
        print("wrote \(files.count) files to \(out) (\(draws) draws, seed \(seed))")
      } else {
        let indices = batches.flatMap {
          Array(HighNeeds.Sweep.drawRange(batch: $0, draws: draws, batchSize: batchSize))
        }
        var files: [String: String] = [:]
        for (s, r) in zip(loaded, rows) {
          files["draws-\(s.name).txt"] = SweepSummary.drawsText(firstDraws: indices, rows: r)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        files["shard.json"] = String(
          decoding: try encoder.encode(ShardInfo(settings: settings, shard: k, of: n, asOf: asOf.date.description)),
          as: UTF8.self)
        // OutputDirectory only replaces a directory that holds an hnb manifest.
        files["manifest.json"] = "{\"tool\": \"hnb\", \"shard\": \"\(k)/\(n)\", \"command\": \"\(settings.command)\"}\n"
        try OutputDirectory.write(files, to: out, inputs: inputs)
        print("wrote shard \(k)/\(n) (\(indices.count) draws) to \(out); combine the shards with hnb merge")
      }
    }
  }
}

/// What a shard directory records so that `hnb merge` can check and combine shards.
struct ShardInfo: Codable, Equatable {
  var settings: SweepSettings
  var shard: Int
  var of: Int
  /// The sweep's as-of date, so that the merged manifest equals the unsharded sweep's.
  var asOf: String?
}

/// `k/n` → (k, n) with 1 ≤ k ≤ n.
func parseShard(_ text: String) -> (Int, Int)? {
  let parts = text.split(separator: "/")
  guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
  return (k, n)
}

/// A progress bar on standard error when it is a terminal; silent otherwise.
final class Progress {
  let total: Int
  let enabled = isatty(2) == 1
  private var lastPercent = -1

  init(total: Int) { self.total = total }

  func show(_ done: Int) {
    guard enabled, total > 0 else { return }
    let percent = done * 100 / total
    guard percent != lastPercent else { return }
    lastPercent = percent
    let bar = String(repeating: "#", count: percent / 5) + String(repeating: ".", count: 20 - percent / 5)
    FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% (\(done)/\(total) draws)".utf8))
  }

  func finish() {
    if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}
