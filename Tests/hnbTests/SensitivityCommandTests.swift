import Foundation
import Testing

/// `hnb sensitivity` end to end on the Sutton sweep baseline.
@Suite struct SensitivityCommandTests {
  static let scenario = "Scenarios/sutton/sweep/baseline.yaml"

  @Test func tornadoBarsAreSortedAndBracketTheCentralRun() throws {
    let out = HNBCommand.freshDirectory()
    let r = try HNBCommand.run([
      "sensitivity", Self.scenario, "--method", "tornado", "--output", "cumulative_balance", "--year", "2030-31",
      "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try HNBCommand.readCSV(out + "/tornado.csv")
    #expect(rows.count == 5)
    let swings = rows.compactMap { Double($0["swing"] ?? "") }
    #expect(swings == swings.sorted(by: >))
    for row in rows {
      let values = ["output_at_low", "output_at_high", "output_central"].compactMap { Double(row[$0] ?? "") }
      #expect(values.count == 3 && min(values[0], values[1]) <= values[2] && values[2] <= max(values[0], values[1]))
    }
    #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
  }

  @Test func sobolWritesIndicesWithIntervals() throws {
    let out = HNBCommand.freshDirectory()
    let r = try HNBCommand.run([
      "sensitivity", Self.scenario, "--method", "sobol", "--samples", "16", "--bootstrap", "50", "--year", "2027-28",
      "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try HNBCommand.readCSV(out + "/sobol.csv")
    // The five scalar inputs, then the Dirichlet rows and mixes as one grouped factor each.
    #expect(rows.count == 7)
    #expect(rows.suffix(2).map { $0["input"] ?? "" } == ["transition_rows", "new_plan_mix"])
    #expect(rows.suffix(2).map { $0["target"] ?? "" } == ["dirichlet", "dirichlet"])
    for row in rows {
      let (t, lo, hi) = (
        Double(row["total_order"] ?? "") ?? .nan, Double(row["total_order_low"] ?? "") ?? .nan,
        Double(row["total_order_high"] ?? "") ?? .nan
      )
      #expect(t >= 0 && lo <= hi)
    }
    let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
    #expect(manifest.contains("\"runs\" : 144"))
  }

  @Test func unknownOutputIsAnInputError() throws {
    let r = try HNBCommand.run([
      "sensitivity", Self.scenario, "--method", "tornado", "--output", "nonsense", "--out", HNBCommand.freshDirectory(),
    ])
    #expect(r.status == 65)
  }
}
