import Foundation
import TestSupport

@testable import HighNeeds

/// A random but valid scenario, written as YAML and CSV files: the inputs of the property and
/// reference tests.
///
/// Every shape the loader accepts is drawn: a taxonomy of 2–5 placements and 1–3 needs, a
/// horizon of 1–6 years, population and incidence by census year or as a profile with a growth
/// series, age ranges, `all` rows overridden by specific ones, transition rows with and without
/// an explicit stay, capacity limits with overflow, cost and central lines, series given as one
/// value or year by year, contributions and up to `maxMitigations` mitigations of every lever.
struct GeneratedScenario {
  /// File name → contents; `scenario.yaml` is the scenario.
  var files: [String: String] = [:]
  /// The raw figures behind the loader's derived series, to check them by hand.
  var hnbAllocation = 0.0
  /// Growth of the HNB allocation in financial years 1…H−1 (index 0 unused).
  var hnbGrowth: [Double] = []
  /// The horizon and the placements' ids.
  var horizon = 0
  var placements: [String] = []

  /// Options that keep a generated scenario inside what a property needs.
  struct Options {
    var minMitigations = 0
    var maxMitigations = 4
    var maxPlacements = 5
    var maxNeeds = 3
    var maxHorizon = 6
    /// Whether placements may be capacity-limited.
    var overflow = true
  }

