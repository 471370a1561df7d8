import Foundation

/// One financial year's High Needs spend and income, line by line (cash gbp).
public struct FinancialYearAccounts: Sendable {
  /// `topUpCost_L`: top-ups and fees per cost line (same order as `Scenario.costLines`).
  public var topUpCost: [Double]
  /// `placeFundingCost_L`: place funding on commissioned places per cost line.
  public var placeFundingCost: [Double]
  /// Central lines (same order as `Scenario.centralLines`).
  public var central: [Double]
  public var placementCosts: Double
  public var centralCosts: Double
  /// The mitigations' own costs (same order as `Scenario.mitigations`).
  public var mitigationCosts: [Double]
  /// Sum of `mitigationCosts`.
  public var totalMitigationCosts: Double
  public var expenditure: Double
  public var hnbAllocation: Double
  /// The deductions for directly funded places, positive as the scenario states them
  /// (`Scenario.income.deductions`): income subtracts them (`finance.csv` writes the line
  /// signed, `−deductions`, so that its income lines add up to `income`).
  public var deductions: Double
  public var importExportAdjustment: Double
  public var schoolsBlockTransfer: Double
  /// Other income lines (same order as `IncomeInputs.otherLines`).
  public var otherIncome: [Double] = []
  public var income: Double
  public var totalDSG: Double
}

/// One financial year of the DSG reserve corkscrew (gbp; negative balances are deficits).
public struct ReserveYear: Sendable {
  public var opening: Double
  public var income: Double
  public var expenditure: Double
  public var contributions: Double
  public var inYear: Double
  public var closing: Double
  /// The 2026 settlement's lines (all 0 for a scenario without `reserve.settlement`); its
  /// grant and local share are part of `closing`.
  public var settlement = SettlementYear()
}

/// Costs, income and the reserve from a caseload path.
///
/// See `docs/MODEL.md`, "Costs".
public enum Accounts {
  /// Academic-year placement costs for census `t`: top-ups per cost line and place funding
  /// per cost line.
  ///
  /// `topUpCost[L] = Σ_{p∈L, n} occupancy[t][n,p] · topUp[t][n,p]` and
  /// `placeFundingCost[L] = Σ_{p∈L} places[t][p] · placeFundingRate[t][p]`.
  public static func academicYearCosts(
    scenario s: Scenario, parameters m: ModelParameters, occupancy: [Double], t: Int
  ) -> (topUpCost: [Double], placeFundingCost: [Double]) {
    let P = s.placementCount
    let N = s.needCount
    var topUpCost: [Double] = []
    var placeFundingCost: [Double] = []
    for line in s.costLines {
      var cost = 0.0
      var funding = 0.0
      for p in line.placements {
        for n in 0..<N { cost += occupancy[n * P + p] * m.topUp[t][n * P + p] }
        funding += m.places[t][p] * m.placeFundingRate[t][p]
      }
      topUpCost.append(cost)
      placeFundingCost.append(funding)
    }
    return (topUpCost, placeFundingCost)
  }

  /// Financial-year accounts: `FY f = 5/12 · AY(census f) + 7/12 · AY(census f+1)`.
  public static func financialYears(
    scenario s: Scenario, parameters m: ModelParameters, path: CaseloadPath
  ) -> [FinancialYearAccounts] {
    let academic = (0...s.horizonYears).map {
      academicYearCosts(scenario: s, parameters: m, occupancy: path.occupancy[$0], t: $0)
    }
    var years: [FinancialYearAccounts] = []
    for f in 0..<s.horizonYears {
      let topUpCost = zip(academic[f].topUpCost, academic[f + 1].topUpCost).map {
        ModelConstants.endingAcademicYearShare * $0 + ModelConstants.startingAcademicYearShare * $1
      }
      let funding = zip(academic[f].placeFundingCost, academic[f + 1].placeFundingCost).map {
        ModelConstants.endingAcademicYearShare * $0 + ModelConstants.startingAcademicYearShare * $1
      }
      let central = s.centralLines.map {
        $0.baseGBP * pow(1 + $0.uplift, Double(s.baseCensusYear + f - s.priceBaseFinancialYear))
      }
      let placementCosts = topUpCost.reduce(0, +) + funding.reduce(0, +)
      let centralCosts = central.reduce(0, +)
      let mitigationCosts = m.mitigationCost[f]
      let totalMitigationCosts = mitigationCosts.reduce(0, +)
      let income = s.income
      let transfer = income.schoolsBlock[f] * income.schoolsBlockTransferPercent[f] / ModelConstants.percent
      var totalIncome =
        income.hnbAllocation[f] - income.deductions[f] + income.importExportAdjustment[f] + transfer
      let other = income.otherLines.map { $0.gbp[f] }
      for amount in other { totalIncome += amount }
      years.append(
        FinancialYearAccounts(
          topUpCost: topUpCost, placeFundingCost: funding, central: central, placementCosts: placementCosts,
          centralCosts: centralCosts, mitigationCosts: mitigationCosts, totalMitigationCosts: totalMitigationCosts,
          expenditure: placementCosts + centralCosts + totalMitigationCosts,
          hnbAllocation: income.hnbAllocation[f], deductions: income.deductions[f],
          importExportAdjustment: income.importExportAdjustment[f], schoolsBlockTransfer: transfer,
          otherIncome: other, income: totalIncome, totalDSG: income.totalDSG[f]))
    }
    return years
  }

  /// The DSG reserve corkscrew: `closing = opening + income − expenditure + contributions`,
  /// and each closing balance is the next year's opening.
  public static func reserve(scenario s: Scenario, accounts: [FinancialYearAccounts]) -> [ReserveYear] {
    let inYear = accounts.map { $0.income - $0.expenditure }
    let settlement = s.settlement?.years(opening: s.openingBalance, inYear: inYear, contributions: s.contributions)
    var opening = s.openingBalance
    var years: [ReserveYear] = []
    for (f, year) in accounts.enumerated() {
      var closing = opening + inYear[f] + s.contributions[f]
      if let y = settlement?.years[f] { closing += y.stabilityGrant + y.localShare }
      years.append(
        ReserveYear(
          opening: opening, income: year.income, expenditure: year.expenditure,
          contributions: s.contributions[f], inYear: inYear[f], closing: closing,
          settlement: settlement?.years[f] ?? SettlementYear()))
      opening = closing
    }
    return years
  }
}
