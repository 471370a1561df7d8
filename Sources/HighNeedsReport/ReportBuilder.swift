import Foundation
import HighNeeds

/// Results of analyses that other commands produce, shown in a report only when given.
///
/// A report built without them says so instead of drawing an empty or invented range.
public struct ReportAnalyses: Sendable {
  /// Percentile bands of the cumulative DSG balance by financial year, per scenario name (gbp).
  public var sweepBands: [String: FanBands] = [:]
  /// Inputs' effects on the final cumulative DSG balance, per scenario name (gbp).
  public var tornado: [String: (base: Double, bars: [TornadoBar])] = [:]
  /// Probability (fraction) by financial year that the cumulative deficit passes each
  /// threshold, per scenario name.
  public var exceedance: [String: [(threshold: String, probability: [Double])]] = [:]
  /// The sweep and tornado directories behind the range (for provenance).
  public var ranges: [RangeEvidence] = []
  /// Earlier `hnb backtest` runs, read back from their output directories.
  public var backtests: [BacktestAccuracy] = []
  /// One notice for each piece of evidence shown although it was not made from the report's
  /// inputs as they are now (`hnb report --allow-stale-evidence`); printed first on the paper.
  public var staleEvidence: [String] = []

  public init() {}
}

/// Builds the report's rounded tables and charts from checked results.
///
/// Money is printed in thousands of pounds and plans as whole numbers, rounded by
/// `LargestRemainder` so that every table adds up; the CSVs keep the unrounded values.
public enum ReportBuilder {
  /// The label of a base case.
  public static let baseLabel = "Base case (unmitigated)"
  /// The label of anything that is not the base case.
  public static let scenarioLabel = "Scenario: an assumption, not a target"

  /// The paper for `results` (sorted by name), with its provenance: `sources[i]` (where
  /// `results[i]`'s scenario came from) give the assumptions appendix and the input hashes.
  public static func build(
    _ results: [ScenarioResult], sources: [ScenarioSource], analyses: ReportAnalyses = ReportAnalyses(),
    command: String, generatedOn: String
  ) throws -> Report {
    precondition(
      results.map(\.scenario.name) == sources.map(\.name), "a source for each result, in the same order")
    let sorted = results.sorted { $0.scenario.name < $1.scenario.name }
    let sortedSources = sources.sorted { $0.name < $1.name }
    var sections = [summary(sorted)]
    for r in sorted { sections.append(scenarioSection(r, analyses: analyses)) }
    sections.append(rangeSection(sorted, analyses: analyses))
    sections.append(appendix(sorted, sources: sortedSources))
    // After the assumptions appendix: the backtest is evidence about the method, not a result.
    sections.append(backtestSection(analyses.backtests))
    let preface = [
      "Every output that is not the base case is a scenario: an assumption, not a target.",
      "Money is cash pounds in thousands (£000); plans are whole numbers. Figures are rounded so that "
        + "every table adds up (largest-remainder rounding); the CSV files of hnb run hold the unrounded values.",
      "A negative balance is a deficit. Financial years run April to March; plans are counted at the January census.",
    ]
    return Report(
      title: "High Needs Block forecast", warnings: analyses.staleEvidence, preface: preface, sections: sections,
      provenance: ReportProvenance(
        toolVersion: toolVersion, generatedOn: generatedOn, command: command,
        inputSHA256: try inputHashes(sortedSources) + analyses.backtests.flatMap(\.files)
          + analyses.ranges.flatMap(\.files)))
  }

  /// The unmitigated balance rounded to £000 and the savings that take it to the rounded
  /// mitigated balance, so both balances print as themselves and the pair adds up.
  static func balancePair(unmitigated: Double, mitigated: Double) -> [Double] {
    let u = LargestRemainder.round(unmitigated, unit: 1000)
    return [u, LargestRemainder.round(mitigated, unit: 1000) - u]
  }

  static func label(_ s: Scenario) -> String { s.isBase ? baseLabel : scenarioLabel }

  static func inputHashes(_ sources: [ScenarioSource]) throws -> [(file: String, sha256: String)] {
    try Manifest.inputHashes(sources.flatMap(\.files))
      .map { (file: $0.key, sha256: $0.value) }.sorted { $0.file < $1.file }
  }

  // MARK: Summary

