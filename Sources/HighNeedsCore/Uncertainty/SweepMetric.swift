/// A headline metric a sweep keeps for each draw and financial year, named as in
/// `percentiles.csv`, `hnb sensitivity --output` and goal-seek targets.
///
/// The cases are in output order: total plans, plans by placement group (in `PlacementGroup`
/// order), then money. A draw's metrics are a row `[metric.index · H + f]` for `H` years.
public enum SweepMetric: String, CaseIterable, Sendable, CustomStringConvertible {
  case totalPlans = "total_plans"
  case plansMainstream = "plans_mainstream"
  case plansResourcedProvision = "plans_resourced_provision"
  case plansMaintainedSpecial = "plans_maintained_special"
  case plansIndependentSpecial = "plans_independent_special"
  case plansHospitalAP = "plans_hospital_ap"
  case plansPost16FE = "plans_post16_fe"
  case plansOther = "plans_other"
  case expenditure
  case income
  case inYearBalance = "in_year_balance"
  case cumulativeBalance = "cumulative_balance"
  case deficitPercentOfDSG = "deficit_percent_of_dsg"

  /// Every metric, in output order (held once: `allCases` builds a new array at each call).
  public static let ordered = allCases

  /// The metric names, in output order, separated by commas (for messages).
  public static let names = ordered.map(\.rawValue).joined(separator: ", ")

  /// The metric's position in a draw's row of metrics.
  public var index: Int {
    guard let i = Self.ordered.firstIndex(of: self) else { preconditionFailure("\(self) is not a metric") }
    return i
  }

  /// The plans in placement group `g`.
  public static func plans(_ g: PlacementGroup) -> SweepMetric {
    switch g {
    case .mainstream: return .plansMainstream
    case .resourcedProvision: return .plansResourcedProvision
    case .maintainedSpecial: return .plansMaintainedSpecial
    case .independentSpecial: return .plansIndependentSpecial
    case .hospitalAP: return .plansHospitalAP
    case .post16FE: return .plansPost16FE
    case .other: return .plansOther
    }
  }

  /// Whether the metric counts plans (written as plans, not pounds).
  public var isPlans: Bool {
    switch self {
    case .expenditure, .income, .inYearBalance, .cumulativeBalance, .deficitPercentOfDSG: return false
    case .totalPlans, .plansMainstream, .plansResourcedProvision, .plansMaintainedSpecial, .plansIndependentSpecial,
      .plansHospitalAP, .plansPost16FE, .plansOther:
      return true
    }
  }

  /// The metric's name, as written in outputs.
  public var description: String { rawValue }
}
