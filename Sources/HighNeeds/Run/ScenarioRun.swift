import Foundation

/// Everything one scenario's run produced, checked.
public struct ScenarioResult: Sendable {
  public var scenario: Scenario
  /// The scenario as written: every mitigation on.
  public var parameters: ModelParameters
  public var path: CaseloadPath
  public var accounts: [FinancialYearAccounts]
  public var reserve: [ReserveYear]
  public var kpis: [KPIYear]
  /// The same scenario with no mitigation (nil when it has none).
  public var unmitigatedParameters: ModelParameters?
  public var unmitigatedPath: CaseloadPath?
  public var unmitigatedAccounts: [FinancialYearAccounts]?
  public var unmitigatedReserve: [ReserveYear]?
  /// `savings[i][f]`: expenditure saved by mitigation `i` in financial year `f` (gbp).
  public var savings: [[Double]]
}

/// Runs scenarios: builds the parameters of every mitigation combination, projects them as one
/// batch, prices them, attributes savings and applies the master check.
public enum ScenarioRun {
  /// Runs `scenario`; throws `IntegrityError` if any check fails.
  public static func run(_ scenario: Scenario) throws -> ScenarioResult {
    let k = scenario.mitigations.count
    let combinations = 1 << k
    let full = combinations - 1
    let parameters = (0..<combinations).map { ModelParameters(scenario: scenario, mitigationMask: $0) }
    var keep = Array(repeating: false, count: combinations)
    keep[0] = true
    keep[full] = true
    let paths = Projection.run(
      baseline: scenario.baselinePlans, members: parameters, placements: scenario.placementCount,
      needs: scenario.needCount, overflow: scenario.overflow, horizon: scenario.horizonYears,
      keepPlans: keep)
    let accounts = zip(parameters, paths).map {
      Accounts.financialYears(scenario: scenario, parameters: $0, path: $1)
    }
    let reserve = Accounts.reserve(scenario: scenario, accounts: accounts[full])
    let kpis = KPIs.years(scenario: scenario, path: paths[full], accounts: accounts[full], reserve: reserve)
    let savings = k == 0 ? [] : Attribution.shapley(expenditure: accounts.map { $0.map(\.expenditure) }, mitigations: k)
    let result = ScenarioResult(
      scenario: scenario, parameters: parameters[full], path: paths[full], accounts: accounts[full],
      reserve: reserve, kpis: kpis,
      unmitigatedParameters: k == 0 ? nil : parameters[0],
      unmitigatedPath: k == 0 ? nil : paths[0],
      unmitigatedAccounts: k == 0 ? nil : accounts[0],
      unmitigatedReserve: k == 0 ? nil : Accounts.reserve(scenario: scenario, accounts: accounts[0]),
      savings: savings)
    let failures = IntegrityChecks.failures(result)
    if !failures.isEmpty { throw IntegrityError(failures: failures) }
    return result
  }
}
