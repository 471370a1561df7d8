import Foundation

/// One shard of a sweep (`hnb sweep --shard k/n`): what it records in `shard.json`, and how
/// `hnb merge` checks a set of shards before it combines their draws.
///
/// A shard records everything that decides its numbers: the sweep's settings (scenario paths,
/// draws, seed, thresholds), the batch size (which decides which draws each shard runs), its
/// place `k/n`, the as-of date, the scenarios' names, the SHA-256 of every scenario and input
/// file it read, and for each scenario the number of draws and the SHA-256 of its draws file.
/// Merge refuses any set of shards that disagree on any of these (naming the setting and the
/// two shards), any input file that changed since the shards were drawn (naming the file), any
/// draws file whose bytes differ from its recorded checksum, and any draws file that does not
/// hold exactly the shard's draws, each a finite number (naming the file and line), so no
/// percentile is computed from draws of other inputs, other settings, or damaged files.
public struct SweepShard: Codable, Equatable, Sendable {
  /// The draws file of one scenario: how many draws it holds and the SHA-256 of its bytes.
  public struct DrawsFile: Codable, Equatable, Sendable {
    public var draws: Int
    public var sha256: String
  }

  /// The format this version writes and reads.
  public static let currentFormat = "hnb sweep shard 2"

  public var format: String
  public var toolVersion: String
  public var settings: SweepSettings
  public var batchSize: Int
  public var shard: Int
  public var of: Int
  /// The sweep's as-of date, so that the merged manifest equals the unsharded sweep's.
  public var asOf: String
  /// The scenarios' names, in the order of `settings.scenarioPaths`.
  public var scenarios: [String]
  /// Every scenario and input file the shard read (display path) → SHA-256.
  public var inputSHA256: [String: String]
  /// File name (`draws-NAME.txt`) → its draws and checksum.
  public var drawsFiles: [String: DrawsFile]

  enum CodingKeys: String, CodingKey {
    case format, settings, shard, of, scenarios
    case toolVersion = "tool_version"
    case batchSize = "batch_size"
    case asOf = "as_of"
    case inputSHA256 = "input_sha256"
    case drawsFiles = "draws_files"
  }

  /// The name of a scenario's draws file.
  public static func drawsFileName(_ scenario: String) -> String { "draws-\(scenario).txt" }

  /// The draws shard `k` of `n` runs, in order.
  public static func drawIndices(draws: Int, batchSize: Int, shard k: Int, of n: Int) -> [Int] {
    Sweep.batches(draws: draws, shard: k, of: n, batchSize: batchSize).flatMap {
      Array(Sweep.drawRange(batch: $0, draws: draws, batchSize: batchSize))
    }
  }

  /// The files of a shard: each scenario's draws, `shard.json`, and `manifest.json` (what made
  /// the shard; `hnb report` refuses it as a sweep until the shards are merged).
  public static func files(
    settings: SweepSettings, batchSize: Int, shard k: Int, of n: Int, asOf: CalendarDate,
    sources: [ScenarioSource], rows: [[[Double]]]
  ) throws -> [String: String] {
    let indices = drawIndices(draws: settings.draws, batchSize: batchSize, shard: k, of: n)
    var files: [String: String] = [:]
    var draws: [String: DrawsFile] = [:]
    for (s, r) in zip(sources, rows) {
      let text = SweepSummary.drawsText(firstDraws: indices, rows: r)
      files[drawsFileName(s.name)] = text
      draws[drawsFileName(s.name)] = DrawsFile(draws: r.count, sha256: SHA256.hex(Data(text.utf8)))
    }
    let hashes = try SweepOutput.inputHashes(sources)
    let info = SweepShard(
      format: currentFormat, toolVersion: HighNeeds.toolVersion, settings: settings, batchSize: batchSize, shard: k,
      of: n,
      asOf: asOf.description, scenarios: sources.map(\.name), inputSHA256: hashes, drawsFiles: draws)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    files["shard.json"] = String(decoding: try encoder.encode(info), as: UTF8.self) + "\n"
    var manifest = Manifest(command: settings.command, outputs: Array(files.keys) + ["manifest.json"])
    manifest.shard = "\(k)/\(n)"
    manifest.asOf = asOf.description
    manifest.seed = .string(String(settings.seed))
    manifest.draws = settings.draws
    manifest.batchSize = batchSize
    manifest.inputSHA256 = hashes
    manifest.note = "one shard of a sweep: combine every shard with hnb merge"
    files["manifest.json"] = try manifest.text()
    return files
  }

