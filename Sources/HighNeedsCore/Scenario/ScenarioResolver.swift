import Foundation

/// Derives the `Scenario` the engine runs from its parsed `ScenarioInputs`: a pure function,
/// with no file access.
///
/// It applies the trends to population and incidence, compounds the HNB allocation, normalises
/// overflow shares, builds the levers (at a goal seek's strength), and checks what a derivation
/// can break (a trend taking a rate above 1, shares that do not sum to 1, an incidence factor
/// too large for the rates), each error at the place the inputs were written. Each number as
/// written was checked by the parser; a draw's value lies in the same range (its distribution's
/// support was checked there), so it is not checked again.
public enum ScenarioResolver {
  /// The scenario of `inputs`.
  public static func resolve(_ inputs: ScenarioInputs) throws -> Scenario {
    let s = inputs
    let P = s.taxonomy.placements.count
    let H = s.horizonYears
    let axes = ScenarioAxes(taxonomy: s.taxonomy, base: s.baseCensusYear, horizon: H)
    var alerts = s.alerts
    func alert(_ location: String, _ message: String) { alerts.append(Alert(location: location, message: message)) }

    // Caseload: trends, and the new-plan mix where incidence is positive.
    let population = try grown(s.caseload.population, axes: axes, thresholds: s.thresholds, alert: alert)
    // With a pipeline, `incidence` is its no-lag product `requests · (1 − refusals) · conversions`
    // (for the alerts and checks that read a rate); the projection uses the pipeline itself.
    var pipeline: AssessmentPipeline?
    let incidence: [[Double]]
    if let p = s.caseload.pipeline {
      let requests = try grown(p.requests, axes: axes, thresholds: s.thresholds, alert: alert)
      let refusals = try grown(p.refusals, axes: axes, thresholds: s.thresholds, alert: alert)
      let conversions = try grown(p.conversions, axes: axes, thresholds: s.thresholds, alert: alert)
      // `grown` gives every projected year (a profile is repeated, with its trend).
      let assessment = AssessmentPipeline(
        requestRate: requests, refusalRate: refusals, conversionRate: conversions, lagShare: p.lagShare.value)
      var product = requests
      for t in 0..<H {
        for a in 0..<AgeAxis.count {
          let assessed: Double = requests[t][a] * (1 - refusals[t][a])
          product[t][a] = assessed * conversions[t][a]
        }
      }
      pipeline = assessment
      incidence = product
    } else if let i = s.caseload.incidence {
      incidence = try grown(i, axes: axes, thresholds: s.thresholds, alert: alert)
    } else {
      preconditionFailure("the parser requires caseload.incidence or caseload.pipeline")
    }
    let mix = s.caseload.newPlanMix
    for age in 0..<AgeAxis.count where incidence.contains(where: { $0[age] > 0 }) {
      let total = mix[age].reduce(0, +)
      if abs(total - 1) > ScenarioInputs.rateTolerance {
        throw InputError(
          SourceLocation(file: s.caseload.newPlanMixFile), key: "share",
          expected:
            "shares at age \(age) summing to 1 (±\(ScenarioInputs.rateTolerance)), since its incidence is positive",
          found: NumberFormat.fixed(total, 9, negativeZero: .kept))
      }
    }

    // Capacity: overflow shares summing to 1, to placements that are not limited themselves.
    let places = s.capacity.places
    var overflow: [[Double]?] = Array(repeating: nil, count: P)
    for o in s.capacity.overflow {
      var shares = Array(repeating: 0.0, count: P)
      for share in o.shares { shares[share.destination] = share.share.value }
      let total = shares.reduce(0, +)
      if abs(total - 1) > ScenarioInputs.rateTolerance {
        throw InputError(
          o.location, key: o.keyPath, expected: "overflow shares summing to 1",
          found: NumberFormat.fixed(total, 9, negativeZero: .kept))
      }
      // Within the tolerance is not exactly 1: scale the shares to 1 so that overflow conserves plans.
      overflow[o.placement] = shares.map { $0 / total }
    }
    for p in 0..<P {
      guard let shares = overflow[p] else { continue }
      for q in 0..<P where shares[q] > 0 && overflow[q] != nil {
        throw InputError(
          s.capacity.overflowLocation, key: s.capacity.overflowKeyPath + "." + s.taxonomy.placements[p].id,
          expected: "overflow to placements that are not themselves capacity-limited",
          found: "'\(s.taxonomy.placements[q].id)' is limited")
      }
    }
    // Baseline occupancy above commissioned places is unusual: report it.
    let baseline = s.caseload.baseline
    for p in 0..<P where overflow[p] != nil {
      var occupied = 0.0
      for cell in stride(from: p, to: baseline.count, by: P) { occupied += baseline[cell] }
      if occupied > places[0][p] + 1e-9 {
        alert(
          s.capacity.placesFile,
          "\(s.taxonomy.placements[p].id): baseline caseload \(format(occupied)) exceeds the \(format(places[0][p])) places commissioned in \(axes.academicLabels[0])"
        )
      }
    }

    // Costs.
    let growth = s.thresholds.growth
    let placeFundingRate = s.costs.placeFundingRate.map { $0?.value ?? 0 }
    let lines = s.costs.lines.map { line in
      if line.uplift.value > growth { alert(line.keyPath, "uplift \(line.uplift.value) a year is above \(growth)") }
      return CostLine(id: line.id, label: line.label, placements: line.placements, uplift: line.uplift.value)
    }
    let central = s.costs.central.map { line in
      if line.uplift.value > growth { alert(line.keyPath, "uplift \(line.uplift.value) a year is above \(growth)") }
      return CentralLine(id: line.id, label: line.label, baseGBP: line.gbp.value, uplift: line.uplift.value)
    }

    // Income: the HNB allocation compounded by its growth.
    var hnb = [s.income.hnbAllocation.value]
    if H > 1, let g = s.income.hnbGrowth {
      for (k, rate) in g.values.enumerated() {
        if rate > growth {
          alert("income.hnb_growth_fraction_per_year", "growth \(rate) in \(g.labels[k]) is above \(growth)")
        }
        hnb.append((hnb.last ?? 0) * (1 + rate))
      }
    }
    let labels = axes.financialLabels
    for (f, value) in s.income.schoolsBlockTransferPercent.values.enumerated() where value > 0.5 {
      alert(
        "income.schools_block_transfer_percent",
        "transfer of \(value)% in \(labels[f]) is above 0.5% and needs the Secretary of State's approval")
    }
    let transfer = s.income.transferPercentSet.map { x in Array(repeating: x, count: H) }
    let income = IncomeInputs(
      hnbAllocation: hnb, deductions: s.income.deductions.values,
      importExportAdjustment: s.income.importExportAdjustment.values, schoolsBlock: s.income.schoolsBlock.values,
      schoolsBlockTransferPercent: transfer ?? s.income.schoolsBlockTransferPercent.values,
      totalDSG: s.income.totalDSG.values,
      otherLines: s.income.otherLines.map { OtherIncomeLine(id: $0.id, label: $0.label, gbp: $0.gbp.values) })

    // Reserve.
    var contributions = Array(repeating: 0.0, count: H)
    for (f, number) in s.reserve.contributions.enumerated() {
      guard let number else { continue }
      contributions[f] = number.value
      if number.value < 0 { alert(number.keyPath, "a negative contribution (money taken out of the reserve)") }
    }

    // Mitigations.
    let mitigations = try s.mitigations.map { m in
      try mitigation(
        m, taxonomy: s.taxonomy, places: places, overflow: overflow, placeFundingRate: placeFundingRate, alert: alert)
    }

    try checkIncidenceFactors(s.uncertainty, highestIncidence: incidence.joined().max() ?? 0)

    var scenario = Scenario(
      name: s.name, title: s.title, description: s.description, isBase: s.isBase,
      taxonomy: s.taxonomy, baseCensusYear: s.baseCensusYear, horizonYears: H,
      baselinePlans: baseline, population: population, incidenceRate: incidence, newPlanMix: mix,
      cessationRate: s.caseload.cessation, transition: s.caseload.transition,
      commissionedPlaces: places, overflow: overflow,
      priceBasis: s.costs.priceBasis, priceBaseAcademicYear: s.costs.baseAcademicYear,
      priceBaseFinancialYear: s.costs.baseFinancialYear, topUpInput: s.costs.topUpInput,
      placeFundingRate: placeFundingRate, placeFundingUplift: s.costs.placeFundingUplift.value,
      costLines: lines, centralLines: central, income: income,
      openingBalance: s.reserve.openingBalance.value, contributions: contributions, mitigations: mitigations,
      outturn: s.outturn, alerts: alerts.sorted(),
      uncertainty: s.uncertainty, inputs: inputs)
    scenario.censusAgeAlertYears = s.thresholds.censusAge
    scenario.pipeline = pipeline
    scenario.settlement = s.reserve.settlement
    return scenario
  }

