import Foundation
import HighNeeds

/// What an earlier `hnb sweep` or `hnb sensitivity --method tornado` found, read back from its
/// output directory for a report's "Range of outcomes".
///
/// A sweep gives, for each scenario it ran, the percentiles of the cumulative DSG balance by
/// financial year (`percentiles.csv`, rows of the metric `cumulative_balance`) and the
/// probability that the cumulative deficit passes each threshold (`exceedance.csv`). A tornado
/// gives each input's effect on the cumulative balance in the scenario's last year
/// (`tornado.csv`). Files are read by column and key name; a missing one is an error naming
/// the file and what was expected. Every file in the directory is hashed for the manifest.
public struct RangeEvidence: Sendable {
  /// Which command wrote the directory.
  public enum Kind: String, Sendable {
    case sweep
    case tornado
  }

  /// The metric the report shows a range of.
  public static let metric = SweepMetric.cumulativeBalance

  /// The directory as given.
  public var directory: String
  public var kind: Kind
  /// The command line that wrote the directory (from its manifest).
  public var command: String
  /// Percentiles of the cumulative balance (gbp) by scenario name, with their year labels.
  public var bands: [String: (years: [String], bands: FanBands)] = [:]
  /// Exceedance by scenario name: each threshold's probability (fraction) by year.
  public var exceedance: [String: [(threshold: String, years: [String], probability: [Double])]] = [:]
  /// The tornado: its scenario, year, central output and bars (gbp).
  public var tornado: (scenario: String, year: String, base: Double, bars: [TornadoBar])?
  /// Every regular file in the directory (display path) → SHA-256.
  public var files: [(file: String, sha256: String)] = []
  /// The inputs the sweep or tornado recorded in its manifest (path as written → SHA-256), or
  /// nil when it recorded none.
  public var recordedInputs: [String: String]?

  /// The scenario names the directory covers, sorted.
  public var scenarios: [String] {
    (Array(bands.keys) + Array(exceedance.keys) + [tornado?.scenario].compactMap { $0 }).reduce(into: [String]()) {
      if !$0.contains($1) { $0.append($1) }
    }.sorted()
  }

  /// Reads the output directory of `hnb sweep` (not a shard: merge shards first).
  public static func readSweep(directory: String) throws -> RangeEvidence {
    let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
    let manifest = try readManifest(path("manifest.json"), command: "hnb sweep")
    var evidence = RangeEvidence(directory: directory, kind: .sweep, command: manifest.command)
    evidence.recordedInputs = manifest.inputSHA256
    let percentiles = try BacktestAccuracy.table(
      path("percentiles.csv"), ["metric", "scenario", "year", "p10", "p25", "p50", "p75", "p90"], by: "hnb sweep")
    var order: [String] = []
    var rows: [String: [(year: String, values: [Double])]] = [:]
    for row in percentiles.rows where try row.required("metric") == metric.rawValue {
      let scenario = try row.required("scenario")
      if rows[scenario] == nil { order.append(scenario) }
      let values = try ["p10", "p25", "p50", "p75", "p90"].map { try row.double($0) }
      rows[scenario, default: []].append((try row.required("year"), values))
    }
    guard !order.isEmpty else {
      throw InputError(
        SourceLocation(file: percentiles.file), key: "metric", expected: "rows of the metric '\(metric)'",
        found: "none")
    }
    for scenario in order {
      let r = rows[scenario] ?? []
      let column = { (i: Int) in r.map { $0.values[i] } }
      evidence.bands[scenario] = (
        r.map(\.year), FanBands(p10: column(0), p25: column(1), p50: column(2), p75: column(3), p90: column(4))
      )
    }
    let exceedance = try BacktestAccuracy.table(
      path("exceedance.csv"), ["scenario", "year", "threshold", "probability"], by: "hnb sweep")
    for row in exceedance.rows {
      let scenario = try row.required("scenario")
      let threshold = try row.required("threshold")
      let year = try row.required("year")
      let p = try row.double("probability", in: 0...1, rangeText: "a probability in [0, 1]")
      var list = evidence.exceedance[scenario] ?? []
      if let i = list.firstIndex(where: { $0.threshold == threshold }) {
        list[i].years.append(year)
        list[i].probability.append(p)
      } else {
        list.append((threshold, [year], [p]))
      }
      evidence.exceedance[scenario] = list
    }
    evidence.files = try BacktestAccuracy.hashes(directory)
    return evidence
  }

