import CXLSXWriter
import Foundation
import HighNeeds

/// An XLSX file could not be written by libxlsxwriter.
public struct XLSXError: Error, LocalizedError, Sendable {
  public var message: String
  public var errorDescription: String? { "report.xlsx: \(message)" }
}

/// Writes `report.xlsx` for finance officers: one sheet per table of `hnb run`, with real numbers.
///
/// Cells are typed from the table's columns (`ColumnType`), never guessed from the header: every
/// number cell holds exactly the value its CSV file prints (parsed from the CSV text, so the two
/// cannot disagree), formatted `£#,##0` for money, `#,##0` for plans and places, `0.0%` for
/// fractions, Excel's General format where the row states the unit (assumptions, outturn); text
/// stays text and an empty cell stays empty; header rows are frozen, columns sized, units named in the headers. A sheet
/// `DfE management plan` lays plans out like the DfE DSG management plan (7 placement groups ×
/// 5 age bands by census year, unmitigated and mitigated), and `Charts` holds native Excel
/// charts of the headline series. `ehcp.csv` (one row per caseload cell) stays CSV only.
public enum XLSXReport {
  /// The sheets, in order: sheet name and the CSV file it comes from.
  public static let sheets: [(sheet: String, csv: String)] = [
    ("summary", "summary.csv"), ("kpis", "kpis.csv"), ("dsg", "dsg.csv"), ("finance", "finance.csv"),
    ("mitigations", "mitigations.csv"), ("management_plan", "management_plan.csv"), ("flows", "flows.csv"),
    ("outturn", "outturn.csv"), ("assumptions", "assumptions.csv"), ("lsrp", "lsrp.csv"),
  ]

  /// The header as shown: the CSV name, with its unit in brackets where the column's type
  /// has one.
  static func heading(_ column: TableColumn) -> String {
    column.type.unit.isEmpty ? column.name : "\(column.name) (\(column.type.unit))"
  }

  /// The value of a number cell: `text` when it is a finite decimal number as the scenario
  /// files and the CSV writers write them (`2_984_096` is 2984096: the value as written in a
  /// scenario); nil for hexadecimal, NaN, infinity and anything else.
  static func number(_ text: String) -> Double? { parseNumber(text) }

  /// The workbook's bytes, from the typed tables (file name → table) of `RunTables.typedTables`.
  ///
  /// `created` is written as the workbook's creation time (libxlsxwriter would otherwise use
  /// the clock), so the same inputs and date give the same bytes. `warnings` (evidence shown
  /// although stale), when there are any, fill a first sheet `WARNING` that opens with the
  /// workbook; without them the workbook is unchanged.
  public static func data(tables: [String: OutputTable], title: String, created: Date, warnings: [String] = []) throws
    -> Data
  {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-\(UUID().uuidString).xlsx").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard let workbook = workbook_new(path) else {
      throw XLSXError(message: "libxlsxwriter could not start a workbook")
    }
    var properties = lxw_doc_properties()
    properties.created = max(1, time_t(created.timeIntervalSince1970))
    let titleCopy = strdup(title)
    defer { free(titleCopy) }
    properties.title = titleCopy
    let status = workbook_set_properties(workbook, &properties)
    if status != LXW_NO_ERROR { throw XLSXError(message: String(cString: lxw_strerror(status))) }

