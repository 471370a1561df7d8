import CBLAS
import Foundation

/// Plans moving into, out of and between one placement in one projected year (counts).
public struct PlacementFlows: Sendable, Equatable {
  public var opening = 0.0
  public var newPlans = 0.0
  public var ceased = 0.0
  public var movedOut = 0.0
  public var movedIn = 0.0
  public var overflowOut = 0.0
  public var overflowIn = 0.0
  public var closing = 0.0
}

/// The caseload path of one run.
public struct CaseloadPath: Sendable {
  /// `plans[t][cell]` for `t = 0…H`: the state at each census (counts); empty when the run
  /// was asked not to keep it.
  public var plans: [[Double]]
  /// `occupancy[t][need * P + p]`: plans summed over ages.
  public var occupancy: [[Double]]
  /// `flows[t-1][p]` for `t = 1…H`.
  public var flows: [[PlacementFlows]]
}

/// Advances many runs (scenarios, mitigation combinations or draws) together, a year at a time.
///
/// The yearly step: cessation, transitions (BLAS `dgemm` over the age blocks), ageing, new plans
/// and the capacity limit. See `docs/MODEL.md`, "One year's step".
public enum Projection {
  /// Projects `members` from the same baseline; returns one path per member.
  ///
  /// State layout: age-major blocks; block `a` is a `(members·N) × P` row-major matrix whose
  /// row `b·N + n` holds member `b`, need `n`. Members that share the age's transition matrix
  /// advance as one `dgemm` (the whole block when all of them do).
  public static func run(
    baseline: [Double], members: [ModelParameters], placements P: Int, needs N: Int,
    overflow: [[Double]?], horizon H: Int, keepPlans: [Bool]? = nil
  ) -> [CaseloadPath] {
    let keep = keepPlans ?? Array(repeating: true, count: members.count)
    let A = AgeAxis.count
    let B = members.count
    let rowsPerAge = B * N
    let blockSize = rowsPerAge * P
    var state = Array(repeating: 0.0, count: A * blockSize)
    for a in 0..<A {
      for b in 0..<B {
        for j in 0..<(N * P) {
          state[a * blockSize + b * N * P + j] = baseline[a * N * P + j]
        }
      }
    }
    var next = Array(repeating: 0.0, count: A * blockSize)
    var paths = (0..<B).map { _ in CaseloadPath(plans: [], occupancy: [], flows: []) }
    record(state, into: &paths, members: B, placements: P, needs: N, keep: keep)

    for t in 1...H {
      var flows = Array(repeating: Array(repeating: PlacementFlows(), count: P), count: B)
      for b in 0..<B {
        for p in 0..<P {
          flows[b][p].opening = stride(from: p, to: N * P, by: P).reduce(0) { $0 + paths[b].occupancy[t - 1][$1] }
        }
      }
      // 1. Cessation: x ← x · survival; the rest cease (all of age 25).
      for a in 0..<A {
        for b in 0..<B {
          let survival = members[b].survival[t - 1]
          for n in 0..<N {
            let base = a * blockSize + (b * N + n) * P
            for p in 0..<P {
              let x = state[base + p]
              let kept = x * survival[a * P + p]
              flows[b][p].ceased += x - kept
              state[base + p] = kept
            }
          }
        }
      }
      // 2. Transitions between placements, by age: next_a = state_a · T_a.
      for i in 0..<next.count { next[i] = 0 }
      for a in 0..<AgeAxis.maxAge {
        // Members sharing a matrix advance together: one dgemm over their stacked rows.
        var groups: [[Double]: [Int]] = [:]
        for b in 0..<B { groups[members[b].transition[t - 1][a], default: []].append(b) }
        for (matrix, group) in groups.sorted(by: { $0.value[0] < $1.value[0] }) {
          multiply(
            &next, state, matrix: matrix, members: group, offset: a * blockSize, rows: N, placements: P)
        }
        for b in 0..<B {
          let matrix = members[b].transition[t - 1][a]
          for n in 0..<N {
            let base = a * blockSize + (b * N + n) * P
            for p in 0..<P {
              let x = state[base + p]
              flows[b][p].movedOut += x * (1 - matrix[p * P + p])
              flows[b][p].movedIn += next[base + p] - x * matrix[p * P + p]
            }
          }
        }
      }
      // 3. Ageing: the block of age a becomes age a+1; age 0 starts empty.
      for a in stride(from: A - 1, to: 0, by: -1) {
        for i in 0..<blockSize { state[a * blockSize + i] = next[(a - 1) * blockSize + i] }
      }
      for i in 0..<blockSize { state[i] = 0 }
      // 4. New plans, at their age at the census.
      for b in 0..<B {
        let arrivals = members[b].newPlans[t - 1]
        for a in 0..<A {
          let base = a * blockSize + b * N * P
          for j in 0..<(N * P) where arrivals[a * N * P + j] != 0 {
            state[base + j] += arrivals[a * N * P + j]
            flows[b][j % P].newPlans += arrivals[a * N * P + j]
          }
        }
      }
      // 5. Capacity: demand above commissioned places overflows, keeping age and need.
      for b in 0..<B {
        for p in 0..<P {
          guard let destinations = overflow[p] else { continue }
          var demand = 0.0
          for a in 0..<A {
            for n in 0..<N { demand += state[a * blockSize + (b * N + n) * P + p] }
          }
          let capacity = members[b].places[t][p]
          guard demand > capacity, demand > 0 else { continue }
          let keep = capacity / demand
          for a in 0..<A {
            for n in 0..<N {
              let base = a * blockSize + (b * N + n) * P
              let excess = state[base + p] * (1 - keep)
              if excess == 0 { continue }
              state[base + p] -= excess
              for q in 0..<P where destinations[q] > 0 {
                state[base + q] += excess * destinations[q]
                flows[b][q].overflowIn += excess * destinations[q]
              }
              flows[b][p].overflowOut += excess
            }
          }
        }
      }
      record(state, into: &paths, members: B, placements: P, needs: N, keep: keep)
      for b in 0..<B {
        for p in 0..<P {
          flows[b][p].closing = stride(from: p, to: N * P, by: P).reduce(0) { $0 + paths[b].occupancy[t][$1] }
        }
        paths[b].flows.append(flows[b])
      }
    }
    return paths
  }

