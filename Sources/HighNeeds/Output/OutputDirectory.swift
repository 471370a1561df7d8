import Foundation

/// An output directory that may not be written: it is something other than an earlier `hnb`
/// output, or an input lies inside it.
public struct OutputError: Error, LocalizedError, Sendable {
  public var path: String
  public var reason: String

  public var errorDescription: String? { "\(path): refusing to write the output here: \(reason)" }
}

/// Writes a set of files as one directory, all or nothing, and never deletes what hnb did not
/// write.
///
/// Files go to a temporary sibling directory `.NAME.tmp-PID` first; only when every file is
/// written is it swapped into place. An earlier run's directory is exchanged with it in one
/// atomic rename (`renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on macOS),
/// so a process killed at any moment leaves either the earlier complete output or the new
/// complete one, never a mix and never nothing. Where the file system cannot exchange, the
/// earlier directory is renamed aside to `.NAME.old-PID` and the new one renamed in; if the
/// process dies between those two renames, the next run puts the earlier output back. The next
/// run also removes the temporary directories a killed run left (those of processes no longer
/// running that hold only files) and says so on standard error. If anything fails the target
/// is left exactly as it was.
///
/// The output-folder policy (docs/ASSURANCE.md): every output holds a marker,
/// `.hnb-output.sha256`, listing each file hnb wrote there with its SHA-256 and its path relative
/// to the folder (the format of `sha256sum`; `data/a.csv` for a file in a sub-folder). A target
/// that exists must be empty, or hold that marker and nothing but the files it lists, each
/// unchanged, and the sub-folders their paths pass through; anything else there (a file the
/// user added or edited, a folder or link hnb did not write, a copied `manifest.json` without
/// the files the marker names) refuses the run (exit 73, naming them). No link inside the
/// folder is followed, and every file name must stay inside it (no `..`, no absolute path). `--out` is resolved (every symbolic link in its parents, `.` and
/// `..`) before it is compared with the inputs, none of which may lie inside it; an `--out` that
/// is itself a symbolic link is refused, since replacing it would replace the link, not its
/// target; an empty `--out` is refused. And no output is written that holds NaN or infinity
/// (`FiniteOutputGuard`).
public enum OutputDirectory {
  /// Writes `files` (name → text) to `path`; `inputs` are files that must survive.
  public static func write(_ files: [String: String], to path: String, inputs: [String] = []) throws {
    try write(bytes: files.mapValues { Data($0.utf8) }, to: path, inputs: inputs)
  }

  /// The marker every output holds: the files hnb wrote there with their SHA-256.
  public static let markerName = ".hnb-output.sha256"

  /// Largest marker read (a marker lists a few dozen files in a few kB); a larger one, or one
  /// that is not a regular file (a pipe, a link), is not one hnb wrote.
  static let maximumMarkerBytes = 1 << 20

  /// Writes `files` (name → bytes) to `path`; `inputs` are files that must survive.
  public static func write(bytes files: [String: Data], to path: String, inputs: [String] = []) throws {
    let fm = FileManager.default
    try FiniteOutputGuard.check(files)
    let target = try resolvedTarget(path)
    for name in files.keys.sorted() where !isConfined(name) {
      throw OutputError(
        path: target.path,
        reason:
          "the file name \(InputError.quoted(name, limit: 200)) is not a relative path inside the folder "
          + "(expected names like 'a.csv' or 'data/a.csv': no empty part, '.', '..', leading '/' or the marker's name)")
    }
    let parent = target.deletingLastPathComponent()
    recoverInterruptedRuns(of: target)
    try checkReplaceable(target, inputs: inputs)
    try fm.createDirectory(at: parent, withIntermediateDirectories: true)
    let pid = ProcessInfo.processInfo.processIdentifier
    let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(pid)")
    try? fm.removeItem(at: staging)
    try fm.createDirectory(at: staging, withIntermediateDirectories: false)
    do {
      for name in files.keys.sorted() {
        guard let data = files[name] else { continue }
        let file = staging.appendingPathComponent(name)
        // Sub-folders are created inside the fresh staging folder, which holds no link.
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
      }
      try Data(marker(files).utf8).write(to: staging.appendingPathComponent(markerName))
      if fm.fileExists(atPath: target.path), exchange(staging.path, target.path) {
        // `staging` now holds the earlier output.
        try? fm.removeItem(at: staging)
      } else if fm.fileExists(atPath: target.path) {
        let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(pid)")
        try fm.moveItem(at: target, to: old)
        do {
          try fm.moveItem(at: staging, to: target)
        } catch {
          try? fm.moveItem(at: old, to: target)
          throw error
        }
        try? fm.removeItem(at: old)
      } else {
        try fm.moveItem(at: staging, to: target)
      }
    } catch {
      try? fm.removeItem(at: staging)
      throw error
    }
  }

