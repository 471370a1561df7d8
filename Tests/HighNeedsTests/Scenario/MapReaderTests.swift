import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// MapReader reads a scenario map key by key: a typo is an error pointing at the key (with the
/// nearest known key), a blank is never a default, every number is range-checked where it is
/// written and logged with its unit, source and place.
@Suite struct MapReaderTests {
  /// A reader of `yaml` (file `s.yaml`) under `path`, and the log it writes to.
  static func reader(_ yaml: String, path: String = "") throws -> (MapReader, AssumptionLog) {
    let log = AssumptionLog()
    return (try MapReader(try YAMLTree.parse(yaml, file: "s.yaml"), path: path, log: log), log)
  }

  /// A key nobody read is an error at that key, with the nearest key that was read.
  @Test func anUnknownKeyIsAnErrorAtTheKey() throws {
    let (map, _) = try Self.reader("horizon_years: 3\ntitle: x\nhorizn_year: 4\n", path: "time")
    #expect(try map.int("horizon_years", in: 1...40, unit: "years") == 3)
    #expect(try map.string("title") == "x")
    #expect(
      thrownMessage { try map.finish() }
        == "s.yaml:3:1: time.horizn_year: expected one of: horizon_years, title (did you mean 'horizon_years'?); found unknown key 'horizn_year'"
    )
    let (far, _) = try Self.reader("a: 1\nzzzzzzz: 2\n")
    _ = try far.string("a")
    #expect(
      thrownMessage { try far.finish() } == "s.yaml:2:1: zzzzzzz: expected one of: a; found unknown key 'zzzzzzz'")
  }

  /// A required key that is absent is an error at its map; when the map holds a near-miss
  /// spelling, the error points at the typo instead.
  @Test func aMissingKeyPointsAtItsTypo() throws {
    let (typo, _) = try Self.reader("name: x\nhorizn_years: 3\n", path: "time")
    #expect(
      thrownMessage { _ = try typo.int("horizon_years", in: 1...40, unit: "years") }
        == "s.yaml:2:1: time.horizn_years: expected a known key (did you mean 'horizon_years'?); found unknown key 'horizn_years'"
    )
    let (absent, _) = try Self.reader("name: x\n", path: "time")
    #expect(
      thrownMessage { _ = try absent.int("horizon_years", in: 1...40, unit: "years") }
        == "s.yaml:1:1: time.horizon_years: expected a whole number in 1...40; found no value")
  }

  /// A key written with no value is an error, not "absent": a blank never falls back to a default.
  @Test(arguments: ["rate:\n", "rate: ~\n", "rate: null\n"])
  func aBlankValueIsAnError(_ yaml: String) throws {
    let (map, _) = try Self.reader(yaml)
    let message = try #require(thrownMessage { _ = try map.optionalNumber("rate", unit: "fraction") })
    #expect(message.hasPrefix("s.yaml:1:"), "\(message)")
    #expect(message.hasSuffix(": rate: expected a value (or leave the key out); found nothing (null)"), "\(message)")
  }

  /// A number is bare or a map with its source; it is logged with its unit, status, source,
  /// note and place, whichever way it is written.
  @Test func numbersAreLoggedWithTheirSourceAndPlace() throws {
    let yaml = """
      bare: 0.25
      sourced: {value: 1_500, unit: gbp, source: "DfE table 3", note: rounded}
      assumed: {value: 2, assumption: true}
      """
    let (map, log) = try Self.reader(yaml, path: "income")
    #expect(try map.number("bare", unit: "fraction", in: 0...1).value == 0.25)
    #expect(try map.number("sourced", unit: "gbp").value == 1500)
    #expect(try map.optionalNumber("assumed", unit: "gbp")?.value == 2)
    #expect(try map.optionalNumber("absent", unit: "gbp") == nil)
    try map.finish()
    #expect(
      log.entries.map { "\($0.key)=\($0.value) \($0.unit) [\($0.status)] \($0.source) \($0.note) @\($0.location)" } == [
        "income.bare=0.25 fraction [not stated] not stated  @s.yaml:1:7",
        "income.sourced=1_500 gbp [data] DfE table 3 rounded @s.yaml:2:18",
        "income.assumed=2 gbp [assumption] not stated  @s.yaml:3:18",
      ])
  }

  /// A number out of range, not a number, or in another unit is an error at the value, with a
  /// hint for a percent given as a fraction and for spreadsheet habits.
  @Test func badNumbersAreErrorsAtTheValue() throws {
    let yaml = """
      share: 45
      cost: "£1,200"
      list: [1, 2]
      unit: {value: 3, unit: percent}
      flag: {value: 3, assumption: maybe}
      extra: {value: 3, sorce: DfE}
      """
    let (map, _) = try Self.reader(yaml, path: "costs")
    let messages = [
      thrownMessage { _ = try map.number("share", unit: "fraction", in: 0...1) },
      thrownMessage { _ = try map.number("cost", unit: "gbp") },
      thrownMessage { _ = try map.number("list", unit: "gbp") },
      thrownMessage { _ = try map.number("unit", unit: "fraction") },
      thrownMessage { _ = try map.number("flag", unit: "gbp") },
      thrownMessage { _ = try map.number("extra", unit: "gbp") },
    ]
    #expect(
      messages == [
        "s.yaml:1:8: costs.share: expected a value in 0.0...1.0; found 45 (a fraction is expected: 45% is 0.45)",
        "s.yaml:2:7: costs.cost: expected a number (gbp); found '£1,200' (write it without a currency sign or thousands separators, e.g. 1200)",
        "s.yaml:3:7: costs.list: expected a number (gbp); found a list",
        "s.yaml:4:7: costs.unit.unit: expected 'fraction'; found 'percent'",
        "s.yaml:5:7: costs.flag.assumption: expected true or false; found 'maybe'",
        "s.yaml:6:19: costs.extra.sorce: expected one of: assumption, distribution, note, source, status, unit, value (did you mean 'source'?); found unknown key 'sorce'",
      ])
  }

  /// A number may state its status (as `hnb init` writes: derived, national default), which
  /// the assumptions log records; an unknown status, or one given with `assumption`, is refused.
  @Test func aStatedStatusIsRecorded() throws {
    let yaml = """
      a: {value: 1, source: "from the LA's plans", status: derived}
      b: {value: 2, source: "England's median", status: national default}
      c: {value: 3, status: guess}
      d: {value: 4, status: data, assumption: true}
      """
    let (map, log) = try Self.reader(yaml)
    #expect(try map.number("a", unit: "gbp").value == 1)
    #expect(try map.number("b", unit: "gbp").value == 2)
    #expect(log.entries.map(\.status) == [.derived, .nationalDefault])
    #expect(
      thrownMessage { _ = try map.number("c", unit: "gbp") }
        == "s.yaml:3:23: c.status: expected one of 'data', 'derived', 'national default', 'not stated', 'assumption'; "
        + "found 'guess'")
    #expect(
      thrownMessage { _ = try map.number("d", unit: "gbp") }
        == "s.yaml:4:41: d.assumption: expected either status or assumption (status says more); found both")
  }

  /// A whole number must be whole and in range; `_` separators are allowed.
  @Test func wholeNumbers() throws {
    let (map, log) = try Self.reader("a: 1_0\nb: 3.5\nc: 41\n")
    #expect(try map.int("a", in: 1...40, unit: "years") == 10)
    #expect(
      thrownMessage { _ = try map.int("b", in: 1...40, unit: "years") }
        == "s.yaml:2:4: b: expected a whole number in 1…40; found '3.5'")
    #expect(
      thrownMessage { _ = try map.int("c", in: 1...40, unit: "years") }
        == "s.yaml:3:4: c: expected a whole number in 1…40; found '41'")
    #expect(log.entries.map(\.status) == [.setting])
  }

  /// A series is one number for every year, or a map that names each year exactly once.
  @Test func seriesCoverEveryYearExactly() throws {
    let labels = ["2025-26", "2026-27"]
    let yaml = """
      once: 0.02
      each: {2025-26: 0.01, 2026-27: 0.03}
      short: {2025-26: 0.01}
      long: {2025-26: 0.01, 2026-27: 0.03, 2027-28: 0.05}
      """
    let (map, log) = try Self.reader(yaml, path: "income")
    #expect(try map.series("once", labels: labels, unit: "fraction")?.values == [0.02, 0.02])
    #expect(try map.series("each", labels: labels, unit: "fraction")?.values == [0.01, 0.03])
    #expect(try map.series("absent", labels: labels, unit: "fraction") == nil)
    #expect(
      thrownMessage { _ = try map.series("short", labels: labels, unit: "fraction") }
        == "s.yaml:3:8: income.short: expected a value for every year 2025-26…2026-27; found no value for 2026-27")
    #expect(
      thrownMessage { _ = try map.series("long", labels: labels, unit: "fraction") }
        == "s.yaml:4:38: income.long: expected years 2025-26…2026-27; found '2027-28'")
    #expect(log.entries.map(\.key).prefix(3) == ["income.once", "income.each.2025-26", "income.each.2026-27"])
  }

  /// A number with a distribution is registered for `hnb sweep` and noted in the log; its
  /// draws must all lie in the key's range.
  @Test func aDistributionIsRegisteredAndBounded() throws {
    let yaml = """
      share: {value: 0.2, distribution: {type: triangular, min: 0.1, mode: 0.2, max: 0.3}}
      wide: {value: 0.2, distribution: {type: uniform, min: 0, max: 2}}
      """
    let (map, log) = try Self.reader(yaml, path: "mix")
    let share = try map.number("share", unit: "fraction", in: 0...1)
    #expect(share.value == 0.2)
    #expect(share.distribution == .triangular(min: 0.1, mode: 0.2, max: 0.3))
    #expect(share.keyPath == "mix.share" && share.location.description == "s.yaml:1:16")
    #expect(log.uncertainNumbers.map(\.id) == ["mix.share"])
    #expect(
      log.entries.filter { $0.key == "mix.share" }.map(\.note) == [
        "drawn by hnb sweep from triangular(min 0.1, mode 0.2, max 0.3)"
      ])
    #expect(
      thrownMessage { _ = try map.number("wide", unit: "fraction", in: 0...1) }
        == "s.yaml:2:34: mix.wide.distribution: expected a distribution whose draws are all in 0.0...1.0; found one from 0 to 2"
    )
  }

  /// Text, lists and nested maps are what they say; anything else is an error naming what was found.
  @Test func kindsAreChecked() throws {
    let (map, _) = try Self.reader("name: x\nitems: [1]\nsub: {k: v}\nnot_text: {k: v}\nnot_list: 3\n", path: "top")
    #expect(map.keys.map(\.key) == ["name", "items", "sub", "not_text", "not_list"])
    #expect(map.has("sub") && !map.has("other"))
    #expect(map.valueLocation("items").description == "s.yaml:2:8")
    #expect(try map.string("name") == "x")
    #expect(try map.list("items")?.count == 1)
    let sub = try #require(try map.map("sub"))
    #expect(sub.path == "top.sub")
    #expect(
      thrownMessage { _ = try map.string("not_text") }
        == "s.yaml:4:11: top.not_text: expected a text value; found a map"
    )
    #expect(thrownMessage { _ = try map.list("not_list") } == "s.yaml:5:11: top.not_list: expected a list; found '3'")
    #expect(
      thrownMessage {
        _ = try MapReader(try YAMLTree.parse("- 1\n", file: "s.yaml"), path: "caseload", log: AssumptionLog())
      }
        == "s.yaml:1:1: caseload: expected a map; found a list")
  }
}
