import CFuzzDriver
import Foundation
import HighNeeds

/// What the fuzz targets share: the libFuzzer driver, a private copy of the real inputs, and
/// the rule every input is held to (it loads, or it is rejected with an input error).
public enum Fuzz {
  /// The repository root (this file is `Fuzz/Sources/FuzzSupport/Fuzz.swift`).
  public static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url
  }()

  /// Where each workspace folder is copied from, in the repository.
  static let copies = [
    ("sutton", "Scenarios/sutton"),
    ("sutton/tiny", "Tests/HighNeedsTests/Fixtures/tiny"),
    ("calibration", "Tests/HighNeedsTests/Fixtures/calibration"),
  ]

  /// A private copy of the inputs, for the targets to overwrite.
  ///
  /// It holds `Scenarios/sutton` (as `sutton/`), the tiny test scenario
  /// (as `sutton/tiny/`, so that a scenario written in `sutton/` may name its files) and the
  /// calibration test fixtures (as `calibration/`), so that a target can overwrite any input
  /// without touching the tree. In `HNB_FUZZ_WORKSPACE` when set (Fuzz/run.sh sets it, so a
  /// crashed run leaves nothing behind elsewhere), else in a temporary directory removed at exit.
  public static let workspace: URL = {
    let manager = FileManager.default
    let given = ProcessInfo.processInfo.environment["HNB_FUZZ_WORKSPACE"]
    let root =
      given.map { URL(fileURLWithPath: $0) }
      ?? manager.temporaryDirectory.appendingPathComponent("hnb-fuzz-\(getpid())")
    try? manager.removeItem(at: root)
    do {
      try manager.createDirectory(at: root, withIntermediateDirectories: true)
      for (to, from) in copies {
        try manager.copyItem(
          at: repositoryRoot.appendingPathComponent(from), to: root.appendingPathComponent(to))
      }
    } catch {
      fatalError("cannot set up the fuzz workspace in \(root.path): \(error)")
    }
    if given == nil { atexit { try? FileManager.default.removeItem(at: Fuzz.workspace) } }
    return root
  }()

  static let verbose = ProcessInfo.processInfo.environment["HNB_FUZZ_VERBOSE"] != nil

  /// The path of `relative` inside the workspace.
  public static func path(_ relative: String) -> String {
    workspace.appendingPathComponent(relative).path
  }

  /// The repository path of the workspace file `relative` (whose copy a target overwrites).
  public static func originalPath(_ relative: String) -> String {
    for (to, from) in copies.reversed() where relative.hasPrefix(to + "/") {
      return repositoryRoot.appendingPathComponent(from + relative.dropFirst(to.count)).path
    }
    return repositoryRoot.appendingPathComponent(relative).path
  }

  /// Runs libFuzzer on `callback` with the process's arguments, then exits with its status.
  public static func main(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    _ = workspace
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
  }

  /// The fuzzer's bytes.
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
  }

  /// Splits an input into a slot (its first byte, modulo `count`) and the rest.
  public static func slot(_ bytes: UnsafeBufferPointer<UInt8>, of count: Int) -> (Int, Data) {
    guard let first = bytes.first else { return (0, Data()) }
    return (Int(first) % count, Data(bytes.dropFirst()))
  }

  /// Writes `data` to `path` (replacing what was there).
  public static func write(_ data: Data, to path: String) {
    guard FileManager.default.createFile(atPath: path, contents: data) else {
      fatalError("cannot write \(path)")
    }
  }

  /// Runs `load` and checks its outcome.
  ///
  /// Loading, or an `InputError`/`InputErrors` with a message, is a clean outcome;
  /// any other error is a finding, and so (through libFuzzer) is a crash, a hang or a runaway
  /// allocation.
  /// With `HNB_FUZZ_VERBOSE` set, prints the outcome (to check that the seeds load).
  public static func expectCleanOutcome(_ what: String, _ load: () throws -> Void) {
    do {
      try load()
      if verbose { print("\(what): loaded") }
    } catch let error as InputError {
      if (error.errorDescription ?? "").isEmpty { fatalError("\(what): an input error with no message") }
      if verbose { print("\(what): rejected: \(error.errorDescription ?? "")") }
    } catch let error as InputErrors {
      if error.errors.isEmpty { fatalError("\(what): an empty list of input errors") }
      if verbose { print("\(what): rejected: \(error.errorDescription ?? "")") }
    } catch {
      fatalError("\(what): not an input error: \(type(of: error)): \(error)")
    }
  }
}