  /// For a scenario that states the 2026 settlement, one sentence a Forum member reads: the
  /// deficit written off, the council's share, and the deficit accrued since the deficit date.
  static func settlementSentence(_ r: ScenarioResult) -> String? {
    let s = r.scenario
    guard let settlement = s.settlement, !r.reserve.isEmpty else { return nil }
    func money(_ x: Double) -> String { NumberFormat.poundsMillions(abs(x)) }
    func year(_ f: Int) -> String { s.financialYearLabel(f) }
    let eligible = settlement.years(
      opening: s.openingBalance, inYear: r.reserve.map(\.inYear), contributions: s.contributions
    ).eligible
    let date = "31 March \(s.baseCensusYear + settlement.deficitYear + 1)"
    // The eligible deficit is the lowest of the figures the DfE compares: say which it is.
    let lowest = settlement.figures.min { $0.deficitGBP < $1.deficitGBP }
    let basis =
      lowest.map { " (the lowest of the \(settlement.figures.count) figures compared: \($0.source))" }
      ?? " (the run's own deficit at that date)"
    let share = NumberFormat.percent(settlement.writeOffShare)
    let localShare = money((1 - settlement.writeOffShare) * eligible)
    var text = "\(s.title): "
    if let g = settlement.grantYear {
      text += "the High Needs Stability Grant writes off \(money(settlement.writeOffShare * eligible)) (\(share)) "
      text += "of the eligible deficit of \(money(eligible)) at \(date)\(basis), received in \(year(g)); "
    } else {
      text += "no High Needs Stability Grant is received (no approved plan assumed), so the eligible deficit of "
      text += "\(money(eligible)) at \(date)\(basis) stays on the DSG; "
    }
    if let l = settlement.localShareYear {
      text += "the council pays its share of \(localShare) into the DSG in \(year(l)). "
    } else {
      text += "the council's share of \(localShare) stays on the DSG as a deficit. "
    }
    let last = r.reserve.count - 1
    let accruing = r.reserve[last].settlement.accruingBalance
    let end = "31 March \(s.baseCensusYear + last + 1)"
    if accruing < 0 {
      text += "By \(end) a further deficit of \(money(accruing)) has accrued since \(date)"
    } else {
      text += "By \(end) the DSG has gained \(money(accruing)) since \(date)"
    }
    let pressure = r.reserve.reduce(0) { $0 + $1.settlement.generalFundPressure }
    if let o = settlement.overrideLastYear, o < last {
      text += "; after the statutory override ends in \(year(o)), \(money(pressure)) of in-year deficits "
      text += "fall on the council's general fund (an assumption: national policy from 2028-29 is not settled)."
    } else {
      text += "."
    }
    return text
  }

  static func summary(_ results: [ScenarioResult]) -> ReportSection {
    var rows: [[ReportCell]] = []
    for r in results {
      let s = r.scenario
      let last = s.horizonYears - 1
      let unmitigated = (r.unmitigatedReserve ?? r.reserve)[last].closing
      let mitigated = r.reserve[last].closing
      let rounded = balancePair(unmitigated: unmitigated, mitigated: mitigated)
      let first = r.kpis.firstIndex { $0.deficitAboveOnePercent }.map { s.financialYearLabel($0) } ?? "never"
      rows.append([
        .text(s.title), .text(s.isBase ? "base case" : "scenario"), .text(first),
        .number(LargestRemainder.round(r.kpis[last].totalPlans)), .number(rounded[0] / 1000),
        .number(rounded[1] / 1000), .number((rounded[0] + rounded[1]) / 1000),
      ])
    }
    let lastYear = results.first.map { "31 March \($0.scenario.baseCensusYear + $0.scenario.horizonYears)" } ?? ""
    let table = ReportTable(
      id: "summary", title: "Summary: cumulative DSG balance at \(lastYear), unmitigated beside mitigated",
      columns: [
        ReportColumn("Scenario", .text), ReportColumn("Kind", .text),
        ReportColumn("First year deficit above 1% of DSG", .text), ReportColumn("Plans at last census", .plans),
        ReportColumn("Unmitigated balance", .gbpThousands), ReportColumn("Savings from mitigations", .gbpThousands),
        ReportColumn("Mitigated balance", .gbpThousands),
      ],
      rows: rows,
      note: "Unmitigated balance + savings from mitigations = mitigated balance. A scenario without mitigations "
        + "shows the same balance twice.")
    var blocks: [ReportBlock] = [.table(table)]
    blocks += results.compactMap(settlementSentence).map(ReportBlock.paragraph)
    if let first = results.first {
      let s = first.scenario
      let x = (0..<s.horizonYears).map { s.financialYearLabel($0) }
      var columns = [ReportColumn("Financial year", .text)]
      var series: [ChartSeries] = []
      var tableRows = x.map { [ReportCell.text($0)] }
      let sameAxis = results.allSatisfy {
        $0.scenario.baseCensusYear == s.baseCensusYear && $0.scenario.horizonYears == s.horizonYears
      }
      if sameAxis {
        for r in results {
          let name = r.scenario.name + (r.scenario.mitigations.isEmpty ? "" : " (mitigated)")
          columns.append(ReportColumn(name, .gbpThousands))
          let values = r.reserve.map { LargestRemainder.round($0.closing, unit: 1000) / 1000 }
          for (f, v) in values.enumerated() { tableRows[f].append(.number(v)) }
          series.append(ChartSeries(name: name, values: values.map { $0 / 1000 }))
        }
        let threshold = ChartSeries(
          name: "Deficit of 1% of DSG", values: first.accounts.map { -$0.totalDSG / 100 / 1e6 }, dashed: true)
        let chartTable = ReportTable(
          id: "summary_balance", title: "Cumulative DSG balance at 31 March, by scenario", columns: columns,
          rows: tableRows, note: "Each scenario as written (with its mitigations). Negative is a deficit.")
        blocks.append(
          .figure(
            .lines(
              ChartSpec(
                title: "Cumulative DSG balance at 31 March, by scenario", xLabel: "Financial year",
                yLabel: "Cumulative balance (£m)", x: x), series: series, threshold: threshold), chartTable))
      }
    }
    return ReportSection(id: "summary", title: "Summary", label: nil, blocks: blocks)
  }

