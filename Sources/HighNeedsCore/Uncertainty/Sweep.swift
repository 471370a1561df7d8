import Foundation

/// Runs the draws of a sweep through the projection in batches and reduces each draw to its
/// headline metrics.
///
/// Batches are fixed slices of the global draw index (`[b·batchSize, (b+1)·batchSize)`), and a
/// shard takes whole batches, so every draw goes through the same arithmetic whatever the
/// sharding or the number of threads. Within a batch the draws advance together through
/// `BatchProjection`; batches run in parallel on the machine's cores, and their rows are put
/// back in draw order.
public enum Sweep {
  /// Default draws per batch.
  ///
  /// Large enough for level-3 BLAS over the batch, small enough that a batch's state (32 kB a
  /// draw on the Sutton model: 0.3 MB an age block, 2 MB the whole state at 64 draws) stays in
  /// the caches while the year's steps run age by age. Results do not depend on it (tested). On
  /// this 2-core machine the Sutton sweep of 10,000 draws runs as fast at 32 to 256 (the runs'
  /// spread, 3.2 to 4.8 s, is larger than any difference), and peaks at 72 MB at 64 against
  /// 148 MB at 256.
  public static let defaultBatchSize = 64

  /// Most draws in one sweep (`--draws`, and the draws `hnb merge` combines).
  ///
  /// A sweep keeps every draw's metrics in memory until it sorts them (`bytesPerDraw`: about
  /// 1 kB a scenario on a 10-year horizon, 4 kB on the longest, 40 years), so a million draws of
  /// one scenario hold 1 to 4 GB; `hnb merge` holds all of them. More than a million draws adds
  /// nothing a paper can show (the standard error of a P10 is then below 0.03 percentage points).
  public static let maximumDraws = 1_000_000

  /// Most draws advanced together (`--batch-size`): each worker holds its batch's projection
  /// state, about 32 kB a draw on the Sutton model, so 4,096 draws hold about 128 MB a core.
  public static let maximumBatchSize = 4096

  /// Largest `--threshold`, in pounds (a trillion: far above any authority's deficit, and
  /// small enough to print whole).
  public static let maximumThresholdGBP = 1e12

  /// Memory a sweep keeps for each draw of a scenario with `years` financial years: its
  /// metrics (`SweepMetric.ordered.count × years` doubles) and the array that holds them.
  public static func bytesPerDraw(years: Int) -> Double { Double(SweepMetric.ordered.count * years * 8 + 32) }

  /// The batches of a sweep of `draws` draws that shard `k` of `n` (1-based `k`) runs.
  public static func batches(draws: Int, shard k: Int, of n: Int, batchSize: Int = defaultBatchSize) -> Range<Int> {
    let count = (draws + batchSize - 1) / batchSize
    return (count * (k - 1) / n)..<(count * k / n)
  }

  /// The draws of batch `b`.
  public static func drawRange(batch b: Int, draws: Int, batchSize: Int = defaultBatchSize) -> Range<Int> {
    (b * batchSize)..<min(draws, (b + 1) * batchSize)
  }

  /// Metrics of the draws in `batches`: `result[d][metric · H + f]` for the `d`-th draw run.
  ///
  /// `progress` is called on the calling thread with the number of draws finished, after each
  /// round of parallel batches. Every draw passes the master check's per-run subset that scales
  /// (see `checkedMetrics`); if any draw fails, the sweep throws `IntegrityError`, so no sweep
  /// output is written from numbers that do not reconcile (the command line exits with 70).
  public static func run(
    _ scenario: Scenario, seed: UInt64, draws: Int, batches: Range<Int>, batchSize: Int = defaultBatchSize,
    progress: (Int) -> Void = { _ in }
  ) throws -> [[Double]] {
    let model = SweepModel(scenario)
    let generator = Philox4x32(seed: seed)
    let list = Array(batches)
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let workspaces = (0..<workers).map { _ in BatchWorkspace() }
    var rows: [[Double]] = []
    // Rounds of `batchesPerWorker` batches a worker; within a round each worker takes the next
    // batch not yet taken, so a worker slowed by other work on the machine holds up the others
    // only at the end of a round.
    for round in stride(from: 0, to: list.count, by: workers * batchesPerWorker) {
      let slots = Array(list[round..<min(list.count, round + workers * batchesPerWorker)])
      let results = ParallelResults<[[Double]]>(count: slots.count)
      let taken = BatchCounter()
      DispatchQueue.concurrentPerform(iterations: min(workers, slots.count)) { worker in
        while let i = taken.next(below: slots.count) {
          let range = drawRange(batch: slots[i], draws: draws, batchSize: batchSize)
          results.set(i) {
            try metrics(model, range.map { try model.draw($0, generator: generator) }, workspace: workspaces[worker])
          }
        }
      }
      for result in try results.values() { rows += result }
      progress(rows.count)
    }
    return rows
  }

