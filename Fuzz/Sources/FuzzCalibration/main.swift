// Fuzzes the calibration readers: the first byte of the input picks a reader, the rest is the
// file it reads (aggregate history, new plans, child-level transitions with and without a
// code mapping, the code mapping itself, population, and a history run through a backtest).
import Foundation
import FuzzSupport
import HighNeeds

enum Target {
  static let input = Fuzz.path("calibration/fuzz.csv")
  static let history = Fuzz.path("calibration/sutton_history.csv")
  static let mapping = Fuzz.path("calibration/mapping_small.csv")
  static let newPlans = Fuzz.path("calibration/sutton_new_plans.csv")
  static let taxonomy: Taxonomy = {
    do { return try Taxonomy.builtIn() } catch { fatalError("no built-in taxonomy: \(error)") }
  }()
  /// Keep the order: the corpus names readers by index (Fuzz/make-corpus.sh).
  static let readers: [(name: String, read: @Sendable () throws -> Void)] = [
    ("aggregate history", { _ = try AggregateHistory.read(path: input) }),
    ("new plans", { _ = try AggregateHistory.read(path: history, newPlansPath: input) }),
    ("transitions", { _ = try TransitionCounts.read(path: input, taxonomy: taxonomy) }),
    (
      "transitions with a mapping",
      {
        let codes = try CodeMapping.read(path: mapping, taxonomy: taxonomy)
        _ = try TransitionCounts.read(path: input, taxonomy: taxonomy, mapping: codes)
      }
    ),
    ("code mapping", { _ = try CodeMapping.read(path: input, taxonomy: taxonomy) }),
    ("population", { _ = try PopulationTable.read(path: input) }),
    (
      // The history, then a backtest (trend, top-down split of levels with gaps, baselines and
      // the stock-flow candidate with Sutton's new plans).
      "aggregate history backtest",
      {
        let history = try AggregateHistory.read(path: input, newPlansPath: newPlans)
        guard let first = history.total.years.first, let last = history.total.years.last, last - first >= 2 else {
          return
        }
        // The last ten origins at most: a history may span 300 years, and each origin refits.
        _ = try Backtest.run(history: history, fitThrough: max(first + 1, last - 10)...(last - 1), horizon: 3)
      }
    ),
  ]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCalibration(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let (index, contents) = Fuzz.slot(Fuzz.bytes(data, size), of: Target.readers.count)
  Fuzz.write(contents, to: Target.input)
  Fuzz.expectCleanOutcome("calibration \(Target.readers[index].name)", Target.readers[index].read)
  return 0
}

_ = Target.taxonomy
Fuzz.main(fuzzCalibration)
