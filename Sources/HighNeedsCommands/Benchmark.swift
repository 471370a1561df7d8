import CBLAS
import Foundation
import HighNeeds

/// The work of `hnb bench`: a timed sweep beside this machine's DGEMM rate and memory
/// bandwidth.
package enum Benchmark {
  /// Runs `draws` draws of `scenario` and the machine measurements, and returns the lines
  /// printed.
  package static func run(scenario: String, draws: Int, seed: UInt64) throws -> [String] {
    var lines: [String] = []
    let s = try ScenarioLoader.load(path: scenario)
    let P = s.placementCount
    let N = s.needCount
    let H = s.horizonYears
    let batchSize = Sweep.defaultBatchSize
    let batches = Sweep.batches(draws: draws, shard: 1, of: 1)
    let start = Date()
    let cpuAtStart = Self.cpuSeconds()
    let rows = try Sweep.run(s, seed: seed, draws: draws, batches: batches, batchSize: batchSize)
    let wall = Date().timeIntervalSince(start)
    let peakMemory = Self.peakMemoryMB()  // before the machine measurements below allocate theirs
    let cpu = Self.cpuSeconds() - cpuAtStart
    // Transitions: with Dirichlet rows each draw multiplies by its own sparse matrices (2
    // flops per non-zero, need and draw); with shared matrices one dense dgemm per age.
    let nonzeros = s.transition.reduce(0) { $0 + $1.filter { $0 != 0 }.count }
    let sparse = s.uncertainty.transitionConcentration != nil
    let flops = 2.0 * Double(draws) * Double(N) * Double(H) * Double(sparse ? nonzeros : P * P * AgeAxis.maxAge)
    // The least any projection must move: the state (26 ages × N × P doubles a draw) read and
    // written once a year. At the machine's copy bandwidth that is a lower bound on the time,
    // so the ratio printed is an upper bound on how far the sweep is from the machine's limit
    // for moving its state (the Dirichlet draws' arithmetic is on top).
    let stateBytes = Double(AgeAxis.count) * Double(N) * Double(P) * 8 * Double(draws)
    let bytes = stateBytes * 2 * Double(H)
    let machineFlops = Self.dgemmRate()
    let machineBandwidth = Self.copyBandwidth()
    lines.append("model: \(AgeAxis.count) ages × \(P) placements × \(N) needs, \(H) years, \(rows.count) draws")
    func f(_ x: Double, _ places: Int) -> String { NumberFormat.fixed(x, places) }
    lines.append("wall time            \(f(wall, 3)) s")
    lines.append("draws per second     \(f(Double(rows.count) / wall, 0))")
    lines.append(
      "CPU time             \(f(cpu, 3)) s (\(f(cpu / wall, 2)) of \(ProcessInfo.processInfo.activeProcessorCount) cores busy)"
    )
    lines.append("peak memory (RSS)    \(f(peakMemory, 0)) MB")
    lines.append(
      "transition products  \(f(flops / wall / 1e9, 2)) GFLOP/s, \(sparse ? "sparse per-draw matrices" : "dense dgemm") (machine DGEMM 1000×1000: \(f(machineFlops / 1e9, 2)) GFLOP/s)"
    )
    lines.append(
      "state traffic        \(f(bytes / 1e9, 1)) GB at least (the state read and written once a year): \(f(bytes / machineBandwidth, 2)) s at the machine's copy bandwidth (\(f(machineBandwidth / 1e9, 2)) GB/s); this run took \(f(wall / (bytes / machineBandwidth), 2))× that"
    )
    let goal = Self.goalSeconds * Double(draws) / Double(Self.goalDraws)
    lines.append(
      "goal                 \(f(goal, 2)) s for these draws (10,000 in 2 s on 2 cores): this run took \(f(wall / goal, 2))× the goal"
    )
    return lines
  }

  /// The performance goal of the uncertainty issue: 10,000 draws of the Sutton sweep in 2 s on
  /// this 2-core machine.
  package static let goalSeconds = 2.0
  package static let goalDraws = 10_000

  /// Floating-point operations per second of one 1000×1000×1000 DGEMM (best of three).
  package static func dgemmRate() -> Double {
    let n = 1000
    let a = (0..<(n * n)).map { Double($0 % 17) / 17 }
    var c = [Double](repeating: 0, count: n * n)
    var best = Double.infinity
    for _ in 0..<3 {
      let t = Date()
      cblas_dgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), a, Int32(n), 0, &c,
        Int32(n))
      best = min(best, Date().timeIntervalSince(t))
    }
    return 2 * Double(n * n * n) / best
  }

  /// Bytes per second read plus written by copying a 256 MB array (best of three).
  package static func copyBandwidth() -> Double {
    let count = 32 << 20
    let source = [Double](repeating: 1, count: count)
    var target = [Double](repeating: 0, count: count)
    var best = Double.infinity
    for _ in 0..<3 {
      let t = Date()
      source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { d in
          if let from = s.baseAddress, let to = d.baseAddress { memcpy(to, from, count * 8) }
        }
      }
      best = min(best, Date().timeIntervalSince(t))
    }
    return 2 * Double(count * 8) / best
  }

  /// User plus system CPU seconds of this process so far (`getrusage`).
  package static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// Peak resident set size in megabytes (`getrusage`; kilobytes on Linux).
  package static func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    return Double(usage.ru_maxrss) / 1024
  }
}
