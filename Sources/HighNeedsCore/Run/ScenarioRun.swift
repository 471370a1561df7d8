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
    // Every combination projected and priced in turn; only these two runs are held whole.
    let runs = MitigationCombinations(scenario)
    let (mitigated, unmitigated) = (runs.mitigated, runs.unmitigated)
    let reserve = Accounts.reserve(scenario: scenario, accounts: mitigated.accounts)
    let kpis = KPIs.years(scenario: scenario, path: mitigated.path, accounts: mitigated.accounts, reserve: reserve)
    let savings = k == 0 ? [] : Attribution.shapley(expenditure: runs.expenditure, mitigations: k)
    let result = ScenarioResult(
      scenario: scenario, parameters: mitigated.parameters, path: mitigated.path, accounts: mitigated.accounts,
      reserve: reserve, kpis: kpis,
      unmitigatedParameters: k == 0 ? nil : unmitigated.parameters,
      unmitigatedPath: k == 0 ? nil : unmitigated.path,
      unmitigatedAccounts: k == 0 ? nil : unmitigated.accounts,
      unmitigatedReserve: k == 0 ? nil : Accounts.reserve(scenario: scenario, accounts: unmitigated.accounts),
      savings: savings)
    let failures = IntegrityChecks.failures(result)
    if !failures.isEmpty { throw IntegrityError(failures: failures) }
    return result
  }
}
