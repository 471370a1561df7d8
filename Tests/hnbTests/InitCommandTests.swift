import Foundation
import HighNeeds
import Testing

/// End-to-end: `hnb init` writes a scenario folder for any English LA that `hnb validate` and
/// `hnb run` accept as it is.
@Suite(.serialized) struct InitCommandTests {
  static let packFolder = HNBCommand.root.appendingPathComponent("Data/national").path

  /// The files of a folder, name → bytes.
  static func contents(_ folder: String) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      out[name] = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
    }
    return out
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
    for (query, expected) in [("Medwy", "nearest: Medway (887, E06000035)"), ("Sussex", "East Sussex (845"), ("909", "Cumberland 942")] {
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
    let edited = out + "/baseline.yaml"
    try "name: mine\n".write(toFile: edited, atomically: true, encoding: .utf8)
    let again = try HNBCommand.run(["init", "--la", "Sutton", "--out", out])
    #expect(again.status == 73, "\(again.stderr)")
    #expect(try String(contentsOfFile: edited, encoding: .utf8) == "name: mine\n")
  }

  /// Every current LA of the pack: the folder `hnb init` writes (built by the same library
  /// call and written by the same `OutputDirectory.write`) runs in one `hnb run`, and its base
  /// census equals the LA's published January total.
  @Test func everyLAInThePackInitsAndRuns() throws {
    let pack = try NationalPack.load(folder: Self.packFolder)
    let root = HNBCommand.freshDirectory()
    var baselines: [String] = []
    var totals: [String: Double] = [:]
    let census = pack.latestCensusYear
    for la in pack.currentAuthorities {
      let scenario = try ScenarioInit.build(la: la, pack: pack)
      let folder = root + "/" + la.code
      try OutputDirectory.write(scenario.files, to: folder)
      baselines.append(folder + "/baseline.yaml")
      totals[scenario.name] = try #require(pack.publishedPlacementTotals(la: la.code, year: census)["ehcplans"] ?? nil)
    }
    #expect(baselines.count == 153)
    let out = root + "/out"
    let run = try HNBCommand.run(["run"] + baselines + ["--out", out, "--as-of", "2026-01-15"])
    #expect(run.status == 0, "\(run.stderr.suffix(2000))")
    var base: [String: Double] = [:]
    for row in try HNBCommand.readCSV(out + "/ehcp.csv") where row["census_year"] == String(census) {
      base[row["scenario"] ?? "", default: 0] += Double(row["plans"] ?? "") ?? .nan
    }
    #expect(base.count == 153)
    for (name, total) in totals {
      #expect(abs((base[name] ?? -1) - total) < 1e-4, "\(name)")
    }
  }
}
