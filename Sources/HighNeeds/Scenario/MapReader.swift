import Foundation

/// Reads one YAML map key by key, recording every value used in the assumptions log, and
/// rejects keys it was never asked for (so a typo is an error, not a silent default).
final class MapReader {
  let path: String
  let location: SourceLocation
  private let pairs: [(key: String, keyLocation: SourceLocation, value: YAMLTree)]
  private var used = Set<String>()
  let log: AssumptionLog

  init(_ tree: YAMLTree, path: String, log: AssumptionLog) throws {
    guard case .mapping(let pairs, let location) = tree else {
      throw InputError(tree.location, key: path.isEmpty ? nil : path, expected: "a map", found: tree.kindDescription)
    }
    self.pairs = pairs
    self.location = location
    self.path = path
    self.log = log
  }

  func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The raw value of `key`, if present.
  ///
  /// A key written with no value (`key:` or `key: ~`) is an error rather than "absent": a
  /// blank must not silently fall back to a default.
  func tree(_ key: String) throws -> YAMLTree? {
    used.insert(key)
    guard let value = pairs.first(where: { $0.key == key })?.value else { return nil }
    if case .null(let location) = value {
      throw InputError(location, key: keyPath(key), expected: "a value (or leave the key out)", found: "nothing (null)")
    }
    return value
  }

  func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

  /// Where the value of `key` is written (the map itself if the key is absent).
  func valueLocation(_ key: String) -> SourceLocation {
    pairs.first { $0.key == key }?.value.location ?? location
  }

  /// The error for a required key that is absent; when the map holds a near-miss spelling,
  /// the error points at that typo instead.
  func missing(_ key: String, _ expected: String) -> InputError {
    if let typo = pairs.first(where: { $0.key != key && !used.contains($0.key) && editDistance($0.key, key) <= 3 }) {
      return InputError(
        typo.keyLocation, key: keyPath(typo.key), expected: "a known key (did you mean '\(key)'?)",
        found: "unknown key \(InputError.quoted(typo.key))")
    }
    return InputError(location, key: keyPath(key), expected: expected, found: "no value")
  }

  /// A required string.
  func string(_ key: String) throws -> String {
    guard let value = try optionalString(key) else { throw missing(key, "a text value") }
    return value
  }

  /// An optional string.
  func optionalString(_ key: String) throws -> String? {
    guard let value = try tree(key) else { return nil }
    guard case .scalar(let text, _) = value else {
      throw InputError(value.location, key: keyPath(key), expected: "a text value", found: value.kindDescription)
    }
    return text
  }

  /// A required whole number.
  func int(_ key: String, in range: ClosedRange<Int>, unit: String) throws -> Int {
    guard let value = try tree(key) else { throw missing(key, "a whole number in \(range)") }
    guard case .scalar(let text, let location) = value, let n = Int(text.withoutDigitSeparators),
      range.contains(n)
    else {
      throw InputError(
        value.location, key: keyPath(key), expected: "a whole number in \(range.lowerBound)…\(range.upperBound)",
        found: value.kindDescription)
    }
    log.record(
      key: keyPath(key), value: text, unit: unit, source: "scenario setting", status: .setting, location: location)
    return n
  }

  /// A path, resolved relative to the file that wrote it; the file must exist.
  func path(_ key: String) throws -> String {
    guard let value = try optionalPath(key) else { throw missing(key, "a path to a file") }
    return value
  }

  /// An optional path, resolved relative to the file that wrote it.
  func optionalPath(_ key: String) throws -> String? {
    guard var value = try tree(key) else { return nil }
    var source = "see the file and its SOURCES.md"
    var note = ""
    if case .mapping = value {
      let map = try MapReader(value, path: keyPath(key), log: log)
      guard let file = try map.tree("file") else { throw map.missing("file", "a path to a file") }
      value = file
      source = try map.optionalString("source") ?? source
      note = try map.optionalString("note") ?? ""
      try map.finish()
    }
    guard case .scalar(let text, let location) = value else {
      throw InputError(value.location, key: keyPath(key), expected: "a path", found: value.kindDescription)
    }
    let resolved = try InputFile.confinedPath(text, at: location, key: keyPath(key))
    log.record(
      key: keyPath(key), value: text, unit: "csv file", source: source, note: note, status: .file, location: location)
    log.fileSources[resolved] = source
    return resolved
  }

