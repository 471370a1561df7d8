import Foundation

/// A YAML value that remembers the file, line and column it came from, so that every error
/// can point at the text a user must fix, even after `extends:` has merged several files.
public indirect enum YAMLTree: Sendable {
  case scalar(String, SourceLocation)
  case mapping([(key: String, keyLocation: SourceLocation, value: YAMLTree)], SourceLocation)
  case sequence([YAMLTree], SourceLocation)
  case null(SourceLocation)

  /// Where this value starts.
  public var location: SourceLocation {
    switch self {
    case .scalar(_, let l), .mapping(_, let l), .sequence(_, let l), .null(let l): return l
    }
  }

  /// A short description of the value's kind, for "found …" in messages.
  package var kindDescription: String {
    switch self {
    case .scalar(let s, _): return InputError.quoted(s)
    case .mapping: return "a map"
    case .sequence: return "a list"
    case .null: return "nothing (null)"
    }
  }

  /// The value at the dotted `key` (`caseload.cessation`) and where that key is written (so the
  /// file of the `extends:` layer that wrote it), or nil when it is not written.
  package func entry(at key: String) -> (keyLocation: SourceLocation, value: YAMLTree)? {
    var found: (keyLocation: SourceLocation, value: YAMLTree)?
    for part in key.split(separator: ".") {
      guard case .mapping(let pairs, _) = found?.value ?? self, let pair = pairs.first(where: { $0.key == part })
      else { return nil }
      found = (pair.keyLocation, pair.value)
    }
    return found
  }

  /// Merges `overlay` on top of `self`.
  ///
  /// Maps merge key by key, lists of maps with `id` by id, anything else is replaced by the
  /// overlay. A value by census year (a map whose keys are all whole numbers) replaces a single
  /// value written as a map (`{value: …}`), and the other way round.
  public func merged(with overlay: YAMLTree) -> YAMLTree {
    switch (self, overlay) {
    case (.mapping(let base, _), .mapping(let top, _))
    where base.contains { $0.key == "value" } && !top.isEmpty && top.allSatisfy { Int($0.key) != nil }:
      return overlay
    // And a single value written as a map replaces a value by census year.
    case (.mapping(let base, _), .mapping(let top, _))
    where top.contains { $0.key == "value" } && !base.isEmpty && base.allSatisfy { Int($0.key) != nil }:
      return overlay
    case (.mapping(let base, let location), .mapping(let top, _)):
      var result = base
      for entry in top {
        if let index = result.firstIndex(where: { $0.key == entry.key }) {
          result[index] = (
            entry.key, entry.keyLocation, result[index].value.merged(with: entry.value)
          )
        } else {
          result.append(entry)
        }
      }
      return .mapping(result, location)
    case (.sequence(let base, let location), .sequence(let top, _)):
      let baseIDs = base.compactMap(\.identifier)
      let topIDs = top.compactMap(\.identifier)
      // An empty list replaces the parent's list (`mitigations: []` removes them all).
      guard !base.isEmpty, !top.isEmpty, baseIDs.count == base.count, topIDs.count == top.count else {
        return overlay
      }
      var result = base
      for (item, id) in zip(top, topIDs) {
        if let index = baseIDs.firstIndex(of: id) {
          result[index] = result[index].merged(with: item)
        } else {
          result.append(item)
        }
      }
      return .sequence(result, location)
    default:
      return overlay
    }
  }

  /// The `id` of a map entry of a list, if it has one.
  package var identifier: String? {
    guard case .mapping(let pairs, _) = self,
      let entry = pairs.first(where: { $0.key == "id" }),
      case .scalar(let id, _) = entry.value
    else { return nil }
    return id
  }

  /// A JSON-compatible value (for the manifest); map keys keep their order here and are
  /// sorted by the JSON writer.
  public var jsonValue: Any {
    switch self {
    case .scalar(let s, _):
      if let d = Double(s.withoutDigitSeparators), d.isFinite { return d }
      if s == "true" { return true }
      if s == "false" { return false }
      return s
    case .null: return NSNull()
    case .sequence(let items, _): return items.map(\.jsonValue)
    case .mapping(let pairs, _):
      var dict: [String: Any] = [:]
      for pair in pairs { dict[pair.key] = pair.value.jsonValue }
      return dict
    }
  }
}
