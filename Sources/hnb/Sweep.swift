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

  @Option(help: "Number of draws, 2 to \(HighNeeds.Sweep.maximumDraws).")
  var draws: Int = 1000

  @Option(help: "Seed of the counter-based generator.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("threshold"),
    help: "A cumulative deficit in pounds, 0 to 1e12, to report the probability of passing (repeatable).")
  var thresholds: [Double] = []

  @Option(
    help:
      "Draws advanced together (one matrix product per age), 1 to \(HighNeeds.Sweep.maximumBatchSize); the results do not depend on it."
  )
  var batchSize: Int = HighNeeds.Sweep.defaultBatchSize

  @Option(help: "Run slice k of n (k = 1…n) of the draws, for `hnb merge`.")
  var shard: String?

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if scenarios.isEmpty { throw ValidationError("Give at least one scenario file.") }
    guard (2...HighNeeds.Sweep.maximumDraws).contains(draws) else {
      // In floating point: Int.max draws must not overflow the estimate.
      let gib =
        Double(max(draws, 0)) * Double(scenarios.count) * HighNeeds.Sweep.bytesPerDraw(years: 10) / 1_073_741_824
      throw ValidationError(
        "--draws must be from 2 to \(HighNeeds.Sweep.maximumDraws); found \(draws)"
          + (draws > HighNeeds.Sweep.maximumDraws
            ? " (a sweep keeps every draw's metrics in memory: \(draws) draws of \(scenarios.count) scenario(s) "
              + "would need about \(String(format: "%.1f", gib)) GiB on a 10-year horizon)." : "."))
    }
    guard (1...HighNeeds.Sweep.maximumBatchSize).contains(batchSize) else {
      throw ValidationError(
        "--batch-size must be from 1 to \(HighNeeds.Sweep.maximumBatchSize) (each core holds a batch's projection "
          + "state, about 32 kB a draw); found \(batchSize).")
    }
    if let shard {
      let parsed = parseShard(shard)
      let batches = (draws + batchSize - 1) / batchSize
      guard let (k, n) = parsed, SweepShard.problem(draws: draws, batchSize: batchSize, shard: k, of: n) == nil else {
        throw ValidationError(
          "--shard must be k/n with 1 ≤ k ≤ n ≤ \(batches) (the batches of \(draws) draws at --batch-size "
            + "\(batchSize), so that no shard is empty); found \(InputError.quoted(shard)).")
      }
    }
    var seen: Set<Double> = []
    for t in thresholds {
      guard t.isFinite, (0...HighNeeds.Sweep.maximumThresholdGBP).contains(t) else {
        throw ValidationError(
          "--threshold must be a deficit in pounds from 0 to \(CSVWriter.fixed(HighNeeds.Sweep.maximumThresholdGBP, 0)); "
            + "found \(t).")
      }
      guard seen.insert(t).inserted else {
        throw ValidationError("--threshold must be given once for each amount; found \(CSVWriter.fixed(t, 0)) twice.")
      }
    }
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
        let files = try SweepShard.files(
          settings: settings, batchSize: batchSize, shard: k, of: n, asOf: asOf.date, scenarios: loaded, rows: rows)
        try OutputDirectory.write(files, to: out, inputs: inputs)
        let count = rows.first?.count ?? 0
        print("wrote shard \(k)/\(n) (\(count) draws) to \(out); combine the shards with hnb merge")
      }
    }
  }
}

/// `k/n` → (k, n) with 1 ≤ k ≤ n.
func parseShard(_ text: String) -> (Int, Int)? {
  let parts = text.split(separator: "/", omittingEmptySubsequences: false)
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
