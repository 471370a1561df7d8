import CBLAS
import CKernels
import Foundation

/// One sweep draw's changes to the caseload inputs, applied inside `BatchProjection`.
public struct CaseloadDraw: Sendable {
  /// `incidenceFactor[t-1]`: multiplies the new plans of the year to census `t`.
  public var incidenceFactor: [Double]
  /// `cessationFactor[t-1]`: multiplies the (mitigated) cessation rates, capped at 1.
  public var cessationFactor: [Double]
  /// This draw's transition matrices before mitigations, on the scenario's non-zeros.
  ///
  /// Age by age, each matrix's non-zeros in row-major order (see
  /// `BatchProjection.transitionMatrices`); nil: the scenario's. A Dirichlet draw keeps the
  /// zeros of its mean.
  public var transitionValues: [Double]?
  /// This draw's new-plan mix before mitigations, on the scenario's non-zero cells.
  ///
  /// Age by age, the cells `need · P + p` where the scenario's mix is not zero, in order (see
  /// `BatchProjection.newPlanMix`); nil: the scenario's. A Dirichlet draw keeps the zeros of its
  /// mean.
  public var newPlanMixValues: [Double]?

  /// A draw that changes nothing over `horizon` years.
  public init(horizon H: Int) {
    incidenceFactor = Array(repeating: 1, count: H)
    cessationFactor = Array(repeating: 1, count: H)
  }
}

/// The projection: the one implementation of the yearly step, for a batch of draws together,
/// the draws being the innermost, contiguous axis.
///
/// Each step of `docs/MODEL.md`, "One year's step" (and under "Uncertainty", "Sweep"), is one
/// method: `cease`, `move`, `addNewPlans` and `applyCapacity`, called by `run`. The
/// deterministic projection (`Projection.run`) is a batch of one draw that changes nothing.
/// Laid out for many draws that share a scenario but differ in their rates: `x[((a · P + p) · N + n) · D + b]` for age `a`, placement `p`, need `n`, draw `b`.
/// Every pass of the year runs over contiguous vectors of `D` draws. Transitions:
/// - draws sharing the age's matrix (no transition uncertainty): one `cblas_dgemm` over the
///   whole batch, `Y_a (P × N·D) = T_aᵀ · X_a`;
/// - draws with their own matrices (Dirichlet rows): one pass per non-zero `(p, q)` of the
///   age's pattern, `y_q += x_p ∘ (s_p ∘ t_pq)` (vectors over draws; the survival `s_p` is
///   applied here, so cessation only totals the block), then, in years when mitigations move
///   placements, the shared lever matrix `M` as one `cblas_dgemm` (`T_b · M`).
public struct BatchProjection: Sendable {
  let P: Int
  let N: Int
  let H: Int
  let baseline: [Double]
  let parameters: ModelParameters
  let overflow: [[Double]?]
  /// `shift[t-1][age]`: the product of the placement levers' matrices (nil: the identity).
  let shift: [[[Double]?]]
  /// `pattern[age]`: the non-zeros `(p, q)` of the scenario's transition matrix at that age.
  let pattern: [[(p: Int, q: Int)]]
  /// `patternOffset[age]`: the non-zeros of the ages before (the last entry is their total).
  let patternOffset: [Int]
  /// The scenario's new-plan mix before mitigations.
  let baseMix: [[Double]]
  /// `mixPattern[age]`: the cells `n · P + p` where the scenario's mix at that age is not zero
  /// (a Dirichlet draw of the mix keeps its zeros).
  let mixPattern: [[Int]]
  /// `mixOffset[age]`: the non-zero cells of the ages before (the last entry is their total).
  let mixOffset: [Int]
  /// `occupancyCell[p · N + n] = n · P + p`: the cell of each row of the occupancy's sums.
  let occupancyCell: [Int]
  /// The scenario's matrices on the pattern, and its mix on its non-zero cells, as a draw gives
  /// them (`CaseloadDraw.transitionValues`, `newPlanMixValues`).
  let baseValues: [Double]
  let baseMixValues: [Double]
  /// `mixRows[mixOffset[age] + k]`: the k-th non-zero cell of the age's mix, `age · N · P + j`.
  let mixRows: [Int]
  let active: [Mitigation]
  let baseCensusYear: Int

  /// Cells transposed together when the draws' mixes are laid out draws-innermost: the writes
  /// of one tile (one cache line per cell) stay in the first-level cache.
  static let transposeTile = 32

  /// Draws transposed together between a draw's own arrays and the draws-innermost layout
  /// (`hnb_transpose`, `hnb_untranspose`): eight doubles, one cache line of a row.
  static let transposeDraws = 8

