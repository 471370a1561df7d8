import Foundation

/// The DfE DSG management plan's seven placement groups, used for reporting.
public enum PlacementGroup: String, CaseIterable, Sendable, Comparable {
  case mainstream
  case resourcedProvision = "resourced_provision"
  case maintainedSpecial = "maintained_special"
  case independentSpecial = "independent_special"
  case hospitalAP = "hospital_ap"
  case post16FE = "post16_fe"
  case other

  /// The group's label in the DfE management plan template.
  public var label: String {
    switch self {
    case .mainstream: return "Mainstream schools or academies"
    case .resourcedProvision: return "Resourced provision or SEN units"
    case .maintainedSpecial: return "Maintained special schools or special academies"
    case .independentSpecial: return "NMSS or independent schools"
    case .hospitalAP: return "Hospital schools or alternative provision"
    case .post16FE: return "Post 16 and further education"
    case .other: return "Other (early years, educated elsewhere, NEET)"
    }
  }

  var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

/// Where a placement is, for the "educated in borough" measure.
public enum PlacementLocation: String, Sendable {
  case inBorough = "in_borough"
  case outOfBorough = "out_of_borough"
  case notApplicable = "not_applicable"
}

/// One placement type of the scenario's taxonomy.
public struct Placement: Sendable, Equatable {
  public var id: String
  public var label: String
  public var group: PlacementGroup
  public var location: PlacementLocation
}

/// One primary need of the scenario's taxonomy.
public struct Need: Sendable, Equatable {
  public var id: String
  public var label: String
}

/// The placements and needs a scenario names; their order is the state's column order.
public struct Taxonomy: Sendable, Equatable {
  public var placements: [Placement]
  public var needs: [Need]

  /// Index of placement `id`, if defined.
  public func placementIndex(_ id: String) -> Int? { placements.firstIndex { $0.id == id } }
  /// Index of need `id`, if defined.
  public func needIndex(_ id: String) -> Int? { needs.firstIndex { $0.id == id } }

  /// Most placements a taxonomy may define (SEN2 has 12).
  public static let maximumPlacements = 100
  /// Most needs a taxonomy may define (SEN2 has 13).
  public static let maximumNeeds = 50

  /// Bytes a run holds for a taxonomy of `placements` × `needs` over `horizonYears`: about
  /// three arrays of 26 ages × needs × placements numbers per census year (the state, its
  /// flows and the tables) and two placements × placements matrices per age (the transitions
  /// and their cumulated form), 8 bytes each.
  ///
  /// An upper estimate: measured with a debug build of `hnb run` (peak resident memory, less
  /// the 35 MB the program takes empty), 29 MB at 100 × 50 over 10 years (estimate 38 MB),
  /// 95 MB over 40 years (estimate 132 MB), 440 MB at 400 × 200 over 10 years (estimate 613 MB).
  public static func estimatedBytes(placements: Int, needs: Int, horizonYears: Int) -> Double {
    let cells = Double(AgeAxis.count) * Double(needs) * Double(placements)
    let matrices = 2 * Double(AgeAxis.maxAge) * Double(placements) * Double(placements)
    return 8 * (3 * cells * Double(horizonYears + 1) + matrices)
  }

  /// Reads `placements.csv` (`id,label,group,location`) and `needs.csv` (`id,label`).
  ///
  /// Both files are counted before anything is built: more than `maximumPlacements`
  /// placements or `maximumNeeds` needs is an error that states the memory a run would need.
  public static func load(placementsPath: String, needsPath: String) throws -> Taxonomy {
    let placementTable = try CSVTable.read(
      path: placementsPath, columns: ["id", "label", "group", "location"])
    let needTable = try CSVTable.read(path: needsPath, columns: ["id", "label"])
    try checkSize(placementTable, needTable)
    var placements: [Placement] = []
    for row in placementTable.rows {
      let id = try row.required("id")
      try checkIdentifier(id, row: row, column: "id")
      if placements.contains(where: { $0.id == id }) {
        throw InputError(
          row.location("id"), key: "id", expected: "each placement once", found: "\(InputError.quoted(id)) again")
      }
      let groupText = try row.required("group")
      guard let group = PlacementGroup(rawValue: groupText) else {
        throw InputError(
          row.location("group"), key: "group",
          expected: "one of \(PlacementGroup.allCases.map(\.rawValue).joined(separator: ", "))",
          found: InputError.quoted(groupText))
      }
      let locationText = try row.required("location")
      guard let location = PlacementLocation(rawValue: locationText) else {
        throw InputError(
          row.location("location"), key: "location",
          expected: "in_borough, out_of_borough or not_applicable", found: InputError.quoted(locationText))
      }
      placements.append(
        Placement(id: id, label: try row.required("label"), group: group, location: location))
    }
    var needs: [Need] = []
    for row in needTable.rows {
      let id = try row.required("id")
      try checkIdentifier(id, row: row, column: "id")
      if needs.contains(where: { $0.id == id }) {
        throw InputError(
          row.location("id"), key: "id", expected: "each need once", found: "\(InputError.quoted(id)) again")
      }
      needs.append(Need(id: id, label: try row.required("label")))
    }
    if placements.isEmpty {
      throw InputError(SourceLocation(file: placementsPath), expected: "at least one placement", found: "none")
    }
    if needs.isEmpty {
      throw InputError(SourceLocation(file: needsPath), expected: "at least one need", found: "none")
    }
    return Taxonomy(placements: placements, needs: needs)
  }

  /// Refuses a taxonomy above `maximumPlacements` × `maximumNeeds`, naming the first row
  /// over the bound and the memory a 40-year run would need.
  private static func checkSize(_ placements: CSVTable, _ needs: CSVTable) throws {
    let p = placements.rows.count
    let n = needs.rows.count
    let bytes = estimatedBytes(placements: p, needs: n, horizonYears: 40)
    let memory = bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    let bound = String(
      format: "%.0f MB", estimatedBytes(placements: maximumPlacements, needs: maximumNeeds, horizonYears: 40) / 1e6)
    let why = "the state holds 26 ages × placements × needs numbers for every year: about \(bound) at the bounds"
    if p > maximumPlacements {
      throw InputError(
        SourceLocation(file: placements.file, line: placements.rows[maximumPlacements].line),
        expected: "at most \(maximumPlacements) placements (\(why))",
        found: "\(p) placements (with \(n) needs, a 40-year run would need about \(memory))")
    }
    if n > maximumNeeds {
      throw InputError(
        SourceLocation(file: needs.file, line: needs.rows[maximumNeeds].line),
        expected: "at most \(maximumNeeds) needs (\(why))",
        found: "\(n) needs (with \(p) placements, a 40-year run would need about \(memory))")
    }
  }

  private static func checkIdentifier(_ id: String, row: CSVRow, column: String) throws {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-"))
    if id == "all" || id.unicodeScalars.contains(where: { !allowed.contains($0) }) {
      throw InputError(
        row.location(column), key: column,
        expected: "an id of letters, digits, '_' or '-' (not 'all')", found: InputError.quoted(id))
    }
  }
}
