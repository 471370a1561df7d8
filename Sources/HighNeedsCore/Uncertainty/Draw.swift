import Foundation

/// One draw of a sweep: what the scenario's uncertain inputs, sampled for draw `index`, change.
///
/// Everything here is a function of `(seed, index)` alone: each input reads its own Philox
/// stream (named by a hash of its id), each transition row and each age's new-plan mix another.
/// A draw holds only what differs from the sweep's shared scenario and parameters (`SweepModel`):
/// what moves the caseload is kept compact (`caseload`, applied inside `BatchProjection`); what
/// moves money is the draw's own HNB allocation and top-ups, when an input changes them; and,
/// when numbers of the scenario file are drawn, the scenario they resolve to. `scenario(over:)`
/// and `parameters(over:)` give the whole drawn scenario and parameters.
public struct Draw: Sendable {
  /// The scenario resolved again with this draw's drawn numbers of the file, and its
  /// parameters with all mitigations on; nil when the draw draws none (it shares the sweep's).
  public var resolved: (scenario: Scenario, parameters: ModelParameters)?
  /// This draw's HNB allocation by financial year (`IncomeInputs.hnbAllocation`), when an
  /// `hnb_growth_shock` input moves it; nil: its scenario's.
  public var hnbAllocation: [Double]?
  /// This draw's top-ups, `topUp[t][need · P + p]` (`ModelParameters.topUp`), when a top-up
  /// input moves them; nil: its parameters'.
  public var topUp: [[Double]]?
  /// This draw's incidence and cessation factors and its Dirichlet transition rows and mix.
  public var caseload: CaseloadDraw
  /// The projection of this draw alone, when its drawn scenario numbers change the caseload
  /// inputs (population, rates, places, levers); nil when it shares the sweep's projection.
  public var projection: BatchProjection?

  /// The whole scenario of this draw: `base` (the sweep's), or the draw's resolved scenario,
  /// with the draw's HNB allocation.
  public func scenario(over base: Scenario) -> Scenario {
    var s = resolved?.scenario ?? base
    if let hnbAllocation { s.income.hnbAllocation = hnbAllocation }
    return s
  }

  /// The whole parameters of this draw: `mitigated` (the sweep's, every mitigation on), or the
  /// draw's resolved parameters, with the draw's top-ups.
  public func parameters(over mitigated: ModelParameters) -> ModelParameters {
    var m = resolved?.parameters ?? mitigated
    if let topUp { m.topUp = topUp }
    return m
  }

  /// Stream of uncertain input `id`: FNV-1a of the id, below `2³⁰`.
  static func stream(for id: String) -> UInt32 {
    var h: UInt32 = 0x811c_9dc5
    for byte in id.utf8 { h = (h ^ UInt32(byte)) &* 0x0100_0193 }
    return h & 0x3FFF_FFFF
  }

  /// `values[i][y]`: input `i`'s value in year slot `y` (`y = 0…H−1`; `once` inputs repeat).
  ///
  /// Uncorrelated inputs take `F⁻¹(u)` from their stream's `y`-th uniform; correlated ones
  /// (any non-zero rank correlation) go through the Gaussian copula (see `Copula`).
  public static func inputValues(_ spec: UncertaintySpec, horizon H: Int, generator: Philox4x32, draw: Int)
    -> [[Double]]
  {
    InputSampler(spec).values(horizon: H, generator: generator, draw: draw)
  }