  /// The working vectors of one `run`, each a buffer of its workspace.
  enum Vector: Int, CaseIterable {
    /// The state `x` and the next year's state (ages shifted), `A · P · N · D` each.
    case state, next
    /// One age block, for a drawn product before the shared lever matrix.
    case scratch
    /// This year's flows by placement and draw (`P · D` each).
    case ceased, movedOut, movedIn, arrived, overflowOut, overflowIn
    /// Each draw's diagonal of the age's (mitigated) matrix, `P · D`.
    case diagonal
    /// Per draw, one age's plans by placement after cessation (`P · D`), and the same moved by
    /// the draw's matrix before and after the shared lever matrix: the moves' totals.
    case keptTotal, movedTotalBeforeLevers, movedTotal
    /// Each draw's plans summed over ages, `[(p · N + n) · D + b]`: the year's occupancy.
    case occupancy
    /// Each draw's plans by placement summed over needs at the year's opening and closing
    /// census, `P · D` each.
    case openingTotal, closingTotal
    /// Per draw: survival of each placement of one age (`P · D`).
    case kept
    /// Per draw: demand, release and one cell's excess of one placement.
    case demand, release, excess
    /// Each draw's factors by year, `H · D`.
    case cessationFactor, incidenceFactor
    /// Each draw's mix, transposed: `mixes[(a · N · P + j) · D + b]`.
    case mixes
    /// Each draw's matrix values on the pattern.
    case values
  }

  /// Prepares the projection of draws of `scenario` with all its mitigations on (`parameters`).
  public init(scenario s: Scenario, parameters m: ModelParameters) {
    P = s.placementCount
    N = s.needCount
    H = s.horizonYears
    baseline = s.baselinePlans
    parameters = m
    overflow = s.overflow
    let active = ModelParameters.activeMitigations(s, mask: (1 << s.mitigations.count) - 1)
    self.active = active
    baseCensusYear = s.baseCensusYear
    let (P, H) = (s.placementCount, s.horizonYears)
    let identity = (0..<(P * P)).map { $0 / P == $0 % P ? 1.0 : 0 }
    var shift: [[[Double]?]] = []
    for t in 1...H {
      var matrices = Array(repeating: identity, count: AgeAxis.maxAge)
      ModelParameters.applyPlacementLevers(
        active, academicYearStart: s.baseCensusYear + t - 1, placements: P, &matrices)
      shift.append(matrices.map { $0 == identity ? nil : $0 })
    }
    self.shift = shift
    let pattern = s.transition.map { matrix in
      (0..<(P * P)).filter { matrix[$0] != 0 }.map { (p: $0 / P, q: $0 % P) }
    }
    self.pattern = pattern
    var offsets = [0]
    for nonzeros in pattern { offsets.append((offsets.last ?? 0) + nonzeros.count) }
    patternOffset = offsets
    baseMix = s.newPlanMix
    let mixPattern = s.newPlanMix.map { mix in mix.indices.filter { mix[$0] != 0 } }
    self.mixPattern = mixPattern
    var mixOffset = [0]
    for cells in mixPattern { mixOffset.append((mixOffset.last ?? 0) + cells.count) }
    self.mixOffset = mixOffset
    baseValues = (0..<AgeAxis.maxAge).flatMap { a in pattern[a].map { s.transition[a][$0.p * P + $0.q] } }
    baseMixValues = mixPattern.indices.flatMap { a in mixPattern[a].map { s.newPlanMix[a][$0] } }
    mixRows = mixPattern.indices.flatMap { a in mixPattern[a].map { a * s.needCount * P + $0 } }
    occupancyCell = Self.occupancyCells(placements: P, needs: s.needCount)
  }

  /// `occupancyCell` for `P` placements and `N` needs.
  static func occupancyCells(placements P: Int, needs N: Int) -> [Int] {
    (0..<(P * N)).map { i in (i % N) * P + i / N }
  }

  /// Prepares the projection of one run's `parameters` as they are: draws that change nothing
  /// (the deterministic projection, `Projection.run`); a draw with its own matrices or mix
  /// needs `init(scenario:parameters:)`.
  init(
    baseline: [Double], parameters m: ModelParameters, placements P: Int, needs N: Int, overflow: [[Double]?],
    horizon H: Int
  ) {
    self.P = P
    self.N = N
    self.H = H
    self.baseline = baseline
    parameters = m
    self.overflow = overflow
    active = []
    baseCensusYear = 0
    shift = []
    pattern = []
    patternOffset = [0]
    baseMix = []
    mixPattern = []
    mixOffset = [0]
    baseValues = []
    baseMixValues = []
    mixRows = []
    occupancyCell = Self.occupancyCells(placements: P, needs: N)
  }

