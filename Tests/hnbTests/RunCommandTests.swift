import Foundation
import Testing

/// End-to-end: run the built `hnb` on the Sutton scenarios and read what it wrote.
@Suite(.serialized) struct RunCommandTests {
  static let sutton = [
    "Scenarios/sutton/baseline.yaml", "Scenarios/sutton/mainstream_inclusion.yaml",
    "Scenarios/sutton/local_specialist.yaml", "Scenarios/sutton/pathways_16_25.yaml",
    "Scenarios/sutton/combined.yaml",
  ]

  @Test func suttonScenariosRunAndReconcileToThePound() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run(["run"] + Self.sutton + ["--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(
      files == [
        ".hnb-output.sha256", "assumptions.csv", "dsg.csv", "ehcp.csv", "finance.csv", "flows.csv", "kpis.csv",
        "lsrp.csv", "management_plan.csv", "manifest.json", "mitigations.csv", "outturn.csv", "pipeline.csv",
        "summary.csv",
      ])

    // The baseline starts from the January 2025 census: 2,582 plans.
    let ehcp = try HNBCommand.readCSV(out + "/ehcp.csv")
    let base2025 = ehcp.filter { $0["scenario"] == "sutton-baseline" && $0["census_year"] == "2025" }
    let total = base2025.reduce(0.0) { $0 + (Double($1["plans"] ?? "") ?? .nan) }
    #expect(abs(total - 2582) < 1e-3)

    // The corkscrew holds in the written file, to the pound, and the £10.6m deficit opens it.
    let dsg = try HNBCommand.readCSV(out + "/dsg.csv")
    #expect(dsg.count == 5 * 10)
    for scenario in Set(dsg.compactMap { $0["scenario"] }) {
      let rows = dsg.filter { $0["scenario"] == scenario }
      #expect(rows.first?["opening_gbp"] == "-10600000.00")
      var opening = -10_600_000.0
      for row in rows {
        let value = { (key: String) in Double(row[key] ?? "") ?? .nan }
        #expect(abs(value("opening_gbp") - opening) < 0.01)
        #expect(
          abs(
            value("opening_gbp") + value("income_gbp") - value("expenditure_gbp") + value("contributions_gbp")
              + value("stability_grant_gbp") + value("local_share_gbp") - value("closing_gbp")) < 1)
        opening = value("closing_gbp")
      }
    }

    // Every expenditure total is the sum of its lines, to the pound.
    let finance = try HNBCommand.readCSV(out + "/finance.csv")
    let groups = Dictionary(grouping: finance) { "\($0["scenario"] ?? "")|\($0["financial_year"] ?? "")" }
    for (_, rows) in groups {
      let amount = { (line: String) in
        rows.filter { $0["line"] == line }.reduce(0.0) { $0 + (Double($1["gbp"] ?? "") ?? .nan) }
      }
      let linePrefixes = ["top_up.", "place_funding.", "central.", "mitigation_cost."]
      let lines = rows.filter { row in linePrefixes.contains { (row["line"] ?? "").hasPrefix($0) } }
      let sum = lines.reduce(0.0) { $0 + (Double($1["gbp"] ?? "") ?? .nan) }
      #expect(abs(sum - amount("total_expenditure")) < 1)
    }

    // Savings by mitigation add up to the difference between unmitigated and mitigated runs.
    let mitigations = try HNBCommand.readCSV(out + "/mitigations.csv")
    let byYear = Dictionary(grouping: mitigations) { "\($0["scenario"] ?? "")|\($0["financial_year"] ?? "")" }
    #expect(!byYear.isEmpty)
    for (_, rows) in byYear {
      let parts = rows.filter { $0["mitigation"] != "all_mitigations" }.reduce(0.0) {
        $0 + (Double($1["savings_gbp"] ?? "") ?? .nan)
      }
      let total =
        rows.first { $0["mitigation"] == "all_mitigations" }.flatMap { Double($0["savings_gbp"] ?? "") } ?? .nan
      #expect(abs(parts - total) < 1)
    }

