import Foundation
import HighNeeds
import Testing

/// End-to-end: `hnb init` writes a scenario folder for any English LA that `hnb validate` and
/// `hnb run` accept as it is.
@Suite(.serialized) struct InitCommandTests {
  static let packFolder = HNBCommand.root.appendingPathComponent("Data/national").path

  /// The files of a folder and its sub-folders, relative path → bytes.
  static func contents(_ folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
      var isDirectory: ObjCBool = false
      let path = folder + "/" + name
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
        continue
      }
      out[name] = try Data(contentsOf: URL(fileURLWithPath: path))
    }
    return out
  }

  /// The folder the issue asks for: `baseline.yaml`, `data/*.csv`, `README.md`,
  /// `assumptions.csv` and `sweep/`; the sweep copy runs in `hnb sweep` as it is, and the
  /// marker lists every file by its relative path.
  @Test func theFolderHasDataAndSweepSubFoldersAndTheSweepRuns() throws {
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try HNBCommand.run(["init", "--la", "Rutland", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try Self.contents(out)
    let census = try NationalPack.load(folder: Self.packFolder).latestCensusYear
    #expect(
      files.keys.sorted() == [
        OutputDirectory.markerName, "README.md", "assumptions.csv", "baseline.yaml",
        "data/baseline_caseload_\(census).csv",
        "data/cessation.csv", "data/incidence.csv", "data/new_plan_mix.csv", "data/pipeline/conversions.csv",
        "data/pipeline/refusals.csv", "data/pipeline/requests.csv", "data/places.csv", "data/population.csv",
        "data/top_ups.csv", "data/transitions.csv", "pipeline.yaml", "settlement.yaml", "sweep/baseline.yaml",
        "sweep/uncertainty.yaml",
      ])
    // The pipeline scenario starts the baseline's new plans: the same projection, no alert.
    let runOut = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: runOut) }
    let both = try HNBCommand.run([
      "run", out + "/baseline.yaml", out + "/pipeline.yaml", "--out", runOut, "--as-of", "2026-01-15",
    ])
    #expect(both.status == 0, "\(both.stderr)")
    #expect(!both.stderr.contains("not used"), "\(both.stderr)")
    let summary = try HNBCommand.readCSV(runOut + "/summary.csv")
    let balance = { (name: String) in
      Double(summary.first { $0["scenario"] == name }?["final_cumulative_balance_gbp"] ?? "") ?? .nan
    }
    #expect(abs(balance("rutland-baseline") - balance("rutland-pipeline")) < 100)
    // The settlement writes off 90% of the deficit at 31 March 2026 (here the run's own 2025-26
    // in-year deficit, the opening balance being 0): the later balance is better by that much.
    let settled = try HNBCommand.run([
      "run", out + "/settlement.yaml", "--out", runOut + "-settled", "--as-of", "2026-01-15",
    ])
    defer { try? FileManager.default.removeItem(atPath: runOut + "-settled") }
    #expect(settled.status == 0, "\(settled.stderr)")
    let dsg = try HNBCommand.readCSV(runOut + "/dsg.csv").filter { $0["scenario"] == "rutland-baseline" }
    let deficit2026 = -(Double(dsg.first { $0["financial_year"] == "2025-26" }?["closing_gbp"] ?? "") ?? .nan)
    let settledSummary = try HNBCommand.readCSV(runOut + "-settled/summary.csv")
    let settledBalance = Double(settledSummary.first?["final_cumulative_balance_gbp"] ?? "") ?? .nan
    #expect(deficit2026 > 0)
    #expect(
      abs(settledBalance - balance("rutland-baseline") - 0.9 * deficit2026) < 1, "\(settledBalance) \(deficit2026)")
    let pipeline = try HNBCommand.readCSV(runOut + "/pipeline.csv")
    #expect(pipeline.contains { $0["scenario"] == "rutland-pipeline" && (Double($0["requests"] ?? "") ?? 0) > 0 })
    let marker = String(decoding: files[OutputDirectory.markerName] ?? Data(), as: UTF8.self)
    #expect(marker.contains("  data/top_ups.csv\n") && marker.contains("  sweep/uncertainty.yaml\n"))
    let sweepOut = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: sweepOut) }
    let sweep = try HNBCommand.run([
      "sweep", out + "/sweep/baseline.yaml", "--draws", "20", "--seed", "1", "--out", sweepOut, "--as-of", "2026-01-15",
    ])
    #expect(sweep.status == 0, "\(sweep.stderr)")
    #expect(FileManager.default.fileExists(atPath: sweepOut + "/percentiles.csv"))
    // An officer's file added under data/ stops the next init from replacing the folder.
    try Data("mine\n".utf8).write(to: URL(fileURLWithPath: out + "/data/local_places.csv"))
    let again = try HNBCommand.run(["init", "--la", "Rutland", "--out", out])
    #expect(again.status == 73, "\(again.stderr)")
    #expect(again.stderr.contains("'data/local_places.csv'"), "\(again.stderr)")
  }

  @Test func aCodeAndANameGiveByteIdenticalFoldersAndASecondInitTheSameBytes() throws {
    let byCode = HNBCommand.freshDirectory()
    let byName = HNBCommand.freshDirectory()
    let first = try HNBCommand.run(["init", "--la", "887", "--out", byCode])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Medway (887, E06000035)"))
    let second = try HNBCommand.run(["init", "--la", "medway", "--out", byName])
    #expect(second.status == 0, "\(second.stderr)")
    let a = try Self.contents(byCode)
    #expect(a.keys.sorted().contains("baseline.yaml"))
    #expect(a == (try Self.contents(byName)))
    // Again into the same folder (an earlier hnb output): the same bytes.
    let again = try HNBCommand.run(["init", "--la", "E06000035", "--out", byCode])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(a == (try Self.contents(byCode)))
    // It validates as it is, and lists the balance the officer must enter.
    let validate = try HNBCommand.run(["validate", byCode + "/baseline.yaml", "--as-of", "2026-01-15"])
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stdout.contains("no stated source (1):"))
    #expect(validate.stdout.contains("reserve.opening_balance_gbp = 0 (gbp)"))
  }

  @Test func anUnknownOrAmbiguousLAListsTheNearestAndWritesNothing() throws {
    for (query, expected) in [
      ("Medwy", "nearest: Medway (887, E06000035)"), ("Sussex", "East Sussex (845"), ("909", "Cumberland 942"),
    ] {
      let out = HNBCommand.freshDirectory()
      let result = try HNBCommand.run(["init", "--la", query, "--out", out])
      #expect(result.status == 64, "\(query): \(result.stderr)")
      #expect(result.stderr.contains(expected), "\(query): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func aFolderAnOfficerEditedIsNotReplaced() throws {
    let out = HNBCommand.freshDirectory()
    #expect(try HNBCommand.run(["init", "--la", "Sutton", "--out", out]).status == 0)
    let edited = out + "/data/top_ups.csv"
    try "name: mine\n".write(toFile: edited, atomically: true, encoding: .utf8)
    let again = try HNBCommand.run(["init", "--la", "Sutton", "--out", out])
    #expect(again.status == 73, "\(again.stderr)")
    #expect(try String(contentsOfFile: edited, encoding: .utf8) == "name: mine\n")
  }

  /// LAs every run checks end to end: the smallest and largest, those with tables withheld
  /// or missing (City of London and the Isles of Scilly: no ESFA allocation or s251; Cambridgeshire
  /// and North East Lincolnshire: January 2025 placements withheld; Surrey: needs withheld;
  /// Hackney and Peterborough: January 2024 detail withheld; Cumberland and Westmorland and
  /// Furness: no s251 of their own; Swindon: a negative s251 line; BCP and the
  /// Northamptonshires: reorganised), Medway and Sutton, and one LA of each other region.
  static let sample = [
    "201", "420", "873", "812", "936", "204", "874", "942", "943", "866", "839", "940", "941", "887", "319", "850",
    "330", "390", "370", "830", "926", "802", "888",
  ]

  /// Every LA's `hnb init` folder runs, and its base census is the published January total.
  ///
  /// The folders are those `hnb init` writes for every current LA of the pack (or, unless
  /// `HNB_INIT_ALL=1`, for `sample`; the builder itself is checked for every LA in
  /// `ScenarioInitTests`), built by the same library call and written by the same
  /// `OutputDirectory.write`, and run in one `hnb run`. All 153 take 5-9 minutes in a debug build on a shared
  /// machine, the sample about 40 seconds; `make init-all` (in `make test`) runs all 153 through the
  /// release `hnb init` and `hnb run` (scripts/init/check_all.py).
  @Test func everyLAInThePackInitsAndRuns() throws {
    let pack = try NationalPack.load(folder: Self.packFolder)
    let root = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    var baselines: [String] = []
    var totals: [String: Double] = [:]
    var trendHeld: [String: Bool] = [:]
    let census = pack.latestCensusYear
    let all = ProcessInfo.processInfo.environment["HNB_INIT_ALL"] == "1"
    #expect(pack.currentAuthorities.count == 153)
    for la in pack.currentAuthorities where all || Self.sample.contains(la.code) {
      let scenario = try ScenarioInit.build(la: la, pack: pack)
      let folder = root + "/" + la.code
      try OutputDirectory.write(scenario.files, to: folder)
      baselines.append(folder + "/baseline.yaml")
      totals[scenario.name] = try #require(pack.publishedPlacementTotals(la: la.code, year: census)["ehcplans"] ?? nil)
      let trend = try #require(scenario.log.first { $0.key == "caseload.incidence_trend_fraction_per_year" })
      trendHeld["\(la.code) \(scenario.name)"] = trend.status != .derived || trend.method.contains("held within")
    }
    #expect(baselines.count == (all ? 153 : Self.sample.count))
    let out = root + "/out"
    let run = try HNBCommand.run(["run"] + baselines + ["--out", out, "--as-of", "2026-01-15"])
    #expect(run.status == 0, "\(run.stderr.suffix(2000))")
    var base: [String: Double] = [:]
    for row in try HNBCommand.readCSV(out + "/ehcp.csv") where row["census_year"] == String(census) {
      base[row["scenario"] ?? "", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    #expect(base.count == baselines.count)
    for (name, total) in totals {
      #expect(abs((base[name] ?? -1) - total) < 1e-4, "\(name)")
    }
    // The model's total at 1-3 years is the pooled forecast of the LA's total (computed here
    // from the panel directly), except where init had to hold the trend in bounds.
    var model: [String: Double] = [:]
    for row in try HNBCommand.readCSV(out + "/ehcp.csv") {
      model["\(row["scenario"] ?? "") \(row["census_year"] ?? "")", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    let panel = try Panel.read(path: Self.packFolder + "/panel.csv")
    var compared = 0
    for (name, held) in trendHeld where !held {
      let code = String(name.split(separator: " ")[0])
      let slug = String(name.split(separator: " ")[1])
      let plans = try #require(panel.series.first { $0.code == code }).plans
      let years = (census - 1)...census
      let forecast = try PooledForecast.make(
        series: PlanSeries(level: "total", years: Array(years), plans: years.map { plans[$0] ?? .nan }), panel: panel,
        horizon: 3)
      for f in forecast.forecasts {
        let value = try #require(model["\(slug) \(f.year)"])
        #expect(abs(value - f.forecast) < 0.01, "\(slug) \(f.year): \(value) against \(f.forecast)")
        compared += 1
      }
    }
    #expect(compared >= 3 * (Self.sample.count - 2))
  }

  // MARK: Medway

  static let medway = HNBCommand.root.appendingPathComponent("Scenarios/medway").path

  /// `Scenarios/medway/generated/` is exactly what `hnb init --la medway` writes today (so the
  /// refined baseline extends the real generated base, and a change to init shows here).
  @Test func medwaysGeneratedFolderIsWhatInitWritesToday() throws {
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let result = try HNBCommand.run(["init", "--la", "medway", "--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let committed = try Self.contents(Self.medway + "/generated")
    let fresh = try Self.contents(out)
    #expect(committed.keys.sorted() == fresh.keys.sorted())
    for (name, data) in fresh where committed[name] != data {
      Issue.record("Scenarios/medway/generated/\(name) differs from what hnb init writes: regenerate it")
    }
  }

  /// Every Medway scenario validates and runs: the generated base and its sweep copy, the refined
  /// baseline, the sweep, and the retrospective, whose errors against the actual censuses and
  /// balances are the ones README.md states.
  @Test func everyMedwayScenarioValidatesAndRuns() throws {
    let m = Self.medway
    let scenarios = [
      m + "/generated/baseline.yaml", m + "/generated/sweep/baseline.yaml", m + "/baseline.yaml", m + "/sweep.yaml",
      m + "/retrospective/baseline_2019.yaml",
    ]
    let validate = try HNBCommand.run(["validate"] + scenarios + ["--as-of", "2026-01-15"])
    #expect(validate.status == 0, "\(validate.stderr)")
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = try HNBCommand.run([
      "run", m + "/generated/baseline.yaml", m + "/baseline.yaml", m + "/retrospective/baseline_2019.yaml", "--out",
      out + "/run", "--as-of", "2026-01-15",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    // The refinements move the balance, not the caseload.
    let kpis = try HNBCommand.readCSV(out + "/run/kpis.csv")
    func last(_ scenario: String, _ column: String) -> Double {
      Double(kpis.last { $0["scenario"] == scenario }?[column] ?? "") ?? .nan
    }
    #expect(last("medway-baseline", "total_plans") == last("medway-baseline-local", "total_plans"))
    #expect(
      last("medway-baseline-local", "cumulative_balance_gbp") < last("medway-baseline", "cumulative_balance_gbp") - 1e8)
    // The retrospective's errors (forecast - actual) as README.md states them.
    let outturn = try HNBCommand.readCSV(out + "/run/outturn.csv").filter {
      $0["scenario"] == "medway-retro-2019-baseline"
    }
    func error(_ year: String, _ measure: String) -> Double {
      Double(outturn.first { $0["year"] == year && $0["measure"] == measure }?["forecast_minus_actual"] ?? "") ?? .nan
    }
    #expect(outturn.count == 21)
    #expect(abs(error("2025", "total_plans") - -136) < 1)
    #expect(abs(error("2024", "total_plans") - -367) < 1)
    #expect(abs(error("2022", "dsg_closing_balance_gbp") - 29_588_971) < 10_000)
    let sweep = try HNBCommand.run([
      "sweep", m + "/sweep.yaml", "--draws", "20", "--seed", "1", "--out", out + "/sweep", "--as-of", "2026-01-15",
    ])
    #expect(sweep.status == 0, "\(sweep.stderr)")
  }

  /// `hnb sweep` on the generated folder gives a total's p10-p90 at 1-3 years within 5% of the
  /// pooled method's interval (docs/INIT.md, "Growth"): one draw scales every new plan.
  @Test func theGeneratedSweepGivesThePooledIntervalAtOneToThreeYears() throws {
    let out = HNBCommand.freshDirectory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let sweep = try HNBCommand.run([
      "sweep", Self.medway + "/generated/sweep/baseline.yaml", "--draws", "1000", "--seed", "7", "--out", out,
      "--as-of", "2026-01-15",
    ])
    #expect(sweep.status == 0, "\(sweep.stderr)")
    let panel = try Panel.read(path: Self.packFolder + "/panel.csv")
    let plans = try #require(panel.series.first { $0.code == "887" }).plans
    let census = try NationalPack.load(folder: Self.packFolder).latestCensusYear
    let forecast = try PooledForecast.make(
      series: PlanSeries(
        level: "total", years: [census - 1, census], plans: [plans[census - 1] ?? .nan, plans[census] ?? .nan]),
      panel: panel, horizon: 3)
    let rows = try HNBCommand.readCSV(out + "/percentiles.csv").filter { $0["metric"] == "total_plans" }
    #expect(forecast.forecasts.count == 3)
    for f in forecast.forecasts {
      // The academic year ending at the census.
      let row = try #require(rows.first { $0["year"] == String(format: "%d-%02d", f.year - 1, f.year % 100) })
      let (p10, p90) = (Double(row["p10"] ?? "") ?? .nan, Double(row["p90"] ?? "") ?? .nan)
      #expect(abs(p10 / (f.p10 ?? .nan) - 1) < 0.05, "\(f.year) p10 \(p10) against \(f.p10 ?? .nan)")
      #expect(abs(p90 / (f.p90 ?? .nan) - 1) < 0.05, "\(f.year) p90 \(p90) against \(f.p90 ?? .nan)")
    }
  }

  // MARK: bad input (docs/BAD_INPUTS.md, I cases)

  /// Each way `hnb init` is refused gives the documented message and exit code, and writes
  /// nothing: `{root}/out` does not appear, and a refused folder is left byte for byte.
  @Test func theICasesGiveTheirMessages() throws {
    let documented = try HNBCommand.documentedCases("I")
    let fm = FileManager.default
    let root = HNBCommand.freshDirectory()
    try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: root) }
    let pack = root + "/pack"
    try fm.copyItem(atPath: Self.packFolder, toPath: pack)
    var population = try String(contentsOfFile: pack + "/population.csv", encoding: .utf8).components(
      separatedBy: "\n")
    population[2] = population[2].replacingOccurrences(of: #",\d+,$"#, with: ",12x,", options: .regularExpression)
    try population.joined(separator: "\n").write(toFile: pack + "/population.csv", atomically: true, encoding: .utf8)
    try "x\n".write(toFile: root + "/file", atomically: true, encoding: .utf8)
    try fm.createDirectory(atPath: root + "/mine", withIntermediateDirectories: true)
    try "mine\n".write(toFile: root + "/mine/notes.txt", atomically: true, encoding: .utf8)
    #expect(try HNBCommand.run(["init", "--la", "887", "--out", root + "/done"]).status == 0)
    try "edited\n".write(toFile: root + "/done/data/top_ups.csv", atomically: true, encoding: .utf8)
    try "mine\n".write(toFile: root + "/done/data/local.csv", atomically: true, encoding: .utf8)
    let arguments: [String: [String]] = [
      "I01": ["--la", "Medwy", "--out", root + "/out"], "I02": ["--la", "Sussex", "--out", root + "/out"],
      "I03": ["--la", "909", "--out", root + "/out"], "I04": ["--la", " ", "--out", root + "/out"],
      "I05": ["--la", "887", "--out", root + "/file"], "I06": ["--la", "887", "--out", root + "/mine"],
      "I07": ["--la", "887", "--out", root + "/done"],
      "I08": ["--la", "887", "--pack", root + "/nopack", "--out", root + "/out"],
      "I09": ["--la", "887", "--pack", pack, "--out", root + "/out"],
    ]
    #expect(documented.keys.sorted() == arguments.keys.sorted())
    for (id, args) in arguments.sorted(by: { $0.key < $1.key }) {
      let before = try FolderSnapshot.take(root)
      let result = try HNBCommand.run(["init"] + args)
      let expected = documented[id]
      #expect(result.status == expected?.status, "\(id): \(result.stderr)")
      let message = expected?.message.replacingOccurrences(of: "{pack}", with: pack).replacingOccurrences(
        of: "{root}", with: root)
      #expect(result.stderr == (message ?? "") + "\n", "\(id)")
      #expect(try FolderSnapshot.take(root) == before, "\(id) wrote something")
    }
  }
}

/// Every file under a folder (relative path → bytes), for "nothing was written" checks.
private enum FolderSnapshot {
  static func take(_ folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
      out[name] = FileManager.default.contents(atPath: folder + "/" + name) ?? Data("<folder>".utf8)
    }
    return out
  }
}