  // MARK: One scenario

  static func scenarioSection(_ r: ScenarioResult, analyses: ReportAnalyses) -> ReportSection {
    let s = r.scenario
    var blocks: [ReportBlock] = []
    if !s.description.isEmpty { blocks.append(.paragraph(s.description)) }
    blocks.append(balance(r))
    var subsections = [
      ReportSection(
        id: "\(s.name)-plans", title: "Plans", label: nil, blocks: [placementGroups(r), .table(ageBands(r))]),
      ReportSection(id: "\(s.name)-spend", title: "Spend and the DSG reserve", label: nil, blocks: spend(r)),
    ]
    if !s.mitigations.isEmpty {
      subsections.append(
        ReportSection(id: "\(s.name)-savings", title: "Savings by mitigation", label: nil, blocks: savings(r)))
    }
    if !s.outturn.isEmpty {
      subsections.append(
        ReportSection(
          id: "\(s.name)-outturn", title: "Forecast against outturn", label: nil, blocks: [.table(outturn(r))]))
    }
    return ReportSection(
      id: s.name, title: s.title, label: label(s), blocks: blocks, subsections: subsections)
  }

  static func balance(_ r: ScenarioResult) -> ReportBlock {
    let s = r.scenario
    let x = (0..<s.horizonYears).map { s.financialYearLabel($0) }
    let mitigated = r.reserve.map(\.closing)
    let percent = r.kpis.map { ReportCell.number(LargestRemainder.round($0.cumulativeDeficitPercentOfDSG, unit: 0.1)) }
    let above = r.kpis.map { ReportCell.text($0.deficitAboveOnePercent ? "yes" : "no") }
    let threshold = ChartSeries(
      name: "Deficit of 1% of DSG", values: r.accounts.map { -$0.totalDSG / 100 / 1e6 }, dashed: true)
    let spec = ChartSpec(
      title: "Cumulative DSG balance at 31 March" + (s.isBase ? "" : " (scenario: an assumption, not a target)"),
      xLabel: "Financial year", yLabel: "Cumulative balance (£m)", x: x)
    guard let unmitigatedReserve = r.unmitigatedReserve else {
      let values = mitigated.map { LargestRemainder.round($0, unit: 1000) / 1000 }
      let table = ReportTable(
        id: "\(s.name)_balance", title: "Cumulative DSG balance by year",
        columns: [
          ReportColumn("Financial year", .text), ReportColumn("Cumulative balance", .gbpThousands),
          ReportColumn("Deficit as % of DSG", .percent), ReportColumn("Deficit above 1% of DSG", .text),
        ],
        rows: x.indices.map { [.text(x[$0]), .number(values[$0]), percent[$0], above[$0]] },
        note: "Negative is a deficit. This run has no mitigations, so it is unmitigated.")
      return .figure(
        .lines(
          spec, series: [ChartSeries(name: "Unmitigated", values: values.map { $0 / 1000 }, dashed: false)],
          threshold: threshold), table)
    }
    var rows: [[ReportCell]] = []
    var unmitigatedSeries: [Double] = []
    var mitigatedSeries: [Double] = []
    for f in x.indices {
      let u = unmitigatedReserve[f].closing
      let rounded = balancePair(unmitigated: u, mitigated: mitigated[f]).map { $0 / 1000 }
      rows.append([
        .text(x[f]), .number(rounded[0]), .number(rounded[1]), .number(rounded[0] + rounded[1]), percent[f], above[f],
      ])
      unmitigatedSeries.append(rounded[0] / 1000)
      mitigatedSeries.append((rounded[0] + rounded[1]) / 1000)
    }
    let table = ReportTable(
      id: "\(s.name)_balance", title: "Cumulative DSG balance by year, unmitigated beside mitigated",
      columns: [
        ReportColumn("Financial year", .text), ReportColumn("Unmitigated balance", .gbpThousands),
        ReportColumn("Cumulative savings", .gbpThousands), ReportColumn("Mitigated balance", .gbpThousands),
        ReportColumn("Mitigated deficit as % of DSG", .percent),
        ReportColumn("Mitigated deficit above 1% of DSG", .text),
      ],
      rows: rows, note: "Unmitigated balance + cumulative savings = mitigated balance. Negative is a deficit.")
    return .figure(
      .lines(
        spec,
        series: [
          ChartSeries(name: "Unmitigated", values: unmitigatedSeries, dashed: true),
          ChartSeries(name: "Mitigated", values: mitigatedSeries, dashed: false),
        ], threshold: threshold), table)
  }

