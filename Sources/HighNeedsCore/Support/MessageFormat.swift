import Foundation

/// Formats a number for messages: whole numbers without decimals, others to 4 significant places.
package func format(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.4g", x)
}
