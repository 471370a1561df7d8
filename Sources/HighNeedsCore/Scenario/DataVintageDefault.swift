/// The data-sunset rule (`DataVintage`, in the I/O layer): only its default lives in the core.
public enum DataVintage {
  /// Default of `alerts.census_age_years_above`: the January census of year Y is published in
  /// June of Y, so by January Y+2 a newer census has been out for more than six months.
  public static let defaultCensusAgeYearsAbove = 1
}
