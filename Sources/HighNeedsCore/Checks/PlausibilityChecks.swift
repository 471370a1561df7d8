import Foundation

/// Alerts for a scenario whose valid inputs project something no population can hold.
///
/// Run once when a scenario is loaded (so `hnb validate` shows them, every command prints them
/// and the manifest lists them), on a projection of the scenario without its mitigations and
/// with all of them: plans above the residents of an age in a census year, and census years in
/// which every age has no residents (no new plan can arise, whatever the incidence). Each alert
/// names the key and the file. See `docs/ASSURANCE.md`, "Plausibility".
package enum PlausibilityChecks {
  /// Relative slack before plans count as above the population (rounding in the projection).
  static let tolerance = 1e-9

  /// The alerts of `s`; `populationFile` and `incidenceFile` are the resolved CSV paths.
  package static func alerts(_ s: Scenario, populationFile: String, incidenceFile: String) -> [Alert] {
    var alerts: [Alert] = []
    let H = s.horizonYears
    let A = AgeAxis.count
    let width = s.needCount * s.placementCount

    let empty = (1...H).filter { t in s.population[t - 1].allSatisfy { $0 == 0 } }
    if !empty.isEmpty {
      let years =
        empty.count == H && H > 1
        ? "every census year \(s.censusYear(1))–\(s.censusYear(H))"
        : "January " + empty.map { String(s.censusYear($0)) }.joined(separator: ", ")
      alerts.append(
        Alert(
          location: "\(populationFile): caseload.population",
          message:
            "every age has 0 residents in \(years): no new plan can arise then, whatever caseload.incidence "
            + "(\(incidenceFile)) says; is a year's population missing?"))
    }

    let k = s.mitigations.count
    let masks = k == 0 ? [0] : [0, (1 << k) - 1]
    let members = masks.map { ModelParameters(scenario: s, mitigationMask: $0) }
    let paths = Projection.run(
      baseline: s.baselinePlans, members: members, placements: s.placementCount, needs: s.needCount,
      overflow: s.overflow, horizon: H)
    for (mask, path) in zip(masks, paths) {
      var count = 0
      var first: (t: Int, age: Int, plans: Double, residents: Double)?
      for t in 1...H {
        let plans = path.plans[t]
        for a in 0..<A {
          var atAge = 0.0
          for j in 0..<width { atAge += plans[a * width + j] }
          let residents = s.population[t - 1][a]
          if atAge > residents * (1 + tolerance) + tolerance {
            count += 1
            if first == nil { first = (t, a, atAge, residents) }
          }
        }
      }
      guard let first else { continue }
      let run = mask == 0 ? (k == 0 ? "" : " without mitigations") : " with every mitigation on"
      alerts.append(
        Alert(
          location: "\(populationFile): caseload.population",
          message:
            "projected plans\(run) exceed the residents of the age in \(count) age × census year cell(s), first at age "
            + "\(first.age) in January \(s.censusYear(first.t)): "
            + "\(NumberFormat.fixed(first.plans, 2)) plans against \(NumberFormat.fixed(first.residents, 2)) residents"
            + "; check caseload.incidence (\(incidenceFile), new plans per "
            + "resident per year) and the population"))
    }
    return alerts
  }
}
