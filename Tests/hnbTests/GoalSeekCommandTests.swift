import Foundation
import Testing

/// `hnb goalseek` end to end on the tiny fixture (answer worked by hand in GoalSeekTests).
@Suite struct GoalSeekCommandTests {
  static let scenario = "Tests/HighNeedsTests/Fixtures/tiny/tiny.yaml"

  @Test func writesTheAnswerWithItsTolerance() throws {
    let out = HNBCommand.freshDirectory()
    let r = try HNBCommand.run([
      "goalseek", Self.scenario, "--target", "cumulative_balance >= 1500000 in 2027-28", "--vary",
      "transfer_percent", "--tolerance", "1e-6", "--out", out,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try HNBCommand.readCSV(out + "/goalseek.csv")
    let value = Double(rows.first?["value"] ?? "") ?? .nan
    let tolerance = Double(rows.first?["tolerance"] ?? "") ?? .nan
    let hand = 0.5 + (1_500_000 - 1_165_644.60) / 300_000
    #expect(tolerance <= 1e-6 && value >= hand - 1e-6 && value <= hand + 2e-6)
    #expect(r.stdout.contains("±"))
    #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
    #expect(FileManager.default.fileExists(atPath: out + "/trials.csv"))
  }

  @Test func unreachableTargetExits65AndWritesNothing() throws {
    let out = HNBCommand.freshDirectory()
    let r = try HNBCommand.run([
      "goalseek", Self.scenario, "--target", "P(cumulative_balance >= 1500000 in 2027-28) >= 0.5", "--vary",
      "transfer_percent", "--max", "1", "--draws", "4", "--out", out,
    ])
    #expect(r.status == 65)
    #expect(r.stderr.contains("no value of transfer_percent"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
