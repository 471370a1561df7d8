import Foundation

/// Alerts for a fitted caseload trend whose inputs a later `extends:` layer changed.
///
/// `hnb init` and `hnb fit --panel --scenario` write the incidence trend (or the pipeline's
/// request trend) year by year so that the scenario's total follows the pooled forecast, through
/// the stock-flow identity over the stock, cessation and new plans of the scenario they were
/// written for (docs/CALIBRATION.md, "The pooled growth in a scenario"). A layer that extends the
/// scenario and changes one of those inputs keeps the trend but not the forecast: its total
/// moves away from the forecast with nothing said. This check names each such input.
public enum FittedTrendCheck {
  /// What a fitted trend's `source` says, in every year (`GrowthSeries`'s writers).
  static let marker = "through the stock-flow identity"

  /// Each fitted trend and the inputs its series was derived from.
  static let derivedFrom: [(trend: String, inputs: [String])] = [
    (
      GrowthSeries.incidenceTrendKey,
      [
        "caseload.baseline", "caseload.population", "caseload.population_growth_fraction_per_year",
        "caseload.incidence", "caseload.cessation",
      ]
    ),
    (
      GrowthSeries.requestTrendKey,
      [
        "caseload.baseline", "caseload.population", "caseload.population_growth_fraction_per_year",
        "caseload.cessation", "caseload.pipeline.requests", "caseload.pipeline.refusals",
        "caseload.pipeline.refusals_trend_fraction_per_year", "caseload.pipeline.conversions",
        "caseload.pipeline.conversions_trend_fraction_per_year", "caseload.pipeline.lag_share",
      ]
    ),
  ]

  /// An alert for each input of a fitted trend written in a later layer than the trend
  /// (`files`: the scenario's YAML files, child first, as `ScenarioSource.scenarioFiles`).
  public static func alerts(tree: YAMLTree, files: [String]) -> [Alert] {
    func rank(_ file: String) -> Int { files.firstIndex(of: file) ?? files.count }
    var alerts: [Alert] = []
    for (trendKey, inputs) in derivedFrom {
      // The latest layer that wrote the fitted trend (lowest rank: child first), read from the
      // sources that say it was fitted: a later layer that replaces a year of it does not hide
      // what that layer changes.
      guard let trend = tree.entry(at: trendKey)?.value,
        let trendRank = scalars(trend).filter({ $0.text.contains(marker) }).map({ rank($0.location.file) }).min()
      else { continue }
      let trendFile = files.indices.contains(trendRank) ? files[trendRank] : trendKey
      for key in inputs {
        guard let value = tree.entry(at: key)?.value else { continue }
        let later = scalars(value).filter { rank($0.location.file) < trendRank }
        guard let first = later.min(by: { rank($0.location.file) < rank($1.location.file) }) else { continue }
        alerts.append(
          Alert(
            location: "\(first.location.file): \(key)",
            message:
              "set in this layer after \(trendKey) was fitted, through the stock-flow identity, to the inputs "
              + "of \(trendFile), so the total no longer follows the pooled forecast; refit the trend for this "
              + "scenario (hnb fit --history H --panel P --scenario \(files.first ?? first.location.file) --out "
              + "DIR, DIR inside its folder) and extend DIR/pooled_trend.yaml after it"))
      }
    }
    return alerts
  }

  /// Every scalar under `tree`, with where it is written (a `none` or an empty value included).
  static func scalars(_ tree: YAMLTree) -> [(text: String, location: SourceLocation)] {
    switch tree {
    case .scalar(let text, let location): return [(text, location)]
    case .null(let location): return [("", location)]
    case .mapping(let pairs, _): return pairs.flatMap { scalars($0.value) }
    case .sequence(let items, _): return items.flatMap { scalars($0) }
    }
  }
}
