import ArgumentParser
import Foundation
import HighNeeds

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the shards of a sweep into the output of the unsharded sweep (byte-identical).",
    discussion: """
      Every shard k/n of one sweep (same scenarios, draws, seed, thresholds, batch size and \
      as-of date) must be given once. Each shard records the SHA-256 of every input it read and \
      of its draws: the scenario files are read again and must not have changed since the \
      shards were drawn, and each draws file must match its checksum. Any difference is refused \
      (exit 65), naming the setting and the two shards, the input file that changed, or the \
      draws file and line.

      Example:
        hnb merge out/shard1 out/shard2 --out out/sweep
      """)

  @Argument(help: "Shard directories written by hnb sweep --shard.")
  var shards: [String]

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  func validate() throws {
    if shards.isEmpty { throw ValidationError("Give the shard directories.") }
  }

  func run() throws {
    try reportingErrors {
      let merged = try SweepShard.merge(directories: shards) { paths, asOf in try loadScenarios(paths, asOf: asOf) }
      var files = try SweepOutput.files(settings: merged.settings, scenarios: merged.scenarios, rows: merged.rows)
      if let manifest = files["manifest.json"] {
        files["manifest.json"] = try DataVintage.annotate(
          manifest: manifest, scenarios: merged.scenarios, asOf: merged.asOf)
      }
      // A shard read into the merge must survive it: --out may not be one of them.
      let shardFiles = shards.map { ($0 as NSString).appendingPathComponent("shard.json") }
      try OutputDirectory.write(
        files, to: out, inputs: merged.scenarios.flatMap { $0.scenarioFiles + $0.inputFiles } + shardFiles)
      print("merged \(shards.count) shards (\(merged.settings.draws) draws) into \(out)")
    }
  }
}
