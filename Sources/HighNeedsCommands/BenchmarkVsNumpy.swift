import Foundation
import HighNeeds

#if canImport(Glibc)
  import Glibc
#endif

/// `hnb bench --vs-numpy`: `hnb sweep` and the vectorised numpy reference
/// (`scripts/bench/numpy_reference.py`) run side by side, each as a whole process, alternately.
///
/// The reference reads the scenario's resolved inputs from a JSON file written here
/// (`modelInputs`), with the figures of hnb's deterministic run of the same scenario, which it
/// first reproduces from the centre of every input (its self-check, to a relative 1e-9).
extension Benchmark {
  /// `hnb bench`: the in-process benchmark (`run(scenario:draws:seed:)`) and, with `vsNumpy`,
  /// the side-by-side rounds after it (`versusNumpy`, run first while this process is small: a
  /// child's peak RSS counts its parent's); returns the lines printed.
  package static func run(scenario: String, draws: Int, seed: UInt64, vsNumpy: Bool) throws -> [String] {
    let side = vsNumpy ? try versusNumpy(scenario: scenario, draws: draws, seed: seed) : []
    return try run(scenario: scenario, draws: draws, seed: seed) + side
  }

  /// Runs after the in-process benchmark: rounds of `hnb sweep` then the reference, each timed
  /// as a whole process (wall, CPU, peak RSS from `wait4`); returns the lines printed.
  ///
  /// `python` (environment `HNB_BENCH_PYTHON`, default `.build/bench-venv/bin/python3`, the
  /// virtual environment `make bench-numpy` makes) runs `script` (`HNB_BENCH_NUMPY_SCRIPT`,
  /// default `scripts/bench/numpy_reference.py`).
  package static func versusNumpy(scenario path: String, draws: Int, seed: UInt64, rounds: Int = 3) throws -> [String] {
    let environment = ProcessInfo.processInfo.environment
    let python = environment["HNB_BENCH_PYTHON"] ?? ".build/bench-venv/bin/python3"
    let script = environment["HNB_BENCH_NUMPY_SCRIPT"] ?? "scripts/bench/numpy_reference.py"
    for (file, what) in [(python, "the Python of the numpy reference"), (script, "the numpy reference")]
    where !FileManager.default.fileExists(atPath: file) {
      throw InputError(
        SourceLocation(file: file), key: "--vs-numpy", expected: "\(what) (run `make bench-numpy`, which installs it)",
        found: "no such file")
    }
    let s = try ScenarioLoader.load(path: path)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = directory.appendingPathComponent("inputs.json").path
    let json = try JSONSerialization.data(withJSONObject: try modelInputs(s), options: [.sortedKeys])
    try json.write(to: URL(fileURLWithPath: inputs))
    let hnb = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let reference = [python, script, "--inputs", inputs, "--draws", String(draws), "--seed", String(seed)]

    // A child's peak RSS (`wait4`) is at least this process's at the time it was started: the
    // kernel counts the parent's memory at `exec` after `vfork`.
    var lines = [
      "",
      "side by side, whole processes, \(rounds) alternating rounds of \(draws) draws (peak RSS at least "
        + "\(NumberFormat.fixed(peakMemoryMB(), 0)) MB, this process's own):",
    ]
    let check = try spawn(
      reference + ["--check", "--draws", "100"], output: directory.appendingPathComponent("check").path)
    // Exit 2: the reference refuses a feature of the scenario it does not model, before any work.
    if check.status == 2, let refusal = check.lines.first(where: { $0.hasPrefix("numpy_reference: ") }) {
      throw InputError(
        SourceLocation(file: path), key: "--vs-numpy", expected: "a scenario the numpy reference models",
        found: String(refusal.dropFirst("numpy_reference: ".count)))
    }
    guard check.status == 0 else {
      throw IntegrityError(failures: ["the numpy reference's check failed (exit \(check.status)):"] + check.lines)
    }
    lines += check.lines.filter { $0.hasPrefix("check") }.map { "numpy reference " + $0 }
    var ours: [ProcessFigures] = []
    var theirs: [ProcessFigures] = []
    var referenceLines: [String] = []
    for round in 1...rounds {
      let out = directory.appendingPathComponent("sweep-\(round)").path
      let sweep = try spawn(
        [hnb, "sweep", path, "--draws", String(draws), "--seed", String(seed), "--out", out],
        output: directory.appendingPathComponent("sweep-\(round).txt").path)
      let numpy = try spawn(reference, output: directory.appendingPathComponent("numpy-\(round).txt").path)
      for (name, figures) in [("hnb sweep", sweep), ("numpy reference", numpy)] where figures.status != 0 {
        throw IntegrityError(failures: ["\(name) failed (exit \(figures.status)):"] + figures.lines)
      }
      ours.append(sweep)
      theirs.append(numpy)
      referenceLines = numpy.lines
      func f(_ x: Double, _ places: Int) -> String { NumberFormat.fixed(x, places) }
      lines.append(
        "round \(round)              hnb sweep \(f(sweep.wall, 2)) s (CPU \(f(sweep.cpu, 2)) s, \(f(sweep.peakMB, 0)) MB); "
          + "numpy \(f(numpy.wall, 2)) s (CPU \(f(numpy.cpu, 2)) s, \(f(numpy.peakMB, 0)) MB)")
    }
    lines += referenceLines.map { "numpy reference: " + $0 }
    lines += sweepClosing(directory.appendingPathComponent("sweep-1/percentiles.csv").path)
    let best = (ours.map(\.wall).min() ?? 0, theirs.map(\.wall).min() ?? 0)
    let medians = (median(ours.map(\.wall)), median(theirs.map(\.wall)))
    func f(_ x: Double, _ places: Int) -> String { NumberFormat.fixed(x, places) }
    lines.append(
      "hnb sweep against numpy  best \(f(best.0, 2)) s against \(f(best.1, 2)) s: \(f(best.1 / best.0, 1))× faster "
        + "(medians \(f(medians.0, 2)) s, \(f(medians.1, 2)) s: \(f(medians.1 / medians.0, 1))×); "
        + "peak RSS \(f(ours.map(\.peakMB).max() ?? 0, 0)) MB against \(f(theirs.map(\.peakMB).max() ?? 0, 0)) MB")
    return lines
  }

