import Foundation

/// The fixed numbers of the model's calculations, named and explained in one place.
///
/// `docs/MODEL.md` gives the equations they appear in. Everything else a calculation needs is
/// an input of the scenario; a test (`NumericLiteralTests`) fails if a number other than 0 or 1
/// is written into the calculation files instead of being named here.
public enum ModelConstants {
  /// Share of a financial year (April–March) in the academic year ending in it.
  ///
  /// April to August: 5 of the 12 months, so `cost(f) = 5/12 · cost(census f) + …`.
  public static let endingAcademicYearShare = 5.0 / 12.0

  /// Share of a financial year in the academic year starting in it.
  ///
  /// September to March: 7 of the 12 months, so `cost(f) = … + 7/12 · cost(census f+1)`.
  public static let startingAcademicYearShare = 7.0 / 12.0

  /// Percent in one whole: converts the Schools Block transfer percent to a fraction and the
  /// deficit to a percentage of the DSG.
  public static let percent = 100.0

  /// The DfE's threshold for a cumulative DSG deficit, in percent of the total DSG.
  ///
  /// A deficit above it is flagged in the KPIs and the summary reports the first such year.
  public static let deficitThresholdPercentOfDSG = 1.0
}
