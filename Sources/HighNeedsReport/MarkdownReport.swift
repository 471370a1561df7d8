import Foundation
import HighNeeds

/// Writes a `Report`'s tables as Markdown (pipe tables), for papers written in other tools.
///
/// Charts are left out; every chart's table is here.
public enum MarkdownReport {
  /// The whole document.
  public static func markdown(_ report: Report) -> String {
    var out = "# \(report.title)\n\n"
    for line in report.warnings { out += "> **WARNING:** \(line)\n\n" }
    for line in report.preface { out += line + "\n\n" }
    for s in report.sections { out += section(s, level: 2) }
    let p = report.provenance
    out += "## Provenance\n\nMade by hnb \(p.toolVersion) on \(p.generatedOn) with `\(p.command)`.\n\n"
    out += "| SHA-256 | input file |\n|---|---|\n"
    for h in p.inputSHA256 { out += "| `\(h.sha256)` | \(cell(h.file)) |\n" }
    return out
  }

  static func section(_ s: ReportSection, level: Int) -> String {
    var out = String(repeating: "#", count: level) + " \(s.title)\n\n"
    if let label = s.label { out += "**\(label)**\n\n" }
    for block in s.blocks {
      switch block {
      case .paragraph(let text): out += text + "\n\n"
      case .table(let t), .figure(_, let t): out += table(t, level: level + 1)
      }
    }
    for sub in s.subsections { out += section(sub, level: min(level + 1, 6)) }
    return out
  }

  /// One table: a bold title, the pipe table (numbers right-aligned), and its note.
  public static func table(_ t: ReportTable, level: Int = 3) -> String {
    var out = "**\(t.title)**\n\n"
    out += "| " + t.columns.map { cell($0.heading) }.joined(separator: " | ") + " |\n"
    out += "|" + t.columns.map { $0.unit == .text ? "---" : "---:" }.joined(separator: "|") + "|\n"
    for (i, row) in t.rows.enumerated() {
      let cells = row.enumerated().map { j, c in
        cell(ReportFormat.cell(c, unit: j < t.columns.count ? t.columns[j].unit : .text))
      }
      let printed = t.totalRows.contains(i) ? cells.map { $0.isEmpty ? $0 : "**\($0)**" } : cells
      out += "| " + printed.joined(separator: " | ") + " |\n"
    }
    out += "\n"
    if let note = t.note { out += "_\(note)_\n\n" }
    return out
  }

  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
