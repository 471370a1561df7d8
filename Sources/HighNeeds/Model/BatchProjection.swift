import CBLAS
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

/// Projects a batch of sweep draws together, the draws being the innermost, contiguous axis.
///
/// The same yearly step as `Projection` (see `docs/MODEL.md`, "One year's step", and under
/// "Uncertainty", "Sweep"), laid out for many draws that share a scenario but differ in their
/// rates: `x[((a · P + p) · N + n) · B + b]` for age `a`, placement `p`, need `n`, draw `b`.
/// Every pass of the year runs over contiguous vectors of `B` draws. Transitions:
/// - draws sharing the age's matrix (no transition uncertainty): one `cblas_dgemm` over the
///   whole batch, `Y_a (P × N·B) = T_aᵀ · X_a`;
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
  /// The scenario's transition matrices before mitigations.
  let baseTransition: [[Double]]
  /// The scenario's new-plan mix before mitigations.
  let baseMix: [[Double]]
  /// `mixPattern[age]`: the cells `n · P + p` where the scenario's mix at that age is not zero
  /// (a Dirichlet draw of the mix keeps its zeros).
  let mixPattern: [[Int]]
  /// `mixOffset[age]`: the non-zero cells of the ages before (the last entry is their total).
  let mixOffset: [Int]
  let active: [Mitigation]
  let baseCensusYear: Int

  /// Cells transposed together when the draws' mixes are laid out draws-innermost: the writes
  /// of one tile (one cache line per cell) stay in the first-level cache.
  static let transposeTile = 32

  /// The working vectors of one `run`, each a buffer of its workspace.
  enum Vector: Int, CaseIterable {
    /// The state `x` and the next year's state (ages shifted), `A · P · N · B` each.
    case state, next
    /// One age block, for a drawn product before the shared lever matrix.
    case scratch
    /// This year's flows by placement and draw (`P · B` each).
    case ceased, movedOut, movedIn, arrived, overflowOut, overflowIn
    /// Each draw's diagonal of the age's (mitigated) matrix, `P · B`.
    case diagonal
    /// Per draw, one age's plans by placement after cessation (`P · B`), and the same moved by
    /// the draw's matrix before and after the shared lever matrix: the moves' totals.
    case keptTotal, movedTotalBeforeLevers, movedTotal
    /// Each draw's plans summed over ages, `[(p · N + n) · B + b]`: the year's occupancy.
    case occupancy
    /// Per draw: survival of each placement of one age (`P · B`).
    case kept
    /// Per draw: demand, release and one cell's excess of one placement; one matrix entry
    /// times its row's survival.
    case demand, release, excess, survivingMove
    /// Each draw's factors by year, `H · B`.
    case cessationFactor, incidenceFactor
    /// Each draw's mix, transposed: `mixes[(a · N · P + j) · B + b]`.
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
    baseTransition = s.transition
    baseMix = s.newPlanMix
    let mixPattern = s.newPlanMix.map { mix in mix.indices.filter { mix[$0] != 0 } }
    self.mixPattern = mixPattern
    var mixOffset = [0]
    for cells in mixPattern { mixOffset.append((mixOffset.last ?? 0) + cells.count) }
    self.mixOffset = mixOffset
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

  /// Projects `draws`; returns each draw's path (occupancy and flows; no cell-level state).
  public func run(_ draws: [CaseloadDraw], workspace: BatchWorkspace = BatchWorkspace()) -> [CaseloadPath] {
    let B = draws.count
    let A = AgeAxis.count
    let cells = N * P
    let ageBlock = P * N * B
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
          return P * B
        case .occupancy: return ageBlock
        case .kept: return P * B
        case .demand, .release, .excess, .survivingMove: return B
        case .cessationFactor, .incidenceFactor: return H * B
        case .mixes: return drawnMix ? A * cells * B : 0
        case .values: return drawnMatrices ? (patternOffset.last ?? 0) * B : 0
        }
      })
    func buffer(_ vector: Vector) -> UnsafeMutablePointer<Double> { memory[vector.rawValue] }
    var state = buffer(.state)
    var next = buffer(.next)
    let scratch = buffer(.scratch)
    let ceased = buffer(.ceased)
    let movedOut = buffer(.movedOut)
    let movedIn = buffer(.movedIn)
    let arrived = buffer(.arrived)
    let overflowOut = buffer(.overflowOut)
    let overflowIn = buffer(.overflowIn)
    let diagonal = buffer(.diagonal)
    let keptTotal = buffer(.keptTotal)
    let movedTotalBeforeLevers = buffer(.movedTotalBeforeLevers)
    let movedTotal = buffer(.movedTotal)
    let sums = buffer(.occupancy)
    let kept = buffer(.kept)
    let demand = buffer(.demand)
    let release = buffer(.release)
    let excess = buffer(.excess)
    let survivingMove = buffer(.survivingMove)
    let cessationFactor = buffer(.cessationFactor)
    let incidenceFactor = buffer(.incidenceFactor)
    let mixes = buffer(.mixes)
    var mixHadLevers = false
    // mixUsed[a · cells + j]: whether any draw's mix has a share in that cell.
    var mixUsed = [Bool](repeating: false, count: drawnMix ? A * cells : 0)
    // Drawn matrices on the pattern: `values[(patternOffset[age] + k) · B + b]` for the age's
    // k-th non-zero.
    let values = buffer(.values)

    for (b, d) in draws.enumerated() {
      for t in 0..<H {
        cessationFactor[t * B + b] = d.cessationFactor[t]
        incidenceFactor[t * B + b] = d.incidenceFactor[t]
      }
    }
    if drawnMatrices {
      let nonzeros = patternOffset.last ?? 0
      for (b, d) in draws.enumerated() {
        if let drawn = d.transitionValues {
          precondition(drawn.count == nonzeros, "draw \(b): \(drawn.count) transition values for \(nonzeros) non-zeros")
          for i in 0..<nonzeros { values[i * B + b] = drawn[i] }
        } else {
          for a in 0..<AgeAxis.maxAge {
            for (k, e) in pattern[a].enumerated() {
              values[(patternOffset[a] + k) * B + b] = baseTransition[a][e.p * P + e.q]
            }
          }
        }
      }
    }
    for a in 0..<A {
      for p in 0..<P {
        for n in 0..<N {
          (state + ((a * P + p) * N + n) * B).update(repeating: baseline[a * cells + n * P + p], count: B)
        }
      }
    }
    // live[a · P + p]: whether block (a, p) may hold plans in any draw. A block that is not
    // live is all zeros, so the passes below skip it; liveness only errs towards true.
    var live = (0..<(A * P)).map { i in (0..<N).contains { n in baseline[(i / P) * cells + n * P + i % P] != 0 } }
    var liveNext = [Bool](repeating: false, count: A * P)
    var written = [Bool](repeating: false, count: P)
    // Per draw and year: occupancy[t · B + b][n·P + p] and flows[(t-1) · B + b][p].
    var occupancy = [[Double]](repeating: [], count: (H + 1) * B)
    var flows = [[PlacementFlows]](repeating: [], count: H * B)
    sums.update(repeating: 0, count: ageBlock)
    for a in 0..<A { accumulate(block: a, of: state, live: live, draws: B, into: sums) }
    store(sums, t: 0, draws: B, into: &occupancy)

    for t in 1...H {
      let academicStart = baseCensusYear + t - 1
      for vector in flowVectors { buffer(vector).update(repeating: 0, count: P * B) }
      let survival = parameters.survival[t - 1]

      // 4. New plans, at their age at the census: count · mix, times each draw's factor (added
      // age by age below, each age once its block has been written).
      let inflow = incidenceFactor + (t - 1) * B
      let count = parameters.newPlanCount[t - 1]
      if drawnMix {
        // mixes[(a · cells + j) · B + b]: each draw's mix, mitigated, transposed once per batch
        // (and again in each year that mitigations move new plans), in tiles of cells so the
        // writes stay in cache.
        let levers = ModelParameters.hasMixLevers(active, academicYearStart: academicStart)
        if t == 1 || levers || mixHadLevers {
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
                for b in 0..<B {
                  let row = perDraw[b][a]
                  for j in tile..<min(cells, tile + Self.transposeTile) {
                    mixes[(a * cells + j) * B + b] = row[j]
                    if row[j] != 0 { mixUsed[a * cells + j] = true }
                  }
                }
              }
            }
          } else {
            // Only the scenario's non-zero cells (the others are skipped when plans are added).
            let nonzeros = mixOffset.last ?? 0
            let perDraw = draws.map { d -> [Double] in
              if let drawn = d.newPlanMixValues {
                precondition(drawn.count == nonzeros, "\(drawn.count) mix values for \(nonzeros) non-zero cells")
                return drawn
              }
              return (0..<A).flatMap { a in mixPattern[a].map { baseMix[a][$0] } }
            }
            for a in 0..<A {
              let cellsUsed = mixPattern[a]
              for j in cellsUsed { mixUsed[a * cells + j] = true }
              for tile in stride(from: 0, to: cellsUsed.count, by: Self.transposeTile) {
                let end = min(cellsUsed.count, tile + Self.transposeTile)
                for b in 0..<B {
                  let values = perDraw[b]
                  for k in tile..<end { mixes[(a * cells + cellsUsed[k]) * B + b] = values[mixOffset[a] + k] }
                }
              }
            }
          }
        }
        mixHadLevers = levers
      }
      let shared = parameters.newPlans[t - 1]
      /// Adds the new plans at age `a` (their age at the census) to `x`, marking their blocks live.
      func addNewPlans(age a: Int, into x: UnsafeMutablePointer<Double>, live: inout [Bool]) {
        for n in 0..<N {
          for p in 0..<P {
            let j = a * cells + n * P + p
            let row = x + ((a * P + p) * N + n) * B
            let into = arrived + p * B
            if drawnMix {
              let share = mixes + j * B
              let people = count[a]
              if people == 0 || !mixUsed[j] { continue }
              if !live[a * P + p] { Self.clear(block: x + (a * P + p) * N * B, count: N * B) }
              live[a * P + p] = true
              for b in 0..<B {
                let added = people * share[b] * inflow[b]  // × 1 is exact
                row[b] += added
                into[b] += added
              }
            } else if shared[j] != 0 {
              if !live[a * P + p] { Self.clear(block: x + (a * P + p) * N * B, count: N * B) }
              live[a * P + p] = true
              let value = shared[j]
              for b in 0..<B {
                let added = value * inflow[b]
                row[b] += added
                into[b] += added
              }
            }
          }
        }
      }

      // 1. Cessation: x ← x · survival, with each draw's factor on the cessation rate; then
      // 2. transitions, written one age up (3. ageing): next[a+1] = state[a] · T_a; then the
      // new plans at a+1. All three run age by age, so that a block is still in cache when it
      // is next used.
      let factor = cessationFactor + (t - 1) * B
      // The shared matrices' dgemm reads every row of a block, so there every block is kept
      // clean; with drawn matrices only live blocks are read.
      if !drawnMatrices { next.update(repeating: 0, count: ageBlock) }
      for p in 0..<P { liveNext[p] = false }
      addNewPlans(age: 0, into: next, live: &liveNext)
      sums.update(repeating: 0, count: ageBlock)
      accumulate(block: 0, of: next, live: liveNext, draws: B, into: sums)
      for a in 0..<A {
        keptTotal.update(repeating: 0, count: P * B)
        for p in 0..<P where live[a * P + p] {
          let rate = 1 - survival[a * P + p]
          let survives = kept + p * B
          if a == AgeAxis.maxAge {
            survives.update(repeating: 0, count: B)
          } else {
            for b in 0..<B { survives[b] = 1 - min(1, rate * factor[b]) }
          }
          let out = ceased + p * B
          let total = keptTotal + p * B
          if drawnMatrices {
            // The block is read once more, by the transitions, which apply the survival
            // themselves: only its total is needed here.
            for n in 0..<N {
              let row = state + ((a * P + p) * N + n) * B
              for b in 0..<B { total[b] += row[b] }
            }
            for b in 0..<B {
              let before = total[b]
              total[b] = before * survives[b]
              out[b] += before - total[b]
            }
          } else {
            for n in 0..<N {
              let row = state + ((a * P + p) * N + n) * B
              for b in 0..<B {
                let before = row[b]
                let after = before * survives[b]
                out[b] += before - after
                row[b] = after
                total[b] += after
              }
            }
          }
        }
        guard a < AgeAxis.maxAge else { continue }
        let from = state + a * ageBlock
        let to = next + (a + 1) * ageBlock
        let leverMatrix = shift[t - 1][a]
        if drawnMatrices {
          // Each draw's own matrix, on the pattern; then the shared lever matrix.
          let product = leverMatrix == nil ? to : scratch
          for q in 0..<P { written[q] = false }
          diagonal.update(repeating: 0, count: P * B)
          movedTotalBeforeLevers.update(repeating: 0, count: P * B)
          for (k, e) in pattern[a].enumerated() {
            let v = values + (patternOffset[a] + k) * B
            if live[a * P + e.p] {
              let keptSum = keptTotal + e.p * B
              let movedSum = movedTotalBeforeLevers + e.q * B
              let survives = kept + e.p * B
              for b in 0..<B {
                movedSum[b] += keptSum[b] * v[b]
                survivingMove[b] = survives[b] * v[b]
              }
              for n in 0..<N {
                let source = from + (e.p * N + n) * B
                let target = product + (e.q * N + n) * B
                if written[e.q] {
                  for b in 0..<B { target[b] += source[b] * survivingMove[b] }
                } else {
                  for b in 0..<B { target[b] = source[b] * survivingMove[b] }
                }
              }
              written[e.q] = true
            }
            // diag(T_b · M)_p = Σ_q T_b[p, q] · M[q, p]
            let leverWeight = leverMatrix.map { $0[e.q * P + e.p] } ?? (e.p == e.q ? 1 : 0)
            if leverWeight != 0 {
              let d = diagonal + e.p * B
              for b in 0..<B { d[b] += v[b] * leverWeight }
            }
          }
          if let m = leverMatrix {
            // The lever matrix reads every row of the product.
            for q in 0..<P where !written[q] { Self.clear(block: product + q * N * B, count: N * B) }
            Self.multiply(transposed: m, scratch, into: to, placements: P, columns: N * B)
            Self.multiply(transposed: m, movedTotalBeforeLevers, into: movedTotal, placements: P, columns: B)
            for q in 0..<P { liveNext[(a + 1) * P + q] = (0..<P).contains { written[$0] && m[$0 * P + q] != 0 } }
          } else {
            movedTotal.update(from: movedTotalBeforeLevers, count: P * B)
            for q in 0..<P { liveNext[(a + 1) * P + q] = written[q] }
          }
        } else {
          let matrix = parameters.transition[t - 1][a]
          Self.multiply(transposed: matrix, from, into: to, placements: P, columns: N * B)
          Self.multiply(transposed: matrix, keptTotal, into: movedTotal, placements: P, columns: B)
          for p in 0..<P { (diagonal + p * B).update(repeating: matrix[p * P + p], count: B) }
          for q in 0..<P {
            liveNext[(a + 1) * P + q] = (0..<P).contains { live[a * P + $0] && matrix[$0 * P + q] != 0 }
          }
        }
        // Moves from the totals over needs: out of p, the kept plans less those staying;
        // into p, the moved plans less those staying.
        for p in 0..<P where live[a * P + p] || liveNext[(a + 1) * P + p] {
          let d = diagonal + p * B
          let keptSum = keptTotal + p * B
          let movedSum = movedTotal + p * B
          let out = movedOut + p * B
          let into = movedIn + p * B
          for b in 0..<B {
            let stay = keptSum[b] * d[b]
            out[b] += keptSum[b] - stay
            into[b] += movedSum[b] - stay
          }
        }
        addNewPlans(age: a + 1, into: next, live: &liveNext)
        accumulate(block: a + 1, of: next, live: liveNext, draws: B, into: sums)
      }
      swap(&state, &next)
      swap(&live, &liveNext)

      // 5. Capacity: demand above commissioned places overflows, keeping age and need.
      for p in 0..<P {
        guard let destinations = overflow[p] else { continue }
        let capacity = parameters.places[t][p]
        // The demand, from the occupancy: overflow into a limited placement is refused.
        demand.update(repeating: 0, count: B)
        for n in 0..<N {
          let total = sums + (p * N + n) * B
          for b in 0..<B { demand[b] += total[b] }
        }
        var binding = false
        for b in 0..<B {
          release[b] = demand[b] > capacity && demand[b] > 0 ? 1 - capacity / demand[b] : 0
          binding = binding || release[b] != 0
        }
        guard binding else { continue }
        let targets = (0..<P).filter { destinations[$0] > 0 }
        let out = overflowOut + p * B
        for a in 0..<A where live[a * P + p] {
          for q in targets where !live[a * P + q] {
            Self.clear(block: state + (a * P + q) * N * B, count: N * B)
            live[a * P + q] = true
          }
          for n in 0..<N {
            let row = state + ((a * P + p) * N + n) * B
            let total = sums + (p * N + n) * B
            for b in 0..<B {
              let e = row[b] * release[b]
              excess[b] = e
              row[b] -= e
              total[b] -= e
              out[b] += e
            }
            for q in targets {
              let share = destinations[q]
              let row = state + ((a * P + q) * N + n) * B
              let total = sums + (q * N + n) * B
              let into = overflowIn + q * B
              for b in 0..<B {
                let moved = excess[b] * share
                row[b] += moved
                total[b] += moved
                into[b] += moved
              }
            }
          }
        }
      }

      store(sums, t: t, draws: B, into: &occupancy)
      for b in 0..<B {
        var year = [PlacementFlows](repeating: PlacementFlows(), count: P)
        for p in 0..<P {
          var opening = 0.0
          var closing = 0.0
          for n in 0..<N {
            opening += occupancy[(t - 1) * B + b][n * P + p]
            closing += occupancy[t * B + b][n * P + p]
          }
          year[p] = PlacementFlows(
            opening: opening, newPlans: arrived[p * B + b], ceased: ceased[p * B + b], movedOut: movedOut[p * B + b],
            movedIn: movedIn[p * B + b], overflowOut: overflowOut[p * B + b], overflowIn: overflowIn[p * B + b],
            closing: closing)
        }
        flows[(t - 1) * B + b] = year
      }
    }
    return (0..<B).map { b in
      CaseloadPath(
        plans: [], occupancy: (0...H).map { occupancy[$0 * B + b] }, flows: (1...H).map { flows[($0 - 1) * B + b] })
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

  /// Adds age `a`'s block of `x` to `sums` (the occupancy over ages, `[(p · N + n) · B + b]`).
  private func accumulate(
    block a: Int, of x: UnsafePointer<Double>, live: [Bool], draws B: Int, into sums: UnsafeMutablePointer<Double>
  ) {
    let width = P * N * B
    for p in 0..<P where live[a * P + p] {
      let block = x + a * width + p * N * B
      let total = sums + p * N * B
      for i in 0..<(N * B) { total[i] += block[i] }
    }
  }

  /// Stores each draw's occupancy at census `t` from `sums`, the state summed over ages.
  private func store(_ sums: UnsafePointer<Double>, t: Int, draws B: Int, into occupancy: inout [[Double]]) {
    for b in 0..<B {
      var cells = [Double](repeating: 0, count: N * P)
      for p in 0..<P {
        for n in 0..<N { cells[n * P + p] = sums[(p * N + n) * B + b] }
      }
      occupancy[t * B + b] = cells
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
