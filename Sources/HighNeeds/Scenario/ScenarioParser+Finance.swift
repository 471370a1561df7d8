import Foundation

extension ScenarioParser {
  mutating func readCapacity(_ map: MapReader, axes: Axes) throws -> ScenarioInputs.Capacity {
    let P = axes.P
    let years = axes.academicLabels
    let path = try map.path("places")
    inputFiles.append(path)
    let (places, listed) = try { () throws -> ([[Double]], Set<Int>) in
      let table = try CSVTable.read(path: path, columns: ["placement", "academic_year", "places"])
      var places = Array(repeating: Array(repeating: -1.0, count: P), count: years.count)
      var listed = Set<Int>()
      var outsideLines = Set<Int>()
      for row in table.rows {
        let p = try axes.placement(row, "placement")
        let label = try row.required("academic_year")
        guard let start = YearLabel.parseAcademic(label) else {
          throw InputError(
            row.location("academic_year"), key: "academic_year", expected: "an academic year like 2025/26",
            found: "'\(label)'")
        }
        let value = try row.bounded(
          "places", atMost: InputBounds.places, rangeText: "a non-negative number of places",
          what: "places of one placement in one academic year")
        let t = start - (axes.base - 1)
        guard (0...axes.horizon).contains(t) else {
          outsideLines.insert(row.line)
          continue
        }
        if places[t][p] >= 0 {
          throw InputError(
            row.location("academic_year"), expected: "one row per placement and academic year",
            found: "\(row.string("placement")) \(label) again")
        }
        places[t][p] = value
        listed.insert(p)
      }
      let outside = outsideLines.count
      log.table(table, key: "capacity.places", value: "places", unit: "commissioned places", unusedLines: outsideLines)
      if outside > 0 {
        log.alert(
          path,
          "\(outside) row(s) for academic years outside \(years.first ?? "")–\(years.last ?? "") were read and not used"
        )
      }
      for p in 0..<P {
        for t in 0...axes.horizon {
          if listed.contains(p) && places[t][p] < 0 {
            throw InputError(
              SourceLocation(file: path), key: "places",
              expected:
                "places for \(axes.taxonomy.placements[p].id) in every academic year \(years.first ?? "")–\(years.last ?? "")",
              found: "none for \(years[t])")
          }
          if !listed.contains(p) { places[t][p] = 0 }
        }
      }
      return (places, listed)
    }()

    var overflow: [ScenarioInputs.Overflow] = []
    var overflowLocation = map.location
    var overflowKeyPath = map.keyPath("overflow")
    if let overflowMap = try map.map("overflow") {
      overflowLocation = overflowMap.location
      overflowKeyPath = overflowMap.path
      for (key, location) in overflowMap.keys {
        guard let p = axes.taxonomy.placementIndex(key) else {
          throw InputError(
            location, key: overflowMap.keyPath(key), expected: "a placement defined in the taxonomy", found: "'\(key)'")
        }
        guard listed.contains(p) else {
          throw InputError(
            location, key: overflowMap.keyPath(key), expected: "a placement with places in \(path)",
            found: "'\(key)' has none")
        }
        guard let destinations = try overflowMap.map(key) else { continue }
        var shares: [ScenarioInputs.Share] = []
        for (destination, destinationLocation) in destinations.keys {
          guard let q = axes.taxonomy.placementIndex(destination), q != p else {
            throw InputError(
              destinationLocation, key: destinations.keyPath(destination),
              expected: "another placement defined in the taxonomy", found: "'\(destination)'")
          }
          shares.append(
            ScenarioInputs.Share(
              destination: q,
              share: try destinations.number(destination, unit: "fraction", in: 0...1, rangeText: "a share in [0, 1]")))
        }
        try destinations.finish()
        overflow.append(
          ScenarioInputs.Overflow(placement: p, shares: shares, location: location, keyPath: overflowMap.keyPath(key)))
      }
      try overflowMap.finish()
    }
    return ScenarioInputs.Capacity(
      places: places, placesFile: path, overflow: overflow, overflowLocation: overflowLocation,
      overflowKeyPath: overflowKeyPath)
  }