  /// Plans by census, summed over cells that `key` maps to column `c`, rounded per row.
  static func plansTable(
    _ r: ScenarioResult, id: String, title: String, columns: [String], key: (_ age: Int, _ placement: Int) -> Int?
  ) -> ReportTable {
    let s = r.scenario
    let P = s.placementCount
    let N = s.needCount
    var rows: [[ReportCell]] = []
    for t in 0...s.horizonYears {
      var parts = Array(repeating: 0.0, count: columns.count)
      for a in 0..<AgeAxis.count {
        for p in 0..<P {
          guard let c = key(a, p) else { continue }
          for n in 0..<N { parts[c] += r.path.plans[t][(a * N + n) * P + p] }
        }
      }
      let rounded = LargestRemainder.round(parts)
      rows.append(
        [.text("January \(s.censusYear(t))")] + rounded.map(ReportCell.number) + [.number(rounded.reduce(0, +))])
    }
    return ReportTable(
      id: id, title: title,
      columns: [ReportColumn("Census", .text)] + columns.map { ReportColumn($0, .plans) } + [
        ReportColumn("Total", .plans)
      ],
      rows: rows,
      note: "Plans at the January census"
        + (s.mitigations.isEmpty ? "" : ", with the scenario's mitigations") + "; each row adds up to its total.")
  }

  static func placementGroups(_ r: ScenarioResult) -> ReportBlock {
    let s = r.scenario
    let groups = PlacementGroup.allCases
    let table = plansTable(
      r, id: "\(s.name)_placement_groups", title: "Plans by placement group", columns: groups.map(\.label)
    ) { _, p in groups.firstIndex(of: s.taxonomy.placements[p].group) }
    let series = groups.indices.map { g in
      ChartSeries(
        name: groups[g].label,
        values: table.rows.map { row in
          if case .number(let v) = row[g + 1] { return v }
          return 0
        })
    }
    let spec = ChartSpec(
      title: "Plans by placement group" + (s.isBase ? "" : " (scenario: an assumption, not a target)"),
      xLabel: "January census", yLabel: "Plans",
      x: (0...s.horizonYears).map { String(s.censusYear($0)) })
    return .figure(.stackedArea(spec, series: series), table)
  }

  static func ageBands(_ r: ScenarioResult) -> ReportTable {
    let labels = ["Under 5", "5 to 10", "11 to 15", "16 to 19", "20 to 25"]
    return plansTable(
      r, id: "\(r.scenario.name)_age_bands", title: "Plans by age band (age at 31 August)",
      columns: AgeAxis.bands.indices.map { labels.indices.contains($0) ? labels[$0] : AgeAxis.bands[$0].id }
    ) { a, _ in AgeAxis.bands.firstIndex { $0.ages.contains(a) } }
  }

