import Foundation
import Testing

@testable import HighNeeds

/// A shard's draws file is read strictly: every fault is an error naming file, line and column.
@Suite struct SweepShardTests {
  static let one = String(1.5.bitPattern, radix: 16)
  static let two = String(2.5.bitPattern, radix: 16)

  static func parse(_ text: String, expected: [Int] = [4, 5]) throws -> [(Int, [Double])] {
    try SweepShard.parseDraws(Data(text.utf8), file: "d.txt", valuesPerDraw: 2, expected: expected)
  }

  @Test func wellFormedDrawsReadBackExactly() throws {
    let rows = try Self.parse("5,\(Self.one),\(Self.two)\n4,\(Self.two),\(Self.one)\n")
    #expect(rows.map(\.0) == [5, 4])
    #expect(rows[0].1 == [1.5, 2.5])
    let text = SweepSummary.drawsText(firstDraws: [4, 5], rows: [[1.5, 2.5], [-0.0, .greatestFiniteMagnitude]])
    #expect(try Self.parse(text).map(\.1) == [[1.5, 2.5], [-0.0, .greatestFiniteMagnitude]])
  }

  @Test(arguments: [
    ("4,\(one),\(two)\n5,\(one)", "d.txt:2: expected a whole line ending in a line break; found the file cut short"),
    ("4,\(one),\(two)\n", "d.txt:2: expected 2 draws (4…5); found 1 (draw 5 missing)"),
    ("4,\(one),\(two)\n4,\(one),\(two)\n", "d.txt:2:1: expected each draw once; found draw 4 again (also on line 1)"),
    ("9,\(one),\(two)\n", "d.txt:1:1: expected a draw index of this shard (4…5); found '9'"),
    ("4,\(one)\n", "d.txt:1: expected 2 values after the draw index; found 1"),
    ("4,\(one),\(two),\(two)\n", "d.txt:1:37: expected 2 values after the draw index; found more"),
    ("4,\(one),7ff8000000000000\n", "d.txt:1:20: expected a finite number; found nan (bits '7ff8000000000000')"),
    ("4,\(one),7ff0000000000000\n", "d.txt:1:20: expected a finite number; found inf (bits '7ff0000000000000')"),
    ("4,\(one),zz\n", "d.txt:1:20: expected a double as 1 to 16 hexadecimal digits; found 'zz'"),
    (
      "4,\(one),10000000000000000\n",
      "d.txt:1:20: expected a double as 1 to 16 hexadecimal digits; found '10000000000000000'"
    ),
    ("\n", "d.txt:1:1: expected a draw index of this shard (4…5); found ''"),
  ])
  func everyFaultIsNamedByLineAndColumn(_ text: String, _ message: String) {
    #expect {
      try Self.parse(text)
    } throws: { error in
      (error as? InputError)?.errorDescription == message
    }
  }

  @Test func shardsMustBeWithinTheirLimits() {
    #expect(SweepShard.problem(draws: 40, batchSize: 8, shard: 5, of: 5) == nil)
    #expect(SweepShard.problem(draws: 40, batchSize: 8, shard: 1, of: 6)?.key == "shard")
    #expect(SweepShard.problem(draws: Int.max, batchSize: 8, shard: 1, of: 1)?.key == "settings.draws")
    #expect(SweepShard.problem(draws: 40, batchSize: Int.max, shard: 1, of: 1)?.key == "batch_size")
    #expect(SweepShard.problem(draws: 40, batchSize: 8, shard: 0, of: 1)?.key == "shard")
  }
}
