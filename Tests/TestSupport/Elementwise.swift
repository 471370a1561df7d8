import Testing

/// Checks that `actual` and `expected` have the same number of elements, and (unless
/// `allowEmpty`) at least one, then calls `body` with each pair in order.
///
/// A loop over `zip(actual, expected)` stops at the shorter side, so it passes when one side
/// is short or empty; this records an issue instead, naming both counts. `body` makes its own
/// expectations about each pair; it is called for the pairs there are even when the counts differ.
public func expectElementwise<A: Collection, E: Collection>(
  _ actual: A, _ expected: E, _ comment: @autoclosure () -> String = "", allowEmpty: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: (A.Element, E.Element) throws -> Void
) rethrows {
  expectSameCount(actual.count, expected.count, comment(), allowEmpty: allowEmpty, sourceLocation: sourceLocation)
  for (x, y) in zip(actual, expected) { try body(x, y) }
}

/// Checks that `actual` and `expected` have the same number of elements, at least one unless
/// `allowEmpty`, and that each `actual[i]` is within tolerance of `expected[i]`.
///
/// An element passes when it equals the expected value or differs from it by at most
/// `max(absoluteTolerance, relativeTolerance × max(|actual|, |expected|))`; NaN never passes.
/// One issue names the first few elements that fail (index, both values) and how many do.
public func expectElementwise<A: Collection, E: Collection>(
  _ actual: A, _ expected: E, absoluteTolerance: Double = 0, relativeTolerance: Double = 0,
  _ comment: @autoclosure () -> String = "", allowEmpty: Bool = false,
  sourceLocation: SourceLocation = #_sourceLocation
) where A.Element == Double, E.Element == Double {
  expectSameCount(actual.count, expected.count, comment(), allowEmpty: allowEmpty, sourceLocation: sourceLocation)
  var failures: [String] = []
  for (index, (x, y)) in zip(actual, expected).enumerated()
  where !isClose(x, y, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance) {
    failures.append("[\(index)] \(x) against \(y)")
  }
  guard !failures.isEmpty else { return }
  let shown = failures.prefix(5).joined(separator: ", ") + (failures.count > 5 ? ", …" : "")
  let tolerance = "absolute \(absoluteTolerance), relative \(relativeTolerance)"
  Issue.record(
    Comment(
      rawValue: prefixed(comment(), "\(failures.count) of \(expected.count) elements differ (\(tolerance)): \(shown)")),
    sourceLocation: sourceLocation)
}

/// Whether `x` is `y` or within `max(absoluteTolerance, relativeTolerance × max(|x|, |y|))` of it.
///
/// The scale is at most the greatest finite `Double` (as in swift-numerics'
/// `isApproximatelyEqual`), so an infinity is close only to itself.
public func isClose(_ x: Double, _ y: Double, absoluteTolerance: Double = 0, relativeTolerance: Double = 0) -> Bool {
  let scale = min(max(abs(x), abs(y)), .greatestFiniteMagnitude)
  return x == y || abs(x - y) <= max(absoluteTolerance, relativeTolerance * scale)
}

/// Records an issue when the counts differ, or are both zero and `allowEmpty` is false.
func expectSameCount(
  _ actual: Int, _ expected: Int, _ comment: String, allowEmpty: Bool, sourceLocation: SourceLocation
) {
  if actual != expected {
    Issue.record(
      Comment(rawValue: prefixed(comment, "\(actual) elements against \(expected) expected")),
      sourceLocation: sourceLocation)
  } else if actual == 0 && !allowEmpty {
    Issue.record(
      Comment(rawValue: prefixed(comment, "no elements on either side: nothing was compared")),
      sourceLocation: sourceLocation)
  }
}

/// `message` after `comment` and a colon, or alone when there is no comment.
func prefixed(_ comment: String, _ message: String) -> String {
  comment.isEmpty ? message : "\(comment): \(message)"
}
