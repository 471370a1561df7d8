import Foundation
import PropertyBased
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore

/// Properties of the engine over random generated scenarios (`GeneratedScenario`).
///
/// Each property draws a seed with swift-property-based (a failure prints the seed and a
/// `.fixedSeed(…)` trait to replay it) and builds every input from it.
@Suite struct ScenarioPropertyTests {
  /// Runs per property: enough to meet every input shape and lever, few enough that the suite
  /// stays quick in a debug build.
  static let runs = 15

  /// `|a − b| ≤ relative · max(|a|, |b|, scale) + absolute`.
  static func close(_ a: Double, _ b: Double, relative: Double = 1e-12, absolute: Double = 1e-9, scale: Double = 0)
    -> Bool
  {
    abs(a - b) <= relative * max(abs(a), abs(b), scale) + absolute
  }

  /// Both runs of a result: the mitigated path and, when there are mitigations, the unmitigated one.
  static func paths(_ r: ScenarioResult) -> [CaseloadPath] { [r.path] + (r.unmitigatedPath.map { [$0] } ?? []) }

  /// Plans are conserved.
  ///
  /// With no cessation and no new plans, every plan is still there `t` years on, one year older and with the same need, whatever the transitions, overflow and shifts did;
  /// and in every scenario each placement's flows balance and the moves net to zero.
  @Test func conservationOfPlans() async {
    await propertyCheck(count: Self.runs, input: Gen.uint64()) { seed in
      var scenario = try GeneratedScenario(seed: seed).load()
      let general = try ScenarioRun.run(scenario)
      for path in Self.paths(general) {
        for (t, flows) in path.flows.enumerated() {
          var moves = 0.0
          var overflow = 0.0
          var moved = 0.0
          var overflowed = 0.0
          for (p, x) in flows.enumerated() {
            let balance = x.opening + x.newPlans - x.ceased - x.movedOut + x.movedIn - x.overflowOut + x.overflowIn
            #expect(Self.close(balance, x.closing, absolute: 1e-9), "seed \(seed) census \(t + 1) placement \(p)")
            var occupied = 0.0
            for n in 0..<scenario.needCount { occupied += path.occupancy[t + 1][n * scenario.placementCount + p] }
            #expect(Self.close(occupied, x.closing), "seed \(seed) census \(t + 1) placement \(p)")
            moves += x.movedOut - x.movedIn
            overflow += x.overflowOut - x.overflowIn
            moved += x.movedOut
            overflowed += x.overflowOut
          }
          // Out and in net to zero, to rounding of the totals moved (sums of thousands of plans).
          #expect(Self.close(moves, 0, scale: moved), "seed \(seed) census \(t + 1): moves net \(moves)")
          #expect(Self.close(overflow, 0, scale: overflowed), "seed \(seed) census \(t + 1): overflow net \(overflow)")
        }
      }

      scenario.cessationRate = scenario.cessationRate.enumerated().map { a, rates in
        rates.map { _ in a == AgeAxis.maxAge ? 1 : 0 }
      }
      scenario.incidenceRate = scenario.incidenceRate.map { $0.map { _ in 0 } }
      let closed = try ScenarioRun.run(scenario)
      let P = scenario.placementCount
      let N = scenario.needCount
      for path in Self.paths(closed) {
        for t in 0...scenario.horizonYears {
          for a in 0..<AgeAxis.count {
            for n in 0..<N {
              var now = 0.0
              var then = 0.0
              for p in 0..<P {
                now += path.plans[t][(a * N + n) * P + p]
                if a >= t { then += scenario.baselinePlans[((a - t) * N + n) * P + p] }
              }
              #expect(Self.close(now, then), "seed \(seed) census \(t) age \(a) need \(n): \(now) ≠ \(then)")
            }
          }
        }
      }
    }
  }

