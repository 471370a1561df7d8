import Foundation

/// The assessment pipeline of a generated scenario: the LA's refusal and conversion shares by
/// age band from its SEN2 requests and assessments, and request rates that start exactly the
/// baseline's new plans (docs/INIT.md, "The assessment pipeline").
extension Builder {
  /// The model's age bands the shares are pooled over (small counts by single age are noisy).
  static let pipelineBands: [ClosedRange<Int>] = AgeAxis.bands.map(\.ages)
  /// The fewest decisions (or completed assessments) in a band for the LA's own share: below
  /// it, one or two cases would set the share (an LA with one assessment at 20-25, not issued,
  /// would convert none and lose every new plan of those ages), so England's share stands in.
  static let minimumPipelineCases = 10.0

  /// The share `numerator / (numerator + other)` by band from `la`'s single-age rows over every
  /// calendar year that has them (rows of unknown age are left out); nil for a band with a
  /// withheld cell or fewer than `minimumPipelineCases` cases.
  func pooledShares(_ la: String, numerator: String, other: String) -> [Double?] {
    var sums = Array(repeating: (0.0, 0.0), count: Builder.pipelineBands.count)
    var withheld = Array(repeating: false, count: Builder.pipelineBands.count)
    for (_, cells) in (pack.requests[la] ?? [:]).sorted(by: { $0.key < $1.key }) {
      for cell in cells where cell.age != "Total" && (cell.category == numerator || cell.category == other) {
        guard let ages = Builder.ages(of: cell.age),
          let band = Builder.pipelineBands.firstIndex(where: {
            $0.contains(ages.lowerBound)
          })
        else { continue }
        guard let value = cell.value else {
          withheld[band] = true
          continue
        }
        if cell.category == numerator { sums[band].0 += value }
        sums[band].1 += value
      }
    }
    return sums.indices.map { b in
      withheld[b] || sums[b].1 < Builder.minimumPipelineCases ? nil : sums[b].0 / sums[b].1
    }
  }

  /// The refusal (not assessed / decided) and conversion (issued / issued + not issued) shares
  /// of each age band: the LA's own where published, else England's, noted with their status.
  mutating func pipelineShares() throws -> (refusal: [Double], conversion: [Double]) {
    let years = (pack.requests[code] ?? [:]).filter { $0.value.contains { $0.age != "Total" } }.keys.sorted()
    let yearText = years.map(String.init).joined(separator: " and ")
    func shares(_ numerator: String, _ other: String, key: String, what: String) throws -> [Double] {
      let own = pooledShares(code, numerator: numerator, other: other)
      let england = pooledShares("", numerator: numerator, other: other)
      var values: [Double] = []
      var borrowed: [String] = []
      for (b, band) in Builder.pipelineBands.enumerated() {
        if let value = own[b] {
          values.append(value)
        } else if let value = england[b] {
          values.append(value)
          borrowed.append("\(band.lowerBound)-\(band.upperBound)")
        } else {
          throw missingTable("requests_assessments.csv", "England's \(what) by age")
        }
      }
      let file = "data/pipeline/\(key).csv"
      if borrowed.count == Builder.pipelineBands.count {
        note(
          "caseload.pipeline.\(key)", file, "fraction", .nationalDefault,
          "England's \(what) by age band (\(packFile("requests_assessments.csv"))): the LA's are not published or too few"
        )
      } else {
        note(
          "caseload.pipeline.\(key)", file, "fraction", .derived,
          "the LA's \(what) by age band, calendar \(yearText) pooled (\(packFile("requests_assessments.csv")))"
            + (borrowed.isEmpty
              ? ""
              : "; England's for the bands it does not publish or with fewer than "
                + "\(Int(Builder.minimumPipelineCases)) cases (\(borrowed.joined(separator: ", ")))"))
      }
      return values
    }
    let refusal = try shares(
      "decided_not_to_assess", "decided_to_assess", key: "refusals",
      what: "share of requests decided not to assess")
    let conversion = try shares(
      "assessments_issued", "assessments_not_issued", key: "conversions",
      what: "share of assessments that end in a plan")
    return (refusal, conversion)
  }

  /// `data/pipeline/*.csv` and `pipeline.yaml`: the baseline with new plans from the pipeline.
  ///
  /// `requests = incidence / ((1 − refusal) · conversion)` at each age, so that the pipeline
  /// starts exactly the baseline's new plans until a lever acts on it.
  mutating func pipelineFiles(incidence: [Double], trend: Growth, name: String) throws -> [String: String] {
    let (refusal, conversion) = try pipelineShares()
    func band(_ age: Int) -> Int { Builder.pipelineBands.firstIndex { $0.contains(age) } ?? 0 }
    func table(_ column: String, _ value: (Int) -> Double) -> String {
      "age,\(column)\n"
        + ScenarioInit.ages.map { "\($0),\(NumberFormat.trimmed(value($0), places: 9))" }.joined(separator: "\n")
        + "\n"
    }
    let requests = table("rate") { age in
      let through = (1 - refusal[band(age)]) * conversion[band(age)]
      return through > 0 ? min(1, incidence[age] / through) : 0
    }
    note(
      "caseload.pipeline.requests", "data/pipeline/requests.csv", "fraction per year", .derived,
      "the baseline's incidence / ((1 - refusal share) x conversion share) at each age, so that the pipeline starts the baseline's new plans; compare the requests it implies with the LA's own"
    )
    var yaml = """
      # \(la.name): the generated baseline with new plans from the assessment pipeline (requests,
      # refusals, conversions) instead of incidence: the same projection until a lever acts on
      # the pipeline (scale_requests, scale_refusals, scale_conversion); requests follow the
      # baseline's incidence trend. Written by
      # `hnb init --la \(la.code)`; docs/INIT.md, "The assessment pipeline".
      name: \(ScenarioInit.slug(la.name))-pipeline
      title: "\(la.name): the baseline with the assessment pipeline"
      extends: baseline.yaml

      caseload:
        incidence: none
        incidence_trend_fraction_per_year: none
        pipeline:
          requests: {file: data/pipeline/requests.csv, source: "derived: the baseline's incidence / ((1 - refusal) x conversion)"}
          refusals: {file: data/pipeline/refusals.csv, source: "SEN2 requests decided not to assess / decided, by age band (Data/national/requests_assessments.csv)"}
          conversions: {file: data/pipeline/conversions.csv, source: "SEN2 assessments issued / (issued + not issued), by age band (Data/national/requests_assessments.csv)"}
          lag_share: {value: 0, source: "modelling convention: the plans issued in the calendar year before a census are its new plans"}

      """
    let trendLines = trendYAML(trend, indent: "    ", key: "requests_trend_fraction_per_year")
    yaml += trendLines.map { $0 + "\n" }.joined()
    return [
      "data/pipeline/requests.csv": requests,
      "data/pipeline/refusals.csv": table("share") { refusal[band($0)] },
      "data/pipeline/conversions.csv": table("share") { conversion[band($0)] },
      "pipeline.yaml": yaml,
    ]
  }
}
