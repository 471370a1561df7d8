import Foundation

/// What `hnb goalseek --vary` moves: one number applied to a scenario before it runs.
///
/// Every variable has an as-written value (the scenario unchanged) and a default allowed range:
/// - `incidence`, `cessation`, `top_up`: a multiplier on new plans, on cessation rates (capped
///   at 1) or on every top-up, in every year (as written 1; range 0…10);
/// - `hnb_growth`: a fraction added to the HNB allocation's growth each year, so the allocation
///   of financial year `f` is multiplied by `(1 + x)^f` (as written 0; range −0.5…1);
/// - `input:ID`: a further multiplier (for `*_shock` inputs an added fraction) with the same
///   target and placements as uncertain input `ID` (as for the targets above);
/// - `transfer_percent`: the Schools Block transfer, percent of the Schools Block, the same in
///   every year (as written the first year's value; range 0…100);
/// - `mitigation:ID`: mitigation `ID`'s strength, a scale on its effect and its cost: 0 is off,
///   1 as written (factors `c` become `1 + x(c − 1)`, shares, places and costs `x ×`; a target
///   share `x ×`); range 0…3.
public enum GoalSeekVariable: Sendable, Equatable {
  /// A multiplier or added fraction on an uncertain-input target.
  case target(UncertainInput.Target, name: String)
  /// The Schools Block transfer percent.
  case transferPercent
  /// The strength of mitigation number `index`.
  case mitigationStrength(index: Int, id: String)

  /// Reads the `--vary` text against `scenario`.
  public static func parse(_ text: String, scenario s: Scenario) throws -> GoalSeekVariable {
    let all = Array(0..<s.placementCount)
    switch text {
    case "incidence": return .target(.incidenceFactor, name: text)
    case "cessation": return .target(.cessationFactor, name: text)
    case "top_up": return .target(.topUpFactor(placements: all), name: text)
    case "hnb_growth": return .target(.hnbGrowthShock, name: text)
    case "transfer_percent": return .transferPercent
    default: break
    }
    if text.hasPrefix("input:") {
      let id = String(text.dropFirst(6))
      if let input = s.uncertainty.inputs.first(where: { $0.id == id }) {
        if case .scenarioNumber = input.target {
          throw InputError(
            SourceLocation(file: "--vary"), key: "vary",
            expected: "an input of the uncertainty section's inputs (a number of the file is not a multiplier)",
            found: "\(InputError.quoted(text)), a number written with a distribution")
        }
        return .target(input.target, name: text)
      }
    } else if text.hasPrefix("mitigation:") {
      let id = String(text.dropFirst(11))
      if let i = s.mitigations.firstIndex(where: { $0.id == id }) { return .mitigationStrength(index: i, id: id) }
    }
    throw InputError(
      SourceLocation(file: "--vary"), key: "vary",
      expected:
        "incidence, cessation, top_up, hnb_growth, transfer_percent, input:ID (an uncertain input of the scenario) or mitigation:ID (one of its mitigations)",
      found: InputError.quoted(text))
  }

  /// The value that leaves the scenario as written.
  public func asWritten(_ s: Scenario) -> Double {
    switch self {
    case .target(let t, _):
      switch t {
      case .hnbGrowthShock, .topUpUpliftShock: return 0
      default: return 1
      }
    case .transferPercent: return s.income.schoolsBlockTransferPercent.first ?? 0
    case .mitigationStrength: return 1
    }
  }

  /// The default allowed range.
  public var defaultRange: ClosedRange<Double> {
    switch self {
    case .target(let t, _):
      switch t {
      case .hnbGrowthShock, .topUpUpliftShock: return -0.5...1
      default: return 0...10
      }
    case .transferPercent: return 0...100
    case .mitigationStrength: return 0...3
    }
  }