  /// The full matrices (`[age][p · P + q]`) of transition values given on the scenario's
  /// non-zeros (`CaseloadDraw.transitionValues`).
  public func transitionMatrices(_ values: [Double]) -> [[Double]] {
    precondition(values.count == (patternOffset.last ?? 0), "transition values for another pattern")
    return pattern.enumerated().map { a, nonzeros in
      var matrix = [Double](repeating: 0, count: P * P)
      for (k, e) in nonzeros.enumerated() { matrix[e.p * P + e.q] = values[patternOffset[a] + k] }
      return matrix
    }
  }

  /// The full mix (`[age][n · P + p]`) of mix values given on the scenario's non-zero cells
  /// (`CaseloadDraw.newPlanMixValues`).
  public func newPlanMix(_ values: [Double]) -> [[Double]] {
    precondition(values.count == (mixOffset.last ?? 0), "mix values for another pattern")
    return mixPattern.enumerated().map { a, cellsUsed in
      var mix = [Double](repeating: 0, count: N * P)
      for (k, j) in cellsUsed.enumerated() { mix[j] = values[mixOffset[a] + k] }
      return mix
    }
  }

  /// Projects `draws`; returns each draw's path: occupancy and flows, and with `keepPlans` the
  /// state at every census (`CaseloadPath.plans`).
  ///
  /// The year's step, in the order of `docs/MODEL.md`, "One year's step": age by age,
  /// `cease` (1), `move` (2, transitions, written one age up: 3, ageing) and `addNewPlans` (4),
  /// so that a block is still in cache when it is next used; then `applyCapacity` (5).
  public func run(
    _ draws: [CaseloadDraw], workspace: BatchWorkspace = BatchWorkspace(), keepPlans: Bool = false
  ) -> [CaseloadPath] {
    let D = draws.count
    let A = AgeAxis.count
    let cells = N * P
    let ageBlock = P * N * D
    let drawnMatrices = draws.contains { $0.transitionValues != nil }
    let drawnMix = draws.contains { $0.newPlanMixValues != nil }
    // Working memory, every vector contiguous over the draws. A reused workspace needs no
    // clearing: every buffer is written before it is read, except the state's blocks that are
    // not live, which are never read and are cleared when they become live.
    let flowVectors: [Vector] = [.ceased, .movedOut, .movedIn, .arrived, .overflowOut, .overflowIn]
    let memory = workspace.buffers(
      counts: Vector.allCases.map { vector in
        switch vector {
        case .state, .next: return A * ageBlock
        case .scratch: return ageBlock
        case .ceased, .movedOut, .movedIn, .arrived, .overflowOut, .overflowIn, .diagonal, .keptTotal,
          .movedTotalBeforeLevers, .movedTotal:
          return P * D
        case .occupancy: return ageBlock
        case .openingTotal, .closingTotal: return P * D
        case .kept: return P * D
        case .demand, .release, .excess: return D
        case .cessationFactor, .incidenceFactor: return H * D
        case .mixes: return drawnMix ? A * cells * D : 0
        case .values: return drawnMatrices ? (patternOffset.last ?? 0) * D : 0
        }
      })
    let w = Work(memory: memory, D: D, drawnMatrices: drawnMatrices, drawnMix: drawnMix)
    var state = w[.state]
    var next = w[.next]
    var mixHadLevers = false
    // mixUsed[a · cells + j]: whether any draw's mix has a share in that cell.
    var mixUsed = [Bool](repeating: false, count: drawnMix ? A * cells : 0)

    for (b, d) in draws.enumerated() {
      for t in 0..<H {
        w[.cessationFactor][t * D + b] = d.cessationFactor[t]
        w[.incidenceFactor][t * D + b] = d.incidenceFactor[t]
      }
    }
    if drawnMatrices {
      // Drawn matrices on the pattern: `values[(patternOffset[age] + k) · D + b]` for the
      // age's k-th non-zero.
      let nonzeros = patternOffset.last ?? 0
      let columns = draws.enumerated().map { b, d in
        guard let drawn = d.transitionValues else { return baseValues }
        precondition(drawn.count == nonzeros, "draw \(b): \(drawn.count) transition values for \(nonzeros) non-zeros")
        return drawn
      }
      Self.transpose(columns, into: w[.values], rows: nil, count: nonzeros)
    }
    for a in 0..<A {
      for p in 0..<P {
        for n in 0..<N {
          (state + ((a * P + p) * N + n) * D).update(repeating: baseline[a * cells + n * P + p], count: D)
        }
      }
    }
    // live[a · P + p]: whether block (a, p) may hold plans in any draw. A block that is not
    // live is all zeros, so the passes below skip it; liveness only errs towards true.
    var live = (0..<(A * P)).map { i in (0..<N).contains { n in baseline[(i / P) * cells + n * P + i % P] != 0 } }
    var liveNext = [Bool](repeating: false, count: A * P)
    // Per draw and year, each draw's path as it is returned: occupancy[b][t][n·P + p] and
    // flows[b][t-1][p].
    var occupancy = [[[Double]]](repeating: [[Double]](repeating: [], count: H + 1), count: D)
    var flows = [[[PlacementFlows]]](repeating: [[PlacementFlows]](repeating: [], count: H), count: D)
    // plans[b][t]: each draw's state at census t, when kept.
    var plans = [[[Double]]](repeating: [[Double]](repeating: [], count: H + 1), count: keepPlans ? D : 0)
    let sums = w[.occupancy]
    sums.update(repeating: 0, count: ageBlock)
    for a in 0..<A { accumulate(block: a, of: state, live: live, draws: D, into: sums) }
    store(sums, t: 0, draws: D, into: &occupancy)
    var openingTotal = w[.openingTotal]
    var closingTotal = w[.closingTotal]
    totals(sums, draws: D, into: closingTotal)
    if keepPlans { record(state, t: 0, live: live, draws: D, into: &plans) }

    for t in 1...H {
      let academicStart = baseCensusYear + t - 1
      for vector in flowVectors { w[vector].update(repeating: 0, count: P * D) }
      if drawnMix {
        let levers = ModelParameters.hasMixLevers(active, academicYearStart: academicStart)
        if t == 1 || levers || mixHadLevers {
          transposeMixes(draws, academicYearStart: academicStart, levers: levers, mixUsed: &mixUsed, w)
        }
        mixHadLevers = levers
      }
      let year = Year(
        survival: parameters.survival[t - 1], factor: w[.cessationFactor] + (t - 1) * D,
        newPlans: parameters.newPlans[t - 1], newPlanCount: parameters.newPlanCount[t - 1],
        inflow: w[.incidenceFactor] + (t - 1) * D, transition: parameters.transition[t - 1],
        shift: shift.isEmpty ? [] : shift[t - 1],
        mixUsed: mixUsed)
      // The shared matrices' dgemm reads every row of a block, so there every block is kept
      // clean; with drawn matrices only live blocks are read.
      if !drawnMatrices { next.update(repeating: 0, count: ageBlock) }
      for p in 0..<P { liveNext[p] = false }
      addNewPlans(age: 0, into: next, live: &liveNext, year, w)
      sums.update(repeating: 0, count: ageBlock)
      accumulate(block: 0, of: next, live: liveNext, draws: D, into: sums)
      for a in 0..<A {
        cease(age: a, of: state, live: live, year, w)
        guard a < AgeAxis.maxAge else { continue }
        move(age: a, from: state, into: next, live: live, liveNext: &liveNext, year, w)
        addNewPlans(age: a + 1, into: next, live: &liveNext, year, w)
        accumulate(block: a + 1, of: next, live: liveNext, draws: D, into: sums)
      }
      swap(&state, &next)
      swap(&live, &liveNext)
      applyCapacity(places: parameters.places[t], state: state, live: &live, w)

      store(sums, t: t, draws: D, into: &occupancy)
      if keepPlans { record(state, t: t, live: live, draws: D, into: &plans) }
      // The opening totals are last year's closing ones (the same sums, in the same order).
      swap(&openingTotal, &closingTotal)
      totals(sums, draws: D, into: closingTotal)
      let (arrived, ceased, movedOut, movedIn) = (w[.arrived], w[.ceased], w[.movedOut], w[.movedIn])
      let (overflowOut, overflowIn) = (w[.overflowOut], w[.overflowIn])
      for b in 0..<D {
        flows[b][t - 1] = Array(unsafeUninitializedCapacity: P) { year, count in
          for p in 0..<P {
            let i = p * D + b
            year.initializeElement(
              at: p,
              to: PlacementFlows(
                opening: openingTotal[i], newPlans: arrived[i], ceased: ceased[i], movedOut: movedOut[i],
                movedIn: movedIn[i], overflowOut: overflowOut[i], overflowIn: overflowIn[i],
                closing: closingTotal[i]))
          }
          count = P
        }
      }
    }
    return (0..<D).map { b in
      CaseloadPath(plans: keepPlans ? plans[b] : [], occupancy: occupancy[b], flows: flows[b])
    }
  }

