import Foundation

/// Reading a taxonomy from its CSV files.
extension Taxonomy {
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
    let memory = bytes >= 1e9 ? NumberFormat.fixed(bytes / 1e9, 1) + " GB" : NumberFormat.fixed(bytes / 1e6, 0) + " MB"
    let bound =
      NumberFormat.fixed(estimatedBytes(placements: maximumPlacements, needs: maximumNeeds, horizonYears: 40) / 1e6, 0)
      + " MB"
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