  static func spend(_ r: ScenarioResult) -> [ReportBlock] {
    let s = r.scenario
    let x = (0..<s.horizonYears).map { s.financialYearLabel($0) }
    var labels = s.costLines.map(\.label) + s.centralLines.map(\.label)
    labels += s.mitigations.map { "\($0.label): cost of the mitigation" }
    var columns: [[Double]] = []
    for y in r.accounts {
      let parts =
        zip(y.topUpCost, y.placeFundingCost).map { $0 + $1 } + y.central
        + (s.mitigations.isEmpty ? [] : y.mitigationCosts)
      columns.append(LargestRemainder.round(parts, unit: 1000, total: y.expenditure).map { $0 / 1000 })
    }
    // A mitigation that costs nothing in any year gets no line.
    let shown = labels.indices.filter { i in
      i < s.costLines.count + s.centralLines.count
        || r.accounts.contains { $0.mitigationCosts[i - labels.count + s.mitigations.count] != 0 }
    }
    var rows: [[ReportCell]] = shown.map { i in [.text(labels[i])] + columns.map { .number($0[i]) } }
    rows.append([.text("Total High Needs expenditure")] + columns.map { .number($0.reduce(0, +)) })
    let spendTable = ReportTable(
      id: "\(s.name)_spend", title: "Spend by line",
      columns: [ReportColumn("Line", .text)] + x.map { ReportColumn($0, .gbpThousands) }, rows: rows,
      totalRows: [rows.count - 1],
      note: "Placement lines include top-ups, fees and place funding. Each year's lines add up to its total.")

    var corkscrew: [[ReportCell]] = []
    var opening = LargestRemainder.round(s.openingBalance, unit: 1000)
    // With the 2026 settlement, the grant and the council's share are flows of their own, and the
    // closing balance is split into the historic deficit and the balance accruing since.
    let settled = s.settlement != nil
    for (f, y) in r.reserve.enumerated() {
      // Opening is last year's rounded closing, so the corkscrew carries forward in print too.
      let closing = LargestRemainder.round(y.closing, unit: 1000)
      var parts = [y.income, -y.expenditure, y.contributions]
      if settled { parts.append(y.settlement.stabilityGrant + y.settlement.localShare) }
      let flows = LargestRemainder.round(parts, unit: 1000, total: closing - opening)
      var row = [opening, flows[0], -flows[1], flows[2], flows[0] + flows[1]]
      if settled {
        // The historic deficit rounded on its own (it is constant once the grant is in); the
        // accruing balance is the rest, so the two add up to the printed closing balance.
        let historic = LargestRemainder.round(y.settlement.historicBalance, unit: 1000)
        row += [flows[3], closing, historic, closing - historic]
      } else {
        row.append(closing)
      }
      corkscrew.append([.text(x[f])] + row.map { .number($0 / 1000) })
      opening = closing
    }
    var dsgColumns = [
      ReportColumn("Financial year", .text), ReportColumn("Opening balance", .gbpThousands),
      ReportColumn("Income", .gbpThousands), ReportColumn("Expenditure", .gbpThousands),
      ReportColumn("Contributions", .gbpThousands), ReportColumn("In-year balance", .gbpThousands),
    ]
    var note =
      "Opening + income − expenditure + contributions = closing; each closing balance is the next opening. "
      + "Negative is a deficit."
    if settled {
      dsgColumns += [
        ReportColumn("Stability grant and council's share", .gbpThousands),
        ReportColumn("Closing balance", .gbpThousands), ReportColumn("Historic deficit", .gbpThousands),
        ReportColumn("Accruing since the deficit date", .gbpThousands),
      ]
      note =
        "Opening + income − expenditure + contributions + stability grant and council's share = closing; each "
        + "closing balance is the next opening. The closing balance is the historic deficit (at the deficit date, "
        + "net of the grant and the council's share) plus the balance accruing since. Negative is a deficit."
    } else {
      dsgColumns.append(ReportColumn("Closing balance", .gbpThousands))
    }
    let dsgTable = ReportTable(
      id: "\(s.name)_dsg", title: "The DSG reserve corkscrew", columns: dsgColumns, rows: corkscrew, note: note)
    return [.table(spendTable), .table(dsgTable)]
  }