  /// Each draw's plans by placement summed over needs, `totals[p · D + b] = Σₙ x[p, n]` (needs
  /// in order), from the occupancy `sums` (`[(p · N + n) · D + b]`).
  private func totals(_ sums: UnsafePointer<Double>, draws D: Int, into totals: UnsafeMutablePointer<Double>) {
    totals.update(repeating: 0, count: P * D)
    for p in 0..<P {
      let total = totals + p * D
      for n in 0..<N {
        let cells = sums + (p * N + n) * D
        for b in 0..<D { total[b] += cells[b] }
      }
    }
  }

  /// `out[(rows[i] or i) · D + b] = columns[b][i]` for `D` columns (`hnb_transpose`),
  /// `transposeDraws` columns at a time: each row's eight places are one cache line, and the eight columns are
  /// read in order.
  private static func transpose(
    _ columns: [[Double]], into out: UnsafeMutablePointer<Double>, rows: UnsafePointer<Int>?, count: Int
  ) {
    let D = columns.count
    withUnsafeTemporaryAllocation(of: UnsafePointer<Double>?.self, capacity: Self.transposeDraws) { pointers in
      for b0 in stride(from: 0, to: D, by: Self.transposeDraws) {
        let width = min(Self.transposeDraws, D - b0)
        // Each column's elements, held for the kernel (a column in each nested call).
        func hold(_ b: Int) {
          guard b < width else {
            hnb_transpose(out + b0, D, rows, UnsafePointer(pointers.baseAddress), width, count)
            return
          }
          columns[b0 + b].withUnsafeBufferPointer { elements in
            pointers[b] = elements.baseAddress
            hold(b + 1)
          }
        }
        hold(0)
      }
    }
  }

