import Foundation
import Yams

/// Reading a YAML document into a `YAMLTree` (with Yams; the tree itself is in the core).
extension YAMLTree {
  /// Parses one YAML document, tagging every node with `file` and its line and column.
  public static func parse(_ text: String, file: String) throws -> YAMLTree {
    let node: Node?
    let parser: Parser
    do {
      parser = try Parser(yaml: text)
      node = try parser.singleRoot()
    } catch let error as YamlError {
      throw Self.inputError(error, file: file, text: text)
    }
    guard let node else { return .null(SourceLocation(file: file, line: 1, column: 1)) }
    // Yams holds a node's anchor weakly, owned by the parser: keep the parser alive so that
    // `convert` sees every anchor.
    return try withExtendedLifetime(parser) { try convert(node, file: file) }
  }

  /// A YAML syntax error as an `InputError` at the line and column Yams reports.
  ///
  /// Only libyaml's own words and the place are shown, never the text of the file (Yams's
  /// description of an error quotes the offending line, and a duplicate key's context holds the
  /// whole file).
  static func inputError(_ error: YamlError, file: String, text: String) -> InputError {
    func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
      return InputError(at(mark), expected: "valid YAML", found: problem + while_)
    case .duplicatedKeysInMapping(let duplicates, let context):
      return InputError(
        at(context.mark), expected: "each key once in a map",
        found: "repeated: \(duplicates.map(plainOrQuoted).joined(separator: ", "))")
    case .reader(let problem, let offset, let value, _):
      var location = SourceLocation(file: file)
      if let offset {
        location = InputFile.location(
          ofByte: text.prefix(offset).utf8.count, in: Data(text.utf8), file: file)
      }
      let character = value >= 0 ? " (the character U+\(NumberFormat.hex(Int(value), width: 4)))" : ""
      return InputError(location, expected: "readable YAML text", found: problem + character)
    case .memory:
      return InputError(
        SourceLocation(file: file), expected: "valid YAML", found: "a file libyaml ran out of memory on")
    default:
      return InputError(SourceLocation(file: file), expected: "valid YAML", found: "a file libyaml could not read")
    }
  }

  /// `text` as it is when short and printable, else quoted: for names in a list.
  static func plainOrQuoted(_ text: String) -> String {
    let quoted = InputError.quoted(text)
    return quoted == "'\(text)'" ? text : quoted
  }

  /// Tags a scenario may carry (the YAML core schema, written or implied); any other tag
  /// (`!!binary`, `!!python/object`, `!custom`) is an error rather than silently ignored.
  static let allowedTags: Set<String> = [
    "", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge",
  ]

  private static func convert(_ node: Node, file: String) throws -> YAMLTree {
    let location = SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    // An alias resolves to its anchored node, which keeps its anchor: refusing anchors refuses
    // every alias too, before an alias bomb ("billion laughs") can expand.
    if let anchor = node.anchor {
      throw InputError(
        location, expected: "plain YAML values (anchors '&' and aliases '*' are not supported; use extends: to share)",
        found: "the anchor \(InputError.quoted("&" + anchor.rawValue))")
    }
    if !allowedTags.contains(node.tag.description) {
      throw InputError(
        location, expected: "a plain value (YAML tags are not supported)",
        found: "the tag \(InputError.quoted(node.tag.description, limit: 100))")
    }
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
        return .null(location)
      }
      return .scalar(scalar.string, location)
    case .mapping(let mapping):
      var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLTree)] = []
      var seen = Set<String>()
      for (keyNode, valueNode) in mapping {
        let keyLocation = SourceLocation(
          file: file, line: keyNode.mark?.line, column: keyNode.mark?.column)
        guard case .scalar(let keyScalar) = keyNode else {
          throw InputError(keyLocation, expected: "a plain key", found: "a complex key")
        }
        if seen.contains(keyScalar.string) {
          throw InputError(
            keyLocation, key: keyScalar.string, expected: "each key once",
            found: "a repeated key")
        }
        seen.insert(keyScalar.string)
        pairs.append((keyScalar.string, keyLocation, try convert(valueNode, file: file)))
      }
      return .mapping(pairs, location)
    case .sequence(let sequence):
      return .sequence(try sequence.map { try convert($0, file: file) }, location)
    case .alias:
      throw InputError(location, expected: "a value", found: "a YAML alias (not supported)")
    }
  }
}