  /// Throws the error `write` would throw for `path` and `inputs` before writing anything, so a
  /// long command can refuse its `--out` before it starts rather than after it has finished.
  public static func check(_ path: String, inputs: [String] = []) throws {
    try checkReplaceable(try resolvedTarget(path), inputs: inputs)
  }

  /// Whether `name` is a relative path that stays inside the output folder: parts separated by
  /// `/`, none empty, `.` or `..`, no leading `/`, and not the marker itself.
  public static func isConfined(_ name: String) -> Bool {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    return !name.isEmpty && name != markerName && !name.contains("\n") && !name.contains("\0")
      && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }

  /// The marker's text for `files`: one `SHA-256  name` line each (a relative path such as
  /// `data/a.csv` for a file in a sub-folder), sorted by name.
  public static func marker(_ files: [String: Data]) -> String {
    files.keys.sorted().map { "\(SHA256.hex(files[$0] ?? Data()))  \($0)\n" }.joined()
  }

  /// `path` made absolute with every symbolic link in it resolved, or an error when it is empty
  /// or is itself a symbolic link.
  ///
  /// Each part is resolved against the real path of the parts before it: a link is followed
  /// wherever it stands (`missing/../link/a` reaches what `link` leads to), and parts that do not
  /// exist yet are joined as written, with `.` and `..` applied.
  static func resolvedTarget(_ path: String) throws -> URL {
    guard !path.isEmpty else {
      throw OutputError(path: "''", reason: "--out is an empty path (give the directory to write)")
    }
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    // Each part is resolved in turn against what the parts before it resolved to, as the system
    // would (a link anywhere is followed, `..` climbs from where a link led), continuing past a
    // part that does not exist yet as `realpath -m` does; only the last part may not be a link.
    let parts = absolute.split(separator: "/").map(String.init)
    let last = parts.lastIndex { $0 != "." } ?? -1
    var resolved = "/"
    for (index, part) in parts.enumerated() where part != "." {
      if part == ".." {
        resolved = (resolved as NSString).deletingLastPathComponent
        continue
      }
      let candidate = (resolved as NSString).appendingPathComponent(part)
      guard exists(candidate) else {
        resolved = candidate
        continue
      }
      if index == last, let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
        throw OutputError(
          path: path,
          reason:
            "it is a symbolic link (to \(InputError.quoted(destination, limit: 200))): hnb replaces its output "
            + "directory whole, so give the directory itself")
      }
      resolved = InputFile.realPath(candidate)
    }
    return URL(fileURLWithPath: resolved)
  }

  /// Whether anything (a link too, even a dangling one) is at `path`.
  private static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Atomically exchanges the directories at `a` and `b`; false when the system or file system
  /// cannot (the caller then falls back to two renames).
  static func exchange(_ a: String, _ b: String) -> Bool {
    #if canImport(Glibc)
      typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
      guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return false }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 2
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    #elseif canImport(Darwin)
      return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0
    #else
      return false
    #endif
  }

  /// Cleans up after runs that were killed while writing `target`.
  ///
  /// A `.NAME.old-PID` left between the two renames of the fallback is put back when `target`
  /// is missing, and the `.NAME.tmp-PID` and `.NAME.old-PID` directories of processes no longer
  /// running are removed when they hold only files (in sub-folders too, no link). Each action is reported on standard error;
  /// anything else is left alone.
  static func recoverInterruptedRuns(of target: URL) {
    let fm = FileManager.default
    let parent = target.deletingLastPathComponent()
    guard let siblings = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    let name = target.lastPathComponent
    // Only names a write of `name` leaves (`.NAME.tmp-PID`, `.NAME.old-PID`) are looked at: a
    // parent folder may hold many other entries.
    for sibling in siblings.filter({ $0.hasPrefix(".\(name).") }).sorted() {
      var kind = ""
      for candidate in ["tmp", "old"] where sibling.hasPrefix(".\(name).\(candidate)-") { kind = candidate }
      guard !kind.isEmpty, let pid = Int32(sibling.dropFirst(name.count + kind.count + 3)), pid > 0,
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      let leftover = parent.appendingPathComponent(sibling)
      // Only a real directory (not a file or a link of that name) whose contents can be listed.
      var info = stat()
      guard lstat(leftover.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
      guard holdsOnlyFiles(leftover.path, top: true) else {
        note("left \(leftover.path) alone: it holds a directory hnb did not write")
        continue
      }
      if kind == "old", !fm.fileExists(atPath: target.path), (try? fm.moveItem(at: leftover, to: target)) != nil {
        note("put back \(target.path) from \(sibling), left by an interrupted run")
      } else if (try? fm.removeItem(at: leftover)) != nil {
        note("removed \(leftover.path), left by an interrupted run")
      }
    }
  }

  /// Whether the folder at `path` holds only regular files and non-empty folders of them (what
  /// a write leaves: it makes a folder only to put a file in it), with no link anywhere.
  private static func holdsOnlyFiles(_ path: String, top: Bool) -> Bool {
    guard let contents = try? FileManager.default.contentsOfDirectory(atPath: path), top || !contents.isEmpty else {
      return false
    }
    return contents.allSatisfy { item in
      let inner = (path as NSString).appendingPathComponent(item)
      var info = stat()
      guard lstat(inner, &info) == 0 else { return false }
      switch info.st_mode & S_IFMT {
      case S_IFREG: return true
      case S_IFDIR: return holdsOnlyFiles(inner, top: false)
      default: return false
      }
    }
  }

  private static func note(_ text: String) {
    FileHandle.standardError.write(Data("note: \(text)\n".utf8))
  }

  /// Throws unless `target` is absent, an empty directory, or an earlier `hnb` output that holds
  /// only the files its marker lists, unchanged, and no input.
  static func checkReplaceable(_ target: URL, inputs: [String]) throws {
    let fm = FileManager.default
    let path = target.path
    let prefix = path.hasSuffix("/") ? path : path + "/"
    if let input = inputs.first(where: { InputFile.realPath($0).hasPrefix(prefix) || InputFile.realPath($0) == path }) {
      throw OutputError(path: path, reason: "the input \(input) is inside it")
    }
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      throw OutputError(path: path, reason: "it is a file, not a directory")
    }
    let contents = try fm.contentsOfDirectory(atPath: path).sorted()
    if contents.isEmpty { return }
    let markerPath = target.appendingPathComponent(markerName).path
    var markerInfo = stat()
    let markerIsFile =
      lstat(markerPath, &markerInfo) == 0 && markerInfo.st_mode & S_IFMT == S_IFREG
      && markerInfo.st_size <= maximumMarkerBytes
    guard markerIsFile, let markerData = fm.contents(atPath: markerPath) else {
      throw OutputError(
        path: path,
        reason:
          "it is not empty and is not an hnb output (it has no \(markerName), the list of the files hnb wrote "
          + "there): choose another --out, or empty it yourself")
    }
    guard let written = parseMarker(markerData) else {
      throw OutputError(
        path: path, reason: "its \(markerName) is not one hnb wrote (expected lines 'SHA-256  name')")
    }
    // The folders the marker's paths pass through (`data` for `data/a.csv`).
    var folders: Set<String> = []
    for name in written.keys {
      var parts = name.split(separator: "/").dropLast()
      while !parts.isEmpty {
        folders.insert(parts.joined(separator: "/"))
        parts = parts.dropLast()
      }
    }
    var foreign: [String] = []
    var changed: [String] = []
    // Walks the folder without following any link: a listed name must be a regular file with
    // its SHA-256, a folder must be one the marker's paths pass through, anything else is
    // foreign (a link, a pipe, a file or folder hnb did not write).
    var pending = contents.filter { $0 != markerName }.map { $0 }
    while !pending.isEmpty {
      let name = pending.removeFirst()
      let file = target.appendingPathComponent(name).path
      guard lstat(file, &info) == 0 else {
        foreign.append(name)
        continue
      }
      let kind = info.st_mode & S_IFMT
      if let hash = written[name] {
        guard kind == S_IFREG, let data = fm.contents(atPath: file), SHA256.hex(data) == hash else {
          changed.append(name)
          continue
        }
      } else if kind == S_IFDIR, folders.contains(name) {
        let inner = try fm.contentsOfDirectory(atPath: file).sorted()
        pending.append(contentsOf: inner.map { name + "/" + $0 })
      } else {
        foreign.append(name)
      }
    }
    var reasons: [String] = []
    if !foreign.isEmpty { reasons.append("it holds what hnb did not write there: \(listed(foreign))") }
    if !changed.isEmpty { reasons.append("files hnb wrote have changed since: \(listed(changed))") }
    if !reasons.isEmpty {
      throw OutputError(
        path: path,
        reason: reasons.joined(separator: "; ") + " (hnb deletes only its own, unchanged files: move these "
          + "elsewhere, or choose another --out)")
    }
  }

  /// The marker's entries (name → SHA-256), or nil when it is not a marker hnb wrote.
  static func parseMarker(_ data: Data) -> [String: String]? {
    guard let text = String(data: data, encoding: .utf8) else { return nil }
    var entries: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let hash = line.prefix(64)
      let separator = line.dropFirst(64).prefix(2)
      let name = String(line.dropFirst(66))
      guard hash.count == 64, hash.allSatisfy(\.isHexDigit), separator == "  ", isConfined(name) else { return nil }
      entries[name] = String(hash)
    }
    return entries
  }

  /// At most five names, quoted, and how many more.
  private static func listed(_ names: [String]) -> String {
    let shown = names.prefix(5).map { InputError.quoted($0) }.joined(separator: ", ")
    return names.count > 5 ? shown + " and \(names.count - 5) more" : shown
  }
}
