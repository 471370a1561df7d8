import Foundation

/// The version of the toolkit, written into every manifest.
public let toolVersion = "0.1.0"

/// A JSON value of a manifest whose shape is not fixed: the merged scenario as written, an
/// analysis setting.
///
/// JSON does not tell an integer from a number: `.integer(5)` equals `.number(5)`.
public enum JSONValue: Codable, Sendable, Equatable {
  case string(String)
  case integer(Int)
  case number(Double)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([String: JSONValue])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): x == y
    case (.integer(let x), .integer(let y)): x == y
    case (.number(let x), .number(let y)): x == y
    case (.integer(let x), .number(let y)), (.number(let y), .integer(let x)): Double(x) == y
    case (.bool(let x), .bool(let y)): x == y
    case (.null, .null): true
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)): x == y
    default: false
    }
  }

  public init(from decoder: any Decoder) throws {
    if var list = try? decoder.unkeyedContainer() {
      var items: [JSONValue] = []
      while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
      self = .array(items)
    } else if let map = try? decoder.container(keyedBy: ManifestKey.self) {
      var object: [String: JSONValue] = [:]
      for key in map.allKeys { object[key.stringValue] = try map.decode(JSONValue.self, forKey: key) }
      self = .object(object)
    } else {
      let one = try decoder.singleValueContainer()
      if one.decodeNil() {
        self = .null
      } else if let b = try? one.decode(Bool.self) {
        self = .bool(b)
      } else if let i = try? one.decode(Int.self) {
        self = .integer(i)
      } else if let d = try? one.decode(Double.self) {
        self = .number(d)
      } else {
        self = .string(try one.decode(String.self))
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .array(let items):
      var list = encoder.unkeyedContainer()
      for item in items { try list.encode(item) }
    case .object(let object):
      var map = encoder.container(keyedBy: ManifestKey.self)
      for (key, value) in object { try map.encode(value, forKey: ManifestKey(key)) }
    case .string(let s):
      var one = encoder.singleValueContainer()
      try one.encode(s)
    case .integer(let i):
      var one = encoder.singleValueContainer()
      try one.encode(i)
    case .number(let d):
      var one = encoder.singleValueContainer()
      try one.encode(d)
    case .bool(let b):
      var one = encoder.singleValueContainer()
      try one.encode(b)
    case .null:
      var one = encoder.singleValueContainer()
      try one.encodeNil()
    }
  }
}

/// A key of a manifest's JSON object.
struct ManifestKey: CodingKey, Hashable {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// `manifest.json`: what produced a set of outputs, so that a reader can reproduce them.
///
/// One `Codable` type for every command's manifest (run, report, sweep, shard, calibration,
/// goal seek, sensitivity): the fields any command writes are typed and written only when set;
/// an analysis's own settings are `settings`, written at the top level beside them. Written
/// by `text()` (sorted keys, one writer) and read by `read(_:what:)` (one reader, refusing a
/// malformed file with a message that names the key).
public struct Manifest: Codable, Sendable, Equatable {
  /// The commit of the repository holding the inputs, and whether any input differs from it.
  public struct Git: Codable, Sendable, Equatable {
    public var commit: String
    public var inputsModifiedSinceCommit: Bool?
    enum CodingKeys: String, CodingKey {
      case commit
      case inputsModifiedSinceCommit = "inputs_modified_since_commit"
    }
  }

  /// One scenario as run: its name, files and the merged scenario with paths resolved.
  public struct ScenarioEntry: Codable, Sendable, Equatable {
    public var name: String
    public var title: String?
    public var kind: String?
    public var files: [String]
    public var resolved: JSONValue
    public var alerts: [String]?
    public var priceBasis: String?
    public var uncertainInputs: [String]?
    enum CodingKeys: String, CodingKey {
      case name, title, kind, files, resolved, alerts
      case priceBasis = "price_basis"
      case uncertainInputs = "uncertain_inputs"
    }
  }

  /// What the manifest records about a scenario's data vintage on the as-of date.
  public struct VintageEntry: Codable, Sendable, Equatable {
    public var newestCensus: String
    public var newestCensusYear: Int
    public var censusAgeYears: Int
    public var censusAgeYearsAbove: Int
    public var dataSunsetAlert: Bool
    public var newestOutturnYear: Int?
    enum CodingKeys: String, CodingKey {
      case newestCensus = "newest_census"
      case newestCensusYear = "newest_census_year"
      case censusAgeYears = "census_age_years"
      case censusAgeYearsAbove = "census_age_years_above"
      case dataSunsetAlert = "data_sunset_alert"
      case newestOutturnYear = "newest_outturn_year"
    }
  }

