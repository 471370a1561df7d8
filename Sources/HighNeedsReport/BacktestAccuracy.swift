import Foundation
import HighNeeds

/// What an earlier `hnb backtest` run found, read back from its output directory for a report.
///
/// Read by column name from `summary.csv` (MAPE by horizon for the method and each baseline),
/// `backtest.csv` (the method's forecasts and whether each actual fell inside p10–p90),
/// `baselines.csv` (which names are naive baselines), `manifest.json` (the method, the command
/// and the break warnings) and, when present, `fits.csv` (each fit window's first year) and
/// `candidates.csv` (other models scored, which are neither the method nor a baseline). A
/// missing file or column is an error naming both; nothing is inferred from a file's position.
public struct BacktestAccuracy: Sendable {
  /// The level the report shows: the series' total.
  public static let level = "total"

  /// MAPE of one forecaster by horizon.
  public struct Errors: Sendable, Equatable {
    public var name: String
    /// Mean absolute percentage error at horizons 1…H (percent), averaged over origins.
    public var mapePercent: [Double]
    /// Forecasts averaged at each horizon.
    public var forecasts: [Int]
  }

  /// The directory as given.
  public var directory: String
  /// The method's name in `summary.csv`, such as `trend`.
  public var method: String
  /// The method as `hnb backtest` described it in its manifest.
  public var methodDescription: String
  /// The `hnb backtest` command line that made the directory.
  public var command: String
  /// The history file(s) the backtest read (from its manifest).
  public var historyFiles: [String]
  /// Horizons scored, 1…H.
  public var horizons: [Int]
  /// The method's errors, then each baseline's in `summary.csv` order.
  public var errors: [Errors]
  /// Actuals inside the method's p10–p90 and forecasts with an interval, by horizon.
  public var covered: [Int]
  public var withInterval: [Int]
  /// The origins (last fitted census of each window), ascending.
  public var origins: [Int]
  /// The first census of each fit window and the censuses fitted, by origin (from `fits.csv`).
  public var windows: [(origin: Int, firstYear: Int, yearsFitted: Int)]
  /// Other levels in `summary.csv` that the report does not show.
  public var otherLevels: [String]
  /// Candidates scored beside the method that are not baselines (from `candidates.csv`).
  public var candidates: [String]
  /// The backtest's warnings, word for word (fit windows that cross a known break).
  public var warnings: [String]
  /// Every regular file in the directory (display path) → SHA-256.
  public var files: [(file: String, sha256: String)]
  /// The inputs the backtest recorded in its manifest (path as written → SHA-256), or nil when
  /// it recorded none.
  public var recordedInputs: [String: String]?

  /// The method's errors.
  public var methodErrors: Errors { errors[0] }
  /// The baselines' errors.
  public var baselineErrors: ArraySlice<Errors> { errors.dropFirst() }

