import Foundation

/// Standard normal deviates by Marsaglia and Tsang's ziggurat, in Doornik's layout (ZIGNOR).
///
/// The area under `f(x) = exp(−x²/2)` for `x ≥ 0` is cut into `layers` pieces of equal area
/// `v`: a base strip `[0, r] × [0, f(r)]` together with the tail beyond `r`, then rectangles
/// `[0, x[i]] × [f(x[i]), f(x[i+1])]` with `x[1] = r > x[2] > … > x[layers] = 0`. A layer `i`
/// and a signed uniform `u` in (−1, 1) give the candidate `u · x[i]`, accepted at once when
/// `|u| < x[i+1] / x[i]` (under the curve whatever the height, about 98.8% of the time);
/// otherwise the wedge is tested against `f`, or the tail beyond `r` is sampled by Marsaglia's
/// method. The deviates are exact normal variates (no approximation of `Φ⁻¹`).
///
/// References: G. Marsaglia and W. W. Tsang (2000), "The ziggurat method for generating random
/// variables", J. Stat. Softw. 5(8); J. A. Doornik (2005), "An improved ziggurat method to
/// generate normal random samples".
struct NormalZiggurat: Sendable {
  /// Number of layers (a power of two: the layer is 7 bits of a random word).
  static let layers = 128

  /// `r`, where the tail starts: the root of `closure`, found by bisection so that the layers
  /// close to double precision (3.4426198558967; Marsaglia and Tsang give 3.442619855899).
  let tailStart: Double

  /// `x[i]`, `i = 0…layers`: `x[0] = v / f(r)` (the base strip's width with its tail as area),
  /// `x[1] = r`, `x[layers] = 0`.
  let x: [Double]
  /// `ratio[i] = x[i+1] / x[i]`: below it, a candidate of layer `i` is accepted at once.
  let ratio: [Double]
  /// `v`, the area of every layer: `r · f(r) + ∫_r^∞ f`.
  let layerArea: Double

  /// The tables for `layers` layers.
  static let standard = NormalZiggurat()

  init() {
    var (low, high) = (3.3, 3.6)
    for _ in 0..<100 {
      let r = (low + high) / 2
      if Self.closure(r) > 0 { high = r } else { low = r }
    }
    let r = (low + high) / 2
    let (x, v) = Self.widths(r)
    tailStart = r
    self.x = x
    ratio = (0..<Self.layers).map { x[$0 + 1] / x[$0] }
    layerArea = v
  }

  /// The layers' widths `x` and common area `v` for a tail starting at `r`.
  static func widths(_ r: Double) -> (x: [Double], area: Double) {
    let n = layers
    let fr = exp(-0.5 * r * r)
    let v = r * fr + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    var x = [Double](repeating: 0, count: n + 1)
    x[0] = v / fr
    x[1] = r
    var f = fr
    for i in 2..<n {
      x[i] = (-2 * log(v / x[i - 1] + f)).squareRoot()
      f = exp(-0.5 * x[i] * x[i])
    }
    return (x, v)
  }

  /// The top layer's area less `v` for a tail starting at `r`: positive when `r` is too large;
  /// negative, or NaN (the layers overshoot the peak), when it is too small.
  static func closure(_ r: Double) -> Double {
    let (x, v) = widths(r)
    let top = x[layers - 1]
    return top * (1 - exp(-0.5 * top * top)) - v
  }

  /// A normal deviate from the signed uniform `u` in (−1, 1) and the layer `layer` (below
  /// `layers`), drawing more from `stream` only when the first candidate is not accepted at once.
  @inline(__always)
  func normal(_ u: Double, layer: Int, _ stream: inout RandomStream) -> Double {
    if abs(u) < ratio[layer] { return u * x[layer] }
    return slowNormal(u, layer: layer, &stream)
  }

  /// The wedge and tail tests, and fresh candidates (each from a new block of `stream`) until one
  /// is accepted.
  func slowNormal(_ u0: Double, layer i0: Int, _ stream: inout RandomStream) -> Double {
    var (u, i) = (u0, i0)
    while true {
      if abs(u) < ratio[i] { return u * x[i] }
      if i == 0 {
        // The tail beyond r: Marsaglia (1964).
        let r = tailStart
        while true {
          let a = -log(stream.uniform()) / r
          let b = -log(stream.uniform())
          if 2 * b >= a * a { return u < 0 ? -(r + a) : r + a }
        }
      }
      let candidate = u * x[i]
      let f0 = exp(-0.5 * (x[i] * x[i] - candidate * candidate))
      let f1 = exp(-0.5 * (x[i + 1] * x[i + 1] - candidate * candidate))
      if f1 + stream.uniform() * (f0 - f1) < 1 { return candidate }
      let w = stream.block()
      u = 2 * RandomStream.unit(w.0) - 1
      i = Int(w.3 & UInt32(Self.layers - 1))
    }
  }
}