  /// Every cost is linear in the unit costs.
  ///
  /// Scaling every top-up, place-funding rate, central line and mitigation cost by `k` scales every expenditure line and saving by `k` and leaves
  /// the caseload and income untouched.
  @Test func costsAreLinearInUnitCosts() async {
    await propertyCheck(count: Self.runs, input: Gen.uint64(), Gen.double(in: 0.05...20)) { seed, k in
      let scenario = try GeneratedScenario(seed: seed).load()
      var scaled = scenario
      scaled.topUpInput = scaled.topUpInput.map { $0 * k }
      scaled.placeFundingRate = scaled.placeFundingRate.map { $0 * k }
      for c in scaled.centralLines.indices { scaled.centralLines[c].baseGBP *= k }
      for m in scaled.mitigations.indices { scaled.mitigations[m].annualCostGBP *= k }
      let a = try ScenarioRun.run(scenario)
      let b = try ScenarioRun.run(scaled)
      #expect(a.path.plans == b.path.plans, "seed \(seed)")
      expectElementwise(a.accounts, b.accounts, "seed \(seed)") { x, y in
        expectElementwise(
          x.topUpCost + x.placeFundingCost + x.central + x.mitigationCosts,
          y.topUpCost + y.placeFundingCost + y.central + y.mitigationCosts, "seed \(seed)"
        ) { u, v in #expect(Self.close(u * k, v, relative: 1e-12, absolute: 1e-6), "seed \(seed) k \(k)") }
        #expect(Self.close(x.expenditure * k, y.expenditure, absolute: 1e-6), "seed \(seed) k \(k)")
        #expect(x.income == y.income, "seed \(seed)")
      }
      // No savings when there are no mitigations.
      expectElementwise(a.savings, b.savings, "seed \(seed)", allowEmpty: true) { x, y in
        #expect(x.count == y.count, "seed \(seed)")
        for f in x.indices {
          let scale = a.accounts[f].expenditure * k
          #expect(Self.close(x[f] * k, y[f], relative: 1e-11, absolute: 1e-6, scale: scale), "seed \(seed) k \(k)")
        }
      }
    }
  }

  /// More incidence never means fewer plans, in any cell of any census, nor lower expenditure.
  ///
  /// Without capacity limits the year's step is linear with non-negative coefficients, so this
  /// holds exactly. With them it does not, and is not expected to: more new plans in a full
  /// placement push plans already there into its overflow destinations, where a different
  /// cessation rate can end more of them (seed 2 of `GeneratedScenario` shows it), and more plans
  /// can push others into cheaper placements. So the generated scenarios here have no overflow.
  @Test func plansAreMonotoneInIncidence() async {
    var options = GeneratedScenario.Options()
    options.overflow = false
    await propertyCheck(count: Self.runs, input: Gen.uint64(), Gen.double(in: 0...1)) { seed, extra in
      let scenario = try GeneratedScenario(seed: seed, options: options).load()
      var more = scenario
      more.incidenceRate = more.incidenceRate.map { $0.map { $0 * (1 + extra) } }
      let a = try ScenarioRun.run(scenario)
      let b = try ScenarioRun.run(more)
      expectElementwise(Self.paths(a), Self.paths(b), "seed \(seed)") { x, y in
        for t in 0...scenario.horizonYears {
          #expect(x.plans[t].count == y.plans[t].count && !x.plans[t].isEmpty, "seed \(seed) census \(t)")
          let lower = zip(x.plans[t], y.plans[t]).filter { $1 < $0 - 1e-12 * max(1, $0) }
          #expect(lower.isEmpty, "seed \(seed) extra \(extra) census \(t): \(lower.prefix(3))")
        }
      }
      expectElementwise(a.accounts, b.accounts, "seed \(seed)") { x, y in
        #expect(y.expenditure >= x.expenditure - 1e-6, "seed \(seed) extra \(extra)")
      }
    }
  }

  /// A ramp of one year is an immediate change.
  ///
  /// One year is the shortest ramp there is (`ramp_years` is at least 1): the mitigated run equals a run with no mitigation whose inputs were changed by
  /// hand from the start year. For the levers whose inputs vary by year (incidence, places), a
  /// ramp of `R` years equals the inputs changed by `min(1, (k+1)/R)` in the `k`-th year.
  @Test func aOneYearRampIsAnImmediateChange() async {
    var options = GeneratedScenario.Options()
    options.maxMitigations = 0
    await propertyCheck(count: Self.runs, input: Gen.uint64(), Gen.int(in: 0...5), Gen.int(in: 1...4)) {
      seed, choice, ramp in
      let base = try GeneratedScenario(seed: seed, options: options).load()
      var rng = SplitMix64(seed: seed ^ 0x5EED)
      let P = base.placementCount
      let N = base.needCount
      let B = base.baseCensusYear
      let from = Int.random(in: 0..<P, using: &rng)
      let to = (from + Int.random(in: 1..<P, using: &rng)) % P
      let factor = Double.random(in: 0...2, using: &rng)
      let share = Double.random(in: 0...1, using: &rng)
      var mitigated = base
      var direct = base
      func lever(_ lever: Mitigation.Lever, start: Int, ramp: Int = 1) {
        mitigated.mitigations = [
          Mitigation(
            id: "m", label: "m", lever: lever, startAcademicYear: start, rampYears: ramp, ages: 0...AgeAxis.maxAge,
            source: "")
        ]
      }
      /// The ramp's strength in the academic year starting in `y`, written out.
      func strength(_ y: Int, start: Int) -> Double { y < start ? 0 : min(1, Double(y - start + 1) / Double(ramp)) }
      switch choice {
      case 0:
        let start = B + Int.random(in: 0..<base.horizonYears, using: &rng)
        lever(.scaleIncidence(factor: factor), start: start, ramp: ramp)
        for t in 1...base.horizonYears {
          let e = strength(B + t - 1, start: start)
          direct.incidenceRate[t - 1] = direct.incidenceRate[t - 1].map { $0 * (1 + e * (factor - 1)) }
        }
      case 1:
        lever(.scaleCessation(factor: factor), start: B)
        for a in 0..<AgeAxis.maxAge {
          for p in 0..<P { direct.cessationRate[a][p] = min(1, direct.cessationRate[a][p] * factor) }
        }
      case 2:
        lever(.shiftNewPlans(from: from, to: to, share: share), start: B)
        for a in 0..<AgeAxis.count {
          for n in 0..<N {
            let moved = direct.newPlanMix[a][n * P + from] * share
            direct.newPlanMix[a][n * P + from] -= moved
            direct.newPlanMix[a][n * P + to] += moved
          }
        }
      case 3:
        lever(.shiftPlacements(from: from, to: to, share: share), start: B)
        for a in 0..<AgeAxis.maxAge {
          for row in 0..<P {
            let moved = direct.transition[a][row * P + from] * share
            direct.transition[a][row * P + from] -= moved
            direct.transition[a][row * P + to] += moved
          }
        }
      case 4:
        lever(.unitCost(placement: from, factor: factor), start: B - 1)
        for n in 0..<N { direct.topUpInput[n * P + from] *= factor }
      default:
        let start = B - 1 + Int.random(in: 0...base.horizonYears, using: &rng)
        let places = Double(Int.random(in: 0...50, using: &rng))
        lever(.addCapacity(placement: from, places: places), start: start, ramp: ramp)
        for t in 0...base.horizonYears {
          direct.commissionedPlaces[t][from] += strength(B + t - 1, start: start) * places
        }
      }
      let a = try ScenarioRun.run(mitigated)
      let b = try ScenarioRun.run(direct)
      for t in 0...base.horizonYears {
        expectElementwise(a.path.plans[t], b.path.plans[t], "seed \(seed) census \(t)") { x, y in
          #expect(Self.close(x, y), "seed \(seed) lever \(choice) census \(t): \(x) ≠ \(y)")
        }
      }
      expectElementwise(a.accounts, b.accounts, "seed \(seed)") { x, y in
        #expect(Self.close(x.expenditure, y.expenditure, absolute: 1e-6), "seed \(seed) lever \(choice)")
      }
    }
  }

  /// A file that only `extends:` another gives the same tables, byte for byte.
  ///
  /// The child lives in another directory, so paths resolve relative to the parent's file.
  /// The tables `hnb run` writes for `loaded`.
  static func tables(_ loaded: LoadedScenario) throws -> [String: String] {
    try RunTables.tables([try ScenarioRun.run(loaded.scenario)], sources: [loaded.source])
  }

  @Test func extendsWithNoOverridesEqualsTheParent() async {
    await propertyCheck(count: Self.runs, input: Gen.uint64()) { seed in
      let path = try GeneratedScenario(seed: seed).write()
      let directory = (path as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: directory + "/child", withIntermediateDirectories: true)
      let child = directory + "/child/child.yaml"
      try "extends: ../scenario.yaml\n".write(toFile: child, atomically: true, encoding: .utf8)
      let parent = try Self.tables(try ScenarioLoader.loadWithSource(path: path))
      let inherited = try Self.tables(try ScenarioLoader.loadWithSource(path: child))
      #expect(parent.keys.sorted() == inherited.keys.sorted())
      for (name, text) in parent { #expect(inherited[name] == text, "seed \(seed): \(name) differs") }
    }
  }

  /// Reordering the data rows of the input CSVs changes no output byte.
  ///
  /// The one exception is
  /// where each value was read, the `defined_at` column of `assumptions.csv` (its line moves
  /// with it), which is compared without its line and column. The taxonomy files are left out
  /// on purpose: their order is the placements' and needs' order in every table.
  @Test func reorderingInputRowsChangesNoOutput() async {
    let dataFiles = [
      "baseline.csv", "population.csv", "incidence.csv", "mix.csv", "cessation.csv", "transitions.csv",
      "places.csv", "top_ups.csv", "outturn.csv",
    ]
    await propertyCheck(count: Self.runs, input: Gen.uint64()) { seed in
      let generated = GeneratedScenario(seed: seed)
      var shuffled = generated
      var rng = SplitMix64(seed: seed ^ 0xC0FFEE)
      for name in dataFiles {
        guard let text = generated.files[name] else { continue }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines.removeFirst()
        shuffled.files[name] = ([header] + lines.shuffled(using: &rng)).map { $0 + "\n" }.joined()
      }
      let a = try Self.tables(try generated.loadWithSource())
      let b = try Self.tables(try shuffled.loadWithSource())
      #expect(a.keys.sorted() == b.keys.sorted())
      for (name, text) in a where name != "assumptions.csv" {
        #expect(b[name] == text, "seed \(seed): \(name) differs")
      }
      #expect(
        Self.withoutLines(a["assumptions.csv"] ?? "") == Self.withoutLines(b["assumptions.csv"] ?? ""),
        "seed \(seed): assumptions.csv differs")
    }
  }

  /// `assumptions.csv` with `file:line:column` cut to `file` and the directory dropped (each
  /// run writes its files to a new temporary directory).
  static func withoutLines(_ csv: String) -> [String] {
    csv.split(separator: "\n").map { line in
      var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if var last = cells.popLast() {
        last = (last.split(separator: ":").first.map(String.init) ?? last)
        cells.append((last as NSString).lastPathComponent)
      }
      return cells.joined(separator: ",")
    }
  }
}
