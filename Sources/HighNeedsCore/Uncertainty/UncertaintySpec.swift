import Foundation

/// The uncertain inputs of a scenario (its `uncertainty:` section): what a sweep draws.
///
/// An empty spec leaves every draw equal to the deterministic run. See `docs/SCENARIO.md`,
/// "uncertainty", and `docs/MODEL.md`, "Uncertainty".
public struct UncertaintySpec: Sendable {
  /// Scalar inputs with a distribution, in file order.
  public var inputs: [UncertainInput] = []
  /// Dirichlet concentration `κ` around each transition row (nil: rows fixed).
  public var transitionConcentration: Double?
  /// Dirichlet concentration `κ` around each age's new-plan mix (nil: mix fixed).
  public var newPlanMixConcentration: Double?
  /// `correlation[i][j]`: Spearman rank correlation between inputs `i` and `j` (identity when none given).
  public var rankCorrelation: [[Double]] = []

  public init() {}

  /// True when no input is uncertain: every draw is the deterministic run.
  public var isEmpty: Bool { inputs.isEmpty && transitionConcentration == nil && newPlanMixConcentration == nil }
}

/// One uncertain scalar input: which model input it moves, its distribution, and whether it is
/// drawn once per draw or again for every projected year.
public struct UncertainInput: Sendable {
  /// What a drawn value does to the model.
  public enum Target: Sendable, Equatable {
    /// Multiplies incidence (new plans) in the year(s) drawn.
    case incidenceFactor
    /// Multiplies cessation rates (capped at 1).
    case cessationFactor
    /// Multiplies the top-ups of the placements (every year).
    case topUpFactor(placements: [Int])
    /// Added to the annual uplift of the placements' top-ups: `topUp[t] × Π_{s≤t} (1 + δ_s)`.
    case topUpUpliftShock(placements: [Int])
    /// Added to HNB allocation growth: `hnbAllocation[f] × Π_{1≤s≤f} (1 + δ_s)`.
    case hnbGrowthShock
    /// Sets a number written in the scenario file with a `distribution:` (its key path is the
    /// input's id), kept in `ScenarioInputs` at `slot`. `labels` are the years of a series drawn
    /// `per_year` (value `y` is year `labels[y]`); nil for a number drawn once.
    case scenarioNumber(NumberSlot, labels: [String]?)
  }

  public var id: String
  public var target: Target
  public var distribution: Distribution
  /// True for `varies: per_year`: a fresh value for every projected year.
  public var perYear: Bool
  /// Where its distribution is written, and that map's key path (for messages).
  public var distributionLocation = SourceLocation(file: "")
  public var distributionKeyPath = ""

  /// The target's name as written in scenario files.
  public var targetName: String {
    switch target {
    case .incidenceFactor: return "incidence_factor"
    case .cessationFactor: return "cessation_factor"
    case .topUpFactor: return "top_up_factor"
    case .topUpUpliftShock: return "top_up_uplift_shock"
    case .hnbGrowthShock: return "hnb_growth_shock"
    case .scenarioNumber: return "scenario_number"
    }
  }

  /// True when the input sets numbers of the scenario file (a series of no years sets none).
  var setsNumbers: Bool {
    guard case .scenarioNumber(_, let labels) = target else { return false }
    return labels?.isEmpty != true
  }

  /// The numbers of the scenario file this input's drawn values `v` (by year slot) set, by key
  /// path (`key.label` for each year of a series drawn per year); empty for the other targets.
  func drawnNumbers(_ v: [Double]) -> [(key: String, value: Double)] {
    guard case .scenarioNumber(_, let labels) = target else { return [] }
    guard let labels else { return [(id, v[0])] }
    return labels.enumerated().map { (id + "." + $1, v[$0]) }
  }

  package init(
    id: String, target: Target, distribution: Distribution, perYear: Bool,
    distributionLocation: SourceLocation = SourceLocation(file: ""), distributionKeyPath: String = ""
  ) {
    self.id = id
    self.target = target
    self.distribution = distribution
    self.perYear = perYear
    self.distributionLocation = distributionLocation
    self.distributionKeyPath = distributionKeyPath
  }
}
