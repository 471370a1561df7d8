import Foundation
import HighNeeds

/// Draws a `ReportChart` as inline SVG: no scripts, no fonts or images fetched.
///
/// Colours come from palettes that stay apart for colour-blind readers (Okabe–Ito, and a
/// viridis ramp whose lightness rises with each series so stacked areas stay ordered in grey);
/// lines also differ by dash pattern, so a greyscale print still tells them apart.
public enum SVGChart {
  static let width = 400.0
  static let left = 62.0
  static let right = 24.0
  static let top = 12.0
  static let bottom = 44.0

  /// Okabe–Ito colours for lines, darkest first.
  static let lineColours = ["#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
  static let dashes = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 3", "12 4"]
  /// Viridis, dark to light, for stacked areas.
  static let areaColours = ["#440154", "#443983", "#31688E", "#21918C", "#35B779", "#90D743", "#FDE725"]
  static let improvement = "#56B4E9"
  static let worsening = "#D55E00"
  static let total = "#4D4D4D"

  /// The chart as an `<svg>` element, with a legend (as HTML) after it.
  public static func html(_ chart: ReportChart) -> String {
    switch chart {
    case .stackedArea(let spec, let series): return stackedArea(spec, series)
    case .lines(let spec, let series, let threshold): return lines(spec, series, threshold)
    case .waterfall(let spec, let start, let steps, let end): return waterfall(spec, start, steps, end)
    case .fan(let spec, let bands): return fan(spec, bands)
    case .tornado(let spec, let base, let bars): return tornado(spec, base, bars)
    case .groupedBars(let spec, let series): return groupedBars(spec, series)
    }
  }

  /// The chart's title, for the figure caption.
  public static func title(_ chart: ReportChart) -> String {
    switch chart {
    case .stackedArea(let spec, _), .lines(let spec, _, _), .waterfall(let spec, _, _, _), .fan(let spec, _),
      .tornado(let spec, _, _), .groupedBars(let spec, _):
      return spec.title
    }
  }

  // MARK: Axes

  /// About five round tick values covering `low…high` (steps of 1, 2 or 5 × 10ⁿ).
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    var lo = min(low, high)
    var hi = max(low, high)
    if hi - lo < 1e-9 {
      lo -= 1
      hi += 1
    }
    let raw = (hi - lo) / 5
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = (lo / step).rounded(.down) * step
    let last = (hi / step).rounded(.up) * step
    return stride(from: first, through: last + step / 2, by: step).map { abs($0) < step / 1e6 ? 0 : $0 }
  }

  /// A coordinate: one decimal, as C's `%.1f` prints it.
  static func f(_ x: Double) -> String { NumberFormat.fixed(x, 1, negativeZero: .kept) }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// A plot frame with a vertical value axis and categorical x axis.
  ///
  /// Returns the SVG prefix and the mapping functions. With `bands`, each category is the centre of an equal band (for
  /// bars); otherwise the first and last categories sit on the plot's edges (for lines).
  static func frame(
    _ spec: ChartSpec, low: Double, high: Double, height: Double = 300, bands: Bool = false
  ) -> (svg: String, x: (Double) -> Double, y: (Double) -> Double) {
    let t = ticks(min(low, 0), max(high, 0))
    let y0 = t.first ?? 0
    let y1 = t.last ?? 1
    let plotHeight = height - top - bottom
    let plotWidth = width - left - right
    let n = bands ? max(spec.x.count, 1) : max(spec.x.count - 1, 1)
    let x = { (i: Double) in left + plotWidth * (bands ? i + 0.5 : i) / Double(n) }
    let y = { (v: Double) in top + plotHeight * (y1 - v) / (y1 - y0) }
    var svg = svgOpen(spec, height: height)
    for v in t {
      svg +=
        "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" "
        + "stroke=\"\(v == 0 ? "#000" : "#D0D0D0")\" stroke-width=\"\(v == 0 ? 1 : 0.6)\"/>"
      svg +=
        "<text x=\"\(f(left - 5))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(NumberFormat.grouped(v))</text>"
    }
    let every = spec.x.count > 8 ? 2 : 1
    for (i, label) in spec.x.enumerated() where i % every == 0 {
      svg +=
        "<text x=\"\(f(x(Double(i))))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(escape(label))</text>"
    }
    svg +=
      "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" class=\"axis\">"
      + "\(escape(spec.xLabel))</text>"
    svg +=
      "<text transform=\"translate(13,\(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" "
      + "class=\"axis\">\(escape(spec.yLabel))</text>"
    return (svg, x, y)
  }