  /// The values the variable can take at all, with what they mean: `--min` and `--max` must lie
  /// in it.
  ///
  /// A multiplier is ≥ 0 (a negative one would make negative plans or costs) and at most 100;
  /// an added growth fraction is ≥ −1 (a fall of the whole amount) and at most 1 (the amount
  /// doubled every year: beyond that the money reaches magnitudes, 11¹⁰ × £70m at 10, at which
  /// the accounts no longer reconcile to the pound); the transfer is a percentage in [0, 100], as in the scenario file;
  /// a mitigation's strength is 0 (off) to 10 (ten times as written). The upper bounds keep
  /// every trial's numbers finite over the longest horizon (40 years).
  public var validRange: (range: ClosedRange<Double>, meaning: String) {
    switch self {
    case .target(let t, _):
      switch t {
      case .hnbGrowthShock, .topUpUpliftShock: return (-1...1, "a fraction added to the growth a year")
      default: return (0...100, "a multiplier")
      }
    case .transferPercent: return (0...100, "a percentage of the Schools Block")
    case .mitigationStrength: return (0...10, "a strength (0 off, 1 as written)")
    }
  }

  /// `s` with the variable set to `x` (its uncertain inputs left as they are).
  ///
  /// The transfer and a mitigation's strength are set in the scenario's inputs, which are
  /// resolved again, so a sweep draw of the result (which resolves its own drawn inputs) keeps
  /// them.
  public func applied(_ x: Double, to base: Scenario) throws -> Scenario {
    var s = base
    switch self {
    case .target(let target, _):
      // A degenerate input of its own stream: it moves the model exactly as a drawn value would,
      // without shifting any other input's random numbers.
      let k = s.uncertainty.inputs.count
      s.uncertainty.inputs.append(
        UncertainInput(id: "goalseek", target: target, distribution: .uniform(min: x, max: x), perYear: false))
      var r = s.uncertainty.rankCorrelation.map { $0 + [0] }
      r.append(Array(repeating: 0, count: k) + [1])
      s.uncertainty.rankCorrelation = r
    case .transferPercent:
      var inputs = s.inputs
      inputs.income.transferPercentSet = x
      s = try Self.resolved(inputs, like: base)
    case .mitigationStrength(let i, _):
      var inputs = s.inputs
      inputs.mitigations[i].strength = x
      s = try Self.resolved(inputs, like: base)
    }
    return s
  }

  /// `inputs` resolved, with `base`'s uncertain inputs and alerts.
  static func resolved(_ inputs: ScenarioInputs, like base: Scenario) throws -> Scenario {
    var s = try ScenarioResolver.resolve(inputs)
    s.uncertainty = base.uncertainty
    s.alerts = base.alerts
    s.censusAgeAlertYears = base.censusAgeAlertYears
    return s
  }

  /// `m` at strength `x`: its effect and cost scaled (0 off, 1 as written).
  public static func scaled(_ m: Mitigation, by x: Double) -> Mitigation {
    var m = m
    func factor(_ c: Double) -> Double { 1 + x * (c - 1) }
    switch m.lever {
    case .scaleIncidence(let c): m.lever = .scaleIncidence(factor: max(0, factor(c)))
    case .scaleCessation(let c): m.lever = .scaleCessation(factor: max(0, factor(c)))
    case .scaleRequests(let c): m.lever = .scaleRequests(factor: max(0, factor(c)))
    case .scaleRefusals(let c): m.lever = .scaleRefusals(factor: max(0, factor(c)))
    case .scaleConversion(let c): m.lever = .scaleConversion(factor: max(0, factor(c)))
    case .divertNewPlans(let needs, let share, let cost, let years):
      m.lever = .divertNewPlans(needs: needs, share: min(1, x * share), costPerChild: cost, supportYears: years)
    case .reassessAtTransfer(let share): m.lever = .reassessAtTransfer(share: min(1, x * share))
    case .capUplift(let line, let cap, let effect): m.lever = .capUplift(line: line, uplift: cap, effect: x * effect)
    case .unitCost(let p, let c): m.lever = .unitCost(placement: p, factor: max(0, factor(c)))
    case .shiftNewPlans(let a, let b, let share): m.lever = .shiftNewPlans(from: a, to: b, share: min(1, x * share))
    case .shiftNewPlansToTarget(let a, let b, let share):
      m.lever = .shiftNewPlansToTarget(from: a, to: b, targetShare: min(1, x * share))
    case .shiftPlacements(let a, let b, let share): m.lever = .shiftPlacements(from: a, to: b, share: min(1, x * share))
    case .addCapacity(let p, let places): m.lever = .addCapacity(placement: p, places: x * places)
    }
    m.annualCostGBP *= x
    return m
  }