  /// A required number with the given unit (bare, or a `{value, unit, source, note,
  /// assumption}` map), range-checked and logged.
  func number(_ key: String, unit: String, in range: ClosedRange<Double>? = nil, rangeText: String? = nil) throws
    -> InputNumber
  {
    guard let value = try tree(key) else { throw missing(key, "a number (\(unit))") }
    return try Self.number(value, keyPath: keyPath(key), unit: unit, range: range, rangeText: rangeText, log: log)
  }

  /// Optional variant of `number`.
  func optionalNumber(_ key: String, unit: String, in range: ClosedRange<Double>? = nil, rangeText: String? = nil)
    throws -> InputNumber?
  {
    guard let value = try tree(key) else { return nil }
    return try Self.number(value, keyPath: keyPath(key), unit: unit, range: range, rangeText: rangeText, log: log)
  }

  /// What this map states of where its number comes from: `source`, `note`, and the status
  /// (`status:`, one of `AssumptionStatus.statedByNumber`; or `assumption: true|false`; or data
  /// when only a source is given; not stated otherwise).
  func provenance() throws -> (source: String?, note: String, status: AssumptionStatus) {
    let source = try optionalString("source")
    let note = try optionalString("note") ?? ""
    var status = AssumptionStatus.notStated
    if let assumption = try optionalString("assumption") {
      guard assumption == "true" || assumption == "false" else {
        throw InputError(
          location, key: keyPath("assumption"), expected: "true or false", found: InputError.quoted(assumption))
      }
      status = assumption == "true" ? .assumption : .data
    } else if source != nil {
      status = .data
    }
    if let text = try optionalString("status") {
      guard let stated = AssumptionStatus(rawValue: text), AssumptionStatus.statedByNumber.contains(stated) else {
        throw InputError(
          valueLocation("status"), key: keyPath("status"),
          expected: "one of " + AssumptionStatus.statedByNumber.map { "'\($0.rawValue)'" }.joined(separator: ", "),
          found: InputError.quoted(text))
      }
      if has("assumption") {
        throw InputError(
          valueLocation("assumption"), key: keyPath("assumption"),
          expected: "either status or assumption (status says more)", found: "both")
      }
      status = stated
    }
    return (source, note, status)
  }

