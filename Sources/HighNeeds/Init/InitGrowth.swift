import Foundation

/// The LA's growth trend in a generated scenario: the pooled method's forecast of its total
/// (`PooledForecast`, from the national panel up to the base census), turned into new plans per
/// resident year by year through the stock-flow identity, and its p10–p90 interval as the
/// sweep's uncertain caseload input (docs/INIT.md, "Growth").
extension Builder {
  /// The incidence trend of one generated scenario and what it was fitted to.
  struct Growth: Sendable {
    /// The trend fraction of each projected census year (`incidence_trend_fraction_per_year`).
    var trend: [Double]
    /// The pooled forecast of the total, when the panel had one for the LA.
    var forecast: PooledForecast?
    /// The forecast total path `P̂_t`, `t = 1…H` (empty without a forecast).
    var path: [Double]
    /// The model's total with the trend, `t = 1…H` (the stock-flow replica below).
    var model: [Double]
    /// Plans of the base stock still held at `t` (`K_t`) and of the new plans since the base
    /// (`C_t`), so that the total is `K_t + v · C_t` when every new plan is scaled by `v`.
    var kept: [Double]
    var arrived: [Double]
    /// The sweep's `incidence_factor` (drawn once): a lognormal's median and `sd_log`, nil
    /// without an interval.
    var factor: (median: Double, sdLog: Double)?
    /// The years whose trend was held inside `trendBounds` (so the model's total leaves the path).
    var clamped: [Int]
  }

  /// The trend a year may take: a fall of half, a doubling.
  static let trendBounds = -0.5...1.0
  /// The lowest incidence the trend may reach, as a multiple of the base year's: a forecast
  /// total falling faster than plans leave (a census that lost most of an LA's plans) would
  /// otherwise halve new plans every year.
  static let lowestLevel = 0.5
  /// `Φ⁻¹(0.9)`, for a p10–p90 as a normal's.
  static let z90 = 1.2815515655446004
  /// A normal's or lognormal's truncation point (`docs/SCENARIO.md`, "Truncation"), rounded up.
  static let truncationZ = 7.0345

  /// The model's total plans at each projected census, `t = 1…H`, from the base stock by age,
  /// with cessation by age (0–24; every plan ends at 25), and `arrivals(t)` new plans by age at
  /// census `t`: exactly the model's total, since moves and overflow keep plans and the
  /// generated cessation is the same in every placement.
  static func totals(stock start: [Double], cessation: [Double], years: Int, arrivals: (Int, Double) -> [Double])
    -> (total: [Double], keptOfBase: [Double])
  {
    var stock = start
    var base = start
    var total: [Double] = []
    var keptOfBase: [Double] = []
    for t in 1...years {
      var next = [Double](repeating: 0, count: 26)
      var nextBase = [Double](repeating: 0, count: 26)
      for a in 0..<25 {
        next[a + 1] = stock[a] * (1 - cessation[a])
        nextBase[a + 1] = base[a] * (1 - cessation[a])
      }
      let kept = next.reduce(0, +)
      let new = arrivals(t, kept)
      for a in 0..<26 { next[a] += new[a] }
      stock = next
      base = nextBase
      total.append(stock.reduce(0, +))
      keptOfBase.append(base.reduce(0, +))
    }
    return (total, keptOfBase)
  }

