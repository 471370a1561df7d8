import ArgumentParser
import Foundation
import HighNeedsCommands

struct GoalSeek: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "goalseek",
    abstract: "Find the smallest change of one input that meets a target, by bracketing and bisection.",
    discussion: """
      --target is 'METRIC OP VALUE in YEAR' (OP >=, >, <=, <; METRIC total_plans, plans_GROUP, \
      expenditure, income, in_year_balance, cumulative_balance or deficit_percent_of_dsg; YEAR \
      a financial year), judged on the fully mitigated run, or 'P(METRIC OP VALUE in YEAR) >= \
      PROBABILITY', judged over a seeded sweep of --draws draws at every trial value.

      --vary: incidence, cessation, top_up (multipliers), hnb_growth (added growth), input:ID, \
      transfer_percent or mitigation:ID (its strength). See the README, "Goal seek".

      Writes goalseek.csv, trials.csv and manifest.json; when no value in the range meets the \
      target, says so, writes nothing and exits with 65.

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

  @Option(OptionRanges.tolerance, help: "Width of the final bracket (default: a millionth of the allowed range).")
  var tolerance: Double?

  @Option(OptionRanges.goalSeekDraws, help: "Draws per trial for a probability target (default 500).")
  var draws: Int = 500

  @Option(SeedRange(), help: "Seed of the sweep for a probability target (default 1)") var seed: UInt64 = 1

  @OptionGroup var out: OutOption

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    if let min, let max, !(min < max) {
      let fmt = { NumberFormat.significant($0, 10, nan: "") }
      throw ValidationError("--min/--max: expected --min below --max; found --min \(fmt(min)) and --max \(fmt(max))")
    }
  }

  func run() throws {
    try reportingErrors(usage: Self.self) {
      try GoalSeekCommand(
        scenario: scenario, target: target, vary: vary, min: min, max: max, tolerance: tolerance, draws: draws,
        seed: seed, asOf: asOf.date
      ).run(out.pipeline)
    }
  }
}