  /// `value[t]` of a value by census year and age: as given, or the profile grown by its trend,
  /// `value[t] = profile · Π_{s=1..t} (1 + growth[s])`; checked to stay in its range.
  static func grown(
    _ y: ScenarioInputs.YearByAge, axes: ScenarioAxes, thresholds: ScenarioInputs.Thresholds,
    alert: (String, String) -> Void
  ) throws -> [[Double]] {
    if y.byYear { return y.values }
    let rates = y.growth?.values ?? Array(repeating: 0, count: axes.horizon)
    for (t, g) in rates.enumerated() where g > thresholds.growth {
      alert(y.growthKeyPath, "growth \(g) in \(axes.censusLabels[t]) is above \(thresholds.growth) a year")
    }
    var factor = 1.0
    let grown = rates.map { g in
      factor *= 1 + g
      return y.values[0].map { $0 * factor }
    }
    let column = y.column
    if y.range.upperBound <= 1, let t = grown.firstIndex(where: { $0.contains { $0 > y.range.upperBound } }) {
      throw InputError(
        y.mapLocation, key: y.growthKeyPath, expected: "a trend that keeps every \(column) within \(y.rangeText)",
        found: "a \(column) above 1 by \(axes.censusLabels[t])")
    }
    if y.range.upperBound > 1, let t = grown.firstIndex(where: { $0.contains { $0 > y.range.upperBound } }) {
      let largest = grown[t].max() ?? 0
      throw InputError(
        y.growthLocation, key: y.growthKeyPath,
        expected:
          "a trend that keeps every \(column) at most \(format(y.range.upperBound)) (residents of one age; see docs/SCENARIO.md, Bounds)",
        found: "\(format(largest)) by \(axes.censusLabels[t])")
    }
    return grown
  }

