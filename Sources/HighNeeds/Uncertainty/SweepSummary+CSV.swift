import Foundation

/// The sweep summary's tables, as CSV text.
extension SweepSummary {
  /// `percentiles.csv`: metric, scenario, year, mean, sd, p5 … p95 for every metric and year.
  ///
  /// `rows[d][metric · H + f]` as `Sweep.run` returns them, in draw order. The mean and the
  /// sample standard deviation (n − 1) are summed in draw order, so they do not depend on how
  /// the draws were sharded.
  public static func percentilesCSV(scenario s: Scenario, rows: [[Double]]) -> String {
    var csv = CSVWriter(
      header: ["metric", "scenario", "year", "mean", "sd"] + percentiles.map { "p" + String(Int($0)) })
    let H = s.horizonYears
    let metrics = SweepMetric.ordered
    let cells = SweepSummary.percentileCells(metrics.map(\.index), years: H, rows: rows)
    for (k, metric) in metrics.enumerated() {
      let format = metric.isPlans ? NumberFormat.plans : NumberFormat.pounds
      for f in 0..<H {
        csv.row([metric.rawValue, s.name, s.financialYearLabel(f)] + cells[k * H + f].map(format))
      }
    }
    return csv.text
  }

  /// The `exceedance.csv` text: per financial year, the share of draws past each threshold.
  ///
  /// Thresholds: a cumulative deficit above 1% of total DSG, and above each threshold in
  /// pounds (deficit > threshold, that is closing balance < −threshold).
  public static func exceedanceCSV(scenario s: Scenario, rows: [[Double]], thresholdsGBP: [Double]) -> String {
    var csv = CSVWriter(header: ["scenario", "year", "threshold", "probability"])
    let H = s.horizonYears
    let (percent, balance) = (SweepMetric.deficitPercentOfDSG.index, SweepMetric.cumulativeBalance.index)
    let n = Double(rows.count)
    for f in 0..<H {
      let share = Double(rows.filter { $0[percent * H + f] > 1 }.count) / n
      csv.row([s.name, s.financialYearLabel(f), "deficit above 1% of DSG", NumberFormat.fraction(share)])
      for threshold in thresholdsGBP {
        let share = Double(rows.filter { -$0[balance * H + f] > threshold }.count) / n
        csv.row([
          s.name, s.financialYearLabel(f), "deficit above £" + NumberFormat.fixed(threshold, 0),
          NumberFormat.fraction(share),
        ])
      }
    }
    return csv.text
  }

  /// A shard's draws, exactly: one line per draw, `draw` then every metric as the hexadecimal
  /// bit pattern of its double, so a merge reads back the very numbers the shard computed.
  public static func drawsText(firstDraws: [Int], rows: [[Double]]) -> String {
    var text = ""
    for (d, row) in zip(firstDraws, rows) {
      text += String(d) + "," + row.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") + "\n"
    }
    return text
  }
}
