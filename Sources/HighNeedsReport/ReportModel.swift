import Foundation
import HighNeeds

/// A Schools Forum paper as data: sections of rounded tables and the charts drawn from them.
///
/// The HTML and Markdown writers only lay this out; every number is read off a `ScenarioResult`
/// by `ReportBuilder` and rounded there, so the two formats always print the same figures.
public struct Report: Sendable {
  public var title: String
  /// Warnings printed before anything else (evidence shown although it is stale); usually none.
  public var warnings: [String] = []
  /// What every reader must be told first (base case vs scenario, rounding, units).
  public var preface: [String]
  public var sections: [ReportSection]
  public var provenance: ReportProvenance
}

/// Where a report came from: enough to reproduce it.
public struct ReportProvenance: Sendable {
  public var toolVersion: String
  /// The date the report was made (ISO 8601, `YYYY-MM-DD`).
  public var generatedOn: String
  public var command: String
  /// Input file (relative to the working directory where possible) → SHA-256.
  public var inputSHA256: [(file: String, sha256: String)]
}

/// One section of the paper, optionally labelled base case or scenario.
public struct ReportSection: Sendable {
  public var id: String
  public var title: String
  /// "Base case (unmitigated)" or "Scenario: an assumption, not a target", where it applies.
  public var label: String?
  public var blocks: [ReportBlock]
  /// Sections nested one level down (a scenario's tables).
  public var subsections: [ReportSection] = []
}

/// A paragraph, a table, or a chart with the table it was drawn from.
public enum ReportBlock: Sendable {
  case paragraph(String)
  case table(ReportTable)
  case figure(ReportChart, ReportTable)
}

/// What a column holds, and so how it is printed and which unit its header names.
public enum ReportUnit: Sendable, Equatable {
  case text
  /// Whole plans (expected counts rounded to whole numbers).
  case plans
  /// Thousands of cash pounds.
  case gbpThousands
  /// A percentage with one decimal.
  case percent
  /// A whole number of the things the column's title names (forecasts, actuals).
  case count
}

/// A column heading with its unit.
public struct ReportColumn: Sendable {
  public var title: String
  public var unit: ReportUnit

  public init(_ title: String, _ unit: ReportUnit) {
    self.title = title
    self.unit = unit
  }

  /// The heading with its unit, as printed: `Income (£000)`.
  public var heading: String {
    switch unit {
    case .text: return title
    case .plans: return "\(title) (plans)"
    case .gbpThousands: return "\(title) (£000)"
    case .percent: return "\(title) (%)"
    case .count: return title
    }
  }
}

/// One cell: text, or a number already rounded for presentation (in the column's unit).
public enum ReportCell: Sendable, Equatable {
  case text(String)
  case number(Double)
}

/// A rounded table whose parts add up to its totals.
public struct ReportTable: Sendable {
  public var id: String
  public var title: String
  public var columns: [ReportColumn]
  public var rows: [[ReportCell]]
  /// Rows that are totals of the rows above them (printed bold).
  public var totalRows: Set<Int> = []
  /// How the table adds up, its source and any caveat.
  public var note: String?
}

/// A chart, with what it needs to be drawn; its numbers are those of its table.
public enum ReportChart: Sendable {
  /// Stacked areas over `x` (the series in stacking order, bottom first).
  case stackedArea(ChartSpec, series: [ChartSeries])
  /// Lines over `x`; a series may be dashed. `threshold` is drawn as a dotted reference line.
  case lines(ChartSpec, series: [ChartSeries], threshold: ChartSeries?)
  /// A waterfall from `start` through `steps` to `end` (the steps sum to `end − start`).
  case waterfall(ChartSpec, start: ChartBar, steps: [ChartBar], end: ChartBar)
  /// A fan: median line with P25–P75 and P10–P90 bands.
  case fan(ChartSpec, bands: FanBands)
  /// A tornado: each input's low and high result around the base value.
  case tornado(ChartSpec, base: Double, bars: [TornadoBar])
  /// Vertical bars grouped by `x` category, one bar a series in each group, each labelled with
  /// its value.
  case groupedBars(ChartSpec, series: [ChartSeries])
}

/// Title, axis labels (with units) and the category axis shared by every chart kind.
public struct ChartSpec: Sendable {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var x: [String]
}

/// A named series of values, one per x category.
public struct ChartSeries: Sendable {
  public var name: String
  public var values: [Double]
  public var dashed: Bool = false
}

/// One bar of a waterfall.
public struct ChartBar: Sendable {
  public var label: String
  public var value: Double
}

/// Percentiles of a measure by year from a sensitivity sweep.
public struct FanBands: Sendable {
  public var p10: [Double]
  public var p25: [Double]
  public var p50: [Double]
  public var p75: [Double]
  public var p90: [Double]
}

/// One input's effect on a measure: the result at its low and high values.
public struct TornadoBar: Sendable {
  public var input: String
  public var low: Double
  public var high: Double
}
