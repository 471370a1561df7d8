import Foundation

extension CalibrationOutput {
  /// Scenario inputs and a fit report from transitions.
  ///
  /// `cessation.csv` (`age,placement,rate`), `transitions.csv` (`age,from,to,probability`,
  /// stays included so each row sums to 1), `new_plan_mix.csv`, `incidence.csv` (`age,rate`,
  /// with population, at the last census), `calibration.yaml` naming them under `caseload:`
  /// for a scenario to `extends:` (with `incidence_trend_fraction_per_year` when the fit kept a
  /// trend), the posterior parameters (`cessation_posterior.csv` Beta α, β;
  /// `transitions_posterior.csv` Dirichlet α; `incidence_posterior.csv` standard errors) and
  /// `fit_report.csv` (per-cell counts, smoothing applied and held-out likelihood).
  public static func transitionTables(_ fit: TransitionFit, counts: TransitionCounts) -> [String: String] {
    let places = fit.taxonomy.placements
    let needs = fit.taxonomy.needs
    let P = places.count
    let N = needs.count
    func x(_ v: Double) -> String { CSVWriter.fixed(v, 12) }
    var cessation = CSVWriter(header: ["age", "placement", "rate"])
    var cessationPosterior = CSVWriter(header: ["age", "placement", "alpha", "beta", "stock", "leavers"])
    var transitions = CSVWriter(header: ["age", "from", "to", "probability"])
    var transitionsPosterior = CSVWriter(header: ["age", "from", "to", "alpha"])
    for a in 0..<AgeAxis.maxAge {
      for p in 0..<P {
        cessation.row(["\(a)", places[p].id, x(fit.cessationRate[a][p])])
        cessationPosterior.row([
          "\(a)", places[p].id, x(fit.cessationAlpha[a][p]), x(fit.cessationBeta[a][p]),
          CSVWriter.fixed(fit.stock[a][p], 0), CSVWriter.fixed(fit.leavers[a][p], 0),
        ])
        // The stay is written as the remainder, so each row sums to 1 exactly as read.
        var moved = 0.0
        for q in 0..<P where q != p { moved += Double(x(fit.transition[a][p * P + q])) ?? 0 }
        for q in 0..<P {
          transitions.row([
            "\(a)", places[p].id, places[q].id, q == p ? x(1 - moved) : x(fit.transition[a][p * P + q]),
          ])
          transitionsPosterior.row(["\(a)", places[p].id, places[q].id, x(fit.transitionAlpha[a][p * P + q])])
        }
      }
    }
    var mix = CSVWriter(header: ["age", "placement", "need", "share"])
    for a in 0...AgeAxis.maxAge {
      for n in 0..<N {
        for q in 0..<P { mix.row(["\(a)", places[q].id, needs[n].id, x(fit.newPlanMix[a][n * P + q])]) }
      }
    }
    var report = CSVWriter(header: ["item", "value", "note"])
    report.row(["years_fitted", fit.years.map(String.init).joined(separator: " "), "calendar years of state 1"])
    report.row(["rows_read", "\(counts.rowsRead)", counts.file])
    report.row(["rows_used", "\(counts.rowsUsed)", ""])
    for (reason, count) in counts.rejected.sorted(by: { $0.key < $1.key }) {
      report.row(["rows_rejected", "\(count)", reason])
    }
    report.row([
      "cessation_strength", CSVWriter.fixed(fit.cessationStrength, 2), "Beta pseudo-count towards the age rate",
    ])
    report.row([
      "move_strength", CSVWriter.fixed(fit.moveStrength, 2), "Dirichlet pseudo-count towards the placement row",
    ])
    for (strength, ll) in fit.cessationScores {
      report.row(["cessation_heldout_loglik", CSVWriter.fixed(ll, 3), "strength \(CSVWriter.fixed(strength, 2))"])
    }
    for (strength, ll) in fit.moveScores {
      report.row(["move_heldout_loglik", CSVWriter.fixed(ll, 3), "strength \(CSVWriter.fixed(strength, 2))"])
    }
    var files = [
      "cessation.csv": cessation.text, "cessation_posterior.csv": cessationPosterior.text,
      "transitions.csv": transitions.text, "transitions_posterior.csv": transitionsPosterior.text,
      "new_plan_mix.csv": mix.text, "fit_report.csv": report.text,
    ]
    var yaml = """
      # Rates estimated by hnb fit from \((counts.file as NSString).lastPathComponent); extend this file
      # from a scenario (extends: calibration.yaml) and give the other inputs there.
      caseload:
        cessation: {file: cessation.csv, source: "hnb fit: beta-binomial, pooled towards age rates"}
        transitions: {file: transitions.csv, source: "hnb fit: Dirichlet-multinomial, pooled towards placement rows"}
        new_plan_mix: {file: new_plan_mix.csv, source: "hnb fit: joiners' placement and need, pooled"}

      """
    if let rates = fit.incidenceRate, let errors = fit.incidenceStandardError {
      var incidence = CSVWriter(header: ["age", "rate"])
      var posterior = CSVWriter(header: ["age", "rate", "standard_error", "joiners"])
      for a in 0...AgeAxis.maxAge {
        incidence.row(["\(a)", x(rates[a])])
        posterior.row(["\(a)", x(rates[a]), x(errors[a]), CSVWriter.fixed(fit.joiners[a], 0)])
      }
      files["incidence.csv"] = incidence.text
      files["incidence_posterior.csv"] = posterior.text
      if let scores = fit.incidenceTrendScores {
        report.row(["incidence_trend_heldout_loglik", CSVWriter.fixed(scores.trend, 3), "log-linear trend"])
        report.row(["incidence_constant_heldout_loglik", CSVWriter.fixed(scores.constant, 3), "constant rate"])
        files["fit_report.csv"] = report.text
      }
      if let trend = fit.incidenceTrend, let log = fit.incidenceTrendLog, let se = fit.incidenceTrendStandardError {
        let last = (fit.years.last ?? 0) + 1
        yaml +=
          "  incidence: {file: incidence.csv, source: \"hnb fit: joiners per resident at census \(last), pooled over "
          + "years along the fitted trend\"}\n"
          + "  incidence_trend_fraction_per_year: {value: \(x(trend)), source: \"hnb fit: log-linear trend of joiners "
          + "per resident, \(fit.years.count) years, standard error \(x(se)) on the log scale\"}\n"
        report.row(["incidence_trend_log_per_year", x(log), "standard error \(x(se))"])
        files["fit_report.csv"] = report.text
      } else {
        yaml += "  incidence: {file: incidence.csv, source: \"hnb fit: joiners per resident, pooled over years\"}\n"
      }
    }
    files["calibration.yaml"] = yaml
    return files
  }
}
