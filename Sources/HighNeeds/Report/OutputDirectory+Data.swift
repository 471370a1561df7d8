import Foundation

extension OutputDirectory {
  /// Writes `files` (name → bytes) to `path`, all or nothing, like `write(_:to:)` for text.
  ///
  /// Needed for binary outputs (the XLSX workbook). Files go to a temporary sibling directory
  /// that replaces `path` only once every file is written; on failure `path` is left as it was.
  public static func write(data files: [String: Data], to path: String) throws {
    let fm = FileManager.default
    let target = URL(fileURLWithPath: path).standardizedFileURL
    let parent = target.deletingLastPathComponent()
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
      if fm.fileExists(atPath: target.path) {
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
}
