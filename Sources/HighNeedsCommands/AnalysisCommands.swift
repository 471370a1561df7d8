import Foundation
import HighNeeds

/// The work of `hnb sweep`: the draws of every scenario, whole or one shard of them.
package struct SweepCommand: Sendable {
  package var settings: SweepSettings
  package var batchSize: Int
  /// `--shard k/n`, or nil for the whole sweep.
  package var shard: (k: Int, n: Int)?
  package var asOf: CalendarDate

  package init(settings: SweepSettings, batchSize: Int, shard: (k: Int, n: Int)?, asOf: CalendarDate) {
    self.settings = settings
    self.batchSize = batchSize
    self.shard = shard
    self.asOf = asOf
  }

  /// `k/n` → (k, n) with 1 ≤ k ≤ n.
  package static func parseShard(_ text: String) -> (k: Int, n: Int)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
      return nil
    }
    return (k, n)
  }

  /// What is wrong with `--draws`, `--batch-size`, `--shard` and `--threshold`, or nil.
  package static func problem(
    draws: Int, batchSize: Int, shard: String?, thresholds: [Double], scenarioCount: Int
  ) -> String? {
    guard (2...Sweep.maximumDraws).contains(draws) else {
      // In floating point: Int.max draws must not overflow the estimate.
      let gib = Double(max(draws, 0)) * Double(scenarioCount) * Sweep.bytesPerDraw(years: 10) / 1_073_741_824
      return "--draws must be from 2 to \(Sweep.maximumDraws); found \(draws)"
        + (draws > Sweep.maximumDraws
          ? " (a sweep keeps every draw's metrics in memory: \(draws) draws of \(scenarioCount) scenario(s) "
            + "would need about \(NumberFormat.fixed(gib, 1)) GiB on a 10-year horizon)." : ".")
    }
    guard (1...Sweep.maximumBatchSize).contains(batchSize) else {
      return "--batch-size must be from 1 to \(Sweep.maximumBatchSize) (each core holds a batch's projection "
        + "state, about 32 kB a draw); found \(batchSize)."
    }
    if let shard {
      let batches = (draws + batchSize - 1) / batchSize
      guard let (k, n) = parseShard(shard),
        SweepShard.problem(draws: draws, batchSize: batchSize, shard: k, of: n) == nil
      else {
        return "--shard must be k/n with 1 ≤ k ≤ n ≤ \(batches) (the batches of \(draws) draws at --batch-size "
          + "\(batchSize), so that no shard is empty); found \(InputError.quoted(shard))."
      }
    }
    var seen: Set<Double> = []
    for t in thresholds {
      guard t.isFinite, (0...Sweep.maximumThresholdGBP).contains(t) else {
        return "--threshold must be a deficit in pounds from 0 to \(NumberFormat.fixed(Sweep.maximumThresholdGBP, 0)); "
          + "found \(t)."
      }
      guard seen.insert(t).inserted else {
        return "--threshold must be given once for each amount; found \(NumberFormat.fixed(t, 0)) twice."
      }
    }
    return nil
  }

  /// Loads the scenarios, checks `--out`, runs their draws (with a progress bar on a terminal)
  /// and writes the sweep's files, or the shard's.
  package func run(_ pipeline: CommandPipeline) throws {
    try pipeline.scenarios(settings.scenarioPaths, asOf: asOf) { scenarios in
      let (draws, seed) = (settings.draws, settings.seed)
      let (k, n) = shard ?? (1, 1)
      let batches = Sweep.batches(draws: draws, shard: k, of: n, batchSize: batchSize)
      let progress = ProgressBar(
        total: scenarios.count
          * batches.map { Sweep.drawRange(batch: $0, draws: draws, batchSize: batchSize).count }.reduce(0, +))
      var rows: [[[Double]]] = []
      for (i, s) in scenarios.map(\.scenario).enumerated() {
        let done = i * progress.total / scenarios.count
        rows.append(
          try Sweep.run(s, seed: seed, draws: draws, batches: batches, batchSize: batchSize) {
            progress.show(done + $0)
          })
      }
      progress.finish()
      guard shard != nil else {
        return try Self.whole(
          settings: settings, scenarios: scenarios, rows: rows, asOf: asOf, suffix: " (\(draws) draws, seed \(seed))")
      }
      var output = CommandOutput(
        files: try SweepShard.files(
          settings: settings, batchSize: batchSize, shard: k, of: n, asOf: asOf, sources: scenarios.map(\.source),
          rows: rows),
        wroteSuffix: nil)
      output.summary = [
        "wrote shard \(k)/\(n) (\(rows.first?.count ?? 0) draws) to \(pipeline.out); combine the shards with hnb merge"
      ]
      return output
    }
  }

  /// The files of a whole sweep, its manifest annotated with the as-of date.
  static func whole(
    settings: SweepSettings, scenarios: [LoadedScenario], rows: [[[Double]]], asOf: CalendarDate, suffix: String
  )
    throws -> CommandOutput
  {
    let files = try SweepOutput.files(settings: settings, scenarios: scenarios, rows: rows, asOf: asOf)
    return CommandOutput(files: files, wroteSuffix: suffix)
  }

  /// `hnb merge`: the shards in `directories` combined into the unsharded sweep's files.
  package static func merge(_ directories: [String], pipeline: CommandPipeline) throws {
    let merged = try SweepShard.merge(directories: directories) { paths, asOf in
      try ScenarioSet.load(paths, asOf: asOf, console: pipeline.console)
    }
    // A shard read into the merge must survive it: --out may not be one of them.
    let shardFiles = directories.map { ($0 as NSString).appendingPathComponent("shard.json") }
    try pipeline.write(inputs: ScenarioSet.files(merged.scenarios) + shardFiles) {
      var output = try whole(
        settings: merged.settings, scenarios: merged.scenarios, rows: merged.rows, asOf: merged.asOf, suffix: "")
      output.wroteSuffix = nil
      output.summary = ["merged \(directories.count) shards (\(merged.settings.draws) draws) into \(pipeline.out)"]
      return output
    }
  }
}

