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

  package init(
    id: String, label: String, group: PlacementGroup, location: PlacementLocation
  ) {
    self.id = id
    self.label = label
    self.group = group
    self.location = location
  }
}

/// One primary need of the scenario's taxonomy.
public struct Need: Sendable, Equatable {
  public var id: String
  public var label: String

  package init(
    id: String, label: String
  ) {
    self.id = id
    self.label = label
  }
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

  package init(
    placements: [Placement], needs: [Need]
  ) {
    self.placements = placements
    self.needs = needs
  }
}
