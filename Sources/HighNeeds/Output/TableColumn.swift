/// What a table column holds, stated where the table is built, so that every writer (CSV,
/// XLSX) types its cells from the table rather than guessing from the header.
public enum ColumnType: Sendable, Equatable {
  /// Words, ids, labels and file names: always text.
  case text
  /// A financial or academic year label (`2025-26`, `2026/27`): text, not a number.
  case yearLabel
  /// A census or calendar year (`2025`): a whole number, shown without separators.
  case year
  /// A whole number of years (an age, a ramp): shown without separators.
  case years
  /// Pounds at the run's price basis.
  case money
  /// A count of EHC plans (an expected value: fractional).
  case plans
  /// A count of commissioned places.
  case places
  /// A count of something else the header names (requests, assessments).
  case count
  /// A fraction (0.25 is a quarter), shown as a percentage.
  case fraction
  /// A percentage (1.5 is 1.5%).
  case percent
  /// A number whose unit a row states in another column (outturn, assumptions); a cell that
  /// is not a decimal number (a file name, a year label) is text.
  case number

  /// The Excel number format of the column's number cells; nil for text and for `number`
  /// (Excel's General format: the value as written).
  public var excelFormat: String? {
    switch self {
    case .text, .yearLabel, .number: nil
    case .year, .years: "0"
    case .money: "£#,##0;-£#,##0"
    case .plans, .places, .count: "#,##0"
    case .fraction: "0.0%"
    case .percent: "0.00"
    }
  }

  /// The unit shown in brackets after the header in a spreadsheet ("" when the header or the
  /// row already says it).
  public var unit: String {
    switch self {
    case .text, .yearLabel, .number, .year, .years, .count: ""
    case .money: "£"
    case .plans: "plans"
    case .places: "places"
    case .fraction: "fraction, shown as %"
    case .percent: "%"
    }
  }

  /// Whether the column's cells are numbers (written as number cells where the text is a
  /// finite decimal number).
  public var isNumeric: Bool { self != .text && self != .yearLabel }
}

/// One column of an output table: its CSV header and what it holds.
public struct TableColumn: Sendable, Equatable {
  public var name: String
  public var type: ColumnType

  public init(_ name: String, _ type: ColumnType) {
    self.name = name
    self.type = type
  }

  public static func text(_ name: String) -> Self { Self(name, .text) }
  public static func yearLabel(_ name: String) -> Self { Self(name, .yearLabel) }
  public static func year(_ name: String) -> Self { Self(name, .year) }
  public static func years(_ name: String) -> Self { Self(name, .years) }
  public static func money(_ name: String) -> Self { Self(name, .money) }
  public static func plans(_ name: String) -> Self { Self(name, .plans) }
  public static func places(_ name: String) -> Self { Self(name, .places) }
  public static func count(_ name: String) -> Self { Self(name, .count) }
  public static func fraction(_ name: String) -> Self { Self(name, .fraction) }
  public static func percent(_ name: String) -> Self { Self(name, .percent) }
  public static func number(_ name: String) -> Self { Self(name, .number) }
}

/// A written table: its typed columns and its CSV text (header row first).
public struct OutputTable: Sendable, Equatable {
  public var columns: [TableColumn]
  public var text: String

  public init(columns: [TableColumn], text: String) {
    self.columns = columns
    self.text = text
  }
}
