import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// YAMLTree keeps the file, line and column of every key and value, so that an error points at
/// the text to fix even after `extends:` merged several files; it refuses what a scenario must
/// not hold (repeated keys, anchors, tags) and never echoes the file in a message.
@Suite struct YAMLTreeTests {
  /// The pairs of a map, or an empty list when `tree` is not one.
  static func pairs(_ tree: YAMLTree) -> [(key: String, keyLocation: HighNeeds.SourceLocation, value: YAMLTree)] {
    guard case .mapping(let pairs, _) = tree else { return [] }
    return pairs
  }

  /// The value of `key` in a map.
  static func value(_ tree: YAMLTree, _ key: String) -> YAMLTree? {
    pairs(tree).first { $0.key == key }?.value
  }

  /// The text of a scalar, or nil.
  static func text(_ tree: YAMLTree?) -> String? {
    guard case .scalar(let text, _) = tree else { return nil }
    return text
  }

  /// Every key and value carries its own line and column (1-based), in lists too.
  @Test func everyKeyAndValueHasItsLineAndColumn() throws {
    let tree = try YAMLTree.parse(
      "name: x\ncaseload:\n  baseline: b.csv\n  list:\n    - 1\n    - {id: two}\n", file: "s.yaml")
    #expect(tree.location.description == "s.yaml:1:1")
    #expect(Self.pairs(tree).map(\.keyLocation.description) == ["s.yaml:1:1", "s.yaml:2:1"])
    #expect(Self.value(tree, "name")?.location.description == "s.yaml:1:7")
    let caseload = try #require(Self.value(tree, "caseload"))
    #expect(Self.pairs(caseload).map(\.keyLocation.description) == ["s.yaml:3:3", "s.yaml:4:3"])
    #expect(Self.value(caseload, "baseline")?.location.description == "s.yaml:3:13")
    guard case .sequence(let items, _) = Self.value(caseload, "list") else {
      Issue.record("list is not a list")
      return
    }
    #expect(items.map(\.location.description) == ["s.yaml:5:7", "s.yaml:6:7"])
    #expect(items.map(\.identifier) == [nil, "two"])
  }

  /// A scenario saved with a byte order mark and CRLF (Windows Notepad), or with CR line ends,
  /// reads as the same keys at the same lines and columns, as the loader reads it.
  @Test(arguments: ["\r\n", "\r", "\n"])
  func lineEndsAndAByteOrderMarkKeepPlaces(_ end: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-yaml-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("s.yaml").path
    let bytes = Data([0xEF, 0xBB, 0xBF]) + Data(("a: 1" + end + "b:" + end + "  c: x" + end).utf8)
    try bytes.write(to: URL(fileURLWithPath: path))
    let tree = try YAMLTree.parse(try InputFile.text(path, what: "scenario file"), file: "s.yaml")
    #expect(Self.pairs(tree).map(\.key) == ["a", "b"])
    #expect(Self.value(tree, "a")?.location.description == "s.yaml:1:4")
    let b = try #require(Self.value(tree, "b"))
    #expect(Self.pairs(b).map(\.keyLocation.description) == ["s.yaml:3:3"])
    #expect(Self.text(Self.value(b, "c")) == "x")
  }

  /// A key with nothing after it, `~` or `null` is null (not text); quoted, it is text.
  @Test func nullsAreNullOnlyUnquoted() throws {
    let tree = try YAMLTree.parse("a:\nb: ~\nc: null\nd: 'null'\ne: \"\"\n", file: "s.yaml")
    let kinds = Self.pairs(tree).map { pair -> String in
      switch pair.value {
      case .null: return "null"
      case .scalar(let text, _): return "text \(text)"
      default: return "other"
      }
    }
    #expect(kinds == ["null", "null", "null", "text null", "text "])
  }

  /// An empty file, or one of comments only, is null at its first line.
  @Test(arguments: ["", "# only a comment\n"])
  func anEmptyDocumentIsNull(_ text: String) throws {
    let tree = try YAMLTree.parse(text, file: "s.yaml")
    guard case .null(let location) = tree else {
      Issue.record("\(tree) is not null")
      return
    }
    #expect(location.description == "s.yaml:1:1")
  }

