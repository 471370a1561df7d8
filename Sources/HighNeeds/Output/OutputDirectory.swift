import Foundation

/// Writes a set of files as one directory, all or nothing.
///
/// Files go to a temporary sibling directory first; only when every file is written is it
/// renamed into place (replacing an earlier run's directory). If anything fails the target is
/// left exactly as it was.
public enum OutputDirectory {
  /// Writes `files` (name → contents) to `path`.
  public static func write(_ files: [String: String], to path: String) throws {
    let fm = FileManager.default
    let target = URL(fileURLWithPath: path).standardizedFileURL
    let parent = target.deletingLastPathComponent()
    try fm.createDirectory(at: parent, withIntermediateDirectories: true)
    let staging = parent.appendingPathComponent(
      ".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    try? fm.removeItem(at: staging)
    try fm.createDirectory(at: staging, withIntermediateDirectories: false)
    do {
      for name in files.keys.sorted() {
        guard let data = files[name]?.data(using: .utf8) else { continue }
        try data.write(to: staging.appendingPathComponent(name))
      }
      if fm.fileExists(atPath: target.path) {
        let old = parent.appendingPathComponent(
          ".\(target.lastPathComponent).old-\(ProcessInfo.processInfo.processIdentifier)")
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
}