  /// Sets `count` doubles at `block` to zero: a block that is not live may hold anything (an
  /// earlier year's or batch's numbers) and is cleared when it becomes live.
  private static func clear(block: UnsafeMutablePointer<Double>, count: Int) {
    block.update(repeating: 0, count: count)
  }

  /// `y = Mᵀ · X` for a P×P matrix `M` and a P × `columns` row-major `X` (one `cblas_dgemm`).
  private static func multiply(
    transposed m: [Double], _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, placements P: Int,
    columns: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, CblasTrans, CblasNoTrans, Int32(P), Int32(columns), Int32(P), 1.0, m, Int32(P), x,
      Int32(columns), 0.0, y, Int32(columns))
  }

  /// Adds age `a`'s block of `x` to `sums` (the occupancy over ages, `[(p · N + n) · D + b]`).
  private func accumulate(
    block a: Int, of x: UnsafePointer<Double>, live: [Bool], draws D: Int, into sums: UnsafeMutablePointer<Double>
  ) {
    let width = P * N * D
    for p in 0..<P where live[a * P + p] {
      hnb_add(sums + p * N * D, x + a * width + p * N * D, N * D)
    }
  }

  /// Stores each draw's occupancy at census `t` from `sums`, the state summed over ages,
  /// `transposeDraws` draws at a time (`hnb_untranspose`), each row `p · N + n` of `sums` into cell `n · P + p`.
  private func store(_ sums: UnsafePointer<Double>, t: Int, draws D: Int, into occupancy: inout [[[Double]]]) {
    let cells = N * P
    occupancyCell.withUnsafeBufferPointer { rows in
      withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>?.self, capacity: Self.transposeDraws) { columns in
        for b0 in stride(from: 0, to: D, by: Self.transposeDraws) {
          let width = min(Self.transposeDraws, D - b0)
          var made = [[Double]](repeating: [], count: width)
          // Each draw's new array, held open for the kernel (one in each nested call).
          func make(_ b: Int) {
            guard b < width else {
              hnb_untranspose(columns.baseAddress, rows.baseAddress, sums + b0, D, width, cells)
              return
            }
            made[b] = [Double](unsafeUninitializedCapacity: cells) { elements, count in
              columns[b] = elements.baseAddress
              make(b + 1)
              count = cells
            }
          }
          make(0)
          for (k, array) in made.enumerated() { occupancy[b0 + k][t] = array }
        }
      }
    }
  }
}

extension BatchProjection {
  /// One run's working vectors (see `Vector`), each contiguous over the batch's `D` draws.
  struct Work {
    let memory: [UnsafeMutablePointer<Double>]
    /// The number of draws in the batch.
    let D: Int
    /// Whether any draw has its own transition matrices (`CaseloadDraw.transitionValues`).
    let drawnMatrices: Bool
    /// Whether any draw has its own new-plan mix (`CaseloadDraw.newPlanMixValues`).
    let drawnMix: Bool

    subscript(_ vector: Vector) -> UnsafeMutablePointer<Double> { memory[vector.rawValue] }
  }

