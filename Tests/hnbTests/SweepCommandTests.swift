import Foundation
import Testing

/// `hnb sweep` and `hnb merge` end to end, on the Sutton baseline with its uncertain inputs.
@Suite struct SweepCommandTests {
  static let scenario = "Scenarios/sutton/sweep/baseline.yaml"
  static let names = ["percentiles.csv", "exceedance.csv", "manifest.json"]

  static func contents(_ dir: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in names { files[name] = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent(name)) }
    return files
  }

  static func sweep(_ extra: [String], threads: String = "1") throws -> String {
    let out = HNBCommand.freshDirectory()
    let r = try HNBCommand.run(
      ["sweep", scenario, "--draws", "40", "--seed", "42", "--threshold", "50000000", "--out", out] + extra,
      environment: ["OPENBLAS_NUM_THREADS": threads])
    #expect(r.status == 0, "\(r.stderr)")
    return out
  }

  @Test func sameSeedSameBytesWithOneOrTwoThreadsAndAcrossShards() throws {
    let one = try Self.contents(try Self.sweep(["--batch-size", "16"]))
    #expect(try Self.contents(try Self.sweep(["--batch-size", "7"], threads: "2")) == one)
    for n in [2, 3] {
      let shards = try (1...n).map {
        try Self.sweep(["--shard", "\($0)/\(n)", "--batch-size", "8"], threads: $0 == 1 ? "2" : "1")
      }
      let merged = HNBCommand.freshDirectory()
      let r = try HNBCommand.run(["merge"] + shards.reversed() + ["--out", merged])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(try Self.contents(merged) == one)
    }
    let rows = try HNBCommand.readCSV(
      URL(fileURLWithPath: try Self.sweep(["--batch-size", "16"])).appendingPathComponent("percentiles.csv").path)
    #expect(rows.count == 13 * 10)
    let plans = try #require(rows.first { $0["metric"] == "total_plans" && $0["year"] == "2034-35" })
    let p5 = try #require(Double(plans["p5"] ?? ""))
    let p50 = try #require(Double(plans["p50"] ?? ""))
    let p95 = try #require(Double(plans["p95"] ?? ""))
    #expect(p5 < p50 && p50 < p95)
  }

  /// The vector kernels and plain code (`HNB_KERNELS=plain`) draw the same numbers, bit for bit
  /// (`--shard 1/1` writes every draw exactly), with this machine's libm as it is and with
  /// glibc told to take its plain build, where the vector boosts, which follow glibc's FMA
  /// build, must step aside (their probe of libm finds the difference).
  @Test func vectorAndPlainKernelsDrawTheSameBits() throws {
    let plainGlibc = "glibc.cpu.hwcaps=-AVX2_Usable,-FMA_Usable,-AVX2,-FMA"
    for tunables in [nil, plainGlibc] {
      var draws: [Data] = []
      for kernels in [nil, "plain"] {
        var environment = ["OPENBLAS_NUM_THREADS": "1"]
        if let tunables { environment["GLIBC_TUNABLES"] = tunables }
        if let kernels { environment["HNB_KERNELS"] = kernels }
        let out = HNBCommand.freshDirectory()
        let r = try HNBCommand.run(
          ["sweep", Self.scenario, "--draws", "2000", "--seed", "5", "--shard", "1/1", "--out", out],
          environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        draws.append(
          try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("draws-sutton-baseline.txt")))
      }
      #expect(draws[0].count > 100_000 && draws[0] == draws[1], "GLIBC_TUNABLES \(tunables ?? "unset")")
    }
  }

  /// Numbers of the file with a distribution (each draw rebuilt, and projected alone when its
  /// levers differ) keep the sweep byte-identical across batch sizes and threads.
  @Test func numbersOfTheFileWithADistributionAreDrawnReproducibly() throws {
    func sweep(_ batchSize: String, threads: String) throws -> String {
      let out = HNBCommand.freshDirectory()
      let r = try HNBCommand.run(
        [
          "sweep", "Scenarios/sutton/sweep/combined_delivery.yaml", "--draws", "12", "--seed", "3", "--batch-size",
          batchSize, "--out", out,
        ], environment: ["OPENBLAS_NUM_THREADS": threads])
      #expect(r.status == 0, "\(r.stderr)")
      return out
    }
    let one = try sweep("5", threads: "1")
    #expect(try Self.contents(try sweep("12", threads: "2")) == Self.contents(one))
    let manifest = try String(contentsOfFile: one + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("mitigations.new_special_places.places: scenario_number, once"))
    let rows = try HNBCommand.readCSV(one + "/percentiles.csv")
    let plans = try #require(rows.first { $0["metric"] == "total_plans" && $0["year"] == "2034-35" })
    #expect(try #require(Double(plans["sd"] ?? "")) > 0)
  }

  @Test func mergeRefusesAnIncompleteSetOfShards() throws {
    let shard = try Self.sweep(["--shard", "1/2", "--batch-size", "8"])
    let r = try HNBCommand.run(["merge", shard, "--out", HNBCommand.freshDirectory()])
    #expect(r.status == 65)
    #expect(r.stderr.contains("shards 1…2 of one sweep"))
  }
}
