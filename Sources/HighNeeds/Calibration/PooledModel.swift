import Foundation

/// The pooled forecasts of an LA's plans, each borrowing strength from every LA in a panel.
///
/// With `P_i(t)` LA `i`'s plans at census `t`, `g_i(t) = log(P_i(t) / P_i(t−1))`, `g_E(t)` the
/// log growth of the sum over the LAs that have both censuses (England, when the panel is every
/// LA) and `g_R(t)` the same over the LA's region; `d_i = g_i(t) − g_E(t)`,
/// `d_R = g_R(t) − g_E(t)` and the size weight `s_i = P_i(t) / (P_i(t) + c)`:
///
/// - `pooled_shrink`: `ĝ_i = g_E(t) + β · s_i · d_i` — the LA's last growth shrunk towards
///   England's, less for a large LA (empirical Bayes, with the noise of a growth rate falling
///   with size);
/// - `pooled_region`: `ĝ_i = g_E(t) + β_R · d_R + β_L · s_i · (d_i − d_R)` — towards its region,
///   and the region towards England;
/// - `pooled_stock_flow`: `S(t+j) = S(t+j−1) · (1 − ℓ̂) + N(t) · exp(φ · g_N(t) · j)`, with
///   `ℓ̂ = w · ℓ̄_i + (1 − w) · ℓ̄_E` the LA's mean implied leave rate over its last two census
///   pairs (`ℓ(t) = 1 − (P(t) − N(t)) / P(t−1)`, `N(t)` the new plans of calendar year `t − 1`)
///   shrunk towards England's, and `g_N(t)` England's last log growth of new plans; where the
///   LA lacks the new plans it is forecast by `pooled_shrink`;
/// - `pooled_average`: the mean on the log scale of `pooled_shrink` and `pooled_stock_flow`;
/// - `pooled_age` and `pooled_cohort` (added after the first menu's reported origins were seen;
///   `PooledBands.swift`): `pooled_shrink` by age band, each band's growth (or cohort change
///   ratio) shrunk towards England's for the same band, the bands summed to the total;
/// - `pooled_cohort_average`: the mean on the log scale of `pooled_shrink` and `pooled_cohort`.
///
/// The growth models forecast `P_i(t) · exp(ĝ_i · h)`. Their parameters (`β`, `c`; `β_R`,
/// `β_L`, `c`; `w`, `φ`) are estimated on the panel known at the origin `O` only: by least
/// squares of the log change `log(P_i(t+h) / P_i(t))` over every LA, earlier census `t` and
/// horizon `h ≤ H` with `t + h ≤ O` (LAs with at least `estimationFloor` plans at `t`), `β`
/// in closed form for each `c` in `sizeGrid` and `(w, φ)` on their grids.
public enum PooledMethod: String, CaseIterable, Sendable {
  case shrink = "pooled_shrink"
  case region = "pooled_region"
  case stockFlow = "pooled_stock_flow"
  case average = "pooled_average"
  case age = "pooled_age"
  case cohort = "pooled_cohort"
  case cohortAverage = "pooled_cohort_average"
}

/// Sums over a panel's LAs by census year: England's and each region's growth, England's
/// implied leave rate and new-plan growth.
struct PanelAggregates: Sendable {
  /// Census year → log growth from the year before, of the sum over LAs with both censuses.
  var nationalGrowth: [Int: Double] = [:]
  /// Region → census year → log growth, as `nationalGrowth`.
  var regionGrowth: [String: [Int: Double]] = [:]
  /// Census year `t` → `1 − (ΣP(t) − ΣN(t)) / ΣP(t−1)` over LAs with all three.
  var nationalLeave: [Int: Double] = [:]
  /// Census year → log growth of new plans, over LAs with both years'.
  var nationalNewPlanGrowth: [Int: Double] = [:]
  /// Census year → each age band's log growth from the year before (nil where a sum is 0), over
  /// the LAs with every band in both years; absent where no LA has them.
  var bandGrowth: [Int: [Double?]] = [:]
  /// Census year → each age band's cohort change ratio (`PooledBands.swift`; nil where the
  /// band's sum a year before is 0), over the same LAs.
  var cohortRatio: [Int: [Double?]] = [:]

  init(_ panel: Panel) {
    let years = panel.years
    for year in years {
      func growth(_ members: [PanelSeries]) -> Double? {
        var (now, before) = (0.0, 0.0)
        for s in members {
          guard let a = s.plans[year], let b = s.plans[year - 1] else { continue }
          now += a
          before += b
        }
        return now > 0 && before > 0 ? log(now / before) : nil
      }
      nationalGrowth[year] = growth(panel.series)
      for (region, members) in Dictionary(grouping: panel.series, by: \.region) {
        if let g = growth(members) { regionGrowth[region, default: [:]][year] = g }
      }
      var (stock, before, new) = (0.0, 0.0, 0.0)
      var (n1, n0) = (0.0, 0.0)
      for s in panel.series {
        if let a = s.plans[year], let b = s.plans[year - 1], let n = s.newPlans[year] {
          stock += a
          before += b
          new += n
        }
        if let a = s.newPlans[year], let b = s.newPlans[year - 1] {
          n1 += a
          n0 += b
        }
      }
      if before > 0 { nationalLeave[year] = 1 - (stock - new) / before }
      if n1 > 0 && n0 > 0 { nationalNewPlanGrowth[year] = log(n1 / n0) }
      addBands(panel, year: year)
    }
  }
}

