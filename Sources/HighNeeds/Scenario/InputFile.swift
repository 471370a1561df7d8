import Foundation

/// Reads input files (scenario YAML and CSV) as UTF-8 text, and confines the paths a scenario
/// names to the directories the user named.
///
/// The policy (docs/SCENARIO.md, "Paths"; docs/ASSURANCE.md, "The path policy"): a CSV path
/// must be relative and must resolve, after following every symbolic link, to a regular file
/// inside the directory of the YAML file that writes it (or below it). An `extends:` path must
/// be relative, name a `.yaml` or `.yml` regular file, and resolve inside the directory of the
/// scenario named on the command line (or below it) or directly in the directory above it, so
/// a family of scenarios may share a parent one directory up; that parent may in turn extend a
/// file inside its own directory (or below it), as its CSV paths may. An absolute path, a `..` that
/// climbs out, or a symbolic link whose target lies outside is an error, so a scenario file
/// cannot make `hnb` read (or echo into a message, or hash into a manifest) a file its
/// author's directories do not hold.
public enum InputFile {
  /// Largest input file read, in bytes; a larger file is refused before it is read.
  public static let maximumBytes = 64 << 20

  /// Reads `path` as UTF-8 text; `what` names the kind of file for messages ("CSV file").
  ///
  /// A UTF-8 byte order mark is kept (the parsers drop it). A missing file, a directory, a
  /// device or pipe, a file above `maximumBytes`, and bytes that are not UTF-8 are each an error
  /// that says which.
  ///
  /// `reading`, when given, is the path actually opened (a real path already checked against
  /// the path policy); `path` is then only the name messages use.
  public static func text(_ path: String, what: String, reading: String? = nil) throws -> String {
    let fm = FileManager.default
    let location = SourceLocation(file: path)
    let opened = reading ?? path
    guard let attributes = try? fm.attributesOfItem(atPath: realPath(opened)) else {
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
    guard let data = fm.contents(atPath: opened) else {
      throw InputError(location, expected: "a readable \(what)", found: "a file that cannot be read (permissions?)")
    }
    return try decode(data, file: path, what: what)
  }

  /// `data` as UTF-8 text, or an error naming the line and column of the first byte that is
  /// not UTF-8 (or is NUL), with a hint for the encodings Excel and editors write.
  static func decode(_ data: Data, file: String, what: String) throws -> String {
    let bytes = [UInt8](data.prefix(4))
    if bytes == [0x50, 0x4B, 0x03, 0x04] || bytes == [0xD0, 0xCF, 0x11, 0xE0] {
      throw InputError(
        SourceLocation(file: file), expected: "a \(what) (text)",
        found: "an Excel workbook or other binary file: \(saveHint(what))")
    }
    let text = try decodeText(data, file: file, what: what)
    if let nul = data.firstIndex(of: 0) {
      throw InputError(
        location(ofByte: nul - data.startIndex, in: data, file: file), expected: "UTF-8 text",
        found: "a NUL byte (0x00) (UTF-16 text without a byte order mark, or not a text file? \(saveHint(what)))")
    }
    return text
  }

  /// How to save a file of kind `what` as hnb reads it.
  static func saveHint(_ what: String) -> String {
    what.contains("CSV") ? "save it as 'CSV UTF-8 (Comma delimited)'" : "save it as UTF-8 text"
  }

  /// `data` as UTF-8, or an error locating the first byte that is not.
  private static func decodeText(_ data: Data, file: String, what: String) throws -> String {
    if let text = String(data: data, encoding: .utf8) { return text }
    let bytes = [UInt8](data)
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      let origin = what.contains("CSV") ? "UTF-16 text (Excel's 'Unicode Text')" : "UTF-16 text"
      throw InputError(
        SourceLocation(file: file, line: 1, column: 1), expected: "UTF-8 text",
        found: "\(origin): \(saveHint(what))")
    }
    // Find the first byte that does not start or continue a valid UTF-8 sequence.
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
        let save = what.contains("CSV") ? "save the file as UTF-8, e.g. Excel's 'CSV UTF-8'" : "save the file as UTF-8"
        let hint =
          b == 0xA3 ? " (a '£' in Latin-1/Windows-1252: \(save))" : " (Latin-1 or Windows-1252 text? \(save))"
        throw InputError(
          location(ofByte: i, in: data, file: file), expected: "UTF-8 text",
          found: "the byte 0x\(NumberFormat.hex(Int(b), width: 2))" + hint)
      }
      i += length
    }
    throw InputError(SourceLocation(file: file), expected: "UTF-8 text", found: "bytes that are not UTF-8")
  }

  /// The line and column (1-based, in characters) of byte `offset` of `data`, counting LF,
  /// CRLF and a lone CR (old Mac line ends) each as one line end.
  static func location(ofByte offset: Int, in data: Data, file: String) -> SourceLocation {
    var line = 1
    var column = 1
    var previous: UInt8 = 0
    for (i, b) in data.enumerated() {
      if i >= offset { break }
      if b == 0x0A {
        if previous != 0x0D { line += 1 }
        column = 1
      } else if b == 0x0D {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
      previous = b
    }
    return SourceLocation(file: file, line: line, column: column)
  }

  /// Throws unless `text`, a path to `what` written at `location` under `key`, is non-empty and
  /// relative (not absolute, not from the home directory).
  private static func requireRelative(_ text: String, at location: SourceLocation, key: String, what: String) throws {
    if text.isEmpty {
      throw InputError(location, key: key, expected: "a path to \(what)", found: "an empty path")
    }
    if text.hasPrefix("/") || text.hasPrefix("~") {
      throw InputError(
        location, key: key,
        expected: "a path relative to the scenario file's directory (absolute paths are not allowed)",
        found: InputError.quoted(text))
    }
  }

  /// Resolves the CSV path `text`, written at `location` under `key`, relative to the directory
  /// of the file that wrote it, and enforces the confinement policy above.
  static func confinedPath(_ text: String, at location: SourceLocation, key: String) throws -> String {
    try requireRelative(text, at: location, key: key, what: "a file")
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
        found: "\(InputError.quoted(text)), which leaves it")
    }
    guard FileManager.default.fileExists(atPath: resolved) else {
      throw InputError(
        location, key: key, expected: "an existing file", found: "\(InputError.quoted(text)) (looked for \(resolved))")
    }
    let root = realPath(base.isEmpty ? "." : base)
    let target = realPath(resolved)
    guard target.hasPrefix(root == "/" ? "/" : root + "/") else {
      throw InputError(
        location, key: key, expected: "a file inside \(shown) (the scenario file's directory)",
        found: "\(InputError.quoted(text)), a symbolic link to \(target), outside it")
    }
    let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType
    guard type == .typeRegular else {
      throw InputError(
        location, key: key, expected: "a CSV file",
        found: "\(InputError.quoted(text)), "
          + (type == .typeDirectory ? "a directory" : "not a regular file (a device, pipe or socket)"))
    }
    return resolved
  }

  /// Resolves the `extends:` path `text`, written at `location`, relative to the directory of
  /// the file that wrote it, and enforces the policy above; returns the file's real path.
  ///
  /// `home` is the real directory of the scenario named on the command line and `parentHome`
  /// the directory above it: the file must lie inside `home` (or below it) or directly in
  /// `parentHome`, or, when the file that writes the path lies outside `home` (a parent one
  /// directory up), inside that file's own directory (or below it): a refined baseline beside
  /// `sweep/` may extend `generated/baseline.yaml`. Nothing outside is opened, so nothing
  /// outside is echoed.
  static func confinedScenarioPath(
    _ text: String, at location: SourceLocation, home: String, parentHome: String
  ) throws -> String {
    let key = "extends"
    try requireRelative(text, at: location, key: key, what: "a scenario file")
    func isYAML(_ path: String) -> Bool {
      ["yaml", "yml"].contains((path as NSString).pathExtension.lowercased())
    }
    guard isYAML(text) else {
      throw InputError(
        location, key: key, expected: "a scenario file ending .yaml or .yml", found: InputError.quoted(text))
    }
    func below(_ path: String, _ directory: String) -> Bool {
      path.hasPrefix(directory == "/" ? "/" : directory + "/")
    }
    let writerDirectory = realPath(
      (location.file as NSString).deletingLastPathComponent.isEmpty
        ? "." : (location.file as NSString).deletingLastPathComponent)
    // A file outside `home` (reached from it) may also extend one inside its own directory.
    let writerOutside = writerDirectory != home && !below(writerDirectory, home)
    var allowed =
      "a scenario file inside \(home) or directly in \(parentHome) (the directory of the scenario named on the command line, or the one above it)"
    if writerOutside {
      allowed += ", or inside \(writerDirectory) (the directory of the file that extends it)"
    }
    func inside(_ path: String) -> Bool {
      below(path, home) || (path as NSString).deletingLastPathComponent == parentHome
        || (writerOutside && below(path, writerDirectory))
    }
    guard inside(lexical(writerDirectory + "/" + text)) else {
      throw InputError(location, key: key, expected: allowed, found: "\(InputError.quoted(text)), which leaves them")
    }
    let written = writerDirectory + "/" + text
    guard FileManager.default.fileExists(atPath: written) else {
      throw InputError(location, key: key, expected: "an existing scenario file", found: InputError.quoted(text))
    }
    let target = realPath(written)
    guard inside(target) else {
      throw InputError(
        location, key: key, expected: allowed,
        found: "\(InputError.quoted(text)), a symbolic link to \(target), outside them")
    }
    let type = (try? FileManager.default.attributesOfItem(atPath: target))?[.type] as? FileAttributeType
    guard type == .typeRegular, isYAML(target) else {
      let kind =
        type == .typeDirectory
        ? "a directory"
        : type == .typeRegular
          ? "a symbolic link to \(target), not a .yaml or .yml file"
          : "not a regular file (a device, pipe or socket)"
      throw InputError(location, key: key, expected: "a scenario file", found: "\(InputError.quoted(text)), \(kind)")
    }
    return target
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
  package static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return (path as NSString).standardizingPath }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
