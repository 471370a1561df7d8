import Foundation
import HighNeeds

/// Whether the evidence a report is given (a sweep, a tornado, a backtest) was made from the
/// inputs the report runs now.
///
/// Each of those commands records in its `manifest.json` the SHA-256 of every file it read
/// (`input_sha256`, paths as `Manifest.displayPath` writes them: relative to the working
/// directory where they lie below it). The evidence is current only when
///
/// - every input of each report scenario the evidence covers (its scenario files and CSVs) is
///   among the recorded files, with the same SHA-256 now; and
/// - every other recorded file (the sweep's own scenario file and its uncertainty file, a
///   backtest's history) still exists and has the same SHA-256 now.
///
/// A recorded file outside the working directory and the report's scenario folders (and the
/// folders above them) is never opened, and counts as unchecked. A file that no longer exists
/// cannot be checked and counts as a change: the report cannot
/// show that the evidence describes its figures. Paths are compared after resolving symbolic
/// links and `..`, relative to the working directory, so a report must run from the directory
/// the evidence was made in (a folder made elsewhere is found stale, its inputs missing).
public enum EvidenceStaleness {
  /// The ways the evidence at `manifest` (its `manifest.json`) differs from the inputs now.
  ///
  /// Empty when it is current. `what` names the command ("sweep"), `covered` the sources of the
  /// report's scenarios that the evidence shows results for, `named` those of every scenario of
  /// the report (their folders, and the folders above them, are where other recorded files may
  /// be read).
  public static func problems(
    recorded: [String: String]?, manifest: String, what: String, covered: [ScenarioSource],
    named: [ScenarioSource] = []
  ) -> [InputError] {
    let location = SourceLocation(file: manifest)
    let expected = "the inputs the \(what) was made from, unchanged (or give --allow-stale-evidence)"
    guard let recorded, !recorded.isEmpty else {
      return [InputError(location, key: "input_sha256", expected: expected, found: "no input hashes recorded")]
    }
    var byRealPath: [String: (key: String, sha256: String)] = [:]
    for (key, sha256) in recorded { byRealPath[realPath(recorded: key)] = (key, sha256) }
    var problems: [InputError] = []
    var checked: Set<String> = []
    var files: [(file: String, scenario: String)] = []
    for s in covered {
      for file in s.files where !files.contains(where: { $0.file == file }) {
        files.append((file, s.name))
      }
    }
    for (file, scenario) in files {
      let real = InputFile.realPath(file)
      checked.insert(real)
      let now = currentHash(file)
      guard let entry = byRealPath[real] else {
        problems.append(
          InputError(
            location, key: "input_sha256", expected: expected,
            found: "\(InputError.quoted(Manifest.displayPath(file), limit: 200)), an input of \(scenario), not among "
              + "the files it records "
              + "(it was made from other files)"))
        continue
      }
      if entry.sha256 != now {
        problems.append(
          InputError(location, key: "input_sha256", expected: expected, found: changed(file, entry.sha256, now)))
      }
    }
    // Other recorded files are read only below the working directory or beside a covered
    // scenario: a path recorded in a folder someone sent is not a licence to open any file.
    let workingDirectory = InputFile.realPath(FileManager.default.currentDirectoryPath)
    let areas =
      [workingDirectory]
      + (covered + named).flatMap(\.scenarioFiles).map {
        (InputFile.realPath(($0 as NSString).deletingLastPathComponent) as NSString).deletingLastPathComponent
      }
    for (real, entry) in byRealPath.sorted(by: { $0.value.key < $1.value.key }) where !checked.contains(real) {
      guard entry.key.hasPrefix("built-in:") || areas.contains(where: { real.hasPrefix($0 == "/" ? "/" : $0 + "/") })
      else {
        problems.append(
          InputError(
            location, key: "input_sha256", expected: expected,
            found: "\(InputError.quoted(entry.key, limit: 200)) lies outside the working directory and the "
              + "report's scenario folders, so it is not read (it cannot be checked)"))
        continue
      }
      let now = currentHash(real)
      if entry.sha256 != now {
        problems.append(
          InputError(
            location, key: "input_sha256", expected: expected,
            found: changed(entry.key, entry.sha256, now)))
      }
    }
    return problems.sorted { $0.found < $1.found }
  }

  /// What changed about `file`: its recorded and current SHA-256 (twelve hex digits each).
  static func changed(_ file: String, _ recorded: String, _ now: String?) -> String {
    let shown = InputError.quoted(Manifest.displayPath(file), limit: 200)
    guard let now else { return "\(shown) no longer exists as a readable file (it cannot be checked)" }
    // The recorded hash comes from the evidence's manifest: only its hex digits are shown.
    let hex = String(recorded.prefix(12).filter(\.isHexDigit))
    return "\(shown) changed since (sha256 '\(hex)…' recorded, '\(now.prefix(12))…' now)"
  }

  /// The SHA-256 of `path` now, or nil unless it is a readable regular file of at most
  /// `InputFile.maximumBytes` (a recorded path may name a device or a pipe, which is never read).
  static func currentHash(_ path: String) -> String? {
    let attributes = try? FileManager.default.attributesOfItem(atPath: InputFile.realPath(path))
    guard attributes?[.type] as? FileAttributeType == .typeRegular,
      ((attributes?[.size] as? NSNumber)?.intValue ?? 0) <= InputFile.maximumBytes,
      let data = FileManager.default.contents(atPath: path)
    else { return nil }
    return SHA256.hex(data)
  }

  /// The file a recorded path names now: a built-in taxonomy file, or the path resolved against
  /// the working directory with every symbolic link followed.
  static func realPath(recorded key: String) -> String {
    if key.hasPrefix("built-in:"), let builtIn = ScenarioLoader.defaultTaxonomyPaths {
      let name = (key as NSString).lastPathComponent
      if let path = [builtIn.placements, builtIn.needs].first(where: { ($0 as NSString).lastPathComponent == name }) {
        return InputFile.realPath(path)
      }
    }
    return InputFile.realPath(key)
  }

  /// One line for the paper and standard error, saying that the evidence in `directory` is
  /// stale and why.
  public static func notice(what: String, directory: String, problems: [InputError]) -> String {
    "Stale evidence: the \(what) in \(Manifest.displayPath(directory)) does not match the inputs as they are now ("
      + problems.map(\.found).joined(separator: "; ")
      + "); it is shown only because --allow-stale-evidence was given: do not rely on it."
  }

  /// `manifest` with `notices` under `stale_evidence`; unchanged when there are none.
  public static func manifest(_ manifest: Manifest, adding notices: [String]) -> Manifest {
    guard !notices.isEmpty else { return manifest }
    var m = manifest
    m.staleEvidence = notices
    return m
  }
}