  /// What the year into census `t` takes from the parameters and from the draws.
  struct Year {
    /// `survival[t-1]`: `survival[a · P + p]`, after mitigations.
    let survival: [Double]
    /// Each draw's factor on the cessation rates this year (`D` of them).
    let factor: UnsafeMutablePointer<Double>
    /// `newPlans[t-1]`, the new plans shared by draws that do not draw their mix.
    let newPlans: [Double]
    /// `newPlanCount[t-1]`, the new plans at each age before the mix.
    let newPlanCount: [Double]
    /// Each draw's factor on the new plans this year (`D` of them).
    let inflow: UnsafeMutablePointer<Double>
    /// `transition[t-1]`, the mitigated matrices shared by draws that do not draw theirs.
    let transition: [[Double]]
    /// `shift[t-1]`: the placement levers' matrix at each age (empty without drawn matrices).
    let shift: [[Double]?]
    /// `mixUsed[a · cells + j]`: whether any draw's mix has a share in that cell.
    let mixUsed: [Bool]
  }

  /// Step 1, cessation, at age `a`: `x ← x · s` with `s = 1 − min(1, (1 − survival) · factor)`
  /// for each draw (0 at age 25); adds to `ceased` and leaves each placement's plans summed over
  /// needs after cessation in `keptTotal` and `s` in `kept`.
  ///
  /// With drawn matrices the block is not written back: `move` applies `s` as it reads it.
  func cease(age a: Int, of state: UnsafeMutablePointer<Double>, live: [Bool], _ year: Year, _ w: Work) {
    let D = w.D
    let kept = w[.kept]
    let keptTotal = w[.keptTotal]
    let ceased = w[.ceased]
    let survival = year.survival
    let factor = year.factor
    keptTotal.update(repeating: 0, count: P * D)
    for p in 0..<P where live[a * P + p] {
      let rate = 1 - survival[a * P + p]
      let survives = kept + p * D
      if a == AgeAxis.maxAge {
        survives.update(repeating: 0, count: D)
      } else {
        for b in 0..<D { survives[b] = 1 - min(1, rate * factor[b]) }
      }
      let out = ceased + p * D
      let total = keptTotal + p * D
      if w.drawnMatrices {
        // The block is read once more, by the transitions, which apply the survival
        // themselves: only its total is needed here.
        hnb_sum_rows(total, state + (a * P + p) * N * D, N, D)
        for b in 0..<D {
          let before = total[b]
          total[b] = before * survives[b]
          out[b] += before - total[b]
        }
      } else {
        for n in 0..<N {
          let row = state + ((a * P + p) * N + n) * D
          for b in 0..<D {
            let before = row[b]
            let after = before * survives[b]
            out[b] += before - after
            row[b] = after
            total[b] += after
          }
        }
      }
    }
  }

  /// Steps 2 and 3, transitions and ageing, from age `a`: `next[a+1] = state[a] · T_a` (each
  /// draw's own matrix on the pattern then the shared lever matrix, or the shared mitigated
  /// matrix as one `dgemm`); adds the moves to `movedOut` and `movedIn` from the totals over
  /// needs, and marks the blocks of age `a + 1` that may hold plans in `liveNext`.
  func move(
    age a: Int, from state: UnsafeMutablePointer<Double>, into next: UnsafeMutablePointer<Double>, live: [Bool],
    liveNext: inout [Bool], _ year: Year, _ w: Work
  ) {
    let D = w.D
    let ageBlock = P * N * D
    let from = state + a * ageBlock
    let to = next + (a + 1) * ageBlock
    let kept = w[.kept]
    let keptTotal = w[.keptTotal]
    let diagonal = w[.diagonal]
    let movedTotal = w[.movedTotal]
    if w.drawnMatrices {
      // Each draw's own matrix, on the pattern; then the shared lever matrix.
      let values = w[.values]
      let scratch = w[.scratch]
      let movedTotalBeforeLevers = w[.movedTotalBeforeLevers]
      let leverMatrix = year.shift[a]
      let product = leverMatrix == nil ? to : scratch
      var written = [Bool](repeating: false, count: P)
      diagonal.update(repeating: 0, count: P * D)
      movedTotalBeforeLevers.update(repeating: 0, count: P * D)
      for (k, e) in pattern[a].enumerated() {
        let v = values + (patternOffset[a] + k) * D
        if live[a * P + e.p] {
          // The moved total, then each need's row: `target = source · (survives · v)`, or `+=`
          // once written.
          hnb_move_rows(
            product + e.q * N * D, from + e.p * N * D, kept + e.p * D, v, keptTotal + e.p * D,
            movedTotalBeforeLevers + e.q * D, N, D, written[e.q] ? 1 : 0)
          written[e.q] = true
        }
        // diag(T_b · M)_p = Σ_q T_b[p, q] · M[q, p]
        let leverWeight = leverMatrix.map { $0[e.q * P + e.p] } ?? (e.p == e.q ? 1 : 0)
        if leverWeight != 0 {
          let d = diagonal + e.p * D
          for b in 0..<D { d[b] += v[b] * leverWeight }
        }
      }
      if let m = leverMatrix {
        // The lever matrix reads every row of the product.
        for q in 0..<P where !written[q] { Self.clear(block: product + q * N * D, count: N * D) }
        Self.multiply(transposed: m, scratch, into: to, placements: P, columns: N * D)
        Self.multiply(transposed: m, movedTotalBeforeLevers, into: movedTotal, placements: P, columns: D)
        for q in 0..<P { liveNext[(a + 1) * P + q] = (0..<P).contains { written[$0] && m[$0 * P + q] != 0 } }
      } else {
        movedTotal.update(from: movedTotalBeforeLevers, count: P * D)
        for q in 0..<P { liveNext[(a + 1) * P + q] = written[q] }
      }
    } else {
      let matrix = year.transition[a]
      Self.multiply(transposed: matrix, from, into: to, placements: P, columns: N * D)
      Self.multiply(transposed: matrix, keptTotal, into: movedTotal, placements: P, columns: D)
      for p in 0..<P { (diagonal + p * D).update(repeating: matrix[p * P + p], count: D) }
      for q in 0..<P {
        liveNext[(a + 1) * P + q] = (0..<P).contains { live[a * P + $0] && matrix[$0 * P + q] != 0 }
      }
    }
    // Moves from the totals over needs: out of p, the kept plans less those staying;
    // into p, the moved plans less those staying.
    let movedOut = w[.movedOut]
    let movedIn = w[.movedIn]
    for p in 0..<P where live[a * P + p] || liveNext[(a + 1) * P + p] {
      hnb_moves_out_in(movedOut + p * D, movedIn + p * D, keptTotal + p * D, diagonal + p * D, movedTotal + p * D, D)
    }
  }

