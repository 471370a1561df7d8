import Foundation

/// A named recovery action with a start, a ramp and an effect on one model input.
public struct Mitigation: Sendable {
  /// What the mitigation changes, at full effect.
  public enum Lever: Sendable, Equatable {
    /// Multiplies incidence at the ages by `factor`.
    case scaleIncidence(factor: Double)
    /// Sends `share` of the new plans that would be placed in `from` to `to` instead.
    case shiftNewPlans(from: Int, to: Int, share: Double)
    /// Moves new plans from `from` to `to` until `to` takes `targetShare` of the new plans at
    /// each age (never more than `from` has; nothing if `to` is already there).
    case shiftNewPlansToTarget(from: Int, to: Int, targetShare: Double)
    /// Moves `share` of continuing plans in `from` to `to` each year.
    case shiftPlacements(from: Int, to: Int, share: Double)
    /// Multiplies the top-up of `placement` by `factor`.
    case unitCost(placement: Int, factor: Double)
    /// Adds `places` commissioned places to `placement`.
    case addCapacity(placement: Int, places: Double)
    /// Multiplies cessation rates at the ages by `factor` (capped at 1).
    case scaleCessation(factor: Double)
    /// Multiplies the assessment pipeline's request rates at the ages by `factor`.
    case scaleRequests(factor: Double)
    /// Multiplies the pipeline's refusal rates at the ages by `factor` (capped at 1).
    case scaleRefusals(factor: Double)
    /// Multiplies the pipeline's conversion rates at the ages by `factor` (capped at 1).
    case scaleConversion(factor: Double)
    /// Diverts `share` of the would-be new plans at the ages with a need in `needs` to a
    /// targeted tier that is not a plan (the White Paper's EHC plans for the most complex
    /// needs); `costPerChild` gbp a year for each child in the tier, `supportYears` years.
    case divertNewPlans(needs: [Int], share: Double, costPerChild: Double, supportYears: Int)
    /// Adds `share` to the cessation rate at the ages (capped at 1): plans reassessed at a
    /// phase transfer that end or move to the targeted tier.
    case reassessAtTransfer(share: Double)
    /// Caps the yearly uplift of cost line `line`'s top-ups at `uplift` (national price bands);
    /// `effect` scales the cut (1 as written; `hnb goalseek` varies it).
    case capUplift(line: Int, uplift: Double, effect: Double)
  }

  public var id: String
  public var label: String
  public var lever: Lever
  /// Start year of the first academic year with an effect.
  public var startAcademicYear: Int
  /// Years to full effect (≥ 1).
  public var rampYears: Int
  /// Ages the lever acts on.
  public var ages: ClosedRange<Int>
  public var source: String
  /// What the mitigation itself costs (an outreach team, a new unit's set-up), in cash gbp per
  /// academic year from its start, not ramped; 0 if none.
  public var annualCostGBP: Double = 0

  /// Strength of the effect in the academic year starting in `year`, from 0 to 1.
  ///
  /// `strength = min(1, (year − start + 1) / rampYears)` from `start` on, and 0 before: a
  /// three-year ramp gives 1/3, 2/3, 1.
  public func strength(academicYearStart year: Int) -> Double {
    let k = year - startAcademicYear
    if k < 0 { return 0 }
    return min(1, Double(k + 1) / Double(rampYears))
  }

  /// The lever's name as written in scenario files.
  public var leverName: String {
    switch lever {
    case .scaleIncidence: return "scale_incidence"
    case .shiftNewPlans, .shiftNewPlansToTarget: return "shift_new_plans"
    case .shiftPlacements: return "shift_placements"
    case .unitCost: return "unit_cost"
    case .addCapacity: return "add_capacity"
    case .scaleCessation: return "scale_cessation"
    case .scaleRequests: return "scale_requests"
    case .scaleRefusals: return "scale_refusals"
    case .scaleConversion: return "scale_conversion"
    case .divertNewPlans: return "divert_new_plans"
    case .reassessAtTransfer: return "reassess_at_transfer"
    case .capUplift: return "cap_uplift"
    }
  }
}
