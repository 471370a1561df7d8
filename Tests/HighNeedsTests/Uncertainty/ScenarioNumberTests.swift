import Foundation
import Numerics
import TestSupport
import Testing

@testable import HighNeeds
@testable import HighNeedsCore

/// Numbers written in a scenario file with a `distribution:` (any number of the file, not only
/// the `uncertainty:` targets): each draw of a sweep must be exactly the deterministic run of
/// the file with the drawn value written in.
@Suite struct ScenarioNumberTests {
  static let opening = "opening_balance_gbp: -200000"
  static let growth = "hnb_growth_fraction_per_year: 0.02"
  static let incidenceFile = "  incidence: incidence.csv"

  static func load(_ edits: [(String, String)]) throws -> Scenario {
    try loadWithSource(edits).scenario
  }

  /// The tiny scenario with `edits` made, with where it came from.
  static func loadWithSource(_ edits: [(String, String)]) throws -> LoadedScenario {
    let path = try Fixtures.editedTiny("tiny.yaml") { text in
      edits.reduce(text) { text, edit in
        precondition(text.contains(edit.0), "the tiny fixture no longer has '\(edit.0)'")
        return text.replacingOccurrences(of: edit.0, with: edit.1)
      }
    }
    return try ScenarioLoader.loadWithSource(path: path)
  }

  /// The three uncertain numbers of these tests: a finance number drawn once, a series drawn
  /// per year, and a caseload number (the incidence trend) that changes the projection.
  static let uncertainEdits = [
    (opening, "opening_balance_gbp: {value: -200000, distribution: {type: normal, mean: -200000, sd: 80000}}"),
    (
      growth,
      "hnb_growth_fraction_per_year: {value: 0.02, varies: per_year, distribution: {type: uniform, min: -0.02, max: 0.06}}"
    ),
    (
      incidenceFile,
      incidenceFile
        + "\n  incidence_trend_fraction_per_year: {value: 0, distribution: {type: triangular, min: -0.2, mode: 0, max: 0.3}}"
    ),
  ]