  static func svgOpen(_ spec: ChartSpec, height: Double) -> String {
    "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(spec.title))\" "
      + "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">"
  }

  static func legend(_ items: [(name: String, swatch: String)]) -> String {
    "<ul class=\"legend\">"
      + items.map {
        "<li><svg viewBox=\"0 0 28 12\" width=\"28\" height=\"12\" aria-hidden=\"true\">\($0.swatch)</svg>"
          + "\(escape($0.name))</li>"
      }.joined() + "</ul>"
  }

  static func lineSwatch(colour: String, dash: String, width: Double = 2.5) -> String {
    "<line x1=\"1\" x2=\"27\" y1=\"6\" y2=\"6\" stroke=\"\(colour)\" stroke-width=\"\(width)\""
      + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
  }

  static func boxSwatch(colour: String) -> String {
    "<rect x=\"1\" y=\"1\" width=\"26\" height=\"10\" fill=\"\(colour)\" stroke=\"#000\" stroke-width=\"0.5\"/>"
  }

  // MARK: Kinds

  static func lines(_ spec: ChartSpec, _ series: [ChartSeries], _ threshold: ChartSeries?) -> String {
    let all = (series + (threshold.map { [$0] } ?? [])).flatMap(\.values)
    let (svgStart, x, y) = frame(spec, low: all.min() ?? 0, high: all.max() ?? 1)
    var svg = svgStart
    var items: [(String, String)] = []
    if let threshold {
      svg += polyline(threshold.values, x, y, colour: "#7F7F7F", dash: "2 2", width: 1.5)
      items.append((threshold.name, lineSwatch(colour: "#7F7F7F", dash: "2 2", width: 1.5)))
    }
    for (i, s) in series.enumerated() {
      let colour = lineColours[i % lineColours.count]
      let dash = series.count <= 2 ? (s.dashed ? "7 4" : "") : dashes[i % dashes.count]
      svg += polyline(s.values, x, y, colour: colour, dash: dash, width: 2.5)
      for (j, v) in s.values.enumerated() {
        svg += "<circle cx=\"\(f(x(Double(j))))\" cy=\"\(f(y(v)))\" r=\"2.2\" fill=\"\(colour)\"/>"
      }
      items.append((s.name, lineSwatch(colour: colour, dash: dash)))
    }
    return svg + "</svg>" + legend(items)
  }

  static func polyline(
    _ values: [Double], _ x: (Double) -> Double, _ y: (Double) -> Double, colour: String, dash: String, width: Double
  ) -> String {
    let points = values.enumerated().map { "\(f(x(Double($0.offset)))),\(f(y($0.element)))" }.joined(separator: " ")
    return "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(width)\""
      + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
  }

  static func stackedArea(_ spec: ChartSpec, _ series: [ChartSeries]) -> String {
    let n = spec.x.count
    var cumulative = [Array(repeating: 0.0, count: n)]
    for s in series { cumulative.append(zip(cumulative[cumulative.count - 1], s.values).map(+)) }
    let (svgStart, x, y) = frame(spec, low: 0, high: cumulative.last?.max() ?? 1)
    var svg = svgStart
    var items: [(String, String)] = []
    for (i, s) in series.enumerated() {
      let colour = areaColours[i % areaColours.count]
      let upper = (0..<n).map { "\(f(x(Double($0)))),\(f(y(cumulative[i + 1][$0])))" }
      let lower = (0..<n).reversed().map { "\(f(x(Double($0)))),\(f(y(cumulative[i][$0])))" }
      svg +=
        "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" stroke=\"#FFF\" "
        + "stroke-width=\"0.8\"/>"
      items.append((s.name, boxSwatch(colour: colour)))
    }
    // The legend lists the top of the stack first, as the areas appear.
    return svg + "</svg>" + legend(items.reversed())
  }