  mutating func readCosts(_ map: MapReader, axes: Axes, capacity: ScenarioInputs.Capacity, thresholds: Thresholds)
    throws -> ScenarioInputs.Costs
  {
    let P = axes.P
    let N = axes.N
    let priceBasis = try map.string("price_basis")
    let academicText = try map.string("price_base_academic_year")
    guard let baseAcademic = YearLabel.parseAcademic(academicText) else {
      throw InputError(
        map.location, key: map.keyPath("price_base_academic_year"), expected: "an academic year like 2024/25",
        found: "'\(academicText)'")
    }
    let financialText = try map.string("price_base_financial_year")
    guard let baseFinancial = YearLabel.parseFinancial(financialText) else {
      throw InputError(
        map.location, key: map.keyPath("price_base_financial_year"), expected: "a financial year like 2025-26",
        found: "'\(financialText)'")
    }
    // Prices are uplifted from their base year, compounding: a base year centuries away (a
    // slip, such as 1025/26) would take them past any finite number.
    let span = InputBounds.priceBaseYears
    if abs(baseAcademic - (axes.base - 1)) > span {
      throw InputError(
        map.valueLocation("price_base_academic_year"), key: map.keyPath("price_base_academic_year"),
        expected:
          "an academic year within \(span) years of the base census's "
          + "(\(YearLabel.academic(startingIn: axes.base - 1 - span))–\(YearLabel.academic(startingIn: axes.base - 1 + span)))",
        found: "'\(academicText)'")
    }
    if abs(baseFinancial - axes.base) > span {
      throw InputError(
        map.valueLocation("price_base_financial_year"), key: map.keyPath("price_base_financial_year"),
        expected:
          "a financial year within \(span) years of the first forecast year "
          + "(\(YearLabel.financial(startingIn: axes.base - span))–\(YearLabel.financial(startingIn: axes.base + span)))",
        found: "'\(financialText)'")
    }

    // Top-ups.
    let path = try map.path("top_ups")
    inputFiles.append(path)
    let (topUp, lineOf) = try { () throws -> ([Double], [Int: Int]) in
      let table = try CSVTable.read(path: path, columns: ["placement", "need", "gbp_per_plan"])
      log.table(table, key: "costs.top_ups", value: "gbp_per_plan", unit: "gbp per plan per year at the price base")
      var general = Array(repeating: -1.0, count: P)
      var specific = Array(repeating: -1.0, count: N * P)
      var lineOf: [Int: Int] = [:]
      for row in table.rows {
        let p = try axes.placement(row, "placement")
        let n = try axes.needOrAll(row, "need")
        let value = try row.bounded(
          "gbp_per_plan", atMost: InputBounds.topUp, rangeText: "a non-negative amount in pounds",
          what: "gbp per plan per year")
        if let n {
          if specific[n * P + p] >= 0 {
            throw InputError(row.location("need"), expected: "each placement × need once", found: "a repeat")
          }
          specific[n * P + p] = value
        } else {
          if general[p] >= 0 {
            throw InputError(row.location("need"), expected: "one 'all' row per placement", found: "a repeat")
          }
          general[p] = value
        }
        lineOf[p] = row.line
      }
      var topUp = Array(repeating: 0.0, count: N * P)
      for p in 0..<P {
        for n in 0..<N {
          let value = specific[n * P + p] >= 0 ? specific[n * P + p] : general[p]
          if value < 0 {
            throw InputError(
              SourceLocation(file: path), key: "gbp_per_plan",
              expected: "a top-up for every placement × need (need 'all' covers a placement)",
              found: "none for \(axes.taxonomy.placements[p].id), \(axes.taxonomy.needs[n].id)")
          }
          topUp[n * P + p] = value
        }
      }
      return (topUp, lineOf)
    }()
    let positive = topUp.filter { $0 > 0 }.sorted()
    if !positive.isEmpty {
      let median = positive[positive.count / 2]
      for p in 0..<P {
        let highest = (0..<N).map { topUp[$0 * P + p] }.max() ?? 0
        if highest > thresholds.unitCostRatio * median {
          log.alert(
            "\(path):\(lineOf[p] ?? 0)",
            "top-up \(format(highest)) gbp for \(axes.taxonomy.placements[p].id) is more than \(format(thresholds.unitCostRatio)) times the median top-up (\(format(median)) gbp)"
          )
        }
      }
    }

    // Place funding.
    var placeFunding = [InputNumber?](repeating: nil, count: P)
    if let rates = try map.map("place_funding_gbp_per_place") {
      for (key, location) in rates.keys {
        guard let p = axes.taxonomy.placementIndex(key) else {
          throw InputError(
            location, key: rates.keyPath(key), expected: "a placement defined in the taxonomy", found: "'\(key)'")
        }
        placeFunding[p] = try rates.number(
          key, unit: "gbp per place per year", in: 0...InputBounds.placeFunding,
          rangeText: InputBounds.text(
            "a non-negative amount", atMost: InputBounds.placeFunding, "gbp per place per year"))
      }
      try rates.finish()
    }
    for p in 0..<P where placeFunding[p] == nil && capacity.places.contains(where: { $0[p] > 0 }) {
      throw InputError(
        map.location, key: map.keyPath("place_funding_gbp_per_place"),
        expected: "a rate for every placement with commissioned places (0 if none is paid)",
        found: "none for '\(axes.taxonomy.placements[p].id)'")
    }
    let placeFundingUplift = try map.number(
      "place_funding_uplift_fraction_per_year", unit: "fraction per year", in: -0.5...1,
      rangeText: "a fraction per year in [-0.5, 1]")

    // Cost lines.
    guard let lineTrees = try map.list("cost_lines") else { throw map.missing("cost_lines", "a list of cost lines") }
    var lines: [ScenarioInputs.Line] = []
    var owner = Array(repeating: -1, count: P)
    for (index, item) in lineTrees.enumerated() {
      let line = try MapReader(item, path: map.keyPath("cost_lines.\(item.identifier ?? String(index))"), log: log)
      let id = try line.string("id")
      let label = try line.string("label")
      guard let placementTrees = try line.list("placements") else {
        throw line.missing("placements", "a list of placement ids")
      }
      var members: [Int] = []
      for tree in placementTrees {
        guard case .scalar(let pid, let location) = tree, let p = axes.taxonomy.placementIndex(pid) else {
          throw InputError(
            tree.location, key: line.keyPath("placements"), expected: "a placement defined in the taxonomy",
            found: tree.kindDescription)
        }
        if owner[p] >= 0 {
          throw InputError(
            location, key: line.keyPath("placements"), expected: "each placement in one cost line",
            found: "'\(pid)' also in '\(lines[owner[p]].id)'")
        }
        owner[p] = lines.count
        members.append(p)
      }
      let uplift = try readUplift(line)
      try line.finish()
      if lines.contains(where: { $0.id == id }) {
        throw InputError(
          line.location, key: line.keyPath("id"), expected: "unique cost line ids", found: "'\(id)' again")
      }
      lines.append(
        ScenarioInputs.Line(id: id, label: label, placements: members, uplift: uplift, keyPath: line.path))
    }
    if let p = owner.firstIndex(of: -1) {
      throw InputError(
        map.location, key: map.keyPath("cost_lines"), expected: "every placement in a cost line",
        found: "'\(axes.taxonomy.placements[p].id)' in none")
    }

    // Central lines.
    var central: [ScenarioInputs.CentralLineInput] = []
    for (index, item) in (try map.list("central_lines") ?? []).enumerated() {
      let line = try MapReader(item, path: map.keyPath("central_lines.\(item.identifier ?? String(index))"), log: log)
      let id = try line.string("id")
      let label = try line.string("label")
      let gbp = try line.number(
        "gbp", unit: "gbp per year", in: 0...InputBounds.amount,
        rangeText: InputBounds.text("a non-negative amount", atMost: InputBounds.amount, "gbp"))
      let uplift = try readUplift(line)
      try line.finish()
      if central.contains(where: { $0.id == id }) || lines.contains(where: { $0.id == id }) {
        throw InputError(line.location, key: line.keyPath("id"), expected: "unique line ids", found: "'\(id)' again")
      }
      central.append(
        ScenarioInputs.CentralLineInput(id: id, label: label, gbp: gbp, uplift: uplift, keyPath: line.path))
    }
    return ScenarioInputs.Costs(
      priceBasis: priceBasis, baseAcademicYear: baseAcademic, baseFinancialYear: baseFinancial,
      topUpInput: topUp, placeFundingRate: placeFunding, placeFundingUplift: placeFundingUplift,
      lines: lines, central: central)
  }