  /// Builds draw `index` of `base` under `generator`; `mitigated` is `base`'s parameters with
  /// all its mitigations on (shared by every draw, so built once).
  ///
  /// Numbers of the scenario file written with a distribution are drawn first: each sets its
  /// slot in a copy of `base.inputs`, which is resolved again (`ScenarioResolver.resolve`), and
  /// when that changes the caseload inputs the draw gets a projection of its own. A sweep of
  /// zero-variance inputs reproduces the deterministic run (to rounding: the batched projection
  /// adds in another order and applies the cessation factor always).
  ///
  /// `rowsIndex` and `mixIndex`, when given, take the Dirichlet transition rows and new-plan
  /// mixes from another draw's streams (a Sobol analysis varies them as factors of their own).
  ///
  /// `dirichlet` holds the Dirichlet samplers prepared once for `base` and `sampler` its
  /// inputs' sampler (each built here if nil).
  public init(
    base: borrowing Scenario, mitigated: borrowing ModelParameters, generator: Philox4x32, index: Int,
    rowsIndex: Int? = nil,
    mixIndex: Int? = nil, dirichlet: DirichletPlans? = nil, sampler: InputSampler? = nil
  ) throws {
    let P = base.placementCount
    let N = base.needCount
    let H = base.horizonYears
    let sampler = sampler ?? InputSampler(base.uncertainty)
    let values = sampler.values(horizon: H, generator: generator, draw: index)
    if sampler.setsNumbers {
      let s = try Self.resolve(base, values: values)
      var m = ModelParameters(scenario: s, mitigationMask: (1 << s.mitigations.count) - 1)
      if Self.sameCaseload(base, mitigated, s, m) {
        // Share the caseload arrays' storage with every other draw.
        m.survival = mitigated.survival
        m.transition = mitigated.transition
        m.newPlans = mitigated.newPlans
        m.newPlanCount = mitigated.newPlanCount
        m.places = mitigated.places
      } else {
        projection = BatchProjection(scenario: s, parameters: m)
      }
      resolved = (s, m)
    }
    var caseload = CaseloadDraw(horizon: H)
    // The samplers are prepared once for the sweep's scenario; a drawn scenario with other
    // rows or mixes has its own.
    var plans: DirichletPlans
    if let dirichlet { plans = dirichlet } else { plans = DirichletPlans(copy base) }
    if let s = resolved?.scenario, s.transition != base.transition || s.newPlanMix != base.newPlanMix {
      plans = DirichletPlans(s)
    }
    if let rows = plans.rows {
      // Each row's positive shares in turn: the matrices' non-zeros in row-major order.
      caseload.transitionValues = rows.draw(generator, draw: rowsIndex ?? index)
    }
    if let mixes = plans.mix {
      // Each age's positive shares in turn: the mix's non-zero cells in order.
      caseload.newPlanMixValues = mixes.draw(generator, draw: mixIndex ?? index)
    }
    // The money inputs change the HNB allocation and top-ups (copied on their first change).
    var topUp = resolved?.parameters.topUp ?? mitigated.topUp
    var hnbAllocation = resolved?.scenario.income.hnbAllocation ?? base.income.hnbAllocation
    var (topUpDrawn, hnbAllocationDrawn) = (false, false)
    // The inputs' targets are read in place, not copied with the rest of each input.
    for i in base.uncertainty.inputs.indices {
      let v = values[i]
      switch base.uncertainty.inputs[i].target {
      case .incidenceFactor:
        for t in 0..<H { caseload.incidenceFactor[t] *= v[t] }
      case .cessationFactor:
        for t in 0..<H { caseload.cessationFactor[t] *= v[t] }
      case .topUpFactor(let placements):
        guard v[0] != 1 else { continue }
        topUpDrawn = true
        for t in 0...H { Self.scale(&topUp[t], placements: placements, placementCount: P, needs: N, by: v[0]) }
      case .topUpUpliftShock(let placements):
        var index = 1.0
        for t in 1...H {
          index *= 1 + v[t - 1]
          guard index != 1 else { continue }
          topUpDrawn = true
          Self.scale(&topUp[t], placements: placements, placementCount: P, needs: N, by: index)
        }
      case .hnbGrowthShock:
        var index = 1.0
        for f in 1..<max(1, H) {
          index *= 1 + v[f]
          guard index != 1 else { continue }
          hnbAllocationDrawn = true
          hnbAllocation[f] *= index
        }
      case .scenarioNumber: break  // drawn into the resolved scenario above
      }
    }
    self.topUp = topUpDrawn ? topUp : nil
    self.hnbAllocation = hnbAllocationDrawn ? hnbAllocation : nil
    self.caseload = caseload
  }

  /// Multiplies the cells `n · P + p` of `row` of the placements given by `factor`, in place
  /// (through a buffer: an element-by-element update of a nested array checks the row's
  /// uniqueness and stores it back for every cell).
  static func scale(_ row: inout [Double], placements: [Int], placementCount P: Int, needs N: Int, by factor: Double) {
    row.withUnsafeMutableBufferPointer { cells in
      for p in placements { for n in 0..<N { cells[n * P + p] *= factor } }
    }
  }

