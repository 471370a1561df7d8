import Foundation

/// Why an `--la` value names no single current local authority.
public struct LALookupError: Error, LocalizedError, Sendable, Equatable {
  /// The value given.
  public var query: String
  /// What is wrong, and the nearest matches.
  public var reason: String

  public var errorDescription: String? { "--la \(InputError.quoted(query)): \(reason)" }
}

/// Finds a local authority from an old three-digit DfE code, an ONS E-code or a name.
///
/// Matching is case-insensitive and ignores punctuation, reads `&` as `and` and drops the DfE's
/// trailing ", City of" and ", County of" ("Bristol, City of" is "Bristol"). A code or a whole name matches exactly;
/// otherwise a name that contains the query as whole words matches when it is the only such
/// current LA. No match, or several, is an error listing the nearest names (by edit distance);
/// a predecessor LA (reorganised away) is an error naming its successors.
public enum LALookup {
  /// The LA `query` names among `authorities`.
  public static func find(_ query: String, in authorities: [LocalAuthority]) throws -> LocalAuthority {
    let trimmed = query.trimmingCharacters(in: .whitespaces)
    let upper = trimmed.uppercased()
    let byCode = authorities.filter {
      $0.code == trimmed || $0.eCode.uppercased() == upper || $0.otherCodes.contains(upper)
    }
    let key = normalised(trimmed)
    let candidates =
      byCode.isEmpty ? authorities.filter { normalised($0.name) == key && !key.isEmpty } : byCode
    if let la = candidates.first, candidates.count == 1 || Set(candidates.map(\.code)).count == 1 {
      return try current(la, query: query)
    }
    if candidates.count > 1 {
      throw LALookupError(query: query, reason: "matches several LAs: \(list(candidates))")
    }
    let words = key.split(separator: " ")
    let partial = authorities.filter { la in
      let name = normalised(la.name).split(separator: " ")
      return !words.isEmpty && contains(name, words)
    }
    let partialCurrent = partial.filter { $0.status == .current }
    if partialCurrent.count == 1 { return partialCurrent[0] }
    if partialCurrent.count > 1 {
      throw LALookupError(query: query, reason: "matches several LAs: \(list(partialCurrent)); give one of them")
    }
    if partial.count == 1 { return try current(partial[0], query: query) }
    let nearest = authorities.filter { $0.status == .current }
      .map { ($0, distance(normalised($0.name), key)) }
      .sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }
      .prefix(5).map(\.0)
    throw LALookupError(
      query: query,
      reason:
        "no English LA has this code or name; nearest: \(list(Array(nearest))) (give an old 3-digit code, an E-code or a name)"
    )
  }

  /// `la`, or an error naming its successors when it has been reorganised away.
  static func current(_ la: LocalAuthority, query: String) throws -> LocalAuthority {
    guard la.status == .current else {
      throw LALookupError(
        query: query,
        reason:
          "\(la.name) (\(la.code)) no longer exists: \(la.note.isEmpty ? "it is a predecessor LA" : la.note); give its successor"
      )
    }
    return la
  }

  static func list(_ las: [LocalAuthority]) -> String {
    las.map { "\($0.name) (\($0.code), \($0.eCode))" }.joined(separator: ", ")
  }

  /// Lower case, `&` read as `and`, a trailing ", City of" or ", County of" dropped, letters
  /// and digits only, single spaces.
  static func normalised(_ text: String) -> String {
    var lower = text.lowercased().replacingOccurrences(of: "&", with: " and ")
    for suffix in [", city of", ", county of"] where lower.hasSuffix(suffix) {
      lower.removeLast(suffix.count)
    }
    var words: [String] = []
    var word = ""
    for scalar in lower.unicodeScalars {
      if CharacterSet.alphanumerics.contains(scalar) {
        word.unicodeScalars.append(scalar)
      } else if !word.isEmpty {
        words.append(word)
        word = ""
      }
    }
    if !word.isEmpty { words.append(word) }
    return words.joined(separator: " ")
  }

  /// Whether `words` occur in `name` as a contiguous run of whole words.
  static func contains(_ name: [Substring], _ words: [Substring]) -> Bool {
    guard words.count <= name.count else { return false }
    for start in 0...(name.count - words.count) where Array(name[start..<start + words.count]) == words {
      return true
    }
    return false
  }

  /// Levenshtein distance between `a` and `b`.
  static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    var previous = Array(0...y.count)
    for i in 1...x.count {
      var row = [i] + Array(repeating: 0, count: y.count)
      for j in 1...max(1, y.count) where !y.isEmpty {
        row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      previous = row
    }
    return previous[y.count]
  }
}
