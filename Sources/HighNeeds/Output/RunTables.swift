import Foundation

/// The CSV tables of `hnb run`, built from checked results.
///
/// Writers never compute a model
/// number: every value here is read off a `ScenarioResult`.
public enum RunTables {
  /// File name → CSV text, for every table of the run; `sources[i]` (where `results[i]`'s
  /// scenario came from) give `assumptions.csv`.
  public static func tables(_ results: [ScenarioResult], sources: [ScenarioSource]) throws -> [String: String] {
    try typedTables(results, sources: sources).mapValues(\.text)
  }

  /// File name → typed table (columns and CSV text), for every table of the run; `sources[i]`
  /// (where `results[i]`'s scenario came from) give `assumptions.csv`.
  public static func typedTables(_ results: [ScenarioResult], sources: [ScenarioSource]) throws -> [String: OutputTable]
  {
    precondition(
      results.map(\.scenario.name) == sources.map(\.name), "a source for each result, in the same order")
    let sorted = results.sorted { $0.scenario.name < $1.scenario.name }
    return [
      "lsrp.csv": try LSRPTable.csv(sorted),
      "pipeline.csv": pipeline(sorted),
      "ehcp.csv": ehcp(sorted),
      "flows.csv": flows(sorted),
      "finance.csv": finance(sorted),
      "dsg.csv": dsg(sorted),
      "kpis.csv": kpis(sorted),
      "summary.csv": summary(sorted),
      "mitigations.csv": mitigations(sorted),
      "assumptions.csv": assumptions(sources.sorted { $0.name < $1.name }),
      "outturn.csv": outturn(sorted),
      "management_plan.csv": managementPlan(sorted),
    ]
  }