  /// Reads a number, bare or as a map; a map may give it a `distribution:` for `hnb sweep`
  /// (kept in the number, and its key path registered in `log.uncertainNumbers`).
  ///
  /// `perYearLabels` are the years of the series the number is the single value of: only then
  /// may the map say `varies: per_year` (a fresh draw for each year).
  static func number(
    _ value: YAMLTree, keyPath: String, unit: String, range: ClosedRange<Double>?, rangeText: String?,
    log: AssumptionLog, recordAs: String? = nil, perYearLabels: [String]? = nil
  ) throws -> InputNumber {
    var source: String?
    var note = ""
    var status = AssumptionStatus.notStated
    var numberTree = value
    var uncertain: (distribution: Distribution, map: MapReader, labels: [String]?)?
    if case .mapping = value {
      let map = try MapReader(value, path: keyPath, log: log)
      guard let inner = try map.tree("value") else { throw map.missing("value", "a number (\(unit))") }
      numberTree = inner
      if let statedUnit = try map.optionalString("unit"), statedUnit != unit {
        throw InputError(
          map.location, key: keyPath + ".unit", expected: "'\(unit)'", found: InputError.quoted(statedUnit))
      }
      (source, note, status) = try map.provenance()
      if let distributionMap = try map.map("distribution") {
        if let section = ["uncertainty", "alerts"].first(where: { keyPath == $0 || keyPath.hasPrefix($0 + ".") }) {
          throw InputError(
            distributionMap.location, key: distributionMap.path,
            expected: "a plain number (a distribution may not be given in \(section))", found: "a distribution")
        }
        if keyPath.contains(".distribution.") {
          throw InputError(
            distributionMap.location, key: distributionMap.path,
            expected: "a plain number (a distribution's parameters may not have distributions)",
            found: "a distribution")
        }
        let distribution = try Distribution.read(distributionMap)
        var labels: [String]?
        if let varies = try map.optionalString("varies") {
          switch varies {
          case "once": break
          case "per_year" where perYearLabels != nil: labels = perYearLabels
          case "per_year":
            throw InputError(
              map.valueLocation("varies"), key: keyPath + ".varies",
              expected: "once (only a series, a value that may change by year, can vary per_year)", found: "per_year")
          default:
            throw InputError(
              map.valueLocation("varies"), key: keyPath + ".varies", expected: "once or per_year",
              found: InputError.quoted(varies))
          }
        }
        uncertain = (distribution, distributionMap, labels)
      }
      try map.finish()
    }
    guard case .scalar(let text, let location) = numberTree, let number = parseNumber(text) else {
      var found = numberTree.kindDescription
      if case .scalar(let text, _) = numberTree { found += numberHint(text, percentUnit: unit.contains("percent")) }
      throw InputError(numberTree.location, key: keyPath, expected: "a number (\(unit))", found: found)
    }
    if let range, !range.contains(number) {
      throw InputError(
        location, key: keyPath, expected: rangeText ?? "a value in \(range)", found: text + rangeHint(number, range))
    }
    if let (distribution, distributionMap, labels) = uncertain {
      // Every draw must be a value the key accepts, so the support (to 1e-12 in each tail)
      // must lie in the key's range.
      let low = distribution.support.lowerBound
      let high = distribution.support.upperBound
      if let range, !(range.contains(low) && range.contains(high)) {
        throw InputError(
          distributionMap.location, key: distributionMap.path,
          expected: "a distribution whose draws are all \(rangeText ?? "in \(range)")",
          found: "one from \(format(low)) to \(format(high))")
      }
      let spread = "drawn by hnb sweep from \(distribution.description)" + (labels == nil ? "" : ", per year")
      note = note.isEmpty ? spread : note + "; " + spread
      log.uncertainNumbers.append(UncertainNumber(id: keyPath, distribution: distribution, labels: labels))
    }
    log.record(
      key: recordAs ?? keyPath, value: text, unit: unit, source: source ?? "not stated", note: note, status: status,
      location: location)
    return InputNumber(value: number, distribution: uncertain?.distribution, keyPath: keyPath, location: location)
  }

  /// A value given once or per year: a number, or a map `label: number` that must cover
  /// exactly `labels`.
  func series(
    _ key: String, labels: [String], unit: String, in range: ClosedRange<Double>? = nil, rangeText: String? = nil
  ) throws -> InputSeries? {
    guard let value = try tree(key) else { return nil }
    let kp = keyPath(key)
    if case .mapping(let pairs, let location) = value, !pairs.contains(where: { $0.key == "value" }) {
      var result: [InputNumber] = []
      for label in labels {
        guard let entry = pairs.first(where: { $0.key == label }) else {
          throw InputError(
            location, key: kp, expected: "a value for every year \(labels.first ?? "")…\(labels.last ?? "")",
            found: "no value for \(label)")
        }
        result.append(
          try Self.number(
            entry.value, keyPath: "\(kp).\(label)", unit: unit, range: range, rangeText: rangeText, log: log))
      }
      if let extra = pairs.first(where: { !labels.contains($0.key) }) {
        throw InputError(
          extra.keyLocation, key: kp, expected: "years \(labels.first ?? "")…\(labels.last ?? "")",
          found: InputError.quoted(extra.key))
      }
      return InputSeries(labels: labels, values: result.map(\.value), written: result, isSingle: false)
    }
    let single = try Self.number(
      value, keyPath: kp, unit: unit, range: range, rangeText: rangeText, log: log, perYearLabels: labels)
    return InputSeries(
      labels: labels, values: Array(repeating: single.value, count: labels.count), written: [single], isSingle: true)
  }