  /// `base` resolved again with its numbers written with a distribution set to the drawn
  /// `values` (by input and year slot); a value the inputs refuse (a trend that pushes a rate
  /// above 1, say) is an input error naming the draw's values.
  static func resolve(_ base: Scenario, values: [[Double]]) throws -> Scenario {
    var inputs = base.inputs
    for (i, input) in base.uncertainty.inputs.enumerated() {
      if case .scenarioNumber(let slot, _) = input.target { slot.set(values[i], in: &inputs) }
    }
    var s: Scenario
    do {
      s = try ScenarioResolver.resolve(inputs)
    } catch var error as InputError {
      let drawn = base.uncertainty.inputs.enumerated().flatMap { $1.drawnNumbers(values[$0]) }
        .sorted { $0.key < $1.key }.map { "\($0.key) = \(format($0.value))" }
      let draws = "with the drawn values \(drawn.joined(separator: ", "))"
      error.note = error.note.map { "\($0); \(draws)" } ?? draws
      throw error
    }
    s.uncertainty = base.uncertainty
    s.censusAgeAlertYears = base.censusAgeAlertYears
    return s
  }

  /// True when the resolved scenario `s` (parameters `m`) projects the same caseload as `base`
  /// (`mitigated`): the same baseline, rates, places, overflow and lever timing and strengths.
  static func sameCaseload(_ base: Scenario, _ mitigated: ModelParameters, _ s: Scenario, _ m: ModelParameters) -> Bool
  {
    s.baselinePlans == base.baselinePlans && s.transition == base.transition && s.newPlanMix == base.newPlanMix
      && s.overflow == base.overflow && s.mitigations.count == base.mitigations.count
      && zip(s.mitigations, base.mitigations).allSatisfy {
        $0.lever == $1.lever && $0.startAcademicYear == $1.startAcademicYear && $0.rampYears == $1.rampYears
          && $0.ages == $1.ages
      }
      && m.survival == mitigated.survival && m.transition == mitigated.transition && m.newPlans == mitigated.newPlans
      && m.newPlanCount == mitigated.newPlanCount && m.places == mitigated.places
  }
}

/// The Dirichlet samplers of a scenario's transition rows and new-plan mixes, prepared once for
/// every draw of a sweep (see `DirichletPlan`).
public struct DirichletPlans: Sendable {
  /// The rows `p` of every age's matrix, age by age, when the scenario draws transitions
  /// (stream `2³⁰ + a · P + p`).
  let rows: DirichletSet?
  /// Every age's mix, when the scenario draws new-plan mixes (stream `2³¹ + a`).
  let mix: DirichletSet?

  /// The samplers of `s`'s `uncertainty` section.
  public init(_ s: Scenario) {
    let P = s.placementCount
    rows = s.uncertainty.transitionConcentration.map { kappa in
      DirichletSet(
        s.transition.enumerated().flatMap { a, matrix in
          (0..<P).map { p in
            (
              DirichletPlan(mean: matrix[(p * P)..<((p + 1) * P)], concentration: kappa),
              0x4000_0000 | UInt32(a * P + p)
            )
          }
        })
    }
    mix = s.uncertainty.newPlanMixConcentration.map { kappa in
      DirichletSet(
        s.newPlanMix.enumerated().map { a, mix in
          (DirichletPlan(mean: mix[...], concentration: kappa), 0x8000_0000 | UInt32(a))
        })
    }
  }
}