  /// A cost or central line's annual uplift.
  func readUplift(_ line: MapReader) throws -> InputNumber {
    try line.number(
      "uplift_fraction_per_year", unit: "fraction per year", in: -0.5...1,
      rangeText: "a fraction per year in [-0.5, 1]")
  }

  func readIncome(_ map: MapReader, axes: Axes) throws -> ScenarioInputs.Income {
    let labels = axes.financialLabels
    let H = axes.horizon
    let first = try map.number(
      "hnb_allocation_gbp", unit: "gbp", in: 0...InputBounds.amount,
      rangeText: InputBounds.text("a non-negative amount", atMost: InputBounds.amount, "gbp"))
    var hnbGrowth: InputSeries?
    if H > 1 {
      let growthLabels = Array(labels.dropFirst())
      guard
        let growth = try map.series(
          "hnb_growth_fraction_per_year", labels: growthLabels, unit: "fraction per year", in: -0.5...1,
          rangeText: "a growth fraction in [-0.5, 1]")
      else {
        throw map.missing(
          "hnb_growth_fraction_per_year", "growth for \(growthLabels.first ?? "")…\(growthLabels.last ?? "")")
      }
      hnbGrowth = growth
    } else if let growth = try map.series(
      "hnb_growth_fraction_per_year", labels: [], unit: "fraction per year", in: -0.5...1,
      rangeText: "a growth fraction in [-0.5, 1]")
    {
      hnbGrowth = growth
      log.alert("income.hnb_growth_fraction_per_year", "not used: a one-year horizon has no year of growth")
    }
    func series(_ key: String, range: ClosedRange<Double>, rangeText: String) throws -> InputSeries {
      guard
        let values = try map.series(
          key, labels: labels, unit: key.hasSuffix("percent") ? "percent" : "gbp", in: range, rangeText: rangeText)
      else {
        throw map.missing(key, "a value, or a value for each financial year \(labels.first ?? "")…\(labels.last ?? "")")
      }
      return values
    }
    let nonNegative = InputBounds.text("a non-negative amount", atMost: InputBounds.amount, "gbp")
    let deductions = try series("deductions_gbp", range: 0...InputBounds.amount, rangeText: nonNegative)
    let importExport = try series(
      "import_export_adjustment_gbp", range: -InputBounds.amount...InputBounds.amount,
      rangeText: "an amount within ±£100bn")
    let schoolsBlock = try series("schools_block_gbp", range: 0...InputBounds.amount, rangeText: nonNegative)
    let transfer = try series("schools_block_transfer_percent", range: 0...100, rangeText: "a percentage in [0, 100]")
    let totalDSG = try series(
      "total_dsg_gbp", range: 1...InputBounds.amount,
      rangeText: InputBounds.text("a positive amount", atMost: InputBounds.amount, "gbp"))
    // Other income lines: `other_income: [{id, label, gbp}]`, each amount a series.
    var otherLines: [(id: String, label: String, gbp: InputSeries)] = []
    for (index, item) in (try map.list("other_income") ?? []).enumerated() {
      let line = try MapReader(item, path: "income.other_income.\(item.identifier ?? String(index))", log: log)
      let id = try line.string("id")
      if otherLines.contains(where: { $0.id == id }) {
        throw InputError(line.location, key: "\(line.path).id", expected: "unique line ids", found: "'\(id)' again")
      }
      let label = try line.optionalString("label") ?? id
      guard
        let gbp = try line.series(
          "gbp", labels: labels, unit: "gbp", in: -InputBounds.amount...InputBounds.amount,
          rangeText: "an amount within ±£100bn")
      else { throw line.missing("gbp", "an amount, or one for each financial year") }
      _ = try line.optionalString("source")
      try line.finish()
      otherLines.append((id, label, gbp))
    }
    return ScenarioInputs.Income(
      hnbAllocation: first, hnbGrowth: hnbGrowth, deductions: deductions, importExportAdjustment: importExport,
      schoolsBlock: schoolsBlock, schoolsBlockTransferPercent: transfer, totalDSG: totalDSG, otherLines: otherLines)
  }

