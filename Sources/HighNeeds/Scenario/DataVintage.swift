import Foundation

/// A calendar date `YYYY-MM-DD` (no time, no zone): the date a run is made "as of".
public struct CalendarDate: Sendable, Equatable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  /// Parses `YYYY-MM-DD`; nil unless it is a real date (no 2025-02-30).
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
    else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    guard (1...days).contains(day) else { return nil }
    (self.year, self.month, self.day) = (year, month, day)
  }

  /// The date `year`-`month`-`day`, unchecked.
  init(year: Int, month: Int, day: Int) {
    (self.year, self.month, self.day) = (year, month, day)
  }

  /// Today in UTC.
  public static func today() -> CalendarDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let c = calendar.dateComponents([.year, .month, .day], from: Date())
    return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
  }

  public var description: String {
    [
      NumberFormat.zeroPadded(year, width: 4), NumberFormat.zeroPadded(month, width: 2),
      NumberFormat.zeroPadded(day, width: 2),
    ].joined(separator: "-")
  }
}

/// The data-sunset rule: how old the newest census behind a forecast is on the as-of date,
/// and the alert when it is older than the scenario allows.
///
/// A scenario's newest census is `time.base_census_year` (the January SEN2 census its baseline
/// caseload comes from; everything projected rests on it). Its age is the as-of year minus that
/// year. When the age is above `alerts.census_age_years_above` (default
/// `defaultCensusAgeYearsAbove`), or the census is after the as-of date, the run alerts: on
/// standard error and in the manifest. The as-of date is an input (`--as-of`, default today),
/// so that the same inputs and date give the same outputs.
extension DataVintage {

  /// The newest census year the scenario's forecast rests on.
  public static func newestCensusYear(_ scenario: Scenario) -> Int { scenario.baseCensusYear }

  /// Whole years from the newest census to `asOf` (as-of year minus census year).
  public static func censusAgeYears(_ scenario: Scenario, asOf: CalendarDate) -> Int {
    asOf.year - newestCensusYear(scenario)
  }

  /// The data-sunset alert for `scenario` on `asOf`, at `time.base_census_year` of `file` (where
  /// the scenario is written), or nil when its data is recent enough.
  public static func alert(_ scenario: Scenario, file: String, asOf: CalendarDate) -> Alert? {
    sunsetMessage(scenario, asOf: asOf).map { Alert(location: "\(file): time.base_census_year", message: $0) }
  }

  /// The data-sunset alert's message for `scenario` on `asOf`, or nil when its data is recent
  /// enough.
  static func sunsetMessage(_ scenario: Scenario, asOf: CalendarDate) -> String? {
    let year = newestCensusYear(scenario)
    let age = censusAgeYears(scenario, asOf: asOf)
    // A January census counts from the 1st of January of its year.
    if asOf.year < year {
      return "the newest census, January \(year), is after the as-of date \(asOf): check base_census_year and --as-of"
    }
    guard age > scenario.censusAgeAlertYears else { return nil }
    return
      "data sunset: the newest census in the inputs is January \(year), \(age) years before the as-of date \(asOf) "
      + "(more than alerts.census_age_years_above = \(scenario.censusAgeAlertYears)); newer SEN2 data has been "
      + "published: refresh the inputs before relying on this forecast"
  }

  /// `loaded` with its data-sunset alert (if any) among its scenario's alerts, at its first
  /// scenario file.
  public static func applying(asOf: CalendarDate, to loaded: LoadedScenario) -> LoadedScenario {
    var l = loaded
    let file = l.source.scenarioFiles.first ?? l.scenario.name
    if let alert = alert(l.scenario, file: file, asOf: asOf), !l.scenario.alerts.contains(alert) {
      l.scenario.alerts.append(alert)
      l.scenario.alerts.sort()
    }
    return l
  }

  /// What the manifest records about `scenario`'s data vintage on `asOf`.
  public static func manifestEntry(_ scenario: Scenario, asOf: CalendarDate) -> Manifest.VintageEntry {
    Manifest.VintageEntry(
      newestCensus: "January \(newestCensusYear(scenario))", newestCensusYear: newestCensusYear(scenario),
      censusAgeYears: censusAgeYears(scenario, asOf: asOf), censusAgeYearsAbove: scenario.censusAgeAlertYears,
      dataSunsetAlert: sunsetMessage(scenario, asOf: asOf) != nil, newestOutturnYear: scenario.outturn.map(\.year).max()
    )
  }

  /// `manifest` with the as-of date, each scenario's data vintage and every alert of
  /// `scenarios`.
  public static func annotate(_ manifest: Manifest, scenarios: [Scenario], asOf: CalendarDate) -> Manifest {
    var m = manifest
    m.asOf = asOf.description
    m.dataVintage = Dictionary(scenarios.map { ($0.name, manifestEntry($0, asOf: asOf)) }) { $1 }
    m.alerts = scenarios.flatMap { $0.alerts.map(\.text) }
    return m
  }
}
