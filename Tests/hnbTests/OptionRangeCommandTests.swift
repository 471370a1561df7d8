import Foundation
import Testing

/// Issue 13, class K: every count and number a command takes has a documented range, checked
/// where it is parsed; nothing out of range runs, allocates or writes (docs/BAD_INPUTS.md, K cases).
@Suite struct OptionRangeCommandTests {
  static let tiny = "Tests/HighNeedsTests/Fixtures/tiny/tiny.yaml"
  static let sweep = "Scenarios/sutton/sweep/baseline.yaml"
  static let target = "cumulative_balance >= 1500000 in 2027-28"
  static let history = "Calibration/data/sutton_history.csv"
  static let transitions = "Tests/HighNeedsTests/Fixtures/calibration/transitions_small.csv"

  /// A refused option: the command's arguments (before `--out`), and what standard error must
  /// name: the option, its bound and the value found.
  struct Refusal: CustomStringConvertible, Sendable {
    var arguments: [String]
    var option: String
    var bound: String
    var found: String
    var description: String { arguments.joined(separator: " ") }
  }

  static let refusals: [Refusal] = [
    // Goal seek: each variable's own range, NaN and infinity, and the tolerance.
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "incidence", "--min=-5"], option: "--min",
      bound: "a multiplier in [0, 100]", found: "found -5"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "transfer_percent", "--max", "1e308"],
      option: "--max", bound: "a percentage of the Schools Block in [0, 100]", found: "found 1e+308"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "hnb_growth", "--min", "-2"], option: "--min",
      bound: "[-1, 1]", found: "found -2"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "incidence", "--min", "nan"], option: "--min",
      bound: "a finite number", found: "found 'nan'"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "incidence", "--tolerance", "inf"],
      option: "--tolerance", bound: "> 0", found: "found 'inf'"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "transfer_percent", "--tolerance", "1e-300"],
      option: "--tolerance", bound: "a millionth of a millionth of the range searched (1e-10 for [0, 100])",
      found: "found 1e-300"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "incidence", "--draws", "1"], option: "--draws",
      bound: "2…100000", found: "found 1"),
    Refusal(
      arguments: ["goalseek", tiny, "--target", target, "--vary", "incidence", "--seed", "-1"], option: "--seed",
      bound: "0…18446744073709551615", found: "found '-1'"),
    // Sensitivity: a zero-width "95%" interval, a confidence above 1, NaN.
    Refusal(
      arguments: ["sensitivity", sweep, "--method", "sobol", "--bootstrap", "0"], option: "--bootstrap",
      bound: "at least 40 resamples for a 95% interval", found: "found 0"),
    Refusal(
      arguments: ["sensitivity", sweep, "--method", "sobol", "--confidence", "1.5"], option: "--confidence",
      bound: "[0.5, 0.999]", found: "found 1.5"),
    Refusal(
      arguments: ["sensitivity", sweep, "--method", "tornado", "--percent", "nan"], option: "--percent",
      bound: "(0, 100)", found: "found 'nan'"),
    Refusal(
      arguments: ["sensitivity", sweep, "--method", "sobol", "--samples", "4"], option: "--samples",
      bound: "8…65536", found: "found 4"),
    // Fit and backtest: horizons, draws and years.
    Refusal(
      arguments: ["fit", "--history", history, "--horizon", "100000"], option: "--horizon", bound: "1…20",
      found: "found 100000"),
    Refusal(
      arguments: ["backtest", "--history", history, "--fit-through", "2019", "--horizon", "0"],
      option: "--horizon", bound: "1…20", found: "found 0"),
    Refusal(
      arguments: ["backtest", "--transitions", transitions, "--fit-through", "2023", "--draws", "5"],
      option: "--draws", bound: "10…10000", found: "found 5"),
    Refusal(
      arguments: [
        "backtest", "--history", history, "--fit-through", "2019", "--exclude-years", "0-9223372036854775807",
      ], option: "--exclude-years", bound: "years 1900–2200", found: "found '0-9223372036854775807'"),
    Refusal(arguments: ["bench", "--draws", "-3"], option: "--draws", bound: "2…100000", found: "found -3"),
  ]

  /// Class K (numbers): an option outside its range exits 64 naming the option, the bound and
  /// the value found, and creates no output directory.
  @Test(arguments: refusals) func anOptionOutsideItsRangeIsRefused(_ refusal: Refusal) throws {
    let out = HNBCommand.freshDirectory()
    let outArguments = refusal.arguments.first == "bench" ? [] : ["--out", out]
    let r = try HNBCommand.run(refusal.arguments + outArguments)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains(refusal.option), "\(r.stderr)")
    #expect(r.stderr.contains(refusal.bound), "\(r.stderr)")
    #expect(r.stderr.contains(refusal.found), "\(r.stderr)")
    #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// The K cases of docs/BAD_INPUTS.md: arguments (before `--out`), exit status and the first
  /// line of standard error exactly as documented.
  static let documented: [(id: String, arguments: [String], status: Int32, message: String)] = {
    let probability = ["goalseek", tiny, "--target", "P(\(target)) >= 0.5", "--vary", "incidence"]
    let goalSeek = ["goalseek", tiny, "--target", target, "--vary"]
    let sobol = ["sensitivity", sweep, "--method", "sobol"]
    let memory = "1080 bytes a draw for its metrics at a 10-year horizon)"
    return [
      (
        "K01", probability + ["--draws", "1000000000000"], 64,
        "Error: The value '1000000000000' is invalid for '--draws <draws>': expected a whole number of draws "
          + "2…100000; found 1000000000000 (it would need 1.1 PB of memory, " + memory
      ),
      (
        "K02", probability + ["--draws", "9223372036854775808"], 64,
        "Error: The value '9223372036854775808' is invalid for '--draws <draws>': expected a whole number of draws "
          + "2…100000; found 9223372036854775808 (it would need 10 ZB of memory, " + memory
      ),
      (
        "K03", ["bench", "--draws", "1e12"], 64,
        "Error: The value '1e12' is invalid for '--draws <draws>': expected a whole number of draws 2…100000; "
          + "found 1e12 (it would need 1.1 PB of memory, " + memory
      ),
      (
        "K04", sobol + ["--samples", "1000000000000"], 64,
        "Error: The value '1000000000000' is invalid for '--samples <samples>': expected a whole number of samples "
          + "8…65536; found 1000000000000 (it would need 1.5 PB of memory, 1536 bytes a sample with 10 factors)"
      ),
      (
        "K05", ["backtest", "--transitions", "t.csv", "--fit-through", "2023", "--draws", "1000000000000"], 64,
        "Error: The value '1000000000000' is invalid for '--draws <draws>': expected a whole number of draws "
          + "10…10000; found 1000000000000 (it would need 480 TB of memory, 480 bytes a draw for its 20 levels "
          + "over a 3-year horizon)"
      ),
      (
        "K06", goalSeek + ["incidence", "--min=-5"], 64,
        "Error: --min: expected a multiplier in [0, 100] for --vary incidence; found -5"
      ),
      (
        "K07", goalSeek + ["incidence", "--min", "-0.2"], 64,
        "Error: --min: expected a multiplier in [0, 100] for --vary incidence; found -0.2"
      ),
      (
        "K08", goalSeek + ["transfer_percent", "--max", "1e308"], 64,
        "Error: --max: expected a percentage of the Schools Block in [0, 100] for --vary transfer_percent; "
          + "found 1e+308"
      ),
      (
        "K09", goalSeek + ["incidence", "--min", "nan"], 64,
        "Error: The value 'nan' is invalid for '--min <min>': expected a finite number; found 'nan' (NaN and "
          + "infinity are not allowed: give a finite value)"
      ),
      (
        "K10", goalSeek + ["incidence", "--min", "3", "--max", "1"], 64,
        "Error: --min/--max: expected --min below --max; found --min 3 and --max 1"
      ),
      (
        "K11", goalSeek + ["incidence", "--tolerance", "0"], 64,
        "Error: The value '0' is invalid for '--tolerance <tolerance>': expected a width of the final bracket > 0; "
          + "found 0"
      ),
      (
        "K12", ["goalseek", tiny, "--target", "cumulative_balance >= nan in 2027-28", "--vary", "incidence"], 65,
        "error: --target: target: expected 'METRIC >= VALUE in YYYY-YY' or 'P(METRIC >= VALUE in YYYY-YY) >= "
          + "PROBABILITY' (a finite number after >=); found 'cumulative_balance >= nan in 2027-28'"
      ),
      (
        "K13", sobol + ["--bootstrap", "0"], 64,
        "Error: --bootstrap: expected at least 40 resamples for a 95% interval (2/(1 − confidence), so that each "
          + "end lies inside the resamples); found 0"
      ),
      (
        "K14", sobol + ["--confidence", "1.5"], 64,
        "Error: The value '1.5' is invalid for '--confidence <confidence>': expected a confidence (a fraction) in "
          + "[0.5, 0.999]; found 1.5"
      ),
      (
        "K15", ["sensitivity", sweep, "--method", "tornado", "--percent", "inf"], 64,
        "Error: The value 'inf' is invalid for '--percent <percent>': expected a percentage in (0, 100); found "
          + "'inf' (NaN and infinity are not allowed: give a finite value)"
      ),
      (
        "K16", ["fit", "--history", history, "--horizon", "100000"], 64,
        "Error: The value '100000' is invalid for '--horizon <horizon>': expected a whole number of years 1…20; "
          + "found 100000"
      ),
      (
        "K17",
        ["backtest", "--history", history, "--fit-through", "2019", "--exclude-years", "0-9223372036854775807"], 64,
        "Error: --exclude-years: expected a year like 2019 or a range like 2019-2022, years 1900–2200; found "
          + "'0-9223372036854775807'"
      ),
      (
        "K18", goalSeek + ["incidence", "--seed", "-1"], 64,
        "Error: The value '-1' is invalid for '--seed <seed>': expected a whole number 0…18446744073709551615; "
          + "found '-1'"
      ),
      (
        "K22", goalSeek + ["transfer_percent", "--tolerance", "1e-300"], 64,
        "Error: --tolerance: expected at least a millionth of a millionth of the range searched (1e-10 for [0, 100]); "
          + "found 1e-300"
      ),
    ]
  }()

  /// The messages of docs/BAD_INPUTS.md's K table, exactly: change one and the table together.
  @Test func theDocumentedMessagesAreExact() throws {
    for case let (id, arguments, status, message) in Self.documented {
      let out = HNBCommand.freshDirectory()
      let r = try HNBCommand.run(arguments + (arguments[0] == "bench" ? [] : ["--out", out]))
      #expect(r.status == status, "\(id): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").first.map(String.init) == message, "\(id)")
      #expect(!FileManager.default.fileExists(atPath: out), "\(id)")
    }
  }

  /// Class K (counts): a count with extra zeros, or past `Int.max`, is refused at once (no
  /// allocation, no trap) with the memory it would need.
  @Test(arguments: [
    ["goalseek", tiny, "--target", "P(\(target)) >= 0.5", "--vary", "incidence", "--draws", "1000000000000"],
    ["goalseek", tiny, "--target", "P(\(target)) >= 0.5", "--vary", "incidence", "--draws", "9223372036854775808"],
    ["sensitivity", sweep, "--method", "sobol", "--samples", "1000000000000"],
    ["sensitivity", sweep, "--method", "sobol", "--bootstrap", "9223372036854775807"],
    ["backtest", "--transitions", transitions, "--fit-through", "2023", "--draws", "1000000000000"],
    ["bench", "--draws", "1000000000000"],
  ])
  func aHugeCountIsRefusedQuicklyWithItsMemory(_ arguments: [String]) throws {
    let out = HNBCommand.freshDirectory()
    let start = Date()
    let r = try HNBCommand.run(arguments + (arguments[0] == "bench" ? [] : ["--out", out]))
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("expected a whole number of"), "\(r.stderr)")
    #expect(r.stderr.contains("of memory"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// Class K (negative numbers): `--min -0.2` is read as a number, not as an option, and a
  /// goal seek inside the variable's range runs.
  @Test func aNegativeNumberFollowsItsOptionAfterASpace() throws {
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let r = try HNBCommand.run([
      "goalseek", Self.tiny, "--target", Self.target, "--vary", "hnb_growth", "--min", "-0.2", "--max", "0.5",
      "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let settings = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(settings.contains("-0.2"))
  }

  /// Class K (calibration arithmetic): a history cell of 1e300 plans is refused at its file,
  /// line and column (65); a history whose projection overflows (a level at 1 plan in 1900 and
  /// ten million in 1901, then silent until 2200) is refused naming the level, the method and
  /// the year rather than written as infinity, by `fit` and by `backtest` (65); nothing is written.
  @Test func anImplausibleHistoryIsRefused() throws {
    let dir = HNBCommand.freshDirectory()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "year,plans\n2018,100\n2019,1e300\n2020,120\n".write(
      toFile: dir + "/huge.csv", atomically: true, encoding: .utf8)
    let totals = (1900...2200).map { "\($0),total,100\n" }.joined()
    let jump = "year,placement,plans\n" + totals + "1900,mainstream,1\n1901,mainstream,10000000\n"
    try jump.write(toFile: dir + "/jump.csv", atomically: true, encoding: .utf8)
    try (jump + "2200,mainstream,5\n").write(toFile: dir + "/jump2200.csv", atomically: true, encoding: .utf8)
    let huge = try HNBCommand.run(["fit", "--history", dir + "/huge.csv", "--out", dir + "/out"])
    #expect(huge.status == 65)
    #expect(huge.stderr == "error: \(dir)/huge.csv:3:2: plans: expected a count of plans 0–10000000; found 1e300\n")
    let fit = try HNBCommand.run(["fit", "--history", dir + "/jump.csv", "--horizon", "1", "--out", dir + "/out"])
    #expect(fit.status == 65)
    #expect(
      fit.stderr.hasSuffix(
        "error: \(dir)/jump.csv: placement:mainstream: expected a history whose top-down forecasts are finite numbers "
          + "(the history changes too fast to be projected this far: check its values, or shorten --horizon); "
          + "found an infinite p90 for 2201\n"), "\(fit.stderr.suffix(300))")
    let backtest = try HNBCommand.run([
      "backtest", "--history", dir + "/jump2200.csv", "--fit-through", "2199", "--horizon", "1", "--out",
      dir + "/out",
    ])
    #expect(backtest.status == 65)
    #expect(
      backtest.stderr.contains(
        "\(dir)/jump2200.csv: placement:mainstream: expected a history whose trend (origin 2199) forecasts are finite"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
  }
}
