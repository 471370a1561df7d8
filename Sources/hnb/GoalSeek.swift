import ArgumentParser
import Foundation
import HighNeeds

struct GoalSeek: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "goalseek",
    abstract: "Find the smallest change of one input that meets a target, by bracketing and bisection.",
    discussion: """
      --target is 'METRIC OP VALUE in YEAR' (OP: >=, >, <=, <; METRIC one of total_plans, \
      plans_GROUP, expenditure, income, in_year_balance, cumulative_balance, \
      deficit_percent_of_dsg; YEAR a financial year such as 2030-31), or \
      'P(METRIC OP VALUE in YEAR) >= PROBABILITY', judged over a seeded sweep of --draws draws \
      at every trial value (the same seed each time). A deterministic target uses the fully \
      mitigated run with every uncertain input at its written value.

      --vary names: incidence, cessation, top_up (multipliers, as written 1); hnb_growth (a \
      fraction added to the allocation's growth a year, as written 0); input:ID (a further \
      multiplier, or added fraction for a *_shock input, on uncertain input ID's target); \
      transfer_percent (the Schools Block transfer percent in every year); mitigation:ID (its \
      strength: 0 off, 1 as written, scaling its effect and cost). See the README.

      Writes goalseek.csv (the answer and its tolerance), trials.csv and manifest.json. When no \
      value in the allowed range meets the target, says so, writes nothing and exits with 65.

      Example:
        hnb goalseek Scenarios/sutton/baseline.yaml --target "cumulative_balance >= 0 in 2030-31" \
          --vary transfer_percent --out out/goalseek
      """)

  @Argument(help: "Scenario YAML file.")
  var scenario: String

  @Option(help: "The target, e.g. \"cumulative_balance >= 0 in 2030-31\".")
  var target: String

  @Option(help: "What to vary (see the discussion).")
  var vary: String

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Lowest allowed value (default depends on --vary). A finite number inside the variable's own range: a "
        + "multiplier 0…100, an added growth fraction −1…1, transfer_percent 0…100, a mitigation's strength 0…10; "
        + "a negative value may follow a space (--min -0.2)."),
    transform: OptionRanges.bound.parse)
  var min: Double?

  @Option(
    parsing: .unconditional, help: "Highest allowed value (default depends on --vary); the same range as --min.",
    transform: OptionRanges.bound.parse)
  var max: Double?

  @Option(
    parsing: .unconditional,
    help: OptionRanges.tolerance.help("Width of the final bracket (default: a millionth of the allowed range)."),
    transform: OptionRanges.tolerance.parse)
  var tolerance: Double?

  @Option(
    parsing: .unconditional,
    help: OptionRanges.goalSeekDraws.help("Draws per trial for a probability target (default 500)."),
    transform: OptionRanges.goalSeekDraws.parse)
  var draws: Int = 500

  @Option(
    parsing: .unconditional,
    help: "Seed of the sweep for a probability target (default 1): a whole number 0…\(UInt64.max).",
    transform: { try SeedRange.parse($0) })
  var seed: UInt64 = 1

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if let min, let max, !(min < max) {
      throw ValidationError("--min/--max: expected --min below --max; found --min \(fmt(min)) and --max \(fmt(max))")
    }
  }

  /// `--min` and `--max` checked against the range `variable` can take (exit 64): a negative
  /// multiplier, or a transfer above 100%, is refused rather than run.
  static func allowedRange(_ variable: GoalSeekVariable, min: Double?, max: Double?) throws -> ClosedRange<Double> {
    let (valid, meaning) = variable.validRange
    for (option, value) in [("--min", min), ("--max", max)] {
      if let value, !valid.contains(value) {
        throw usageError(
          "\(option): expected \(meaning) in [\(fmt(valid.lowerBound)), \(fmt(valid.upperBound))] for --vary "
            + "\(variable.name); found \(fmt(value))", command: GoalSeek.self)
      }
    }
    let lo = min ?? variable.defaultRange.lowerBound
    let hi = max ?? variable.defaultRange.upperBound
    guard lo < hi else {
      throw usageError(
        "--min/--max: expected --min below --max; found \(fmt(lo)) and \(fmt(hi)) (the default range for "
          + "\(variable.name) is [\(fmt(variable.defaultRange.lowerBound)), \(fmt(variable.defaultRange.upperBound))])",
        command: GoalSeek.self)
    }
    return lo...hi
  }

  func run() throws {
    let (s, variable, goal) = try reportingErrors {
      let s = try loadScenarios([scenario], asOf: asOf.date)[0]
      return (s, try GoalSeekVariable.parse(vary, scenario: s), try GoalSeekTarget.parse(target, scenario: s))
    }
    let range = try Self.allowedRange(variable, min: min, max: max)
    let (lo, hi) = (range.lowerBound, range.upperBound)
    try reportingErrors {
      let tol = tolerance ?? (hi - lo) * 1e-6
      let x0 = variable.asWritten(s)
      let answer = try HighNeeds.GoalSeek.solve(from: x0, range: lo...hi, tolerance: tol) { x in
        try HighNeeds.GoalSeek.trial(s, variable: variable, target: goal, x: x, draws: draws, seed: seed)
      }
      let quantity = goal.probability == nil ? goal.metric : "probability"
      guard let value = answer.value else {
        let ends = answer.trials.filter { $0.x == lo || $0.x == hi }.sorted { $0.x < $1.x }
          .map { "\(quantity) = \(fmt($0.reported)) at \(fmt($0.x))" }
        printError(
          "error: no value of \(variable.name) in [\(fmt(lo)), \(fmt(hi))] meets '\(goal.text)'"
            + (ends.isEmpty ? "" : " (" + ends.joined(separator: ", ") + ")")
            + "; widen the range with --min/--max or change the target")
        throw Exit.invalidInput
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
      var settings: [String: Any] = [
        "target": goal.text, "vary": variable.name, "range": [lo, hi], "tolerance": tol,
        "method":
          "bracket expanded from the as-written value by doubling steps on both sides, then bisection; the answer is the bracket end that meets the target",
      ]
      if goal.probability != nil {
        settings["draws"] = draws
        settings["seed"] = String(seed)
        settings["common_random_numbers"] = "the same seed and draws at every trial value"
      }
      let names = ["goalseek.csv", "trials.csv", "manifest.json"]
      let command = ["hnb", "goalseek", scenario, "--target", "'\(target)'", "--vary", vary].joined(separator: " ")
      let files = [
        "goalseek.csv": csv, "trials.csv": trials,
        "manifest.json": try DataVintage.annotate(
          manifest: try AnalysisManifest.json(command: command, scenarios: [s], settings: settings, outputs: names),
          scenarios: [s], asOf: asOf.date),
      ]
      try OutputDirectory.write(files, to: out, inputs: s.scenarioFiles + s.inputFiles)
      print(
        "\(variable.name) = \(fmt(value)) ± \(fmt(answer.tolerance)) meets '\(goal.text)' "
          + "(as written \(fmt(x0)); \(quantity) \(fmt(achieved)); \(answer.trials.count) trials); wrote \(out)")
    }
  }
}

/// A number with up to 10 significant digits, for goal-seek and sensitivity output.
func fmt(_ x: Double) -> String {
  if x.isNaN { return "" }
  return String(format: "%.10g", x)
}
