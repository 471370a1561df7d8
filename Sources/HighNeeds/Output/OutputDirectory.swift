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
/// Files go to a temporary sibling directory first; only when every file is written is it
/// renamed into place (replacing an earlier run's directory). If anything fails the target is
/// left exactly as it was. A target that exists must be empty or an earlier `hnb` output (it
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
    try checkReplaceable(target, inputs: inputs)
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
