import Foundation

/// Reads the files of a folder that an earlier `hnb` command wrote and that the user named on
/// the command line (a `--sweep`, `--tornado` or `--backtest` folder of `hnb report`, or a shard
/// of `hnb merge`), under the path policy of scenario CSVs.
///
/// Every file read from such a folder must be a regular file that lies directly in it and, after
/// following every symbolic link, resolves inside it. A symbolic link that leads outside, a
/// directory, a named pipe or a device is refused before anything is read (a pipe would block
/// the read, and a file outside could be echoed into a message or hashed into a manifest), and
/// so is a file above the size limit. Messages never quote the file's contents.
public enum EvidenceFolder {
  /// What is at a path in the folder.
  package enum Entry: Equatable {
    case absent
    case regularFile(size: Int)
    case directory
  }

  /// What `path` (a name directly in a folder) is, after checking the path policy: absent, a
  /// directory inside the folder (which callers skip), or a regular file inside it.
  package static func entry(_ path: String) throws -> Entry {
    var status = stat()
    guard lstat(path, &status) == 0 else { return .absent }
    let folder = (path as NSString).deletingLastPathComponent
    let root = InputFile.realPath(folder.isEmpty ? "." : folder)
    let target = InputFile.realPath(path)
    let shown = folder.isEmpty ? "." : folder
    guard target.hasPrefix(root == "/" ? "/" : root + "/") else {
      throw InputError(
        SourceLocation(file: path), expected: "a file inside \(shown) (the folder named on the command line)",
        found: "a symbolic link to a file outside it")
    }
    let attributes = try? FileManager.default.attributesOfItem(atPath: target)
    switch attributes?[.type] as? FileAttributeType {
    case .typeRegular?: return .regularFile(size: (attributes?[.size] as? NSNumber)?.intValue ?? 0)
    case .typeDirectory?: return .directory
    case nil: return .absent
    default:
      throw InputError(
        SourceLocation(file: path), expected: "a regular file written by hnb",
        found: "not a regular file (a device, pipe or socket)")
    }
  }

  /// True when `path` is a regular file inside its folder; false when nothing is there; throws
  /// when the path policy refuses it.
  package static func exists(_ path: String) throws -> Bool {
    switch try entry(path) {
    case .absent: return false
    case .regularFile: return true
    case .directory:
      throw InputError(SourceLocation(file: path), expected: "a regular file written by hnb", found: "a directory")
    }
  }

  /// The bytes of `path`, a file in a folder named on the command line; `what` says what was
  /// expected there ("the manifest.json of an hnb sweep output folder") when it is missing.
  package static func data(_ path: String, what: String, maximumBytes: Int = InputFile.maximumBytes) throws -> Data {
    let size: Int
    switch try entry(path) {
    case .absent: throw InputError(SourceLocation(file: path), expected: what, found: "no such file")
    case .directory: throw InputError(SourceLocation(file: path), expected: what, found: "a directory")
    case .regularFile(let s): size = s
    }
    guard size <= maximumBytes else {
      throw InputError(
        SourceLocation(file: path), expected: "\(what), of at most \(maximumBytes) bytes", found: "\(size) bytes")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError(SourceLocation(file: path), expected: what, found: "a file that cannot be read (permissions?)")
    }
    return data
  }

  /// The text of `path` (UTF-8), as `data` reads it.
  package static func text(_ path: String, what: String, maximumBytes: Int = InputFile.maximumBytes) throws -> String {
    let data = try data(path, what: what, maximumBytes: maximumBytes)
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputError(SourceLocation(file: path), expected: "UTF-8 text", found: "other bytes")
    }
    return text
  }
}
