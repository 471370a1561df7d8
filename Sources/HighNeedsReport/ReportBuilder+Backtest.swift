import Foundation
import HighNeeds

extension ReportBuilder {
  /// The share of actuals a p10–p90 range should hold.
  static let nominalCoverage = 0.8
  /// Coverage within this distance of `nominalCoverage` is read as close to it; further off, the
  /// ranges are called too wide or too narrow.
  static let coverageTolerance = 0.1
  /// Below this many forecasts with a range, the coverage is called a rough check.
  static let roughCoverageCount = 30

  /// The backtest appendix: for each backtest given, MAPE by horizon of the method beside each
  /// naive baseline (chart and table), p10–p90 coverage, a plain reading of both and the
  /// backtest's own caveats; without one, a paragraph saying none was given.
  ///
  /// Every comparison in the text is between the values as printed (one decimal), so the words
  /// never disagree with the table.
  static func backtestSection(_ backtests: [BacktestAccuracy]) -> ReportSection {
    let title = "Appendix: backtest accuracy"
    guard !backtests.isEmpty else {
      return ReportSection(
        id: "backtest", title: title, label: nil,
        blocks: [
          .paragraph(
            "No backtest was given, so this report shows no backtest accuracy. Run hnb backtest on the census "
              + "history and give its output directory to hnb report with --backtest to show how well the "
              + "forecasting method did on past years beside naive baselines.")
        ])
    }
    let intro = ReportBlock.paragraph(
      "A backtest fits the forecasting method to the census history up to a past year (the origin), forecasts "
        + "the years after it, and compares the forecasts with what the census then counted. MAPE, the mean "
        + "absolute percentage error, is the average of |forecast − actual| / actual, in percent: lower is better. "
        + "The naive baselines are simple rules any method should beat: the last value carried forward, last "
        + "year's growth carried forward, and a straight line through the history. This measures forecasts of the "
        + "number of EHC plans by the method named below, not the scenarios' spend or balance, which are "
        + "projections from stated assumptions.")
    let subsections = backtests.enumerated().map { i, b in
      let history = b.historyFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
      return ReportSection(
        id: "backtest-\(i + 1)", title: "Backtest of \(history.isEmpty ? b.directory : history)", label: nil,
        blocks: backtestBlocks(b, id: "backtest_\(i + 1)"))
    }
    return ReportSection(id: "backtest", title: title, label: nil, blocks: [intro], subsections: subsections)
  }

  /// A forecaster's name as printed.
  static func forecasterLabel(_ name: String, isMethod: Bool) -> String {
    if isMethod { return "The method (\(name.replacingOccurrences(of: "_", with: " ")))" }
    let known = ["last_value": "Last value", "last_growth": "Last year's growth", "linear_trend": "Linear trend"]
    return "\(known[name] ?? name.replacingOccurrences(of: "_", with: " ")) (naive baseline)"
  }

  /// `1 year ahead`, `1 and 2 years ahead`, `1, 2 and 3 years ahead`.
  static func horizonsText(_ horizons: [Int]) -> String {
    let numbers = horizons.map(String.init)
    let list =
      numbers.count <= 1
      ? numbers.joined() : numbers.dropLast().joined(separator: ", ") + " and " + (numbers.last ?? "")
    return list + (horizons == [1] ? " year ahead" : " years ahead")
  }

