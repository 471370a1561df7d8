import Foundation

/// The documented upper bounds of a scenario's counts and amounts, checked where each is read.
///
/// A scenario describes one local authority (or, at most, England as a whole): each bound is
/// well above England's own figure, so no real input meets it, and low enough that every
/// projected number stays finite and the integrity checks' tolerances (which scale with the
/// size of the amounts compared) hold. A value above its bound is an input error (exit 65,
/// from `hnb validate` too) naming the file, line, column and key, the bound and the value.
/// See `docs/SCENARIO.md`, "Bounds".
package enum InputBounds {
  /// Residents of one single year of age in one census year (England has about 0.7 million),
  /// also after `population_growth_fraction_per_year` is applied.
  package static let residents = 1e7
  /// Plans in one age × placement × need cell of the baseline (England has about 0.64 million
  /// plans in all).
  package static let plans = 1e6
  /// Commissioned places of one placement in one academic year, and places a mitigation adds
  /// or removes.
  package static let places = 1e6
  /// A top-up, in gbp per plan per year at the price base (the dearest residential placements
  /// cost well under £1m a year).
  package static let topUp = 1e7
  /// Place funding, in gbp per place per year (the national rates are £6,000 and £10,000).
  package static let placeFunding = 1e6
  /// Any other amount in gbp (a year's allocation, deduction, block, line, cost or balance):
  /// England's whole DSG is about £65bn.
  package static let amount = 1e11

  /// Years between the price base (academic or financial) and the base census: uplifts
  /// compound from the price base, so one centuries away would overflow.
  package static let priceBaseYears = 50
  /// Plans in all, as an outturn gives them.
  package static let totalPlans = 1e8

  /// `text` with the bound, as in "a non-negative amount of at most 100000000000 gbp".
  package static func text(_ text: String, atMost bound: Double, _ unit: String) -> String {
    "\(text) of at most \(format(bound)) \(unit)"
  }
}