  @Test func numbersWithADistributionBecomeUncertainInputsNamedByKeyPath() throws {
    let loaded = try Self.loadWithSource(Self.uncertainEdits)
    let s = loaded.scenario
    #expect(
      s.uncertainty.inputs.map(\.id) == [
        "caseload.incidence_trend_fraction_per_year", "income.hnb_growth_fraction_per_year",
        "reserve.opening_balance_gbp",
      ])
    #expect(s.uncertainty.inputs.map(\.perYear) == [false, true, false])
    // The deterministic run uses the values written.
    #expect(s.openingBalance == -200_000)
    #expect(s.income.hnbAllocation[1] == 1_500_000 * 1.02)
    // The assumptions log says what a sweep draws.
    let note = loaded.source.assumptions.first { $0.key == "reserve.opening_balance_gbp" }?.note
    #expect(note == "drawn by hnb sweep from normal(mean -200000, sd 80000)")
  }

  @Test func eachDrawIsTheDeterministicRunOfTheFileWithItsDrawnValuesWritten() throws {
    let s = try Self.load(Self.uncertainEdits)
    let seed: UInt64 = 5
    let rows = try Sweep.run(s, seed: seed, draws: 6, batches: 0..<1)
    let H = s.horizonYears
    var projectedAlone = 0
    for d in 0..<rows.count {
      let values = Draw.inputValues(s.uncertainty, horizon: H, generator: Philox4x32(seed: seed), draw: d)
      var overrides: [String: Double] = [:]
      for (i, input) in s.uncertainty.inputs.enumerated() {
        for (key, value) in input.drawnNumbers(values[i]) { overrides[key] = value }
      }
      let growthLabels = overrides.keys.filter { $0.hasPrefix("income.hnb_growth_fraction_per_year.") }.sorted()
      #expect(growthLabels.count == H - 1)
      let yearly = growthLabels.map { "\($0.split(separator: ".").last!): \(overrides[$0]!)" }
      let written = try Self.load([
        (Self.opening, "opening_balance_gbp: \(overrides["reserve.opening_balance_gbp"]!)"),
        (Self.growth, "hnb_growth_fraction_per_year: {\(yearly.joined(separator: ", "))}"),
        (
          Self.incidenceFile,
          Self.incidenceFile
            + "\n  incidence_trend_fraction_per_year: \(overrides["caseload.incidence_trend_fraction_per_year"]!)"
        ),
      ])
      let run = try ScenarioRun.run(written)
      // The batched projection adds in another order: equal to 1e-9 relative.
      func same(_ a: Double, _ b: Double) -> Bool {
        a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-3) || a.isApproximatelyEqual(to: b, relativeTolerance: 1e-9)
      }
      for f in 0..<H {
        #expect(same(rows[d][SweepMetric.totalPlans.index * H + f], run.kpis[f].totalPlans))
        #expect(same(rows[d][SweepMetric.income.index * H + f], run.accounts[f].income))
        #expect(same(rows[d][SweepMetric.cumulativeBalance.index * H + f], run.reserve[f].closing))
      }
      if try SweepModel(s).draw(d, generator: Philox4x32(seed: seed)).projection != nil { projectedAlone += 1 }
    }
    // A drawn incidence trend changes the caseload, so every draw ran on its own projection.
    #expect(projectedAlone == rows.count)
    // The draws differ.
    #expect(Set(rows.map { $0[SweepMetric.cumulativeBalance.index * H + H - 1] }).count == rows.count)
  }

  @Test func financeOnlyNumbersShareTheSweepsProjection() throws {
    let s = try Self.load(Array(Self.uncertainEdits.prefix(2)))
    let model = SweepModel(s)
    for d in 0..<4 { #expect(try model.draw(d, generator: Philox4x32(seed: 1)).projection == nil) }
  }

  @Test func zeroSpreadNumbersReproduceTheDeterministicRun() throws {
    let s = try Self.load([
      (Self.opening, "opening_balance_gbp: {value: -200000, distribution: {type: uniform, min: -200000, max: -200000}}")
    ])
    let run = try ScenarioRun.run(s)
    let rows = try Sweep.run(s, seed: 2, draws: 3, batches: 0..<1)
    let H = s.horizonYears
    let balance = SweepMetric.cumulativeBalance.index
    for row in rows {
      for f in 0..<H {
        #expect(row[balance * H + f].isApproximatelyEqual(to: run.reserve[f].closing, absoluteTolerance: 1e-6))
      }
    }
  }

  @Test func numbersCanBeRankCorrelatedWithOtherInputs() throws {
    var edits = Array(Self.uncertainEdits.prefix(1))
    edits.append(
      (
        "reserve:",
        """
        uncertainty:
          inputs:
            - {id: fees, target: top_up_factor, distribution: {type: normal, mean: 1, sd: 0.05}}
          rank_correlation:
            - {between: [fees, reserve.opening_balance_gbp], rho: -0.9}
        reserve:
        """
      ))
    let s = try Self.load(edits)
    #expect(s.uncertainty.inputs.map(\.id) == ["fees", "reserve.opening_balance_gbp"])
    let values = (0..<400).map {
      Draw.inputValues(s.uncertainty, horizon: s.horizonYears, generator: Philox4x32(seed: 9), draw: $0)
    }
    func ranks(_ x: [Double]) -> [Double] {
      let order = x.indices.sorted { x[$0] < x[$1] }
      var r = Array(repeating: 0.0, count: x.count)
      for (rank, i) in order.enumerated() { r[i] = Double(rank) }
      return r
    }
    let a = ranks(values.map { $0[0][0] })
    let b = ranks(values.map { $0[1][0] })
    let mean = Double(a.count - 1) / 2
    let covariance = zip(a, b).map { ($0 - mean) * ($1 - mean) }.reduce(0, +)
    let variance = a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
    // Spearman's rho of 400 draws: within about 0.05 of -0.9.
    #expect(abs(covariance / variance + 0.9) < 0.05)
  }

  /// A goal seek sets the transfer in the scenario's inputs, so a draw that resolves them again
  /// keeps it (even when the transfer itself is written with a distribution).
  @Test func goalSeekChangesAreKeptWhenADrawResolvesTheInputsAgain() throws {
    let s = try Self.load(Array(Self.uncertainEdits.prefix(1)))
    let H = s.horizonYears
    let adjusted = try GoalSeekVariable.transferPercent.applied(0.3, to: s)
    #expect(adjusted.income.schoolsBlockTransferPercent == Array(repeating: 0.3, count: H))
    let drawn = try Draw.resolve(adjusted, values: [Array(repeating: -1, count: H)])
    #expect(drawn.openingBalance == -1)
    #expect(drawn.income.schoolsBlockTransferPercent == Array(repeating: 0.3, count: H))
    let transfer = try Self.load([
      (
        "schools_block_transfer_percent: 0.5",
        "schools_block_transfer_percent: {value: 0.5, distribution: {type: uniform, min: 0, max: 1}}"
      )
    ])
    #expect(transfer.uncertainty.inputs.map(\.id) == ["income.schools_block_transfer_percent"])
    let drawnTransfer = try Draw.resolve(transfer, values: [Array(repeating: 0.7, count: H)])
    #expect(drawnTransfer.income.schoolsBlockTransferPercent == Array(repeating: 0.7, count: H))
    let seeking = try GoalSeekVariable.transferPercent.applied(0.2, to: transfer)
    let seekingDrawn = try Draw.resolve(seeking, values: [Array(repeating: 0.7, count: H)])
    #expect(seekingDrawn.income.schoolsBlockTransferPercent == Array(repeating: 0.2, count: H))
  }

  /// A mitigation's goal-seek strength is an input too: a draw of its own numbers resolves the
  /// lever at that strength.
  @Test func aMitigationsStrengthIsKeptWhenItsDrawnNumbersAreResolved() throws {
    let s = try Self.load([
      (
        "    2026-27: 50000",
        "    2026-27: 50000\nmitigations:\n  - {id: early, lever: scale_incidence, factor: 0.8, start: 2025/26, ramp_years: 1}"
      )
    ])
    let i = try #require(s.inputs.mitigations.firstIndex { $0.kind == .scaleIncidence })
    var inputs = s.inputs
    inputs.mitigations[i].strength = 0.5
    let halfway = try ScenarioResolver.resolve(inputs)
    #expect(
      halfway.mitigations[i].lever == GoalSeekVariable.scaled(s.mitigations[i], by: 0.5).lever
        && halfway.mitigations[i].lever != s.mitigations[i].lever)
    inputs.mitigations[i].amount.value = 0.6
    let drawn = try ScenarioResolver.resolve(inputs)
    #expect(drawn.mitigations[i].lever == .scaleIncidence(factor: 1 + 0.5 * (0.6 - 1)))
  }

  /// A drawn value the inputs refuse is an error naming the draw's values.
  @Test func aDrawTheInputsRefuseNamesTheDrawnValues() throws {
    let s = try Self.load([Self.uncertainEdits[2]])
    let H = s.horizonYears
    let message = thrownMessage { _ = try Draw.resolve(s, values: [Array(repeating: 9, count: H)]) }
    #expect(
      message?.hasSuffix(
        "tiny.yaml:13:3: caseload.incidence_trend_fraction_per_year: expected a trend that keeps every rate within "
          + "a rate in [0, 1] (new plans per resident per year); found a rate above 1 by 2028 "
          + "(with the drawn values caseload.incidence_trend_fraction_per_year = 9)") == true,
      "\(message ?? "")")
  }

  @Test(arguments: [
    (
      "opening_balance_gbp: {value: -200000, distribution: {type: normal, mean: 0, sd: 2e10}}",
      "tiny.yaml:44:55: reserve.opening_balance_gbp.distribution: expected a distribution whose draws are all an amount within ±£100bn; found one from -1.407e+11 to 1.407e+11"
    ),
    (
      "opening_balance_gbp: {value: -200000, varies: per_year, distribution: {type: normal, mean: 0, sd: 1}}",
      "tiny.yaml:44:49: reserve.opening_balance_gbp.varies: expected once (only a series, a value that may change by year, can vary per_year); found per_year"
    ),
    (
      "opening_balance_gbp: {value: -200000, varies: sometimes, distribution: {type: normal, mean: 0, sd: 1}}",
      "tiny.yaml:44:49: reserve.opening_balance_gbp.varies: expected once or per_year; found 'sometimes'"
    ),
    (
      "opening_balance_gbp: {value: -200000, distribution: {type: normal, mean: {value: 0, distribution: {type: uniform, min: -1, max: 1}}, sd: 1}}",
      "reserve.opening_balance_gbp.distribution.mean.distribution: expected a plain number (a distribution's parameters may not have distributions); found a distribution"
    ),
    (
      "opening_balance_gbp: {value: -200000, varies: once}",
      "tiny.yaml:44:41: reserve.opening_balance_gbp.varies: expected one of: assumption, distribution, note, source, status, unit, value (did you mean 'value'?); found unknown key 'varies'"
    ),
  ])
  func badDistributionsOnNumbersAreRefused(written: String, message: String) throws {
    let path = try Fixtures.editedTiny("tiny.yaml") { $0.replacingOccurrences(of: Self.opening, with: written) }
    let error = try #require(Fixtures.loadError(path))
    #expect(error.hasSuffix(message), "\(error)")
  }

  @Test func distributionsAreRefusedInsideTheUncertaintySection() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0
        + """

        uncertainty:
          transition_concentration: {value: 50, distribution: {type: uniform, min: 10, max: 100}}
        """
    }
    let error = try #require(Fixtures.loadError(path))
    #expect(
      error.hasSuffix(
        "uncertainty.transition_concentration.distribution: expected a plain number (a distribution may not be given in uncertainty); found a distribution"
      ), "\(error)")
  }
}
