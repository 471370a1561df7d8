import Foundation

/// A fully resolved and validated scenario: every input the engine needs, as arrays laid out
/// for the projection, with its alerts.
///
/// Made by `ScenarioResolver.resolve` from `ScenarioInputs` (which `ScenarioLoader.parse` reads
/// from the files). Where it came from (files, merged YAML, rows read, the assumptions log) is
/// not part of it: the I/O library's `ScenarioSource` keeps that, for the writers.
///
/// Index conventions (see `docs/MODEL.md`): census index `t` runs `0…H`, with `t = 0` the base
/// census `baseCensusYear`; financial-year index `f` runs `0…H-1`, financial year
/// `(B+f)-(B+f+1)`. A state cell is `(age, need, placement)` at flat index
/// `(age * needCount + need) * placementCount + placement`.
public struct Scenario: Sendable {
  public var name: String
  public var title: String
  public var description: String
  /// True for the unmitigated base case; false for a scenario (an assumption, not a target).
  public var isBase: Bool
  public var taxonomy: Taxonomy
  /// `B`: the January census the baseline caseload comes from.
  public var baseCensusYear: Int
  /// `H`: the number of projected censuses and financial years.
  public var horizonYears: Int

  /// `baselinePlans[cell]`: plans at census `B` (count).
  public var baselinePlans: [Double]
  /// `population[t-1][age]` for `t = 1…H` (persons).
  public var population: [[Double]]
  /// `incidenceRate[t-1][age]`: new plans in the year to census `t` per resident (fraction),
  /// any trend already applied.
  public var incidenceRate: [[Double]]
  /// `newPlanMix[age][need * P + placement]`: share of new plans (fraction; sums to 1).
  public var newPlanMix: [[Double]]
  /// The assessment pipeline (`caseload.pipeline`): when present, new plans are the plans it
  /// starts, not `population × incidenceRate`.
  public var pipeline: AssessmentPipeline? = nil
  /// `cessationRate[age][placement]` (fraction per year); age 25 is 1.
  public var cessationRate: [[Double]]
  /// `transition[age]`: P×P row-stochastic matrix, row = from, column = to, ages 0…24.
  public var transition: [[Double]]

  /// `commissionedPlaces[t][placement]` for `t = 0…H` (places).
  public var commissionedPlaces: [[Double]]
  /// `overflow[placement]`: destination shares for capacity-limited placements, else nil.
  public var overflow: [[Double]?]

  public var priceBasis: String
  /// Start year of the academic year top-ups and place funding are stated in.
  public var priceBaseAcademicYear: Int
  /// Start year of the financial year central lines are stated in.
  public var priceBaseFinancialYear: Int
  /// `topUpInput[need * P + placement]`: top-up or fee per occupied plan per year (gbp), at
  /// the price base (`ModelParameters.topUp[t]` uplifts it to each year).
  public var topUpInput: [Double]
  /// `placeFundingRate[placement]`: gbp per commissioned place per year.
  public var placeFundingRate: [Double]
  public var placeFundingUplift: Double
  public var costLines: [CostLine]
  public var centralLines: [CentralLine]

  public var income: IncomeInputs
  /// DSG reserve at 1 April of the first forecast year (gbp; negative = deficit).
  public var openingBalance: Double
  /// `contributions[f]`: one-off contributions in financial year `f` (gbp).
  public var contributions: [Double]
  /// The 2026 settlement (`reserve.settlement`): the stability grant, the authority's share and
  /// the end of the statutory override; nil when the scenario does not state it.
  public var settlement: Settlement? = nil

  public var mitigations: [Mitigation]
  public var outturn: [OutturnValue]

  public var alerts: [Alert]
  /// Uncertain inputs for `hnb sweep` (empty when the file has no `uncertainty:` section).
  public var uncertainty = UncertaintySpec()
  /// The inputs this scenario was resolved from (`ScenarioResolver.resolve`): a sweep draw or a
  /// goal-seek trial changes a number there and resolves again.
  public var inputs: ScenarioInputs
  /// Alert when the newest census is more than this many years before the as-of date
  /// (`alerts.census_age_years_above`; see `DataVintage`).
  public var censusAgeAlertYears = DataVintage.defaultCensusAgeYearsAbove

  public var placementCount: Int { taxonomy.placements.count }
  public var needCount: Int { taxonomy.needs.count }
  public var cellCount: Int { AgeAxis.count * needCount * placementCount }

  /// The January census year of census index `t`.
  public func censusYear(_ t: Int) -> Int { baseCensusYear + t }
  /// The financial year label of index `f`.
  public func financialYearLabel(_ f: Int) -> String {
    YearLabel.financial(startingIn: baseCensusYear + f)
  }
}

/// A group of placements whose top-ups and place funding are reported together and uplifted
/// at one rate.
public struct CostLine: Sendable {
  public var id: String
  public var label: String
  public var placements: [Int]
  /// Annual uplift of the line's top-ups (fraction per year).
  public var uplift: Double
}

/// A central High Needs budget line not driven by caseload (SEN support, therapies, …).
public struct CentralLine: Sendable {
  public var id: String
  public var label: String
  /// Amount in the price-base financial year (gbp).
  public var baseGBP: Double
  /// Annual uplift (fraction per year).
  public var uplift: Double
}

/// Income series by financial year index `f` (all gbp except the transfer percent).
public struct IncomeInputs: Sendable {
  /// HNB allocation before deductions.
  public var hnbAllocation: [Double]
  public var deductions: [Double]
  public var importExportAdjustment: [Double]
  public var schoolsBlock: [Double]
  /// Schools Block transfer as a percentage of the Schools Block (percent, not fraction).
  public var schoolsBlockTransferPercent: [Double]
  /// Total DSG after deductions: the denominator of the deficit percentage.
  public var totalDSG: [Double]
  /// Other income into the High Needs Block (a national fund, a grant), each with its amounts.
  public var otherLines: [OtherIncomeLine] = []
}

/// An income line other than the DSG's (the Inclusive Mainstream Fund, say): amounts by
/// financial year `f` (gbp).
public struct OtherIncomeLine: Sendable, Equatable {
  public var id: String
  public var label: String
  public var gbp: [Double]
}

/// An actual figure (a census measure or a DSG balance), shown beside the forecast.
public struct OutturnValue: Sendable {
  /// A measure an outturn file may hold, named as in the file (in the order messages list them).
  public enum Measure: String, CaseIterable, Sendable {
    case totalPlans = "total_plans"
    case shareMainstream = "share_mainstream"
    case shareInBorough = "share_in_borough"
    case shareIndependentSpecial = "share_independent_special"
    case dsgClosingBalance = "dsg_closing_balance_gbp"

    /// The measure's unit: plans, fraction or gbp.
    public var unit: String {
      switch self {
      case .totalPlans: return "plans"
      case .shareMainstream, .shareInBorough, .shareIndependentSpecial: return "fraction"
      case .dsgClosingBalance: return "gbp"
      }
    }
  }

  /// The January census year, or for `dsg_closing_balance_gbp` the year of the 31 March.
  public var year: Int
  public var measure: Measure
  public var value: Double
  public var source: String

  package init(
    year: Int, measure: Measure, value: Double, source: String
  ) {
    self.year = year
    self.measure = measure
    self.value = value
    self.source = source
  }
}
