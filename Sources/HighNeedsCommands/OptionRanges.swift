import Foundation
import HighNeeds

/// The documented range of a command-line option: the help text that states it, and the parse
/// that refuses anything outside it (a `CommandError` of kind `.usage`, exit 64) where the option
/// is read, once.
package protocol OptionRange: Sendable {
  associatedtype Value
  /// `text` followed by the range, for `--help`.
  func help(_ text: String) -> String
  /// The value of `text`, or a usage error naming the bound and what was found.
  func parse(_ text: String) throws -> Value
}

/// The documented range of a whole-number option (a count of draws, samples, resamples or
/// years): its help text states the range, and `parse` refuses anything else where the option
/// is parsed, before any allocation.
///
/// A refused value is a usage error (exit 64): ArgumentParser prints `The value 'X' is invalid
/// for '--option <option>': expected …; found …`, naming the option, the bound and the value.
/// A count above the range states the memory it would need, from `bytesEach` (what the command
/// keeps for each unit: a draw's metrics, a sample's points, …), so a user sees why it is
/// refused. The arithmetic is in `Double`, so no count overflows.
package struct CountRange: OptionRange, Sendable {
  /// The option's name, `--draws`.
  package var option: String
  package var range: ClosedRange<Int>
  /// What is counted, plural: `draws`.
  package var unit: String
  /// Bytes of memory the command keeps for each unit, and what they hold (nil: not stated).
  package var bytesEach: Int?
  package var memoryNote = ""

  /// `2…100000`.
  package var rangeText: String { "\(range.lowerBound)…\(range.upperBound)" }

  /// `text` followed by the range, for `--help`.
  package func help(_ text: String) -> String { "\(text) A whole number \(rangeText)." }

  /// The value of `text`, or a usage error naming the bound and what was found.
  package func parse(_ text: String) throws -> Int {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let expected = "expected a whole number of \(unit) \(rangeText)"
    if let value = Int(trimmed), range.contains(value) { return value }
    // A value above the range, however large: say what it would need.
    let numeric = !trimmed.isEmpty && trimmed.allSatisfy { $0.isASCII && ($0.isNumber || "+.eE".contains($0)) }
    if numeric, let size = Double(trimmed), size.isFinite, size > Double(range.upperBound) {
      var found = "found \(trimmed)"
      if let bytesEach {
        found += " (it would need \(NumberFormat.bytes(size * Double(bytesEach))) of memory, \(bytesEach) bytes "
        found += "a \(unit.hasSuffix("s") ? String(unit.dropLast()) : unit)\(memoryNote))"
      }
      throw CommandError(.usage, "\(expected); \(found)")
    }
    if let value = Int(trimmed) { throw CommandError(.usage, "\(expected); found \(value)") }
    throw CommandError(.usage, "\(expected); found \(InputError.quoted(text))")
  }
}

/// The documented range of a real-number option: finite, and inside `range` (with open ends
/// where the bound itself is not allowed); its help text states it and `parse` refuses
/// anything else, NaN and infinity included, where the option is parsed (exit 64).
package struct NumberRange: OptionRange, Sendable {
  package var option: String
  package var range: ClosedRange<Double>
  package var lowerOpen = false
  package var upperOpen = false
  /// What the number is: `a percentage`.
  package var meaning: String

  /// `(0, 100)`, `[0.5, 0.999]`, `> 0`; empty for any finite number.
  package var rangeText: String {
    if range == -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude { return "" }
    if range.upperBound == .greatestFiniteMagnitude {
      return (lowerOpen ? "> " : "≥ ") + NumberFormat.significant(range.lowerBound, 6)
    }
    return (lowerOpen ? "(" : "[") + NumberFormat.significant(range.lowerBound, 6) + ", "
      + NumberFormat.significant(range.upperBound, 6)
      + (upperOpen ? ")" : "]")
  }

  /// `text` followed by the range, for `--help`.
  package func help(_ text: String) -> String { "\(text) \(expectedText.capitalisedFirst)." }

  /// `a percentage in (0, 100)`.
  package var expectedText: String {
    if rangeText.isEmpty { return meaning }
    return range.upperBound == .greatestFiniteMagnitude ? "\(meaning) \(rangeText)" : "\(meaning) in \(rangeText)"
  }

  package func contains(_ x: Double) -> Bool {
    x.isFinite && range.contains(x) && !(lowerOpen && x == range.lowerBound)
      && !(upperOpen && x == range.upperBound)
  }

  /// The value of `text`, or a usage error naming the bound and what was found.
  package func parse(_ text: String) throws -> Double {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let expected = "expected \(expectedText)"
    guard let value = Double(trimmed) else {
      throw CommandError(.usage, "\(expected); found \(InputError.quoted(text))")
    }
    guard value.isFinite else {
      throw CommandError(
        .usage,
        "\(expected); found \(InputError.quoted(trimmed)) (NaN and infinity are not allowed: give a finite value)")
    }
    guard contains(value) else { throw CommandError(.usage, "\(expected); found \(trimmed)") }
    return value
  }
}