  public var tool = "hnb"
  public var toolVersion = HighNeeds.toolVersion
  public var command: String
  public var git: Git?
  /// Every input file read (display path) → the SHA-256 of its bytes.
  public var inputSHA256: [String: String]?
  /// Input file (display path) → row counts (`data_rows_read`, `data_rows_not_used`, …).
  public var inputRows: [String: [String: Int]]?
  public var scenarios: [ScenarioEntry]?
  /// The seed: text for runs and sweeps ("none (…)", "1"), a number for a transition backtest.
  public var seed: JSONValue?
  public var draws: Int?
  public var outputs: [String]
  public var integrityChecks: String?
  public var method: String?
  public var warnings: [String]?
  public var joiners: String?
  public var generator: String?
  public var percentileMethod: String?
  /// `k/n` for one shard of a sweep.
  public var shard: String?
  public var batchSize: Int?
  public var note: String?
  public var asOf: String?
  public var dataVintage: [String: VintageEntry]?
  public var alerts: [String]?
  /// The evidence folders a report drew on (directory, command, method or kind).
  public var backtests: [[String: String]]?
  public var ranges: [[String: String]]?
  public var staleEvidence: [String]?
  /// An analysis's own settings (goal seek, sensitivity), written at the top level: never one
  /// of the typed keys.
  public var settings: [String: JSONValue] = [:]

  public init(command: String, outputs: [String]) {
    self.command = command
    self.outputs = outputs.sorted()
  }

  /// The typed keys, as written.
  static let typedKeys: Set<String> = [
    "tool", "tool_version", "command", "git", "input_sha256", "input_rows", "scenarios", "seed", "draws", "outputs",
    "integrity_checks", "method", "warnings", "joiners", "generator", "percentile_method", "shard", "batch_size",
    "note", "as_of", "data_vintage", "alerts", "backtests", "ranges", "stale_evidence",
  ]

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: ManifestKey.self)
    func one<T: Decodable>(_ key: String) throws -> T { try c.decode(T.self, forKey: ManifestKey(key)) }
    func maybe<T: Decodable>(_ key: String) throws -> T? { try c.decodeIfPresent(T.self, forKey: ManifestKey(key)) }
    tool = try one("tool")
    toolVersion = try one("tool_version")
    command = try one("command")
    outputs = try one("outputs")
    git = try maybe("git")
    inputSHA256 = try maybe("input_sha256")
    inputRows = try maybe("input_rows")
    scenarios = try maybe("scenarios")
    seed = try maybe("seed")
    draws = try maybe("draws")
    integrityChecks = try maybe("integrity_checks")
    method = try maybe("method")
    warnings = try maybe("warnings")
    joiners = try maybe("joiners")
    generator = try maybe("generator")
    percentileMethod = try maybe("percentile_method")
    shard = try maybe("shard")
    batchSize = try maybe("batch_size")
    note = try maybe("note")
    asOf = try maybe("as_of")
    dataVintage = try maybe("data_vintage")
    alerts = try maybe("alerts")
    backtests = try maybe("backtests")
    ranges = try maybe("ranges")
    staleEvidence = try maybe("stale_evidence")
    for key in c.allKeys where !Self.typedKeys.contains(key.stringValue) {
      settings[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: ManifestKey.self)
    func put<T: Encodable>(_ value: T?, _ key: String) throws {
      if let value { try c.encode(value, forKey: ManifestKey(key)) }
    }
    try put(tool, "tool")
    try put(toolVersion, "tool_version")
    try put(command, "command")
    try put(outputs, "outputs")
    try put(git, "git")
    try put(inputSHA256, "input_sha256")
    try put(inputRows, "input_rows")
    try put(scenarios, "scenarios")
    try put(seed, "seed")
    try put(draws, "draws")
    try put(integrityChecks, "integrity_checks")
    try put(method, "method")
    try put(warnings, "warnings")
    try put(joiners, "joiners")
    try put(generator, "generator")
    try put(percentileMethod, "percentile_method")
    try put(shard, "shard")
    try put(batchSize, "batch_size")
    try put(note, "note")
    try put(asOf, "as_of")
    try put(dataVintage, "data_vintage")
    try put(alerts, "alerts")
    try put(backtests, "backtests")
    try put(ranges, "ranges")
    try put(staleEvidence, "stale_evidence")
    for (key, value) in settings {
      guard !Self.typedKeys.contains(key) else {
        throw EncodingError.invalidValue(
          value, .init(codingPath: [ManifestKey(key)], debugDescription: "'\(key)' is a typed field of the manifest"))
      }
      try c.encode(value, forKey: ManifestKey(key))
    }
  }

