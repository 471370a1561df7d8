import Foundation

/// Child-level year-on-year transitions, read as a stream and kept only as counts.
///
/// The file is `calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2`,
/// one row a child: state 1 at the January census of `calendar-year`, state 2 at the next.
/// `NONSEND` is the setting and need of a joiner's first state and of a leaver's second.
/// Academic years are national curriculum years; the model's age is `academic-year + 4` (age
/// at the start of the academic year, as SEN2 counts it: reception is 4), so curriculum years
/// −4…21 are ages 0…25.
///
/// Memory is bounded by the counts (years × ages × placements², and joiners by need), not by
/// the rows: the file is read in fixed-size chunks.
public struct TransitionCounts: Sendable {
  /// The marker of a state outside the SEND caseload.
  public static let outside = "NONSEND"
  /// The model's age of a curriculum year.
  public static let ageOffset = 4
  /// The calendar years a history may hold (SEN2 began in 2010).
  public static let calendarYears = 1900...2200

  public var file: String
  public var taxonomy: Taxonomy
  /// Calendar years of state 1, ascending and without gaps.
  public var years: [Int]
  /// `stock[y][a·P + p]`: children at age `a`, placement `p` in state 1 of year index `y`.
  public var stock: [[Double]]
  /// `leavers[y][a·P + p]`: of those, children whose state 2 is `NONSEND`.
  public var leavers: [[Double]]
  /// `moves[y][(a·P + p)·P + q]`: continuing children from `p` at age `a` found in `q` (stays included).
  public var moves: [[Double]]
  /// `joiners[y][(a·N + n)·P + q]`: joiners at age `a` (their state-2 age), need `n`, placement `q`.
  public var joiners: [[Double]]
  /// Data rows read.
  public var rowsRead: Int
  /// Rows used.
  public var rowsUsed: Int
  /// Rows not used, by reason.
  public var rejected: [String: Int]

  var placementCount: Int { taxonomy.placements.count }
  var needCount: Int { taxonomy.needs.count }

