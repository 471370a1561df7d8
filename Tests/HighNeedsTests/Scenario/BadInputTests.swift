import Foundation
import Testing

@testable import HighNeeds

/// Each bad input must be rejected with a message naming the file, the line (and column or
/// key), what was expected and what was found.
@Suite struct BadInputTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var file: String
    var find: String
    var replace: String
    /// Fragments the message must contain.
    var message: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "typo in a key", file: "tiny.yaml", find: "horizon_years: 3", replace: "horizon_yaers: 3",
      message: ["tiny.yaml:11:3", "time.horizon_yaers", "did you mean 'horizon_years'", "unknown key 'horizon_yaers'"]),
    Case(
      name: "unknown top-level key", file: "tiny.yaml", find: "kind: base", replace: "kind: base\nmitigation: []",
      message: ["tiny.yaml:6:1", "unknown key 'mitigation'", "did you mean 'mitigations'"]),
    Case(
      name: "rate above 1", file: "cessation.csv", find: "10,all,0.1", replace: "10,all,1.5",
      message: ["cessation.csv:3:3", "rate", "expected a rate in [0, 1]", "found 1.5"]),
    Case(
      name: "text where a number belongs", file: "top_ups.csv", find: "ms,all,5000", replace: "ms,all,five thousand",
      message: ["top_ups.csv:2:3", "gbp_per_plan", "expected a number", "'five thousand'"]),
    Case(
      name: "negative plans", file: "baseline.csv", find: "10,sp,ASD,20", replace: "10,sp,ASD,-20",
      message: ["baseline.csv:3:4", "plans", "non-negative", "-20"]),
    Case(
      name: "undefined placement", file: "baseline.csv", find: "11,sp,ASD,10", replace: "11,special,ASD,10",
      message: ["baseline.csv:5:2", "placement defined in the taxonomy", "'special'"]),
    Case(
      name: "transition moves above 1", file: "transitions.csv", find: "10,ms,sp,0.1",
      replace: "10,ms,sp,0.7\n10,ms,ms,0.4",
      message: ["transitions.csv", "sum to 1", "1.100000000"]),
    Case(
      name: "population year missing", file: "population.csv", find: "2027,5,1000\n", replace: "",
      message: ["population.csv", "every age 0–25 in every census year 2026–2028", "none for 2027, age 5"]),
    Case(
      name: "mix not summing to 1", file: "mix.csv", find: "10,sp,ASD,0.2", replace: "10,sp,ASD,0.3",
      message: ["mix.csv", "shares at age 10 summing to 1", "1.100000000"]),
    Case(
      name: "wrong CSV header", file: "top_ups.csv", find: "placement,need,gbp_per_plan", replace: "placement,need,gbp",
      message: [
        "top_ups.csv:1", "expected columns placement,need,gbp_per_plan", "missing: gbp_per_plan", "unknown: gbp",
      ]),
    Case(
      name: "header of neither shape", file: "incidence.csv", find: "age,rate", replace: "age,rates",
      message: ["incidence.csv:1", "expected columns census_year,age,rate or age,rate", "found header 'age,rates'"]),
    Case(
      name: "a trend with a table by year", file: "tiny.yaml", find: "  incidence: incidence.csv",
      replace: "  incidence: incidence.csv\n  population_growth_fraction_per_year: 0.01",
      message: ["caseload.population_growth_fraction_per_year", "no trend when", "gives every census year"]),
    Case(
      name: "stated unit differs", file: "tiny.yaml", find: "sp: {value: 10000, source: \"ESFA place funding rate\"}",
      replace: "sp: {value: 10000, unit: percent, source: x}",
      message: ["tiny.yaml", "costs.place_funding_gbp_per_place.sp.unit", "'gbp per place per year'", "'percent'"]),
    Case(
      name: "series missing a year", file: "tiny.yaml", find: "hnb_growth_fraction_per_year: 0.02",
      replace: "hnb_growth_fraction_per_year: {2026-27: 0.02}",
      message: ["tiny.yaml:37", "income.hnb_growth_fraction_per_year", "no value for 2027-28"]),
    Case(
      name: "malformed YAML", file: "tiny.yaml", find: "time:\n", replace: "time: [\n",
      message: ["tiny.yaml", "expected valid YAML"]),
    Case(
      name: "extends cycle", file: "tiny.yaml", find: "kind: base", replace: "kind: base\nextends: tiny.yaml",
      message: ["extends", "no cycle of extends"]),
    Case(
      name: "missing input file", file: "tiny.yaml", find: "baseline: baseline.csv",
      replace: "baseline: baseline_2025.csv",
      message: ["tiny.yaml:13:13", "caseload.baseline", "an existing file", "'baseline_2025.csv'"]),
    Case(
      name: "contribution outside the horizon", file: "tiny.yaml", find: "2026-27: 50000", replace: "2031-32: 50000",
      message: ["tiny.yaml", "reserve.contributions_gbp.2031-32", "a financial year 2025-26…2027-28"]),
  ]

  @Test(arguments: cases)
  func rejected(_ c: Case) throws {
    let path = try Fixtures.editedTiny(c.file) { text in
      #expect(text.contains(c.find), "fixture text to replace is missing")
      return text.replacingOccurrences(of: c.find, with: c.replace)
    }
    let message = try #require(Fixtures.loadError(path))
    for fragment in c.message {
      #expect(message.contains(fragment), "message \(message) lacks \(fragment)")
    }
  }

  @Test func unusualValuesRaiseAlerts() throws {
    let path = try Fixtures.editedTiny("tiny.yaml") {
      $0.replacingOccurrences(of: "schools_block_transfer_percent: 0.5", with: "schools_block_transfer_percent: 1.0")
        .replacingOccurrences(of: "hnb_growth_fraction_per_year: 0.02", with: "hnb_growth_fraction_per_year: 0.30")
    }
    let scenario = try ScenarioLoader.load(path: path)
    let messages = scenario.alerts.map(\.text)
    #expect(messages.contains { $0.contains("above 0.5%") })
    #expect(messages.contains { $0.contains("growth 0.3 in 2026-27 is above 0.25") })
  }
}

@Suite struct NumberParsingTests {
  @Test func acceptsDecimalNumbersOnly() {
    #expect(parseNumber("12") == 12)
    #expect(parseNumber("-0.5") == -0.5)
    #expect(parseNumber("1.5e6") == 1_500_000)
    #expect(parseNumber("10_600_000") == 10_600_000)
    #expect(parseNumber(".5") == 0.5)
    for bad in ["0x10", "nan", "inf", "1,000", "", "-", "1e", "1.2.3", "e5", "1-2", "£5"] {
      #expect(parseNumber(bad) == nil, "\(bad) must be rejected")
    }
  }
}