  func readMitigations(_ items: [YAMLTree], axes: Axes, hasPipeline: Bool, costLines: [String]) throws
    -> [ScenarioInputs.MitigationInput]
  {
    var mitigations: [ScenarioInputs.MitigationInput] = []
    for (index, item) in items.enumerated() {
      let map = try MapReader(item, path: "mitigations.\(item.identifier ?? String(index))", log: log)
      let id = try map.string("id")
      let prefix = map.path
      let label = try map.optionalString("label") ?? id
      let leverName = try map.string("lever")
      let startText = try map.string("start")
      guard let start = YearLabel.parseAcademic(startText) else {
        throw InputError(
          map.valueLocation("start"), key: "\(prefix).start", expected: "an academic year like 2026/27",
          found: "'\(startText)'")
      }
      let ramp = try map.int("ramp_years", in: 1...20, unit: "years")
      let source = try map.optionalString("source") ?? "not stated"
      /// Ages are read only for the levers that act by age; elsewhere `ages` is an unknown key.
      func ages() throws -> ClosedRange<Int> {
        guard let text = try map.optionalString("ages") else { return 0...AgeAxis.maxAge }
        guard let range = parseAgeRange(text), range.lowerBound >= 0, range.upperBound <= AgeAxis.maxAge else {
          throw InputError(
            map.valueLocation("ages"), key: "\(prefix).ages", expected: "an age range like 4-10 within 0–25",
            found: "'\(text)'")
        }
        return range
      }
      func placement(_ key: String) throws -> Int {
        let text = try map.string(key)
        guard let p = axes.taxonomy.placementIndex(text) else {
          throw InputError(
            map.valueLocation(key), key: "\(prefix).\(key)", expected: "a placement defined in the taxonomy",
            found: "'\(text)'")
        }
        return p
      }
      func value(_ key: String, unit: String, _ range: ClosedRange<Double>, _ text: String) throws -> InputNumber {
        guard let tree = try map.tree(key) else { throw map.missing(key, "a number (\(unit))") }
        return try MapReader.number(
          tree, keyPath: "\(prefix).\(key)", unit: unit, range: range, rangeText: text, log: log)
      }
      let kind: ScenarioInputs.MitigationInput.LeverKind
      let amount: InputNumber
      var leverAges = 0...AgeAxis.maxAge
      switch leverName {
      case "scale_incidence":
        leverAges = try ages()
        kind = .scaleIncidence
        amount = try value("factor", unit: "multiplier", 0...10, "a multiplier in [0, 10]")
      case "scale_cessation":
        leverAges = try ages()
        kind = .scaleCessation
        amount = try value("factor", unit: "multiplier", 0...10, "a multiplier in [0, 10]")
      case "scale_requests", "scale_refusals", "scale_conversion":
        guard hasPipeline else {
          throw InputError(
            map.valueLocation("lever"), key: "\(prefix).lever",
            expected: "caseload.pipeline in the scenario (\(leverName) acts on the assessment pipeline)",
            found: "no pipeline: new plans come from caseload.incidence")
        }
        leverAges = try ages()
        kind =
          [
            "scale_requests": .scaleRequests, "scale_refusals": .scaleRefusals, "scale_conversion": .scaleConversion,
          ][leverName] ?? .scaleRequests
        amount = try value("factor", unit: "multiplier", 0...10, "a multiplier in [0, 10]")
      case "unit_cost":
        kind = .unitCost(placement: try placement("placement"))
        amount = try value("factor", unit: "multiplier", 0...10, "a multiplier in [0, 10]")
      case "add_capacity":
        kind = .addCapacity(placement: try placement("placement"))
        amount = try value(
          "places", unit: "places", -InputBounds.places...InputBounds.places, "a number of places within ±1000000")
      case "shift_new_plans", "shift_placements":
        leverAges = try ages()
        let from = try placement("from")
        let to = try placement("to")
        if from == to {
          throw InputError(
            map.valueLocation("to"), key: "\(prefix).to", expected: "a placement other than 'from'",
            found: "the same placement")
        }
        if leverName == "shift_new_plans" && map.has("target_share") {
          if map.has("share") {
            throw InputError(
              map.valueLocation("share"), key: "\(prefix).share", expected: "either share or target_share, not both",
              found: "both")
          }
          kind = .shiftNewPlansToTarget(from: from, to: to)
          amount = try value("target_share", unit: "fraction", 0...1, "a share in [0, 1]")
        } else {
          kind =
            leverName == "shift_new_plans" ? .shiftNewPlans(from: from, to: to) : .shiftPlacements(from: from, to: to)
          amount = try value("share", unit: "fraction", 0...1, "a share in [0, 1]")
        }
      case "divert_new_plans":
        leverAges = try ages()
        var needs = Array(axes.taxonomy.needs.indices)
        if let list = try map.list("needs") {
          needs = try list.map { item in
            guard case .scalar(let id, _) = item, let n = axes.taxonomy.needIndex(id) else {
              var found = item.kindDescription
              if case .scalar(let id, _) = item { found = InputError.quoted(id) }
              throw InputError(
                item.location, key: "\(prefix).needs",
                expected: "needs defined in the taxonomy (\(axes.taxonomy.needs.map(\.id).joined(separator: ", ")))",
                found: found)
            }
            return n
          }
        }
        let cost = try map.optionalNumber(
          "cost_gbp_per_child_per_year", unit: "gbp per child per year", in: 0...1e7,
          rangeText: "a non-negative amount up to £10m")
        let years = try map.tree("support_years") == nil ? 1 : try map.int("support_years", in: 1...25, unit: "years")
        kind = .divertNewPlans(needs: needs, costPerChild: cost?.value ?? 0, supportYears: years)
        amount = try value("share", unit: "fraction", 0...1, "a share in [0, 1]")
      case "reassess_at_transfer":
        guard map.has("ages") else { throw map.missing("ages", "the ages of the phase transfer, e.g. 10 or 10-11") }
        leverAges = try ages()
        kind = .reassessAtTransfer
        amount = try value("share", unit: "fraction of plans", 0...1, "a share in [0, 1]")
      case "cap_uplift":
        let lineID = try map.string("line")
        guard let line = costLines.firstIndex(of: lineID) else {
          throw InputError(
            map.valueLocation("line"), key: "\(prefix).line",
            expected: "a cost line of costs.cost_lines (\(costLines.joined(separator: ", ")))",
            found: InputError.quoted(lineID))
        }
        kind = .capUplift(line: line)
        amount = try value("uplift_fraction_per_year", unit: "fraction per year", -0.5...1, "an uplift in [-0.5, 1]")
      default:
        throw InputError(
          map.valueLocation("lever"), key: "\(prefix).lever",
          expected:
            "one of scale_incidence, shift_new_plans, shift_placements, unit_cost, add_capacity, scale_cessation, "
            + "scale_requests, scale_refusals, scale_conversion, divert_new_plans, reassess_at_transfer, cap_uplift",
          found: "'\(leverName)'")
      }
      var annualCost: InputNumber?
      if let tree = try map.tree("cost_gbp_per_year") {
        annualCost = try MapReader.number(
          tree, keyPath: "\(prefix).cost_gbp_per_year", unit: "gbp per year", range: 0...InputBounds.amount,
          rangeText: InputBounds.text("a non-negative amount", atMost: InputBounds.amount, "gbp"), log: log)
      }
      try map.finish()
      if mitigations.contains(where: { $0.id == id }) {
        throw InputError(map.location, key: "\(prefix).id", expected: "unique mitigation ids", found: "'\(id)' again")
      }
      if start > axes.base + axes.horizon - 1 {
        log.alert(prefix, "starts in \(startText), after the last projected academic year: it has no effect")
      }
      if start < axes.base - 1 {
        // An alert, not an error: a lever already under way at the base census is a fair input
        // when the rates were estimated from the years before it; a year like 1900/01 is a slip.
        let strength = min(1, Double(axes.base - start + 1) / Double(ramp))
        log.alert(
          "\(map.valueLocation("start")): \(prefix).start",
          "starts in \(startText), before the base census (January \(axes.base), in "
            + "\(YearLabel.academic(startingIn: axes.base - 1))): it acts from the first projected year at "
            + (strength == 1 ? "full strength" : "strength \(format(strength))")
            + ", and what it did before the census is already in the base data; check the year")
      }
      switch kind {
      case .scaleCessation, .shiftPlacements:
        if leverAges.lowerBound == AgeAxis.maxAge {
          log.alert(prefix, "acts only at age 25, where every plan ends anyway: it has no effect")
        }
      default:
        break
      }
      mitigations.append(
        ScenarioInputs.MitigationInput(
          id: id, label: label, kind: kind, amount: amount, startAcademicYear: start, rampYears: ramp, ages: leverAges,
          source: source, annualCost: annualCost, keyPath: prefix, placementLocation: map.valueLocation("placement")))
    }
    if mitigations.count > Self.maxMitigations {
      throw InputError(
        SourceLocation(file: files.first ?? ""), key: "mitigations",
        expected: "at most \(Self.maxMitigations) mitigations (savings are attributed over all 2^k combinations)",
        found: "\(mitigations.count)")
    }
    return mitigations
  }

