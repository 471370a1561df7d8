import Foundation

/// Runs the draws of a sweep through the projection in batches and reduces each draw to its
/// headline metrics.
///
/// Batches are fixed slices of the global draw index (`[b·batchSize, (b+1)·batchSize)`), and a
/// shard takes whole batches, so every draw goes through the same matrix products whatever
/// the sharding. Within a batch the draws are the members of one `Projection.run`: each age's
/// transitions are one `dgemm` over all the draws sharing that age's matrix.
public enum Sweep {
  /// Default draws per batch.
  ///
  /// Large enough for level-3 BLAS, small enough to keep the per-draw parameters (about 0.5 MB
  /// each on the Sutton model) in modest memory. Results do not depend on it (tested).
  public static let defaultBatchSize = 256

  /// The metric names, in output order: totals, plans by placement group, then money.
  public static func metricNames() -> [String] {
    ["total_plans"] + PlacementGroup.allCases.map { "plans_" + $0.rawValue } + [
      "expenditure", "income", "in_year_balance", "cumulative_balance", "deficit_percent_of_dsg",
    ]
  }

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
  /// `progress` is called with the number of draws finished after each batch. Every draw passes
  /// the master check's per-run subset that scales (see `checkedMetrics`); if any draw fails,
  /// the sweep throws `IntegrityError`, so no sweep output is written from numbers that do not
  /// reconcile (the command line exits with 70).
  public static func run(
    _ scenario: Scenario, seed: UInt64, draws: Int, batches: Range<Int>, batchSize: Int = defaultBatchSize,
    progress: (Int) -> Void = { _ in }
  ) throws -> [[Double]] {
    let generator = Philox4x32(seed: seed)
    var rows: [[Double]] = []
    for b in batches {
      let range = drawRange(batch: b, draws: draws, batchSize: batchSize)
      let batch = range.map { Draw(base: scenario, generator: generator, index: $0) }
      rows += try metrics(scenario, batch)
      progress(rows.count)
    }
    return rows
  }

  /// Projects a batch of draws together and reduces each to its metrics; throws
  /// `IntegrityError` (the first 20 failures, and how many there were) if any draw fails an
  /// integrity check.
  static func metrics(_ base: Scenario, _ batch: [Draw]) throws -> [[Double]] {
    var failures: [String] = []
    let rows = checkedMetrics(base, batch, failures: &failures)
    if !failures.isEmpty {
      var shown = Array(failures.prefix(20))
      if failures.count > shown.count {
        shown.append("… and \(failures.count - shown.count) more, in a sweep of \(base.name)")
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
  static func checkedMetrics(_ base: Scenario, _ batch: [Draw], failures: inout [String]) -> [[Double]] {
    let paths = Projection.run(
      baseline: base.baselinePlans, members: batch.map(\.parameters), placements: base.placementCount,
      needs: base.needCount, overflow: base.overflow, horizon: base.horizonYears,
      keepPlans: Array(repeating: false, count: batch.count))
    let H = base.horizonYears
    let P = base.placementCount
    let groups = PlacementGroup.allCases
    let groupOf = base.taxonomy.placements.map { p in groups.firstIndex(of: p.group) ?? 0 }
    return zip(batch, paths).map { draw, path in
      let accounts = Accounts.financialYears(scenario: draw.scenario, parameters: draw.parameters, path: path)
      let reserve = Accounts.reserve(scenario: draw.scenario, accounts: accounts)
      let result = ScenarioResult(
        scenario: draw.scenario, parameters: draw.parameters, path: path, accounts: accounts, reserve: reserve,
        kpis: [], unmitigatedParameters: nil, unmitigatedPath: nil, unmitigatedAccounts: nil,
        unmitigatedReserve: nil, savings: [])
      failures += IntegrityChecks.failures(result)
      var row = Array(repeating: 0.0, count: metricNames().count * H)
      for f in 0..<H {
        var byGroup = Array(repeating: 0.0, count: groups.count)
        var total = 0.0
        for (j, x) in path.occupancy[f + 1].enumerated() {
          total += x
          byGroup[groupOf[j % P]] += x
        }
        var column = [total] + byGroup
        column += [
          accounts[f].expenditure, accounts[f].income, reserve[f].inYear, reserve[f].closing,
          max(0, -reserve[f].closing) / accounts[f].totalDSG * 100,
        ]
        for (i, x) in column.enumerated() { row[i * H + f] = x }
      }
      return row
    }
  }
}
