import Foundation

/// A number of the scenario file that a sweep may draw or a goal seek may set: its value, the
/// distribution it was written with (if any), and where it is written.
public struct InputNumber: Sendable, Equatable {
  /// The value in use: as written, or as a draw set it.
  public var value: Double
  /// The distribution `hnb sweep` draws it from (`distribution:`), nil for a fixed number.
  public var distribution: Distribution?
  /// Its key path in the scenario file (`reserve.opening_balance_gbp`): its uncertain input's id.
  public var keyPath: String
  /// Where its value is written.
  public var location: SourceLocation

  package init(
    value: Double, distribution: Distribution? = nil, keyPath: String, location: SourceLocation
  ) {
    self.value = value
    self.distribution = distribution
    self.keyPath = keyPath
    self.location = location
  }
}

/// A value given once or for each year of a run (a growth rate, an income line): its values by
/// year and the numbers written.
public struct InputSeries: Sendable, Equatable {
  /// The years, as written in the file.
  public var labels: [String]
  /// `values[k]`: the value in use for `labels[k]` (as written, or as a draw set it).
  public var values: [Double]
  /// The numbers as written: one for every year (its key path the series'), or one a year
  /// (key paths `series.label`).
  public var written: [InputNumber]
  /// True when one number was written for every year.
  public var isSingle: Bool

  package init(
    labels: [String], values: [Double], written: [InputNumber], isSingle: Bool
  ) {
    self.labels = labels
    self.values = values
    self.written = written
    self.isSingle = isSingle
  }
}

/// Where a number an uncertain input draws is kept in `ScenarioInputs`: a typed key path, so a
/// draw sets it without naming it by text.
///
/// Key paths are immutable values, safe to share between threads.
public enum NumberSlot: @unchecked Sendable, Equatable {
  /// One number: set to the input's value.
  case number(WritableKeyPath<ScenarioInputs, Double>)
  /// A series written as one number: year `k` set to the input's value in year slot `k` (the
  /// same every year for an input drawn once).
  case series(WritableKeyPath<ScenarioInputs, [Double]>)

  /// Sets the number(s) of `inputs` to the values `v` (by year slot).
  func set(_ v: [Double], in inputs: inout ScenarioInputs) {
    switch self {
    case .number(let path): inputs[keyPath: path] = v[0]
    case .series(let path):
      for k in inputs[keyPath: path].indices { inputs[keyPath: path][k] = v[k] }
    }
  }
}

/// Every input of a scenario as parsed from its YAML and CSV files, before anything is derived.
///
/// `ScenarioParser` (through `ScenarioLoader.parse`) reads the files into these values, checking
/// each one as written; `ScenarioResolver.resolve` derives the `Scenario` the engine runs
/// (trends applied, allocations compounded, shares normalised, levers built) and checks what
/// the derivation can break, with no file access. A sweep draw, a goal-seek trial or a
/// sensitivity run changes numbers here (through `NumberSlot`s) and resolves again.
public struct ScenarioInputs: Sendable {
  public var name: String
  public var title: String
  public var description: String
  public var isBase: Bool
  public var taxonomy: Taxonomy
  public var baseCensusYear: Int
  public var horizonYears: Int
  public var thresholds: Thresholds
  public var caseload: Caseload
  public var capacity: Capacity
  public var costs: Costs
  public var income: Income
  public var reserve: Reserve
  public var mitigations: [MitigationInput]
  public var outturn: [OutturnValue]
  /// The uncertain inputs: the `uncertainty:` section's, then the numbers written with a
  /// distribution (their targets hold their slots here).
  public var uncertainty: UncertaintySpec
  /// The alerts found while parsing (resolving adds those about derived values).
  ///
  /// Where the inputs came from (files, the merged YAML, rows read, the assumptions log) is not
  /// kept here: it is the I/O library's `ScenarioSource`, which only writers receive.
  public var alerts: [Alert]

  /// How far from 1 a row of shares or probabilities may sum (it is then scaled to 1).
  package static let rateTolerance = 1e-6