  /// Reads the output directory of `hnb backtest`.
  public static func read(directory: String) throws -> BacktestAccuracy {
    let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
    let manifest = try readManifest(path("manifest.json"))
    let summary = try table(path("summary.csv"), ["level", "method", "horizon", "forecasts", "mape_pct"])
    let forecasts = try table(path("backtest.csv"), ["fit_through", "level", "horizon", "inside_p10_p90"])
    let baselineRows = try table(path("baselines.csv"), ["level", "baseline"])
    let baselines = Set(try baselineRows.rows.map { try $0.required("baseline") })
    var candidates: [String] = []
    if try EvidenceFolder.exists(path("candidates.csv")) {
      for row in try table(path("candidates.csv"), ["candidate"]).rows {
        let name = try row.required("candidate")
        if !candidates.contains(name) { candidates.append(name) }
      }
    }

    var byMethod: [String: [Int: (mape: Double, count: Int)]] = [:]
    var order: [String] = []
    var otherLevels: [String] = []
    for row in summary.rows {
      let level = try row.required("level")
      guard level == Self.level else {
        if !otherLevels.contains(level) { otherLevels.append(level) }
        continue
      }
      let method = try row.required("method")
      let horizon = try row.int("horizon")
      if byMethod[method] == nil { order.append(method) }
      byMethod[method, default: [:]][horizon] = (
        try row.double("mape_pct", in: 0...Double.greatestFiniteMagnitude), try row.int("forecasts")
      )
    }
    let methods = order.filter { !baselines.contains($0) && !candidates.contains($0) }
    guard methods.count == 1, let method = methods.first else {
      throw InputError(
        SourceLocation(file: summary.file), key: "method",
        expected: "rows for the level '\(Self.level)' of exactly one method besides the baselines in baselines.csv",
        found: methods.isEmpty ? "none" : methods.joined(separator: ", "))
    }
    let horizons = (byMethod[method] ?? [:]).keys.sorted()
    guard let last = horizons.last, horizons == Array(1...last) else {
      throw InputError(
        SourceLocation(file: summary.file), key: "horizon", expected: "horizons 1, 2, … for '\(method)'",
        found: horizons.map(String.init).joined(separator: ", "))
    }
    let names = [method] + order.filter { baselines.contains($0) }
    var errors: [Errors] = []
    for name in names {
      let rows = byMethod[name] ?? [:]
      guard horizons.allSatisfy({ rows[$0] != nil }) else {
        throw InputError(
          SourceLocation(file: summary.file), key: "horizon",
          expected: "'\(name)' scored at horizons 1–\(last) like '\(method)'",
          found: rows.keys.sorted().map(String.init).joined(separator: ", "))
      }
      errors.append(
        Errors(
          name: name, mapePercent: horizons.map { rows[$0]?.mape ?? 0 },
          forecasts: horizons.map { rows[$0]?.count ?? 0 }))
    }

    var covered = Array(repeating: 0, count: last)
    var withInterval = Array(repeating: 0, count: last)
    var scored = Array(repeating: 0, count: last)
    var origins: Set<Int> = []
    for row in forecasts.rows {
      guard try row.required("level") == Self.level else { continue }
      let h = try row.int("horizon")
      guard horizons.contains(h) else {
        throw InputError(
          row.location("horizon"), key: "horizon", expected: "a horizon in summary.csv (1–\(last))", found: "\(h)")
      }
      origins.insert(try row.int("fit_through"))
      scored[h - 1] += 1
      switch row.string("inside_p10_p90") {
      case "true":
        covered[h - 1] += 1
        withInterval[h - 1] += 1
      case "false": withInterval[h - 1] += 1
      case "": break
      case let other:
        throw InputError(
          row.location("inside_p10_p90"), key: "inside_p10_p90", expected: "true, false or blank", found: "'\(other)'")
      }
    }
    if scored != errors[0].forecasts {
      throw InputError(
        SourceLocation(file: forecasts.file), key: "horizon",
        expected: "as many '\(Self.level)' forecasts at each horizon as summary.csv counts for '\(method)' "
          + "(\(errors[0].forecasts.map(String.init).joined(separator: ", "))); are both from the same run?",
        found: scored.map(String.init).joined(separator: ", "))
    }

    var windows: [(origin: Int, firstYear: Int, yearsFitted: Int)] = []
    if try EvidenceFolder.exists(path("fits.csv")) {
      for row in try table(path("fits.csv"), ["fit_through", "level", "first_year", "years_fitted"]).rows {
        guard try row.required("level") == Self.level else { continue }
        let origin = try row.int("fit_through")
        if !windows.contains(where: { $0.origin == origin }) {
          windows.append((origin, try row.int("first_year"), try row.int("years_fitted")))
        }
      }
    }

    return BacktestAccuracy(
      directory: directory, method: method, methodDescription: manifest.method, command: manifest.command,
      historyFiles: manifest.inputs, horizons: horizons, errors: errors, covered: covered,
      withInterval: withInterval, origins: origins.sorted(), windows: windows.sorted { $0.origin < $1.origin },
      otherLevels: otherLevels, candidates: candidates, warnings: manifest.warnings,
      files: try hashes(directory), recordedInputs: manifest.recorded)
  }

