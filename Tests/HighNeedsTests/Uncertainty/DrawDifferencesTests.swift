import Foundation
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// A `Draw` holds only what differs from the sweep's scenario and parameters; its views
/// (`scenario(over:)`, `parameters(over:)`) are the whole drawn scenario and parameters, every
/// changed field computed from the draw's values as `docs/MODEL.md`, "Sweep", says.
@Suite struct DrawDifferencesTests {
  /// Every money input, a caseload factor and Dirichlet rows and mixes; no number of the file.
  static let moneyInputs = """
    uncertainty:
      inputs:
        - {id: inc, target: incidence_factor, varies: per_year, distribution: {type: lognormal, median: 1, sd_log: 0.1}}
        - {id: fees, target: top_up_factor, distribution: {type: triangular, min: 0.9, mode: 1, max: 1.2}}
        - {id: uplift, target: top_up_uplift_shock, varies: per_year, distribution: {type: normal, mean: 0, sd: 0.02}}
        - {id: grow, target: hnb_growth_shock, varies: per_year, distribution: {type: normal, mean: 0, sd: 0.03}}
      transition_concentration: 50
      new_plan_mix_concentration: 50
    """

  static func load(_ yaml: String) throws -> Scenario {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0 + "\n" + yaml }
    return try ScenarioLoader.load(path: path)
  }

  /// The drawn HNB allocation and top-ups are the scenario's times the drawn factors, year by
  /// year; every other field is the sweep's own storage (the draw holds no scenario).
  @Test func moneyDifferencesAreTheDrawnFactorsOnTheSweepsScenario() throws {
    let s = try Self.load(Self.moneyInputs)
    let model = SweepModel(s)
    let generator = Philox4x32(seed: 21)
    let H = s.horizonYears
    let P = s.placementCount
    let N = s.needCount
    let ids = s.uncertainty.inputs.map(\.id)
    guard let fees = ids.firstIndex(of: "fees"), let uplift = ids.firstIndex(of: "uplift"),
      let grow = ids.firstIndex(of: "grow"), case .topUpFactor(let placements) = s.uncertainty.inputs[fees].target
    else {
      Issue.record("the inputs are not those written")
      return
    }
    #expect(!placements.isEmpty)
    for index in 0..<20 {
      let draw = try model.draw(index, generator: generator)
      #expect(draw.resolved == nil)
      #expect(draw.projection == nil)
      let values = Draw.inputValues(s.uncertainty, horizon: H, generator: generator, draw: index)
      let scenario = draw.scenario(over: s)
      let parameters = draw.parameters(over: model.parameters)
      // The HNB allocation: the first year as written, then compounded by the drawn shocks.
      var index = 1.0
      var allocation = [s.income.hnbAllocation[0]]
      for f in 1..<H {
        index *= 1 + values[grow][f]
        allocation.append(s.income.hnbAllocation[f] * index)
      }
      #expect(scenario.income.hnbAllocation == allocation)
      #expect(draw.hnbAllocation == allocation)
      // Top-ups: the placements named, times the factor and the compounded uplift shocks.
      let base = model.parameters.topUp
      #expect(parameters.topUp.count == base.count)
      var uplifted = 1.0
      for t in 0...H {
        if t > 0 { uplifted *= 1 + values[uplift][t - 1] }
        for n in 0..<N {
          for p in 0..<P {
            let j = n * P + p
            let expected = placements.contains(p) ? base[t][j] * values[fees][0] * uplifted : base[t][j]
            #expect(parameters.topUp[t][j] == expected, "census \(t), cell \(j)")
          }
        }
      }
      // Nothing else differs from the sweep's.
      #expect(scenario.income.deductions == s.income.deductions)
      #expect(scenario.openingBalance == s.openingBalance)
      #expect(scenario.transition == s.transition)
      #expect(parameters.survival == model.parameters.survival)
      #expect(parameters.places == model.parameters.places)
      #expect(parameters.placeFundingRate == model.parameters.placeFundingRate)
      // The caseload's draw: the incidence factors are the drawn values, the rows and mixes drawn.
      #expect(draw.caseload.incidenceFactor == values[ids.firstIndex(of: "inc") ?? 0])
      #expect(draw.caseload.transitionValues != nil && draw.caseload.newPlanMixValues != nil)
    }
  }

  /// A draw that draws nothing that moves money holds no copy of the allocation or top-ups.
  @Test func aDrawWithoutMoneyInputsHoldsNoMoney() throws {
    let s = try Self.load(
      """
      uncertainty:
        inputs:
          - {id: inc, target: incidence_factor, distribution: {type: lognormal, median: 1, sd_log: 0.1}}
      """)
    let model = SweepModel(s)
    let draw = try model.draw(3, generator: Philox4x32(seed: 1))
    #expect(draw.resolved == nil && draw.hnbAllocation == nil && draw.topUp == nil)
    #expect(draw.scenario(over: s).income.hnbAllocation == s.income.hnbAllocation)
    #expect(draw.parameters(over: model.parameters).topUp == model.parameters.topUp)
  }

  /// With numbers of the file drawn, the draw's scenario is the file resolved again with the
  /// drawn values (`Draw.resolve`), with the draw's money inputs applied on top of it.
  @Test func drawnNumbersResolveAndTheMoneyAppliesOnTop() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") { text in
      ScenarioNumberTests.uncertainEdits.reduce(text) { text, edit in
        precondition(text.contains(edit.0), "the tiny fixture no longer has '\(edit.0)'")
        return text.replacingOccurrences(of: edit.0, with: edit.1)
      } + "\n" + Self.moneyInputs
    }
    let s = try ScenarioLoader.load(path: path)
    let ids = s.uncertainty.inputs.map(\.id)
    guard let grow = ids.firstIndex(of: "grow") else {
      Issue.record("no hnb_growth_shock input among \(ids)")
      return
    }
    #expect(s.uncertainty.inputs.contains { $0.setsNumbers })
    let model = SweepModel(s)
    let generator = Philox4x32(seed: 4)
    let H = s.horizonYears
    for index in 0..<6 {
      let draw = try model.draw(index, generator: generator)
      let values = Draw.inputValues(s.uncertainty, horizon: H, generator: generator, draw: index)
      let resolved = try Draw.resolve(s, values: values)
      guard let held = draw.resolved else {
        Issue.record("draw \(index) has no resolved scenario")
        continue
      }
      let scenario = draw.scenario(over: s)
      #expect(scenario.openingBalance == resolved.openingBalance)
      #expect(held.scenario.openingBalance == resolved.openingBalance)
      #expect(scenario.incidenceRate == resolved.incidenceRate)
      var growth = 1.0
      var allocation = [resolved.income.hnbAllocation[0]]
      for f in 1..<H {
        growth *= 1 + values[grow][f]
        allocation.append(resolved.income.hnbAllocation[f] * growth)
      }
      #expect(scenario.income.hnbAllocation == allocation)
      let parameters = draw.parameters(over: model.parameters)
      let expected = ModelParameters(scenario: resolved, mitigationMask: (1 << resolved.mitigations.count) - 1)
      #expect(parameters.newPlans == expected.newPlans)
      #expect(parameters.survival == expected.survival)
      #expect(parameters.topUp.count == expected.topUp.count)
    }
  }
}
