import Foundation

/// A fully resolved and validated scenario: every input the engine needs, as arrays laid out
/// for the projection, with the assumptions log and alerts that describe where it came from.
///
/// Made by `ScenarioResolver.resolve` from `ScenarioInputs` (which `ScenarioLoader.parse` reads
/// from the files).
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

  /// Where the scenario came from (files, merged YAML, rows read, assumptions log), kept once,
  /// in its inputs: what writers and manifests read, never the engine.
  public var source: ScenarioSource { inputs.source }
  /// Every YAML file that went into this scenario, child first.
  public var scenarioFiles: [String] { source.scenarioFiles }
  /// Every CSV file read, for the manifest's hashes.
  public var inputFiles: [String] { source.inputFiles }
  /// The merged YAML after `extends:`, for the manifest.
  public var resolvedTree: YAMLTree { source.tree }
  /// Every input value as written: the rows of `assumptions.csv`.
  public var assumptions: [AssumptionEntry] { source.assumptions }
  /// Data rows read from each CSV input, and how many were not used (reported, never hidden).
  public var inputRows: [String: InputFileRows] { source.inputRows }

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

/// How many data rows a CSV input had, and how many of them the run did not use.
public struct InputFileRows: Sendable, Equatable {
  public var read: Int
  public var unused: Int

  package init(
    read: Int, unused: Int
  ) {
    self.read = read
    self.unused = unused
  }
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

/// How an input value came to be what the run used: the `status` column of `assumptions.csv`.
///
/// A number's own `status:` may be any of the first five (`statedByNumber`); the others are the
/// log's own entries for settings, files and the cells read from files.
public enum AssumptionStatus: String, Sendable, CaseIterable, CustomStringConvertible {
  /// The LA's own published figure (a number with a `source`, or `assumption: false`).
  case data
  /// Derived from the LA's figures by a stated method.
  case derived
  /// England's figure, used where the LA's is missing or suppressed.
  case nationalDefault = "national default"
  /// A bare number: nobody stated where it comes from (`hnb validate` lists them).
  case notStated = "not stated"
  /// A judgement (`assumption: true`, or a default the loader fills in and says why).
  case assumption
  /// A scenario setting: a name, a year, a choice.
  case setting
  /// A CSV file the scenario names (its cells follow as `fromFile`).
  case file
  /// One cell of a CSV file.
  case fromFile = "from file"
  /// A cell of a CSV file for a year outside the forecast.
  case unusedFromFile = "not used (outside the forecast years)"

  /// The statuses a number may state (`status:`), in the order error messages list them.
  public static let statedByNumber: [AssumptionStatus] = [.data, .derived, .nationalDefault, .notStated, .assumption]

  /// The column's text (`not stated`, `from file`...).
  public var description: String { rawValue }
}

/// One input value as used, with its unit and source: a row of `assumptions.csv`.
public struct AssumptionEntry: Sendable, Comparable {
  public var key: String
  public var value: String
  public var unit: String
  public var source: String
  public var note: String
  /// Data, assumption or not stated (from `source` and `assumption`), the status a number
  /// states (`status:`), or the log's own for settings, files and their cells.
  public var status: AssumptionStatus
  public var location: String

  public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.key, lhs.location) < (rhs.key, rhs.location) }

  package init(
    key: String, value: String, unit: String, source: String, note: String, status: AssumptionStatus,
    location: String
  ) {
    self.key = key
    self.value = value
    self.unit = unit
    self.source = source
    self.note = note
    self.status = status
    self.location = location
  }
}