  /// A value by year and a single value written as a map replace each other whole in either
  /// order; two maps of other keys merge key by key.
  @Test func aValueByYearAndASingleValueReplaceEachOther() throws {
    let byYear = try YAMLTree.parse("t:\n  \"2026\": {value: 0.1, source: a}\n  \"2027\": 0.2\n", file: "p.yaml")
    let single = try YAMLTree.parse("t: {value: 0.05, source: b}\n", file: "c.yaml")
    let overSingle = try #require(Self.value(single.merged(with: byYear), "t"))
    #expect(Self.pairs(overSingle).map(\.key) == ["2026", "2027"])
    let overByYear = try #require(Self.value(byYear.merged(with: single), "t"))
    #expect(Self.pairs(overByYear).map(\.key) == ["value", "source"])
    #expect(Self.text(Self.value(overByYear, "value")) == "0.05")
    let note = try YAMLTree.parse("t: {note: c}\n", file: "n.yaml")
    #expect(
      Self.pairs(try #require(Self.value(single.merged(with: note), "t"))).map(\.key) == ["value", "source", "note"])
  }

  /// A key written twice in one map is an error naming the key and the map (at its first
  /// key), never a silent choice of one value.
  @Test func aRepeatedKeyIsAnError() {
    let message = thrownMessage { _ = try YAMLTree.parse("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n", file: "s.yaml") }
    #expect(message == "s.yaml:3:3: expected each key once in a map; found repeated: c")
  }

  /// Anchors, aliases and tags are refused where they are written.
  @Test func anchorsAliasesAndTagsAreRefused() throws {
    #expect(
      thrownMessage { _ = try YAMLTree.parse("a: &x 1\nb: *x\n", file: "s.yaml") }
        == "s.yaml:1:4: expected plain YAML values (anchors '&' and aliases '*' are not supported; use extends: to share); found the anchor '&x'"
    )
    #expect(
      thrownMessage { _ = try YAMLTree.parse("a: !!binary aGk=\n", file: "s.yaml") }
        == "s.yaml:1:4: expected a plain value (YAML tags are not supported); found the tag 'tag:yaml.org,2002:binary'")
    let tagged = try YAMLTree.parse("a: !!str 12\n", file: "s.yaml")
    #expect(Self.text(Self.value(tagged, "a")) == "12")
  }

  /// A syntax error names the line and column and libyaml's words, never the file's text.
  @Test func aSyntaxErrorNamesThePlaceAndNotTheText() throws {
    let message = try #require(
      thrownMessage { _ = try YAMLTree.parse("a: 1\nsecret: [token-4f2a, 2\nc: 3\n", file: "s.yaml") })
    #expect(message.hasPrefix("s.yaml:3:2: expected valid YAML; found "), "\(message)")
    #expect(!message.contains("token-4f2a"), "\(message)")
  }

  /// A character YAML does not allow is located by line and column.
  @Test func anUnreadableCharacterIsLocated() throws {
    let message = try #require(thrownMessage { _ = try YAMLTree.parse("a: 1\nb: x\u{07}y\n", file: "s.yaml") })
    #expect(message.hasPrefix("s.yaml:2:5: expected readable YAML text; found "), "\(message)")
    #expect(message.contains("U+0007"), "\(message)")
  }

  /// A scenario is one document: a second is an error.
  @Test func aSecondDocumentIsAnError() throws {
    let message = try #require(thrownMessage { _ = try YAMLTree.parse("a: 1\n---\nb: 2\n", file: "s.yaml") })
    #expect(message.hasPrefix("s.yaml:2:1: expected valid YAML; found "), "\(message)")
  }

  /// `extends:` merging: maps key by key (the parent's order, new keys after), lists of maps
  /// with `id` by id, anything else replaced; a replaced value keeps the child's place, so an
  /// error in it points at the child file.
  @Test func mergingKeepsOrderAndTheOverridingPlace() throws {
    let parent = try YAMLTree.parse(
      "a: 1\nb: {x: 1, y: 2}\nitems: [{id: p, v: 1}, {id: q, v: 2}]\nplain: [1, 2]\ngone: [{id: p}]\n",
      file: "parent.yaml")
    let child = try YAMLTree.parse(
      "b: {y: 3, z: 4}\nitems: [{id: q, v: 5}, {id: r, v: 6}]\nplain: [3]\ngone: []\nc: 7\n", file: "child.yaml")
    let merged = parent.merged(with: child)
    #expect(Self.pairs(merged).map(\.key) == ["a", "b", "items", "plain", "gone", "c"])
    let b = try #require(Self.value(merged, "b"))
    #expect(Self.pairs(b).map { "\($0.key)=\(Self.text($0.value) ?? "?")" } == ["x=1", "y=3", "z=4"])
    #expect(Self.value(b, "x")?.location.file == "parent.yaml")
    #expect(Self.value(b, "y")?.location.description == "child.yaml:1:8")
    guard case .sequence(let items, _) = Self.value(merged, "items"),
      case .sequence(let plain, _) = Self.value(merged, "plain"),
      case .sequence(let gone, _) = Self.value(merged, "gone")
    else {
      Issue.record("a list was not kept a list")
      return
    }
    #expect(items.map { "\($0.identifier ?? "?")=\(Self.text(Self.value($0, "v")) ?? "?")" } == ["p=1", "q=5", "r=6"])
    #expect(plain.map { Self.text($0) } == ["3"])
    #expect(gone.isEmpty)
  }

  /// A value by year replaces a single value written as a map (`{value: …}`), so a child can
  /// give a parent's trend year by year; a map that changes only a value's source still merges.
  @Test func aValueByYearReplacesASingleValueMap() throws {
    let parent = try YAMLTree.parse(
      "t: {value: 0, source: flat, assumption: true}\nu: {value: 1, source: old}\n", file: "parent.yaml")
    let child = try YAMLTree.parse(
      "t: {\"2020\": {value: 0.1}, \"2021\": {value: 0.2}}\nu: {source: new}\n", file: "child.yaml")
    let merged = parent.merged(with: child)
    let t = try #require(Self.value(merged, "t"))
    #expect(Self.pairs(t).map(\.key) == ["2020", "2021"])
    let u = try #require(Self.value(merged, "u"))
    #expect(Self.pairs(u).map { "\($0.key)=\(Self.text($0.value) ?? "?")" } == ["value=1", "source=new"])
  }

  /// In the manifest, numbers (with `_` separators) are numbers, `true` and `false` booleans,
  /// null is null and everything else text.
  @Test func jsonValuesKeepNumbersAndText() throws {
    let tree = try YAMLTree.parse("n: 1_500_000\nf: 0.25\nt: true\nw: mainstream\nz: ~\nl: [1, x]\n", file: "s.yaml")
    let data = try JSONSerialization.data(withJSONObject: tree.jsonValue, options: [.sortedKeys])
    #expect(
      String(decoding: data, as: UTF8.self) == #"{"f":0.25,"l":[1,"x"],"n":1500000,"t":true,"w":"mainstream","z":null}"#
    )
  }
}
