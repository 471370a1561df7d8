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
    let L = s.costLines.count
    var topUpCost = [Double](repeating: 0, count: L)
    var placeFundingCost = [Double](repeating: 0, count: L)
    topUpCost.withUnsafeMutableBufferPointer { topUp in
      placeFundingCost.withUnsafeMutableBufferPointer { funding in
        academicYearCosts(
          scenario: s, parameters: m, occupancy: { _ in occupancy }, censuses: t..<(t + 1), topUpCost: topUp,
          funding: funding)
      }
    }
    return (topUpCost, placeFundingCost)
  }

  /// Censuses whose top-up sums `academicYearCosts` advances side by side, one to a lane of a
  /// `SIMD4<Double>`.
  static let censusesAtOnce = SIMD4<Double>.scalarCount

  /// `academicYearCosts` of one to `censusesAtOnce` censuses at once, census `t`'s occupancy
  /// `occupancy(t)` (`N · P` numbers), its costs written at `[(t − censuses.lowerBound) · L + l]`
  /// of `topUpCost` and `funding`.
  ///
  /// Each census's sums are those of the census alone, term by term in the same order
  /// (placements of the line in turn, needs in turn), each in its own lane (products and sums
  /// lane by lane, never fused); the censuses' sums advance side by side, so that each addition
  /// waits only for its own census's last one.
  static func academicYearCosts(
    scenario s: Scenario, parameters m: ModelParameters, occupancy: (Int) -> [Double], censuses: Range<Int>,
    topUpCost: UnsafeMutableBufferPointer<Double>, funding placeFunding: UnsafeMutableBufferPointer<Double>
  ) {
    let P = s.placementCount
    let N = s.needCount
    let L = s.costLines.count
    let k = censuses.count
    let lanes = censusesAtOnce
    precondition((1...lanes).contains(k), "\(k) censuses at once")
    // Lane i's occupancy at rows[i] and top-ups at rows[lanes + i]: census lowerBound + i (the
    // last census repeated in the lanes beyond it, whose sums are not kept).
    withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: lanes + lanes) { rows in
      func sum() {
        s.costLines.withUnsafeBufferPointer { lines in
          for l in lines.indices {
            var cost = SIMD4<Double>(repeating: 0)
            lines[l].placements.withUnsafeBufferPointer { placements in
              for p in placements {
                for n in 0..<N {
                  let j = n * P + p
                  var (x, rate) = (SIMD4<Double>(), SIMD4<Double>())
                  for i in 0..<lanes {
                    x[i] = rows[i].unsafelyUnwrapped[j]
                    rate[i] = rows[lanes + i].unsafelyUnwrapped[j]
                  }
                  cost += x * rate
                }
              }
            }
            for i in 0..<k { topUpCost[i * L + l] = cost[i] }
          }
        }
      }
      // Read through buffers (an element of a nested array, read in the loop, is retained and
      // released each time), one lane's held open in each nested call.
      func hold(_ i: Int) {
        guard i < lanes else { return sum() }
        let t = censuses.lowerBound + min(i, k - 1)
        occupancy(t).withUnsafeBufferPointer { x in
          m.topUp[t].withUnsafeBufferPointer { rate in
            precondition(x.count >= N * P && rate.count >= N * P, "census \(t): an occupancy or top-ups too short")
            rows[i] = x.baseAddress
            rows[lanes + i] = rate.baseAddress
            hold(i + 1)
          }
        }
      }
      hold(0)
    }
    for (i, census) in censuses.enumerated() {
      m.places[census].withUnsafeBufferPointer { places in
        m.placeFundingRate[census].withUnsafeBufferPointer { rate in
          s.costLines.withUnsafeBufferPointer { lines in
            for l in lines.indices {
              var funding = 0.0
              lines[l].placements.withUnsafeBufferPointer { placements in
                for p in placements { funding += places[p] * rate[p] }
              }
              placeFunding[i * L + l] = funding
            }
          }
        }
      }
    }
  }

  /// Financial-year accounts: `FY f = 5/12 · AY(census f) + 7/12 · AY(census f+1)`.
  public static func financialYears(
    scenario s: Scenario, parameters m: ModelParameters, path: CaseloadPath
  ) -> [FinancialYearAccounts] {
    var years: [FinancialYearAccounts] = []
    financialYears(scenario: s, parameters: m, path: path, into: &years)
    return years
  }

  /// `financialYears` written over `years`: when it already holds a year for each financial
  /// year with as many lines as the scenario has, every number is written in place (a sweep
  /// passes the same array for each of its draws, so no array is allocated); otherwise it is
  /// replaced.
  public static func financialYears(
    scenario s: Scenario, parameters m: ModelParameters, path: CaseloadPath, into years: inout [FinancialYearAccounts]
  ) {
    let H = s.horizonYears
    let L = s.costLines.count
    let C = s.centralLines.count
    let O = s.income.otherLines.count
    let shaped =
      years.count == H
      && years.allSatisfy {
        $0.topUpCost.count == L && $0.placeFundingCost.count == L && $0.central.count == C && $0.otherIncome.count == O
      }
    if !shaped {
      years = (0..<H).map { _ in
        FinancialYearAccounts(
          topUpCost: Array(repeating: 0, count: L), placeFundingCost: Array(repeating: 0, count: L),
          central: Array(repeating: 0, count: C), placementCosts: 0, centralCosts: 0, mitigationCosts: [],
          totalMitigationCosts: 0, expenditure: 0, hnbAllocation: 0, deductions: 0, importExportAdjustment: 0,
          schoolsBlockTransfer: 0, otherIncome: Array(repeating: 0, count: O), income: 0, totalDSG: 0)
      }
    }
    // census t's top-ups of line l at topUps[t · L + l], its place funding at fundings[t · L + l].
    withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, (H + 1) * L)) { topUps in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, (H + 1) * L)) { fundings in
        for t in stride(from: 0, through: H, by: censusesAtOnce) {
          let censuses = t..<min(H + 1, t + censusesAtOnce)
          academicYearCosts(
            scenario: s, parameters: m, occupancy: { path.occupancy[$0] }, censuses: censuses,
            topUpCost: UnsafeMutableBufferPointer(rebasing: topUps[(t * L)..<(censuses.upperBound * L)]),
            funding: UnsafeMutableBufferPointer(rebasing: fundings[(t * L)..<(censuses.upperBound * L)]))
        }
        fill(&years, scenario: s, parameters: m, topUps: topUps, fundings: fundings)
      }
    }
  }

  /// The financial years of `years` from the academic years' costs by line (`topUps[t · L + l]`,
  /// `fundings[t · L + l]` for census `t` and cost line `l`), in place.
  private static func fill(
    _ years: inout [FinancialYearAccounts], scenario s: Scenario, parameters m: ModelParameters,
    topUps: UnsafeMutableBufferPointer<Double>, fundings: UnsafeMutableBufferPointer<Double>
  ) {
    let L = s.costLines.count
    let (ending, starting) = (ModelConstants.endingAcademicYearShare, ModelConstants.startingAcademicYearShare)
    years.withUnsafeMutableBufferPointer { years in
      for f in years.indices {
        // Each total is its lines summed in order from 0, as `reduce(0, +)` sums them.
        var topUpTotal = 0.0
        years[f].topUpCost.withUnsafeMutableBufferPointer { topUp in
          for l in 0..<L {
            topUp[l] = ending * topUps[f * L + l] + starting * topUps[(f + 1) * L + l]
            topUpTotal += topUp[l]
          }
        }
        var fundingTotal = 0.0
        years[f].placeFundingCost.withUnsafeMutableBufferPointer { funding in
          for l in 0..<L {
            funding[l] = ending * fundings[f * L + l] + starting * fundings[(f + 1) * L + l]
            fundingTotal += funding[l]
          }
        }
        var centralCosts = 0.0
        years[f].central.withUnsafeMutableBufferPointer { central in
          for (i, line) in s.centralLines.enumerated() {
            central[i] = line.baseGBP * pow(1 + line.uplift, Double(s.baseCensusYear + f - s.priceBaseFinancialYear))
            centralCosts += central[i]
          }
        }
        let placementCosts = topUpTotal + fundingTotal
        let mitigationCosts = m.mitigationCost[f]
        let totalMitigationCosts = mitigationCosts.reduce(0, +)
        let transfer = s.income.schoolsBlock[f] * s.income.schoolsBlockTransferPercent[f] / ModelConstants.percent
        var totalIncome =
          s.income.hnbAllocation[f] - s.income.deductions[f] + s.income.importExportAdjustment[f] + transfer
        years[f].otherIncome.withUnsafeMutableBufferPointer { other in
          for (i, line) in s.income.otherLines.enumerated() {
            other[i] = line.gbp[f]
            totalIncome += other[i]
          }
        }
        years[f].placementCosts = placementCosts
        years[f].centralCosts = centralCosts
        years[f].mitigationCosts = mitigationCosts
        years[f].totalMitigationCosts = totalMitigationCosts
        years[f].expenditure = placementCosts + centralCosts + totalMitigationCosts
        years[f].hnbAllocation = s.income.hnbAllocation[f]
        years[f].deductions = s.income.deductions[f]
        years[f].importExportAdjustment = s.income.importExportAdjustment[f]
        years[f].schoolsBlockTransfer = transfer
        years[f].income = totalIncome
        years[f].totalDSG = s.income.totalDSG[f]
      }
    }
  }

  /// The DSG reserve corkscrew: `closing = opening + income − expenditure + contributions`,
  /// and each closing balance is the next year's opening.
  public static func reserve(scenario s: Scenario, accounts: [FinancialYearAccounts]) -> [ReserveYear] {
    var years: [ReserveYear] = []
    reserve(scenario: s, accounts: accounts, into: &years)
    return years
  }

  /// `reserve` written over `years` (in place when it holds a year for each of `accounts`).
  public static func reserve(scenario s: Scenario, accounts: [FinancialYearAccounts], into years: inout [ReserveYear]) {
    let H = accounts.count
    if years.count != H {
      years = Array(
        repeating: ReserveYear(opening: 0, income: 0, expenditure: 0, contributions: 0, inYear: 0, closing: 0), count: H
      )
    }
    withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, H)) { inYear in
      for f in 0..<H { inYear[f] = accounts[f].income - accounts[f].expenditure }
      withUnsafeTemporaryAllocation(of: SettlementYear.self, capacity: max(1, H)) { settlementYears in
        let settlement = s.settlement.map {
          $0.years(
            opening: s.openingBalance, inYear: UnsafeBufferPointer(rebasing: inYear[0..<H]),
            contributions: s.contributions, into: settlementYears)
        }
        var opening = s.openingBalance
        years.withUnsafeMutableBufferPointer { years in
          for f in 0..<H {
            let settled = settlement == nil ? nil : settlementYears[f]
            var closing = opening + inYear[f] + s.contributions[f]
            if let y = settled { closing += y.stabilityGrant + y.localShare }
            years[f] = ReserveYear(
              opening: opening, income: accounts[f].income, expenditure: accounts[f].expenditure,
              contributions: s.contributions[f], inYear: inYear[f], closing: closing,
              settlement: settled ?? SettlementYear())
            opening = closing
          }
        }
      }
    }
  }
}