  static func ehcp(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .year("census_year"), .years("age_years"), .text("age_band"), .text("placement"),
      .text("placement_group"), .text("need"), .plans("plans"),
    ])
    for r in results {
      let s = r.scenario
      let P = s.placementCount
      let N = s.needCount
      for t in 0...s.horizonYears {
        for a in 0..<AgeAxis.count {
          for p in 0..<P {
            for n in 0..<N {
              let x = r.path.plans[t][(a * N + n) * P + p]
              if x == 0 { continue }
              csv.row([
                s.name, String(s.censusYear(t)), String(a), AgeAxis.band(of: a), s.taxonomy.placements[p].id,
                s.taxonomy.placements[p].group.rawValue, s.taxonomy.needs[n].id, NumberFormat.plans(x),
              ])
            }
          }
        }
      }
    }
    return csv.table
  }

  /// The assessment pipeline by census year and age band, without and with mitigations, for
  /// the scenarios that model it (the header alone when none does).
  static func pipeline(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .text("case"), .year("census_year"), .text("age_band"), .count("requests"), .count("refusals"),
      .count("assessments"), .count("assessments_ending_in_plan"), .plans("new_plans"),
    ])
    for r in results where !r.parameters.pipeline.isEmpty {
      let s = r.scenario
      var cases = [("unmitigated", r.unmitigatedParameters ?? r.parameters)]
      if r.unmitigatedParameters != nil { cases.append(("mitigated", r.parameters)) }
      for (name, m) in cases {
        for t in 1...s.horizonYears {
          for band in AgeAxis.bands {
            var sums = [0.0, 0.0, 0.0, 0.0, 0.0]
            for a in band.ages {
              let x = m.pipeline[t - 1][a]
              sums[0] += x.requests
              sums[1] += x.refusals
              sums[2] += x.assessments
              sums[3] += x.assessmentsToPlans
              sums[4] += m.newPlanCount[t - 1][a]
            }
            csv.row([s.name, name, String(s.censusYear(t)), band.id] + sums.map(NumberFormat.plans))
          }
        }
      }
    }
    return csv.table
  }

  static func flows(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .year("census_year"), .text("placement"), .plans("opening_plans"), .plans("new_plans"),
      .plans("ceased_plans"), .plans("moved_out_plans"), .plans("moved_in_plans"), .plans("overflow_out_plans"),
      .plans("overflow_in_plans"), .plans("closing_plans"), .places("commissioned_places"),
    ])
    for r in results {
      let s = r.scenario
      for t in 1...s.horizonYears {
        for (p, x) in r.path.flows[t - 1].enumerated() {
          csv.row(
            [s.name, String(s.censusYear(t)), s.taxonomy.placements[p].id]
              + [
                x.opening, x.newPlans, x.ceased, x.movedOut, x.movedIn, x.overflowOut, x.overflowIn, x.closing,
                r.parameters.places[t][p],
              ].map(NumberFormat.plans))
        }
      }
    }
    return csv.table
  }

  static func finance(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .yearLabel("financial_year"), .text("section"), .text("line"), .text("label"), .money("gbp"),
    ])
    for r in results {
      let s = r.scenario
      for (f, y) in r.accounts.enumerated() {
        let fy = s.financialYearLabel(f)
        for (i, line) in s.costLines.enumerated() {
          csv.row([
            s.name, fy, "expenditure", "top_up.\(line.id)", "\(line.label): top-ups and fees",
            NumberFormat.pounds(y.topUpCost[i]),
          ])
        }
        for (i, line) in s.costLines.enumerated() {
          csv.row([
            s.name, fy, "expenditure", "place_funding.\(line.id)", "\(line.label): place funding",
            NumberFormat.pounds(y.placeFundingCost[i]),
          ])
        }
        csv.row([
          s.name, fy, "expenditure", "total_placement_costs", "Total placement costs",
          NumberFormat.pounds(y.placementCosts),
        ])
        for (i, line) in s.centralLines.enumerated() {
          csv.row([s.name, fy, "expenditure", "central.\(line.id)", line.label, NumberFormat.pounds(y.central[i])])
        }
        csv.row([
          s.name, fy, "expenditure", "total_central_costs", "Total central costs", NumberFormat.pounds(y.centralCosts),
        ])
        if !s.mitigations.isEmpty {
          for (i, m) in s.mitigations.enumerated() {
            csv.row([
              s.name, fy, "expenditure", "mitigation_cost.\(m.id)", "\(m.label): cost of the mitigation",
              NumberFormat.pounds(y.mitigationCosts[i]),
            ])
          }
          csv.row([
            s.name, fy, "expenditure", "total_mitigation_costs", "Total cost of mitigations",
            NumberFormat.pounds(y.totalMitigationCosts),
          ])
        }
        csv.row([
          s.name, fy, "expenditure", "total_expenditure", "Total High Needs expenditure",
          NumberFormat.pounds(y.expenditure),
        ])
        csv.row([
          s.name, fy, "income", "hnb_allocation", "HNB allocation before deductions",
          NumberFormat.pounds(y.hnbAllocation),
        ])
        csv.row([
          s.name, fy, "income", "deductions", "Deductions for directly funded places",
          NumberFormat.pounds(-y.deductions),  // signed, as the income lines add up
        ])
        csv.row([
          s.name, fy, "income", "import_export_adjustment", "Import/export adjustment",
          NumberFormat.pounds(y.importExportAdjustment),
        ])
        csv.row([
          s.name, fy, "income", "schools_block_transfer", "Transfer from the Schools Block",
          NumberFormat.pounds(y.schoolsBlockTransfer),
        ])
        for (i, line) in s.income.otherLines.enumerated() {
          csv.row([s.name, fy, "income", "other_income.\(line.id)", line.label, NumberFormat.pounds(y.otherIncome[i])])
        }
        csv.row([s.name, fy, "income", "total_income", "Total High Needs income", NumberFormat.pounds(y.income)])
      }
    }
    return csv.table
  }

  static func dsg(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .yearLabel("financial_year"), .money("opening_gbp"), .money("income_gbp"),
      .money("expenditure_gbp"), .money("contributions_gbp"), .money("in_year_gbp"), .money("stability_grant_gbp"),
      .money("local_share_gbp"), .money("closing_gbp"), .money("historic_balance_gbp"), .money("accruing_balance_gbp"),
      .money("general_fund_pressure_gbp"),
    ])
    for r in results {
      for (f, y) in r.reserve.enumerated() {
        let z = y.settlement
        // The split and the pressure exist only where the scenario states the settlement.
        let split =
          r.scenario.settlement == nil
          ? ["", "", ""] : [z.historicBalance, z.accruingBalance, z.generalFundPressure].map(NumberFormat.pounds)
        csv.row(
          [r.scenario.name, r.scenario.financialYearLabel(f)]
            + [
              y.opening, y.income, y.expenditure, y.contributions, y.inYear, z.stabilityGrant, z.localShare, y.closing,
            ]
            .map(NumberFormat.pounds) + split)
      }
    }
    return csv.table
  }

  static func kpis(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .yearLabel("financial_year"), .year("census_year"), .plans("total_plans"),
      .fraction("share_mainstream_fraction"), .fraction("share_in_borough_fraction"),
      .fraction("share_independent_special_fraction"), .money("average_cost_per_plan_gbp"),
      .money("in_year_balance_gbp"), .money("cumulative_balance_gbp"), .money("unmitigated_cumulative_balance_gbp"),
      .percent("cumulative_deficit_percent_of_dsg"), .text("deficit_above_1_percent_of_dsg"),
    ])
    for r in results {
      let s = r.scenario
      for (f, k) in r.kpis.enumerated() {
        let unmitigated = (r.unmitigatedReserve ?? r.reserve)[f].closing
        csv.row([
          s.name, s.financialYearLabel(f), String(s.censusYear(f + 1)), NumberFormat.plans(k.totalPlans),
          NumberFormat.fraction(k.shareMainstream), NumberFormat.fraction(k.shareInBorough),
          NumberFormat.fraction(k.shareIndependentSpecial), NumberFormat.pounds(k.averageCostPerPlan),
          NumberFormat.pounds(k.inYearBalance), NumberFormat.pounds(k.cumulativeBalance),
          NumberFormat.pounds(unmitigated),
          NumberFormat.fixed(k.cumulativeDeficitPercentOfDSG, 4), k.deficitAboveOnePercent ? "yes" : "no",
        ])
      }
    }
    return csv.table
  }

  /// One row per scenario: the headline answers a Schools Forum paper quotes.
  static func summary(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .text("kind"), .text("title"),
      .yearLabel("first_financial_year_deficit_above_1_percent_of_dsg"), .yearLabel("final_financial_year"),
      .plans("final_total_plans"), .money("final_cumulative_balance_gbp"),
      .money("final_unmitigated_cumulative_balance_gbp"), .money("total_mitigation_savings_gbp"),
    ])
    for r in results {
      let s = r.scenario
      let first = r.kpis.firstIndex { $0.deficitAboveOnePercent }.map { s.financialYearLabel($0) } ?? "none"
      let last = s.horizonYears - 1
      let savings = r.savings.reduce(0) { $0 + $1.reduce(0, +) }
      csv.row([
        s.name, s.isBase ? "base (unmitigated)" : "scenario (an assumption, not a target)", s.title, first,
        s.financialYearLabel(last), NumberFormat.plans(r.kpis[last].totalPlans),
        NumberFormat.pounds(r.reserve[last].closing),
        NumberFormat.pounds((r.unmitigatedReserve ?? r.reserve)[last].closing), NumberFormat.pounds(savings),
      ])
    }
    return csv.table
  }

  static func mitigations(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .yearLabel("financial_year"), .text("mitigation"), .text("lever"),
      .yearLabel("start_academic_year"), .years("ramp_years"), .money("unmitigated_expenditure_gbp"),
      .money("savings_gbp"),
    ])
    for r in results {
      let s = r.scenario
      guard let unmitigated = r.unmitigatedAccounts else { continue }
      for f in 0..<s.horizonYears {
        for (i, m) in s.mitigations.enumerated() {
          csv.row([
            s.name, s.financialYearLabel(f), m.id, m.leverName, YearLabel.academic(startingIn: m.startAcademicYear),
            String(m.rampYears), NumberFormat.pounds(unmitigated[f].expenditure), NumberFormat.pounds(r.savings[i][f]),
          ])
        }
        csv.row([
          s.name, s.financialYearLabel(f), "all_mitigations", "total", "", "",
          NumberFormat.pounds(unmitigated[f].expenditure),
          NumberFormat.pounds(unmitigated[f].expenditure - r.accounts[f].expenditure),
        ])
      }
    }
    return csv.table
  }

  static func assumptions(_ sources: [ScenarioSource]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .text("key"), .number("value"), .text("unit"), .text("status"), .text("source"), .text("note"),
      .text("defined_at"),
    ])
    for source in sources {
      for a in source.assumptions {
        csv.row([source.name, a.key, a.value, a.unit, a.status.rawValue, a.source, a.note, a.location])
      }
    }
    return csv.table
  }

  static func outturn(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .year("year"), .text("measure"), .text("unit"), .number("forecast"), .number("actual"),
      .number("forecast_minus_actual"), .text("actual_source"),
    ])
    for r in results {
      let s = r.scenario
      let sorted = s.outturn.sorted { ($0.year, $0.measure.rawValue) < ($1.year, $1.measure.rawValue) }
      for o in sorted {
        let forecast: Double
        let unit: String
        if o.measure == .dsgClosingBalance {
          // The balance at 31 March of `year` closes financial year f = year − B − 1.
          let f = o.year - s.baseCensusYear - 1
          forecast = r.reserve[f].closing
          unit = "gbp"
        } else {
          let t = o.year - s.baseCensusYear
          let shares = KPIs.shares(taxonomy: s.taxonomy, occupancy: r.path.occupancy[t])
          switch o.measure {
          case .totalPlans: (forecast, unit) = (shares.total, "plans")
          case .shareMainstream: (forecast, unit) = (shares.mainstream, "fraction")
          case .shareInBorough: (forecast, unit) = (shares.inBorough, "fraction")
          default: (forecast, unit) = (shares.independent, "fraction")
          }
        }
        let format: (Double) -> String
        if unit == "gbp" { format = NumberFormat.pounds } else { format = NumberFormat.fraction }
        csv.row([
          s.name, String(o.year), o.measure.rawValue, unit, format(forecast), format(o.value),
          format(forecast - o.value),
          o.source,
        ])
      }
    }
    return csv.table
  }

  /// Plans in the DfE DSG management plan's shape: 7 placement groups × 5 age bands, by year,
  /// unmitigated beside mitigated.
  static func managementPlan(_ results: [ScenarioResult]) -> OutputTable {
    var csv = CSVWriter(columns: [
      .text("scenario"), .year("census_year"), .text("placement_group"), .text("placement_group_label"),
      .text("age_band"), .plans("unmitigated_plans"), .plans("mitigated_plans"),
    ])
    for r in results {
      let s = r.scenario
      let P = s.placementCount
      let N = s.needCount
      let unmitigated = r.unmitigatedPath ?? r.path
      for t in 0...s.horizonYears {
        for group in PlacementGroup.allCases {
          for band in AgeAxis.bands {
            var u = 0.0
            var m = 0.0
            for a in band.ages {
              for p in 0..<P where s.taxonomy.placements[p].group == group {
                for n in 0..<N {
                  u += unmitigated.plans[t][(a * N + n) * P + p]
                  m += r.path.plans[t][(a * N + n) * P + p]
                }
              }
            }
            csv.row([
              s.name, String(s.censusYear(t)), group.rawValue, group.label, band.id, NumberFormat.plans(u),
              NumberFormat.plans(m),
            ])
          }
        }
      }
    }
    return csv.table
  }
}