  /// Alert thresholds (`alerts:`).
  public struct Thresholds: Sendable {
    public var growth = 0.25
    public var unitCostRatio = 10.0
    public var censusAge = DataVintage.defaultCensusAgeYearsAbove

    package init(
      growth: Double = 0.25, unitCostRatio: Double = 10.0, censusAge: Int = DataVintage.defaultCensusAgeYearsAbove
    ) {
      self.growth = growth
      self.unitCostRatio = unitCostRatio
      self.censusAge = censusAge
    }
  }

  /// The caseload inputs: CSV tables (already checked and laid out) and the trends.
  public struct Caseload: Sendable {
    /// `baseline[cell]`: plans at census `B`.
    public var baseline: [Double]
    public var population: YearByAge
    /// New plans per resident; nil when the pipeline gives new plans.
    public var incidence: YearByAge?
    /// The assessment pipeline (`caseload.pipeline`), in place of `incidence`.
    public var pipeline: Pipeline?
    /// `newPlanMix[age][need * P + placement]`, and the file it came from.
    public var newPlanMix: [[Double]]
    public var newPlanMixFile: String
    /// `cessation[age][placement]` (age 25 is 1).
    public var cessation: [[Double]]
    /// `transition[age]`: P×P, rows scaled to sum to 1.
    public var transition: [[Double]]

    package init(
      baseline: [Double], population: YearByAge, incidence: YearByAge?, pipeline: Pipeline? = nil,
      newPlanMix: [[Double]], newPlanMixFile: String, cessation: [[Double]], transition: [[Double]]
    ) {
      self.pipeline = pipeline
      self.baseline = baseline
      self.population = population
      self.incidence = incidence
      self.newPlanMix = newPlanMix
      self.newPlanMixFile = newPlanMixFile
      self.cessation = cessation
      self.transition = transition
    }
  }

  /// The assessment pipeline as written: three rates by census year and age, and the lag.
  public struct Pipeline: Sendable {
    /// Requests for an EHC needs assessment per resident (`requests`, with its trend).
    public var requests: YearByAge
    /// The share of requests refused (`refusals`).
    public var refusals: YearByAge
    /// The share of assessments that end in a plan (`conversions`).
    public var conversions: YearByAge
    /// The share of a year's plans that start after the next census (`lag_share`).
    public var lagShare: InputNumber

    package init(requests: YearByAge, refusals: YearByAge, conversions: YearByAge, lagShare: InputNumber) {
      self.requests = requests
      self.refusals = refusals
      self.conversions = conversions
      self.lagShare = lagShare
    }
  }

  /// A value by census year and age: given for every projected census year, or as the base
  /// year's profile grown by a trend.
  public struct YearByAge: Sendable {
    /// `values[t][age]` for census years `B+1…B+H`, or one profile (`values[0]`).
    public var values: [[Double]]
    public var byYear: Bool
    public var file: String
    /// The CSV value column (`population` or `rate`).
    public var column: String
    public var range: ClosedRange<Double>
    public var rangeText: String
    /// The trend (`…_fraction_per_year`), by census year label.
    public var growth: InputSeries?
    /// The trend's key path, the place of its map and of its value (for messages).
    public var growthKeyPath: String
    public var mapLocation: SourceLocation
    public var growthLocation: SourceLocation

    package init(
      values: [[Double]], byYear: Bool, file: String, column: String, range: ClosedRange<Double>, rangeText: String,
      growth: InputSeries? = nil, growthKeyPath: String, mapLocation: SourceLocation, growthLocation: SourceLocation
    ) {
      self.values = values
      self.byYear = byYear
      self.file = file
      self.column = column
      self.range = range
      self.rangeText = rangeText
      self.growth = growth
      self.growthKeyPath = growthKeyPath
      self.mapLocation = mapLocation
      self.growthLocation = growthLocation
    }
  }

  /// Commissioned places and overflow.
  public struct Capacity: Sendable {
    /// `places[t][placement]` for `t = 0…H`.
    public var places: [[Double]]
    public var placesFile: String
    /// The overflow mixes, in file order.
    public var overflow: [Overflow]
    /// The `overflow:` map's place and key path.
    public var overflowLocation: SourceLocation
    public var overflowKeyPath: String