  /// Reads `path`, mapping the LA's codes with `mapping` (codes must otherwise be taxonomy ids).
  ///
  /// Precise errors (file, line, column) for an unknown setting or need code, a child ageing
  /// backwards, and a gap in the calendar years. Rows with a wrong field count, a curriculum
  /// year outside −4…21, `NONSEND` on both sides, or a state 2 not exactly one year on are
  /// counted as rejected with their reason.
  public static func read(path: String, taxonomy: Taxonomy, mapping: CodeMapping? = nil) throws -> TransitionCounts {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw InputError(SourceLocation(file: path), expected: "a readable CSV file", found: "no such file")
    }
    defer { try? handle.close() }
    let columns = [
      "calendar-year", "setting-1", "need-1", "academic-year-1", "setting-2", "need-2", "academic-year-2",
    ]
    let P = taxonomy.placements.count
    let N = taxonomy.needs.count
    let ages = AgeAxis.maxAge + 1
    var counts = TransitionCounts(
      file: path, taxonomy: taxonomy, years: [], stock: [], leavers: [], moves: [], joiners: [], rowsRead: 0,
      rowsUsed: 0, rejected: [:])
    var yearIndex: [Int: Int] = [:]
    var order: [Int] = []
    var settingCache: [String: Int] = [:]
    var needCache: [String: Int] = [:]
    func resolve(_ code: String, kind: CodeMapping.Kind, line: Int, column: Int) throws -> Int {
      let cache = kind == .setting ? settingCache : needCache
      if let hit = cache[code] { return hit }
      let id = mapping?.id(for: code, kind: kind) ?? code
      let index = kind == .setting ? taxonomy.placementIndex(id) : taxonomy.needIndex(id)
      guard let index else {
        let known = kind == .setting ? taxonomy.placements.map(\.id) : taxonomy.needs.map(\.id)
        throw InputError(
          SourceLocation(file: path, line: line, column: column), key: columns[column - 1],
          expected:
            "a \(kind.rawValue) code of the taxonomy (\(known.joined(separator: ", "))) or one listed in --mapping",
          found: "'\(code)'" + (mapping == nil ? " (no --mapping given)" : " (not in the mapping)"))
      }
      if kind == .setting { settingCache[code] = index } else { needCache[code] = index }
      return index
    }
    func reject(_ reason: String) { counts.rejected[reason, default: 0] += 1 }
    var line = 0
    var header: [String]?
    var position: [Int] = []
    var pending: [UInt8] = []
    func process(_ bytes: ArraySlice<UInt8>) throws {
      line += 1
      var text = String(decoding: bytes, as: UTF8.self)
      if text.hasSuffix("\r") { text.removeLast() }
      if header == nil {
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
          $0.trimmingWhitespace
        }
        guard Set(names) == Set(columns), names.count == columns.count else {
          throw InputError(
            SourceLocation(file: path, line: line), expected: "columns \(columns.joined(separator: ","))",
            found: "header '\(names.joined(separator: ","))'")
        }
        position = columns.map { name in names.firstIndex(of: name) ?? 0 }
        header = names
        return
      }
      if text.trimmingWhitespace.isEmpty { return }
      counts.rowsRead += 1
      let raw = text.split(separator: ",", omittingEmptySubsequences: false)
      guard raw.count == columns.count else {
        reject("wrong number of fields")
        return
      }
      let f = position.map { raw[$0].trimmingWhitespace }
      let col = position.map { $0 + 1 }
      guard let year = Int(f[0]) else {
        throw InputError(
          SourceLocation(file: path, line: line, column: col[0]), key: "calendar-year", expected: "a year",
          found: "'\(f[0])'")
      }
      // Each calendar year seen takes its own count arrays, so the years are bounded.
      guard calendarYears.contains(year) else {
        throw InputError(
          SourceLocation(file: path, line: line, column: col[0]), key: "calendar-year",
          expected: "a calendar year \(calendarYears.lowerBound)–\(calendarYears.upperBound)", found: "'\(f[0])'")
      }
      let joiner = f[1] == outside
      let leaver = f[4] == outside
      if joiner && leaver {
        reject("NONSEND in both states")
        return
      }
      guard let ay1 = Int(f[3]), let ay2 = Int(f[6]) else {
        reject("academic year not a whole number")
        return
      }
      if ay2 < ay1 {
        throw InputError(
          SourceLocation(file: path, line: line, column: col[6]), key: "academic-year-2",
          expected: "a child one curriculum year older than academic-year-1 (\(ay1))",
          found: "\(ay2): the child ages backwards")
      }
      guard ay1 < Int.max, ay2 == ay1 + 1 else {
        reject(ay2 == ay1 ? "same curriculum year in both states (held back)" : "curriculum year skipped")
        return
      }
      // A curriculum year too large to take the offset is outside −4…21 like any other.
      let a1 = ay1 <= Int.max - ageOffset ? ay1 + ageOffset : -1
      let a2 = ay2 <= Int.max - ageOffset ? ay2 + ageOffset : -1
      guard (joiner || (0..<ages).contains(a1)) && (leaver || (0..<ages).contains(a2)) else {
        reject("curriculum year outside -4…21 (age 0–25)")
        return
      }
      let p = joiner ? -1 : try resolve(f[1], kind: .setting, line: line, column: col[1])
      if !joiner { _ = try resolve(f[2], kind: .need, line: line, column: col[2]) }
      let q = leaver ? -1 : try resolve(f[4], kind: .setting, line: line, column: col[4])
      let n2 = leaver ? -1 : try resolve(f[5], kind: .need, line: line, column: col[5])
      let y: Int
      if let known = yearIndex[year] {
        y = known
      } else {
        y = order.count
        yearIndex[year] = y
        order.append(year)
        counts.stock.append(Array(repeating: 0, count: ages * P))
        counts.leavers.append(Array(repeating: 0, count: ages * P))
        counts.moves.append(Array(repeating: 0, count: ages * P * P))
        counts.joiners.append(Array(repeating: 0, count: ages * N * P))
      }
      counts.rowsUsed += 1
      if joiner {
        counts.joiners[y][(a2 * N + n2) * P + q] += 1
        return
      }
      counts.stock[y][a1 * P + p] += 1
      if leaver {
        counts.leavers[y][a1 * P + p] += 1
      } else if a1 < AgeAxis.maxAge {
        counts.moves[y][(a1 * P + p) * P + q] += 1
      }
    }
    // The fast path: a row that will be used, read from its bytes without making strings (the
    // codes looked up by their bytes); anything else — a header, a rejection, an error, a code
    // not yet seen, spaces — goes through `process`, which the fast path then learns from.
    var settingBytes = ByteCodeCache()
    var needBytes = ByteCodeCache()
    let outsideBytes = Array(outside.utf8)
    var fields = [Range<Int>](repeating: 0..<0, count: columns.count)
    func fastProcess(_ buffer: UnsafeBufferPointer<UInt8>, _ lower: Int, _ upper: Int) throws {
      var end = upper
      if end > lower && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
      var count = 0
      var start = lower
      var plain = header != nil && end > lower
      var i = lower
      while plain && i <= end {
        if i == end || buffer[i] == UInt8(ascii: ",") {
          if count == columns.count { plain = false } else { fields[count] = start..<i }
          count += 1
          start = i + 1
        } else if buffer[i] == UInt8(ascii: " ") || buffer[i] == UInt8(ascii: "\t") || buffer[i] == UInt8(ascii: "\"") {
          plain = false
        }
        i += 1
      }
      func field(_ k: Int) -> Range<Int> { fields[position[k]] }
      func isOutside(_ r: Range<Int>) -> Bool { Self.equal(buffer, r, outsideBytes) }
      if plain && count == columns.count, let year = Self.integer(buffer, field(0)),
        let ay1 = Self.integer(buffer, field(3)), let ay2 = Self.integer(buffer, field(6)), ay2 == ay1 + 1,
        let y = yearIndex[year]
      {
        let joiner = isOutside(field(1))
        let leaver = isOutside(field(4))
        let a1 = ay1 + ageOffset
        let a2 = ay2 + ageOffset
        if !(joiner && leaver) && (joiner || (0..<ages).contains(a1)) && (leaver || (0..<ages).contains(a2)) {
          let p = joiner ? -1 : settingBytes.index(buffer, field(1))
          let n1 = joiner ? 0 : needBytes.index(buffer, field(2))
          let q = leaver ? -1 : settingBytes.index(buffer, field(4))
          let n2 = leaver ? -1 : needBytes.index(buffer, field(5))
          if let p, n1 != nil, let q, let n2 {
            line += 1
            counts.rowsRead += 1
            counts.rowsUsed += 1
            if joiner {
              counts.joiners[y][(a2 * N + n2) * P + q] += 1
            } else {
              counts.stock[y][a1 * P + p] += 1
              if leaver {
                counts.leavers[y][a1 * P + p] += 1
              } else if a1 < AgeAxis.maxAge {
                counts.moves[y][(a1 * P + p) * P + q] += 1
              }
            }
            return
          }
        }
      }
      try process(ArraySlice(buffer[lower..<upper]))
      // Learn the codes `process` resolved, so later rows with them take the fast path.
      guard plain && count == columns.count else { return }
      for (k, cache) in [(1, 0), (2, 1), (4, 0), (5, 1)] where !isOutside(field(k)) {
        let code = String(decoding: UnsafeBufferPointer(rebasing: buffer[field(k)]), as: UTF8.self)
        if cache == 0, let index = settingCache[code] { settingBytes.insert(buffer, field(k), index) }
        if cache == 1, let index = needCache[code] { needBytes.insert(buffer, field(k), index) }
      }
    }
    while true {
      let chunk = handle.readData(ofLength: 1 << 20)
      if chunk.isEmpty { break }
      pending.append(contentsOf: chunk)
      let start = try pending.withUnsafeBufferPointer { buffer -> Int in
        var start = 0
        var i = 0
        while i < buffer.count {
          if buffer[i] == UInt8(ascii: "\n") {
            try fastProcess(buffer, start, i)
            start = i + 1
          }
          i += 1
        }
        return start
      }
      pending.removeFirst(start)
    }
    if !pending.isEmpty { try process(pending[...]) }
    guard let first = order.min(), let last = order.max() else {
      throw InputError(SourceLocation(file: path, line: 2), expected: "at least one usable transition", found: "none")
    }
    if let gap = (first...last).first(where: { yearIndex[$0] == nil }) {
      throw InputError(
        SourceLocation(file: path), key: "calendar-year",
        expected: "transitions for every calendar year from \(first) to \(last)", found: "none for \(gap)")
    }
    // Put the years in order.
    let sorted = order.enumerated().sorted { $0.element < $1.element }.map(\.offset)
    counts.years = sorted.map { order[$0] }
    counts.stock = sorted.map { counts.stock[$0] }
    counts.leavers = sorted.map { counts.leavers[$0] }
    counts.moves = sorted.map { counts.moves[$0] }
    counts.joiners = sorted.map { counts.joiners[$0] }
    return counts
  }
}

