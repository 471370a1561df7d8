import Foundation

extension ScenarioParser {
  /// Reads the optional `uncertainty:` section; `numbers` are the numbers of the file written
  /// with a distribution, which follow the section's inputs. (That drawn incidence factors keep
  /// every rate at most 1 is `ScenarioResolver`'s check.)
  func readUncertainty(_ map: MapReader?, axes: Axes, numbers: [UncertainInput]) throws -> UncertaintySpec {
    var spec = UncertaintySpec()
    guard let map else {
      spec.inputs = numbers
      let k = spec.inputs.count
      spec.rankCorrelation = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0 } }
      return spec
    }
    for (index, item) in (try map.list("inputs") ?? []).enumerated() {
      let entry = try MapReader(item, path: map.keyPath("inputs.\(item.identifier ?? String(index))"), log: log)
      let id = try entry.string("id")
      if spec.inputs.contains(where: { $0.id == id }) {
        throw InputError(entry.location, key: entry.keyPath("id"), expected: "an id used once", found: "'\(id)' again")
      }
      let targetName = try entry.string("target")
      let placements = try entry.list("placements").map { items in
        try items.map { item -> Int in
          guard case .scalar(let text, let location) = item, let p = axes.taxonomy.placementIndex(text) else {
            throw InputError(
              item.location, key: entry.keyPath("placements"), expected: "a placement defined in the taxonomy",
              found: item.kindDescription)
          }
          _ = location
          return p
        }
      }
      let all = Array(0..<axes.P)
      let target: UncertainInput.Target
      switch targetName {
      case "incidence_factor": target = .incidenceFactor
      case "cessation_factor": target = .cessationFactor
      case "top_up_factor": target = .topUpFactor(placements: placements ?? all)
      case "top_up_uplift_shock": target = .topUpUpliftShock(placements: placements ?? all)
      case "hnb_growth_shock": target = .hnbGrowthShock
      default:
        throw InputError(
          entry.valueLocation("target"), key: entry.keyPath("target"),
          expected: "incidence_factor, cessation_factor, top_up_factor, top_up_uplift_shock or hnb_growth_shock",
          found: "'\(targetName)'")
      }
      if placements != nil, !targetName.hasPrefix("top_up") {
        throw InputError(
          entry.valueLocation("placements"), key: entry.keyPath("placements"),
          expected: "placements only for top_up_factor and top_up_uplift_shock", found: "placements for \(targetName)")
      }
      let varies = try entry.optionalString("varies") ?? "once"
      guard varies == "once" || varies == "per_year" else {
        throw InputError(
          entry.valueLocation("varies"), key: entry.keyPath("varies"), expected: "once or per_year",
          found: "'\(varies)'")
      }
      if varies == "per_year", targetName == "top_up_factor" {
        throw InputError(
          entry.valueLocation("varies"), key: entry.keyPath("varies"),
          expected: "once (a level; use top_up_uplift_shock for year-by-year price uncertainty)", found: "per_year")
      }
      guard let distributionMap = try entry.map("distribution") else {
        throw entry.missing("distribution", "a map {type: normal, mean: …, sd: …}")
      }
      // The input's `source`, `note` and status (as a number's) are its distribution's: each
      // parameter is logged with them.
      let stated = try entry.provenance()
      let logged = log.entries.count
      let distribution = try Distribution.read(distributionMap)
      for i in logged..<log.entries.count {
        log.entries[i].source = stated.source ?? log.entries[i].source
        log.entries[i].note = stated.note
        log.entries[i].status = stated.status
      }
      try entry.finish()
      // Every draw must keep income, prices and rates non-negative: factors multiply rates and
      // prices, so must be ≥ 0; shocks are added to a growth rate g (a year's factor is 1 + δ
      // on top of 1 + g), so must stay above -1. Checked on the support every draw lies in
      // (a normal or lognormal truncated at its 1e-12 quantiles; see `Distribution.supportTail`).
      let support = distribution.support
      switch target {
      case .hnbGrowthShock, .topUpUpliftShock:
        if !(support.lowerBound > -1) {
          throw InputError(
            distributionMap.location, key: distributionMap.path,
            expected:
              "a distribution of shocks above -1 (a shock of -1 or less makes "
              + (target == .hnbGrowthShock ? "the HNB allocation" : "top-ups") + " zero or negative)",
            found: "\(distribution.description), reaching \(format(support.lowerBound))")
        }
      default:
        if !(support.lowerBound >= 0) {
          throw InputError(
            distributionMap.location, key: distributionMap.path, expected: "a distribution of non-negative factors",
            found: "\(distribution.description), reaching \(format(support.lowerBound))")
        }
      }
      spec.inputs.append(
        UncertainInput(
          id: id, target: target, distribution: distribution, perYear: varies == "per_year",
          distributionLocation: distributionMap.location, distributionKeyPath: distributionMap.path))
    }
    spec.transitionConcentration = try map.optionalNumber(
      "transition_concentration", unit: "concentration", in: 1...1e9, rangeText: "a concentration ≥ 1")?.value
    spec.newPlanMixConcentration = try map.optionalNumber(
      "new_plan_mix_concentration", unit: "concentration", in: 1...1e9, rangeText: "a concentration ≥ 1")?.value
    // Numbers written with a distribution elsewhere in the file follow, named by key path.
    for number in numbers {
      if spec.inputs.contains(where: { $0.id == number.id }) {
        throw InputError(
          map.location, key: map.keyPath("inputs"), expected: "input ids that are not key paths of the file",
          found: "'\(number.id)', also a number written with a distribution")
      }
      spec.inputs.append(number)
    }
    let k = spec.inputs.count
    spec.rankCorrelation = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0 } }
    for item in try map.list("rank_correlation") ?? [] {
      let entry = try MapReader(item, path: map.keyPath("rank_correlation"), log: log)
      let expectedIDs =
        "two different ids of uncertain inputs (an inputs[].id, or the key path of a number written with a distribution)"
      guard case .sequence(let pair, _)? = try entry.tree("between"), pair.count == 2,
        case .scalar(let first, _) = pair[0], case .scalar(let second, _) = pair[1]
      else {
        throw InputError(
          entry.valueLocation("between"), key: entry.keyPath("between"), expected: expectedIDs,
          found: "not a list of two names")
      }
      guard let i = spec.inputs.firstIndex(where: { $0.id == first }),
        let j = spec.inputs.firstIndex(where: { $0.id == second }), i != j
      else {
        let unknown = [first, second].filter { id in !spec.inputs.contains { $0.id == id } }
        throw InputError(
          entry.valueLocation("between"), key: entry.keyPath("between"), expected: expectedIDs,
          found: unknown.isEmpty ? "'\(first)' twice" : "unknown '\(unknown.joined(separator: "', '"))'")
      }
      if spec.inputs[i].perYear != spec.inputs[j].perYear {
        throw InputError(
          entry.valueLocation("between"), key: entry.keyPath("between"),
          expected: "two inputs that both vary once or both per_year", found: "\(first) and \(second)")
      }
      let rho = try entry.number("rho", unit: "rank correlation", in: -1...1, rangeText: "a correlation in [-1, 1]")
        .value
      try entry.finish()
      spec.rankCorrelation[i][j] = rho
      spec.rankCorrelation[j][i] = rho
    }
    if Copula.cholesky(Copula.pearson(fromSpearman: spec.rankCorrelation)) == nil {
      throw InputError(
        map.valueLocation("rank_correlation"), key: map.keyPath("rank_correlation"),
        expected: "correlations that are jointly possible (a positive-definite matrix)", found: "ones that are not")
    }
    try map.finish()
    return spec
  }

}