/// The pooled methods' parameters estimated on a panel known up to `origin`.
public struct PooledFit: Sendable {
  /// The last census the fit could read.
  public var origin: Int
  /// `pooled_shrink`: `β` and `c`.
  public var shrinkWeight = 0.0
  public var shrinkSize = 0.0
  /// `pooled_region`: `β_R`, `β_L` and `c`.
  public var regionWeight = 0.0
  public var localWeight = 0.0
  public var regionSize = 0.0
  /// `pooled_stock_flow`: the weight `w` of the LA's own leave rate and `φ`, the share of
  /// England's new-plan growth carried forward.
  public var leaveWeight = 0.0
  public var newPlanGrowthShare = 0.0
  /// `pooled_age`: `β` and `c` of the bands' growth; `pooled_cohort`: of their cohort change ratios.
  public var ageWeight = 0.0
  public var ageSize = 0.0
  public var cohortWeight = 0.0
  public var cohortSize = 0.0
  /// The (LA, band, census, horizon) samples behind the two band models' estimates.
  public var ageSamples = 0
  public var cohortSamples = 0
  /// The (LA, census, horizon) log changes behind the growth models' estimates, and the stock-flow's.
  public var growthSamples = 0
  public var stockFlowSamples = 0
  let aggregates: PanelAggregates

  /// The values `c` tried for the size weight `s = P / (P + c)` (plans); 0 weighs every LA alike.
  public static let sizeGrid: [Double] = [0, 30, 100, 300, 1000]
  /// The values tried for `w` (stock-flow leave-rate weight).
  public static let leaveWeightGrid: [Double] = [0, 0.25, 0.5, 0.75, 1]
  /// The values tried for `φ` (share of England's new-plan growth carried forward).
  public static let newPlanGrowthGrid: [Double] = [0, 0.5, 1]
  /// LAs with fewer plans than this at a census are not used to estimate the parameters there
  /// (their log growth is mostly noise); they are still forecast.
  public static let estimationFloor = 50.0

  /// Estimates every pooled method on `panel` known up to `origin` (nothing later is read),
  /// for horizons up to `horizon`.
  public static func fit(_ full: Panel, origin: Int, horizon: Int) -> PooledFit {
    let panel = full.through(origin)
    var fit = PooledFit(origin: origin, aggregates: PanelAggregates(panel))
    // (response r = log change − g_E·h, x = d·h, xR = d_R·h, size P, la, t, h)
    struct Sample {
      var la: PanelSeries
      var t: Int
      var h: Int
      var logChange: Double
    }
    var samples: [Sample] = []
    for la in panel.series {
      for (t, p) in la.plans where p >= estimationFloor {
        for h in 1...horizon where t + h <= origin {
          guard let later = la.plans[t + h], later > 0, fit.deviation(la, at: t) != nil else { continue }
          samples.append(Sample(la: la, t: t, h: h, logChange: log(later / p)))
        }
      }
    }
    samples.sort { ($0.la.code, $0.t, $0.h) < ($1.la.code, $1.t, $1.h) }
    fit.growthSamples = samples.count
    var bestShrink: (sse: Double, beta: Double, c: Double)?
    var bestRegion: (sse: Double, betaR: Double, betaL: Double, c: Double)?
    for c in sizeGrid {
      var (sxx, sxr) = (0.0, 0.0)
      var m = [0.0, 0.0, 0.0, 0.0, 0.0]  // Σ a², Σ ab, Σ b², Σ a r, Σ b r
      var rows: [(r: Double, x: Double, a: Double, b: Double)] = []
      for s in samples {
        guard let (d, dR, gE) = fit.deviation(s.la, at: s.t) else { continue }
        let size = (s.la.plans[s.t] ?? 0) / ((s.la.plans[s.t] ?? 0) + c)
        let h = Double(s.h)
        let r = s.logChange - gE * h
        let x = size * d * h
        let (a, b) = (dR * h, size * (d - dR) * h)
        sxx += x * x
        sxr += x * r
        m[0] += a * a
        m[1] += a * b
        m[2] += b * b
        m[3] += a * r
        m[4] += b * r
        rows.append((r, x, a, b))
      }
      guard sxx > 0 else { continue }
      let beta = sxr / sxx
      let sse = rows.map { ($0.r - beta * $0.x) * ($0.r - beta * $0.x) }.reduce(0, +)
      if bestShrink == nil || sse < (bestShrink?.sse ?? 0) - 1e-12 { bestShrink = (sse, beta, c) }
      let det = m[0] * m[2] - m[1] * m[1]
      let (betaR, betaL) =
        det > 1e-12 * max(m[0] * m[2], 1e-300)
        ? ((m[3] * m[2] - m[4] * m[1]) / det, (m[0] * m[4] - m[1] * m[3]) / det)
        : (0, m[2] > 0 ? m[4] / m[2] : 0)
      let sseR = rows.map { ($0.r - betaR * $0.a - betaL * $0.b) * ($0.r - betaR * $0.a - betaL * $0.b) }.reduce(0, +)
      if bestRegion == nil || sseR < (bestRegion?.sse ?? 0) - 1e-12 { bestRegion = (sseR, betaR, betaL, c) }
    }
    if let bestShrink { (fit.shrinkWeight, fit.shrinkSize) = (bestShrink.beta, bestShrink.c) }
    if let bestRegion {
      (fit.regionWeight, fit.localWeight, fit.regionSize) = (bestRegion.betaR, bestRegion.betaL, bestRegion.c)
    }
    var bestFlow: (sse: Double, w: Double, phi: Double, n: Int)?
    for w in leaveWeightGrid {
      for phi in newPlanGrowthGrid {
        var trial = fit
        (trial.leaveWeight, trial.newPlanGrowthShare) = (w, phi)
        var (sse, n) = (0.0, 0)
        for s in samples {
          guard let f = trial.stockFlowLog(s.la, at: s.t, horizon: s.h) else { continue }
          let e = log(s.la.plans[s.t + s.h] ?? 1) - f
          sse += e * e
          n += 1
        }
        if n > 0, bestFlow == nil || sse < (bestFlow?.sse ?? 0) - 1e-12 { bestFlow = (sse, w, phi, n) }
      }
    }
    if let bestFlow {
      (fit.leaveWeight, fit.newPlanGrowthShare, fit.stockFlowSamples) = (bestFlow.w, bestFlow.phi, bestFlow.n)
    }
    fit.fitBands(panel, horizon: horizon)
    return fit
  }

