import Foundation
import Testing

/// The data vintage in every manifest, the data-sunset alert measured from `--as-of`, and the
/// values `hnb validate` lists as having no stated source.
@Suite struct DataVintageCommandTests {
  static func manifest(_ directory: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("manifest.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func vintage(_ manifest: [String: Any], _ name: String = "sutton-baseline") throws -> [String: Any] {
    let all = try #require(manifest["data_vintage"] as? [String: Any])
    return try #require(all[name] as? [String: Any])
  }

  @Test func aRunRecordsItsAsOfDateAndDataVintage() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["run", "Scenarios/sutton/baseline.yaml", "--out", out, "--as-of", "2026-12-31"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("data sunset"))
    let manifest = try Self.manifest(out)
    #expect(manifest["as_of"] as? String == "2026-12-31")
    let vintage = try Self.vintage(manifest)
    #expect(vintage["newest_census"] as? String == "January 2025")
    #expect(vintage["newest_census_year"] as? Int == 2025)
    #expect(vintage["census_age_years"] as? Int == 1)
    #expect(vintage["census_age_years_above"] as? Int == 1)
    #expect(vintage["data_sunset_alert"] as? Bool == false)
    #expect((manifest["alerts"] as? [String]) == [])
  }

  @Test func staleDataAlertsOnStandardErrorAndInTheManifest() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["run", "Scenarios/sutton/baseline.yaml", "--out", out, "--as-of", "2027-01-01"])
    #expect(result.status == 0, "\(result.stderr)")
    let alert =
      "alert: Scenarios/sutton/baseline.yaml: time.base_census_year: data sunset: the newest census in the inputs is "
      + "January 2025, 2 years before the as-of date 2027-01-01 (more than alerts.census_age_years_above = 1); newer "
      + "SEN2 data has been published: refresh the inputs before relying on this forecast"
    #expect(result.stderr == alert + "\n")
    let manifest = try Self.manifest(out)
    #expect(manifest["alerts"] as? [String] == [alert])
    let scenarios = try #require(manifest["scenarios"] as? [[String: Any]])
    #expect(scenarios.first?["alerts"] as? [String] == [alert])
    #expect(try Self.vintage(manifest)["data_sunset_alert"] as? Bool == true)
  }

  @Test func theThresholdIsOverriddenInTheScenario() throws {
    let path = try BadInputCommandTests.brokenBaseline {
      $0.replacingOccurrences(
        of: "alerts:\n", with: "alerts:\n  census_age_years_above: {value: 3, source: \"test\"}\n")
    }
    let stale = try HNBCommand.run(["validate", path, "--as-of", "2029-01-01"])
    #expect(stale.status == 0)
    #expect(
      stale.stderr.contains("4 years before the as-of date 2029-01-01 (more than alerts.census_age_years_above = 3)"))
    let fresh = try HNBCommand.run(["validate", path, "--as-of", "2028-12-31"])
    #expect(fresh.status == 0)
    #expect(fresh.stderr.isEmpty, "\(fresh.stderr)")
  }

  @Test func aCensusAfterTheAsOfDateAlerts() throws {
    let result = try HNBCommand.run(["validate", "Scenarios/sutton/baseline.yaml", "--as-of", "2024-06-30"])
    #expect(result.status == 0)
    #expect(
      result.stderr.contains(
        "the newest census, January 2025, is after the as-of date 2024-06-30: check base_census_year and --as-of"))
  }

  @Test func aSweepManifestRecordsTheVintageAndAlerts() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "sweep", "Scenarios/sutton/sweep/baseline.yaml", "--draws", "2", "--seed", "1", "--out", out, "--as-of",
      "2030-03-01",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let manifest = try Self.manifest(out)
    #expect(manifest["as_of"] as? String == "2030-03-01")
    #expect(try Self.vintage(manifest)["census_age_years"] as? Int == 5)
    let alerts = try #require(manifest["alerts"] as? [String])
    #expect(alerts.count == 1)
    #expect(alerts.first?.contains("data sunset: the newest census in the inputs is January 2025, 5 years") == true)
  }

  @Test func validateListsTheValuesWithNoStatedSource() throws {
    let sourced = try HNBCommand.run(["validate", "Scenarios/sutton/baseline.yaml", "--as-of", "2026-01-15"])
    #expect(sourced.status == 0)
    #expect(sourced.stdout.contains("  no stated source: none (every value names its source)\n"))
    let path = try BadInputCommandTests.brokenBaseline {
      $0.replacingOccurrences(
        of:
          "  place_funding_uplift_fraction_per_year:\n    value: 0.0\n    source: \"high_needs_funding_parameters.csv: £10,000 / £6,000 unchanged since 2013\"\n",
        with: "  place_funding_uplift_fraction_per_year: 0.0\n"
      )
      .replacingOccurrences(
        of:
          "  top_ups:\n    file: data/top_ups.csv\n    source: \"Sutton s251 2021-22 budget per January 2021 plan, uplifted to 2024/25 prices; some assumed (README: Assumptions log, costs)\"\n",
        with: "  top_ups: data/top_ups.csv\n")
    }
    let bare = try HNBCommand.run(["validate", path, "--as-of", "2026-01-15"])
    #expect(bare.status == 0, "\(bare.stderr)")
    #expect(
      bare.stdout.hasSuffix(
        """
          no stated source (2):
            \(path):84:43: costs.place_funding_uplift_fraction_per_year = 0.0 (fraction per year)
            \(path):72:12: costs.top_ups = data/top_ups.csv (a CSV file: its 12 values)

        """), "\(bare.stdout)")
  }
}
