import Foundation

/// One-at-a-time (tornado) and variance-based (Sobol) sensitivity of one metric in one year to
/// a scenario's scalar uncertain inputs.
///
/// Each scalar input of the `uncertainty:` section, and each number of the file written with a
/// distribution, is one factor, set to a single value for the whole projection (a `per_year`
/// input takes the same value every year). In a tornado the Dirichlet transition rows and
/// new-plan mixes stay at their means; in a Sobol analysis each is one grouped factor. Rank
/// correlations are not used (Sobol indices assume independent factors). Runs are the fully
/// mitigated projection.
public enum Sensitivity {
  /// One bar of a tornado.
  public struct Bar: Sendable {
    public var input: String
    public var target: String
    public var low: Double
    public var high: Double
    public var outputAtLow: Double
    public var outputAtHigh: Double
    /// `|output at high − output at low|`.
    public var swing: Double { abs(outputAtHigh - outputAtLow) }
  }

  /// The metric `metric` in financial year `f` for each row of input values (`values[r][i]`:
  /// input `i`'s value in run `r`), run in batches through the projection.
  ///
  /// Without `streams`, Dirichlet transition rows and new-plan mixes stay at their means; with
  /// them, run `r` draws its rows and mixes from the streams of draws `streams[r]` (a
  /// grouped factor of a Sobol analysis).
  public static func evaluate(
    _ base: Scenario, values: [[Double]], metric: SweepMetric, year f: Int, streams: [(rows: Int, mix: Int)]? = nil
  ) throws -> [Double] {
    var s = base
    if streams == nil {
      s.uncertainty.transitionConcentration = nil
      s.uncertainty.newPlanMixConcentration = nil
    }
    let k = s.uncertainty.inputs.count
    s.uncertainty.rankCorrelation = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0 } }
    let H = s.horizonYears
    let generator = Philox4x32(seed: 0)
    let model = SweepModel(s)
    var out: [Double] = []
    var start = 0
    while start < values.count {
      let end = Swift.min(values.count, start + Sweep.defaultBatchSize)
      let draws = try (start..<end).map { r -> Draw in
        var t = s
        for i in 0..<k { t.uncertainty.inputs[i].distribution = .uniform(min: values[r][i], max: values[r][i]) }
        return try Draw(
          base: t, mitigated: model.parameters, generator: generator, index: 0,
          rowsIndex: streams?[r].rows, mixIndex: streams?[r].mix, dirichlet: model.dirichlet)
      }
      out += try Sweep.metrics(model, draws).map { $0[metric.index * H + f] }
      start = end
    }
    return out
  }

  /// The factors of a Sobol analysis, as `(id, target)`: each scalar input, then the Dirichlet
  /// transition rows (`transition_rows`) and new-plan mixes (`new_plan_mix`) when the scenario
  /// draws them, each one grouped factor (all its rows drawn together).
  public static func sobolFactors(_ s: Scenario) -> [(id: String, target: String)] {
    var factors = s.uncertainty.inputs.map { (id: $0.id, target: $0.targetName) }
    if s.uncertainty.transitionConcentration != nil { factors.append((id: "transition_rows", target: "dirichlet")) }
    if s.uncertainty.newPlanMixConcentration != nil { factors.append((id: "new_plan_mix", target: "dirichlet")) }
    return factors
  }

  /// Draw streams a grouped factor's uniform `u` picks from: `⌊u · 2³⁰⌋`.
  static let groupedFactorStreams = Double(1 << 30)

  /// The central value of an input: its distribution's median.
  public static func central(_ input: UncertainInput) -> Double { input.distribution.quantile(0.5) }

  /// Low and high values of `input`: its distribution's p10 and p90, or with `percent` the
  /// median moved down and up by that percentage (for a `*_shock` input, the growth factor
  /// `1 + median` moved so).
  public static func range(_ input: UncertainInput, percent: Double?) -> (Double, Double) {
    guard let p = percent else { return (input.distribution.quantile(0.1), input.distribution.quantile(0.9)) }
    let m = central(input)
    switch input.target {
    case .hnbGrowthShock, .topUpUpliftShock: return ((1 + m) * (1 - p / 100) - 1, (1 + m) * (1 + p / 100) - 1)
    default: return (m * (1 - p / 100), m * (1 + p / 100))
    }
  }

  /// The tornado: each input at its low and high value with the others at their medians.
  ///
  /// Bars come largest swing first (ties in file order); also returns the output with every
  /// input at its median.
  public static func tornado(_ s: Scenario, metric: SweepMetric, year f: Int, percent: Double?) throws -> (
    central: Double, bars: [Bar]
  ) {
    let inputs = s.uncertainty.inputs
    let centre = inputs.map(central)
    var rows = [centre]
    for (i, input) in inputs.enumerated() {
      let (lo, hi) = range(input, percent: percent)
      var a = centre
      a[i] = lo
      var b = centre
      b[i] = hi
      rows += [a, b]
    }
    let y = try evaluate(s, values: rows, metric: metric, year: f)
    let bars = inputs.enumerated().map { i, input in
      Bar(
        input: input.id, target: input.targetName, low: rows[1 + 2 * i][i], high: rows[2 + 2 * i][i],
        outputAtLow: y[1 + 2 * i], outputAtHigh: y[2 + 2 * i])
    }
    let order = bars.indices.sorted { bars[$0].swing > bars[$1].swing || (bars[$0].swing == bars[$1].swing && $0 < $1) }
    return (y[0], order.map { bars[$0] })
  }

  /// Sobol indices of the metric, each input drawn from its own distribution (as `F⁻¹(u)`).
  ///
  /// The factors are `sobolFactors(s)`: a grouped Dirichlet factor's uniform picks the draw
  /// whose rows (or mixes) a run uses, so that run `AB_i` shares them with `B` exactly when
  /// the factor is `i`.
  public static func sobol(
    _ s: Scenario, metric: SweepMetric, year f: Int, samples n: Int, seed: UInt64, bootstrap: Int,
    confidence: Double = 0.95
  ) throws -> Sobol.Indices {
    let inputs = s.uncertainty.inputs
    let factors = sobolFactors(s)
    let points = Sobol.points(factors: factors.count, samples: n, seed: seed)
    let values = points.map { u in zip(inputs, u).map { $0.distribution.quantile($1) } }
    var streams: [(rows: Int, mix: Int)]?
    if factors.count > inputs.count {
      streams = points.map { u in
        var grouped = u[inputs.count...].map { Int($0 * groupedFactorStreams) }.makeIterator()
        let rows = s.uncertainty.transitionConcentration == nil ? 0 : grouped.next() ?? 0
        let mix = s.uncertainty.newPlanMixConcentration == nil ? 0 : grouped.next() ?? 0
        return (rows, mix)
      }
    }
    let y = try evaluate(s, values: values, metric: metric, year: f, streams: streams)
    return Sobol.indices(
      y, factors: factors.count, samples: n, seed: seed, bootstrap: bootstrap, confidence: confidence)
  }
}