  /// Draws a scenario from `seed`.
  init(seed: UInt64, options: Options = Options()) {
    var rng = SplitMix64(seed: seed)
    func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &rng) }
    func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    func chance(_ p: Double) -> Bool { uniform(0...1) < p }
    func fraction(_ x: Double) -> String { String(format: "%.9f", x) }
    func money(_ x: Double) -> String { String(format: "%.2f", x) }

    let P = int(2...options.maxPlacements)
    let N = int(1...options.maxNeeds)
    let B = int(2018...2030)
    let H = int(1...options.maxHorizon)
    horizon = H
    let A = AgeAxis.count
    let placementIds = (0..<P).map { "p\($0)" }
    let needIds = (0..<N).map { "n\($0)" }
    placements = placementIds
    let groups = PlacementGroup.allCases.map(\.rawValue)
    let locations = ["in_borough", "out_of_borough", "not_applicable"]

    var text = "id,label,group,location\n"
    for p in 0..<P {
      text += "\(placementIds[p]),Placement \(p),\(groups[int(0...(groups.count - 1))]),\(locations[int(0...2)])\n"
    }
    files["placements.csv"] = text
    files["needs.csv"] = "id,label\n" + needIds.map { "\($0),Need \($0)\n" }.joined()

    // Baseline caseload: some cells, in a shuffled order.
    var rows: [String] = []
    for a in 0..<A {
      for n in 0..<N {
        for p in 0..<P where chance(0.3) {
          rows.append("\(a),\(placementIds[p]),\(needIds[n]),\(String(format: "%.3f", uniform(0...40)))")
        }
      }
    }
    files["baseline.csv"] = "age,placement,need,plans\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()

    /// Ages 0–25 cut into ranges ("0-4", "5", …).
    func ageRanges() -> [String] {
      var ranges: [String] = []
      var a = 0
      while a < A {
        let end = min(A - 1, a + (chance(0.5) ? 0 : int(1...5)))
        ranges.append(end == a ? "\(a)" : "\(a)-\(end)")
        a = end + 1
      }
      return ranges
    }
    var yaml = "name: generated\ntitle: Generated scenario \(seed)\nkind: base\n"
    yaml += "taxonomy:\n  placements: placements.csv\n  needs: needs.csv\n"
    yaml += "time:\n  base_census_year: \(B)\n  horizon_years: \(H)\n"
    let censusLabels = (1...H).map { String(B + $0) }
    let financialLabels = (0..<H).map { YearLabel.financial(startingIn: B + $0) }
    /// A series: one value, or a map by label.
    func series(_ key: String, _ labels: [String], _ value: () -> String) -> String {
      if chance(0.5) || labels.isEmpty { return "  \(key): \(value())\n" }
      return "  \(key):\n" + labels.map { "    \"\($0)\": \(value())\n" }.joined()
    }

    // Population and incidence: by census year, or a profile with a growth series.
    var caseload = "caseload:\n  baseline: baseline.csv\n  population: population.csv\n  incidence: incidence.csv\n"
    var positiveIncidence = Set<Int>()
    for (name, column) in [("population", "population"), ("incidence", "rate")] {
      func value() -> Double {
        column == "rate" ? (chance(0.3) ? 0 : uniform(0...0.01)) : uniform(0...3000).rounded()
      }
      func record(_ range: String, _ x: Double) {
        guard column == "rate", x > 0 else { return }
        let bounds = range.split(separator: "-").compactMap { Int($0) }
        for a in bounds[0]...(bounds.last ?? bounds[0]) { positiveIncidence.insert(a) }
      }
      if chance(0.5) {
        rows = []
        for year in censusLabels {
          for range in ageRanges() {
            let x = value()
            record(range, x)
            rows.append("\(year),\(range),\(column == "rate" ? fraction(x) : String(x))")
          }
        }
        files["\(name).csv"] =
          "census_year,age,\(column)\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
      } else {
        rows = []
        for range in ageRanges() {
          let x = value()
          record(range, x)
          rows.append("\(range),\(column == "rate" ? fraction(x) : String(x))")
        }
        files["\(name).csv"] = "age,\(column)\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
        let key = name == "population" ? "population_growth_fraction_per_year" : "incidence_trend_fraction_per_year"
        if chance(0.7) { caseload += series(key, censusLabels) { fraction(uniform(-0.05...0.1)) } }
      }
    }

    // New-plan mix: at every age with positive incidence, shares over some cells summing to 1.
    rows = []
    for a in 0..<A where positiveIncidence.contains(a) || chance(0.2) {
      var cells: [(Int, Int)] = []
      for n in 0..<N {
        for p in 0..<P where chance(0.5) { cells.append((n, p)) }
      }
      if cells.isEmpty { cells = [(int(0...(N - 1)), int(0...(P - 1)))] }
      let weights = cells.map { _ in uniform(0.1...1) }
      let total = weights.reduce(0, +)
      for (i, (n, p)) in cells.enumerated() {
        rows.append("\(a),\(placementIds[p]),\(needIds[n]),\(fraction(weights[i] / total))")
      }
    }
    files["mix.csv"] = "age,placement,need,share\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
    caseload += "  new_plan_mix: mix.csv\n  cessation: cessation.csv\n  transitions: transitions.csv\n"

    // Cessation: an `all` row for every age 0–24 (some as ranges) and specific overrides.
    rows = []
    var a = 0
    while a < AgeAxis.maxAge {
      let end = min(AgeAxis.maxAge - 1, a + (chance(0.6) ? 0 : int(1...4)))
      rows.append("\(end == a ? "\(a)" : "\(a)-\(end)"),all,\(fraction(uniform(0...0.3)))")
      a = end + 1
    }
    for age in 0..<AgeAxis.maxAge {
      for p in 0..<P where chance(0.1) { rows.append("\(age),\(placementIds[p]),\(fraction(uniform(0...0.5)))") }
    }
    files["cessation.csv"] = "age,placement,rate\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()

    // Transitions: some (age, from) rows move plans; some list the stay explicitly.
    rows = []
    for age in 0..<AgeAxis.maxAge {
      for from in 0..<P where chance(0.25) {
        var moves = 0.0
        for to in 0..<P where to != from && chance(0.5) {
          let written = fraction(uniform(0...0.2))
          moves += Double(written) ?? 0
          rows.append("\(age),\(placementIds[from]),\(placementIds[to]),\(written)")
        }
        if chance(0.3) { rows.append("\(age),\(placementIds[from]),\(placementIds[from]),\(fraction(1 - moves))") }
      }
    }
    files["transitions.csv"] =
      "age,from,to,probability\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
    yaml += caseload

    // Capacity: some placements have places; some of those are limited, overflowing to others.
    let placed = (0..<P).filter { _ in chance(0.5) }
    var limited: [Int] = []
    if options.overflow {
      limited = placed.filter { _ in chance(0.5) }
      if limited.count == P { limited.removeLast() }
    }
    rows = []
    for p in placed {
      for t in 0...H {
        rows.append(
          "\(placementIds[p]),\(YearLabel.academic(startingIn: B - 1 + t)),\(String(format: "%.1f", uniform(0...60)))")
      }
    }
    files["places.csv"] = "placement,academic_year,places\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
    yaml += "capacity:\n  places: places.csv\n"
    if !limited.isEmpty {
      yaml += "  overflow:\n"
      let destinations = (0..<P).filter { !limited.contains($0) }
      for p in limited {
        var chosen = destinations.filter { _ in chance(0.6) }
        if chosen.isEmpty { chosen = [destinations[int(0...(destinations.count - 1))]] }
        let weights = chosen.map { _ in uniform(0.1...1) }
        let total = weights.reduce(0, +)
        yaml +=
          "    \(placementIds[p]): {"
          + chosen.indices.map { "\(placementIds[chosen[$0]]): \(fraction(weights[$0] / total))" }.joined(
            separator: ", ") + "}\n"
      }
    }

    // Costs.
    yaml += "costs:\n  price_basis: \"cash; generated\"\n"
    yaml += "  price_base_academic_year: \"\(YearLabel.academic(startingIn: B + int(-3...1)))\"\n"
    yaml += "  price_base_financial_year: \"\(YearLabel.financial(startingIn: B + int(-3...1)))\"\n"
    rows = []
    for p in 0..<P {
      rows.append("\(placementIds[p]),all,\(money(uniform(1000...60000)))")
      for n in 0..<N where chance(0.3) {
        rows.append("\(placementIds[p]),\(needIds[n]),\(money(uniform(1000...60000)))")
      }
    }
    files["top_ups.csv"] = "placement,need,gbp_per_plan\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
    yaml += "  top_ups: top_ups.csv\n"
    var funded = Set(placed)
    for p in 0..<P where chance(0.2) { funded.insert(p) }
    var fundingRate = Array(repeating: 0.0, count: P)
    if !funded.isEmpty {
      yaml += "  place_funding_gbp_per_place:\n"
      for p in funded.sorted() {
        fundingRate[p] = chance(0.2) ? 0 : uniform(0...20000).rounded()
        yaml += "    \(placementIds[p]): \(money(fundingRate[p]))\n"
      }
    }
    yaml += "  place_funding_uplift_fraction_per_year: \(fraction(uniform(-0.02...0.05)))\n"
    let lineCount = int(1...min(3, P))
    var owner = (0..<P).map { $0 < lineCount ? $0 : int(0...(lineCount - 1)) }
    owner.shuffle(using: &rng)
    yaml += "  cost_lines:\n"
    for L in 0..<lineCount {
      let members = (0..<P).filter { owner[$0] == L }.map { placementIds[$0] }.joined(separator: ", ")
      yaml +=
        "    - {id: line\(L), label: Line \(L), placements: [\(members)], uplift_fraction_per_year: \(fraction(uniform(-0.02...0.1)))}\n"
    }
    let centralCount = int(0...2)
    if centralCount > 0 {
      yaml += "  central_lines:\n"
      for c in 0..<centralCount {
        yaml +=
          "    - {id: central\(c), label: Central \(c), gbp: \(money(uniform(0...2e6))), uplift_fraction_per_year: \(fraction(uniform(-0.02...0.08)))}\n"
      }
    }

    // Income.
    hnbAllocation = uniform(1e6...5e7).rounded()
    yaml += "income:\n  hnb_allocation_gbp: \(money(hnbAllocation))\n"
    hnbGrowth = [0] + (1..<H).map { _ in (uniform(-0.05...0.1) * 1e6).rounded() / 1e6 }
    if H > 1 {
      if chance(0.5) {
        let g = hnbGrowth[1]
        hnbGrowth = [0] + Array(repeating: g, count: H - 1)
        yaml += "  hnb_growth_fraction_per_year: \(fraction(g))\n"
      } else {
        yaml += "  hnb_growth_fraction_per_year:\n"
        for f in 1..<H { yaml += "    \"\(financialLabels[f])\": \(fraction(hnbGrowth[f]))\n" }
      }
    }
    yaml += series("deductions_gbp", financialLabels) { money(uniform(0...1e6)) }
    yaml += series("import_export_adjustment_gbp", financialLabels) { money(uniform(-5e5...5e5)) }
    yaml += series("schools_block_gbp", financialLabels) { money(uniform(1e7...2e8)) }
    yaml += series("schools_block_transfer_percent", financialLabels) { fraction(uniform(0...1)) }
    yaml += series("total_dsg_gbp", financialLabels) { money(uniform(5e7...4e8)) }

    // Reserve.
    yaml += "reserve:\n  opening_balance_gbp: \(money(uniform(-2e7...1e7)))\n"
    let contributed = financialLabels.filter { _ in chance(0.3) }
    if !contributed.isEmpty {
      yaml += "  contributions_gbp:\n" + contributed.map { "    \"\($0)\": \(money(uniform(0...5e6)))\n" }.joined()
    }

    // Outturn: some actual figures, a few outside the forecast's years.
    if chance(0.5) {
      rows = []
      let measures = ["total_plans", "share_mainstream", "share_in_borough", "share_independent_special"]
      for year in (B - 1)...(B + H + 1) {
        for measure in measures + ["dsg_closing_balance_gbp"] where chance(0.4) {
          let value =
            measure == "total_plans"
            ? String(format: "%.0f", uniform(0...2000))
            : measure.hasSuffix("gbp") ? money(uniform(-3e7...1e7)) : fraction(uniform(0...1))
          rows.append("\(year),\(measure),\(value),generated")
        }
      }
      files["outturn.csv"] = "year,measure,value,source\n" + rows.shuffled(using: &rng).map { $0 + "\n" }.joined()
      yaml += "outturn: outturn.csv\n"
    }

    // Mitigations of every lever.
    let count = int(options.minMitigations...options.maxMitigations)
    if count > 0 { yaml += "mitigations:\n" }
    var capacityLevers = Set<Int>()
    for i in 0..<count {
      var lines = [
        "id: m\(i)", "start: \"\(YearLabel.academic(startingIn: B + int(-2...H)))\"", "ramp_years: \(int(1...4))",
      ]
      func ages() {
        if chance(0.5) {
          let low = int(0...20)
          lines.append("ages: \"\(low)-\(int(low...25))\"")
        }
      }
      func two() -> (String, String) {
        let from = int(0...(P - 1))
        var to = int(0...(P - 2))
        if to >= from { to += 1 }
        return (placementIds[from], placementIds[to])
      }
      func unitCost() -> [String] {
        ["lever: unit_cost", "placement: \(placementIds[int(0...(P - 1))])", "factor: \(fraction(uniform(0...2)))"]
      }
      let capacityTargets = (0..<P).filter { limited.contains($0) || fundingRate[$0] > 0 }
      switch int(0...6) {
      case 0:
        lines += ["lever: scale_incidence", "factor: \(fraction(uniform(0...2)))"]
        ages()
      case 1:
        lines += ["lever: scale_cessation", "factor: \(fraction(uniform(0...3)))"]
        ages()
      case 2:
        let (from, to) = two()
        lines += ["lever: shift_new_plans", "from: \(from)", "to: \(to)", "share: \(fraction(uniform(0...1)))"]
        ages()
      case 3:
        let (from, to) = two()
        lines += ["lever: shift_new_plans", "from: \(from)", "to: \(to)", "target_share: \(fraction(uniform(0...1)))"]
        ages()
      case 4:
        let (from, to) = two()
        lines += ["lever: shift_placements", "from: \(from)", "to: \(to)", "share: \(fraction(uniform(0...1)))"]
        ages()
      case 5 where !capacityTargets.isEmpty:
        // Half the time on a placement that already has a lever, so that levers adding and
        // removing places meet (they are summed before the floor at 0).
        let used = capacityLevers.sorted()
        let p =
          !used.isEmpty && chance(0.5)
          ? used[int(0...(used.count - 1))] : capacityTargets[int(0...(capacityTargets.count - 1))]
        capacityLevers.insert(p)
        lines += ["lever: add_capacity", "placement: \(placementIds[p])", "places: \(uniform(-40...80).rounded())"]
      default:
        lines += unitCost()
      }
      if chance(0.4) { lines.append("cost_gbp_per_year: \(money(uniform(0...5e5)))") }
      yaml += "  - {" + lines.joined(separator: ", ") + "}\n"
    }
    files["scenario.yaml"] = yaml
  }

  /// Writes the files to a new temporary directory; returns the scenario's path.
  func write() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-generated-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return directory.appendingPathComponent("scenario.yaml").path
  }

  /// Writes and loads the scenario.
  func load() throws -> Scenario { try ScenarioLoader.load(path: try write()) }

  /// The scenario written and loaded, with where it came from (for writers).
  func loadWithSource() throws -> LoadedScenario { try ScenarioLoader.loadWithSource(path: try write()) }
}
