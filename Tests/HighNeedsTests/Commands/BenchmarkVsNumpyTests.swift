import Foundation
import Testing
import TestSupport

@testable import HighNeeds
@testable import HighNeedsCore
@testable import HighNeedsCommands

/// What `hnb bench --vs-numpy` hands the numpy reference and reads back from the sweep.
@Suite struct BenchmarkVsNumpyTests {
  @Test func modelInputsAreTheScenarioInHnbLayouts() throws {
    let s = try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/baseline.yaml"))
    let inputs = try Benchmark.modelInputs(s)
    #expect(JSONSerialization.isValidJSONObject(inputs))
    let (A, P, N, H) = (AgeAxis.count, s.placementCount, s.needCount, s.horizonYears)
    #expect((inputs["baseline_plans"] as? [Double])?.count == A * N * P)
    #expect((inputs["new_plan_mix"] as? [Double])?.count == A * N * P)
    #expect((inputs["transition"] as? [Double])?.count == (A - 1) * P * P)
    #expect((inputs["population"] as? [[Double]])?.count == H)
    #expect((inputs["commissioned_places"] as? [[Double]])?.count == H + 1)
    let check = try #require(inputs["check"] as? [String: [Double]])
    let run = try ScenarioRun.run(s)
    #expect(check["total_plans"]?.count == H + 1)
    #expect(check["closing"] == run.reserve.map(\.closing))
    #expect(check["expenditure"] == run.accounts.map(\.expenditure))
    let uncertainty = try #require(inputs["uncertainty"] as? [String: Any])
    #expect((uncertainty["inputs"] as? [[String: Any]])?.count == s.uncertainty.inputs.count)
  }