extension TransitionCounts {
  /// Whether `bytes[range]` spells `word`.
  static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: [UInt8]) -> Bool {
    guard range.count == word.count else { return false }
    var i = 0
    while i < word.count {
      if bytes[range.lowerBound + i] != word[i] { return false }
      i += 1
    }
    return true
  }

  /// The integer in `bytes[range]` (an optional `-` then digits), or nil for anything else.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    guard !range.isEmpty else { return nil }
    var i = range.lowerBound
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative { i += 1 }
    guard i < range.upperBound, range.upperBound - i <= 9 else { return nil }
    var value = 0
    while i < range.upperBound {
      let digit = Int(bytes[i]) - 48
      guard (0...9).contains(digit) else { return nil }
      value = value * 10 + digit
      i += 1
    }
    return negative ? -value : value
  }
}

/// Codes already resolved, looked up by their bytes (FNV-1a hash, then the bytes compared).
struct ByteCodeCache {
  var entries: [UInt64: [(bytes: [UInt8], index: Int)]] = [:]

  /// The FNV-1a hash of `bytes[range]`.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var i = range.lowerBound
    while i < range.upperBound {
      h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3
      i += 1
    }
    return h
  }

  /// The index stored for `bytes[range]`, if any.
  func index(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    guard let bucket = entries[Self.hash(bytes, range)] else { return nil }
    for entry in bucket where TransitionCounts.equal(bytes, range, entry.bytes) { return entry.index }
    return nil
  }

  /// Stores `index` for `bytes[range]`.
  mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ index: Int) {
    guard self.index(bytes, range) == nil else { return }
    entries[Self.hash(bytes, range), default: []].append((Array(bytes[range]), index))
  }
}