  static func savings(_ r: ScenarioResult) -> [ReportBlock] {
    let s = r.scenario
    guard let unmitigated = r.unmitigatedAccounts, let unmitigatedReserve = r.unmitigatedReserve else { return [] }
    let x = (0..<s.horizonYears).map { s.financialYearLabel($0) }
    var columns: [[Double]] = []
    for f in x.indices {
      let parts = s.mitigations.indices.map { r.savings[$0][f] }
      let total = unmitigated[f].expenditure - r.accounts[f].expenditure
      columns.append(LargestRemainder.round(parts, unit: 1000, total: total).map { $0 / 1000 })
    }
    var rows: [[ReportCell]] = s.mitigations.indices.map { i in
      [.text(s.mitigations[i].label)] + columns.map { .number($0[i]) } + [.number(columns.reduce(0) { $0 + $1[i] })]
    }
    let totals = columns.map { $0.reduce(0, +) }
    rows.append([.text("All mitigations")] + totals.map(ReportCell.number) + [.number(totals.reduce(0, +))])
    let table = ReportTable(
      id: "\(s.name)_savings", title: "Savings by mitigation",
      columns: [ReportColumn("Mitigation", .text)] + x.map { ReportColumn($0, .gbpThousands) } + [
        ReportColumn("All years", .gbpThousands)
      ],
      rows: rows, totalRows: [rows.count - 1],
      note: "Expenditure saved against the unmitigated run, net of each mitigation's own cost; interactions are "
        + "shared out by Shapley attribution so the parts add up to the total. Each year adds up; "
        + "all-years figures are sums of the rounded years.")

    let last = s.horizonYears - 1
    let start = unmitigatedReserve[last].closing
    let end = r.reserve[last].closing
    let steps = s.mitigations.indices.map { i in r.savings[i].reduce(0, +) }
    let startRounded = LargestRemainder.round(start, unit: 1000)
    let stepsRounded = LargestRemainder.round(
      steps, unit: 1000, total: LargestRemainder.round(end, unit: 1000) - startRounded)
    let rounded = ([startRounded] + stepsRounded).map { $0 / 1000 }
    let endRounded = rounded.reduce(0, +)
    let lastLabel = "31 March \(s.baseCensusYear + s.horizonYears)"
    var waterfallRows: [[ReportCell]] = [[.text("Unmitigated balance at \(lastLabel)"), .number(rounded[0])]]
    for (i, m) in s.mitigations.enumerated() { waterfallRows.append([.text(m.label), .number(rounded[i + 1])]) }
    waterfallRows.append([.text("Mitigated balance at \(lastLabel)"), .number(endRounded)])
    let waterfallTable = ReportTable(
      id: "\(s.name)_waterfall", title: "From the unmitigated to the mitigated balance at \(lastLabel)",
      columns: [ReportColumn("Step", .text), ReportColumn("Amount", .gbpThousands)], rows: waterfallRows,
      totalRows: [waterfallRows.count - 1],
      note: "Income does not depend on mitigations, so the balance improves by the sum of every year's savings.")
    let chart = ReportChart.waterfall(
      ChartSpec(
        title: "Savings by mitigation, cumulative to \(lastLabel) (scenario: an assumption, not a target)",
        xLabel: "", yLabel: "Cumulative balance (£m)", x: []),
      start: ChartBar(label: "Unmitigated", value: rounded[0] / 1000),
      steps: s.mitigations.indices.map { ChartBar(label: s.mitigations[$0].label, value: rounded[$0 + 1] / 1000) },
      end: ChartBar(label: "Mitigated", value: endRounded / 1000))
    return [.figure(chart, waterfallTable), .table(table)]
  }

