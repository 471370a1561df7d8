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
  /// `countEffects[i][t · size + j]`: mitigation `i`'s Shapley share of the change in count `j`
  /// of the run's `PlanCounting` at census `t` (mitigated − unmitigated, summed over `i`);
  /// empty without counting or mitigations.
  public var countEffects: [[Double]] = []
}

/// Runs scenarios: builds the parameters of every mitigation combination, projects them as one
/// batch, prices them, attributes savings and applies the master check.
public enum ScenarioRun {
  /// Runs `scenario`; throws `IntegrityError` if any check fails.
  ///
  /// With `counting` (and mitigations), each mitigation's effect on the counts is attributed as
  /// its savings are (`countEffects`).
  public static func run(_ scenario: Scenario, counting: PlanCounting? = nil) throws -> ScenarioResult {
    let k = scenario.mitigations.count
    // Every combination projected and priced in turn; only these two runs are held whole.
    let runs = MitigationCombinations(scenario, counting: k == 0 ? nil : counting)
    let (mitigated, unmitigated) = (runs.mitigated, runs.unmitigated)
    let reserve = Accounts.reserve(scenario: scenario, accounts: mitigated.accounts)
    let kpis = KPIs.years(scenario: scenario, path: mitigated.path, accounts: mitigated.accounts, reserve: reserve)
    let savings = k == 0 ? [] : Attribution.shapley(expenditure: runs.expenditure, mitigations: k)
    var result = ScenarioResult(
      scenario: scenario, parameters: mitigated.parameters, path: mitigated.path, accounts: mitigated.accounts,
      reserve: reserve, kpis: kpis,
      unmitigatedParameters: k == 0 ? nil : unmitigated.parameters,
      unmitigatedPath: k == 0 ? nil : unmitigated.path,
      unmitigatedAccounts: k == 0 ? nil : unmitigated.accounts,
      unmitigatedReserve: k == 0 ? nil : Accounts.reserve(scenario: scenario, accounts: unmitigated.accounts),
      savings: savings)
    if !runs.counts.isEmpty {
      // A "saving" of counts is a fall: the effect is its negative.
      result.countEffects = Attribution.shapley(expenditure: runs.counts, mitigations: k).map { $0.map { -$0 } }
    }
    let failures = IntegrityChecks.failures(result)
    if !failures.isEmpty { throw IntegrityError(failures: failures) }
    return result
  }
}