  /// One child process's exit status, wall and CPU time, peak resident set and output lines.
  struct ProcessFigures {
    var status: Int32
    var wall: Double
    var cpu: Double
    var peakMB: Double
    var lines: [String]
  }

  /// Runs `arguments` (the first is the executable) with its standard output and error in the
  /// file `output`, waits for it and measures it (`wait4`: this child's own usage alone).
  static func spawn(_ arguments: [String], output: String) throws -> ProcessFigures {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let start = Date()
    let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
    guard spawned == 0 else {
      throw InputError(
        SourceLocation(file: arguments[0]), expected: "a program to run", found: String(cString: strerror(spawned)))
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = Date().timeIntervalSince(start)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    let exited = status & 0x7f == 0
    return ProcessFigures(
      status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), wall: wall,
      cpu: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakMB: Double(usage.ru_maxrss) / 1024,
      lines: text.split(separator: "\n").map(String.init))
  }

  /// The line beside the reference's: the closing balance of the sweep's last year (mean, sd,
  /// p10, p50, p90) from its `percentiles.csv` (columns metric, scenario, year, mean, sd, p5, p10,
  /// p25, p50, p75, p90, p95); none if the file is not as expected.
  static func sweepClosing(_ path: String) -> [String] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    guard let row = text.split(separator: "\n").last(where: { $0.hasPrefix("cumulative_balance,") }) else { return [] }
    let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard cells.count == 12 else { return [] }
    let m = cells[3...].map { (Double($0) ?? .nan) / 1e6 }
    func f(_ x: Double) -> String { NumberFormat.fixed(x, 2, negativeZero: .kept) }
    return [
      "hnb sweep:       closing balance \(cells[2].filter { $0.isNumber || $0 == "-" })  "
        + "p10 \(f(m[3]))m, p50 \(f(m[5]))m, p90 \(f(m[7]))m gbp (mean \(f(m[0]))m, sd \(f(m[1]))m)"
    ]
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }

  /// The scenario's resolved inputs as the numpy reference reads them (arrays in hnb's own
  /// layouts, `docs/MODEL.md`), and hnb's deterministic run of it for the reference's check.
  static func modelInputs(_ s: Scenario) throws -> [String: Any] {
    let settlement: Any =
      s.settlement.map { t -> [String: Any] in
        [
          "deficit_year": t.deficitYear, "figures": t.figures.map(\.deficitGBP), "write_off_share": t.writeOffShare,
          "grant_year": t.grantYear as Any? ?? NSNull(), "local_share_year": t.localShareYear as Any? ?? NSNull(),
          "override_last_year": t.overrideLastYear as Any? ?? NSNull(),
        ]
      } ?? NSNull()
    let run = try ScenarioRun.run(s)
    let spec = s.uncertainty
    // Every feature is passed, implemented by the reference or not: it refuses what it does not
    // model (exit 2), so the two never differ silently.
    let inputs: [[String: Any]] = spec.inputs.map { input in
      var entry: [String: Any] = ["id": input.id, "target": input.targetName, "per_year": input.perYear]
      switch input.target {
      case .topUpFactor(let placements), .topUpUpliftShock(let placements): entry["placements"] = placements
      case .incidenceFactor, .cessationFactor, .hnbGrowthShock, .scenarioNumber: break
      }
      switch input.distribution {
      case .normal(let mean, let sd): entry["distribution"] = ["type": "normal", "mean": mean, "sd": sd]
      case .lognormal(let median, let sdLog):
        entry["distribution"] = ["type": "lognormal", "median": median, "sd_log": sdLog]
      case .triangular(let a, let c, let b):
        entry["distribution"] = ["type": "triangular", "min": a, "mode": c, "max": b]
      case .uniform(let a, let b): entry["distribution"] = ["type": "uniform", "min": a, "max": b]
      case .beta(let alpha, let beta): entry["distribution"] = ["type": "beta", "alpha": alpha, "beta": beta]
      }
      return entry
    }
    let groups = PlacementGroup.allCases
    return [
      "ages": AgeAxis.count, "placements": s.placementCount, "needs": s.needCount, "horizon": s.horizonYears,
      "base_census_year": s.baseCensusYear, "mitigations": s.mitigations.map(\.id),
      "pipeline": s.pipeline == nil ? NSNull() : "modelled" as Any,
      "baseline_plans": s.baselinePlans, "population": s.population, "incidence_rate": s.incidenceRate,
      "new_plan_mix": s.newPlanMix.flatMap { $0 }, "cessation_rate": s.cessationRate,
      "transition": s.transition.flatMap { $0 }, "commissioned_places": s.commissionedPlaces,
      "overflow": s.overflow.map { $0 as Any? ?? NSNull() },
      "price_base_academic_year": s.priceBaseAcademicYear, "price_base_financial_year": s.priceBaseFinancialYear,
      "top_up": s.topUpInput, "place_funding_rate": s.placeFundingRate, "place_funding_uplift": s.placeFundingUplift,
      "cost_lines": s.costLines.map { ["placements": $0.placements, "uplift": $0.uplift] as [String: Any] },
      "central_lines": s.centralLines.map { ["gbp": $0.baseGBP, "uplift": $0.uplift] },
      "income": [
        "hnb_allocation": s.income.hnbAllocation, "deductions": s.income.deductions,
        "import_export_adjustment": s.income.importExportAdjustment, "schools_block": s.income.schoolsBlock,
        "schools_block_transfer_percent": s.income.schoolsBlockTransferPercent, "total_dsg": s.income.totalDSG,
        "other_income": s.income.otherLines.map(\.gbp),
      ],
      "opening_balance": s.openingBalance, "contributions": s.contributions, "settlement": settlement,
      "placement_group": s.taxonomy.placements.map { p in groups.firstIndex(of: p.group) ?? 0 },
      "group_count": groups.count,
      "uncertainty": [
        "inputs": inputs, "rank_correlation": spec.rankCorrelation,
        "transition_concentration": spec.transitionConcentration as Any? ?? NSNull(),
        "new_plan_mix_concentration": spec.newPlanMixConcentration as Any? ?? NSNull(),
      ],
      "check": [
        "total_plans": run.path.occupancy.map { $0.reduce(0, +) }, "expenditure": run.accounts.map(\.expenditure),
        "income": run.accounts.map(\.income), "closing": run.reserve.map(\.closing),
      ],
    ]
  }
}