  /// `(d_i, d_R, g_E)` at census `t`, or nil when the LA or England lacks the growth there.
  func deviation(_ la: PanelSeries, at t: Int) -> (Double, Double, Double)? {
    guard let a = la.plans[t], let b = la.plans[t - 1], a > 0, b > 0, let gE = aggregates.nationalGrowth[t] else {
      return nil
    }
    let gR = aggregates.regionGrowth[la.region]?[t] ?? gE
    return (log(a / b) - gE, gR - gE, gE)
  }

  /// The log of `method`'s forecast of `la`'s plans `horizon` censuses after `t` (a census the
  /// fit has seen), or nil when the LA has no growth at `t`.
  public func logForecast(_ method: PooledMethod, _ la: PanelSeries, at t: Int, horizon h: Int) -> Double? {
    guard let (d, dR, gE) = deviation(la, at: t), let p = la.plans[t] else { return nil }
    let shrink = log(p) + (gE + shrinkWeight * p / (p + shrinkSize) * d) * Double(h)
    switch method {
    case .shrink:
      return shrink
    case .region:
      return log(p) + (gE + regionWeight * dR + localWeight * p / (p + regionSize) * (d - dR)) * Double(h)
    case .stockFlow:
      return stockFlowLog(la, at: t, horizon: h) ?? shrink
    case .average:
      return stockFlowLog(la, at: t, horizon: h).map { ($0 + shrink) / 2 } ?? shrink
    case .age:
      return bandLog(la, at: t, horizon: h, cohort: false) ?? shrink
    case .cohort:
      return bandLog(la, at: t, horizon: h, cohort: true) ?? shrink
    case .cohortAverage:
      return bandLog(la, at: t, horizon: h, cohort: true).map { ($0 + shrink) / 2 } ?? shrink
    }
  }

  /// The stock-flow forecast's log, or nil without the LA's new plans and a leave rate at `t`.
  func stockFlowLog(_ la: PanelSeries, at t: Int, horizon h: Int) -> Double? {
    func leave(_ s: PanelSeries, _ y: Int) -> Double? {
      guard let a = s.plans[y], let b = s.plans[y - 1], let n = s.newPlans[y], b > 0 else { return nil }
      return 1 - (a - n) / b
    }
    let own = [leave(la, t), leave(la, t - 1)].compactMap { $0 }
    let national = [aggregates.nationalLeave[t], aggregates.nationalLeave[t - 1]].compactMap { $0 }
    guard let stock = la.plans[t], stock > 0, let new = la.newPlans[t], !own.isEmpty, !national.isEmpty else {
      return nil
    }
    let rate =
      leaveWeight * own.reduce(0, +) / Double(own.count) + (1 - leaveWeight) * national.reduce(0, +)
      / Double(national.count)
    let g = newPlanGrowthShare * (aggregates.nationalNewPlanGrowth[t] ?? 0)
    var s = stock
    for j in 1...h { s = s * (1 - rate) + new * exp(g * Double(j)) }
    return s > 0 ? log(s) : nil
  }
}
