import Foundation

/// Numbers as text: the one formatter of every output (CSV, XLSX, HTML, Markdown, the files
/// `hnb init` writes) and every message, so the same value prints the same way everywhere.
///
/// Each operation is named for what it prints. Where callers printed the same kind of number
/// differently before this type, the difference is an option with the old behaviour stated,
/// never a silent change: `fixed` drops a negative zero unless asked to keep it (as C's `%.*f`
/// does), and `wholePounds` rounds half away from zero where `fixed` rounds the exact binary
/// value to even.
///
/// Not-finite values print as C's `printf` prints them (`nan`, `-nan`, `inf`, `-inf`): the
/// writers refuse them before they are formatted (`FiniteOutputGuard`), and messages say them.
public enum NumberFormat {
  /// What `fixed` does with a result that is zero but printed with a minus sign (`-0.00`, from
  /// `-0.0` or a small negative value).
  public enum NegativeZero: Sendable {
    /// `0.00`: the output files' rule (a value that rounds to zero has no sign).
    case dropped
    /// `-0.00`, as C's `%.*f` prints it: for messages that printed with `String(format:)` and
    /// signed figures (`%+.1f`).
    case kept
  }

  // MARK: Fixed decimals

  /// `x` with `places` decimals: exactly C's `%.*f` (the decimal rounding of the double's exact
  /// binary value, ties to even), with a negative zero dropped unless `negativeZero` is `.kept`.
  ///
  /// Computed in 128-bit integers for the usual magnitudes (`decimalDigits`), by `snprintf`
  /// otherwise (`printed`).
  public static func fixed(_ x: Double, _ places: Int, negativeZero: NegativeZero = .dropped) -> String {
    let text = decimalDigits(x, places) ?? printed(x, places)
    if negativeZero == .dropped, text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// `x` with `places` decimals and its sign always written, `+1.5` or `-0.0`: C's `%+.*f`.
  public static func signed(_ x: Double, _ places: Int) -> String {
    let text = fixed(x, places, negativeZero: .kept)
    return text.hasPrefix("-") ? text : "+" + text
  }

  /// `x` with at most `places` decimals, trailing zeros (and a trailing point) removed and no
  /// negative zero: `0.25`, `3`, as `hnb init` writes its numbers.
  public static func trimmed(_ x: Double, places: Int = 6) -> String {
    var text = fixed(x, places)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    if text == "-0" { text = "0" }
    return text
  }

  /// A whole number of micro-units (10⁻⁶) as a decimal with trailing zeros removed:
  /// `1250000` → `1.25`.
  public static func micro(_ units: Int) -> String {
    let sign = units < 0 ? "-" : ""
    let whole = units.magnitude / 1_000_000
    let fraction = units.magnitude % 1_000_000
    if fraction == 0 { return "\(sign)\(whole)" }
    var digits = String(fraction)
    digits = String(repeating: "0", count: 6 - digits.count) + digits
    while digits.hasSuffix("0") { digits.removeLast() }
    return "\(sign)\(whole).\(digits)"
  }

  // MARK: Quantities of the model's tables

  /// Pounds to the penny, `1234.50`: money columns of the output files.
  public static func pounds(_ x: Double) -> String { fixed(x, 2) }

  /// Pounds rounded to the pound, half away from zero (`Double.rounded()`), then printed as C's
  /// `%.0f` prints it (so `-0.4` prints `-0`): the money values of the files `hnb init` writes.
  ///
  /// Differs from `fixed(x, 0)` on ties (`2.5` → `3`, not `2`) and on a negative zero, as
  /// `hnb init` always wrote them.
  public static func wholePounds(_ x: Double) -> String { fixed(x.rounded(), 0, negativeZero: .kept) }

  /// Plan counts to six decimals (projections are expected values, not whole children).
  public static func plans(_ x: Double) -> String { fixed(x, 6) }

  /// Fractions to six decimals.
  public static func fraction(_ x: Double) -> String { fixed(x, 6) }

  /// Pounds in millions for prose, `-£1.2m`: the sign before the pound sign, `places`
  /// decimals of `|x| / 10⁶`.
  public static func poundsMillions(_ x: Double, places: Int = 1) -> String {
    (x < 0 ? "-" : "") + "£" + fixed(x.magnitude / 1e6, places) + "m"
  }

  /// A figure already in millions of pounds as a chart labels it, `-£1,298.3m`: rounded to
  /// £0.1m (half away from zero), thousands grouped, a decimal only when it has one.
  public static func poundsMillionsLabel(millions m: Double) -> String {
    let rounded = (m * 10).rounded() / 10
    return (rounded < 0 ? "-" : "") + "£" + grouped(rounded.magnitude) + "m"
  }

  /// A fraction as a whole percentage, `0.375` → `38%` (`%.0f%%` of `x · 100`).
  public static func percent(_ fraction: Double) -> String { fixed(fraction * 100, 0, negativeZero: .kept) + "%" }

  // MARK: Grouped thousands

  /// The report's number, `-12,345` or `12.5`: thousands separated by commas, one decimal
  /// only when the value has a fraction, no negative zero.
  public static func grouped(_ x: Double) -> String { grouped(x, places: x == x.rounded() ? 0 : 1) }

  /// `x` with `places` decimals and thousands separated by commas, no negative zero:
  /// `-1,234.5`.
  public static func grouped(_ x: Double, places: Int) -> String {
    let text = fixed(x.magnitude, places)
    let parts = text.split(separator: ".", maxSplits: 1)
    var digits = Array(parts[0])
    var grouped = ""
    while digits.count > 3 {
      grouped = "," + String(digits.suffix(3)) + grouped
      digits.removeLast(3)
    }
    grouped = String(digits) + grouped
    if parts.count > 1 { grouped += "." + parts[1] }
    return (x < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + grouped
  }

  // MARK: Significant digits

  /// `x` to `digits` significant digits: exactly C's `%.*g` (`1e-06`, `0.5`, `1.235e+07`);
  /// NaN as `nan` when given (goal seek and sensitivity write an empty cell), else as C prints it.
  public static func significant(_ x: Double, _ digits: Int, nan: String? = nil) -> String {
    if let nan, x.isNaN { return nan }
    return printed(x, digits, conversion: "g")
  }

  /// A number for messages and comparison columns: whole numbers below 10¹⁵ without decimals
  /// (`1200`), others to 4 significant digits (`0.3333`, `1.235e+15`).
  public static func compact(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : significant(x, 4)
  }

  /// The shortest text that reads back as exactly `x` (Swift's `description`: `0.1`,
  /// `1e-07`, `1234567.0`): for integrity failures, where the last bit matters.
  public static func shortest(_ x: Double) -> String { x.description }

  /// A size in bytes as a person reads it: `812 bytes`, `1.1 PB`, `250 MB` (powers of 1000;
  /// one decimal below 9.95 of the unit).
  public static func bytes(_ n: Double) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    var value = n
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(Int(value)) bytes" }
    return fixed(value, value < 9.95 ? 1 : 0, negativeZero: .kept) + " " + units[unit]
  }

  // MARK: Exact decimals

  /// C's `printf` of `x` with one conversion, `%.*f` or `%.*g`, by `vsnprintf`.
  package static func printed(_ x: Double, _ precision: Int, conversion: Character = "f") -> String {
    let format = conversion == "g" ? "%.*g" : "%.*f"
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer -> String in
      guard let base = buffer.baseAddress else { return String(format: "%.\(precision)\(conversion)", x) }
      let written = withVaList([Int32(precision), x]) { vsnprintf(base, 512, format, $0) }
      guard written >= 0, written < 512 else { return String(format: "%.\(precision)\(conversion)", x) }
      return String(cString: base)
    }
  }