  /// Step 4, new plans, at age `a` (their age at the census): `newPlanCount · mix · factor` for
  /// draws with their own mix, otherwise `newPlans · factor`; added to `x` and to `arrived`,
  /// marking their blocks live.
  func addNewPlans(age a: Int, into x: UnsafeMutablePointer<Double>, live: inout [Bool], _ year: Year, _ w: Work) {
    let D = w.D
    let cells = N * P
    let arrived = w[.arrived]
    let mixes = w[.mixes]
    let inflow = year.inflow
    let shared = year.newPlans
    if w.drawnMix {
      // Placement by placement, each need's cell in turn where some draw's mix has a share
      // (`people · share · inflow`; × 1 is exact): each cell and each `arrived[p]` gets its
      // additions in the order of the needs, as need by need.
      let people = year.newPlanCount[a]
      guard people != 0 else { return }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: N) { used in
        for p in 0..<P {
          var any = false
          for n in 0..<N {
            let cellUsed = year.mixUsed[a * cells + n * P + p]
            used[n] = cellUsed ? 1 : 0
            any = any || cellUsed
          }
          guard any else { continue }
          if !live[a * P + p] { Self.clear(block: x + (a * P + p) * N * D, count: N * D) }
          live[a * P + p] = true
          hnb_add_new_plans(
            x + (a * P + p) * N * D, arrived + p * D, mixes + (a * cells + p) * D, P * D, used.baseAddress, people,
            inflow, N, D)
        }
      }
      return
    }
    for n in 0..<N {
      for p in 0..<P {
        let j = a * cells + n * P + p
        let row = x + ((a * P + p) * N + n) * D
        let into = arrived + p * D
        if shared[j] != 0 {
          if !live[a * P + p] { Self.clear(block: x + (a * P + p) * N * D, count: N * D) }
          live[a * P + p] = true
          let value = shared[j]
          for b in 0..<D {
            let added = value * inflow[b]
            row[b] += added
            into[b] += added
          }
        }
      }
    }
  }

  /// Step 4's mix for draws with their own: `mixes[(a · cells + j) · D + b]`, each draw's mix
  /// with the year's mix levers applied, transposed in tiles of cells so the writes stay in
  /// cache (once per batch, and again in each year that mitigations move new plans).
  func transposeMixes(
    _ draws: [CaseloadDraw], academicYearStart academicStart: Int, levers: Bool, mixUsed: inout [Bool], _ w: Work
  ) {
    let D = w.D
    let A = AgeAxis.count
    let cells = N * P
    let mixes = w[.mixes]
    for i in mixUsed.indices { mixUsed[i] = false }
    if levers {
      // Levers may move shares into cells that are zero in the scenario's mix.
      let perDraw = draws.map { d -> [[Double]] in
        var mix = d.newPlanMixValues.map { newPlanMix($0) } ?? baseMix
        ModelParameters.applyMixLevers(active, academicYearStart: academicStart, placements: P, needs: N, &mix)
        return mix
      }
      for a in 0..<A {
        for tile in stride(from: 0, to: cells, by: Self.transposeTile) {
          for b in 0..<D {
            let row = perDraw[b][a]
            for j in tile..<min(cells, tile + Self.transposeTile) {
              mixes[(a * cells + j) * D + b] = row[j]
              if row[j] != 0 { mixUsed[a * cells + j] = true }
            }
          }
        }
      }
    } else {
      // Only the scenario's non-zero cells (the others are skipped when plans are added).
      let nonzeros = mixOffset.last ?? 0
      let columns = draws.map { d in
        guard let drawn = d.newPlanMixValues else { return baseMixValues }
        precondition(drawn.count == nonzeros, "\(drawn.count) mix values for \(nonzeros) non-zero cells")
        return drawn
      }
      for row in mixRows { mixUsed[row] = true }
      mixRows.withUnsafeBufferPointer { rows in
        Self.transpose(columns, into: mixes, rows: rows.baseAddress, count: nonzeros)
      }
    }
  }

  /// Step 5, capacity: each draw's demand above `places[p]` overflows, keeping age and need.
  ///
  /// In each limited placement `p`, every cell releases `1 − places / demand` of its plans to
  /// the destinations; the occupancy (`sums`) is corrected by the moves.
  func applyCapacity(places: [Double], state: UnsafeMutablePointer<Double>, live: inout [Bool], _ w: Work) {
    let D = w.D
    let A = AgeAxis.count
    let sums = w[.occupancy]
    let demand = w[.demand]
    let release = w[.release]
    let excess = w[.excess]
    for p in 0..<P {
      guard let destinations = overflow[p] else { continue }
      let capacity = places[p]
      // The demand, from the occupancy: overflow into a limited placement is refused.
      demand.update(repeating: 0, count: D)
      for n in 0..<N {
        let total = sums + (p * N + n) * D
        for b in 0..<D { demand[b] += total[b] }
      }
      var binding = false
      for b in 0..<D {
        release[b] = demand[b] > capacity && demand[b] > 0 ? 1 - capacity / demand[b] : 0
        binding = binding || release[b] != 0
      }
      guard binding else { continue }
      let targets = (0..<P).filter { destinations[$0] > 0 }
      let out = w[.overflowOut] + p * D
      let shares = targets.map { destinations[$0] }
      // Each destination's rows of the age (set age by age), occupancy and inflow.
      var targetRows = [UnsafeMutablePointer<Double>?](repeating: nil, count: targets.count)
      let targetSums = targets.map { Optional(sums + $0 * N * D) }
      let targetInto = targets.map { Optional(w[.overflowIn] + $0 * D) }
      for a in 0..<A where live[a * P + p] {
        for q in targets where !live[a * P + q] {
          Self.clear(block: state + (a * P + q) * N * D, count: N * D)
          live[a * P + q] = true
        }
        for (k, q) in targets.enumerated() { targetRows[k] = state + (a * P + q) * N * D }
        hnb_overflow(
          state + (a * P + p) * N * D, sums + p * N * D, out, excess, release, targetRows, targetSums, targetInto,
          shares, targets.count, N, D)
      }
    }
  }

  /// Stores each draw's state at census `t`, `plans[b][t][(a · N + n) · P + p]`, from
  /// `x` (a block that is not live holds no plans, whatever its memory holds).
  func record(_ x: UnsafePointer<Double>, t: Int, live: [Bool], draws D: Int, into plans: inout [[[Double]]]) {
    let A = AgeAxis.count
    for b in 0..<D {
      var cells = [Double](repeating: 0, count: A * N * P)
      for a in 0..<A {
        for p in 0..<P where live[a * P + p] {
          for n in 0..<N { cells[(a * N + n) * P + p] = x[((a * P + p) * N + n) * D + b] }
        }
      }
      plans[b][t] = cells
    }
  }
}

/// Reusable working memory for `BatchProjection.run`: one per thread, kept across batches so
/// that a sweep does not allocate (and page in) fresh buffers for every batch.
public final class BatchWorkspace: @unchecked Sendable {
  private var storage: [UnsafeMutablePointer<Double>] = []
  private var capacities: [Int] = []

  public init() {}

  deinit { for buffer in storage { buffer.deallocate() } }

  /// Buffers of at least `counts[i]` doubles each, with undefined contents; valid until the next call.
  func buffers(counts: [Int]) -> [UnsafeMutablePointer<Double>] {
    for (i, count) in counts.enumerated() {
      let needed = max(1, count)
      if i == storage.count {
        storage.append(.allocate(capacity: needed))
        capacities.append(needed)
      } else if capacities[i] < needed {
        storage[i].deallocate()
        storage[i] = .allocate(capacity: needed)
        capacities[i] = needed
      }
    }
    return storage
  }
}