  /// The name as given to `--vary`.
  public var name: String {
    switch self {
    case .target(_, let name): return name
    case .transferPercent: return "transfer_percent"
    case .mitigationStrength(_, let id): return "mitigation:" + id
    }
  }
}

/// A goal: a metric in a year compared with a value, or the probability of that over a sweep
/// compared with a probability.
///
/// Written `cumulative_balance >= 0 in 2030-31` or `P(cumulative_balance >= 0 in 2030-31) >= 0.8`;
/// the metric is a `SweepMetric`, the operator `>=`, `>`, `<=` or `<`, the year a
/// financial year of the scenario.
public struct GoalSeekTarget: Sendable, Equatable {
  public var metric: SweepMetric
  public var atLeast: Bool
  public var value: Double
  public var year: Int
  /// The probability bound of a `P(…)` target (nil: a deterministic target).
  public var probability: Double?
  public var probabilityAtLeast = true
  public var text: String

  /// Reads `text` against `scenario`.
  public static func parse(_ text: String, scenario s: Scenario) throws -> GoalSeekTarget {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    func fail(_ why: String) -> InputError {
      InputError(
        SourceLocation(file: "--target"), key: "target",
        expected: "'METRIC >= VALUE in YYYY-YY' or 'P(METRIC >= VALUE in YYYY-YY) >= PROBABILITY' (\(why))",
        found: InputError.quoted(text))
    }
    func comparison(_ t: String) throws -> (String, Bool, Double) {
      for op in [">=", "<=", ">", "<"] {
        if let r = t.range(of: op) {
          let lhs = t[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
          let rhs = t[r.upperBound...].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
          guard let v = Double(rhs), v.isFinite else { throw fail("a finite number after \(op)") }
          return (lhs, op.hasPrefix(">"), v)
        }
      }
      throw fail("an operator >=, >, <= or <")
    }
    var inner = trimmed
    var probability: Double?
    var probabilityAtLeast = true
    if trimmed.hasPrefix("P(") {
      guard let close = trimmed.lastIndex(of: ")") else { throw fail("a closing parenthesis") }
      inner = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close])
      let (rest, atLeast, p) = try comparison(String(trimmed[trimmed.index(after: close)...]))
      guard rest.isEmpty, (0...1).contains(p) else { throw fail("a probability in [0, 1]") }
      probability = p
      probabilityAtLeast = atLeast
    }
    guard let inRange = inner.range(of: " in ") else { throw fail("' in YEAR'") }
    let label = inner[inRange.upperBound...].trimmingCharacters(in: .whitespaces)
    guard let year = (0..<s.horizonYears).first(where: { s.financialYearLabel($0) == label }) else {
      throw fail(
        "a financial year from \(s.financialYearLabel(0)) to \(s.financialYearLabel(s.horizonYears - 1))")
    }
    let (name, atLeast, value) = try comparison(String(inner[..<inRange.lowerBound]))
    guard let metric = SweepMetric(rawValue: name) else { throw fail("a metric: " + SweepMetric.names) }
    return GoalSeekTarget(
      metric: metric, atLeast: atLeast, value: value, year: year, probability: probability,
      probabilityAtLeast: probabilityAtLeast, text: trimmed)
  }

  /// Whether a metric value meets the inner comparison.
  public func meets(_ v: Double) -> Bool { atLeast ? v >= value : v <= value }
}

/// Finds the smallest change of one variable that meets a target, by expanding a bracket from
/// the as-written value and bisecting it.
///
/// From `x₀`, trial points `x₀ ± d`, `d = (hi − lo)/1024, 2d, 4d, …` (clamped to the range) are
/// tried on both sides until one meets the target; the bracket between that point and the last
/// one on its side that did not is then halved until it is at most `tolerance` wide. The answer
/// is the bracket's end that meets the target, so it is conservative: the true crossing lies
/// within `tolerance` of it, towards `x₀`. If the target is met at `x₀`, the answer is `x₀`.
/// This assumes the margin changes sign once between `x₀` and the answer on each side
/// (monotone in practice); a probability target uses the same seed at every trial (common
/// random numbers), which keeps it monotone in practice.
public enum GoalSeek {
  /// One evaluation: the variable's value, the margin (≥ 0 meets the target) and the reported
  /// quantity (the metric or the probability).
  public struct Trial: Sendable, Equatable {
    public var x: Double
    public var reported: Double
    public var meets: Bool
  }

