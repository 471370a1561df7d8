import Foundation

/// The 2026 settlement of a DSG deficit: the High Needs Stability Grant that writes off a share
/// of the deficit at 31 March 2026, the authority's own share, and the end of the statutory
/// override.
///
/// Indices are financial-year indices `f` of the scenario (`f = 0` is the year starting in
/// April of the base census year); `−1` is the 31 March before the first year, the date of the
/// opening balance. See `docs/MODEL.md`, "The 2026 settlement".
public struct Settlement: Sendable, Equatable {
  /// A figure the DfE compares to find the eligible deficit (s251, revenue outturn, accounts).
  public struct Figure: Sendable, Equatable {
    public var source: String
    /// The deficit the figure states (gbp; positive is a deficit).
    public var deficitGBP: Double

    public init(source: String, deficitGBP: Double) {
      self.source = source
      self.deficitGBP = deficitGBP
    }
  }

  /// The financial year whose 31 March is the deficit date (31 March 2026: 2025-26), or `−1`
  /// when the deficit date is the opening balance's.
  public var deficitYear: Int
  /// The figures compared, of which the eligible deficit is the lowest.
  ///
  /// Empty: the run's own deficit at the deficit date.
  public var figures: [Figure]
  /// The share of the eligible deficit the grant writes off (fraction; 0.9 in the settlement).
  public var writeOffShare: Double
  /// The financial year the grant is received in; nil when it is not (no approved plan).
  public var grantYear: Int?
  /// The financial year the authority pays its share (`1 − writeOffShare`) into the DSG from
  /// its general fund; nil when its share stays on the DSG as a deficit.
  public var localShareYear: Int?
  /// The last financial year of the statutory override (2027-28); nil when the run ends
  /// before it ends.
  public var overrideLastYear: Int?

  /// The share of the eligible deficit the High Needs Stability Grant writes off: 90% in the
  /// 2026 settlement (../shared/BRIEF.md, "2026"; docs/MODEL.md).
  public static let settlementWriteOffShare = 0.9

  public init(
    deficitYear: Int, figures: [Figure] = [], writeOffShare: Double = Settlement.settlementWriteOffShare,
    grantYear: Int?,
    localShareYear: Int? = nil, overrideLastYear: Int? = nil
  ) {
    self.deficitYear = deficitYear
    self.figures = figures
    self.writeOffShare = writeOffShare
    self.grantYear = grantYear
    self.localShareYear = localShareYear
    self.overrideLastYear = overrideLastYear
  }

  /// The eligible deficit (gbp, positive): the lowest figure, or the run's deficit at the
  /// deficit date (`−balance`, 0 for a surplus) when no figure is given.
  public func eligibleDeficit(balanceAtDeficitDate balance: Double) -> Double {
    figures.lazy.map(\.deficitGBP).min() ?? max(0, -balance)
  }
}

/// The settlement's lines in one financial year (gbp).
public struct SettlementYear: Sendable, Equatable {
  /// The High Needs Stability Grant received (`writeOffShare · eligible` in `grantYear`).
  public var stabilityGrant: Double = 0
  /// The authority's share paid in from its general fund (`(1 − writeOffShare) · eligible`).
  public var localShare: Double = 0
  /// The balance at the deficit date plus the grant and local share received to date: the
  /// historic deficit still held (negative is a deficit); the closing balance before the date.
  public var historicBalance: Double = 0
  /// The in-year balances and contributions since the deficit date (negative is a deficit
  /// accruing since April 2026); 0 up to the date.
  public var accruingBalance: Double = 0
  /// The pressure on the council's general fund after the statutory override ends.
  ///
  /// The year's deficit, `−(inYear + contributions)` (0 for a surplus). An assumption: national
  /// policy from 2028-29 is not settled.
  public var generalFundPressure: Double = 0
}

extension Settlement {
  /// Each year's settlement lines from the reserve flows: `opening` (the balance at the start),
  /// and by year the in-year balance and contributions; with the eligible deficit used.
  ///
  /// The grant and local share add to the closing balance (`closing = opening + inYear +
  /// contributions + grant + localShare`); `historic + accruing = closing` in every year.
  public func years(opening: Double, inYear: [Double], contributions: [Double]) -> (
    years: [SettlementYear], eligible: Double
  ) {
    let H = inYear.count
    var years = [SettlementYear](repeating: SettlementYear(), count: H)
    let eligible = inYear.withUnsafeBufferPointer { inYear in
      years.withUnsafeMutableBufferPointer {
        self.years(opening: opening, inYear: inYear, contributions: contributions, into: $0)
      }
    }
    return (years, eligible)
  }

  /// `years(opening:inYear:contributions:)` written into `years` (at least `inYear.count` of
  /// them); returns the eligible deficit used.
  func years(
    opening: Double, inYear: UnsafeBufferPointer<Double>, contributions: [Double],
    into years: UnsafeMutableBufferPointer<SettlementYear>
  ) -> Double {
    let H = inYear.count
    // The balance at the deficit date does not depend on the grant, which comes after it.
    var balance = opening
    var balanceAtDate = opening
    for f in 0..<H {
      balance += inYear[f] + contributions[f]
      if f == deficitYear { balanceAtDate = balance }
    }
    let eligible = eligibleDeficit(balanceAtDeficitDate: balanceAtDate)
    var historic = opening
    var accruing = 0.0
    for f in 0..<H {
      var y = SettlementYear()
      if f == grantYear { y.stabilityGrant = writeOffShare * eligible }
      if f == localShareYear { y.localShare = (1 - writeOffShare) * eligible }
      let flow = inYear[f] + contributions[f]
      if f <= deficitYear {
        historic += flow
      } else {
        accruing += flow
      }
      historic += y.stabilityGrant + y.localShare
      y.historicBalance = historic
      y.accruingBalance = accruing
      if let last = overrideLastYear, f > last { y.generalFundPressure = max(0, -flow) }
      years[f] = y
    }
    return eligible
  }
}