/// Dirichlet samplers drawn together, each from its own stream of a draw: a scenario's
/// transition rows, or its new-plan mixes.
///
/// A class: every draw reads the sweep's one set, taking a reference rather than copying (and
/// retaining) each of its arrays.
final class DirichletSet: Sendable {
  let plans: [DirichletPlan]
  /// `streams[i]`: the stream of `plans[i]`.
  let streams: [UInt32]
  /// The positive shares of all the plans.
  let shares: Int
  /// The counters' last two words of every plan's first blocks, for the plans of more than one
  /// share in turn: `blockStreams[k]` the plan's stream, `blockIndices[k]` the block's index in
  /// it (0 up to the plan's share count).
  let blockStreams: [UInt32]
  let blockIndices: [UInt32]
  /// The gammas of the plans of more than one share in turn, one a block.
  let gammas: GammaConstants
  /// The plans of more than one share (drawn), in turn: `drawnFirst[p]` their first gamma and
  /// block, `drawnCount[p]` their shares, `drawnOffset[p]` where their shares go in a draw's
  /// values, `drawnStreams[p]` their stream.
  let drawnFirst: [Int]
  let drawnCount: [Int]
  let drawnOffset: [Int]
  let drawnStreams: [UInt32]
  /// Where the plans of one share put theirs in a draw's values.
  let singleOffsets: [Int]

  init(_ plans: [(plan: DirichletPlan, stream: UInt32)]) {
    self.plans = plans.map(\.plan)
    streams = plans.map(\.stream)
    shares = plans.reduce(0) { $0 + $1.plan.count }
    let drawn = plans.filter { $0.plan.count > 1 }
    blockStreams = drawn.flatMap { Array(repeating: $0.stream, count: $0.plan.count) }
    blockIndices = drawn.flatMap { (0..<UInt32($0.plan.count)).map { $0 } }
    gammas = GammaConstants(concatenating: drawn.map(\.plan.gammas))
    var (first, count, offset, drawnStreams, singles) = ([Int](), [Int](), [Int](), [UInt32](), [Int]())
    var (at, block) = (0, 0)
    for (plan, stream) in plans {
      if plan.count == 1 { singles.append(at) }
      if plan.count > 1 {
        first.append(block)
        count.append(plan.count)
        offset.append(at)
        drawnStreams.append(stream)
        block += plan.count
      }
      at += plan.count
    }
    (drawnFirst, drawnCount, drawnOffset, self.drawnStreams, singleOffsets) = (
      first, count, offset, drawnStreams, singles
    )
  }

  /// Each plan's positive shares in turn, drawn from the streams of draw `draw`.
  ///
  /// A plan with one positive share draws it as G / G = 1 exactly (or, should G underflow,
  /// shape / shape = 1), whatever its stream gives: its gamma is skipped. The other plans' first
  /// blocks (a plan of `K` shares takes its stream's first `K`) are computed together, across
  /// the streams (`Philox4x32.blocks`), then their gammas' first candidates and boosts
  /// (`GammaConstants.withFirstCandidates`), then each plan's rejected candidates from its own
  /// stream, then every plan's shares (`FirstCandidates.shares`): the same blocks as each plan's
  /// own `RandomStream.fill`, and the same numbers as `DirichletPlan.draw`.
  func draw(_ generator: Philox4x32, draw: Int) -> [Double] {
    guard shares > 0 else { return [] }
    var values = [Double](repeating: 0, count: shares)
    let (low, high) = (UInt32(truncatingIfNeeded: UInt64(draw)), UInt32(truncatingIfNeeded: UInt64(draw) >> 32))
    // The plans are read in place (through buffers), not copied out of their arrays.
    withUnsafeTemporaryAllocation(of: RandomStream.Block.self, capacity: max(1, blockStreams.count)) { buffer in
      let blocks = UnsafeBufferPointer(rebasing: buffer[0..<blockStreams.count])
      blockStreams.withUnsafeBufferPointer { c2 in
        blockIndices.withUnsafeBufferPointer { c3 in
          generator.blocks(
            low, high, streams: c2, indices: c3,
            into: UnsafeMutableBufferPointer(rebasing: buffer[0..<blockStreams.count]))
        }
      }
      gammas.withFirstCandidates(blocks: blocks) { gammas in
        values.withUnsafeMutableBufferPointer { out in
          for p in drawnFirst.indices {
            let range = drawnFirst[p]..<(drawnFirst[p] + drawnCount[p])
            guard gammas.anyRejected(range) else { continue }
            var stream = RandomStream(generator, draw: draw, stream: drawnStreams[p], index: UInt32(drawnCount[p]))
            gammas.completeRejected(range, blocks: blocks, &stream)
          }
          drawnFirst.withUnsafeBufferPointer { first in
            drawnCount.withUnsafeBufferPointer { count in
              drawnOffset.withUnsafeBufferPointer { offset in
                gammas.shares(first: first, count: count, offset: offset, into: out)
              }
            }
          }
          for at in singleOffsets { out[at] = 1 }
        }
      }
    }
    return values
  }
}