    // The LSRP tables 5.1, 6, 7 and 7.x each add up to the caseload of ehcp.csv at every census,
    // with mitigations (and without, for the base, which has none).
    var caseload: [String: Double] = [:]
    for row in ehcp {
      caseload["\(row["scenario"] ?? "")|\(row["census_year"] ?? "")", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    var tableTotals: [String: Double] = [:]
    let lsrp = try HNBCommand.readCSV(out + "/lsrp.csv")
    for row in lsrp {
      let scenario = row["scenario"] ?? ""
      guard row["case"] == "mitigated" || scenario == "sutton-baseline" else { continue }
      let table = String((row["table"] ?? "").split(separator: " ").first ?? "")
      tableTotals["\(scenario)|\(row["census_year"] ?? "")|\(table)", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    #expect(tableTotals.count == caseload.count * 4)
    for (key, total) in tableTotals.sorted(by: { $0.key < $1.key }) {
      let parts = key.split(separator: "|")
      let expected = caseload["\(parts[0])|\(parts[1])"] ?? .nan
      #expect(abs(total - expected) < 1e-3, "\(key): \(total) against ehcp.csv's \(expected)")
    }
    #expect(lsrp.contains { $0["scenario"] == "sutton-combined" && $0["case"] == "unmitigated" })

    let summary = try HNBCommand.readCSV(out + "/summary.csv")
    #expect(summary.first { $0["scenario"] == "sutton-baseline" }?["kind"] == "base (unmitigated)")
    #expect(summary.first { $0["scenario"] == "sutton-combined" }?["kind"] == "scenario (an assumption, not a target)")
  }

  @Test func sameInputsGiveByteIdenticalFilesWhateverTheThreadCount() throws {
    let scenarios = ["Scenarios/sutton/baseline.yaml", "Scenarios/sutton/local_specialist.yaml"]
    var outputs: [[String: Data]] = []
    for threads in ["1", "2", "2"] {
      let out = HNBCommand.freshDirectory()
      let result = try HNBCommand.run(
        ["run"] + scenarios + ["--out", out], environment: ["OPENBLAS_NUM_THREADS": threads])
      #expect(result.status == 0, "\(result.stderr)")
      var files: [String: Data] = [:]
      for name in try FileManager.default.contentsOfDirectory(atPath: out) {
        files[name] = FileManager.default.contents(atPath: out + "/" + name)
      }
      files["manifest.json"] = FileManager.default.contents(atPath: out + "/manifest.json")
      outputs.append(files)
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[1] == outputs[2])
  }

  @Test func retrospectiveShowsPlanAgainstOutturn() throws {
    let out = HNBCommand.freshDirectory()
    let scenarios = try FileManager.default.contentsOfDirectory(
      atPath: HNBCommand.root.path + "/Scenarios/sutton/retrospective"
    )
    .filter { $0.hasSuffix(".yaml") }.sorted().map { "Scenarios/sutton/retrospective/" + $0 }
    #expect(scenarios.count >= 2)
    let result = try HNBCommand.run(["run"] + scenarios + ["--out", out])
    #expect(result.status == 0, "\(result.stderr)")
    let outturn = try HNBCommand.readCSV(out + "/outturn.csv")
    let actual2025 = outturn.first { $0["year"] == "2025" && $0["measure"] == "total_plans" }
    #expect(actual2025?["actual"] == "2582.000000")
    let deficit2025 = outturn.first { $0["year"] == "2025" && $0["measure"] == "dsg_closing_balance_gbp" }
    #expect(deficit2025?["actual"] == "-10600000.00")
  }

  @Test func compareWritesBothRunsSideBySide() throws {
    let out = HNBCommand.freshDirectory()
    let result = try HNBCommand.run([
      "compare", "Scenarios/sutton/baseline.yaml", "Scenarios/sutton/local_specialist.yaml", "--out", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try HNBCommand.readCSV(out + "/compare_kpis.csv")
    let expenditure = rows.filter { $0["measure"] == "expenditure" }
    #expect(expenditure.count == 10)
    for row in expenditure {
      let a = Double(row["sutton-baseline"] ?? "") ?? .nan
      let b = Double(row["sutton-local-specialist"] ?? "") ?? .nan
      let d = Double(row["difference_b_minus_a"] ?? "") ?? .nan
      #expect(abs(b - a - d) < 0.011)
    }
  }
}
