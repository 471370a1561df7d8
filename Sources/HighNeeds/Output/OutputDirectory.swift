import Foundation

/// An output directory that may not be written: it is something other than an earlier `hnb`
/// output, or an input lies inside it.
public struct OutputError: Error, LocalizedError, Sendable {
  public var path: String
  public var reason: String

  public var errorDescription: String? { "\(path): refusing to write the output here: \(reason)" }
}

/// Writes a set of files as one directory, all or nothing.
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
/// is left exactly as it was. A target that exists must be empty or an earlier `hnb` output (it
/// holds a `manifest.json` written by `hnb`), and no input may lie inside it: the tool never
/// deletes anything else.
public enum OutputDirectory {
  /// Writes `files` (name → text) to `path`; `inputs` are files that must survive.
  public static func write(_ files: [String: String], to path: String, inputs: [String] = []) throws {
    try write(bytes: files.mapValues { Data($0.utf8) }, to: path, inputs: inputs)
  }

  /// Writes `files` (name → bytes) to `path`; `inputs` are files that must survive.
  public static func write(bytes files: [String: Data], to path: String, inputs: [String] = []) throws {
    let fm = FileManager.default
    let target = URL(fileURLWithPath: path).standardizedFileURL
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
        try data.write(to: staging.appendingPathComponent(name))
      }
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
  /// running are removed when they hold only files. Each action is reported on standard error;
  /// anything else is left alone.
  static func recoverInterruptedRuns(of target: URL) {
    let fm = FileManager.default
    let parent = target.deletingLastPathComponent()
    guard let siblings = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
    let name = target.lastPathComponent
    for sibling in siblings.sorted() {
      var kind = ""
      for candidate in ["tmp", "old"] where sibling.hasPrefix(".\(name).\(candidate)-") { kind = candidate }
      guard !kind.isEmpty, let pid = Int32(sibling.dropFirst(name.count + kind.count + 3)), pid > 0,
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      let leftover = parent.appendingPathComponent(sibling)
      let contents = (try? fm.contentsOfDirectory(atPath: leftover.path)) ?? []
      let onlyFiles = contents.allSatisfy { item in
        var isDirectory: ObjCBool = false
        return fm.fileExists(atPath: leftover.appendingPathComponent(item).path, isDirectory: &isDirectory)
          && !isDirectory.boolValue
      }
      guard onlyFiles else {
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

  private static func note(_ text: String) {
    FileHandle.standardError.write(Data("note: \(text)\n".utf8))
  }

  /// Throws unless `target` is absent, an empty directory, or an earlier `hnb` output holding
  /// no input.
  static func checkReplaceable(_ target: URL, inputs: [String]) throws {
    let fm = FileManager.default
    let path = target.path
    let prefix = path.hasSuffix("/") ? path : path + "/"
    if let input = inputs.first(where: { URL(fileURLWithPath: $0).standardizedFileURL.path.hasPrefix(prefix) }) {
      throw OutputError(path: path, reason: "the input \(input) is inside it")
    }
    var isDirectory: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
      throw OutputError(path: path, reason: "it is a file, not a directory")
    }
    let contents = try fm.contentsOfDirectory(atPath: path)
    if contents.isEmpty { return }
    let manifest = target.appendingPathComponent("manifest.json")
    guard let data = fm.contents(atPath: manifest.path),
      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], json["tool"] as? String == "hnb"
    else {
      throw OutputError(
        path: path, reason: "it is not empty and is not an earlier hnb output (no manifest.json written by hnb)")
    }
    for name in contents {
      var sub: ObjCBool = false
      if fm.fileExists(atPath: target.appendingPathComponent(name).path, isDirectory: &sub), sub.boolValue {
        throw OutputError(path: path, reason: "it holds a directory ('\(name)') that hnb did not write")
      }
    }
  }
}
