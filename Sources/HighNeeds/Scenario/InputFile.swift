import Foundation

/// Reads input files (scenario YAML and CSV) as UTF-8 text, and confines the CSV paths a
/// scenario names to the directory of the file that names them.
///
/// The policy (docs/SCENARIO.md, "Paths"): a CSV path must be relative and must resolve, after
/// following every symbolic link, to a regular file inside the directory of the YAML file that
/// writes it (or below it). An absolute path, a `..` that climbs out, or a symbolic link whose
/// target lies outside is an error, so a scenario file cannot make `hnb` read (or echo into a
/// message, or hash into a manifest) a file its author's directory does not hold. `extends:` is
/// exempt: a family of scenarios may share a parent one directory up.
public enum InputFile {
  /// Largest input file read, in bytes; a larger file is refused before it is read.
  public static let maximumBytes = 64 << 20

  /// Reads `path` as UTF-8 text; `what` names the kind of file for messages ("CSV file").
  ///
  /// A UTF-8 byte order mark is kept (the parsers drop it). A missing file, a directory, a
  /// device or pipe, a file above `maximumBytes`, and bytes that are not UTF-8 are each an error
  /// that says which.
  public static func text(_ path: String, what: String) throws -> String {
    let fm = FileManager.default
    let location = SourceLocation(file: path)
    guard let attributes = try? fm.attributesOfItem(atPath: realPath(path)) else {
      throw InputError(location, expected: "a readable \(what)", found: "no such file")
    }
    let type = attributes[.type] as? FileAttributeType
    guard type == .typeRegular else {
      let kind = type == .typeDirectory ? "a directory" : "not a regular file (a device, pipe or socket)"
      throw InputError(location, expected: "a readable \(what)", found: kind)
    }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    guard size <= maximumBytes else {
      throw InputError(
        location, expected: "a \(what) of at most \(maximumBytes >> 20) MB",
        found: "\(size) bytes (is this a record-level extract rather than the summary table?)")
    }
    guard let data = fm.contents(atPath: path) else {
      throw InputError(location, expected: "a readable \(what)", found: "a file that cannot be read (permissions?)")
    }
    return try decode(data, file: path, what: what)
  }

  /// `data` as UTF-8 text, or an error naming the line and column of the first byte that is
  /// not UTF-8, with a hint for the encodings Excel writes.
  static func decode(_ data: Data, file: String, what: String) throws -> String {
    let bytes = [UInt8](data.prefix(4))
    if bytes == [0x50, 0x4B, 0x03, 0x04] || bytes == [0xD0, 0xCF, 0x11, 0xE0] {
      throw InputError(
        SourceLocation(file: file), expected: "a \(what) (text)",
        found: "an Excel workbook or other binary file: save it as 'CSV UTF-8 (Comma delimited)'")
    }
    return try decodeText(data, file: file)
  }

  /// `data` as UTF-8, or an error locating the first byte that is not.
  private static func decodeText(_ data: Data, file: String) throws -> String {
    if let text = String(data: data, encoding: .utf8) { return text }
    let bytes = [UInt8](data)
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      throw InputError(
        SourceLocation(file: file, line: 1, column: 1), expected: "UTF-8 text",
        found: "UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8 (Comma delimited)'")
    }
    // Find the first byte that does not start or continue a valid UTF-8 sequence.
    var line = 1
    var column = 1
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length: Int
      switch b {
      case 0x00...0x7F: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: length = 0
      }
      let valid =
        length > 0 && i + length <= bytes.count
        && bytes[(i + 1)..<(i + length)].allSatisfy { $0 & 0xC0 == 0x80 }
        && String(bytes: bytes[i..<(i + length)], encoding: .utf8) != nil
      guard valid else {
        let hint =
          b == 0xA3
          ? " (a '£' in Latin-1/Windows-1252: save the file as UTF-8, e.g. Excel's 'CSV UTF-8')"
          : " (Latin-1 or Windows-1252 text? save the file as UTF-8, e.g. Excel's 'CSV UTF-8')"
        throw InputError(
          SourceLocation(file: file, line: line, column: column), expected: "UTF-8 text",
          found: String(format: "the byte 0x%02X", b) + hint)
      }
      if b == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += length
    }
    throw InputError(SourceLocation(file: file), expected: "UTF-8 text", found: "bytes that are not UTF-8")
  }

  /// Resolves the CSV path `text`, written at `location` under `key`, relative to the directory
  /// of the file that wrote it, and enforces the confinement policy above.
  static func confinedPath(_ text: String, at location: SourceLocation, key: String) throws -> String {
    if text.isEmpty {
      throw InputError(location, key: key, expected: "a path to a file", found: "an empty path")
    }
    if text.hasPrefix("/") || text.hasPrefix("~") {
      throw InputError(
        location, key: key,
        expected: "a path relative to the scenario file's directory (absolute paths are not allowed)",
        found: "'\(text)'")
    }
    let resolved = resolvePath(text, relativeTo: location.file)
    let directory = (location.file as NSString).deletingLastPathComponent
    let base = lexical(directory)
    let shown = base.isEmpty ? "." : base
    let joined = lexical(base.isEmpty ? text : base + "/" + text)
    let lexicallyInside =
      base.isEmpty ? !(joined == ".." || joined.hasPrefix("../")) : joined.hasPrefix(base == "/" ? "/" : base + "/")
    guard lexicallyInside else {
      throw InputError(
        location, key: key, expected: "a file inside \(shown) (the scenario file's directory)",
        found: "'\(text)', which leaves it")
    }
    guard FileManager.default.fileExists(atPath: resolved) else {
      throw InputError(
        location, key: key, expected: "an existing file", found: "'\(text)' (looked for \(resolved))")
    }
    let root = realPath(base.isEmpty ? "." : base)
    let target = realPath(resolved)
    guard target.hasPrefix(root == "/" ? "/" : root + "/") else {
      throw InputError(
        location, key: key, expected: "a file inside \(shown) (the scenario file's directory)",
        found: "'\(text)', a symbolic link to \(target), outside it")
    }
    let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType
    guard type == .typeRegular else {
      throw InputError(
        location, key: key, expected: "a CSV file",
        found: "'\(text)', "
          + (type == .typeDirectory ? "a directory" : "not a regular file (a device, pipe or socket)"))
    }
    return resolved
  }

  /// `path` with `.` and `..` components removed textually, without following symbolic links
  /// (a leading `..` of a relative path is kept).
  static func lexical(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else if part == "..", path.hasPrefix("/") {
        continue
      } else {
        parts.append(part)
      }
    }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }

  /// `path` with every symbolic link resolved (the path itself if it cannot be resolved).
  static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
