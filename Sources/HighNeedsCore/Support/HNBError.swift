import Foundation

/// A place in an input file: file path, and line and column where known (both 1-based).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var column: Int?

  public init(file: String, line: Int? = nil, column: Int? = nil) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let column { text += ":\(column)" }
    return text
  }
}

/// An input that cannot be used: names where it is, what was expected and what was found.
public struct InputError: Error, LocalizedError, Sendable, Equatable {
  /// Where the bad value is.
  public var location: SourceLocation
  /// The key (YAML) or column (CSV) the value belongs to, when there is one.
  public var key: String?
  /// What a valid value looks like.
  public var expected: String
  /// What the file holds instead: printable and at most `foundLimit` characters, whatever
  /// is assigned (see `sanitised`).
  public var found: String {
    get { storedFound }
    set { storedFound = Self.sanitisedFound(newValue) }
  }
  private var storedFound: String
  /// What the program added about the circumstances (the drawn values of a sweep's draw), shown
  /// in brackets after `found`; printable, not cut.
  public var note: String? {
    get { storedNote }
    set { storedNote = newValue.map { Self.sanitised($0, limit: nil) } }
  }
  private var storedNote: String?

  public init(_ location: SourceLocation, key: String? = nil, expected: String, found: String) {
    self.location = location
    self.key = key
    self.expected = expected
    self.storedFound = Self.sanitisedFound(found)
  }

  public var errorDescription: String? {
    // The place, the key and what was expected may carry names from a file (a path written in
    // it, a misspelt key, the ids of a taxonomy): printable too.
    // Bounded too: a path read from a file (a shard's scenario) may be of any length.
    var text = "\(Self.sanitised(location.description, limit: 1_000)): "
    if let key { text += "\(Self.sanitised(key, limit: 200)): " }
    text += "expected \(Self.sanitised(expected, limit: 2_000)); found \(found)"
    if let note { text += " (\(note))" }
    return text
  }
}

/// A failed integrity check: the run's numbers do not reconcile, so it produces no output.
public struct IntegrityError: Error, LocalizedError, Sendable {
  /// Every failed check, one line each.
  public var failures: [String]

  public init(failures: [String]) { self.failures = failures }

  public var errorDescription: String? {
    "integrity check failed (\(failures.count)):\n" + failures.map { "  - \($0)" }.joined(separator: "\n")
  }
}

/// Several input errors found together, so that a user can fix them in one pass.
public struct InputErrors: Error, LocalizedError, Sendable {
  public var errors: [InputError]
  public init(_ errors: [InputError]) { self.errors = errors }
  public var errorDescription: String? {
    errors.map { $0.errorDescription ?? "" }.joined(separator: "\n")
  }
}

extension InputError {
  /// Longest excerpt of a rejected value that a message quotes, in characters.
  public static let excerptLimit = 40

  /// A rejected value as a message quotes it: in single quotes, printable, and short.
  ///
  /// Control characters (NUL, tab, CR, LF and the rest), a byte order mark and other invisible
  /// format characters are shown as escapes (`\0`, `\t`, `\r`, `\n`, `\u{FEFF}`), so a message
  /// never carries raw control bytes and shows what a reader cannot see; a value longer than
  /// `limit` characters is cut, with its length stated, so a message never echoes a file's
  /// contents.
  public static func quoted(_ value: some StringProtocol, limit: Int = excerptLimit) -> String {
    var text = ""
    var shown = 0
    var count: Int?
    for character in value {
      guard shown < limit else {
        count = value.count
        break
      }
      shown += 1
      text += printable(character)
    }
    let quoted = count.map { "'\(text)…' (\($0) characters)" } ?? "'\(text)'"
    return quoted + (value.unicodeScalars.contains("\u{FEFF}") ? bomHint : "")
  }

  /// Why a quoted value shows `\u{FEFF}`: the character is invisible in an editor.
  static let bomHint =
    " (\\u{FEFF} is an invisible byte order mark inside the text, as left where two files were joined: delete it)"

  /// Longest `found` text a message carries, in characters: a backstop behind `quoted`, so
  /// that no message echoes a file's contents even where a value was not quoted.
  public static let foundLimit = 300

  /// `text` with every control or invisible character escaped as `quoted` shows it, and cut
  /// where the escaped text would pass `limit` characters, with the length stated: the
  /// backstop every `found` passes.
  ///
  /// Printable text (and an escape already made by `quoted`) is left as it is.
  public static func sanitised(_ text: String, limit: Int? = foundLimit) -> String {
    var sawMark = false
    return sanitised(text, limit: limit, sawMark: &sawMark)
  }

  /// `text` as `found` holds it: sanitised, and with the hint of `quoted` when it showed a byte
  /// order mark a value not passed through `quoted` carried.
  static func sanitisedFound(_ text: String) -> String {
    var sawMark = false
    let result = sanitised(text, limit: foundLimit, sawMark: &sawMark)
    return sawMark && !result.contains(bomHint) ? result + bomHint : result
  }

  private static func sanitised(_ text: String, limit: Int?, sawMark: inout Bool) -> String {
    var result = ""
    var shown = 0
    for character in text {
      if character.unicodeScalars.contains("\u{FEFF}") { sawMark = true }
      let escaped = printable(character)
      if let limit, shown + escaped.count > limit {
        return result + "… (cut: \(text.count) characters in all)"
      }
      result += escaped
      shown += escaped.count
    }
    return result
  }

  /// `character` as a message shows it: itself when printable, an escape otherwise.
  static func printable(_ character: Character) -> String {
    switch character {
    case "\0": return "\\0"
    case "\t": return "\\t"
    case "\r": return "\\r"
    case "\n", "\r\n": return character == "\n" ? "\\n" : "\\r\\n"
    default: break
    }
    var text = ""
    for scalar in character.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
        text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default:
        text.unicodeScalars.append(scalar)
      }
    }
    return text
  }
}