    let bold = workbook_add_format(workbook)
    format_set_bold(bold)
    format_set_text_wrap(bold)
    format_set_align(bold, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
    var formats: [String: UnsafeMutablePointer<lxw_format>] = [:]
    func format(_ code: String) -> UnsafeMutablePointer<lxw_format>? {
      if let f = formats[code] { return f }
      let f = workbook_add_format(workbook)
      format_set_num_format(f, code)
      formats[code] = f
      return f
    }

    if !warnings.isEmpty {
      guard let ws = workbook_add_worksheet(workbook, "WARNING") else {
        throw XLSXError(message: "could not add the warning sheet")
      }
      let red = workbook_add_format(workbook)
      format_set_bold(red)
      format_set_text_wrap(red)
      format_set_font_color(red, 0xB0_0020)
      format_set_align(red, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
      worksheet_set_column(ws, 0, 0, 120, nil)
      for (r, line) in warnings.enumerated() {
        worksheet_write_string(ws, lxw_row_t(r), 0, line, red)
        worksheet_set_row(ws, lxw_row_t(r), 15 * Double(1 + line.count / 110), nil)
      }
    }
    var parsed: [String: (header: [String], rows: [[String]])] = [:]
    for (sheet, csv) in sheets {
      guard let table = tables[csv] else { continue }
      let rows = parse(table.text)
      guard let header = rows.first else { continue }
      guard header == table.columns.map(\.name) else {
        throw XLSXError(message: "\(csv): the CSV header \(header) is not the table's columns")
      }
      parsed[csv] = (header, Array(rows.dropFirst()))
      guard let ws = workbook_add_worksheet(workbook, sheet) else {
        throw XLSXError(message: "could not add sheet \(sheet)")
      }
      let types = table.columns.map(\.type)
      var widths = table.columns.map { min(max(heading($0).count, 8), 40) }
      for (c, column) in table.columns.enumerated() {
        worksheet_write_string(ws, 0, lxw_col_t(c), heading(column), bold)
      }
      for (r, row) in rows.dropFirst().enumerated() {
        for (c, cell) in row.enumerated() where c < header.count && !cell.isEmpty {
          // Empty cells stay empty; a number column's cells are number cells, text stays text.
          let rowIndex = lxw_row_t(r + 1)
          if types[c].isNumeric, let value = number(cell) {
            worksheet_write_number(ws, rowIndex, lxw_col_t(c), value, types[c].excelFormat.flatMap(format))
          } else {
            worksheet_write_string(ws, rowIndex, lxw_col_t(c), cell, nil)
            widths[c] = min(max(widths[c], cell.count + 1), 60)
          }
        }
      }
      for (c, type) in types.enumerated() {
        let width = type.isNumeric ? max(widths[c], 14) : widths[c]
        worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), Double(width), nil)
      }
      worksheet_set_row(ws, 0, 32, nil)
      worksheet_freeze_panes(ws, 1, 0)
    }
    if let plan = parsed["management_plan.csv"] {
      try managementPlanSheet(workbook, plan, bold: bold, format: format("#,##0"))
    }
    if let kpis = parsed["kpis.csv"], let columns = tables["kpis.csv"]?.columns {
      try charts(workbook, kpis, columns: columns)
    }
    let closed = workbook_close(workbook)
    if closed != LXW_NO_ERROR { throw XLSXError(message: String(cString: lxw_strerror(closed))) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw XLSXError(message: "libxlsxwriter wrote nothing")
    }
    return data
  }

  /// Plans shaped like the DfE DSG management plan: per scenario, unmitigated then mitigated,
  /// 7 placement groups × 5 age bands down, census years across.
  static func managementPlanSheet(
    _ workbook: UnsafeMutablePointer<lxw_workbook>, _ table: (header: [String], rows: [[String]]),
    bold: UnsafeMutablePointer<lxw_format>?, format: UnsafeMutablePointer<lxw_format>?
  ) throws {
    guard let ws = workbook_add_worksheet(workbook, "DfE management plan") else {
      throw XLSXError(message: "could not add the management plan sheet")
    }
    let column = { (name: String) in table.header.firstIndex(of: name) ?? 0 }
    let (scenario, census, label, band) = (
      column("scenario"), column("census_year"), column("placement_group_label"), column("age_band")
    )
    var scenarios: [String] = []
    for row in table.rows where !scenarios.contains(row[scenario]) { scenarios.append(row[scenario]) }
    var r: lxw_row_t = 0
    worksheet_write_string(
      ws, r, 0, "EHC plans by placement group and age band at each January census (plans; CSV: management_plan.csv)",
      bold)
    r += 2
    for name in scenarios {
      let rows = table.rows.filter { $0[scenario] == name }
      var years: [String] = []
      for row in rows where !years.contains(row[census]) { years.append(row[census]) }
      var keys: [(String, String)] = []
      for row in rows where !keys.contains(where: { $0 == (row[label], row[band]) }) {
        keys.append((row[label], row[band]))
      }
      for (measure, title) in [("unmitigated_plans", "unmitigated"), ("mitigated_plans", "mitigated")] {
        let value = column(measure)
        worksheet_write_string(ws, r, 0, "\(name): \(title) (plans)", bold)
        r += 1
        worksheet_write_string(ws, r, 0, "Placement group", bold)
        worksheet_write_string(ws, r, 1, "Age band", bold)
        for (j, y) in years.enumerated() { worksheet_write_string(ws, r, lxw_col_t(2 + j), "January \(y)", bold) }
        r += 1
        for key in keys {
          worksheet_write_string(ws, r, 0, key.0, nil)
          worksheet_write_string(ws, r, 1, key.1, nil)
          for (j, y) in years.enumerated() {
            if let row = rows.first(where: { $0[label] == key.0 && $0[band] == key.1 && $0[census] == y }),
              let v = Double(row[value])
            {
              worksheet_write_number(ws, r, lxw_col_t(2 + j), v, format)
            }
          }
          r += 1
        }
        r += 1
      }
    }
    worksheet_set_column(ws, 0, 0, 48, nil)
    worksheet_set_column(ws, 1, 1, 10, nil)
    worksheet_set_column(ws, 2, 30, 13, nil)
    worksheet_freeze_panes(ws, 1, 2)
  }

  /// Native Excel line charts of the cumulative DSG balance and of plans, one series per
  /// scenario, read from the `kpis` sheet.
  static func charts(
    _ workbook: UnsafeMutablePointer<lxw_workbook>, _ kpis: (header: [String], rows: [[String]]),
    columns: [TableColumn]
  ) throws {
    guard let ws = workbook_add_worksheet(workbook, "Charts") else {
      throw XLSXError(message: "could not add the charts sheet")
    }
    worksheet_write_string(
      ws, 0, 0, "Headline series from the kpis sheet. A scenario is an assumption, not a target.", nil)
    let scenario = kpis.header.firstIndex(of: "scenario") ?? 0
    let year = kpis.header.firstIndex(of: "financial_year") ?? 1
    var spans: [(name: String, first: Int, last: Int)] = []
    for (i, row) in kpis.rows.enumerated() {
      // Sheet row i + 2 (1-based, after the header).
      if let last = spans.last, last.name == row[scenario] {
        spans[spans.count - 1].last = i + 2
      } else {
        spans.append((row[scenario], i + 2, i + 2))
      }
    }
    let measures = [
      ("cumulative_balance_gbp", "Cumulative DSG balance at 31 March (£; negative is a deficit)", "£"),
      ("total_plans", "EHC plans at the January census (plans)", "Plans"),
    ]
    for (k, (measure, title, axis)) in measures.enumerated() {
      guard let column = kpis.header.firstIndex(of: measure),
        let chart = workbook_add_chart(
          workbook, UInt8(LXW_CHART_LINE.rawValue))
      else { continue }
      for span in spans {
        let categories = "=kpis!$\(letter(year))$\(span.first):$\(letter(year))$\(span.last)"
        let values = "=kpis!$\(letter(column))$\(span.first):$\(letter(column))$\(span.last)"
        let series = chart_add_series(chart, categories, values)
        chart_series_set_name(series, span.name)
      }
      chart_title_set_name(chart, title)
      chart_axis_set_name(chart.pointee.x_axis, "Financial year")
      chart_axis_set_name(chart.pointee.y_axis, axis)
      if columns[column].type == .money { chart_axis_set_num_format(chart.pointee.y_axis, "£#,##0,,\"m\"") }
      chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
      var options = lxw_chart_options()
      options.x_scale = 1.6
      options.y_scale = 1.5
      worksheet_insert_chart_opt(ws, lxw_row_t(2 + k * 24), 0, chart, &options)
    }
  }

  /// The column letter of zero-based column `c` (A, B, …, Z, AA, …).
  static func letter(_ c: Int) -> String {
    var n = c + 1
    var text = ""
    while n > 0 {
      let r = (n - 1) % 26
      text = String(UnicodeScalar(UInt8(65 + r))) + text
      n = (n - 1) / 26
    }
    return text
  }

  /// Parses CSV text as `CSVWriter` writes it (quotes doubled inside quoted fields).
  static func parse(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)
    chars.append("\n")
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        row.append(field)
        field = ""
      } else if c == "\n" {
        if !row.isEmpty || !field.isEmpty {
          row.append(field)
          rows.append(row)
        }
        row = []
        field = ""
      } else {
        field.append(c)
      }
      i += 1
    }
    return rows
  }
}