  /// `%.*f` of `x` computed exactly in 128-bit integers.
  ///
  /// `|x| · 10^places = m · 10^places · 2^e` rounded to the nearest integer, ties to even (as
  /// glibc's `printf` in the default rounding mode), then the digits with the point put in.
  /// Nil when `x` is not finite, `places` is above 17 or `|x|` is 2⁶⁰ or more (those go to
  /// `printed`).
  package static func decimalDigits(_ x: Double, _ places: Int) -> String? {
    guard x.isFinite, (0...17).contains(places), x.magnitude < 0x1p60 else { return nil }
    var scale: UInt128 = 1
    for _ in 0..<places { scale *= 10 }
    let (m, e): (UInt128, Int) =
      x.exponentBitPattern == 0
      ? (UInt128(x.significandBitPattern), -1074)
      : (UInt128(x.significandBitPattern | (1 << 52)), Int(x.exponentBitPattern) - 1075)
    let numerator = m * scale  // below 2⁵³ · 10¹⁷ < 2¹¹¹
    var n: UInt128
    if e >= 0 {
      n = numerator << UInt128(e)  // |x| < 2⁶⁰: e ≤ 7
    } else if -e > 111 {
      n = 0  // below a half
    } else {
      let shift = UInt128(-e)
      n = numerator >> shift
      let rest = numerator & ((1 << shift) - 1)
      let half: UInt128 = 1 << (shift - 1)
      if rest > half || (rest == half && n & 1 == 1) { n += 1 }
    }
    var digits = Array((n <= UInt128(UInt64.max) ? String(UInt64(n)) : String(n)).utf8)
    if places > 0 {
      if digits.count <= places {
        digits = Array(repeating: UInt8(ascii: "0"), count: places + 1 - digits.count) + digits
      }
      digits.insert(UInt8(ascii: "."), at: digits.count - places)
    }
    if x.sign == .minus { digits.insert(UInt8(ascii: "-"), at: 0) }
    return String(decoding: digits, as: UTF8.self)
  }
}
