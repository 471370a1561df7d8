import Foundation

/// The LA's growth trend in a generated scenario: the pooled method's forecast of its total
/// (`PooledForecast`, from the national panel up to the base census), turned into new plans per
/// resident year by year through the stock-flow identity, and its p10–p90 interval as the
/// sweep's uncertain caseload input (docs/INIT.md, "Growth").
extension Builder {
  /// The incidence trend of one generated scenario (`series`, the shared computation) and the
  /// pooled forecast it was fitted to (nil when the panel had none for the LA).
  @dynamicMemberLookup
  struct Growth: Sendable {
    var series: GrowthSeries
    var forecast: PooledForecast?

    subscript<T>(dynamicMember keyPath: KeyPath<GrowthSeries, T>) -> T { series[keyPath: keyPath] }
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
    let incidence = written.map { Double(NumberFormat.trimmed($0, places: 8)) ?? $0 }
    let cessation = writtenCessation.map { Double(NumberFormat.trimmed($0, places: 8)) ?? $0 }
    let residents = population.map { Double(NumberFormat.trimmed($0, places: 2)) ?? $0 }
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
      return Growth(
        series: GrowthSeries.flat(stock: byAge, cessation: cessation, years: horizon, base: base), forecast: nil)
    }
    let grown = GrowthSeries.make(
      forecast: forecast, stock: byAge, cessation: cessation, years: horizon, census: census,
      highestRate: incidence.max() ?? 0, base: base)
    let (trend, clamped) = (grown.trend, grown.clamped)
    let h3 = forecast.forecasts.map { "\($0.year) \(NumberFormat.trimmed($0.forecast, places: 0))" }
      .joined(separator: ", ")
    note(
      key, trend.map { NumberFormat.trimmed($0) }.joined(separator: " "), "fraction per year", .derived,
      "the LA's total forecast by the pooled method (pooled_shrink, docs/CALIBRATION.md) from \(packFile("panel.csv")) up to January \(census): England's growth \(NumberFormat.trimmed(forecast.nationalGrowth, places: 4)) plus \(NumberFormat.trimmed(forecast.fit.shrinkWeight, places: 3)) x \(NumberFormat.trimmed(forecast.fit.shrinkWeight == 0 ? 0 : forecast.lastPlans / (forecast.lastPlans + forecast.fit.shrinkSize), places: 3)) of the LA's deviation \(NumberFormat.trimmed(forecast.deviation, places: 4)) = \(NumberFormat.trimmed(forecast.growth, places: 4)) log points a year (\(h3)), held beyond \(PooledForecast.calibratedHorizon) years (the rule in docs/CALIBRATION.md, Beyond three years); each year's trend makes the new plans the forecast total less the plans kept from the year before (the LA's cessation by age), over the new plans at the base incidence"
        + (clamped.isEmpty
          ? ""
          : "; held within \(NumberFormat.trimmed(GrowthSeries.trendBounds.lowerBound))..\(NumberFormat.trimmed(GrowthSeries.trendBounds.upperBound)) a year, incidence at least \(NumberFormat.trimmed(GrowthSeries.lowestLevel)) x the base year's and every rate at most 0.5 in \(clamped.map(String.init).joined(separator: " ")), so the total leaves the forecast there")
    )
    return Growth(series: grown, forecast: forecast)
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
        : "the pooled forecast of the total, \(NumberFormat.trimmed(growth.path[t], places: 0)) plans at January \(year), through the stock-flow identity (assumptions.csv)"
      lines.append(
        "\(indent)  \"\(year)\": {value: \(NumberFormat.trimmed(g)), source: \(source(.derived, why)), status: derived}"
      )
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
      "The caseload follows the pooled method's forecast of the LA's total (calibrated on every LA's censuses in the national panel, `Data/national/panel.csv`, read up to January \(census); toolkit `docs/CALIBRATION.md`): \(NumberFormat.trimmed(forecast.growthFraction * 100, places: 1))% a year (England's \(NumberFormat.trimmed((exp(forecast.nationalGrowth) - 1) * 100, places: 1))% plus \(NumberFormat.trimmed(forecast.fit.shrinkWeight, places: 3)) of the LA's deviation from it, weighted by size), held beyond three years. `incidence_trend_fraction_per_year` is the year series that makes the model's new plans the forecast total less the plans kept from the year before (the LA's own cessation by age), so the model's total is the forecast path; see `assumptions.csv`. The forecast beyond three years is not calibrated: read the later years as the growth held, not as a forecast."
    )
    r += [
      "", "| January | pooled forecast | p10 | p90 | model total | sweep p10 | sweep p90 | trend |",
      "|---|---|---|---|---|---|---|---|",
    ]
    for t in 0..<growth.trend.count {
      let pooled = forecast.forecasts.first { $0.horizon == t + 1 }
      let sweep = t < PooledForecast.calibratedHorizon ? growth.series.sweepInterval(horizon: t + 1) : nil
      func cell(_ x: Double?) -> String { x.map { NumberFormat.trimmed($0, places: 0) } ?? "" }
      r.append(
        "| \(census + t + 1) | \(cell(growth.path[t])) | \(cell(pooled?.p10)) | \(cell(pooled?.p90)) | \(cell(growth.model[t])) | \(cell(sweep?.p10)) | \(cell(sweep?.p90)) | \(NumberFormat.trimmed(growth.trend[t])) |"
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