/// The range of a seed: any whole number 0…2⁶⁴ − 1.
package struct SeedRange: OptionRange, Sendable {
  package init() {}

  /// `text` followed by the range, for `--help`.
  package func help(_ text: String) -> String { "\(text): a whole number 0…\(UInt64.max)." }

  /// The seed `text` gives, or a usage error naming the range and what was found.
  package func parse(_ text: String) throws -> UInt64 {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let value = UInt64(trimmed) else {
      throw CommandError(.usage, "expected a whole number 0…\(UInt64.max); found \(InputError.quoted(text))")
    }
    return value
  }
}

/// The ranges of the numeric options of `goalseek`, `sensitivity`, `fit`, `backtest` and
/// `bench`, in one place so that the help, the check and docs/BAD_INPUTS.md agree.
package enum OptionRanges {
  /// What a sweep keeps for each draw: its metrics, `SweepMetric.ordered.count` numbers for each year
  /// of the horizon (8 bytes each), plus an array's 40 bytes; stated at a 10-year horizon (a
  /// 40-year one needs four times as much).
  package static let bytesPerDraw = 40 + 8 * SweepMetric.ordered.count * 10
  package static let drawMemoryNote = " for its metrics at a 10-year horizon"

  /// Draws per goal-seek trial: a sweep at every trial value (about 30 trials).
  package static let goalSeekDraws = CountRange(
    option: "--draws", range: 2...100_000, unit: "draws", bytesEach: bytesPerDraw, memoryNote: drawMemoryNote)
  /// Draws of `hnb bench`.
  package static let benchDraws = CountRange(
    option: "--draws", range: 2...100_000, unit: "draws", bytesEach: bytesPerDraw, memoryNote: drawMemoryNote)

  /// Sobol base samples: `samples · (k + 2)` runs for `k` factors, each run's point `k` numbers; stated
  /// for 10 factors (12 points of 10 numbers, 40 bytes each array, and the 12 outputs).
  package static let samples = CountRange(
    option: "--samples", range: 8...65_536, unit: "samples", bytesEach: 12 * (40 + 8 * 10) + 12 * 8,
    memoryNote: " with 10 factors")
  /// Bootstrap resamples of the Sobol intervals (each `2k` numbers kept; its time `N · k`); the
  /// least for a given confidence is checked with it (`minimumBootstrap`).
  package static let bootstrap = CountRange(
    option: "--bootstrap", range: 0...100_000, unit: "resamples", bytesEach: 2 * 8 * 10,
    memoryNote: " with 10 factors")
  /// Confidence of the Sobol intervals.
  package static let confidence = NumberRange(
    option: "--confidence", range: 0.5...0.999, meaning: "a confidence (a fraction)")
  /// Tornado: the median moved by ± this percentage.
  package static let percent = NumberRange(
    option: "--percent", range: 0...100, lowerOpen: true, upperOpen: true, meaning: "a percentage")

  /// Years forecast by `fit`, and after each origin by `backtest`: a trend is not projected
  /// further than 20 years.
  package static let horizon = CountRange(
    option: "--horizon", range: 1...CalibrationLimits.maximumHorizon, unit: "years")
  /// Simulations of the transition backtest: `levels × horizon` numbers kept for each, stated
  /// for the built-in taxonomy's 20 levels over 3 years.
  package static let backtestDraws = CountRange(
    option: "--draws", range: TransitionBacktest.minimumDraws...10_000, unit: "draws",
    bytesEach: 20 * 3 * 8, memoryNote: " for its 20 levels over a 3-year horizon")

  /// Goal seek: the final bracket's width.
  package static let tolerance = NumberRange(
    option: "--tolerance", range: 0...Double.greatestFiniteMagnitude, lowerOpen: true,
    meaning: "a width of the final bracket")
  /// Goal seek: `--min` and `--max`, before they are checked against the variable's own range.
  package static let bound = NumberRange(
    option: "--min/--max", range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
    meaning: "a finite number")

  /// The bootstrap resamples a `confidence` interval needs: at least one resample beyond each
  /// end (`bootstrap · (1 − c) / 2 ≥ 1`).
  package static func minimumBootstrap(confidence: Double) -> Int { Int((2 / (1 - confidence) - 1e-9).rounded(.up)) }
}

extension String {
  /// The string with its first letter in capitals.
  fileprivate var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
