import Foundation
import Testing

/// Issue 13, class A (plausibility and impossible values), run through the built `hnb`.
///
/// Valid inputs that project more plans than residents, census years with no residents and a
/// mitigation starting before the base census are alerted (on standard error, by `validate`
/// and in the manifest); distributions that could draw an impossible value and counts or
/// amounts above their documented bounds are refused at load with the key, the bound and the
/// value. See docs/BAD_INPUTS.md, "A: plausibility and impossible values".
@Suite struct PlausibilityCommandTests {
  /// A copy of `Scenarios/sutton` with `edits` (file inside it → edit of its text); its path.
  static func sutton(_ edits: [String: (String) -> String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-plausible-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: HNBCommand.root.appendingPathComponent("Scenarios/sutton"), to: directory)
    for (file, edit) in edits {
      let path = directory.appendingPathComponent(file).path
      try edit(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
    }
    return directory.path
  }

  /// `text` with the last field of every data row replaced by `value`.
  static func everyValue(_ value: String) -> (String) -> String {
    { text in
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for i in 1..<lines.count where !lines[i].isEmpty {
        var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[fields.count - 1] = value
        lines[i] = fields.joined(separator: ",")
      }
      return lines.joined(separator: "\n")
    }
  }

  static func manifestAlerts(_ out: String) throws -> [String] {
    let data = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("manifest.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(json["alerts"] as? [String])
  }

  /// Incidence 1 at every age is valid input whose projection is alerted.
  ///
  /// Every resident gets a new plan every year, so its projection holds more plans than residents: alerted by `validate`, by `run` on
  /// standard error and in the manifest, naming the population key and file and the incidence
  /// file. A census year with no residents at any age is alerted too.
  @Test func plansAboveTheResidentsOfAnAgeAndEmptyCensusYearsAreAlerted() throws {
    let dir = try Self.sutton(["data/incidence.csv": Self.everyValue("1")])
    let alert =
      "alert: \(dir)/data/population.csv: caseload.population: projected plans exceed the residents of the age in "
      + "250 age × census year cell(s), first at age 1 in January 2026: 2603.58 plans against 2600.77 residents; "
      + "check caseload.incidence (\(dir)/data/incidence.csv, new plans per resident per year) and the population"
    let validate = try HNBCommand.run(["validate", dir + "/baseline.yaml", "--as-of", "2026-01-15"])
    #expect(validate.status == 0)
    #expect(validate.stderr == alert + "\n")
    let out = HNBCommand.freshDirectory()
    let run = try HNBCommand.run(["run", dir + "/baseline.yaml", "--out", out, "--as-of", "2026-01-15"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr == alert + "\n")
    #expect(try Self.manifestAlerts(out) == [alert])

    let empty = try Self.sutton([
      "data/population.csv": { text in
        text.split(separator: "\n").map {
          $0.hasPrefix("2027,") ? $0.split(separator: ",")[0...1].joined(separator: ",") + ",0" : String($0)
        }
        .joined(separator: "\n") + "\n"
      }
    ])
    let zero = try HNBCommand.run(["validate", empty + "/baseline.yaml", "--as-of", "2026-01-15"])
    #expect(zero.status == 0)
    #expect(
      zero.stderr
        == "alert: \(empty)/data/population.csv: caseload.population: every age has 0 residents in January 2027: no "
        + "new plan can arise then, whatever caseload.incidence (\(empty)/data/incidence.csv) says; is a year's "
        + "population missing?\n"
        + "alert: \(empty)/data/population.csv: caseload.population: projected plans exceed the residents of the age "
        + "in 25 age × census year cell(s), first at age 1 in January 2027: 0.79 plans against 0.00 residents; check "
        + "caseload.incidence (\(empty)/data/incidence.csv, new plans per resident per year) and the population\n")
  }

  /// A mitigation starting before the base census is alerted with its file, line, column and
  /// key (it is valid: a lever already under way may be modelled on pre-lever rates).
  @Test func aMitigationStartingBeforeTheBaseCensusIsAlerted() throws {
    let dir = try Self.sutton([
      "local_specialist.yaml": { $0.replacingOccurrences(of: "start: \"2027/28\"", with: "start: \"1900/01\"") }
    ])
    let result = try HNBCommand.run(["validate", dir + "/local_specialist.yaml", "--as-of", "2026-01-15"])
    #expect(result.status == 0)
    #expect(
      result.stderr
        == "alert: \(dir)/local_specialist.yaml:18:12: mitigations.new_special_places.start: starts in 1900/01, "
        + "before the base census (January 2025, in 2024/25): it acts from the first projected year at full "
        + "strength, and what it did before the census is already in the base data; check the year\n")
  }

  /// A shock distribution whose support reaches -1 (a year's income or price factor 1 + δ at
  /// or below 0) is refused when the scenario is loaded, by `validate` and by `sweep`.
  @Test func aShockThatCouldMakeIncomeNegativeIsRefused() throws {
    let dir = try Self.sutton([
      "sweep/uncertainty.yaml": { $0.replacingOccurrences(of: "sd: 0.015}", with: "sd: 0.2}") }
    ])
    let message =
      "error: \(dir)/sweep/uncertainty.yaml:32:21: uncertainty.inputs.hnb_growth.distribution: expected a "
      + "distribution of shocks above -1 (a shock of -1 or less makes the HNB allocation zero or negative); found "
      + "normal(mean 0, sd 0.2), reaching -1.407\n"
    let validate = try HNBCommand.run(["validate", dir + "/sweep/baseline.yaml", "--as-of", "2026-01-15"])
    #expect(validate.status == 65)
    #expect(validate.stderr == message)
    let out = HNBCommand.freshDirectory()
    let sweep = try HNBCommand.run([
      "sweep", dir + "/sweep/baseline.yaml", "--draws", "10", "--out", out, "--as-of", "2026-01-15",
    ])
    #expect(sweep.status == 65)
    #expect(sweep.stderr == message)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// Every count and amount has a documented upper bound, checked at load: a value above it is
  /// refused by `validate` (exit 65) naming the file, line, column, key, bound and value (a
  /// top-up above its cap no longer reads "expected a non-negative amount"); values at the
  /// bounds run and pass the integrity checks (no "integrity check failed" for a large input).
  @Test func valuesAboveTheirBoundsAreRefusedAndValuesAtThemRun() throws {
    let cases: [(file: String, edit: (String) -> String, message: String)] = [
      (
        "data/top_ups.csv", { $0.replacingOccurrences(of: "mainstream,all,10422", with: "mainstream,all,200000000") },
        "data/top_ups.csv:3:3: gbp_per_plan: expected at most 10000000 (gbp per plan per year; see docs/SCENARIO.md, "
          + "Bounds); found 200000000"
      ),
      (
        "data/population.csv", { $0.replacingOccurrences(of: "2026,2,2737.65", with: "2026,2,900000000") },
        "data/population.csv:4:3: population: expected at most 10000000 (residents of one age; see "
          + "docs/SCENARIO.md, Bounds); found 900000000"
      ),
      (
        "data/baseline_caseload_2025.csv",
        { $0.replacingOccurrences(of: "0,early_years,HI,0.025613", with: "0,early_years,HI,2000000") },
        "data/baseline_caseload_2025.csv:3:4: plans: expected at most 1000000 (plans in one age × placement × need "
          + "cell; see docs/SCENARIO.md, Bounds); found 2000000"
      ),
      (
        "baseline.yaml", { $0.replacingOccurrences(of: "value: 68_899_940", with: "value: 200_000_000_000") },
        "baseline.yaml:192:12: income.hnb_allocation_gbp: expected a non-negative amount of at most 100000000000 "
          + "gbp; found 200_000_000_000"
      ),
      (
        "baseline.yaml",
        {
          $0.replacingOccurrences(
            of: "price_base_academic_year: \"2024/25\"", with: "price_base_academic_year: \"1025/26\"")
        },
        "baseline.yaml:71:29: costs.price_base_academic_year: expected an academic year within 50 years of the base "
          + "census's (1974/75–2074/75); found '1025/26'"
      ),
    ]
    for c in cases {
      let dir = try Self.sutton([c.file: c.edit])
      let result = try HNBCommand.run(["validate", dir + "/baseline.yaml", "--as-of", "2026-01-15"])
      #expect(result.status == 65, "\(c.file)")
      #expect(result.stderr == "error: \(dir)/\(c.message)\n")
    }

    // At the bounds: every top-up and every population just under them, an allocation near
    // £100bn, incidence 1: huge numbers, but they reconcile.
    let dir = try Self.sutton([
      "data/top_ups.csv": Self.everyValue("9999999"),
      "data/population.csv": Self.everyValue("9999999"),
      "data/incidence.csv": Self.everyValue("1"),
      "baseline.yaml": { $0.replacingOccurrences(of: "value: 68_899_940", with: "value: 99_000_000_000") },
    ])
    let out = HNBCommand.freshDirectory()
    let run = try HNBCommand.run(["run", dir + "/baseline.yaml", "--out", out, "--as-of", "2026-01-15"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!run.stderr.contains("integrity"))
  }
}
