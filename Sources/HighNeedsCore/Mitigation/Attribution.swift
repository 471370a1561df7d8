import Foundation

/// Splits the saving of a set of mitigations between them.
///
/// Each mitigation's saving is its Shapley value: the average, over every order in which the
/// mitigations could be added, of the fall in expenditure when it is added. The savings add up
/// exactly to `E(none) − E(all)` whatever the interactions, and no mitigation's share depends
/// on the order it is listed in. It needs the expenditure of all `2^k` combinations, which the
/// engine runs as one batch.
public enum Attribution {
  /// `savings[i][f]` from `expenditure[mask][f]` (mask bit `i` = mitigation `i` on).
  public static func shapley(expenditure: [[Double]], mitigations k: Int) -> [[Double]] {
    precondition(expenditure.count == 1 << k, "need every combination")
    let years = expenditure.first?.count ?? 0
    var factorial = [1.0]
    for i in 1...max(1, k) { factorial.append(factorial[i - 1] * Double(i)) }
    var savings = Array(repeating: Array(repeating: 0.0, count: years), count: k)
    for i in 0..<k {
      for mask in 0..<(1 << k) where mask & (1 << i) == 0 {
        let size = mask.nonzeroBitCount
        let weight = factorial[size] * factorial[k - size - 1] / factorial[k]
        for f in 0..<years {
          savings[i][f] += weight * (expenditure[mask][f] - expenditure[mask | (1 << i)][f])
        }
      }
    }
    return savings
  }
}