  /// Reads the output directory of `hnb sensitivity --method tornado --output cumulative_balance`.
  public static func readTornado(directory: String) throws -> RangeEvidence {
    let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
    let manifest = try readManifest(path("manifest.json"), command: "hnb sensitivity")
    guard manifest.method == "tornado", manifest.settings["output"] == .string(metric.rawValue),
      case .string(let year) = manifest.settings["year"], let scenarios = manifest.scenarios, scenarios.count == 1
    else {
      throw InputError(
        SourceLocation(file: path("manifest.json")), key: "method",
        expected: "a tornado of '\(metric)' for one scenario (hnb sensitivity --method tornado --output \(metric))",
        found: InputError.quoted(manifest.command))
    }
    var evidence = RangeEvidence(directory: directory, kind: .tornado, command: manifest.command)
    let scenario = scenarios[0].name
    evidence.recordedInputs = manifest.inputSHA256
    let table = try BacktestAccuracy.table(
      path("tornado.csv"), ["input", "output_at_low", "output_at_high", "output_central"], by: "hnb sensitivity")
    var base: Double?
    var bars: [TornadoBar] = []
    for row in table.rows {
      bars.append(
        TornadoBar(
          input: try row.required("input"), low: try row.double("output_at_low"),
          high: try row.double("output_at_high")))
      base = try row.double("output_central")
    }
    guard let base else {
      throw InputError(SourceLocation(file: table.file, line: 2), expected: "a row for each input", found: "none")
    }
    evidence.tornado = (scenario, year, base, bars)
    evidence.files = try BacktestAccuracy.hashes(directory)
    return evidence
  }

  /// Adds this evidence to `analyses` for the report's `scenarios`, checking that every
  /// scenario the directory covers is in the report with the same financial years (for a
  /// tornado: the report's last year, whose balance its chart shows).
  public func add(to analyses: inout ReportAnalyses, scenarios: [Scenario]) throws {
    func scenario(_ name: String) throws -> Scenario {
      guard let s = scenarios.first(where: { $0.name == name }) else {
        throw InputError(
          SourceLocation(file: directory), key: "scenario",
          expected: "results for scenarios of this report (\(scenarios.map(\.name).sorted().joined(separator: ", ")))",
          found: InputError.quoted(name))
      }
      return s
    }
    func years(_ s: Scenario) -> [String] { (0..<s.horizonYears).map { s.financialYearLabel($0) } }
    for (name, entry) in bands.sorted(by: { $0.key < $1.key }) {
      let s = try scenario(name)
      guard entry.years == years(s) else {
        throw InputError(
          SourceLocation(file: (directory as NSString).appendingPathComponent("percentiles.csv")), key: "year",
          expected: "the financial years of \(name), \(years(s).joined(separator: ", "))",
          found: InputError.quoted(entry.years.joined(separator: ", "), limit: 120))
      }
      analyses.sweepBands[name] = entry.bands
    }
    for (name, list) in exceedance.sorted(by: { $0.key < $1.key }) {
      let s = try scenario(name)
      for entry in list where entry.years != years(s) {
        throw InputError(
          SourceLocation(file: (directory as NSString).appendingPathComponent("exceedance.csv")), key: "year",
          expected: "the financial years of \(name) for '\(entry.threshold)'",
          found: InputError.quoted(entry.years.joined(separator: ", "), limit: 120))
      }
      analyses.exceedance[name] = list.map { ($0.threshold, $0.probability) }
    }
    if let tornado {
      let s = try scenario(tornado.scenario)
      guard tornado.year == years(s).last else {
        throw InputError(
          SourceLocation(file: (directory as NSString).appendingPathComponent("manifest.json")), key: "year",
          expected: "a tornado of the final balance, in \(years(s).last ?? "") (the default of hnb sensitivity)",
          found: InputError.quoted(tornado.year))
      }
      analyses.tornado[tornado.scenario] = (tornado.base, tornado.bars)
    }
  }

  /// The manifest at `path`, whose command must begin with `expected`; a shard is refused.
  static func readManifest(_ path: String, command expected: String) throws -> Manifest {
    let manifest = try Manifest.read(path, what: "the manifest.json of an \(expected) output directory")
    guard manifest.command.hasPrefix(expected) else {
      throw InputError(
        SourceLocation(file: path), key: "command", expected: "a directory written by '\(expected)'",
        found: InputError.quoted(manifest.command))
    }
    if manifest.shard != nil {
      throw InputError(
        SourceLocation(file: path), key: "shard", expected: "a whole sweep (combine shards with hnb merge first)",
        found: "one shard")
    }
    return manifest
  }

  /// `manifest` with every file of `ranges` among its hashed inputs and each directory, command
  /// and kind under `ranges`; unchanged when there are none.
  public static func manifest(_ manifest: Manifest, adding ranges: [RangeEvidence]) -> Manifest {
    guard !ranges.isEmpty else { return manifest }
    var m = BacktestAccuracy.adding(ranges.flatMap(\.files), to: manifest)
    m.ranges = ranges.map {
      ["directory": Manifest.displayPath($0.directory), "command": $0.command, "kind": $0.kind.rawValue]
    }
    return m
  }
}