  /// A list of maps.
  func list(_ key: String) throws -> [YAMLTree]? {
    guard let value = try tree(key) else { return nil }
    guard case .sequence(let items, _) = value else {
      throw InputError(value.location, key: keyPath(key), expected: "a list", found: value.kindDescription)
    }
    return items
  }

  /// A nested map reader.
  func map(_ key: String) throws -> MapReader? {
    guard let value = try tree(key) else { return nil }
    return try MapReader(value, path: keyPath(key), log: log)
  }

  /// Keys of this map in file order.
  var keys: [(key: String, location: SourceLocation)] { pairs.map { ($0.key, $0.keyLocation) } }

  /// Throws if the map has a key nobody read: a typo, or a field that does not exist.
  func finish() throws {
    for pair in pairs where !used.contains(pair.key) {
      let known = used.sorted()
      var expected = "one of: \(known.joined(separator: ", "))"
      if let suggestion = known.min(by: { editDistance($0, pair.key) < editDistance($1, pair.key) }),
        editDistance(suggestion, pair.key) <= 3
      {
        expected += " (did you mean '\(suggestion)'?)"
      }
      throw InputError(
        pair.keyLocation, key: keyPath(pair.key), expected: expected,
        found: "unknown key \(InputError.quoted(pair.key))")
    }
  }
}

/// Resolves `path` against the directory of `file` unless it is absolute.
func resolvePath(_ path: String, relativeTo file: String) -> String {
  if path.hasPrefix("/") { return path }
  let directory = (file as NSString).deletingLastPathComponent
  let joined = directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
  return (joined as NSString).standardizingPath
}

/// Levenshtein distance, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}

/// The assumptions log and alerts gathered while a scenario is read.
final class AssumptionLog {
  var entries: [AssumptionEntry] = []
  var alerts: [Alert] = []
  /// Data rows read from each CSV file, and how many of them were not used.
  var rowCounts: [String: InputFileRows] = [:]

  /// The source stated for each CSV input (from `{file, source}`), by resolved path.
  var fileSources: [String: String] = [:]

  /// Numbers written with a `distribution:`, in the order read (each one uncertain input).
  var uncertainNumbers: [UncertainNumber] = []

  func rows(_ path: String, read: Int, unused: Int = 0) {
    rowCounts[path] = InputFileRows(read: read, unused: unused)
  }

  /// Counts `table`'s rows and logs every value in it.
  ///
  /// Each value's key is `key[column=value,…]` over the other columns, with the file's stated
  /// source and where it is. Rows on `unusedLines` are
  /// listed as not used.
  func table(_ table: CSVTable, key: String, value column: String, unit: String, unusedLines: Set<Int> = []) {
    rows(table.file, read: table.rows.count, unused: unusedLines.count)
    let idColumns = table.header.filter { $0 != column && $0 != "source" }
    let source = fileSources[table.file] ?? "see the file"
    for row in table.rows {
      let id = idColumns.map { "\($0)=\(row.string($0))" }.joined(separator: ",")
      let rowSource = row.string("source").isEmpty ? source : row.string("source")
      entries.append(
        AssumptionEntry(
          key: "\(key)[\(id)]", value: row.string(column), unit: unit, source: rowSource, note: "",
          status: unusedLines.contains(row.line) ? .unusedFromFile : .fromFile,
          location: row.location(column).description))
    }
  }

  func record(
    key: String, value: String, unit: String, source: String = "", note: String = "", status: AssumptionStatus,
    location: SourceLocation
  ) {
    entries.append(
      AssumptionEntry(
        key: key, value: value, unit: unit, source: source, note: note, status: status, location: location.description))
  }

  func alert(_ location: String, _ message: String) {
    alerts.append(Alert(location: location, message: message))
  }
}

/// A number written with a `distribution:`, as read: its key path, distribution, and the years
/// it is drawn for afresh (`varies: per_year`), nil when drawn once.
struct UncertainNumber: Equatable {
  var id: String
  var distribution: Distribution
  var labels: [String]?
}