extension Distribution {
  /// Reads `{type: …, parameters…}`.
  static func read(_ map: MapReader) throws -> Distribution {
    let type = try map.string("type")
    func value(_ key: String, _ range: ClosedRange<Double>? = nil) throws -> Double {
      try map.number(key, unit: "as the input", in: range).value
    }
    let d: Distribution
    switch type {
    case "normal": d = .normal(mean: try value("mean"), sd: try value("sd", 0...Double.greatestFiniteMagnitude))
    case "lognormal":
      d = .lognormal(
        median: try value("median", 0...Double.greatestFiniteMagnitude), sdLog: try value("sd_log", 0...10))
    case "triangular":
      let a = try value("min")
      let c = try value("mode")
      let b = try value("max")
      guard a <= c, c <= b else {
        throw InputError(map.location, key: map.path, expected: "min ≤ mode ≤ max", found: "\(a), \(c), \(b)")
      }
      d = .triangular(min: a, mode: c, max: b)
    case "uniform":
      let a = try value("min")
      let b = try value("max")
      guard a <= b else { throw InputError(map.location, key: map.path, expected: "min ≤ max", found: "\(a), \(b)") }
      d = .uniform(min: a, max: b)
    case "beta":
      d = .beta(alpha: try value("alpha", 1e-3...1e6), beta: try value("beta", 1e-3...1e6))
    default:
      throw InputError(
        map.valueLocation("type"), key: map.keyPath("type"), expected: "normal, lognormal, triangular, uniform or beta",
        found: "'\(type)'")
    }
    try map.finish()
    return d
  }
}