  /// Batches a worker runs in a round of `run`, between progress reports.
  static let batchesPerWorker = 8

  /// Projects a batch of draws together and reduces each to its metrics; throws
  /// `IntegrityError` (the first 20 failures, and how many there were) if any draw fails an
  /// integrity check.
  static func metrics(
    _ model: SweepModel, _ batch: [Draw], workspace: BatchWorkspace = BatchWorkspace()
  ) throws -> [[Double]] {
    var failures: [String] = []
    let rows = checkedMetrics(model, batch, workspace: workspace, failures: &failures)
    if !failures.isEmpty {
      var shown = Array(failures.prefix(20))
      if failures.count > shown.count {
        shown.append("… and \(failures.count - shown.count) more, in a sweep of \(model.scenario.name)")
      }
      throw IntegrityError(failures: shown)
    }
    return rows
  }

  /// Projects a batch of draws together and reduces each to its metrics, adding to `failures`
  /// any draw's integrity-check failures.
  ///
  /// The checks are the master check's per-run ones that need no cell-level state (it is not
  /// kept): plan conservation by placement and in total, moves netting to zero, capacity after
  /// overflow, every cost and income total the sum of its lines, and the DSG corkscrew.
  static func checkedMetrics(
    _ model: SweepModel, _ batch: [Draw], workspace: BatchWorkspace = BatchWorkspace(), failures: inout [String]
  ) -> [[Double]] {
    batch.withUnsafeBufferPointer { checkedMetrics(model, $0, workspace: workspace, failures: &failures) }
  }

  /// `checkedMetrics` over the draws in place: a buffer's elements are read where they are,
  /// where an array's subscript hands out a copy of each draw's scenario (a retain of its every
  /// array, from both threads at once).
  private static func checkedMetrics(
    _ model: SweepModel, _ batch: UnsafeBufferPointer<Draw>, workspace: BatchWorkspace, failures: inout [String]
  ) -> [[Double]] {
    let base = model.scenario
    // Draws whose scenario numbers change the caseload run alone on their own projection.
    let shared = batch.indices.filter { batch[$0].projection == nil }
    var paths = Array(repeating: nil as CaseloadPath?, count: batch.count)
    if !shared.isEmpty {
      for (i, path) in zip(shared, model.projection.run(shared.map { batch[$0].caseload }, workspace: workspace)) {
        paths[i] = path
      }
    }
    for i in batch.indices {
      if let projection = batch[i].projection {
        paths[i] = projection.run([batch[i].caseload], workspace: workspace)[0]
      }
    }
    let H = base.horizonYears
    let P = base.placementCount
    let groups = PlacementGroup.allCases
    let groupOf = base.taxonomy.placements.map { p in groups.firstIndex(of: p.group) ?? 0 }
    // The group of each occupancy cell `n · P + p`, and each group's sum of the year being put.
    let groupOfCell = (0..<(base.needCount * P)).map { groupOf[$0 % P] }
    // A draw holds only what differs from the sweep's scenario and parameters (`Draw`): the
    // checks' result is kept from draw to draw with each draw's differences swapped in, rather
    // than built from a copy of every field of each draw's scenario. By index: each draw is
    // read in place, not copied.
    guard let firstPath = paths.first ?? nil else { return [] }
    var kept = ScenarioResult(
      scenario: base, parameters: model.parameters, path: firstPath, accounts: [], reserve: [], kpis: [],
      unmitigatedParameters: nil, unmitigatedPath: nil, unmitigatedAccounts: nil, unmitigatedReserve: nil,
      savings: [])
    // Each metric's position in a row, and the plans by group of the year being put.
    let metric = (
      totalPlans: SweepMetric.totalPlans.index, plans: groups.map { SweepMetric.plans($0).index },
      expenditure: SweepMetric.expenditure.index, income: SweepMetric.income.index,
      inYearBalance: SweepMetric.inYearBalance.index, cumulativeBalance: SweepMetric.cumulativeBalance.index,
      deficitPercentOfDSG: SweepMetric.deficitPercentOfDSG.index
    )
    let byGroup = UnsafeMutableBufferPointer<Double>.allocate(capacity: groups.count)
    byGroup.initialize(repeating: 0)
    defer { byGroup.deallocate() }
    /// Whether `kept` holds a draw's resolved scenario rather than the sweep's.
    var keptResolved = false
    /// The accounts, reserve and checks of `r` (its path and prices set), written over the
    /// last draw's (in place: the accounts' arrays are reused from draw to draw).
    func check(_ r: inout ScenarioResult) {
      Accounts.financialYears(scenario: r.scenario, parameters: r.parameters, path: r.path, into: &r.accounts)
      Accounts.reserve(scenario: r.scenario, accounts: r.accounts, into: &r.reserve)
      failures += IntegrityChecks.failures(r)
    }
    return batch.indices.map { i in
      guard let path = paths[i] else { preconditionFailure("draw \(i) of a batch was not projected") }
      if let resolved = batch[i].resolved {
        kept.scenario = resolved.scenario
        kept.parameters = resolved.parameters
        keptResolved = true
      } else if keptResolved {
        kept.scenario = base
        kept.parameters = model.parameters
        keptResolved = false
      }
      kept.scenario.income.hnbAllocation =
        batch[i].hnbAllocation ?? batch[i].resolved?.scenario.income.hnbAllocation ?? base.income.hnbAllocation
      kept.parameters.topUp = batch[i].topUp ?? batch[i].resolved?.parameters.topUp ?? model.parameters.topUp
      kept.path = path
      check(&kept)
      var row = Array(repeating: 0.0, count: SweepMetric.ordered.count * H)
      for f in 0..<H {
        func put(_ metric: Int, _ x: Double) { row[metric * H + f] = x }
        byGroup.update(repeating: 0)
        // Cells in order into the total and their group's sum (read in place, no index division).
        let total = path.occupancy[f + 1].withUnsafeBufferPointer { cells in
          groupOfCell.withUnsafeBufferPointer { groupOfCell in
            var total = 0.0
            for j in cells.indices {
              let x = cells[j]
              total += x
              byGroup[groupOfCell[j]] += x
            }
            return total
          }
        }
        put(metric.totalPlans, total)
        for (g, x) in byGroup.enumerated() { put(metric.plans[g], x) }
        put(metric.expenditure, kept.accounts[f].expenditure)
        put(metric.income, kept.accounts[f].income)
        put(metric.inYearBalance, kept.reserve[f].inYear)
        put(metric.cumulativeBalance, kept.reserve[f].closing)
        put(metric.deficitPercentOfDSG, max(0, -kept.reserve[f].closing) / kept.accounts[f].totalDSG * 100)
      }
      return row
    }
  }
}