  /// Horizontal bars, one row each, with the row's label above its bar (long labels fit a phone).
  static func horizontalFrame(
    _ spec: ChartSpec, rows: Int, lines: Int, low: Double, high: Double
  ) -> (svg: String, x: (Double) -> Double, rowTop: (Int) -> Double, height: Double) {
    let rowHeight = 20.0 + 14.0 * Double(lines)
    let height = top + Double(rows) * rowHeight + bottom
    let t = ticks(min(low, 0), max(high, 0))
    let x0 = t.first ?? 0
    let x1 = t.last ?? 1
    let plotLeft = 12.0
    let x = { (v: Double) in plotLeft + (width - plotLeft - right) * (v - x0) / (x1 - x0) }
    var svg = svgOpen(spec, height: height)
    for v in t {
      svg +=
        "<line x1=\"\(f(x(v)))\" x2=\"\(f(x(v)))\" y1=\"\(f(top))\" y2=\"\(f(height - bottom))\" "
        + "stroke=\"\(v == 0 ? "#000" : "#D0D0D0")\" stroke-width=\"\(v == 0 ? 1 : 0.6)\"/>"
      svg +=
        "<text x=\"\(f(x(v)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(NumberFormat.grouped(v))</text>"
    }
    svg +=
      "<text x=\"\(f(width / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" class=\"axis\">"
      + "\(escape(spec.xLabel.isEmpty ? spec.yLabel : spec.xLabel))</text>"
    return (svg, x, { top + Double($0) * rowHeight }, height)
  }

  /// Characters of a 12-unit label that fit across the chart.
  static let labelCharacters = 60

  /// `text` broken at spaces into lines of at most `labelCharacters` (a longer word stays whole).
  static func wrap(_ text: String) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > labelCharacters {
        lines.append(line)
        line = String(word)
      } else {
        line += (line.isEmpty ? "" : " ") + word
      }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// A row label of one or more lines, starting at `top`.
  static func rowLabel(_ lines: [String], top: Double) -> String {
    lines.enumerated().map { i, line in
      "<text x=\"12\" y=\"\(f(top + 11 + 14 * Double(i)))\">\(escape(line))</text>"
    }.joined()
  }

  static func waterfall(_ spec: ChartSpec, _ start: ChartBar, _ steps: [ChartBar], _ end: ChartBar) -> String {
    var running = start.value
    var spans: [(label: String, from: Double, to: Double, colour: String)] = [
      (start.label, 0, start.value, total)
    ]
    for s in steps {
      spans.append((s.label, running, running + s.value, s.value >= 0 ? improvement : worsening))
      running += s.value
    }
    spans.append((end.label, 0, end.value, total))
    let values = spans.flatMap { [$0.from, $0.to] }
    let labels = spans.enumerated().map { i, s in
      let amount = i == 0 || i == spans.count - 1 ? s.to : s.to - s.from
      let sign = i > 0 && i < spans.count - 1 && amount > 0 ? "+" : ""
      return wrap("\(s.label): \(sign)\(NumberFormat.poundsMillionsLabel(millions: amount))")
    }
    let lines = labels.map(\.count).max() ?? 1
    let (svgStart, x, rowTop, _) = horizontalFrame(
      spec, rows: spans.count, lines: lines, low: values.min() ?? 0, high: values.max() ?? 0)
    var svg = svgStart
    for (i, s) in spans.enumerated() {
      let top = rowTop(i)
      let a = min(x(s.from), x(s.to))
      let w = max(abs(x(s.to) - x(s.from)), 1)
      svg += rowLabel(labels[i], top: top)
      svg +=
        "<rect x=\"\(f(a))\" y=\"\(f(top + 1 + 14 * Double(lines)))\" width=\"\(f(w))\" height=\"14\" "
        + "fill=\"\(s.colour)\" stroke=\"#000\" stroke-width=\"0.6\"/>"
    }
    let items = [
      ("Balance (negative is a deficit)", boxSwatch(colour: total)), ("Saving", boxSwatch(colour: improvement)),
      ("Extra cost", boxSwatch(colour: worsening)),
    ]
    return svg + "</svg>" + legend(items)
  }

