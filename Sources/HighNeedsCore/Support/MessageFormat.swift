/// A number in a message: `NumberFormat.compact` (whole numbers without decimals, others to 4
/// significant digits), under the short name the messages' many interpolations use.
package func format(_ x: Double) -> String { NumberFormat.compact(x) }
