import Foundation

/// Where a scenario came from: what writers, manifests, the report and `hnb validate` need and
/// the engine does not.
///
/// `ScenarioLoader` returns it beside the typed inputs (`ParsedScenario`) or the resolved
/// scenario (`LoadedScenario`); a sweep draw, a goal-seek trial and a sensitivity run change and
/// resolve the inputs alone, never carrying the merged YAML or the assumptions log.
public struct ScenarioSource: Sendable {
  /// The scenario's name (`name:`), as its results name it.
  public var name: String
  /// Every YAML file that went into the scenario, child first.
  public var scenarioFiles: [String]
  /// Every CSV file read, for the manifest's hashes.
  public var inputFiles: [String]
  /// The merged YAML after `extends:`, for the manifest.
  public var tree: YAMLTree
  /// Data rows read from each CSV input, and how many were not used (reported, never hidden).
  public var inputRows: [String: InputFileRows]
  /// Every input value as written (the rows of `assumptions.csv`), sorted.
  public var assumptions: [AssumptionEntry]

  package init(
    name: String, scenarioFiles: [String], inputFiles: [String], tree: YAMLTree,
    inputRows: [String: InputFileRows], assumptions: [AssumptionEntry]
  ) {
    self.name = name
    self.scenarioFiles = scenarioFiles
    self.inputFiles = inputFiles
    self.tree = tree
    self.inputRows = inputRows
    self.assumptions = assumptions
  }

  /// Every scenario and input file read: what the manifest hashes and `--out` may not hold.
  public var files: [String] { scenarioFiles + inputFiles }
}

/// A scenario's inputs as parsed, with where they came from.
public struct ParsedScenario: Sendable {
  /// The typed inputs, for `ScenarioResolver.resolve`.
  public var inputs: ScenarioInputs
  public var source: ScenarioSource

  public init(inputs: ScenarioInputs, source: ScenarioSource) {
    self.inputs = inputs
    self.source = source
  }
}

/// A resolved scenario, with where it came from: what a command loads, runs (the scenario) and
/// writes (the scenario's results and the source).
public struct LoadedScenario: Sendable {
  public var scenario: Scenario
  public var source: ScenarioSource

  public init(scenario: Scenario, source: ScenarioSource) {
    self.scenario = scenario
    self.source = source
  }
}

/// How many data rows a CSV input had, and how many of them the run did not use.
public struct InputFileRows: Sendable, Equatable {
  public var read: Int
  public var unused: Int

  package init(
    read: Int, unused: Int
  ) {
    self.read = read
    self.unused = unused
  }
}

/// How an input value came to be what the run used: the `status` column of `assumptions.csv`.
///
/// A number's own `status:` may be any of the first five (`statedByNumber`); the others are the
/// log's own entries for settings, files and the cells read from files.
public enum AssumptionStatus: String, Sendable, CaseIterable, CustomStringConvertible {
  /// The LA's own published figure (a number with a `source`, or `assumption: false`).
  case data
  /// Derived from the LA's figures by a stated method.
  case derived
  /// England's figure, used where the LA's is missing or suppressed.
  case nationalDefault = "national default"
  /// A bare number: nobody stated where it comes from (`hnb validate` lists them).
  case notStated = "not stated"
  /// A judgement (`assumption: true`, or a default the loader fills in and says why).
  case assumption
  /// A scenario setting: a name, a year, a choice.
  case setting
  /// A CSV file the scenario names (its cells follow as `fromFile`).
  case file
  /// One cell of a CSV file.
  case fromFile = "from file"
  /// A cell of a CSV file for a year outside the forecast.
  case unusedFromFile = "not used (outside the forecast years)"

  /// The statuses a number may state (`status:`), in the order error messages list them.
  public static let statedByNumber: [AssumptionStatus] = [.data, .derived, .nationalDefault, .notStated, .assumption]

  /// The column's text (`not stated`, `from file`...).
  public var description: String { rawValue }
}

/// One input value as used, with its unit and source: a row of `assumptions.csv`.
public struct AssumptionEntry: Sendable, Comparable {
  public var key: String
  public var value: String
  public var unit: String
  public var source: String
  public var note: String
  /// Data, assumption or not stated (from `source` and `assumption`), the status a number
  /// states (`status:`), or the log's own for settings, files and their cells.
  public var status: AssumptionStatus
  public var location: String

  public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.key, lhs.location) < (rhs.key, rhs.location) }

  package init(
    key: String, value: String, unit: String, source: String, note: String, status: AssumptionStatus,
    location: String
  ) {
    self.key = key
    self.value = value
    self.unit = unit
    self.source = source
    self.note = note
    self.status = status
    self.location = location
  }
}