/// What every draw of a sweep of one scenario shares, prepared once: the scenario, its
/// parameters with all mitigations on, and the batched projection.
public final class SweepModel: Sendable {
  public let scenario: Scenario
  public let parameters: ModelParameters
  let projection: BatchProjection
  /// The Dirichlet samplers of the transition rows and mixes, prepared once.
  let dirichlet: DirichletPlans
  /// The sampler of the scalar uncertain inputs, prepared once.
  let sampler: InputSampler

  public init(_ scenario: Scenario) {
    self.scenario = scenario
    parameters = ModelParameters(scenario: scenario, mitigationMask: (1 << scenario.mitigations.count) - 1)
    projection = BatchProjection(scenario: scenario, parameters: parameters)
    dirichlet = DirichletPlans(scenario)
    sampler = InputSampler(scenario.uncertainty)
  }

  /// Draw `index` of this scenario's uncertain inputs under `generator`.
  public func draw(_ index: Int, generator: Philox4x32) throws -> Draw {
    try Draw(
      base: scenario, mitigated: parameters, generator: generator, index: index, dirichlet: dirichlet,
      sampler: sampler)
  }
}

/// The next index not yet taken, for workers sharing a list of work.
final class BatchCounter: @unchecked Sendable {
  private var taken = 0
  private let lock = NSLock()

  /// The next index below `count`, or nil when all are taken.
  func next(below count: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard taken < count else { return nil }
    taken += 1
    return taken - 1
  }
}

/// Results of parallel work, each stored in its own slot (so the order never depends on which
/// thread finished first).
final class ParallelResults<Value: Sendable>: @unchecked Sendable {
  private var slots: [Result<Value, any Error>?]
  private let lock = NSLock()

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// Runs `work` and stores its value or error in slot `i`.
  func set(_ i: Int, _ work: () throws -> Value) {
    let result = Result { try work() }
    lock.lock()
    slots[i] = result
    lock.unlock()
  }

  /// The values in slot order; rethrows the first slot's error, if any.
  func values() throws -> [Value] {
    lock.lock()
    defer { lock.unlock() }
    var values: [Value] = []
    for slot in slots {
      guard let slot else { preconditionFailure("a parallel result was never stored") }
      values.append(try slot.get())
    }
    return values
  }
}