  /// The manifest's JSON text: pretty-printed, keys sorted, `/` unescaped, one line end.
  ///
  /// Encoded by `JSONEncoder`, then written by `JSONSerialization` with sorted keys, whose key
  /// order (Foundation's: case-insensitive, numbers by value) every manifest has always had.
  public func text() throws -> String {
    let encoded = try JSONEncoder().encode(self)
    let object = try JSONSerialization.jsonObject(with: encoded)
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The manifest in `data`, read from `file`; a file that is not a manifest is refused naming
  /// the key at fault and what was found.
  public static func decode(_ data: Data, file: String) throws -> Manifest {
    let location = SourceLocation(file: file)
    guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
      throw InputError(location, expected: "a JSON object (a manifest.json written by hnb)", found: "other text")
    }
    do {
      return try JSONDecoder().decode(Manifest.self, from: data)
    } catch DecodingError.keyNotFound(let key, let context) {
      throw InputError(
        location, key: keyPath(context.codingPath + [key]), expected: "a value (a manifest.json written by hnb)",
        found: "none")
    } catch DecodingError.typeMismatch(let type, let context) {
      throw InputError(
        location, key: keyPath(context.codingPath), expected: "\(kind(type)) (a manifest.json written by hnb)",
        found: "another kind of value")
    } catch DecodingError.valueNotFound(let type, let context) {
      throw InputError(location, key: keyPath(context.codingPath), expected: kind(type), found: "null")
    } catch DecodingError.dataCorrupted(let context) {
      throw InputError(
        location, key: keyPath(context.codingPath), expected: "a manifest.json written by hnb",
        found: context.debugDescription)
    }
  }

  /// The manifest at `path`, read within the evidence-folder rules; `what` says which
  /// manifest is expected ("the manifest.json of an hnb backtest output directory").
  public static func read(_ path: String, what: String) throws -> Manifest {
    try decode(try EvidenceFolder.data(path, what: what), file: path)
  }

  /// A coding path as a dotted key (`scenarios.0.name`).
  static func keyPath(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
  }

