import Foundation

/// The headline measures for one financial year.
public struct KPIYear: Sendable {
  /// Plans at the January census inside the financial year (census `f+1`).
  public var totalPlans: Double
  /// Share in mainstream schools and resourced provision (fraction).
  public var shareMainstream: Double
  /// Share in placements located in the borough (fraction).
  public var shareInBorough: Double
  /// Share in independent and non-maintained special schools (fraction).
  public var shareIndependentSpecial: Double
  /// Placement costs over plans blended like the costs (5/12 and 7/12), gbp per plan.
  public var averageCostPerPlan: Double
  public var inYearBalance: Double
  public var cumulativeBalance: Double
  /// `max(0, −cumulativeBalance) / totalDSG · 100` (percent).
  public var cumulativeDeficitPercentOfDSG: Double
  public var deficitAboveOnePercent: Bool
}

/// Census shares and the per-year KPIs.
///
/// See `docs/MODEL.md`, "KPIs".
public enum KPIs {
  /// The placement-mix shares of one census's occupancy.
  public static func shares(taxonomy: Taxonomy, occupancy: [Double]) -> (
    total: Double, mainstream: Double, inBorough: Double, independent: Double
  ) {
    let P = taxonomy.placements.count
    var total = 0.0
    var mainstream = 0.0
    var inBorough = 0.0
    var independent = 0.0
    for (j, x) in occupancy.enumerated() {
      let placement = taxonomy.placements[j % P]
      total += x
      if placement.group == .mainstream || placement.group == .resourcedProvision { mainstream += x }
      if placement.location == .inBorough { inBorough += x }
      if placement.group == .independentSpecial { independent += x }
    }
    let d = total > 0 ? total : 1
    return (total, mainstream / d, inBorough / d, independent / d)
  }

  /// KPIs for every financial year of a run.
  public static func years(
    scenario s: Scenario, path: CaseloadPath, accounts: [FinancialYearAccounts], reserve: [ReserveYear]
  ) -> [KPIYear] {
    (0..<s.horizonYears).map { f in
      let census = shares(taxonomy: s.taxonomy, occupancy: path.occupancy[f + 1])
      let blendedPlans =
        ModelConstants.endingAcademicYearShare * path.occupancy[f].reduce(0, +)
        + ModelConstants.startingAcademicYearShare * path.occupancy[f + 1].reduce(0, +)
      let deficitPercent = max(0, -reserve[f].closing) / accounts[f].totalDSG * ModelConstants.percent
      return KPIYear(
        totalPlans: census.total, shareMainstream: census.mainstream, shareInBorough: census.inBorough,
        shareIndependentSpecial: census.independent,
        averageCostPerPlan: blendedPlans > 0 ? accounts[f].placementCosts / blendedPlans : 0,
        inYearBalance: reserve[f].inYear, cumulativeBalance: reserve[f].closing,
        cumulativeDeficitPercentOfDSG: deficitPercent,
        deficitAboveOnePercent: deficitPercent > ModelConstants.deficitThresholdPercentOfDSG)
    }
  }
}