  @Test func sweepClosingReadsTheLastYearsRow() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("percentiles-\(UUID()).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    try """
    metric,scenario,year,mean,sd,p5,p10,p25,p50,p75,p90,p95
    cumulative_balance,s,2025-26,-1,1,-2,-3,-4,-5,-6,-7,-8
    cumulative_balance,s,2034-35,-299677731.97,37335710.67,-362076470.52,-347200862.35,-324798560.90,-299819819.96,-273571525.60,-251279907.17,-238966631.80

    """.write(to: file, atomically: true, encoding: .utf8)
    #expect(
      Benchmark.sweepClosing(file.path) == [
        "hnb sweep:       closing balance 2034-35  p10 -347.20m, p50 -299.82m, p90 -251.28m gbp (mean -299.68m, sd 37.34m)"
      ])
    #expect(Benchmark.sweepClosing(file.path + ".missing") == [])
  }

  /// A Python with numpy for the reference: `HNB_BENCH_PYTHON`, else `python3` when it imports
  /// numpy; nil (the tests that run the reference are skipped, and say so) when there is none.
  static let python: String? = {
    let candidate = ProcessInfo.processInfo.environment["HNB_BENCH_PYTHON"] ?? "python3"
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("numpy-probe-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    guard let probe = try? Benchmark.spawn([candidate, "-c", "import numpy"], output: out), probe.status == 0 else {
      return nil
    }
    return candidate
  }()

  /// Runs the numpy reference with its check on `inputs` (20 draws after it); its exit status
  /// and output.
  static func reference(_ inputs: [String: Any]) throws -> Benchmark.ProcessFigures {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("numpy-reference-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("inputs.json")
    try JSONSerialization.data(withJSONObject: inputs, options: [.sortedKeys]).write(to: file)
    let python = try #require(Self.python)
    return try Benchmark.spawn(
      [
        python, Fixtures.repository("scripts/bench/numpy_reference.py"), "--inputs", file.path, "--check",
        "--draws", "20", "--chunk", "10",
      ], output: directory.appendingPathComponent("output.txt").path)
  }

  static func suttonSweep() throws -> Scenario {
    try ScenarioLoader.load(path: Fixtures.repository("Scenarios/sutton/sweep/baseline.yaml"))
  }

  /// The reference reproduces hnb's deterministic run of the sweep's scenario (the Sutton
  /// baseline, with its 2026 settlement) at the centre of every input, to 1e-9 relative.
  @Test(.enabled(if: python != nil, "needs a Python with numpy (HNB_BENCH_PYTHON or python3)"))
  func referenceReproducesTheSuttonSweepBaseline() throws {
    let s = try Self.suttonSweep()
    #expect(s.settlement != nil)
    let result = try Self.reference(try Benchmark.modelInputs(s))
    #expect(result.status == 0, "\(result.lines)")
    #expect(result.lines.contains { $0.hasPrefix("check                 passed") })
  }

  /// Settlements the Sutton baseline does not use: the lowest of the figures compared, a local
  /// share paid in, the opening balance's date, no grant; and other income lines.
  static let settlements: [Settlement?] = [
    Settlement(
      deficitYear: 1,
      figures: [.init(source: "s251", deficitGBP: 14e6), .init(source: "accounts", deficitGBP: 12.5e6)],
      grantYear: 2, localShareYear: 3, overrideLastYear: 2),
    Settlement(deficitYear: -1, grantYear: 0),
    Settlement(deficitYear: 0, writeOffShare: 0.8, grantYear: nil, localShareYear: 1),
    nil,
  ]

  @Test(
    .enabled(if: python != nil, "needs a Python with numpy (HNB_BENCH_PYTHON or python3)"),
    arguments: settlements)
  func referenceReproducesSettlementsAndOtherIncome(settlement: Settlement?) throws {
    var s = try Self.suttonSweep()
    s.settlement = settlement
    let H = s.horizonYears
    s.income.otherLines = [
      OtherIncomeLine(id: "imf", label: "Inclusive Mainstream Fund", gbp: (0..<H).map { 2e5 + 1e5 * Double($0) }),
      OtherIncomeLine(id: "eah", label: "Experts at Hand", gbp: Array(repeating: 3e5, count: H)),
    ]
    let inputs = try Benchmark.modelInputs(s)
    let result = try Self.reference(inputs)
    #expect(result.status == 0, "\(result.lines)")
    #expect(result.lines.contains { $0.hasPrefix("check                 passed") })
    // The check can fail: hnb's closing balance moved by a pound in the last year.
    var check = try #require(inputs["check"] as? [String: [Double]])
    check["closing"]?[H - 1] += 1
    var moved = inputs
    moved["check"] = check
    let failed = try Self.reference(moved)
    #expect(failed.status == 1)
    #expect(failed.lines.contains { $0.hasPrefix("check failed: closing[\(H - 1)]") }, "\(failed.lines)")
  }

  /// What the reference does not model, each refused before any work (exit 2) with a line that
  /// names it.
  static var unmodelled: [(String, (inout [String: Any]) -> Void)] {
    [
      ("mitigations (send_support)", { $0["mitigations"] = ["send_support"] }),
      ("an assessment pipeline", { $0["pipeline"] = "modelled" }),
      ("the inputs file has new_lever ", { $0["new_lever"] = 1 }),
      (
        "the inputs file has grant in income",
        { inputs in
          var income = inputs["income"] as? [String: Any] ?? [:]
          income["grant"] = [1.0]
          inputs["income"] = income
        }
      ),
      (
        "input incidence: target scenario_number",
        { inputs in
          var spec = inputs["uncertainty"] as? [String: Any] ?? [:]
          var list = spec["inputs"] as? [[String: Any]] ?? []
          list[0]["target"] = "scenario_number"
          spec["inputs"] = list
          inputs["uncertainty"] = spec
        }
      ),
      (
        "input cessation: distribution beta",
        { inputs in
          var spec = inputs["uncertainty"] as? [String: Any] ?? [:]
          var list = spec["inputs"] as? [[String: Any]] ?? []
          list[1]["distribution"] = ["type": "beta", "alpha": 2.0, "beta": 3.0]
          spec["inputs"] = list
          inputs["uncertainty"] = spec
        }
      ),
    ]
  }

  @Test(.enabled(if: python != nil, "needs a Python with numpy (HNB_BENCH_PYTHON or python3)"))
  func referenceRefusesWhatItDoesNotModel() throws {
    let inputs = try Benchmark.modelInputs(try Self.suttonSweep())
    for (message, change) in Self.unmodelled {
      var changed = inputs
      change(&changed)
      let result = try Self.reference(changed)
      #expect(result.status == 2, "\(message): \(result.lines)")
      #expect(
        result.lines == result.lines.filter { $0.hasPrefix("numpy_reference: not implemented here: ") }
          && result.lines.contains { $0.contains(message) }, "\(message): \(result.lines)")
    }
  }
}