  /// A type named for a message: "a string", "a number", "a list", "an object".
  static func kind(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is Double.Type: "a number"
    case is Bool.Type: "true or false"
    default:
      "\(type)".hasPrefix("Array") ? "a list" : "\(type)".hasPrefix("Dictionary") ? "an object" : "a JSON value"
    }
  }

  /// Every file of `files` (display path) → the SHA-256 of its bytes now; a file gone while
  /// running is an error.
  public static func inputHashes(_ files: some Sequence<String>) throws -> [String: String] {
    var hashes: [String: String] = [:]
    for file in Set(files) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError(SourceLocation(file: file), expected: "a readable input file", found: "it gone while running")
      }
      hashes[displayPath(file)] = SHA256.hex(data)
    }
    return hashes
  }

  /// The manifest of `results`, the command that made them and its inputs: `sources[i]` is
  /// where `results[i]`'s scenario came from.
  public static func run(
    command: String, results: [ScenarioResult], sources: [ScenarioSource], outputs: [String]
  ) throws -> Manifest {
    precondition(
      results.map(\.scenario.name) == sources.map(\.name), "a source for each result, in the same order")
    var files: Set<String> = []
    for source in sources { files.formUnion(source.files) }
    var manifest = Manifest(command: command, outputs: outputs)
    manifest.inputSHA256 = try inputHashes(files)
    var rows: [String: [String: Int]] = [:]
    for source in sources {
      for (file, count) in source.inputRows {
        rows[displayPath(file)] = ["data_rows_read": count.read, "data_rows_not_used": count.unused]
      }
    }
    manifest.inputRows = rows
    manifest.scenarios = zip(results, sources).sorted { $0.0.scenario.name < $1.0.scenario.name }.map { r, source in
      let s = r.scenario
      var entry = scenario(source)
      entry.title = s.title
      entry.kind = s.isBase ? "base (unmitigated)" : "scenario (an assumption, not a target)"
      entry.alerts = s.alerts.map(\.text)
      entry.priceBasis = s.priceBasis
      return entry
    }
    let firstFile = sources.first?.scenarioFiles.first ?? FileManager.default.currentDirectoryPath
    manifest.git = gitState(directory: (firstFile as NSString).deletingLastPathComponent, files: files.sorted())
    manifest.seed = .string("none (the deterministic run draws no random numbers)")
    manifest.integrityChecks =
      "passed: conservation of plans by year and placement, moves net to zero, cost lines sum to totals, the DSG corkscrew, mitigation savings reconcile"
    return manifest
  }

  /// JSON text (sorted keys) describing `results`, the command that made them and its inputs
  /// (`sources`, as for `run`).
  public static func json(
    command: String, results: [ScenarioResult], sources: [ScenarioSource], outputs: [String]
  ) throws -> String {
    try run(command: command, results: results, sources: sources, outputs: outputs).text()
  }

  /// A scenario's name, files and merged tree (paths resolved).
  static func scenario(_ source: ScenarioSource) -> ScenarioEntry {
    ScenarioEntry(
      name: source.name, files: source.scenarioFiles.map(displayPath), resolved: resolvedJSON(source.tree, keyPath: []))
  }

  /// Keys whose values are file paths: in the manifest they are written resolved (relative to
  /// the working directory), since after `extends:` a relative path alone does not say which
  /// file it was relative to.
  static let pathKeys: Set<String> = [
    "taxonomy.placements", "taxonomy.needs", "caseload.baseline", "caseload.population", "caseload.incidence",
    "caseload.new_plan_mix", "caseload.cessation", "caseload.transitions", "capacity.places", "costs.top_ups",
    "outturn",
  ]

  /// The merged scenario as JSON, with file paths resolved; a scalar is a number when it reads
  /// as a finite one (digit separators `_` allowed), true or false, or else text.
  static func resolvedJSON(_ tree: YAMLTree, keyPath: [String]) -> JSONValue {
    switch tree {
    case .scalar(let text, let location):
      let dotted = keyPath.joined(separator: ".")
      let parent = keyPath.dropLast().joined(separator: ".")
      if pathKeys.contains(dotted) || (keyPath.last == "file" && pathKeys.contains(parent)) {
        return .string(displayPath(resolvePath(text, relativeTo: location.file)))
      }
      if let d = Double(text.replacingOccurrences(of: "_", with: "")), d.isFinite { return .number(d) }
      if text == "true" { return .bool(true) }
      if text == "false" { return .bool(false) }
      return .string(text)
    case .mapping(let pairs, _):
      var object: [String: JSONValue] = [:]
      for pair in pairs { object[pair.key] = resolvedJSON(pair.value, keyPath: keyPath + [pair.key]) }
      return .object(object)
    case .sequence(let items, _):
      return .array(items.map { resolvedJSON($0, keyPath: keyPath) })
    case .null:
      return .null
    }
  }

  /// A path relative to the working directory when it lies below it, so that manifests of the
  /// same run from the same checkout are identical on any machine.
  package static func displayPath(_ path: String) -> String {
    if let builtIn = ScenarioLoader.defaultTaxonomyPaths,
      let name = [builtIn.placements, builtIn.needs].first(where: { $0 == path })
    {
      return "built-in:taxonomy/" + (name as NSString).lastPathComponent
    }
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
  }

  /// The commit of the repository holding the scenario, and whether any input differs from it.
  ///
  /// The two `git` commands run at the same time (each takes tens of milliseconds, most of a
  /// small run's wall time); the status counts only when there is a commit.
  static func gitState(directory: String, files: [String]) -> Git {
    let head = GitCommand(["rev-parse", "HEAD"], in: directory)
    let status = GitCommand(["status", "--porcelain", "--"] + files, in: directory)
    let statusText = status.output() ?? ""
    guard let commit = head.output()?.trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty else {
      return Git(commit: "not in a git repository")
    }
    return Git(
      commit: commit,
      inputsModifiedSinceCommit: !statusText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  /// One `git` command, started when made; `output()` waits for it.
  private struct GitCommand {
    let process = Process()
    let pipe = Pipe()
    let started: Bool

    init(_ arguments: [String], in directory: String) {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-C", directory.isEmpty ? "." : directory] + arguments
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      do {
        try process.run()
        started = true
      } catch {
        started = false
      }
    }

    /// The command's standard output, or nil if it could not run or failed.
    func output() -> String? {
      guard started else { return nil }
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else { return nil }
      return String(data: data, encoding: .utf8)
    }
  }
}
