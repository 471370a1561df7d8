import Foundation

extension CalibrationOutput {
  /// Scenario inputs and a fit report from an aggregate history and the population.
  ///
  /// `cessation.csv` (`age,placement,rate`: each band's rate at each of its ages, the same for
  /// every placement of `taxonomy`), `incidence.csv` (`age,rate` at the last fitted census),
  /// `calibration.yaml` naming them and the fitted `incidence_trend_fraction_per_year`,
  /// `aggregate_fit.csv` (each band's estimates and residual), `aggregate_reproduction.csv`
  /// (actual and one-step fitted plans by band and year) and, with placements,
  /// `placement_mix.csv`.
  public static func aggregateTables(_ fit: AggregateFit, taxonomy: Taxonomy, historyFile: String) -> [String: String] {
    func x(_ v: Double) -> String { NumberFormat.fixed(v, 12) }
    var cessation = CSVWriter(header: ["age", "placement", "rate"])
    var incidence = CSVWriter(header: ["age", "rate"])
    for age in 0...AgeAxis.maxAge {
      let band = fit.bands.firstIndex { $0.ages.contains(age) }
      let rate = band.map { fit.bands[$0].cessationRate } ?? 0
      if age < AgeAxis.maxAge {
        for place in taxonomy.placements { cessation.row(["\(age)", place.id, x(rate)]) }
      }
      incidence.row(["\(age)", x(band.map { fit.incidence(band: $0, year: fit.lastYear) } ?? 0)])
    }
    var report = CSVWriter(header: [
      "band", "first_age", "last_age", "cessation_rate", "incidence_rate", "incidence_trend_per_year",
      "population_last_year", "residual_rms_plans",
    ])
    for band in fit.bands {
      report.row([
        band.label, "\(band.ages.lowerBound)", "\(band.ages.upperBound)", x(band.cessationRate), x(band.incidenceRate),
        x(band.incidenceTrend), NumberFormat.fixed(band.population, 0), NumberFormat.fixed(band.residualRMS, 3),
      ])
    }
    var reproduction = CSVWriter(header: ["year", "band", "actual_plans", "fitted_plans", "pct_error"])
    for r in fit.reproduction {
      reproduction.row([
        "\(r.year)", r.band, NumberFormat.fixed(r.actual, 3), NumberFormat.fixed(r.fitted, 3),
        r.actual > 0 ? NumberFormat.fixed((r.fitted - r.actual) / r.actual * 100, 3) : "",
      ])
    }
    var files = [
      "cessation.csv": cessation.text, "incidence.csv": incidence.text, "aggregate_fit.csv": report.text,
      "aggregate_reproduction.csv": reproduction.text,
    ]
    if !fit.placementMix.isEmpty {
      var mix = CSVWriter(header: ["placement", "share"])
      for (id, share) in fit.placementMix { mix.row([id, x(share)]) }
      files["placement_mix.csv"] = mix.text
    }
    let source = (historyFile as NSString).lastPathComponent
    files["calibration.yaml"] = """
      # Rates estimated by hnb fit from \(source) and the population (constrained least squares
      # on the stock-flow identity by age band); extend this file from a scenario.
      caseload:
        cessation: {file: cessation.csv, source: "hnb fit: aggregate constrained least squares, by age band"}
        incidence: {file: incidence.csv, source: "hnb fit: aggregate constrained least squares, \(fit.lastYear)"}
        incidence_trend_fraction_per_year:
          value: \(NumberFormat.fixed(fit.incidenceTrendFraction, 6))
          source: "hnb fit: straight-line trend in incidence over \(fit.years.first ?? fit.lastYear)-\(fit.lastYear)"

      """
    return files
  }
}