  /// A CSV written by `command` whose header must include `columns` (others are allowed and
  /// ignored).
  static func table(_ path: String, _ columns: [String], by command: String = "hnb backtest") throws -> CSVTable {
    let text = try EvidenceFolder.text(path, what: "a file written by \(command)")
    // hnb writes plain headers (no quotes), so the first line split at commas is the header;
    // CSVTable then checks it against itself and gives rows that name their cells in errors.
    var first = String(text.prefix { $0 != "\n" && $0 != "\r\n" })
    if first.hasPrefix("\u{FEFF}") { first.removeFirst() }
    let header = first.trimmingCharacters(in: .whitespacesAndNewlines).split(
      separator: ",", omittingEmptySubsequences: false
    )
    .map(String.init)
    for column in columns where !header.contains(column) {
      throw InputError(
        SourceLocation(file: path, line: 1), key: column,
        expected: "a column '\(column)', as \(command) writes",
        found: "header \(InputError.quoted(header.joined(separator: ",")))")
    }
    return try CSVTable.parse(text, file: path, columns: header)
  }

  /// The manifest's method, command, input files and warnings.
  static func readManifest(_ path: String) throws -> (
    method: String, command: String, inputs: [String], warnings: [String], recorded: [String: String]?
  ) {
    let manifest = try Manifest.read(path, what: "the manifest.json of an hnb backtest output directory")
    guard manifest.command.hasPrefix("hnb backtest") else {
      throw InputError(
        SourceLocation(file: path), key: "command", expected: "a directory written by 'hnb backtest'",
        found: InputError.quoted(manifest.command))
    }
    guard let warnings = manifest.warnings else {
      throw InputError(SourceLocation(file: path), key: "warnings", expected: "a list of strings", found: "none")
    }
    guard let method = manifest.method else {
      throw InputError(SourceLocation(file: path), key: "method", expected: "a string", found: "none")
    }
    let inputs = manifest.inputSHA256?.keys.sorted() ?? []
    return (method, manifest.command, inputs, warnings, manifest.inputSHA256)
  }

  /// SHA-256 of every regular file directly in `directory`, sorted by path; subdirectories are
  /// skipped, and anything the path policy refuses (a link outside, a pipe) is an error.
  static func hashes(_ directory: String) throws -> [(file: String, sha256: String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    var result: [(file: String, sha256: String)] = []
    for name in names {
      let file = (directory as NSString).appendingPathComponent(name)
      guard case .regularFile = try EvidenceFolder.entry(file) else { continue }
      let data = try EvidenceFolder.data(file, what: "a file written by hnb")
      result.append((Manifest.displayPath(file), SHA256.hex(data)))
    }
    return result
  }

  /// `manifest` with every file of `backtests` among its hashed inputs and each backtest's
  /// directory, command and method under `backtests`, so that the paper's accuracy figures can
  /// be traced to the run that made them; unchanged when there are none.
  public static func manifest(_ manifest: Manifest, adding backtests: [BacktestAccuracy]) -> Manifest {
    guard !backtests.isEmpty else { return manifest }
    var m = adding(backtests.flatMap(\.files), to: manifest)
    m.backtests = backtests.map { b in
      ["directory": Manifest.displayPath(b.directory), "command": b.command, "method": b.methodDescription]
    }
    return m
  }

  /// `manifest` with `files` among its hashed inputs.
  static func adding(_ files: [(file: String, sha256: String)], to manifest: Manifest) -> Manifest {
    var m = manifest
    var hashes = m.inputSHA256 ?? [:]
    for f in files { hashes[f.file] = f.sha256 }
    m.inputSHA256 = hashes
    return m
  }
}
