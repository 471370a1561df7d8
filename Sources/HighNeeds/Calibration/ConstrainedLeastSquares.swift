import CLAPACKE
import Foundation

/// A small least-squares problem with linear equality and inequality constraints, solved with
/// LAPACK.
///
/// Minimises `‖A·x − b‖²` subject to `E·x = f` and `G·x ≤ h`. The problem is a convex quadratic
/// programme, so its minimiser solves the equality-constrained problem (`LAPACKE_dgglse`, or
/// `LAPACKE_dgels` when nothing binds) for the set of inequalities active at it. The solver
/// tries every set of at most `n − rank(E)` inequalities, keeps the solutions that satisfy all
/// constraints (within `feasibilityTolerance`) and returns the one with the smallest residual,
/// which is the exact minimiser. That is exponential in the number of inequalities, so it is
/// meant for the calibration's small problems (`maximumInequalities`).
public struct ConstrainedLeastSquares: Sendable {
  /// Design matrix, `rows[i][j]` (m × n).
  public var design: [[Double]]
  /// Right-hand side, length m.
  public var target: [Double]
  /// Equality rows `E` and their values `f`.
  public var equalities: [(row: [Double], value: Double)] = []
  /// Inequality rows `G` and bounds `h` (`G·x ≤ h`).
  public var inequalities: [(row: [Double], bound: Double)] = []

  /// Largest number of inequalities accepted (2^k active sets are tried).
  public static let maximumInequalities = 16
  /// Slack allowed when checking a candidate against the constraints.
  public static let feasibilityTolerance = 1e-9

  public init(design: [[Double]], target: [Double]) {
    self.design = design
    self.target = target
  }

  /// The constrained minimiser and its residual sum of squares.
  public func solve() throws -> (x: [Double], residualSumOfSquares: Double) {
    let n = design.first?.count ?? 0
    guard n > 0, design.count == target.count, design.allSatisfy({ $0.count == n }) else {
      throw InputError(
        SourceLocation(file: "least squares"), expected: "a non-empty m × n design with m targets",
        found: "\(design.count) rows, \(target.count) targets")
    }
    guard inequalities.count <= Self.maximumInequalities else {
      throw InputError(
        SourceLocation(file: "least squares"), expected: "at most \(Self.maximumInequalities) inequalities",
        found: "\(inequalities.count)")
    }
    // Columns scaled to unit norm, so incidence (per resident) and cessation (per plan) columns
    // are of one size for LAPACK; the solution is scaled back.
    let scale = (0..<n).map { j in
      let norm = design.map { $0[j] * $0[j] }.reduce(0, +).squareRoot()
      return norm > 0 ? norm : 1
    }
    let a = design.map { row in (0..<n).map { row[$0] / scale[$0] } }
    let scaledRow = { (row: [Double]) in (0..<n).map { row[$0] / scale[$0] } }
    var best: (x: [Double], rss: Double)?
    let k = inequalities.count
    for mask in 0..<(1 << k) {
      let active = (0..<k).filter { mask & (1 << $0) != 0 }
      if active.count + equalities.count > n { continue }
      let rows =
        equalities.map { (scaledRow($0.row), $0.value) }
        + active.map { (scaledRow(inequalities[$0].row), inequalities[$0].bound) }
      guard let y = Self.equalityConstrained(a: a, b: target, rows: rows.map(\.0), values: rows.map(\.1)) else {
        continue
      }
      let x = (0..<n).map { y[$0] / scale[$0] }
      let feasible =
        inequalities.allSatisfy { dot($0.row, x) <= $0.bound + Self.feasibilityTolerance * max(1, abs($0.bound)) }
        && equalities.allSatisfy { abs(dot($0.row, x) - $0.value) <= 1e-7 * max(1, abs($0.value)) }
      guard feasible else { continue }
      let rss = zip(design, target).map { row, t in (dot(row, x) - t) * (dot(row, x) - t) }.reduce(0, +)
      if best == nil || rss < (best?.rss ?? 0) - 1e-12 * max(1, rss) { best = (x, rss) }
    }
    guard let best else {
      throw InputError(
        SourceLocation(file: "least squares"), expected: "constraints that some solution satisfies",
        found: "no feasible solution")
    }
    return (best.x, best.rss)
  }

  /// `Σ a_i b_i`.
  func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { $0 * $1 }.reduce(0, +) }

  /// Minimises `‖a·x − b‖` subject to `rows·x = values` with LAPACK (`dgglse`, or `dgels`
  /// without constraints); nil when LAPACK reports a rank-deficient problem.
  static func equalityConstrained(a: [[Double]], b: [Double], rows: [[Double]], values: [Double]) -> [Double]? {
    let m = a.count
    let n = a.first?.count ?? 0
    let p = rows.count
    // Column-major copies.
    var aCol = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { aCol[j * m + i] = a[i][j] } }
    var rhs = b
    if p == 0 {
      guard m >= n else { return nil }
      let info = LAPACKE_dgels(102, CChar(UInt8(ascii: "N")), Int32(m), Int32(n), 1, &aCol, Int32(m), &rhs, Int32(m))
      return info == 0 ? Array(rhs[0..<n]) : nil
    }
    guard m + p >= n else { return nil }
    var bCol = [Double](repeating: 0, count: p * n)
    for i in 0..<p { for j in 0..<n { bCol[j * p + i] = rows[i][j] } }
    var d = values
    var x = [Double](repeating: 0, count: n)
    let info = LAPACKE_dgglse(
      102, Int32(m), Int32(n), Int32(p), &aCol, Int32(m), &bCol, Int32(p), &rhs, &d, &x)
    guard info == 0, x.allSatisfy(\.isFinite) else { return nil }
    return x
  }
}