  /// `y[rows of members] = x[rows of members] · matrix` for one age block.
  ///
  /// When the members are contiguous (all of them, the usual case) the block is multiplied in
  /// place; otherwise their rows are gathered into a scratch matrix, multiplied once and
  /// scattered back. Each member owns `rows` consecutive rows of `placements` columns.
  private static func multiply(
    _ y: inout [Double], _ x: [Double], matrix: [Double], members: [Int], offset: Int, rows: Int, placements P: Int
  ) {
    let width = rows * P
    let contiguous = members.last.map { $0 - members[0] + 1 == members.count } ?? true
    if contiguous {
      let start = offset + members[0] * width
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          matrix.withUnsafeBufferPointer { m in
            guard let xb = xs.baseAddress, let yb = ys.baseAddress else { return }
            cblas_dgemm(
              CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows * members.count), Int32(P), Int32(P), 1.0,
              xb + start, Int32(P), m.baseAddress, Int32(P), 0.0, yb + start, Int32(P))
          }
        }
      }
      return
    }
    var gathered = [Double](repeating: 0, count: members.count * width)
    for (k, b) in members.enumerated() {
      for j in 0..<width { gathered[k * width + j] = x[offset + b * width + j] }
    }
    var product = [Double](repeating: 0, count: gathered.count)
    cblas_dgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows * members.count), Int32(P), Int32(P), 1.0, gathered,
      Int32(P), matrix, Int32(P), 0.0, &product, Int32(P))
    for (k, b) in members.enumerated() {
      for j in 0..<width { y[offset + b * width + j] = product[k * width + j] }
    }
  }

  /// Appends each member's state and its sum over ages (`dgemv` with a vector of ones).
  private static func record(
    _ state: [Double], into paths: inout [CaseloadPath], members B: Int, placements P: Int, needs N: Int, keep: [Bool]
  ) {
    let A = AgeAxis.count
    let width = B * N * P
    var sums = Array(repeating: 0.0, count: width)
    let ones = Array(repeating: 1.0, count: A)
    state.withUnsafeBufferPointer { x in
      ones.withUnsafeBufferPointer { o in
        sums.withUnsafeMutableBufferPointer { y in
          cblas_dgemv(
            CblasRowMajor, CblasTrans, Int32(A), Int32(width), 1.0, x.baseAddress, Int32(width), o.baseAddress, 1, 0.0,
            y.baseAddress, 1)
        }
      }
    }
    for b in 0..<B {
      if keep[b] {
        var plans = Array(repeating: 0.0, count: A * N * P)
        for a in 0..<A {
          for j in 0..<(N * P) { plans[a * N * P + j] = state[a * width + b * N * P + j] }
        }
        paths[b].plans.append(plans)
      }
      paths[b].occupancy.append(Array(sums[(b * N * P)..<((b + 1) * N * P)]))
    }
  }
}