  static func outturn(_ r: ScenarioResult) -> ReportTable {
    let s = r.scenario
    var rows: [[ReportCell]] = []
    for o in s.outturn.sorted(by: { ($0.year, $0.measure.rawValue) < ($1.year, $1.measure.rawValue) }) {
      let forecast: Double
      var format: (Double) -> String = { NumberFormat.grouped(LargestRemainder.round($0 * 100, unit: 0.1)) + "%" }
      if o.measure == .dsgClosingBalance {
        let f = o.year - s.baseCensusYear - 1
        guard (0..<s.horizonYears).contains(f) else { continue }
        forecast = r.reserve[f].closing
        format = { NumberFormat.grouped(LargestRemainder.round($0, unit: 1000) / 1000) + " £000" }
      } else {
        let t = o.year - s.baseCensusYear
        guard (0...s.horizonYears).contains(t) else { continue }
        let shares = KPIs.shares(taxonomy: s.taxonomy, occupancy: r.path.occupancy[t])
        switch o.measure {
        case .totalPlans:
          forecast = shares.total
          format = { NumberFormat.grouped(LargestRemainder.round($0)) + " plans" }
        case .shareMainstream: forecast = shares.mainstream
        case .shareInBorough: forecast = shares.inBorough
        default: forecast = shares.independent
        }
      }
      rows.append([
        .text(String(o.year)), .text(o.measure.rawValue.replacingOccurrences(of: "_", with: " ")),
        .text(format(forecast)),
        .text(format(o.value)), .text(format(forecast - o.value)), .text(o.source),
      ])
    }
    return ReportTable(
      id: "\(s.name)_outturn", title: "Forecast against outturn",
      columns: [
        ReportColumn("Year", .text), ReportColumn("Measure", .text), ReportColumn("Forecast", .text),
        ReportColumn("Actual", .text), ReportColumn("Forecast − actual", .text), ReportColumn("Source", .text),
      ],
      rows: rows,
      note: "Census measures are at January of the year; the DSG balance is at 31 March of the year. "
        + "Each figure is rounded on its own.")
  }

  // MARK: Range of outcomes, appendix

  static func rangeSection(_ results: [ScenarioResult], analyses: ReportAnalyses) -> ReportSection {
    var blocks: [ReportBlock] = []
    for r in results {
      let s = r.scenario
      let x = (0..<s.horizonYears).map { s.financialYearLabel($0) }
      let suffix = s.isBase ? "" : " (scenario: an assumption, not a target)"
      if let bands = analyses.sweepBands[s.name], bands.p50.count == x.count {
        let k = { (v: Double) in ReportCell.number(LargestRemainder.round(v, unit: 1000) / 1000) }
        let rows: [[ReportCell]] = x.indices.map { f in
          [.text(x[f]), k(bands.p10[f]), k(bands.p25[f]), k(bands.p50[f]), k(bands.p75[f]), k(bands.p90[f])]
        }
        let table = ReportTable(
          id: "\(s.name)_range", title: "\(s.name): range of the cumulative DSG balance",
          columns: [ReportColumn("Financial year", .text)]
            + ["P10", "P25", "Median", "P75", "P90"].map { ReportColumn($0, .gbpThousands) },
          rows: rows, note: "Percentiles over the sweep's runs; each is rounded on its own.")
        let m = { (v: [Double]) in v.map { $0 / 1e6 } }
        blocks.append(
          .figure(
            .fan(
              ChartSpec(
                title: "\(s.name): range of the cumulative DSG balance\(suffix)", xLabel: "Financial year",
                yLabel: "Cumulative balance (£m)", x: x),
              bands: FanBands(
                p10: m(bands.p10), p25: m(bands.p25), p50: m(bands.p50), p75: m(bands.p75), p90: m(bands.p90))),
            table))
      }
      if let thresholds = analyses.exceedance[s.name], !thresholds.isEmpty {
        let rows: [[ReportCell]] = x.indices.map { f in
          [.text(x[f])] + thresholds.map { .number(($0.probability[f] * 1000).rounded() / 10) }
        }
        blocks.append(
          .table(
            ReportTable(
              id: "\(s.name)_exceedance", title: "\(s.name): chance that the cumulative deficit passes each threshold",
              columns: [ReportColumn("Financial year", .text)]
                + thresholds.map { ReportColumn(thresholdTitle($0.threshold), .percent) },
              rows: rows,
              note: "The share of the sweep's runs in which the deficit at 31 March passes the threshold.")))
      }
      if let tornado = analyses.tornado[s.name], !tornado.bars.isEmpty {
        let bars = tornado.bars.sorted { abs($0.high - $0.low) > abs($1.high - $1.low) }
        let k = { (v: Double) in ReportCell.number(LargestRemainder.round(v, unit: 1000) / 1000) }
        let table = ReportTable(
          id: "\(s.name)_tornado", title: "\(s.name): what moves the final balance most",
          columns: [
            ReportColumn("Input", .text), ReportColumn("At the input's low value", .gbpThousands),
            ReportColumn("At the input's high value", .gbpThousands),
          ],
          rows: bars.map { [.text($0.input), k($0.low), k($0.high)] },
          note: "Base value \(NumberFormat.grouped(LargestRemainder.round(tornado.base, unit: 1000) / 1000)) £000.")
        blocks.append(
          .figure(
            .tornado(
              ChartSpec(
                title: "\(s.name): what moves the final balance most\(suffix)", xLabel: "Final cumulative balance (£m)",
                yLabel: "Input", x: bars.map(\.input)),
              base: tornado.base / 1e6,
              bars: bars.map { TornadoBar(input: $0.input, low: $0.low / 1e6, high: $0.high / 1e6) }), table))
      }
    }
    if !analyses.ranges.isEmpty {
      let sources = analyses.ranges.map { "`\($0.command)`" }.joined(separator: "; ")
      blocks.insert(
        .paragraph(
          "The range comes from \(sources): each run draws the uncertain inputs the scenario file states, so the "
            + "range is as good as those stated spreads; the single figures above are the scenario as written."),
        at: 0)
    }
    if blocks.isEmpty {
      blocks.append(
        .paragraph(
          "No sensitivity sweep was given, so this report shows no range: each figure above is a single "
            + "projection from stated assumptions, not a forecast with a known spread. The fan chart (P10–P90 and "
            + "P25–P75 around the median) and the tornado chart appear here when the report is given sweep results."))
    }
    return ReportSection(id: "range", title: "Range of outcomes", label: nil, blocks: blocks)
  }