  /// Why shard `k/n` of `draws` draws in batches of `batchSize` is impossible, or nil: the
  /// draws and batch size must be within their limits, and 1 ≤ k ≤ n ≤ the number of batches
  /// (so that no shard is empty).
  public static func problem(draws: Int, batchSize: Int, shard k: Int, of n: Int) -> (key: String, expected: String)? {
    guard (2...Sweep.maximumDraws).contains(draws) else {
      return ("settings.draws", "2 to \(Sweep.maximumDraws) draws")
    }
    guard (1...Sweep.maximumBatchSize).contains(batchSize) else {
      return ("batch_size", "1 to \(Sweep.maximumBatchSize)")
    }
    let batches = (draws + batchSize - 1) / batchSize
    guard n >= 1, n <= batches, (1...n).contains(k) else {
      return (
        "shard",
        "k/n with 1 ≤ k ≤ n ≤ \(batches) (the batches of \(draws) draws at batch size \(batchSize), so "
          + "that no shard is empty)"
      )
    }
    return nil
  }
}

/// Reading and checking shards for `hnb merge`.
extension SweepShard {
  /// What the shard directories hold, checked against each other, the inputs now, and their
  /// own checksums: the settings, the as-of date, and every scenario's draws in draw order.
  public struct Merged: Sendable {
    public var settings: SweepSettings
    public var asOf: CalendarDate
    /// The scenarios loaded again, with where they came from.
    public var scenarios: [LoadedScenario]
    /// `rows[s][d]`: scenario `s`'s metrics of draw `d`, for every draw of the sweep.
    public var rows: [[[Double]]]
  }

  /// Reads and checks the shards in `directories`; `load` loads the scenarios at the recorded
  /// paths as of the recorded date (the command line prints their alerts).
  public static func merge(
    directories: [String], load: (_ paths: [String], _ asOf: CalendarDate) throws -> [LoadedScenario]
  ) throws -> Merged {
    let shards = try directories.map { dir in (dir, try read(directory: dir)) }
    guard let (firstDirectory, first) = shards.first else {
      throw InputError(SourceLocation(file: "."), expected: "shard directories", found: "none")
    }
    for (dir, s) in shards.dropFirst() { try s.checkSame(as: first, at: dir, firstAt: firstDirectory) }
    var seen: [Int: String] = [:]
    for (dir, s) in shards {
      if let other = seen[s.shard] {
        throw InputError(
          SourceLocation(file: shardPath(dir)), key: "shard", expected: "each shard of the sweep once",
          found: "shard \(s.shard)/\(s.of) again (also in \(other))")
      }
      seen[s.shard] = dir
    }
    let n = first.of
    guard seen.count == n else {
      let missing = (1...n).filter { seen[$0] == nil }.map { "\($0)/\(n)" }.joined(separator: ", ")
      throw InputError(
        SourceLocation(file: firstDirectory), expected: "shards 1…\(n) of one sweep, each once",
        found: "shards \(shards.map { "\($0.1.shard)/\($0.1.of)" }.joined(separator: ", ")) (missing: \(missing))")
    }
    guard let asOf = CalendarDate(first.asOf) else {
      throw InputError(
        SourceLocation(file: shardPath(firstDirectory)), key: "as_of", expected: "a date YYYY-MM-DD",
        found: InputError.quoted(first.asOf))
    }
    let scenarios = try load(first.settings.scenarioPaths, asOf)
    try checkInputs(first, at: firstDirectory, sources: scenarios.map(\.source))
    var rows: [[[Double]]] = []
    for s in scenarios.map(\.scenario) {
      let valuesPerDraw = SweepMetric.ordered.count * s.horizonYears
      var byDraw = [[Double]?](repeating: nil, count: first.settings.draws)
      for (dir, shard) in shards {
        let name = drawsFileName(s.name)
        for (d, values) in try shard.readDraws(name, in: dir, valuesPerDraw: valuesPerDraw) { byDraw[d] = values }
      }
      // Each shard holds exactly its own draws and the shards' draws are disjoint, so all are here.
      rows.append(byDraw.compactMap { $0 })
    }
    return Merged(settings: first.settings, asOf: asOf, scenarios: scenarios, rows: rows)
  }