/// What drawing a scenario's uncertain scalar inputs needs that depends only on its
/// `uncertainty` section, prepared once for every draw of a sweep: each input's stream and
/// distribution, which inputs the copula correlates and its Cholesky factor.
public struct InputSampler: Sendable {
  /// `streams[i]`: input `i`'s stream (`Draw.stream(for:)` of its id).
  let streams: [UInt32]
  let perYear: [Bool]
  let distributions: [Distribution]
  /// The inputs with a non-zero rank correlation with another, in order.
  let correlated: [Int]
  /// The Cholesky factor of the Pearson matrix of the rank correlations; nil when no input is
  /// correlated (or the matrix is not positive definite, when none is moved).
  let factor: [[Double]]?
  /// `needed[j]`: whether any correlated input's row of `factor` has a non-zero at `j`, so that
  /// input `j`'s normal deviate enters a correlated one.
  let needed: [Bool]
  /// Whether any input sets numbers of the scenario file (`UncertainInput.setsNumbers`).
  let setsNumbers: Bool

  /// The sampler of `spec`'s inputs.
  public init(_ spec: UncertaintySpec) {
    let k = spec.inputs.count
    streams = spec.inputs.map { Draw.stream(for: $0.id) }
    perYear = spec.inputs.map(\.perYear)
    distributions = spec.inputs.map(\.distribution)
    let correlated = (0..<k).filter { i in (0..<k).contains { j in j != i && spec.rankCorrelation[i][j] != 0 } }
    self.correlated = correlated
    let factor = correlated.isEmpty ? nil : Copula.cholesky(Copula.pearson(fromSpearman: spec.rankCorrelation))
    self.factor = factor
    needed = (0..<k).map { j in factor.map { l in correlated.contains { i in j <= i && l[i][j] != 0 } } ?? false }
    setsNumbers = spec.inputs.contains(where: \.setsNumbers)
  }

  /// `values[i][y]`: input `i`'s value in year slot `y` of draw `draw` (`Draw.inputValues`).
  ///
  /// The same numbers as computing every input's normal deviate in every year and every
  /// input's quantile in every year slot, with less work: a deviate no correlated input reads
  /// (its factor entry 0) is not computed, since `0 · z` adds a zero that leaves the sum as it
  /// is (a sum started at +0 is never −0) whenever `z` is finite, that is whenever its uniform
  /// is below 1 (a uniform can round to 1, whose deviate is infinite: then it is computed); and
  /// an uncorrelated input drawn once takes its quantile once, for every year slot.
  public func values(horizon H: Int, generator: Philox4x32, draw: Int) -> [[Double]] {
    let k = streams.count
    var uniforms = (0..<k).map { i -> [Double] in
      var s = RandomStream(generator, draw: draw, stream: streams[i])
      let first = s.uniform()
      guard perYear[i] else { return Array(repeating: first, count: H) }
      var u = [Double](repeating: first, count: H)
      for y in 1..<max(1, H) { u[y] = s.uniform() }
      return u
    }
    var moved = [Bool](repeating: false, count: k)
    if let l = factor {
      withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, k)) { z in
        for y in 0..<H {
          for j in 0..<k {
            let u = uniforms[j][y]
            z[j] = needed[j] || !(u > 0 && u < 1) ? Distribution.normalQuantile(u) : 0
          }
          for i in correlated {
            var zi = 0.0
            for j in 0...i { zi += l[i][j] * z[j] }
            uniforms[i][y] = Distribution.normalCDF(zi)
          }
        }
      }
      for i in correlated { moved[i] = true }
    }
    return (0..<k).map { i in
      if !perYear[i] && !moved[i] && H > 0 {
        return Array(repeating: distributions[i].quantile(uniforms[i][0]), count: H)
      }
      return uniforms[i].map { distributions[i].quantile($0) }
    }
  }
}
