import Foundation

extension CalibrationOutput {
  /// Scenario inputs and a fit report from transitions.
  ///
  /// `cessation.csv` (`age,placement,rate`), `transitions.csv` (`age,from,to,probability`,
  /// stays included so each row sums to 1), `new_plan_mix.csv`, `incidence.csv` (`age,rate`,
  /// with population, at the last census), `calibration.yaml` naming them under `caseload:`
  /// for a scenario to `extends:` (with `incidence_trend_fraction_per_year` when the fit kept a
  /// trend), the posterior parameters (`cessation_posterior.csv` Beta α, β;
  /// `transitions_posterior.csv` Dirichlet α; `incidence_posterior.csv` standard errors),
  /// summarised for `hnb sweep` under `uncertainty:` in `calibration.yaml` (see
  /// `SweepUncertainty`), and `fit_report.csv` (per-cell counts, smoothing applied and held-out
  /// likelihood).
  public static func transitionTables(_ fit: TransitionFit, counts: TransitionCounts) -> [String: String] {
    let places = fit.taxonomy.placements
    let needs = fit.taxonomy.needs
    let P = places.count
    let N = needs.count
    func x(_ v: Double) -> String { NumberFormat.fixed(v, 12) }
    var cessation = CSVWriter(header: ["age", "placement", "rate"])
    var cessationPosterior = CSVWriter(header: ["age", "placement", "alpha", "beta", "stock", "leavers"])
    var transitions = CSVWriter(header: ["age", "from", "to", "probability"])
    var transitionsPosterior = CSVWriter(header: ["age", "from", "to", "alpha"])
    for a in 0..<AgeAxis.maxAge {
      for p in 0..<P {
        cessation.row(["\(a)", places[p].id, x(fit.cessationRate[a][p])])
        cessationPosterior.row([
          "\(a)", places[p].id, x(fit.cessationAlpha[a][p]), x(fit.cessationBeta[a][p]),
          NumberFormat.fixed(fit.stock[a][p], 0), NumberFormat.fixed(fit.leavers[a][p], 0),
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
      "cessation_strength", NumberFormat.fixed(fit.cessationStrength, 2), "Beta pseudo-count towards the age rate",
    ])
    report.row([
      "move_strength", NumberFormat.fixed(fit.moveStrength, 2), "Dirichlet pseudo-count towards the placement row",
    ])
    for (strength, ll) in fit.cessationScores {
      report.row(["cessation_heldout_loglik", NumberFormat.fixed(ll, 3), "strength \(NumberFormat.fixed(strength, 2))"])
    }
    for (strength, ll) in fit.moveScores {
      report.row(["move_heldout_loglik", NumberFormat.fixed(ll, 3), "strength \(NumberFormat.fixed(strength, 2))"])
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
        posterior.row(["\(a)", x(rates[a]), x(errors[a]), NumberFormat.fixed(fit.joiners[a], 0)])
      }
      files["incidence.csv"] = incidence.text
      files["incidence_posterior.csv"] = posterior.text
      if let scores = fit.incidenceTrendScores {
        report.row(["incidence_trend_heldout_loglik", NumberFormat.fixed(scores.trend, 3), "log-linear trend"])
        report.row(["incidence_constant_heldout_loglik", NumberFormat.fixed(scores.constant, 3), "constant rate"])
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
    yaml += SweepUncertainty(fit).yaml
    files["calibration.yaml"] = yaml
    return files
  }
}

/// The transition fit's posterior, summarised in the terms of a scenario's `uncertainty:`
/// section, so that a sweep of a scenario extending `calibration.yaml` draws the rates as
/// uncertain as the data leave them.
///
/// A sweep draws every transition row from `Dirichlet(κ · row)` with one concentration `κ`
/// (and every age's new-plan mix likewise), where the fit has a posterior `Dirichlet(α)` per
/// row with its own total `A = Σ α`. A share `m` of such a row has variance `m (1 − m) / (A + 1)`,
/// so `κ` is chosen to give the weighted mean of those variances:
/// `1 / (κ + 1) = Σ w / (A + 1) / Σ w`, the weights being the children each row moves
/// (continuing children, `stock − leavers`; for the mix, the joiners of the age, with
/// `A = joiners + moveStrength`). Cessation and incidence enter a sweep as one factor each on
/// all the rates; their spread is the posterior's relative standard deviation of the total:
/// leavers `Σ stock · rate` (`Var = Σ stock² · αβ / ((α + β)² (α + β + 1))`) and joiners (Poisson,
/// `1 / √Σ joiners`), as the `sd_log` of a lognormal factor with median 1. The cells' own,
/// independent spread largely cancels in those totals; the incidence trend's standard error is
/// reported in its source note but not drawn.
struct SweepUncertainty {
  var transitionConcentration: Double?
  var newPlanMixConcentration: Double?
  var cessationSDLog: Double?
  var incidenceSDLog: Double?

  init(_ fit: TransitionFit) {
    let P = fit.taxonomy.placements.count
    var rows: [(concentration: Double, weight: Double)] = []
    for a in 0..<fit.transitionAlpha.count {
      for p in 0..<P {
        let total = fit.transitionAlpha[a][(p * P)..<((p + 1) * P)].reduce(0, +)
        rows.append((total, max(0, fit.stock[a][p] - fit.leavers[a][p])))
      }
    }
    transitionConcentration = Self.concentration(rows)
    newPlanMixConcentration = Self.concentration(fit.joiners.map { ($0 + fit.moveStrength, $0) })
    var leavers = 0.0
    var variance = 0.0
    for a in 0..<fit.cessationAlpha.count {
      for p in 0..<P {
        let (alpha, beta) = (fit.cessationAlpha[a][p], fit.cessationBeta[a][p])
        let stock = fit.stock[a][p]
        guard stock > 0, alpha + beta > 0 else { continue }
        leavers += stock * fit.cessationRate[a][p]
        variance += stock * stock * alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1))
      }
    }
    cessationSDLog = leavers > 0 ? variance.squareRoot() / leavers : nil
    let joiners = fit.joiners.reduce(0, +)
    incidenceSDLog = fit.incidenceRate != nil && joiners > 0 ? 1 / joiners.squareRoot() : nil
  }

  /// `κ` with `1 / (κ + 1) = Σ w / (A + 1) / Σ w` (at least 1, the least a scenario accepts);
  /// nil when no row has weight.
  static func concentration(_ rows: [(concentration: Double, weight: Double)]) -> Double? {
    let weight = rows.reduce(0) { $0 + $1.weight }
    guard weight > 0 else { return nil }
    let meanInverse = rows.reduce(0) { $0 + $1.weight / ($1.concentration + 1) } / weight
    return max(1, 1 / meanInverse - 1)
  }

  /// The `uncertainty:` section, or nothing when the fit gives none of it.
  var yaml: String {
    let concentrations = [
      ("transition_concentration", transitionConcentration, "rows", "continuing children"),
      ("new_plan_mix_concentration", newPlanMixConcentration, "mixes", "joiners"),
    ]
    var lines = concentrations.compactMap { key, value, what, weights in
      value.map {
        "  \(key): {value: \(NumberFormat.fixed($0, 2)), source: \"hnb fit: posterior Dirichlet \(what), "
          + "the mean share variance weighted by \(weights)\"}"
      }
    }
    let factors = [
      ("calibration_cessation", "cessation_factor", cessationSDLog),
      ("calibration_incidence", "incidence_factor", incidenceSDLog),
    ]
    let inputs = factors.compactMap { id, target, sd in
      sd.map {
        "    - {id: \(id), target: \(target), distribution: {type: lognormal, median: 1, sd_log: "
          + "\(NumberFormat.fixed($0, 6))}}"
      }
    }
    if !inputs.isEmpty { lines += ["  inputs:"] + inputs }
    guard !lines.isEmpty else { return "" }
    return "# The fit's posterior for hnb sweep (docs/CALIBRATION.md, \"The posterior in a sweep\").\nuncertainty:\n"
      + lines.joined(separator: "\n") + "\n"
  }
}
