import Foundation
import Testing

@testable import HighNeeds

/// A layer that changes an input a fitted trend was derived from is named in an alert; one
/// that only adds the trend, or a trend that was not fitted, is not.
@Suite struct FittedTrendCheckTests {
  /// The merged tree of `layers` (ancestors first, as `ScenarioFamily.order`) and the files,
  /// child first (as `ScenarioSource.scenarioFiles`).
  static func family(_ layers: [(file: String, text: String)]) throws -> (YAMLTree, [String]) {
    var merged = YAMLTree.mapping([], SourceLocation(file: layers[0].file))
    for layer in layers { merged = merged.merged(with: try YAMLTree.parse(layer.text, file: layer.file)) }
    return (merged, layers.reversed().map(\.file))
  }

  static let fittedBase = (
    file: "base.yaml",
    text: """
    caseload:
      cessation: {file: data/cessation.csv, source: "SEN2 ceased plans"}
      incidence: {file: data/incidence.csv, source: "derived"}
      incidence_trend_fraction_per_year:
        "2026": {value: 0.1, source: "derived: the pooled forecast, through the stock-flow identity", status: derived}
        "2027": {value: 0.08, source: "derived: the pooled forecast, through the stock-flow identity", status: derived}
    """
  )

  @Test func aLayerThatChangesCessationUnderAFittedTrendIsNamed() throws {
    let (tree, files) = try Self.family([
      Self.fittedBase,
      ("local.yaml", "caseload:\n  cessation: {file: local/cessation.csv, source: \"our own\"}\n"),
    ])
    let alerts = FittedTrendCheck.alerts(tree: tree, files: files)
    #expect(alerts.count == 1)
    #expect(alerts.first?.location == "local.yaml: caseload.cessation")
    #expect(alerts.first?.message.contains("caseload.incidence_trend_fraction_per_year") == true)
    #expect(alerts.first?.message.contains("--scenario local.yaml") == true)
  }

  @Test func aTrendWrittenAfterTheInputsItWasFittedToIsQuiet() throws {
    // `extends: [base.yaml, fit/pooled_trend.yaml]`: the trend is the later layer.
    let (tree, files) = try Self.family([
      ("base.yaml", "caseload:\n  cessation: {file: data/cessation.csv, source: x}\n"),
      ("fit/pooled_trend.yaml", Self.fittedBase.text),
      ("child.yaml", "name: child\n"),
    ])
    #expect(FittedTrendCheck.alerts(tree: tree, files: files).isEmpty)
  }

  @Test func aTrendThatWasNotFittedIsNotChecked() throws {
    let (tree, files) = try Self.family([
      (
        "base.yaml",
        "caseload:\n  incidence_trend_fraction_per_year: {value: 0.03, source: assumption}\n"
      ),
      ("local.yaml", "caseload:\n  cessation: {file: local/cessation.csv, source: \"our own\"}\n"),
    ])
    #expect(FittedTrendCheck.alerts(tree: tree, files: files).isEmpty)
  }

  @Test func aPipelinesRequestTrendNamesThePipelineInputsChangedAfterIt() throws {
    let (tree, files) = try Self.family([
      (
        "pipeline.yaml",
        """
        caseload:
          pipeline:
            conversions: {file: data/conversions.csv, source: SEN2}
            lag_share: {value: 0, source: convention}
            requests_trend_fraction_per_year:
              "2026": {value: 0.1, source: "hnb fit: the forecast, through the stock-flow identity", status: derived}
        """
      ),
      ("lagged.yaml", "caseload:\n  pipeline:\n    lag_share: {value: 0.4, source: local}\n"),
    ])
    let alerts = FittedTrendCheck.alerts(tree: tree, files: files)
    #expect(alerts.map(\.location) == ["lagged.yaml: caseload.pipeline.lag_share"])
  }

  /// A layer that replaces one year of the fitted trend and also changes cessation is still
  /// named for the cessation; the conversions' own trend counts as a pipeline input.
  @Test func aPartlyReplacedTrendStillWatchesItsInputs() throws {
    let (tree, files) = try Self.family([
      Self.fittedBase,
      (
        "local.yaml",
        """
        caseload:
          cessation: {file: local/cessation.csv, source: "our own"}
          incidence_trend_fraction_per_year:
            "2026": {value: 0.2, source: "our own view of 2026"}
        """
      ),
    ])
    #expect(FittedTrendCheck.alerts(tree: tree, files: files).map(\.location) == ["local.yaml: caseload.cessation"])
    let (pipelineTree, pipelineFiles) = try Self.family([
      (
        "pipeline.yaml",
        """
        caseload:
          pipeline:
            requests_trend_fraction_per_year:
              "2026": {value: 0.1, source: "hnb fit: the forecast, through the stock-flow identity", status: derived}
        """
      ),
      ("fewer.yaml", "caseload:\n  pipeline:\n    conversions_trend_fraction_per_year: -0.05\n"),
    ])
    #expect(
      FittedTrendCheck.alerts(tree: pipelineTree, files: pipelineFiles).map(\.location) == [
        "fewer.yaml: caseload.pipeline.conversions_trend_fraction_per_year"
      ])
  }
}
