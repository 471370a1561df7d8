import Foundation
import Testing

@testable import HighNeeds

/// Sobol sensitivity with the Dirichlet transition rows and new-plan mixes as grouped factors.
@Suite struct SensitivityTests {
  @Test func dirichletRowsAreOneGroupedFactorThatCarriesTheirVariance() throws {
    // A scalar input with no spread, and uncertain transition rows: all the variance is the rows'.
    let s = try SweepTests.withUncertainty(
      """
      uncertainty:
        inputs:
          - {id: fixed, target: incidence_factor, distribution: {type: uniform, min: 1, max: 1}}
        transition_concentration: 5
      """)
    let factors = Sensitivity.sobolFactors(s)
    #expect(factors.map(\.id) == ["fixed", "transition_rows"])
    #expect(factors.map(\.target) == ["incidence_factor", "dirichlet"])
    // Moves between placements leave the total unchanged but not what the plans cost.
    let r = try Sensitivity.sobol(s, metric: .expenditure, year: 2, samples: 64, seed: 4, bootstrap: 100)
    #expect(r.variance > 0)
    // A factor that never changes the output has a total index of exactly 0 (Jansen).
    #expect(r.total[0] == 0)
    // The rows explain everything: their first-order index is 1 up to the estimator's noise.
    #expect(r.firstInterval[1].contains(1), "\(r.firstInterval[1])")
    #expect(r.first[1] > 0.7)
  }

  @Test func theTornadoHoldsDirichletRowsAtTheirMeans() throws {
    let s = try SweepTests.withUncertainty(
      """
      uncertainty:
        inputs:
          - {id: inc, target: incidence_factor, distribution: {type: uniform, min: 0.9, max: 1.1}}
        transition_concentration: 5
      """)
    var withoutRows = s
    withoutRows.uncertainty.transitionConcentration = nil
    let a = try Sensitivity.tornado(s, metric: .expenditure, year: 2, percent: nil)
    let b = try Sensitivity.tornado(withoutRows, metric: .expenditure, year: 2, percent: nil)
    #expect(a.central == b.central)
    #expect(a.bars.map(\.outputAtHigh) == b.bars.map(\.outputAtHigh))
  }
}
