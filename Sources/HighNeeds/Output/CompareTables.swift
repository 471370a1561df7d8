import Foundation

/// Tables of `hnb compare`: two runs side by side with their differences.
public enum CompareTables {
  /// Throws unless `a` and `b` share a base census year and horizon, so that their years line
  /// up; the error names `file`, where `b` is written.
  public static func checkComparable(_ sa: Scenario, _ sb: Scenario, file: String) throws {
    guard sa.baseCensusYear == sb.baseCensusYear, sa.horizonYears == sb.horizonYears else {
      throw InputError(
        SourceLocation(file: file), key: "time",
        expected:
          "the same base census year and horizon as \(sa.name) (\(sa.baseCensusYear), \(sa.horizonYears) years)",
        found: "\(sb.baseCensusYear), \(sb.horizonYears) years")
    }
  }

  /// The comparison tables, file name → contents.
  ///
  /// `a` is usually the unmitigated run and `b` the mitigated one; they must be comparable
  /// (`checkComparable`, an error naming `b`'s scenario).
  public static func tables(_ a: ScenarioResult, _ b: ScenarioResult) throws -> [String: String] {
    let sa = a.scenario
    let sb = b.scenario
    try checkComparable(sa, sb, file: sb.name)
    var csv = CSVWriter(header: ["financial_year", "measure", "unit", sa.name, sb.name, "difference_b_minus_a"])
    for f in 0..<sa.horizonYears {
      let ka = a.kpis[f]
      let kb = b.kpis[f]
      let rows: [(String, String, Double, Double, (Double) -> String)] = [
        ("total_plans", "plans", ka.totalPlans, kb.totalPlans, NumberFormat.plans),
        ("share_mainstream", "fraction", ka.shareMainstream, kb.shareMainstream, NumberFormat.fraction),
        ("share_in_borough", "fraction", ka.shareInBorough, kb.shareInBorough, NumberFormat.fraction),
        (
          "share_independent_special", "fraction", ka.shareIndependentSpecial, kb.shareIndependentSpecial,
          NumberFormat.fraction
        ),
        ("average_cost_per_plan", "gbp", ka.averageCostPerPlan, kb.averageCostPerPlan, NumberFormat.pounds),
        ("income", "gbp", a.accounts[f].income, b.accounts[f].income, NumberFormat.pounds),
        ("expenditure", "gbp", a.accounts[f].expenditure, b.accounts[f].expenditure, NumberFormat.pounds),
        ("in_year_balance", "gbp", ka.inYearBalance, kb.inYearBalance, NumberFormat.pounds),
        ("cumulative_balance", "gbp", ka.cumulativeBalance, kb.cumulativeBalance, NumberFormat.pounds),
        (
          "cumulative_deficit_percent_of_dsg", "percent", ka.cumulativeDeficitPercentOfDSG,
          kb.cumulativeDeficitPercentOfDSG, { NumberFormat.fixed($0, 4) }
        ),
      ]
      for (measure, unit, x, y, format) in rows {
        csv.row([sa.financialYearLabel(f), measure, unit, format(x), format(y), format(y - x)])
      }
    }
    var groups = CSVWriter(header: ["census_year", "placement_group", "unit", sa.name, sb.name, "difference_b_minus_a"])
    for t in 0...sa.horizonYears {
      for group in PlacementGroup.allCases {
        let x = groupPlans(a, t: t, group: group)
        let y = groupPlans(b, t: t, group: group)
        groups.row([
          String(sa.censusYear(t)), group.rawValue, "plans", NumberFormat.plans(x), NumberFormat.plans(y),
          NumberFormat.plans(y - x),
        ])
      }
    }
    return ["compare_kpis.csv": csv.text, "compare_placement_groups.csv": groups.text]
  }

  static func groupPlans(_ r: ScenarioResult, t: Int, group: PlacementGroup) -> Double {
    let P = r.scenario.placementCount
    return r.path.occupancy[t].enumerated().reduce(0) {
      r.scenario.taxonomy.placements[$1.offset % P].group == group ? $0 + $1.element : $0
    }
  }
}