    package init(
      places: [[Double]], placesFile: String, overflow: [Overflow], overflowLocation: SourceLocation,
      overflowKeyPath: String
    ) {
      self.places = places
      self.placesFile = placesFile
      self.overflow = overflow
      self.overflowLocation = overflowLocation
      self.overflowKeyPath = overflowKeyPath
    }
  }

  /// Where the plans a capacity-limited placement cannot take go.
  public struct Overflow: Sendable {
    public var placement: Int
    public var shares: [Share]
    public var location: SourceLocation
    public var keyPath: String

    package init(
      placement: Int, shares: [Share], location: SourceLocation, keyPath: String
    ) {
      self.placement = placement
      self.shares = shares
      self.location = location
      self.keyPath = keyPath
    }
  }

  /// One destination's share of an overflow.
  public struct Share: Sendable {
    public var destination: Int
    public var share: InputNumber

    package init(
      destination: Int, share: InputNumber
    ) {
      self.destination = destination
      self.share = share
    }
  }

  /// Prices and cost lines.
  public struct Costs: Sendable {
    public var priceBasis: String
    public var baseAcademicYear: Int
    public var baseFinancialYear: Int
    /// `topUpInput[need * P + placement]`: the top-up or fee per plan at the price base (gbp
    /// per year; `Scenario.topUpInput`).
    public var topUpInput: [Double]
    /// `placeFundingRate[placement]`: gbp per commissioned place per year as written, nil when
    /// none is.
    public var placeFundingRate: [InputNumber?]
    public var placeFundingUplift: InputNumber
    public var lines: [Line]
    public var central: [CentralLineInput]

    package init(
      priceBasis: String, baseAcademicYear: Int, baseFinancialYear: Int, topUpInput: [Double],
      placeFundingRate: [InputNumber?],
      placeFundingUplift: InputNumber, lines: [Line], central: [CentralLineInput]
    ) {
      self.priceBasis = priceBasis
      self.baseAcademicYear = baseAcademicYear
      self.baseFinancialYear = baseFinancialYear
      self.topUpInput = topUpInput
      self.placeFundingRate = placeFundingRate
      self.placeFundingUplift = placeFundingUplift
      self.lines = lines
      self.central = central
    }
  }

  /// A cost line as written.
  public struct Line: Sendable {
    public var id: String
    public var label: String
    public var placements: [Int]
    public var uplift: InputNumber
    /// Its key path (`costs.cost_lines.ID`).
    public var keyPath: String

    package init(
      id: String, label: String, placements: [Int], uplift: InputNumber, keyPath: String
    ) {
      self.id = id
      self.label = label
      self.placements = placements
      self.uplift = uplift
      self.keyPath = keyPath
    }
  }

  /// A central line as written.
  public struct CentralLineInput: Sendable {
    public var id: String
    public var label: String
    public var gbp: InputNumber
    public var uplift: InputNumber
    public var keyPath: String

    package init(
      id: String, label: String, gbp: InputNumber, uplift: InputNumber, keyPath: String
    ) {
      self.id = id
      self.label = label
      self.gbp = gbp
      self.uplift = uplift
      self.keyPath = keyPath
    }
  }

  /// Income as written.
  public struct Income: Sendable {
    public var hnbAllocation: InputNumber
    /// Growth for the financial years after the first (nil only when not written on a
    /// one-year horizon).
    public var hnbGrowth: InputSeries?
    public var deductions: InputSeries
    public var importExportAdjustment: InputSeries
    public var schoolsBlock: InputSeries
    public var schoolsBlockTransferPercent: InputSeries
    public var totalDSG: InputSeries
    /// `other_income`: each line's id, label and amounts.
    public var otherLines: [(id: String, label: String, gbp: InputSeries)] = []
    /// The transfer set by `hnb goalseek --vary transfer_percent` (percent, every year), in
    /// place of the values written or drawn.
    public var transferPercentSet: Double?

