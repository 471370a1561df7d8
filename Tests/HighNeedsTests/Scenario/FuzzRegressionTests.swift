import Foundation
import Testing

@testable import HighNeeds

/// Inputs that crashed a loader under fuzzing or review (docs/FUZZING.md).
///
/// Each is run through its loader again: it must load or throw an `InputError`, never trap.
/// The same inputs are in the fuzz seed corpus (`Fuzz/Corpus/<target>/regression-*`), so every
/// fuzz run replays them too.
@Suite struct FuzzRegressionTests {
  /// Writes `text` to a fresh temporary file and returns its path.
  static func file(_ text: String, name: String = "input.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  static let transitionsHeader =
    "calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n"

  /// The message of the `InputError` `body` throws; fails the test if it throws anything else
  /// or nothing.
  static func inputError(_ body: () throws -> Void) -> String {
    do {
      try body()
      Issue.record("expected an input error, but the input loaded")
    } catch let error as InputError {
      return error.errorDescription ?? ""
    } catch {
      Issue.record("expected an InputError, got \(type(of: error)): \(error)")
    }
    return ""
  }

  /// Fuzz: `academic-year-1` = `academic-year-2` = Int.max overflowed `ay1 + 1`
  /// (TransitionCounts.read, the row path).
  @Test func transitionCurriculumYearAtIntMax() throws {
    let path = try Self.file(
      Self.transitionsHeader + "2021,mainstream,ASD,9223372036854775807,mainstream,ASD,9223372036854775807\n")
    let message = Self.inputError { _ = try TransitionCounts.read(path: path, taxonomy: try Taxonomy.builtIn()) }
    #expect(message.contains("at least one usable transition"))
  }

  /// Fuzz: a curriculum year one below Int.max overflowed the age offset (`ay + 4`).
  @Test func transitionCurriculumYearNearIntMax() throws {
    let path = try Self.file(
      Self.transitionsHeader + "2021,mainstream,ASD,9223372036854775806,mainstream,ASD,9223372036854775807\n"
        + "2021,mainstream,ASD,5,mainstream,ASD,6\n")
    let counts = try TransitionCounts.read(path: path, taxonomy: try Taxonomy.builtIn())
    #expect(counts.rowsRead == 2)
    #expect(counts.rowsUsed == 1)
    #expect(counts.rejected["curriculum year outside -4…21 (age 0–25)"] == 1)
  }

  /// Review: every distinct calendar year took its own count arrays, so a column of large
  /// distinct numbers (child ids in the wrong column, say) could exhaust memory.
  @Test func transitionCalendarYearOutOfRange() throws {
    let path = try Self.file(Self.transitionsHeader + "123456789,mainstream,ASD,5,mainstream,ASD,6\n")
    let message = Self.inputError { _ = try TransitionCounts.read(path: path, taxonomy: try Taxonomy.builtIn()) }
    #expect(message.contains("input.csv:2:1"))
    #expect(message.contains("a calendar year 1900–2200"))
  }

  /// Review: the census years between the first and the last are each computed, so they are bounded.
  @Test func historyYearOutOfRange() throws {
    let path = try Self.file("year,plans\n2020,100\n99999999,120\n")
    let message = Self.inputError { _ = try AggregateHistory.read(path: path) }
    #expect(message.contains("input.csv:3:1"))
    #expect(message.contains("a census year 1900–2200"))
  }

  /// Fuzz: `academic-year` = Int.max overflowed the age offset (PopulationTable.read); such a
  /// row is outside ages 0–25 and skipped like any other.
  @Test func populationCurriculumYearAtIntMax() throws {
    let path = try Self.file(
      "calendar-year,academic-year,population\n2021,9223372036854775807,100\n2021,1,200\n")
    let table = try PopulationTable.read(path: path)
    #expect(table.rowsRead == 2)
    #expect(table.population(year: 2021, age: 5) == 200)
    #expect(table.values[2021]?.count == 1)
  }

  /// Fuzz: a population `census_year` of Int.min overflowed `year - base - 1` (scenario
  /// population by census year); the row is now outside the projection and the gap it leaves
  /// is reported.
  @Test func scenarioCensusYearAtIntMin() throws {
    let path = try Fixtures.editedTiny("population.csv") {
      $0.replacingOccurrences(of: "2026,0,1000", with: "-9223372036854775808,0,1000")
    }
    let message = try #require(Fixtures.loadError(path))
    #expect(message.contains("population.csv"))
    #expect(message.contains("none for 2026, age 0"))
  }
}
