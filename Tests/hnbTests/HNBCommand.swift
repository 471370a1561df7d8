import Foundation
import Testing

/// Runs the built `hnb` executable and captures what it printed and its exit status.
struct HNBCommand {
  var status: Int32
  var stdout: String
  var stderr: String

  /// The repository root (this file is Tests/hnbTests/HNBCommand.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The `hnb` binary beside the test bundle.
  static var executable: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hnb")
  }

  /// Runs `hnb arguments` in the repository root.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> HNBCommand {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = root
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return HNBCommand(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// The rows of one table of docs/BAD_INPUTS.md whose ids start with `prefix` (`"I"`, `"F"`): id →
  /// (exit code, whole standard error, its placeholders left as written, `⏎` made a line break).
  static func documentedCases(_ prefix: String) throws -> [String: (status: Int32, message: String)] {
    let text = try String(contentsOf: root.appendingPathComponent("docs/BAD_INPUTS.md"), encoding: .utf8)
    var cases: [String: (status: Int32, message: String)] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| " + prefix) {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count >= 6, let status = Int32(cells[4]), cells[5].hasPrefix("`"), cells[5].hasSuffix("`") else {
        continue
      }
      cases[cells[1]] = (status, String(cells[5].dropFirst().dropLast()).replacingOccurrences(of: "⏎", with: "\n"))
    }
    return cases
  }

  /// A new, not yet existing directory under the temporary directory.
  static func freshDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hnb-e2e-\(UUID().uuidString)").path
  }

  /// Reads a CSV written by `hnb` (no quoted commas in the numeric columns used here); a row
  /// with more or fewer fields than the header throws rather than losing or inventing cells.
  static func readCSV(_ path: String) throws -> [[String: String]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n").map(String.init)
    let header = parseLine(lines.removeFirst())
    return try lines.enumerated().map { index, line in
      let fields = parseLine(line)
      guard fields.count == header.count else {
        throw RaggedCSV(description: "\(path): row \(index + 1) has \(fields.count) fields, the header \(header.count)")
      }
      return Dictionary(uniqueKeysWithValues: zip(header, fields))
    }
  }

  /// A CSV read by `readCSV` whose rows do not all have the header's fields.
  struct RaggedCSV: Error, CustomStringConvertible {
    var description: String
  }

  static func parseLine(_ line: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var previous: Character = " "
    for c in line {
      if c == "\"" {
        if quoted && previous == "\"" { field.append("\"") }
        quoted.toggle()
      } else if c == "," && !quoted {
        fields.append(field)
        field = ""
      } else {
        field.append(c)
      }
      previous = c
    }
    fields.append(field)
    return fields
  }
}