  /// The incidence trend that makes the model's total follow the pooled forecast.
  ///
  /// At each census `t` the new plans `N_t = P̂_t − K_t` (the forecast less the plans kept from
  /// the year before, after cessation by age) over the new plans at the base incidence
  /// `B_t = Σ_a population_a (1 + p)^t · incidence_a` give the multiplier `m_t = N_t / B_t` and
  /// the trend `m_t / m_{t−1} − 1`, held inside `trendBounds`, `m_t ≥ lowestLevel` and so that
  /// no rate passes 0.5. Inputs are the values as written (rounded), so the model reproduces
  /// the path.
  mutating func growthTrend(
    byAge: [Double], populationGrowth: Double, incidence written: [Double], cessation writtenCessation: [Double]
  ) -> Growth {
    let horizon = ScenarioInit.horizonYears
    let incidence = written.map { Double(InitFormat.number($0, decimals: 8)) ?? $0 }
    let cessation = writtenCessation.map { Double(InitFormat.number($0, decimals: 8)) ?? $0 }
    let residents = population.map { Double(InitFormat.number($0, decimals: 2)) ?? $0 }
    func base(_ t: Int) -> [Double] {
      (0..<26).map { residents[$0] * pow(1 + populationGrowth, Double(t)) * incidence[$0] }
    }
    let key = "caseload.incidence_trend_fraction_per_year"
    guard let context = pack.pooled, let series = pack.panel?.series.first(where: { $0.code == code }),
      let forecast = try? PooledForecast.make(series: series.series(through: census), context: context)
    else {
      let why =
        pack.pooled == nil
        ? "the pack's panel (\(packFile("panel.csv"))) has no pooled fit at January \(census)"
        : "the LA has no plans at January \(census - 1) and \(census) in \(packFile("panel.csv"))"
      note(
        key, "0", "fraction per year", .nationalDefault, "\(why): new plans per resident held at the latest year's rate"
      )
      let flat = Builder.totals(stock: byAge, cessation: cessation, years: horizon) { t, _ in base(t) }
      return Growth(
        trend: Array(repeating: 0, count: horizon), forecast: nil, path: [], model: flat.total, kept: flat.keptOfBase,
        arrived: zip(flat.total, flat.keptOfBase).map { $0 - $1 }, factor: nil, clamped: [])
    }
    let path = (1...horizon).map { exp(forecast.logForecast(horizon: $0)) }
    let highestRate = incidence.max() ?? 0
    var multiplier = 1.0
    var trend: [Double] = []
    var clamped: [Int] = []
    let run = Builder.totals(stock: byAge, cessation: cessation, years: horizon) { t, kept in
      let b = base(t)
      let needed = b.reduce(0, +)
      let wanted = needed > 0 ? (path[t - 1] - kept) / needed : multiplier
      var g = wanted / multiplier - 1
      var upper = Builder.trendBounds.upperBound
      if highestRate > 0 { upper = min(upper, 0.5 / (highestRate * multiplier) - 1) }
      let lower = max(Builder.trendBounds.lowerBound, Builder.lowestLevel / multiplier - 1)
      if !g.isFinite || g < lower || g > upper {
        g = g.isFinite ? min(max(g, lower), upper) : 0
        clamped.append(census + t)
      }
      g = Double(InitFormat.number(g, decimals: 6)) ?? g
      trend.append(g)
      multiplier *= 1 + g
      return b.map { $0 * multiplier }
    }
    let arrived = zip(run.total, run.keptOfBase).map { $0 - $1 }
    // The interval: every new plan scaled by one lognormal draw `v`, so the total at `h` is
    // `K_h + v · C_h`; `v`'s p10 and p90 are the means on the log scale of those that give the
    // pooled p10 and p90 at h1–h3.
    var lows: [Double] = []
    var highs: [Double] = []
    for f in forecast.forecasts {
      let h = f.horizon - 1
      guard let p10 = f.p10, let p90 = f.p90, arrived[h] > 0 else { continue }
      let low = (p10 - run.keptOfBase[h]) / arrived[h]
      let high = (p90 - run.keptOfBase[h]) / arrived[h]
      if low > 0 { lows.append(Foundation.log(low)) }
      if high > 0 { highs.append(Foundation.log(high)) }
    }
    var factor: (median: Double, sdLog: Double)?
    if !lows.isEmpty, !highs.isEmpty {
      let lo = lows.reduce(0, +) / Double(lows.count)
      let hi = highs.reduce(0, +) / Double(highs.count)
      let mu = (lo + hi) / 2
      var sd = max(0, (hi - lo) / (2 * Builder.z90))
      // Every drawn incidence must stay a rate: exp(μ + 7.03 σ) · the highest rate ≤ 1.
      let rate = highestRate * (trend.reduce(into: [1.0]) { $0.append(($0.last ?? 1) * (1 + $1)) }.max() ?? 1)
      if rate > 0 { sd = min(sd, 0.999 * (-Foundation.log(rate) - mu) / Builder.truncationZ) }
      let median = Double(InitFormat.number(exp(mu), decimals: 6)) ?? exp(mu)
      sd = max(0, floor(sd * 1e6) / 1e6)
      factor = (median, sd)
    }
    let h3 = forecast.forecasts.map { "\($0.year) \(InitFormat.number($0.forecast, decimals: 0))" }
      .joined(separator: ", ")
    note(
      key, trend.map { InitFormat.number($0) }.joined(separator: " "), "fraction per year", .derived,
      "the LA's total forecast by the pooled method (pooled_shrink, docs/CALIBRATION.md) from \(packFile("panel.csv")) up to January \(census): England's growth \(InitFormat.number(forecast.nationalGrowth, decimals: 4)) plus \(InitFormat.number(forecast.fit.shrinkWeight, decimals: 3)) x \(InitFormat.number(forecast.fit.shrinkWeight == 0 ? 0 : forecast.lastPlans / (forecast.lastPlans + forecast.fit.shrinkSize), decimals: 3)) of the LA's deviation \(InitFormat.number(forecast.deviation, decimals: 4)) = \(InitFormat.number(forecast.growth, decimals: 4)) log points a year (\(h3)), held beyond \(PooledForecast.calibratedHorizon) years (the rule in docs/CALIBRATION.md, Beyond three years); each year's trend makes the new plans the forecast total less the plans kept from the year before (the LA's cessation by age), over the new plans at the base incidence"
        + (clamped.isEmpty
          ? ""
          : "; held within \(InitFormat.number(Builder.trendBounds.lowerBound))..\(InitFormat.number(Builder.trendBounds.upperBound)) a year, incidence at least \(InitFormat.number(Builder.lowestLevel)) x the base year's and every rate at most 0.5 in \(clamped.map(String.init).joined(separator: " ")), so the total leaves the forecast there")
    )
    return Growth(
      trend: trend, forecast: forecast, path: path, model: run.total, kept: run.keptOfBase, arrived: arrived,
      factor: factor, clamped: clamped)
  }

