import Foundation
import HighNeeds

/// Writes a `Report` as one self-contained HTML file: inline CSS and SVG, no scripts, and a
/// content security policy that forbids the browser to fetch anything.
///
/// The page reflows to a phone's width (wide tables scroll inside their own box) and prints on
/// A4 with each scenario on a new page.
public enum HTMLReport {
  /// The whole document.
  public static func html(_ report: Report) -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en-GB">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
      <title>\(escape(report.title))</title>
      <style>\(css)</style>
      </head>
      <body>
      <header>
      <h1>\(escape(report.title))</h1>

      """
    for line in report.warnings {
      // Inline style, so that the stylesheet (and every paper without a warning) is unchanged.
      out +=
        "<p class=\"warning\" role=\"alert\" style=\"border:3px solid #b00020;padding:0.6em;"
        + "font-weight:bold;color:#b00020\">\(escape(line))</p>\n"
    }
    for line in report.preface { out += "<p class=\"preface\">\(escape(line))</p>\n" }
    out += "<nav><h2 class=\"toc\">Contents</h2><ol>"
    for s in report.sections {
      out += "<li><a href=\"#\(anchor(s.id))\">\(escape(s.title))</a>"
      if let label = s.label { out += " <span class=\"small\">(\(escape(label)))</span>" }
      out += "</li>"
    }
    out += "</ol></nav>\n</header>\n<main>\n"
    for s in report.sections { out += section(s, level: 2) }
    out += "</main>\n" + footer(report.provenance) + "</body>\n</html>\n"
    return out
  }

  static func section(_ s: ReportSection, level: Int) -> String {
    let isScenario = s.label != nil && level == 2
    var out = "<section id=\"\(anchor(s.id))\"\(isScenario ? " class=\"scenario\"" : "")>\n"
    out += "<h\(level)>\(escape(s.title))</h\(level)>\n"
    if let label = s.label {
      let kind = label == ReportBuilder.baseLabel ? "base" : "assumption"
      out += "<p class=\"label \(kind)\">\(escape(label))</p>\n"
    }
    for block in s.blocks { out += self.block(block) }
    for sub in s.subsections { out += section(sub, level: min(level + 1, 4)) }
    return out + "</section>\n"
  }

  static func block(_ b: ReportBlock) -> String {
    switch b {
    case .paragraph(let text): return "<p>\(escape(text))</p>\n"
    case .table(let t): return table(t)
    case .figure(let chart, let t):
      return "<figure>\n<figcaption>\(escape(SVGChart.title(chart)))</figcaption>\n" + SVGChart.html(chart)
        + "\n" + table(t) + "</figure>\n"
    }
  }

  static func table(_ t: ReportTable) -> String {
    var out = "<div class=\"table-wrap\"><table id=\"\(anchor(t.id))\">\n<caption>\(escape(t.title))</caption>\n"
    out += "<thead><tr>"
    for c in t.columns {
      out += "<th scope=\"col\"\(c.unit == .text ? "" : " class=\"n\"")>\(escape(c.heading))</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for (i, row) in t.rows.enumerated() {
      out += t.totalRows.contains(i) ? "<tr class=\"total\">" : "<tr>"
      for (j, cell) in row.enumerated() {
        let numeric = j < t.columns.count && t.columns[j].unit != .text
        let tag = j == 0 ? "th scope=\"row\"" : "td"
        let close = j == 0 ? "th" : "td"
        let unit = j < t.columns.count ? t.columns[j].unit : .text
        out += "<\(tag)\(numeric ? " class=\"n\"" : "")>\(escape(ReportFormat.cell(cell, unit: unit)))</\(close)>"
      }
      out += "</tr>\n"
    }
    out += "</tbody>\n</table></div>\n"
    if let note = t.note { out += "<p class=\"note\">\(escape(note))</p>\n" }
    return out
  }

  static func footer(_ p: ReportProvenance) -> String {
    var out = "<footer>\n<h2>Provenance</h2>\n<p>Made by hnb \(escape(p.toolVersion)) on \(escape(p.generatedOn)) with "
    out += "<code>\(escape(p.command))</code>. The same inputs and version give the same figures.</p>\n"
    out += "<details><summary>SHA-256 of the \(p.inputSHA256.count) input files</summary><ul class=\"hashes\">"
    for h in p.inputSHA256 { out += "<li><code>\(escape(h.sha256))</code> \(escape(h.file))</li>" }
    return out + "</ul></details>\n</footer>\n"
  }

  static func anchor(_ id: String) -> String {
    String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
  }

  static func escape(_ s: String) -> String { SVGChart.escape(s) }

  static let css = """
    :root{color-scheme:light}
    *{box-sizing:border-box}
    body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;font-size:16px;\
    line-height:1.45;color:#111;background:#fff;margin:0 auto;max-width:62rem;padding:1rem}
    h1{font-size:1.7rem;margin:.5rem 0}
    h2{font-size:1.4rem;margin-top:2rem;border-bottom:2px solid #111}
    h3{font-size:1.2rem;margin-top:1.6rem}
    h4{font-size:1.05rem}
    a{color:#0B4F8A}
    .preface{font-size:1.05rem}
    .label{display:inline-block;font-weight:700;padding:.2rem .5rem;border:2px solid #111;margin:.2rem 0}
    .label.assumption{border-style:dashed;background:#F2F2F2}
    .small{font-size:.85rem;color:#444}
    .table-wrap{overflow-x:auto;max-width:100%;margin:.5rem 0}
    table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.95rem}
    caption{text-align:left;font-weight:700;padding:.3rem 0}
    th,td{padding:.25rem .5rem;border-bottom:1px solid #BBB;vertical-align:top;text-align:left}
    thead th{border-bottom:2px solid #111;vertical-align:bottom}
    .n{text-align:right}
    td.n{white-space:nowrap}
    tbody th{font-weight:400}
    tr.total th,tr.total td{font-weight:700;border-top:2px solid #111}
    .note{font-size:.9rem;color:#333;margin-top:.2rem}
    figure{margin:1rem 0;padding:0}
    figcaption{font-weight:700;margin-bottom:.3rem}
    svg.chart{display:block;width:100%;max-width:34rem;height:auto}
    svg.chart text{fill:#111;font-family:inherit}
    svg.chart .axis{font-weight:700}
    ul.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.9rem}
    ul.legend li{display:flex;align-items:center;gap:.35rem}
    ul.hashes{font-size:.8rem;word-break:break-all;padding-left:1rem}
    code{word-break:break-all}
    footer{margin-top:2rem;border-top:2px solid #111;font-size:.9rem}
    @media (max-width:40rem){body{padding:.6rem;font-size:15px}table{font-size:.85rem}th,td{padding:.2rem .35rem}}
    @page{size:A4;margin:14mm 12mm}
    @media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}\
    .table-wrap{overflow:visible}table{font-size:8pt}th,td{padding:1pt 3pt}\
    section.scenario{break-before:page}figure,table{break-inside:avoid}h2,h3,h4,caption{break-after:avoid}\
    svg.chart{max-width:15cm}a{color:#111;text-decoration:none}}
    """
}