  /// A sweep threshold as a column title: `deficit above £50000000` → `Deficit above £50,000,000`.
  static func thresholdTitle(_ threshold: String) -> String {
    if let pound = threshold.firstIndex(of: "£"), let amount = Double(threshold[threshold.index(after: pound)...]) {
      return "Deficit above £" + NumberFormat.grouped(amount)
    }
    return threshold.prefix(1).uppercased() + threshold.dropFirst()
  }

  /// One row per input file of values read cell by cell (a caseload or a rate table): how many,
  /// and where they are listed one by one.
  static func fileValueRows(_ assumptions: [AssumptionEntry]) -> [[ReportCell]] {
    var groups: [String: (key: String, file: String, unit: String, count: Int)] = [:]
    var order: [String] = []
    for a in assumptions where a.status == .fromFile {
      let key = String(a.key.prefix { $0 != "[" })
      let file = String(a.location.prefix { $0 != ":" })
      let id = key + "|" + file
      if groups[id] == nil {
        order.append(id)
        groups[id] = (key, file, a.unit, 0)
      }
      groups[id]?.count += 1
    }
    return order.compactMap { groups[$0] }.map { g in
      [
        .text(g.key), .text("\(NumberFormat.grouped(Double(g.count))) values (each in assumptions.csv)"), .text(g.unit),
        .text(AssumptionStatus.fromFile.rawValue), .text(g.file),
      ]
    }
  }

  /// The assumptions appendix: `sources[i]` is where `results[i]`'s scenario came from.
  static func appendix(_ results: [ScenarioResult], sources: [ScenarioSource]) -> ReportSection {
    let subsections = zip(results, sources).map { r, source in
      let s = r.scenario
      var rows: [[ReportCell]] = source.assumptions.filter { $0.status != .fromFile }.map { a in
        [.text(a.key), .text(a.value), .text(a.unit), .text(a.status.rawValue), .text(a.source)]
      }
      rows += fileValueRows(source.assumptions)
      return ReportSection(
        id: "\(s.name)-assumptions", title: "\(s.name)", label: label(s),
        blocks: [
          .table(
            ReportTable(
              id: "\(s.name)_assumptions", title: "Assumptions: \(s.name)",
              columns: [
                ReportColumn("Input", .text), ReportColumn("Value", .text), ReportColumn("Unit", .text),
                ReportColumn("Status", .text), ReportColumn("Source", .text),
              ],
              rows: rows, note: "Price basis: \(s.priceBasis). Where each value is defined: assumptions.csv."))
        ])
    }
    return ReportSection(
      id: "assumptions", title: "Appendix: assumptions", label: nil,
      blocks: [
        .paragraph(
          "Every input value a scenario used, with its unit, whether it is published data or an assumption, and "
            + "its source.")
      ], subsections: subsections)
  }
}

/// A report cell as the HTML and Markdown writers print it.
public enum ReportFormat {
  /// A cell as printed in a column of `unit`: numbers with thousands grouped
  /// (`NumberFormat.grouped`), percentages always with one decimal.
  public static func cell(_ c: ReportCell, unit: ReportUnit = .text) -> String {
    switch c {
    case .text(let t): return t
    case .number(let v) where unit == .percent: return NumberFormat.grouped(v, places: 1)
    case .number(let v): return NumberFormat.grouped(v)
    }
  }
}