/// The LA's own setting and need codes mapped to the taxonomy's ids.
///
/// CSV `kind,code,id` with `kind` `setting` or `need`. A code not listed is taken as a
/// taxonomy id itself.
public struct CodeMapping: Sendable {
  /// What a code names.
  public enum Kind: String, Sendable {
    case setting
    case need
  }

  var ids: [String: String]

  /// The taxonomy id of `code`, if the mapping lists it.
  public func id(for code: String, kind: Kind) -> String? { ids[kind.rawValue + ":" + code] }

  /// Reads `path`, checking that every id exists in `taxonomy`.
  public static func read(path: String, taxonomy: Taxonomy) throws -> CodeMapping {
    let table = try CSVTable.read(path: path, columns: ["kind", "code", "id"])
    var ids: [String: String] = [:]
    for row in table.rows {
      guard let kind = Kind(rawValue: try row.required("kind")) else {
        throw InputError(
          row.location("kind"), key: "kind", expected: "setting or need", found: "'\(row.string("kind"))'")
      }
      let code = try row.required("code")
      let id = try row.required("id")
      let known = kind == .setting ? taxonomy.placementIndex(id) != nil : taxonomy.needIndex(id) != nil
      if !known {
        throw InputError(
          row.location("id"), key: "id", expected: "a \(kind.rawValue) id of the taxonomy", found: "'\(id)'")
      }
      if ids.updateValue(id, forKey: kind.rawValue + ":" + code) != nil {
        throw InputError(row.location("code"), key: "code", expected: "each code once", found: "'\(code)' again")
      }
    }
    return CodeMapping(ids: ids)
  }
}

/// Resident population by census year and age.
///
/// CSV `calendar-year,academic-year,population` (age = curriculum year + 4) or
/// `year,age,population`.
public struct PopulationTable: Sendable {
  /// `values[year]?[age]`.
  public var values: [Int: [Int: Double]]
  public var rowsRead: Int

  /// Population at census `year`, age `age`.
  public func population(year: Int, age: Int) -> Double? { values[year]?[age] }

  /// Reads `path`.
  public static func read(path: String) throws -> PopulationTable {
    let (table, shape) = try CSVTable.read(
      path: path, oneOf: [["calendar-year", "academic-year", "population"], ["year", "age", "population"]])
    var values: [Int: [Int: Double]] = [:]
    for row in table.rows {
      let year = try row.int(shape == 0 ? "calendar-year" : "year")
      // Ages outside 0–25 are skipped; checked before adding the offset, which cannot overflow.
      let offset = shape == 0 ? TransitionCounts.ageOffset : 0
      let given = try row.int(shape == 0 ? "academic-year" : "age")
      guard ((-offset)...(AgeAxis.maxAge - offset)).contains(given) else { continue }
      let age = given + offset
      let value = try row.double(
        "population", in: 0...CalibrationLimits.maximumCount,
        rangeText: "a count of residents 0–\(CalibrationLimits.maximumText)")
      if values[year, default: [:]].updateValue(value, forKey: age) != nil {
        throw InputError(
          row.location("population"), expected: "each year and age once", found: "year \(year) age \(age) again")
      }
    }
    return PopulationTable(values: values, rowsRead: table.rows.count)
  }
}