    package init(
      hnbAllocation: InputNumber, hnbGrowth: InputSeries? = nil, deductions: InputSeries,
      importExportAdjustment: InputSeries, schoolsBlock: InputSeries, schoolsBlockTransferPercent: InputSeries,
      totalDSG: InputSeries, transferPercentSet: Double? = nil,
      otherLines: [(id: String, label: String, gbp: InputSeries)] = []
    ) {
      self.hnbAllocation = hnbAllocation
      self.hnbGrowth = hnbGrowth
      self.deductions = deductions
      self.importExportAdjustment = importExportAdjustment
      self.schoolsBlock = schoolsBlock
      self.schoolsBlockTransferPercent = schoolsBlockTransferPercent
      self.totalDSG = totalDSG
      self.transferPercentSet = transferPercentSet
      self.otherLines = otherLines
    }
  }

  /// The DSG reserve as written.
  public struct Reserve: Sendable {
    public var openingBalance: InputNumber
    /// `contributions[f]`, nil for a year with none written.
    public var contributions: [InputNumber?]
    /// The 2026 settlement (`reserve.settlement`), nil when not written.
    public var settlement: Settlement? = nil

    package init(
      openingBalance: InputNumber, contributions: [InputNumber?], settlement: Settlement? = nil
    ) {
      self.openingBalance = openingBalance
      self.contributions = contributions
      self.settlement = settlement
    }
  }

  /// A mitigation as written.
  public struct MitigationInput: Sendable {
    /// The lever without its number (`amount`).
    public enum LeverKind: Sendable, Equatable {
      case scaleIncidence
      case scaleCessation
      case scaleRequests
      case scaleRefusals
      case scaleConversion
      case divertNewPlans(needs: [Int], costPerChild: Double, supportYears: Int)
      case reassessAtTransfer
      case capUplift(line: Int)
      case unitCost(placement: Int)
      case addCapacity(placement: Int)
      case shiftNewPlans(from: Int, to: Int)
      case shiftNewPlansToTarget(from: Int, to: Int)
      case shiftPlacements(from: Int, to: Int)
    }

    public var id: String
    public var label: String
    public var kind: LeverKind
    /// The lever's number: its factor, places, share or target share.
    public var amount: InputNumber
    public var startAcademicYear: Int
    public var rampYears: Int
    public var ages: ClosedRange<Int>
    public var source: String
    public var annualCost: InputNumber?
    /// Its key path (`mitigations.ID`) and the place of its `placement:`.
    public var keyPath: String
    public var placementLocation: SourceLocation
    /// The strength set by `hnb goalseek --vary mitigation:ID` (0 off, 1 as written), nil as written.
    public var strength: Double?

    package init(
      id: String, label: String, kind: LeverKind, amount: InputNumber, startAcademicYear: Int, rampYears: Int,
      ages: ClosedRange<Int>, source: String, annualCost: InputNumber? = nil, keyPath: String,
      placementLocation: SourceLocation, strength: Double? = nil
    ) {
      self.id = id
      self.label = label
      self.kind = kind
      self.amount = amount
      self.startAcademicYear = startAcademicYear
      self.rampYears = rampYears
      self.ages = ages
      self.source = source
      self.annualCost = annualCost
      self.keyPath = keyPath
      self.placementLocation = placementLocation
      self.strength = strength
    }
  }