  /// The answer of a goal seek.
  public struct Answer: Sendable {
    /// The value found, or nil when no value in the range meets the target.
    public var value: Double?
    /// The bracket's other end (the nearest value known not to meet the target), if any.
    public var other: Double?
    public var tolerance: Double
    public var trials: [Trial]
  }

  /// Solves for the value of `x` in `range` nearest `x0` at which `evaluate(x).meets`.
  public static func solve(
    from x0: Double, range: ClosedRange<Double>, tolerance: Double, evaluate: (Double) throws -> Trial
  ) rethrows -> Answer {
    var trials: [Trial] = []
    func eval(_ x: Double) throws -> Trial {
      let t = try evaluate(x)
      trials.append(t)
      return t
    }
    let start = min(max(x0, range.lowerBound), range.upperBound)
    if try eval(start).meets { return Answer(value: start, other: nil, tolerance: 0, trials: trials) }
    var d = (range.upperBound - range.lowerBound) / 1024
    var last = [start, start]
    var brackets: [(Double, Double)] = []
    while brackets.isEmpty {
      var moved = false
      for (side, sign) in [1.0, -1.0].enumerated() {
        let x = min(max(start + sign * d, range.lowerBound), range.upperBound)
        guard x != last[side] else { continue }
        moved = true
        if try eval(x).meets { brackets.append((last[side], x)) } else { last[side] = x }
      }
      if !moved { return Answer(value: nil, other: nil, tolerance: 0, trials: trials) }
      d *= 2
    }
    var best: (Double, Double)?
    for (a0, b0) in brackets {
      var (a, b) = (a0, b0)
      while abs(b - a) > tolerance {
        let m = (a + b) / 2
        guard m != a, m != b else { break }
        if try eval(m).meets { b = m } else { a = m }
      }
      if best == nil || abs(b - start) < abs((best?.1 ?? b) - start) { best = (a, b) }
    }
    guard let (a, b) = best else { return Answer(value: nil, other: nil, tolerance: 0, trials: trials) }
    return Answer(value: b, other: a, tolerance: abs(b - a), trials: trials)
  }

  /// The metric of the deterministic (fully mitigated) run of `s`: `row[metric · H + f]`.
  public static func deterministicMetrics(_ s: Scenario) throws -> [Double] {
    var fixed = s
    fixed.uncertainty = UncertaintySpec()
    return try metrics(fixed, draws: 1, seed: 0)[0]
  }

  /// The metrics of `s` with its own uncertain inputs plus any added by a variable.
  static func metrics(_ s: Scenario, draws: Int, seed: UInt64) throws -> [[Double]] {
    try Sweep.run(s, seed: seed, draws: draws, batches: Sweep.batches(draws: draws, shard: 1, of: 1))
  }

  /// Evaluates `target` at `x` of `variable` on `base`: deterministically, or over a sweep of
  /// `draws` draws with `seed` for a probability target.
  public static func trial(
    _ base: Scenario, variable: GoalSeekVariable, target: GoalSeekTarget, x: Double, draws: Int, seed: UInt64
  ) throws -> Trial {
    let H = base.horizonYears
    let column = target.metric.index * H + target.year
    if let p = target.probability {
      let rows = try metrics(try variable.applied(x, to: base), draws: draws, seed: seed)
      let share = Double(rows.filter { target.meets($0[column]) }.count) / Double(rows.count)
      return Trial(x: x, reported: share, meets: target.probabilityAtLeast ? share >= p : share <= p)
    }
    var fixed = base
    fixed.uncertainty = UncertaintySpec()
    let v = try metrics(try variable.applied(x, to: fixed), draws: 1, seed: 0)[0][column]
    return Trial(x: x, reported: v, meets: target.meets(v))
  }
}
