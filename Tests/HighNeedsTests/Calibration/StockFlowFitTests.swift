import Foundation
import Numerics
import Testing

@testable import HighNeeds

/// The stock-flow fit's table of census pairs, its written tables and its refusal without new plans.
@Suite struct CalibrationStockFlowTests {
  /// Stocks 100, 110, 121 at censuses 2020–2022; new plans 20 in 2020 and 33 in 2021, so
  /// `ℓ_2020 = 1 − (110 − 20) / 100 = 0.1` and `ℓ_2021 = 1 − (121 − 33) / 110 = 0.2`.
  static let series = PlanSeries(level: "total", years: [2020, 2021, 2022], plans: [100, 110, 121])
  static let newPlans: [Int: Double] = [2020: 20, 2021: 33]

  @Test func pairsImplyTheHandComputedLeaveRates() throws {
    let pairs = StockFlowFit.pairs(Self.series, newPlans: Self.newPlans)
    #expect(pairs.map(\.year) == [2020, 2021])
    #expect(pairs.map(\.plans) == [100, 110] && pairs.map(\.nextPlans) == [110, 121])
    #expect(pairs.map(\.newPlans) == [20, 33])
    #expect(pairs[0].impliedLeaveRate.isApproximatelyEqual(to: 0.1, absoluteTolerance: 1e-12))
    #expect(pairs[1].impliedLeaveRate.isApproximatelyEqual(to: 0.2, absoluteTolerance: 1e-12))
  }

  @Test func tablesCarryThePairsTheFitAndItsForecast() throws {
    // Three censuses leave no origin inside the window to score, so the first (m, λ) of the
    // grid is kept: m = 1 (ℓ = 0.2) and λ = 0 (g = log(33 / 20), the last year's growth).
    let fit = try #require(StockFlowFit.fit(Self.series, newPlans: Self.newPlans, horizon: 2))
    #expect(fit.window == 1 && fit.decay == 0)
    #expect(fit.leaveRate.isApproximatelyEqual(to: 0.2, absoluteTolerance: 1e-12))
    #expect(fit.newPlanGrowth.isApproximatelyEqual(to: log(1.65), absoluteTolerance: 1e-12))
    #expect(fit.newPlanYears == [2020, 2021])
    // S(2023) = 121 · 0.8 + 33 · 1.65 = 151.25; S(2024) = 151.25 · 0.8 + 33 · 1.65² = 210.8425.
    let forecast = fit.forecast(horizon: 2)
    #expect(forecast[0].isApproximatelyEqual(to: 151.25, absoluteTolerance: 1e-9))
    #expect(forecast[1].isApproximatelyEqual(to: 210.8425, absoluteTolerance: 1e-9))

    let files = CalibrationOutput.stockFlowTables(fit, horizon: 2)
    #expect(
      files["stock_flow.csv"]
        == """
        census_year,plans_at_census,plans_at_next_census,new_plans_in_calendar_year,implied_leave_rate_fraction,in_leave_rate_window
        2020,100.000,110.000,20.000,0.100000,false
        2021,110.000,121.000,33.000,0.200000,true

        """)
    #expect(
      files["stock_flow_fit.csv"]
        == """
        fit_through,level,pairs_fitted,window_pairs,decay,leave_rate_fraction_per_year,new_plan_growth_log_per_year,base_calendar_year,new_plans_in_base_calendar_year
        2022,total,2,1,0.00,0.200000,0.500775,2021,33.000

        """)
    let rows = (files["stock_flow_forecast.csv"] ?? "").split(separator: "\n").map(String.init)
    #expect(rows.first == "level,year,horizon,forecast_plans,p10_plans,p90_plans")
    #expect(rows.dropFirst().first == "total,2023,1,151.250,,")
    #expect(rows.count == 3 && rows[2].hasPrefix("total,2024,2,210.84"))
  }

  @Test func missingNewPlansAreAnErrorNamingTheFileAndTheYears() throws {
    let series = PlanSeries(level: "total", years: Array(2019...2022), plans: [90, 100, 110, 121])
    // Only 2020 → 2021 has its new plans, and the new plans of 2021 (before the last census) are absent.
    do {
      _ = try StockFlowFit.fit(series, newPlans: [2020: 20, 2022: 5], horizon: 1, file: "np.csv")
      Issue.record("expected an error")
    } catch let error as InputError {
      #expect(error.location.file == "np.csv")
      #expect(error.found.contains("1 usable pair of the 3 consecutive fitted census pairs"))
      #expect(error.found.hasSuffix("no new plans (or 0) for calendar years 2019, 2021"))
      #expect(error.expected.contains("calendar year 2021"))
    }
    // Given both, it fits.
    #expect(throws: Never.self) {
      try StockFlowFit.fit(series, newPlans: [2019: 10, 2020: 20, 2021: 33], horizon: 1, file: "np.csv")
    }
  }
}
