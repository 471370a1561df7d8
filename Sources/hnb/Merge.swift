import ArgumentParser
import Foundation
import HighNeedsCommands

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

  @OptionGroup var out: OutOption

  func validate() throws { try refuse(shards.isEmpty ? "Give the shard directories." : nil) }

  func run() throws { try reportingErrors { try SweepCommand.merge(shards, pipeline: out.pipeline) } }
}