  static let maxMitigations = 10
}

extension ScenarioParser {
  /// `reserve.settlement`: the deficit date, the figures compared, the write-off share, the
  /// years of the grant and the council's share, and the end of the statutory override.
  func readSettlement(_ map: MapReader, axes: Axes) throws -> Settlement {
    let labels = axes.financialLabels
    let first = axes.base
    let last = axes.base + axes.horizon
    // The 31 March the deficit is measured at: from the opening balance's to the run's last.
    let date = try map.int("deficit_at_31_march", in: first...last, unit: "year")
    let deficitYear = date - axes.base - 1
    /// A financial year of the run after the deficit date, or nil for `none`; recorded in the
    /// assumptions log, a default as an assumption with `why`.
    func year(_ key: String, default value: String?, why: String) throws -> Int? {
      let written = try map.optionalString(key)
      let text = written ?? value
      log.record(
        key: map.keyPath(key), value: text ?? "none", unit: "financial year",
        source: written == nil ? why : "scenario setting", status: written == nil ? .assumption : .setting,
        location: written == nil ? map.location : map.valueLocation(key))
      guard let text, text != "none" else { return nil }
      guard let f = labels.firstIndex(of: text) else {
        throw InputError(
          map.valueLocation(key), key: map.keyPath(key),
          expected: "a financial year \(labels.first ?? "")…\(labels.last ?? "") or none",
          found: InputError.quoted(text))
      }
      guard f > deficitYear else {
        throw InputError(
          map.valueLocation(key), key: map.keyPath(key),
          expected: "a financial year after the deficit date (31 March \(date))", found: text)
      }
      return f
    }
    let writeOff = try map.optionalNumber(
      "write_off_share", unit: "fraction", in: 0...1, rangeText: "a share in [0, 1]")
    // Default: the grant in autumn 2026, when the run has that year.
    let grantDefault = labels.contains("2026-27") && 2026 - axes.base > deficitYear ? "2026-27" : "none"
    let grant = try year(
      "grant_received_in", default: grantDefault,
      why: "default: autumn 2026, on the DfE's approval of the Local SEND Reform Plan")
    let localShare = try year(
      "local_share_paid_in", default: nil, why: "default: the council's share stays on the DSG as a deficit")
    if writeOff == nil {
      log.record(
        key: map.keyPath("write_off_share"), value: format(Settlement.settlementWriteOffShare), unit: "fraction",
        source: "default: the High Needs Stability Grant clears 90% of the eligible deficit", status: .assumption,
        location: map.location)
    }
    var overrideLast: Int?
    let overrideWritten = try map.optionalString("statutory_override_last_year")
    let overrideText = overrideWritten ?? "2027-28"
    log.record(
      key: map.keyPath("statutory_override_last_year"), value: overrideText, unit: "financial year",
      source: overrideWritten == nil
        ? "default: the DSG statutory override runs to the end of 2027-28" : "scenario setting",
      status: overrideWritten == nil ? .assumption : .setting,
      location: overrideWritten == nil ? map.location : map.valueLocation("statutory_override_last_year"))
    // A financial year label `YYYY-YY`: before the run (every year is after it), in it, or
    // after it (the override outlives the run: no year is).
    guard let start = Int(overrideText.prefix(4)), YearLabel.financial(startingIn: start) == overrideText else {
      throw InputError(
        map.valueLocation("statutory_override_last_year"), key: map.keyPath("statutory_override_last_year"),
        expected: "a financial year such as 2027-28", found: InputError.quoted(overrideText))
    }
    if let f = labels.firstIndex(of: overrideText) {
      overrideLast = f
    } else if start < axes.base {
      overrideLast = -1
    }
    var figures: [Settlement.Figure] = []
    if let figuresMap = try map.map("eligible_deficit_gbp") {
      for (key, _) in figuresMap.keys {
        let value = try figuresMap.number(
          key, unit: "gbp", in: 0...InputBounds.amount,
          rangeText: InputBounds.text("a deficit (positive)", atMost: InputBounds.amount, "gbp"))
        figures.append(Settlement.Figure(source: key, deficitGBP: value.value))
      }
      try figuresMap.finish()
      if figures.isEmpty {
        throw InputError(
          figuresMap.location, key: figuresMap.path, expected: "at least one figure (s251, outturn, accounts)",
          found: "none")
      }
    }
    return Settlement(
      deficitYear: deficitYear, figures: figures, writeOffShare: writeOff?.value ?? Settlement.settlementWriteOffShare,
      grantYear: grant,
      localShareYear: localShare, overrideLastYear: overrideLast)
  }
}
