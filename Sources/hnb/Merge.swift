import ArgumentParser
import Foundation
import HighNeeds

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the shards of a sweep into the output of the unsharded sweep (byte-identical).",
    discussion: """
      Every shard k/n of one sweep (same scenarios, draws, seed and thresholds) must be given \
      once. The scenario files are read again and must not have changed.

      Example:
        hnb merge out/shard1 out/shard2 --out out/sweep
      """)

  @Argument(help: "Shard directories written by hnb sweep --shard.")
  var shards: [String]

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  func run() throws {
    try reportingErrors {
      let infos = try shards.map { dir -> ShardInfo in
        let path = (dir as NSString).appendingPathComponent("shard.json")
        guard let data = FileManager.default.contents(atPath: path) else {
          throw InputError(
            SourceLocation(file: path), expected: "a shard written by hnb sweep --shard", found: "no shard.json")
        }
        return try JSONDecoder().decode(ShardInfo.self, from: data)
      }
      guard let first = infos.first else { throw ValidationError("Give the shard directories.") }
      let n = first.of
      let seen = Set(infos.map(\.shard))
      guard infos.allSatisfy({ $0.settings == first.settings && $0.of == n && $0.asOf == first.asOf }),
        seen.count == infos.count,
        seen == Set(1...n)
      else {
        throw InputError(
          SourceLocation(file: shards[0]), expected: "shards 1…\(n) of one sweep, each once",
          found: "shards \(infos.map { "\($0.shard)/\($0.of)" }.joined(separator: ", "))")
      }
      // The shards' as-of date (shards written before it was recorded: today).
      let asOf = first.asOf.flatMap(CalendarDate.init) ?? .today()
      let scenarios = try loadScenarios(first.settings.scenarioPaths, asOf: asOf)
      var rows: [[[Double]]] = []
      for s in scenarios {
        var byDraw: [Int: [Double]] = [:]
        for dir in shards {
          let path = (dir as NSString).appendingPathComponent("draws-\(s.name).txt")
          let text = try String(contentsOfFile: path, encoding: .utf8)
          for (d, values) in try SweepSummary.parseDraws(text, file: path) { byDraw[d] = values }
        }
        guard byDraw.count == first.settings.draws else {
          throw InputError(
            SourceLocation(file: shards[0]), expected: "\(first.settings.draws) draws of \(s.name)",
            found: "\(byDraw.count)")
        }
        rows.append((0..<first.settings.draws).compactMap { byDraw[$0] })
      }
      var files = try SweepOutput.files(settings: first.settings, scenarios: scenarios, rows: rows)
      if let manifest = files["manifest.json"] {
        files["manifest.json"] = try DataVintage.annotate(manifest: manifest, scenarios: scenarios, asOf: asOf)
      }
      // The shards are inputs too: --out may not be one of them.
      let shardFiles = try shards.flatMap { dir in
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted().filter { !$0.hasPrefix(".") }.map {
          (dir as NSString).appendingPathComponent($0)
        }
      }
      try OutputDirectory.write(
        files, to: out, inputs: scenarios.flatMap { $0.scenarioFiles + $0.inputFiles } + shardFiles)
      print("merged \(shards.count) shards (\(first.settings.draws) draws) into \(out)")
    }
  }
}
