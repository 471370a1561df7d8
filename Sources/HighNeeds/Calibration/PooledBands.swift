import Foundation

// The pooled methods by age band, `pooled_age` and `pooled_cohort` (issue 17, added in stop 22
// after the first menu's reported origins had been seen; chosen between by the unchanged rule on
// origins 2012–2018, docs/CALIBRATION.md "The rule").
//
// With `P_ib(t)` LA `i`'s plans in band `b` (`Panel.bandColumns`: under 5, 5–10, 11–15, 16–19,
// 20–25) and `s_ib = P_ib(t) / (P_ib(t) + c)`:
//
// - `pooled_age`: each band grows at `ĝ_ib = g_Eb(t) + β · s_ib · d_ib`, with `g_Eb(t)` England's
//   log growth of band `b` (over the LAs with every band in both years) and
//   `d_ib = log(P_ib(t) / P_ib(t−1)) − g_Eb(t)` (0 when either count is 0); the forecast is
//   `P_i(t) · Σ_b P_ib(t) · exp(ĝ_ib · h) / Σ_b P_ib(t)`.
// - `pooled_cohort`: the bands age into each other. With `w_b` the band's width in years
//   (5, 6, 5, 4, 6) and the base `B_b(t) = P_b(t−1) · (1 − 1/w_b) + P_{b−1}(t−1) / w_{b−1}` (the
//   band's plans a year before less the oldest year, plus the youngest year of the band below;
//   `B_0(t) = P_0(t−1)`), the cohort change ratio is `R_ib(t) = P_ib(t) / B_ib(t)` and England's
//   `R_Eb(t) = Σ P_b(t) / Σ B_b(t)`. The LA's ratio is shrunk:
//   `R̂_ib = R_Eb(t) · exp(β · s_ib · d_ib)`, `d_ib = log R_ib(t) − log R_Eb(t)` (0 when either is 0),
//   and the bands are carried forward year by year, `Q_b(j) = R̂_ib · B_b(Q(j−1))` from
//   `Q(0) = P_i(t)` (Hamilton–Perry cohort change ratios); the forecast is
//   `P_i(t) · Σ_b Q_b(h) / Σ_b P_ib(t)`.
//
// `β` and `c` are estimated as `pooled_shrink`'s, with LA-bands for LAs: by least squares of
// `r = Σ_{j=1…h} y_ib(t+j) − h · y_Eb(t)` on `x = s_ib · d_ib(t) · h` (`y` the log growth, or
// the log cohort change ratio), over every LA-band with at least `estimationFloor` plans at `t`,
// census `t` and horizon `h ≤ H` with `t + h ≤ O`, `β = Σxr / Σx²` for each `c` in `sizeGrid`,
// the `c` with the smallest sum of squares kept. An LA without all five bands at `t` and
// `t − 1` (the panel has no bands in 2023) is forecast by `pooled_shrink`.
//
// `pooled_cohort_average` is the mean on the log scale of `pooled_shrink` and `pooled_cohort`.
extension PooledFit {
  /// The width in years of each age band of `Panel.bandColumns` (0–4, 5–10, 11–15, 16–19, 20–25).
  public static let bandWidths: [Double] = [5, 6, 5, 4, 6]

  /// The base of each band's cohort change ratio at `t` from the bands `before` at `t − 1`:
  /// the plans that would be in the band at `t` if every plan aged a year and none began or
  /// ended (the youngest band: its own plans).
  static func cohortBase(_ before: [Double]) -> [Double] {
    before.indices.map { b in
      b == 0 ? before[0] : before[b] * (1 - 1 / bandWidths[b]) + before[b - 1] / bandWidths[b - 1]
    }
  }

  /// Each band's deviation from England's at `t` and England's value (the log growth, or the
  /// cohort change ratio), or nil without the LA's bands at `t` and `t − 1` or England's.
  func bandDeviations(_ la: PanelSeries, at t: Int, cohort: Bool) -> [(d: Double, national: Double?)]? {
    guard let now = la.bands[t], let before = la.bands[t - 1] else { return nil }
    if cohort {
      guard let ratios = aggregates.cohortRatio[t] else { return nil }
      let base = Self.cohortBase(before)
      return now.indices.map { b in
        guard let r = ratios[b] else { return (0, nil) }
        let d = r > 0 && now[b] > 0 && base[b] > 0 ? log(now[b] / base[b]) - log(r) : 0
        return (d, r)
      }
    }
    guard let growth = aggregates.bandGrowth[t] else { return nil }
    return now.indices.map { b in
      guard let g = growth[b] else { return (0, nil) }
      let d = now[b] > 0 && before[b] > 0 ? log(now[b] / before[b]) - g : 0
      return (d, g)
    }
  }