/// A progress bar on standard error when it is a terminal; silent otherwise.
final class ProgressBar {
  let total: Int
  let enabled = isatty(2) == 1
  private var lastPercent = -1

  init(total: Int) { self.total = total }

  func show(_ done: Int) {
    guard enabled, total > 0 else { return }
    let percent = done * 100 / total
    guard percent != lastPercent else { return }
    lastPercent = percent
    let bar = String(repeating: "#", count: percent / 5) + String(repeating: ".", count: 20 - percent / 5)
    FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% (\(done)/\(total) draws)".utf8))
  }

  func finish() {
    if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

/// The work of `hnb goalseek`: the smallest change of one input that meets a target.
package struct GoalSeekCommand: Sendable {
  package var scenario: String
  /// `--target` and `--vary` as written.
  package var target: String
  package var vary: String
  package var min: Double?
  package var max: Double?
  package var tolerance: Double?
  package var draws: Int
  package var seed: UInt64
  package var asOf: CalendarDate

  package init(
    scenario: String, target: String, vary: String, min: Double?, max: Double?, tolerance: Double?, draws: Int,
    seed: UInt64, asOf: CalendarDate
  ) {
    self.scenario = scenario
    self.target = target
    self.vary = vary
    self.min = min
    self.max = max
    self.tolerance = tolerance
    self.draws = draws
    self.seed = seed
    self.asOf = asOf
  }

  /// Loads the scenario, reads the target and the variable, checks `--out`, solves and writes
  /// `goalseek.csv`, `trials.csv` and the manifest; a target no allowed value meets is a
  /// `CommandError` and writes nothing.
  package func run(_ pipeline: CommandPipeline) throws {
    let loaded = try ScenarioSet.load([scenario], asOf: asOf, console: pipeline.console)[0]
    let variable = try GoalSeekVariable.parse(vary, scenario: loaded.scenario)
    let goal = try GoalSeekTarget.parse(target, scenario: loaded.scenario)
    let range = try allowedRange(variable)
    try pipeline.write(inputs: ScenarioSet.files([loaded])) {
      try solve(loaded, variable: variable, goal: goal, range: range, out: pipeline.out)
    }
  }

  /// `--min` and `--max` checked against the range `variable` can take (a usage error): a
  /// negative multiplier, or a transfer above 100%, is refused rather than run.
  func allowedRange(_ variable: GoalSeekVariable) throws -> ClosedRange<Double> {
    let fmt = { NumberFormat.significant($0, 10, nan: "") }
    let (valid, meaning) = variable.validRange
    for (option, value) in [("--min", min), ("--max", max)] {
      if let value, !valid.contains(value) {
        throw CommandError(
          .usage,
          "\(option): expected \(meaning) in [\(fmt(valid.lowerBound)), \(fmt(valid.upperBound))] for --vary "
            + "\(variable.name); found \(fmt(value))")
      }
    }
    let lo = min ?? variable.defaultRange.lowerBound
    let hi = max ?? variable.defaultRange.upperBound
    guard lo < hi else {
      throw CommandError(
        .usage,
        "--min/--max: expected --min below --max; found \(fmt(lo)) and \(fmt(hi)) (the default range for "
          + "\(variable.name) is [\(fmt(variable.defaultRange.lowerBound)), \(fmt(variable.defaultRange.upperBound))])")
    }
    // Bisection to a bracket narrower than this takes about 40 trials more than the default's
    // and never ends sooner for a narrower one (each trial may be a sweep of many draws).
    if let tolerance, tolerance < (hi - lo) * 1e-12 {
      throw CommandError(
        .usage,
        "--tolerance: expected at least a millionth of a millionth of the range searched (\(fmt((hi - lo) * 1e-12)) "
          + "for [\(fmt(lo)), \(fmt(hi))]); found \(fmt(tolerance))")
    }
    return lo...hi
  }

  /// The answer and every trial as tables, with the manifest and the line printed.
  func solve(
    _ loaded: LoadedScenario, variable: GoalSeekVariable, goal: GoalSeekTarget, range: ClosedRange<Double>,
    out: String
  ) throws
    -> CommandOutput
  {
    let s = loaded.scenario
    let fmt = { NumberFormat.significant($0, 10, nan: "") }
    let (lo, hi) = (range.lowerBound, range.upperBound)
    let tol = tolerance ?? (hi - lo) * 1e-6
    let x0 = variable.asWritten(s)
    let answer = try GoalSeek.solve(from: x0, range: lo...hi, tolerance: tol) { x in
      try GoalSeek.trial(s, variable: variable, target: goal, x: x, draws: draws, seed: seed)
    }
    let quantity = goal.probability == nil ? goal.metric.rawValue : "probability"
    guard let value = answer.value else {
      let ends = answer.trials.filter { $0.x == lo || $0.x == hi }.sorted { $0.x < $1.x }
        .map { "\(quantity) = \(fmt($0.reported)) at \(fmt($0.x))" }
      throw CommandError(
        .unanswerable,
        "no value of \(variable.name) in [\(fmt(lo)), \(fmt(hi))] meets '\(goal.text)'"
          + (ends.isEmpty ? "" : " (" + ends.joined(separator: ", ") + ")")
          + "; widen the range with --min/--max or change the target")
    }
    let achieved = answer.trials.last { $0.x == value }?.reported ?? .nan
    let csv = AnalysisManifest.csv(
      header: [
        "scenario", "target", "vary", "as_written", "value", "change", "tolerance", "bracket_other_end", quantity,
        "trials",
      ],
      rows: [
        [
          s.name, goal.text, variable.name, fmt(x0), fmt(value), fmt(value - x0), fmt(answer.tolerance),
          answer.other.map(fmt) ?? "", fmt(achieved), String(answer.trials.count),
        ]
      ])
    let trials = AnalysisManifest.csv(
      header: ["trial", "value", quantity, "meets_target"],
      rows: answer.trials.enumerated().map { i, t in
        [String(i + 1), fmt(t.x), fmt(t.reported), t.meets ? "yes" : "no"]
      })
    var settings: [String: JSONValue] = [
      "target": .string(goal.text), "vary": .string(variable.name), "range": .array([.number(lo), .number(hi)]),
      "tolerance": .number(tol),
    ]
    if goal.probability != nil {
      settings["common_random_numbers"] = .string("the same seed and draws at every trial value")
    }
    let command = ["hnb", "goalseek", scenario, "--target", "'\(target)'", "--vary", vary].joined(separator: " ")
    var manifest = try AnalysisManifest.manifest(
      command: command, sources: [loaded.source], settings: settings,
      outputs: ["goalseek.csv", "trials.csv", "manifest.json"])
    manifest.method =
      "bracket expanded from the as-written value by doubling steps on both sides, then bisection; the answer is the bracket end that meets the target"
    if goal.probability != nil {
      manifest.draws = draws
      manifest.seed = .string(String(seed))
    }
    return CommandOutput(
      files: [
        "goalseek.csv": csv, "trials.csv": trials,
        "manifest.json": try DataVintage.annotate(manifest, scenarios: [s], asOf: asOf).text(),
      ],
      summary: [
        "\(variable.name) = \(fmt(value)) ± \(fmt(answer.tolerance)) meets '\(goal.text)' "
          + "(as written \(fmt(x0)); \(quantity) \(fmt(achieved)); \(answer.trials.count) trials); wrote \(out)"
      ], wroteSuffix: nil)
  }
}

/// The work of `hnb sensitivity`: a tornado or Sobol indices of one metric in one year.
package struct SensitivityCommand: Sendable {
  package enum Method: String, Sendable { case tornado, sobol }
  package var scenario: String
  package var method: Method
  /// `--output`: a metric name of `percentiles.csv`.
  package var output: String
  /// `--year` as written (nil: the last).
  package var year: String?
  package var percent: Double?
  package var samples: Int
  package var bootstrap: Int
  package var confidence: Double
  package var seed: UInt64
  package var asOf: CalendarDate

  package init(
    scenario: String, method: Method, output: String, year: String?, percent: Double?, samples: Int, bootstrap: Int,
    confidence: Double, seed: UInt64, asOf: CalendarDate
  ) {
    self.scenario = scenario
    self.method = method
    self.output = output
    self.year = year
    self.percent = percent
    self.samples = samples
    self.bootstrap = bootstrap
    self.confidence = confidence
    self.seed = seed
    self.asOf = asOf
  }

  /// What is wrong with `--bootstrap` for `--confidence`, or nil.
  package static func problem(bootstrap: Int, confidence: Double) -> String? {
    let least = OptionRanges.minimumBootstrap(confidence: confidence)
    guard bootstrap < least else { return nil }
    return
      "--bootstrap: expected at least \(least) resamples for a \(NumberFormat.significant(confidence * 100, 6))% interval "
      + "(2/(1 − confidence), so that each end lies inside the resamples); found \(bootstrap)"
  }

  /// Loads the scenario, checks the metric, the year and the factors, checks `--out`, then
  /// computes and writes the table and the manifest.
  package func run(_ pipeline: CommandPipeline) throws {
    let loaded = try ScenarioSet.load([scenario], asOf: asOf, console: pipeline.console)[0]
    let s = loaded.scenario
    guard let metric = SweepMetric(rawValue: output) else {
      throw InputError(
        SourceLocation(file: "--output"), expected: SweepMetric.names,
        found: InputError.quoted(output))
    }
    let label = year ?? s.financialYearLabel(s.horizonYears - 1)
    guard let f = (0..<s.horizonYears).first(where: { s.financialYearLabel($0) == label }) else {
      throw InputError(
        SourceLocation(file: "--year"),
        expected: "a financial year from \(s.financialYearLabel(0)) to \(s.financialYearLabel(s.horizonYears - 1))",
        found: InputError.quoted(label))
    }
    let factorCount = method == .tornado ? s.uncertainty.inputs.count : Sensitivity.sobolFactors(s).count
    guard factorCount > 0 else {
      throw InputError(
        SourceLocation(file: scenario), key: "uncertainty.inputs",
        expected: method == .tornado
          ? "at least one uncertain scalar input" : "at least one uncertain input or Dirichlet concentration",
        found: "none")
    }
    try pipeline.write(inputs: ScenarioSet.files([loaded])) {
      try analyse(loaded, metric: metric, year: f, label: label)
    }
  }

  /// The tornado or the Sobol indices as a table, with the manifest and the line printed.
  func analyse(_ loaded: LoadedScenario, metric: SweepMetric, year f: Int, label: String) throws -> CommandOutput {
    let (s, source) = (loaded.scenario, loaded.source)
    let output = metric.rawValue
    let fmt = { NumberFormat.significant($0, 10, nan: "") }
    var files: [String: String] = [:]
    var settings: [String: JSONValue] = ["output": .string(output), "year": .string(label)]
    var seedText: String?
    var command = ["hnb", "sensitivity", scenario, "--method", method.rawValue, "--output", output, "--year", label]
    var line: String
    switch method {
    case .tornado:
      let (central, bars) = try Sensitivity.tornado(s, metric: metric, year: f, percent: percent)
      files["tornado.csv"] = AnalysisManifest.csv(
        header: [
          "input", "target", "year", "output", "low", "high", "output_at_low", "output_at_high", "output_central",
          "swing",
        ],
        rows: bars.map { b in
          [
            b.input, b.target, label, output, fmt(b.low), fmt(b.high), fmt(b.outputAtLow), fmt(b.outputAtHigh),
            fmt(central), fmt(b.swing),
          ]
        })
      settings["range"] = .string(percent.map { "median ± \(fmt($0))%" } ?? "p10 and p90 of each input's distribution")
      if let percent { command += ["--percent", fmt(percent)] }
      line = "\(output) in \(label): central \(fmt(central)); largest swing \(bars.first?.input ?? "")"
    case .sobol:
      let r = try Sensitivity.sobol(
        s, metric: metric, year: f, samples: samples, seed: seed, bootstrap: bootstrap, confidence: confidence)
      let factors = Sensitivity.sobolFactors(s)
      files["sobol.csv"] = AnalysisManifest.csv(
        header: [
          "input", "target", "year", "output", "first_order", "first_order_low", "first_order_high", "total_order",
          "total_order_low", "total_order_high",
        ],
        rows: factors.indices.map { i in
          [
            factors[i].id, factors[i].target, label, output, fmt(r.first[i]), fmt(r.firstInterval[i].lowerBound),
            fmt(r.firstInterval[i].upperBound), fmt(r.total[i]), fmt(r.totalInterval[i].lowerBound),
            fmt(r.totalInterval[i].upperBound),
          ]
        })
      settings["samples"] = .integer(samples)
      settings["runs"] = .integer(samples * (factors.count + 2))
      seedText = String(seed)
      settings["bootstrap"] = .integer(bootstrap)
      settings["confidence"] = .number(confidence)
      settings["estimators"] = .string(
        "Saltelli sampling (A, B, AB_i); first order Saltelli 2010, total order Jansen 1999; bootstrap percentile intervals"
      )
      settings["output_mean"] = .number(r.mean)
      settings["output_variance"] = .number(r.variance)
      command += ["--samples", String(samples), "--seed", String(seed), "--bootstrap", String(bootstrap)]
      line = "\(output) in \(label): Sobol indices from \(samples * (factors.count + 2)) runs"
    }
    let commandLine = command.joined(separator: " ")
    let (asOf, methodName) = (self.asOf, method.rawValue)
    return CommandOutput(
      files: files,
      manifest: { [settings, seedText] outputs in
        var manifest = try AnalysisManifest.manifest(
          command: commandLine, sources: [source], settings: settings, outputs: outputs)
        manifest.method = methodName
        manifest.seed = seedText.map(JSONValue.string)
        return try DataVintage.annotate(manifest, scenarios: [s], asOf: asOf).text()
      }, summary: [line])
  }
}
