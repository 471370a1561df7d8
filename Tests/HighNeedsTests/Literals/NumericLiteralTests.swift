import Foundation
import Testing

/// No unexplained number in the model's calculations.
///
/// Scans the source text of `Sources/HighNeedsCore/{Model,Finance,Mitigation,Checks}` (comments and
/// string literals, interpolations included, are skipped) for numeric literals. Allowed:
///
/// - `0` and `1` (and `0.0`, `1.0`): empty sums and products, complements `1 − x`, the first
///   index, neighbouring indices (`t − 1`, `a + 1`) and bit masks (`1 << i`). No other number is
///   structural; anything else is a model assumption or a unit and must have a name.
/// - Any literal in the initializer of a named constant, a `static let` whose line is directly
///   below a `///` doc comment (as in `ModelConstants` and the tolerances of `IntegrityChecks`):
///   that is where a number is explained.
/// - The exact occurrences in `pendingRemoval`, in files this suite does not own, each to be
///   replaced by a named constant; an entry that no longer matches fails, so the list only shrinks.
@Suite struct NumericLiteralTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let folders = ["Model", "Finance", "Mitigation", "Checks"]
  static let allowed: Set<String> = ["0", "1", "0.0", "1.0"]

  /// A literal left in place for now: `file` (under `Sources/HighNeedsCore`), a piece of the code
  /// line it is on, the literal and how many times that pair occurs.
  struct Pending: Sendable {
    var file: String
    var code: String
    var literal: String
    var count: Int
  }

  /// Literals left in place for now, each to be replaced by a name (none at present).
  static let pendingRemoval: [Pending] = []

  /// One numeric literal found in code.
  struct Finding: Equatable {
    var file: String
    var line: Int
    var literal: String
    /// The code of the line, comments and strings removed.
    var code: String
  }

  /// Replaces comments and string literals (with their interpolations) by spaces, keeping
  /// line breaks so that line numbers stay right.
  static func code(_ source: String) -> String {
    let s = Array(source.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    func blank(_ c: Unicode.Scalar) { out.append(c == "\n" ? "\n" : " ") }
    func at(_ text: String, _ j: Int) -> Bool {
      let t = Array(text.unicodeScalars)
      return j + t.count <= s.count && Array(s[j..<(j + t.count)]) == t
    }
    /// Skips a string literal starting at `j` (after any `#`s); returns the index after it.
    func skipString(_ j: Int, hashes: Int) -> Int {
      let multiline = at("\"\"\"", j)
      let quote = multiline ? "\"\"\"" : "\""
      let close = quote + String(repeating: "#", count: hashes)
      var k = j + quote.unicodeScalars.count
      while k < s.count {
        if at(close, k) { return k + close.unicodeScalars.count }
        if s[k] == "\\" && at(String(repeating: "#", count: hashes) + "(", k + 1) {
          // An interpolation: skip to its closing parenthesis, strings inside included.
          var depth = 0
          k += 1 + hashes
          repeat {
            if s[k] == "\"" {
              k = skipString(k, hashes: 0)
              continue
            }
            if s[k] == "(" { depth += 1 }
            if s[k] == ")" { depth -= 1 }
            k += 1
          } while depth > 0 && k < s.count
          continue
        }
        if s[k] == "\\" && hashes == 0 {
          k += 2
          continue
        }
        k += 1
      }
      return k
    }
    while i < s.count {
      if at("//", i) {
        while i < s.count && s[i] != "\n" { i += 1 }
        continue
      }
      if at("/*", i) {
        var depth = 0
        repeat {
          if at("/*", i) {
            depth += 1
            blank(" ")
            blank(" ")
            i += 2
          } else if at("*/", i) {
            depth -= 1
            blank(" ")
            blank(" ")
            i += 2
          } else {
            blank(s[i])
            i += 1
          }
        } while depth > 0 && i < s.count
        continue
      }
      var hashes = 0
      while i + hashes < s.count && s[i + hashes] == "#" { hashes += 1 }
      if i + hashes < s.count && s[i + hashes] == "\"" {
        let end = skipString(i + hashes, hashes: hashes)
        for c in s[i..<min(end, s.count)] { blank(c) }
        i = end
        continue
      }
      out.append(s[i])
      i += 1
    }
    return String(out)
  }

  /// Numeric literals in `source`: integers, decimals, exponents, hex, octal and binary,
  /// with underscores; not digits inside names, `$0` or tuple indices like `.1`.
  static func literals(in source: String, file: String) -> [Finding] {
    let stripped = code(source).components(separatedBy: "\n")
    let raw = source.components(separatedBy: "\n")
    var findings: [Finding] = []
    for (index, line) in stripped.enumerated() {
      let range = NSRange(line.startIndex..., in: line)
      for match in literalPattern.matches(in: line, range: range) {
        guard let r = Range(match.range(at: 1), in: line) else { continue }
        let literal = String(line[r])
        if allowed.contains(literal) { continue }
        if isDocumentedConstant(line, previous: index > 0 ? raw[index - 1] : "") { continue }
        findings.append(
          Finding(file: file, line: index + 1, literal: literal, code: line.trimmingCharacters(in: .whitespaces)))
      }
    }
    return findings
  }

  static let literalPattern = pattern(#"(?<![\w$.])(0[xob][0-9a-fA-F_]+|\d[\d_]*(\.\d[\d_]*)?([eE][-+]?\d+)?)(?!\w)"#)
  static let constantPattern = pattern(
    #"^\s*(public |internal |package |fileprivate |private )?static let \w+(: [\w.]+)? = "#)

  static func pattern(_ text: String) -> NSRegularExpression {
    do {
      return try NSRegularExpression(pattern: text)
    } catch {
      fatalError("invalid pattern \(text): \(error)")
    }
  }

  /// Whether `line` declares a `static let` constant and the line above is a doc comment.
  static func isDocumentedConstant(_ line: String, previous: String) -> Bool {
    constantPattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
      && previous.trimmingCharacters(in: .whitespaces).hasPrefix("///")
  }

  /// Every Swift file in the scanned folders, as (path under `Sources/HighNeedsCore`, contents).
  static func sources() throws -> [(String, String)] {
    var files: [(String, String)] = []
    for folder in folders {
      let directory = root.appendingPathComponent("Sources/HighNeedsCore/\(folder)")
      for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      where name.hasSuffix(".swift") {
        files.append(
          ("\(folder)/\(name)", try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
      }
    }
    return files
  }

  @Test func noUnexplainedNumberInTheCalculations() throws {
    let files = try Self.sources()
    #expect(files.count >= Self.folders.count)
    var findings = files.flatMap { Self.literals(in: $0.1, file: $0.0) }
    for pending in Self.pendingRemoval {
      let matching = findings.filter {
        $0.file == pending.file && $0.literal == pending.literal && $0.code.contains(pending.code)
      }
      #expect(
        matching.count == pending.count,
        "pendingRemoval entry \(pending.file) '\(pending.code)' \(pending.literal): \(matching.count) found, \(pending.count) listed; update the list"
      )
      findings.removeAll { matching.contains($0) }
    }
    let report = findings.map { "\($0.file):\($0.line): \($0.literal) in `\($0.code)`" }
    #expect(report.isEmpty, "name these numbers (see ModelConstants):\n\(report.joined(separator: "\n"))")
  }

  /// The scanner finds what it should and skips what it should.
  @Test func theScannerSeesCodeNotCommentsOrStrings() {
    let source = #"""
      let a = x * 12 + y[0] - 1  // 99 in a comment
      /* 98 in a /* nested */ block */ let b = 0x1F + 1_000.5e-3
      let c = "97 \(42 + "96".count) text" + $0 + pair.1 + Int32(x)
      let d = #"95 "\#(41)" "#
      /// A documented constant.
      static let e = 5.0 / 12.0
      static let f = 7
      """#
    let found = Self.literals(in: source, file: "t").map(\.literal)
    #expect(found == ["12", "0x1F", "1_000.5e-3", "7"])
  }
}