  static func tornado(_ spec: ChartSpec, _ base: Double, _ bars: [TornadoBar]) -> String {
    let values = bars.flatMap { [$0.low, $0.high] } + [base]
    let labels = bars.map { wrap($0.input) }
    let lines = labels.map(\.count).max() ?? 1
    let (svgStart, x, rowTop, height) = horizontalFrame(
      spec, rows: bars.count, lines: lines, low: values.min() ?? 0, high: values.max() ?? 0)
    var svg = svgStart
    for (i, b) in bars.enumerated() {
      let top = rowTop(i)
      svg += rowLabel(labels[i], top: top)
      for (v, colour) in [(b.low, improvement), (b.high, worsening)] {
        let a = min(x(base), x(v))
        svg +=
          "<rect x=\"\(f(a))\" y=\"\(f(top + 1 + 14 * Double(lines)))\" width=\"\(f(max(abs(x(v) - x(base)), 1)))\" height=\"14\" "
          + "fill=\"\(colour)\" stroke=\"#000\" stroke-width=\"0.6\"/>"
      }
    }
    svg +=
      "<line x1=\"\(f(x(base)))\" x2=\"\(f(x(base)))\" y1=\"\(f(top))\" y2=\"\(f(height - bottom))\" stroke=\"#000\" "
      + "stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>"
    let items = [
      ("At the input's low value", boxSwatch(colour: improvement)),
      ("At the input's high value", boxSwatch(colour: worsening)),
      ("Base value", lineSwatch(colour: "#000", dash: "4 2", width: 1.5)),
    ]
    return svg + "</svg>" + legend(items)
  }

  static func fan(_ spec: ChartSpec, _ b: FanBands) -> String {
    let all = b.p10 + b.p90 + b.p50
    let (svgStart, x, y) = frame(spec, low: all.min() ?? 0, high: all.max() ?? 1)
    var svg = svgStart
    let band = { (low: [Double], high: [Double], colour: String) -> String in
      let upper = high.indices.map { "\(f(x(Double($0)))),\(f(y(high[$0])))" }
      let lower = low.indices.reversed().map { "\(f(x(Double($0)))),\(f(y(low[$0])))" }
      return "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\"/>"
    }
    svg += band(b.p10, b.p90, "#C6DBEF")
    svg += band(b.p25, b.p75, "#6BAED6")
    svg += polyline(b.p50, x, y, colour: "#08306B", dash: "", width: 2.5)
    let items = [
      ("Median", lineSwatch(colour: "#08306B", dash: "")), ("P25–P75", boxSwatch(colour: "#6BAED6")),
      ("P10–P90", boxSwatch(colour: "#C6DBEF")),
    ]
    return svg + "</svg>" + legend(items)
  }

  /// Okabe–Ito fills for grouped bars: the first series (the method) blue, then orange, bluish
  /// green, reddish purple, vermilion, sky blue.
  static let barColours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]

  static func groupedBars(_ spec: ChartSpec, _ series: [ChartSeries]) -> String {
    let all = series.flatMap(\.values)
    let (svgStart, x, y) = frame(spec, low: 0, high: (all.max() ?? 1) * 1.08, bands: true)
    var svg = svgStart
    let band = (width - left - right) / Double(max(spec.x.count, 1))
    let barWidth = band * 0.84 / Double(max(series.count, 1))
    var items: [(String, String)] = []
    for (k, s) in series.enumerated() {
      let colour = barColours[k % barColours.count]
      for (i, v) in s.values.enumerated() {
        let x0 = x(Double(i)) - band * 0.42 + barWidth * Double(k)
        let top = min(y(v), y(0))
        svg +=
          "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(abs(y(0) - y(v))))\" "
          + "fill=\"\(colour)\" stroke=\"#000\" stroke-width=\"0.6\"/>"
        // The value above its bar, so the chart reads without colour.
        svg +=
          "<text x=\"\(f(x0 + barWidth / 2))\" y=\"\(f(top - 3))\" text-anchor=\"middle\" font-size=\"9\">"
          + "\(NumberFormat.grouped(v))</text>"
      }
      items.append((s.name, boxSwatch(colour: colour)))
    }
    return svg + "</svg>" + legend(items)
  }
}