  static func shardPath(_ directory: String) -> String { (directory as NSString).appendingPathComponent("shard.json") }

  /// Reads `shard.json` in `directory`, refusing any shard that is not one this version wrote
  /// or whose numbers are out of range.
  public static func read(directory: String) throws -> SweepShard {
    let path = shardPath(directory)
    let location = SourceLocation(file: path)
    let data = try EvidenceFolder.data(path, what: "a shard written by hnb sweep --shard (shard.json)")
    guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else {
      throw InputError(
        location, expected: "a JSON object written by hnb sweep --shard",
        found: "text that is not a JSON object (cut short or edited?)")
    }
    guard let format = json["format"] as? String, format == currentFormat else {
      throw InputError(
        location, key: "format", expected: "'\(currentFormat)' (a shard written by this version of hnb)",
        found: (json["format"] as? String).map { InputError.quoted($0) }
          ?? "none (a shard of an earlier version, which records no input hashes): run the shard again")
    }
    let shard: SweepShard
    do {
      shard = try JSONDecoder().decode(SweepShard.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw InputError(location, key: keyPath(context.codingPath + [key]), expected: "a value", found: "none")
    } catch let DecodingError.typeMismatch(type, context) {
      throw InputError(
        location, key: keyPath(context.codingPath), expected: "a \(type)", found: "another kind of value")
    } catch let DecodingError.valueNotFound(type, context) {
      throw InputError(location, key: keyPath(context.codingPath), expected: "a \(type)", found: "null")
    } catch {
      throw InputError(location, expected: "a shard written by hnb sweep --shard", found: "a value of the wrong kind")
    }
    if let problem = problem(draws: shard.settings.draws, batchSize: shard.batchSize, shard: shard.shard, of: shard.of)
    {
      throw InputError(
        location, key: problem.key, expected: problem.expected,
        found: "draws \(shard.settings.draws), batch_size \(shard.batchSize), shard \(shard.shard)/\(shard.of)")
    }
    let names = Set(shard.scenarios.map(drawsFileName))
    guard shard.scenarios.count == shard.settings.scenarioPaths.count, names == Set(shard.drawsFiles.keys),
      names.count == shard.scenarios.count
    else {
      throw InputError(
        location, key: "draws_files", expected: "one draws file for each scenario of the shard",
        found: InputError.quoted(shard.drawsFiles.keys.sorted().joined(separator: ", "), limit: 120))
    }
    let expected = drawIndices(
      draws: shard.settings.draws, batchSize: shard.batchSize, shard: shard.shard, of: shard.of
    ).count
    for (name, file) in shard.drawsFiles.sorted(by: { $0.key < $1.key }) where file.draws != expected {
      throw InputError(
        location, key: "draws_files.\(name).draws",
        expected: "\(expected) (the draws of shard \(shard.shard)/\(shard.of))", found: "\(file.draws)")
    }
    return shard
  }

  static func keyPath(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
  }

  /// Throws unless this shard (in `directory`) was made by the same sweep as `first`.
  func checkSame(as first: SweepShard, at directory: String, firstAt firstDirectory: String) throws {
    func differ(_ key: String, _ mine: String, _ theirs: String) -> InputError {
      InputError(
        SourceLocation(file: Self.shardPath(directory)), key: key,
        expected: "\(theirs), as in \(Self.shardPath(firstDirectory)) (shards of one sweep agree)", found: mine)
    }
    let list = { (x: [String]) in InputError.quoted(x.joined(separator: " "), limit: 120) }
    let pairs: [(String, String, String)] = [
      ("tool_version", toolVersion, first.toolVersion),
      ("settings.scenarioPaths", list(settings.scenarioPaths), list(first.settings.scenarioPaths)),
      ("settings.draws", "\(settings.draws)", "\(first.settings.draws)"),
      ("settings.seed", "\(settings.seed)", "\(first.settings.seed)"),
      (
        "settings.thresholdsGBP", list(settings.thresholdsGBP.map { "\($0)" }),
        list(first.settings.thresholdsGBP.map { "\($0)" })
      ),
      ("batch_size", "\(batchSize)", "\(first.batchSize)"),
      ("of", "\(of)", "\(first.of)"),
      ("as_of", InputError.quoted(asOf), InputError.quoted(first.asOf)),
      ("scenarios", list(scenarios), list(first.scenarios)),
    ]
    for (key, mine, theirs) in pairs where mine != theirs { throw differ(key, mine, theirs) }
    for file in Set(inputSHA256.keys).union(first.inputSHA256.keys).sorted()
    where inputSHA256[file] != first.inputSHA256[file] {
      let show = { (h: String?) in h.map { "sha256 '\($0.prefix(12))…'" } ?? "not an input" }
      throw differ(
        "input_sha256", "\(show(inputSHA256[file])) for \(InputError.quoted(file, limit: 120))",
        show(first.inputSHA256[file]))
    }
  }

  /// Throws unless the scenarios loaded now have the recorded names and read exactly the
  /// recorded files, each with its recorded SHA-256.
  static func checkInputs(_ shard: SweepShard, at directory: String, sources: [ScenarioSource]) throws {
    let names = sources.map(\.name)
    if names != shard.scenarios {
      throw InputError(
        SourceLocation(file: shardPath(directory)), key: "scenarios",
        expected: "the scenarios at \(shard.settings.scenarioPaths.joined(separator: " ")) as the shards were drawn",
        found: InputError.quoted(shard.scenarios.joined(separator: " "), limit: 120) + " recorded, "
          + InputError.quoted(names.joined(separator: " "), limit: 120) + " now")
    }
    let now = try SweepOutput.inputHashes(sources)
    var errors: [InputError] = []
    for file in Set(now.keys).union(shard.inputSHA256.keys).sorted() {
      let recorded = shard.inputSHA256[file]
      guard now[file] != recorded else { continue }
      let expected =
        recorded.map {
          "the file the shards were drawn from (sha256 '\($0.prefix(12))…' in \(shardPath(directory)))"
        } ?? "only the files the shards were drawn from (\(shardPath(directory)) records no such input)"
      let found =
        now[file].map {
          recorded == nil
            ? "an input now (sha256 '\($0.prefix(12))…')"
            : "it changed since (sha256 '\($0.prefix(12))…' now): run the shards again"
        }
        ?? "it is no longer an input of the scenarios"
      errors.append(
        InputError(
          SourceLocation(file: now[file] == nil ? InputError.quoted(file, limit: 120) : file), expected: expected,
          found: found))
    }
    if errors.count == 1 { throw errors[0] }
    if !errors.isEmpty { throw InputErrors(errors) }
  }

  /// Reads this shard's draws file `name` in `directory`: checks its checksum, then that it
  /// holds exactly the shard's draws, once each, with `valuesPerDraw` finite numbers.
  func readDraws(_ name: String, in directory: String, valuesPerDraw: Int) throws -> [(Int, [Double])] {
    let path = (directory as NSString).appendingPathComponent(name)
    guard let recorded = drawsFiles[name] else {
      throw InputError(
        SourceLocation(file: Self.shardPath(directory)), key: "draws_files", expected: "an entry for \(name)",
        found: "none")
    }
    // A line: the index and every value as at most 16 hex digits, commas and a line break.
    let maximumBytes = recorded.draws * (22 + 17 * valuesPerDraw)
    let data = try EvidenceFolder.data(
      path, what: "the draws file that shard.json records", maximumBytes: max(maximumBytes, 1))
    let sha256 = SHA256.hex(data)
    guard sha256 == recorded.sha256 else {
      throw InputError(
        SourceLocation(file: path),
        expected:
          "the draws that shard.json records (sha256 '\(recorded.sha256.prefix(12))…', \(recorded.draws) draws)",
        found:
          "other bytes (sha256 '\(sha256.prefix(12))…'): the file was changed or cut short after the shard was written")
    }
    let expected = Self.drawIndices(draws: settings.draws, batchSize: batchSize, shard: shard, of: of)
    return try Self.parseDraws(
      data, file: path, valuesPerDraw: valuesPerDraw, expected: expected)
  }

  /// Parses a draws file strictly, naming the file, line and column of any fault.
  ///
  /// One line per draw, each ending in a line break: `index` then `valuesPerDraw` hexadecimal
  /// bit patterns of finite doubles; the indices must be exactly `expected` (in any order),
  /// each once.
  public static func parseDraws(_ data: Data, file: String, valuesPerDraw: Int, expected: [Int]) throws -> [(
    Int, [Double]
  )] {
    let wanted = Set(expected)
    var seen: [Int: Int] = [:]
    var result: [(Int, [Double])] = []
    result.reserveCapacity(expected.count)
    let bytes = [UInt8](data)
    var start = 0
    var line = 0
    while start < bytes.count {
      line += 1
      guard let end = bytes[start...].firstIndex(of: 0x0A) else {
        throw InputError(
          SourceLocation(file: file, line: line), expected: "a whole line ending in a line break",
          found: "the file cut short")
      }
      var values: [Double] = []
      values.reserveCapacity(valuesPerDraw)
      var index: Int?
      var fieldStart = start
      var field = 0
      while fieldStart <= end {
        let fieldEnd = bytes[fieldStart..<end].firstIndex(of: 0x2C) ?? end
        let text = String(decoding: bytes[fieldStart..<fieldEnd], as: UTF8.self)
        let location = SourceLocation(file: file, line: line, column: fieldStart - start + 1)
        if field == 0 {
          guard let i = Int(text), wanted.contains(i) else {
            throw InputError(
              location, expected: "a draw index of this shard (\(expected.first ?? 0)…\(expected.last ?? 0))",
              found: InputError.quoted(text))
          }
          if let other = seen[i] {
            throw InputError(location, expected: "each draw once", found: "draw \(i) again (also on line \(other))")
          }
          seen[i] = line
          index = i
        } else {
          guard field <= valuesPerDraw else {
            throw InputError(
              location, expected: "\(valuesPerDraw) values after the draw index", found: "more")
          }
          guard (1...16).contains(text.utf8.count), let bits = UInt64(text, radix: 16) else {
            throw InputError(
              location, expected: "a double as 1 to 16 hexadecimal digits", found: InputError.quoted(text))
          }
          let value = Double(bitPattern: bits)
          guard value.isFinite else {
            throw InputError(
              location, expected: "a finite number", found: "\(value) (bits \(InputError.quoted(text)))")
          }
          values.append(value)
        }
        field += 1
        fieldStart = fieldEnd + 1
      }
      guard values.count == valuesPerDraw, let index else {
        throw InputError(
          SourceLocation(file: file, line: line), expected: "\(valuesPerDraw) values after the draw index",
          found: "\(values.count)")
      }
      result.append((index, values))
      start = end + 1
    }
    if result.count != wanted.count {
      let missing = expected.first { seen[$0] == nil } ?? 0
      throw InputError(
        SourceLocation(file: file, line: line + 1),
        expected: "\(wanted.count) draws (\(expected.first ?? 0)…\(expected.last ?? 0))",
        found: "\(result.count) (draw \(missing) missing)")
    }
    return result
  }
}