  /// The log of `pooled_age`'s (or, with `cohort`, `pooled_cohort`'s) forecast of `la`'s total
  /// `h` censuses after `t`, or nil when the LA or England lacks the bands there.
  func bandLog(_ la: PanelSeries, at t: Int, horizon h: Int, cohort: Bool) -> Double? {
    guard let p = la.plans[t], p > 0, let now = la.bands[t], let gE = aggregates.nationalGrowth[t],
      let deviations = bandDeviations(la, at: t, cohort: cohort)
    else { return nil }
    let total = now.reduce(0, +)
    guard total > 0 else { return nil }
    let (beta, c) = cohort ? (cohortWeight, cohortSize) : (ageWeight, ageSize)
    // The shrunk deviation of each band (a band with no plans at `t` has none).
    let shrunk = now.indices.map { b in deviations[b].d == 0 ? 0 : beta * now[b] / (now[b] + c) * deviations[b].d }
    var q = now
    if cohort {
      // England's ratio for a band England had none of a year before: England's growth.
      let ratios = now.indices.map { b in deviations[b].national.map { $0 * exp(shrunk[b]) } ?? exp(gE) }
      for _ in 0..<h {
        let base = Self.cohortBase(q)
        q = q.indices.map { ratios[$0] * base[$0] }
      }
    } else {
      q = now.indices.map { b in now[b] * exp(((deviations[b].national ?? gE) + shrunk[b]) * Double(h)) }
    }
    let sum = q.reduce(0, +)
    return sum > 0 ? log(p) + log(sum / total) : nil
  }

  /// Estimates `β` and `c` of `pooled_age` and `pooled_cohort` on `panel` (known up to
  /// `origin`), for horizons up to `horizon`.
  mutating func fitBands(_ panel: Panel, horizon: Int) {
    for cohort in [false, true] {
      // (response r, deviation · h, the band's plans at t)
      var samples: [(r: Double, dh: Double, size: Double)] = []
      for la in panel.series {
        for t in la.bands.keys.sorted() {
          guard let now = la.bands[t], let deviations = bandDeviations(la, at: t, cohort: cohort) else { continue }
          for b in now.indices where now[b] >= Self.estimationFloor && deviations[b].d != 0 {
            guard let national = deviations[b].national else { continue }
            let y0 = cohort ? log(national) : national
            for h in 1...horizon where t + h <= origin {
              var sum = 0.0
              var complete = true
              if cohort {
                for j in 1...h {
                  guard let a = la.bands[t + j]?[b], let before = la.bands[t + j - 1], a > 0 else {
                    complete = false
                    break
                  }
                  let base = Self.cohortBase(before)[b]
                  guard base > 0 else {
                    complete = false
                    break
                  }
                  sum += log(a / base)
                }
              } else if let later = la.bands[t + h]?[b], later > 0 {
                sum = log(later / now[b])
              } else {
                complete = false
              }
              guard complete else { continue }
              samples.append((sum - y0 * Double(h), deviations[b].d * Double(h), now[b]))
            }
          }
        }
      }
      var best: (sse: Double, beta: Double, c: Double)?
      for c in Self.sizeGrid {
        var (sxx, sxr) = (0.0, 0.0)
        for s in samples {
          let x = s.size / (s.size + c) * s.dh
          sxx += x * x
          sxr += x * s.r
        }
        guard sxx > 0 else { continue }
        let beta = sxr / sxx
        var sse = 0.0
        for s in samples {
          let e = s.r - beta * s.size / (s.size + c) * s.dh
          sse += e * e
        }
        if best == nil || sse < (best?.sse ?? 0) - 1e-12 { best = (sse, beta, c) }
      }
      if cohort {
        cohortSamples = samples.count
        if let best { (cohortWeight, cohortSize) = (best.beta, best.c) }
      } else {
        ageSamples = samples.count
        if let best { (ageWeight, ageSize) = (best.beta, best.c) }
      }
    }
  }
}

extension PanelAggregates {
  /// England's growth and cohort change ratio of each band at `year`, over the LAs with every
  /// band at `year` and the year before.
  mutating func addBands(_ panel: Panel, year: Int) {
    let count = Panel.bandColumns.count
    var (now, before, base) = (
      [Double](repeating: 0, count: count), [Double](repeating: 0, count: count), [Double](repeating: 0, count: count)
    )
    var any = false
    for s in panel.series {
      guard let a = s.bands[year], let b = s.bands[year - 1] else { continue }
      any = true
      let c = PooledFit.cohortBase(b)
      for k in 0..<count {
        now[k] += a[k]
        before[k] += b[k]
        base[k] += c[k]
      }
    }
    guard any else { return }
    bandGrowth[year] = (0..<count).map { k in now[k] > 0 && before[k] > 0 ? log(now[k] / before[k]) : nil }
    cohortRatio[year] = (0..<count).map { k in base[k] > 0 ? now[k] / base[k] : nil }
  }
}