  /// The lever of `m`, at its goal-seek strength if one is set.
  static func mitigation(
    _ m: ScenarioInputs.MitigationInput, taxonomy: Taxonomy, places: [[Double]], overflow: [[Double]?],
    placeFundingRate: [Double], alert: (String, String) -> Void
  ) throws -> Mitigation {
    let x = m.amount.value
    let lever: Mitigation.Lever
    switch m.kind {
    case .scaleIncidence: lever = .scaleIncidence(factor: x)
    case .scaleCessation: lever = .scaleCessation(factor: x)
    case .scaleRequests: lever = .scaleRequests(factor: x)
    case .scaleRefusals: lever = .scaleRefusals(factor: x)
    case .scaleConversion: lever = .scaleConversion(factor: x)
    case .divertNewPlans(let needs, let cost, let years):
      lever = .divertNewPlans(needs: needs, share: x, costPerChild: cost, supportYears: years)
    case .reassessAtTransfer: lever = .reassessAtTransfer(share: x)
    case .capUplift(let line): lever = .capUplift(line: line, uplift: x, effect: 1)
    case .unitCost(let p): lever = .unitCost(placement: p, factor: x)
    case .addCapacity(let p):
      if overflow[p] == nil && placeFundingRate[p] == 0 {
        throw InputError(
          m.placementLocation, key: "\(m.keyPath).placement",
          expected: "a capacity-limited placement (with an overflow mix) or one with a place-funding rate, "
            + "so that added places change something",
          found: "'\(taxonomy.placements[p].id)', which has neither")
      }
      let fewest = places.map { $0[p] }.min() ?? 0
      if x < 0 && -x > fewest {
        alert(
          m.keyPath,
          "removes \(format(-x)) places, more than the \(format(fewest)) commissioned in some year: places stop at 0")
      }
      lever = .addCapacity(placement: p, places: x)
    case .shiftNewPlans(let from, let to): lever = .shiftNewPlans(from: from, to: to, share: x)
    case .shiftNewPlansToTarget(let from, let to): lever = .shiftNewPlansToTarget(from: from, to: to, targetShare: x)
    case .shiftPlacements(let from, let to): lever = .shiftPlacements(from: from, to: to, share: x)
    }
    let built = Mitigation(
      id: m.id, label: m.label, lever: lever, startAcademicYear: m.startAcademicYear, rampYears: m.rampYears,
      ages: m.ages, source: m.source, annualCostGBP: m.annualCost?.value ?? 0)
    return m.strength.map { GoalSeekVariable.scaled(built, by: $0) } ?? built
  }

  /// The factors of every incidence input multiply: together they must keep the highest rate a
  /// rate (new plans per resident per year, at most 1).
  static func checkIncidenceFactors(_ spec: UncertaintySpec, highestIncidence: Double) throws {
    var largest = 1.0
    for input in spec.inputs where input.target == .incidenceFactor {
      let high = input.distribution.support.upperBound
      largest *= high
      if largest * highestIncidence > 1 {
        throw InputError(
          input.distributionLocation, key: input.distributionKeyPath,
          expected:
            "incidence factors that keep every incidence rate at most 1 (the highest rate is "
            + "\(format(highestIncidence)))",
          found: "\(input.distribution.description), reaching \(format(high))"
            + (largest == high ? "" : " (\(format(largest)) with the other incidence inputs)"))
      }
    }
  }
}