  /// Every number of these inputs that a distribution may be written on, by key path (its
  /// uncertain input's id), with its slot.
  package func numberSlots() -> [String: NumberSlot] {
    var slots: [String: NumberSlot] = [:]
    func number(_ n: InputNumber, _ path: WritableKeyPath<ScenarioInputs, Double>) { slots[n.keyPath] = .number(path) }
    func series(_ s: InputSeries, _ path: WritableKeyPath<ScenarioInputs, [Double]>) {
      if s.isSingle {
        slots[s.written[0].keyPath] = .series(path)
      } else {
        for (k, n) in s.written.enumerated() {
          slots[n.keyPath] = .number(path.appending(path: \[Double].[k]))
        }
      }
    }
    if let g = caseload.population.growth { series(g, \.caseload.population.growth!.values) }
    if let g = caseload.incidence?.growth { series(g, \.caseload.incidence!.growth!.values) }
    if let p = caseload.pipeline {
      if let g = p.requests.growth { series(g, \.caseload.pipeline!.requests.growth!.values) }
      if let g = p.refusals.growth { series(g, \.caseload.pipeline!.refusals.growth!.values) }
      if let g = p.conversions.growth { series(g, \.caseload.pipeline!.conversions.growth!.values) }
      number(p.lagShare, \.caseload.pipeline!.lagShare.value)
    }
    for (i, o) in capacity.overflow.enumerated() {
      for (j, s) in o.shares.enumerated() { number(s.share, \.capacity.overflow[i].shares[j].share.value) }
    }
    for (p, n) in costs.placeFundingRate.enumerated() {
      if let n { number(n, \.costs.placeFundingRate[p]!.value) }
    }
    number(costs.placeFundingUplift, \.costs.placeFundingUplift.value)
    for (i, line) in costs.lines.enumerated() { number(line.uplift, \.costs.lines[i].uplift.value) }
    for (i, line) in costs.central.enumerated() {
      number(line.gbp, \.costs.central[i].gbp.value)
      number(line.uplift, \.costs.central[i].uplift.value)
    }
    number(income.hnbAllocation, \.income.hnbAllocation.value)
    if let g = income.hnbGrowth { series(g, \.income.hnbGrowth!.values) }
    series(income.deductions, \.income.deductions.values)
    series(income.importExportAdjustment, \.income.importExportAdjustment.values)
    series(income.schoolsBlock, \.income.schoolsBlock.values)
    series(income.schoolsBlockTransferPercent, \.income.schoolsBlockTransferPercent.values)
    series(income.totalDSG, \.income.totalDSG.values)
    number(reserve.openingBalance, \.reserve.openingBalance.value)
    for (f, n) in reserve.contributions.enumerated() {
      if let n { number(n, \.reserve.contributions[f]!.value) }
    }
    for (i, m) in mitigations.enumerated() {
      number(m.amount, \.mitigations[i].amount.value)
      if let cost = m.annualCost { number(cost, \.mitigations[i].annualCost!.value) }
    }
    return slots
  }

  package init(
    name: String, title: String, description: String, isBase: Bool, taxonomy: Taxonomy, baseCensusYear: Int,
    horizonYears: Int, thresholds: Thresholds, caseload: Caseload, capacity: Capacity, costs: Costs, income: Income,
    reserve: Reserve, mitigations: [MitigationInput], outturn: [OutturnValue], uncertainty: UncertaintySpec,
    alerts: [Alert]
  ) {
    self.name = name
    self.title = title
    self.description = description
    self.isBase = isBase
    self.taxonomy = taxonomy
    self.baseCensusYear = baseCensusYear
    self.horizonYears = horizonYears
    self.thresholds = thresholds
    self.caseload = caseload
    self.capacity = capacity
    self.costs = costs
    self.income = income
    self.reserve = reserve
    self.mitigations = mitigations
    self.outturn = outturn
    self.uncertainty = uncertainty
    self.alerts = alerts
  }
}

/// The axes of a scenario: its taxonomy, base census year and horizon, and their year labels.
package struct ScenarioAxes {
  package let taxonomy: Taxonomy
  package let base: Int
  package let horizon: Int

  package init(taxonomy: Taxonomy, base: Int, horizon: Int) {
    self.taxonomy = taxonomy
    self.base = base
    self.horizon = horizon
  }
  package var P: Int { taxonomy.placements.count }
  package var N: Int { taxonomy.needs.count }
  /// Census years B+1…B+H as labels.
  package var censusLabels: [String] { (1...horizon).map { String(base + $0) } }
  /// Financial years B…B+H-1 as labels.
  package var financialLabels: [String] { (0..<horizon).map { YearLabel.financial(startingIn: base + $0) } }
  /// Academic years (B-1)/B … (B+H-1)/(B+H), one for each census t = 0…H.
  package var academicLabels: [String] { (0...horizon).map { YearLabel.academic(startingIn: base - 1 + $0) } }
}