  static func backtestBlocks(_ b: BacktestAccuracy, id: String) -> [ReportBlock] {
    let rounded = b.errors.map { e in e.mapePercent.map { LargestRemainder.round($0, unit: 0.1) } }
    let labels = b.errors.indices.map { forecasterLabel(b.errors[$0].name, isMethod: $0 == 0) }
    let x = b.horizons.map { $0 == 1 ? "1 year ahead" : "\($0) years ahead" }
    let originText =
      b.origins.count == 1
      ? "one origin (\(b.origins[0]))"
      : "\(b.origins.count) origins (\(b.origins.first ?? 0)–\(b.origins.last ?? 0))"

    // The reading: the method's own errors, then against each baseline.
    let method = rounded[0]
    let mapeText = { (v: Double) in ReportFormat.cell(.number(v), unit: .percent) + "%" }
    var reading =
      "Over \(originText), the method's forecasts of the total number of plans were off by "
      + "\(mapeText(method[0])) on average at 1 year ahead"
      + (b.horizons.count > 1 ? " and \(mapeText(method[method.count - 1])) at \(x[x.count - 1])." : ".")
    var notBeaten: [String] = []
    for j in 1..<b.errors.count {
      let baseline = rounded[j]
      let short = labels[j].replacingOccurrences(of: " (naive baseline)", with: "").lowercased()
      let better = b.horizons.indices.filter { method[$0] < baseline[$0] }.map { b.horizons[$0] }
      let same = b.horizons.indices.filter { method[$0] == baseline[$0] }.map { b.horizons[$0] }
      let worse = b.horizons.indices.filter { method[$0] > baseline[$0] }.map { b.horizons[$0] }
      var parts: [String] = []
      if better.count == b.horizons.count {
        parts.append("lower error at every horizon")
      } else {
        if !better.isEmpty { parts.append("lower error at \(horizonsText(better))") }
        if !same.isEmpty { parts.append("the same error at \(horizonsText(same))") }
        if !worse.isEmpty { parts.append("higher error at \(horizonsText(worse))") }
        notBeaten.append(short)
      }
      reading += " Against \(short): " + parts.joined(separator: ", ") + "."
    }
    reading +=
      notBeaten.isEmpty
      ? " So over these origins the method beat every naive baseline at every horizon."
      : " So over these origins the method did not beat every naive baseline: where \(notBeaten.joined(separator: " or ")) "
        + "did as well or better, that simple rule would have forecast as well."

    let mapeTable = ReportTable(
      id: "\(id)_mape", title: "Mean absolute percentage error by forecast horizon",
      columns: [ReportColumn("Forecaster", .text)] + x.map { ReportColumn($0, .percent) },
      rows: b.errors.indices.map { j in [.text(labels[j])] + rounded[j].map(ReportCell.number) },
      note: "Averaged over origins; forecasts averaged: "
        + b.horizons.indices.map { "\(b.methodErrors.forecasts[$0]) at \(x[$0])" }.joined(separator: ", ")
        + ". Each figure is rounded on its own. Source: summary.csv of the backtest.")
    let chart = ReportChart.groupedBars(
      ChartSpec(
        title: "Mean absolute percentage error by forecast horizon: the method beside naive baselines",
        xLabel: "Forecast horizon", yLabel: "Mean absolute error (% of actual)", x: x),
      series: b.errors.indices.map { ChartSeries(name: labels[$0], values: rounded[$0]) })

    // Coverage.
    let inside = b.covered.reduce(0, +)
    let total = b.withInterval.reduce(0, +)
    let share = { (k: Int, n: Int) in
      n == 0 ? ReportCell.text("–") : .number(LargestRemainder.round(Double(k) / Double(n) * 100, unit: 0.1))
    }
    var coverageRows: [[ReportCell]] = b.horizons.indices.map { h in
      [
        .text(x[h]), .number(Double(b.covered[h])), .number(Double(b.withInterval[h])),
        share(b.covered[h], b.withInterval[h]),
      ]
    }
    coverageRows.append([.text("All horizons"), .number(Double(inside)), .number(Double(total)), share(inside, total)])
    let coverageTable = ReportTable(
      id: "\(id)_coverage", title: "Actuals inside the method's p10–p90 range",
      columns: [
        ReportColumn("Forecast horizon", .text), ReportColumn("Actuals inside p10–p90", .count),
        ReportColumn("Forecasts with a range", .count), ReportColumn("Share inside", .percent),
      ],
      rows: coverageRows,
      note: "A p10–p90 range that states its uncertainty rightly holds about 80% of actuals. Source: backtest.csv.")
    var coverageText: String
    if total == 0 {
      coverageText = "The backtest gave no p10–p90 ranges, so their coverage cannot be checked."
    } else {
      let p = Double(inside) / Double(total)
      coverageText =
        "Of the \(total) actuals, \(inside) (\(ReportFormat.cell(share(inside, total), unit: .percent))%) fell inside "
        + "the method's p10–p90 range; a range that states its uncertainty rightly would hold about 80% of them. "
      if p > nominalCoverage + coverageTolerance {
        coverageText +=
          "These ranges were wider than the errors turned out to be: cautious, but they overstate the uncertainty."
      } else if p < nominalCoverage - coverageTolerance {
        coverageText +=
          "These ranges were too narrow: outcomes fell outside them more often than the ranges imply, so read them "
          + "as too confident."
      } else {
        coverageText += "That is close to 80%."
      }
      if total < roughCoverageCount {
        coverageText += " With only \(total) forecasts, from overlapping years, this is a rough check."
      }
    }

    // The backtest's own caveats.
    var caveat = "What was backtested: \(b.methodDescription)."
    if !b.historyFiles.isEmpty { caveat += " History: \(b.historyFiles.joined(separator: ", "))." }
    if let first = b.windows.first {
      let firstYears = Set(b.windows.map(\.firstYear))
      let fitted = b.windows.map(\.yearsFitted)
      caveat +=
        " Fit windows: from the \(firstYears.count == 1 ? "\(first.firstYear)" : "\(firstYears.sorted().map(String.init).joined(separator: "/"))") "
        + "census to each origin, \((fitted.min() ?? 0) == (fitted.max() ?? 0) ? "\(fitted.min() ?? 0)" : "\(fitted.min() ?? 0)–\(fitted.max() ?? 0)") censuses fitted."
      if b.windows.contains(where: { $0.yearsFitted < $0.origin - $0.firstYear + 1 }) {
        caveat += " Some census years were left out of the fits (see the command)."
      }
    } else {
      caveat += " Fit windows: each ends at its origin (the backtest has no fits.csv saying where they start)."
    }
    caveat += " Made by: \(b.command)."
    var blocks: [ReportBlock] = [
      .paragraph(reading), .figure(chart, mapeTable), .paragraph(coverageText), .table(coverageTable),
      .paragraph(caveat),
    ]
    if b.warnings.isEmpty {
      blocks.append(.paragraph("The backtest gave no warning of a break in the series."))
    } else {
      blocks.append(.paragraph("The backtest warned of breaks in the series:"))
      for w in b.warnings {
        let text = w.hasPrefix("warning: ") ? String(w.dropFirst("warning: ".count)) : w
        blocks.append(.paragraph(text.prefix(1).uppercased() + text.dropFirst()))
      }
    }
    var others: [String] = []
    if !b.candidates.isEmpty {
      others.append(
        "other candidates scored beside the method (\(b.candidates.joined(separator: ", ")); candidates.csv)")
    }
    if !b.otherLevels.isEmpty {
      others.append("\(b.otherLevels.count) other series (age bands or placements; summary.csv)")
    }
    if !others.isEmpty {
      blocks.append(.paragraph("Not shown here: " + others.joined(separator: " and ") + "."))
    }
    return blocks
  }
}
