import Foundation

/// The 2026 settlement of the DSG deficit as a layer on the generated baseline
/// (docs/INIT.md, "The 2026 settlement").
extension Builder {
  /// The 31 March whose high-needs deficit the High Needs Stability Grant writes off.
  static let settlementDeficitYear = 2026

  /// `settlement.yaml`: the baseline with `reserve.settlement` at the settlement's defaults, or
  /// nil when the base census is after the deficit date (the opening balance then already
  /// reflects the settlement).
  func settlementYAML() -> String? {
    guard census <= Builder.settlementDeficitYear else { return nil }
    let year = Builder.settlementDeficitYear
    return """
      # \(la.name): the generated baseline with the 2026 settlement of the DSG deficit (docs/MODEL.md,
      # "The 2026 settlement"): on approval of the LA's Local SEND Reform Plan the High Needs
      # Stability Grant writes off 90% of the high-needs deficit at 31 March \(year), received in
      # \(year)-\((year + 1) % 100); the LA's 10% stays on the DSG; the statutory override runs to 2027-28.
      # The deficit written off is the run's own at 31 March \(year) (the opening balance, 0 in
      # baseline.yaml until an officer enters it, plus the years to that date) until an officer
      # enters the balance and the figures the DfE compares under eligible_deficit_gbp (docs/SCENARIO.md,
      # "reserve.settlement"). `grant_received_in: none` shows the position without an approved plan.
      # Written by `hnb init --la \(la.code)`.
      name: \(ScenarioInit.slug(la.name))-settlement
      title: "\(la.name): the baseline with the 2026 settlement"
      extends: baseline.yaml

      reserve:
        settlement:
          deficit_at_31_march: \(year)

      """
  }
}