  /// The sweep's p10 and p90 of the total at horizon `h` (1-based) under `growth.factor`.
  static func sweepInterval(_ growth: Growth, horizon h: Int) -> (p10: Double, p90: Double)? {
    guard let f = growth.factor, h >= 1, h <= growth.kept.count else { return nil }
    let mu = Foundation.log(f.median)
    return (
      growth.kept[h - 1] + exp(mu - z90 * f.sdLog) * growth.arrived[h - 1],
      growth.kept[h - 1] + exp(mu + z90 * f.sdLog) * growth.arrived[h - 1]
    )
  }

  /// `incidence_trend_fraction_per_year` as YAML lines (a series by census year).
  func trendYAML(_ growth: Growth, indent: String, key: String = "incidence_trend_fraction_per_year") -> [String] {
    guard let entry = value("caseload.incidence_trend_fraction_per_year") else { return [] }
    if growth.forecast == nil {
      return [
        "\(indent)\(key): {value: 0, source: \(source(entry.status, entry.method)), status: \(entry.status.rawValue)}"
      ]
    }
    var lines = ["\(indent)\(key):"]
    for (t, g) in growth.trend.enumerated() {
      let year = census + t + 1
      let why =
        t == 0
        ? entry.method
        : "the pooled forecast of the total, \(InitFormat.number(growth.path[t], decimals: 0)) plans at January \(year), through the stock-flow identity (assumptions.csv)"
      lines.append(
        "\(indent)  \"\(year)\": {value: \(InitFormat.number(g)), source: \(source(.derived, why)), status: derived}")
    }
    return lines
  }
}

extension Builder {
  /// The README's section on the growth trend: its source, the forecast path beside the model's,
  /// and the sweep's interval beside the pooled one.
  func growthReadme(_ growth: Growth) -> [String] {
    var r = ["## Growth (the LA's own trend)", ""]
    guard let forecast = growth.forecast else {
      r += [
        "New plans per resident are held at the latest year's rate (`incidence_trend_fraction_per_year: 0`, national default): \(value("caseload.incidence_trend_fraction_per_year")?.method ?? "").",
        "",
      ]
      return r
    }
    r.append(
      "The caseload follows the pooled method's forecast of the LA's total (calibrated on every LA's censuses in the national panel, `Data/national/panel.csv`, read up to January \(census); toolkit `docs/CALIBRATION.md`): \(InitFormat.number(forecast.growthFraction * 100, decimals: 1))% a year (England's \(InitFormat.number((exp(forecast.nationalGrowth) - 1) * 100, decimals: 1))% plus \(InitFormat.number(forecast.fit.shrinkWeight, decimals: 3)) of the LA's deviation from it, weighted by size), held beyond three years. `incidence_trend_fraction_per_year` is the year series that makes the model's new plans the forecast total less the plans kept from the year before (the LA's own cessation by age), so the model's total is the forecast path; see `assumptions.csv`. The forecast beyond three years is not calibrated: read the later years as the growth held, not as a forecast."
    )
    r += [
      "", "| January | pooled forecast | p10 | p90 | model total | sweep p10 | sweep p90 | trend |",
      "|---|---|---|---|---|---|---|---|",
    ]
    for t in 0..<growth.trend.count {
      let pooled = forecast.forecasts.first { $0.horizon == t + 1 }
      let sweep = t < PooledForecast.calibratedHorizon ? Builder.sweepInterval(growth, horizon: t + 1) : nil
      func cell(_ x: Double?) -> String { x.map { InitFormat.number($0, decimals: 0) } ?? "" }
      r.append(
        "| \(census + t + 1) | \(cell(growth.path[t])) | \(cell(pooled?.p10)) | \(cell(pooled?.p90)) | \(cell(growth.model[t])) | \(cell(sweep?.p10)) | \(cell(sweep?.p90)) | \(InitFormat.number(growth.trend[t])) |"
      )
    }
    r += [
      "",
      "p10 and p90 are the pooled method's interval from the panel's out-of-sample errors (1-3 years only); the sweep's (`sweep/uncertainty.yaml`, `caseload_growth`) draws one factor on every new plan to match them.",
      "",
    ]
    return r
  }
}
