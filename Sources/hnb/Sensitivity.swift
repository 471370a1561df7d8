import ArgumentParser
import Foundation
import HighNeeds

struct Sensitivity: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Tornado (one at a time) or Sobol (variance-based) sensitivity of one metric in one year.",
    discussion: """
      The factors are the scenario's scalar uncertain inputs (its uncertainty: section and any number \
      of the file written with a distribution), each set to one value for the whole projection; \
      rank correlations are not used. --method tornado moves each input to its distribution's p10 \
      and p90 (or its median ± --percent) with the others at their medians, Dirichlet rows and \
      mixes at their means, and writes tornado.csv, largest swing first. --method sobol adds the \
      Dirichlet transition rows and new-plan mixes as one grouped factor each, runs Saltelli \
      sampling (N·(k+2) runs for k factors) and \
      writes sobol.csv with first-order (Saltelli 2010) and total-order (Jansen) indices and their \
      bootstrap intervals. Both write manifest.json.

      Example:
        hnb sensitivity Scenarios/sutton/sweep/baseline.yaml --method sobol --samples 256 \
          --output cumulative_balance --year 2030-31 --out out/sobol
      """)

  enum Method: String, ExpressibleByArgument { case tornado, sobol }

  @Argument(help: "Scenario YAML file with an uncertainty: section.")
  var scenario: String

  @Option(help: "tornado or sobol.")
  var method: Method

  @Option(help: "The metric (a metric of percentiles.csv).")
  var output: String = "cumulative_balance"

  @Option(help: "The financial year, e.g. 2030-31 (default: the last).")
  var year: String?

  @Option(
    parsing: .unconditional,
    help: OptionRanges.percent.help("Tornado: move each input's median by ± this percentage instead of using p10/p90."),
    transform: OptionRanges.percent.parse)
  var percent: Double?

  @Option(
    parsing: .unconditional, help: OptionRanges.samples.help("Sobol: base samples N (default 256)."),
    transform: OptionRanges.samples.parse)
  var samples: Int = 256

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Sobol: bootstrap resamples for the intervals (default 500): a whole number from 2/(1 − confidence) (40 for "
        + "95%, so that each end of the interval lies inside the resamples) to \(OptionRanges.bootstrap.range.upperBound)."
    ),
    transform: OptionRanges.bootstrap.parse)
  var bootstrap: Int = 500

  @Option(
    parsing: .unconditional, help: OptionRanges.confidence.help("Sobol: confidence of the intervals (default 0.95)."),
    transform: OptionRanges.confidence.parse)
  var confidence: Double = 0.95

  @Option(
    parsing: .unconditional,
    help: "Sobol: seed of the sample and the bootstrap (default 1): a whole number 0…\(UInt64.max).",
    transform: { try SeedRange.parse($0) })
  var seed: UInt64 = 1

  @Option(name: .long, help: "Output directory (created or replaced).")
  var out: String

  @OptionGroup var asOf: AsOfOption

  func validate() throws {
    let least = OptionRanges.minimumBootstrap(confidence: confidence)
    if bootstrap < least {
      throw ValidationError(
        "--bootstrap: expected at least \(least) resamples for a \(NumberRange.number(confidence * 100))% interval "
          + "(2/(1 − confidence), so that each end lies inside the resamples); found \(bootstrap)")
    }
  }

  func run() throws {
    try reportingErrors {
      let s = try loadScenarios([scenario], asOf: asOf.date)[0]
      guard let metric = HighNeeds.Sweep.metricNames().firstIndex(of: output) else {
        throw InputError(
          SourceLocation(file: "--output"), expected: HighNeeds.Sweep.metricNames().joined(separator: ", "),
          found: InputError.quoted(output))
      }
      let label = year ?? s.financialYearLabel(s.horizonYears - 1)
      guard let f = (0..<s.horizonYears).first(where: { s.financialYearLabel($0) == label }) else {
        throw InputError(
          SourceLocation(file: "--year"),
          expected: "a financial year from \(s.financialYearLabel(0)) to \(s.financialYearLabel(s.horizonYears - 1))",
          found: InputError.quoted(label))
      }
      let factorCount =
        method == .tornado ? s.uncertainty.inputs.count : HighNeeds.Sensitivity.sobolFactors(s).count
      guard factorCount > 0 else {
        throw InputError(
          SourceLocation(file: scenario), key: "uncertainty.inputs",
          expected: method == .tornado
            ? "at least one uncertain scalar input" : "at least one uncertain input or Dirichlet concentration",
          found: "none")
      }
      var files: [String: String] = [:]
      var settings: [String: Any] = ["method": method.rawValue, "output": output, "year": label]
      var command = ["hnb", "sensitivity", scenario, "--method", method.rawValue, "--output", output, "--year", label]
      switch method {
      case .tornado:
        let (central, bars) = try HighNeeds.Sensitivity.tornado(s, metric: metric, year: f, percent: percent)
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
        settings["range"] = percent.map { "median ± \(fmt($0))%" } ?? "p10 and p90 of each input's distribution"
        if let percent { command += ["--percent", fmt(percent)] }
        print("\(output) in \(label): central \(fmt(central)); largest swing \(bars.first?.input ?? "")")
      case .sobol:
        let r = try HighNeeds.Sensitivity.sobol(
          s, metric: metric, year: f, samples: samples, seed: seed, bootstrap: bootstrap, confidence: confidence)
        let factors = HighNeeds.Sensitivity.sobolFactors(s)
        files["sobol.csv"] = AnalysisManifest.csv(
          header: [
            "input", "target", "year", "output", "first_order", "first_order_low", "first_order_high", "total_order",
            "total_order_low", "total_order_high",
          ],
          rows: factors.indices.map { i in
            [
              factors[i].id, factors[i].target, label, output, fmt(r.first[i]),
              fmt(r.firstInterval[i].lowerBound), fmt(r.firstInterval[i].upperBound), fmt(r.total[i]),
              fmt(r.totalInterval[i].lowerBound), fmt(r.totalInterval[i].upperBound),
            ]
          })
        settings["samples"] = samples
        settings["runs"] = samples * (factors.count + 2)
        settings["seed"] = String(seed)
        settings["bootstrap"] = bootstrap
        settings["confidence"] = confidence
        settings["estimators"] =
          "Saltelli sampling (A, B, AB_i); first order Saltelli 2010, total order Jansen 1999; bootstrap percentile intervals"
        settings["output_mean"] = r.mean
        settings["output_variance"] = r.variance
        command += ["--samples", String(samples), "--seed", String(seed), "--bootstrap", String(bootstrap)]
        print("\(output) in \(label): Sobol indices from \(samples * (factors.count + 2)) runs")
      }
      let names = files.keys.sorted() + ["manifest.json"]
      files["manifest.json"] = try DataVintage.annotate(
        manifest: try AnalysisManifest.json(
          command: command.joined(separator: " "), scenarios: [s], settings: settings, outputs: names),
        scenarios: [s], asOf: asOf.date)
      try OutputDirectory.write(files, to: out, inputs: s.scenarioFiles + s.inputFiles)
      print("wrote \(files.count) files to \(out)")
    }
  }
}
