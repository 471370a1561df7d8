import Foundation
import HighNeeds
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bad-input catalogue of docs/BAD_INPUTS.md, run end to end.
///
/// Each malformed input, run with `hnb run` on a copy of the Sutton baseline, gives exactly the
/// documented message and exit code and writes nothing (a fresh `--out` is not created; an
/// earlier output is left byte for byte, and nothing is left beside it). The inputs Excel writes
/// (a byte order mark, CRLF line ends) and other harmless variations load and give the clean
/// file's outputs.
@Suite struct BadInputCatalogueTests {
  /// One catalogue entry.
  struct Case: Sendable, CustomTestStringConvertible {
    /// The id in docs/BAD_INPUTS.md.
    var id: String
    /// Changes a fresh copy of the scenario directory (`Workspace.scenario`) into the bad input.
    var edit: @Sendable (Workspace) throws -> Void
    /// Arguments after `hnb`; `{yaml}` is the copied baseline.yaml, `{out}` the output directory.
    var arguments = ["run", "{yaml}", "--out", "{out}", "--as-of", "2026-01-15"]
    var status: Int32 = 65
    /// The whole of standard error, with `{dir}` for the scenario directory and `{root}` for
    /// the directory holding it.
    var message: String
    var testDescription: String { id }
  }

  /// A temporary directory `{root}` holding a copy of the Sutton baseline in `{root}/scn`.
  struct Workspace: Sendable {
    let root: URL
    var scenario: URL { root.appendingPathComponent("scn") }
    var yaml: URL { scenario.appendingPathComponent("baseline.yaml") }

    init() throws {
      let fm = FileManager.default
      root = fm.temporaryDirectory.appendingPathComponent("hnb-catalogue-\(UUID().uuidString)")
      try fm.createDirectory(at: scenario, withIntermediateDirectories: true)
      let sutton = HNBCommand.root.appendingPathComponent("Scenarios/sutton")
      for item in ["baseline.yaml", "data"] {
        try fm.copyItem(at: sutton.appendingPathComponent(item), to: scenario.appendingPathComponent(item))
      }
    }

    func url(_ file: String) -> URL { scenario.appendingPathComponent(file) }

    /// Replaces `find` (which must occur) by `replace` in `file`.
    func replace(_ file: String, _ find: String, _ replace: String) throws {
      let text = try String(contentsOf: url(file), encoding: .utf8)
      guard text.contains(find) else { throw Missing(text: find, file: file) }
      try Data(text.replacingOccurrences(of: find, with: replace).utf8).write(to: url(file))
    }

    /// Rewrites the bytes of `file`.
    func bytes(_ file: String, _ change: (Data) -> Data) throws {
      try change(try Data(contentsOf: url(file))).write(to: url(file))
    }

    func write(_ file: String, _ text: String) throws { try Data(text.utf8).write(to: url(file)) }

    /// Puts the raw byte `byte` (not valid UTF-8 on its own) after the first `after` in `file`.
    func insertByte(_ byte: UInt8, in file: String, after: String) throws {
      let text = try String(contentsOf: url(file), encoding: .utf8)
      guard let range = text.range(of: after) else { throw Missing(text: after, file: file) }
      try (Data(text[..<range.upperBound].utf8) + [byte] + Data(text[range.upperBound...].utf8)).write(to: url(file))
    }

    /// Every CSV file under `data/`.
    var csvFiles: [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: url("data").path)) ?? []).filter { $0.hasSuffix(".csv") }
        .sorted().map { "data/" + $0 }
    }

    func substitute(_ text: String, out: String) -> String {
      text.replacingOccurrences(of: "{yaml}", with: yaml.path).replacingOccurrences(of: "{out}", with: out)
        .replacingOccurrences(of: "{dir}", with: scenario.path).replacingOccurrences(of: "{root}", with: root.path)
    }

    func generalize(_ text: String) -> String {
      text.replacingOccurrences(of: scenario.path, with: "{dir}").replacingOccurrences(of: root.path, with: "{root}")
    }
  }

  struct Missing: Error, CustomStringConvertible {
    var text: String
    var file: String
    var description: String { "'\(text)' is not in \(file): the catalogue's fixture changed" }
  }

  static let bom = Data([0xEF, 0xBB, 0xBF])
  static func crlf(_ data: Data) -> Data {
    Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
  }

  static let cases: [Case] = [
    // MARK: Encoding and file shape
    Case(
      id: "E01 Latin-1 £ in a CSV",
      edit: { try $0.insertByte(0xA3, in: "data/top_ups.csv", after: "mainstream,all,10422") },
      message:
        "{dir}/data/top_ups.csv:3:21: expected UTF-8 text; found the byte 0xA3 (a '£' in Latin-1/Windows-1252: save the file as UTF-8, e.g. Excel's 'CSV UTF-8')"
    ),
    Case(
      id: "E02 UTF-16 CSV (Excel 'Unicode Text')",
      edit: { w in
        try w.bytes("data/top_ups.csv") {
          Data([0xFF, 0xFE]) + (String(decoding: $0, as: UTF8.self).data(using: .utf16LittleEndian) ?? Data())
        }
      },
      message:
        "{dir}/data/top_ups.csv:1:1: expected UTF-8 text; found UTF-16 text (Excel's 'Unicode Text'): save it as 'CSV UTF-8 (Comma delimited)'"
    ),
    Case(
      id: "E03 Latin-1 byte in the scenario YAML",
      edit: { try $0.insertByte(0xA3, in: "baseline.yaml", after: "title: \"") },
      message:
        "{dir}/baseline.yaml:5:9: expected UTF-8 text; found the byte 0xA3 (a '£' in Latin-1/Windows-1252: save the file as UTF-8)"
    ),
    Case(
      id: "E04 empty CSV file", edit: { try $0.write("data/top_ups.csv", "") },
      message: "{dir}/data/top_ups.csv:1: expected a header row placement,need,gbp_per_plan; found an empty file"),
    Case(
      id: "E05 empty CSV file of either shape", edit: { try $0.write("data/incidence.csv", "") },
      message: "{dir}/data/incidence.csv:1: expected a header row census_year,age,rate or age,rate; found an empty file"
    ),
    Case(
      id: "E06 header only, no plans",
      edit: { try $0.write("data/baseline_caseload_2025.csv", "age,placement,need,plans\n") },
      message:
        "{dir}/data/baseline_caseload_2025.csv:2: expected a row for each age × placement × need with plans; found no data rows (only a header)"
    ),
    Case(
      id: "E07 a million rows",
      edit: { w in
        var text = "age,placement,need,plans\n"
        text.reserveCapacity(20_000_000)
        for i in 0..<1_000_000 { text += "\(i % 26),mainstream,ASD,1\n" }
        try w.write("data/baseline_caseload_2025.csv", text)
      },
      message:
        "{dir}/data/baseline_caseload_2025.csv:100002: expected at most 100000 data rows (a table has one row per cell); found more (is this a record-level extract rather than the summary table?)"
    ),
    Case(
      id: "E08 a file above 64 MB",
      edit: { w in
        let handle = try FileHandle(forWritingTo: w.url("data/population.csv"))
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
      },
      message:
        "{dir}/data/population.csv: expected a CSV file of at most 64 MB; found 68157440 bytes (is this a record-level extract rather than the summary table?)"
    ),
    Case(
      id: "E09 tab-separated file saved as .csv",
      edit: {
        try $0.bytes("data/top_ups.csv") {
          Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: ",", with: "\t").utf8)
        }
      },
      message:
        "{dir}/data/top_ups.csv:1: expected columns placement,need,gbp_per_plan; found header 'placement\\tneed\\tgbp_per_plan' (missing: placement, need, gbp_per_plan) (unknown: placement\\tneed\\tgbp_per_plan) (the file looks tab-separated: hnb reads comma-separated values)"
    ),
    Case(
      id: "E10 semicolon-separated file (European Excel)",
      edit: {
        try $0.bytes("data/top_ups.csv") {
          Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: ",", with: ";").utf8)
        }
      },
      message:
        "{dir}/data/top_ups.csv:1: expected columns placement,need,gbp_per_plan; found header 'placement;need;gbp_per_plan' (missing: placement, need, gbp_per_plan) (unknown: placement;need;gbp_per_plan) (the file looks semicolon-separated: hnb reads comma-separated values)"
    ),
    Case(
      id: "E11 trailing comma on every line",
      edit: {
        try $0.bytes("data/top_ups.csv") {
          Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: ",\n").utf8)
        }
      },
      message:
        "{dir}/data/top_ups.csv:1:4: expected columns placement,need,gbp_per_plan; found an empty column name in column 4 (a trailing comma, or a blank column saved by Excel?)"
    ),
    Case(
      id: "E12 tab-separated file of either shape",
      edit: { w in
        try w.bytes("data/incidence.csv") {
          Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: ",", with: "\t").utf8)
        }
      },
      message:
        "{dir}/data/incidence.csv:1: expected columns census_year,age,rate or age,rate; found header 'age\\trate' (the file looks tab-separated: hnb reads comma-separated values)"
    ),
    Case(
      id: "E13 an Excel workbook named .csv",
      edit: { w in
        try (Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]) + Data("[Content_Types].xml".utf8)).write(
          to: w.url("data/top_ups.csv"))
      },
      message:
        "{dir}/data/top_ups.csv: expected a CSV file (text); found an Excel workbook or other binary file: save it as 'CSV UTF-8 (Comma delimited)'"
    ),
    // MARK: Columns and rows
    Case(
      id: "C01 missing column",
      edit: { try $0.replace("data/baseline_caseload_2025.csv", "age,placement,need,plans", "age,placement,plans") },
      message:
        "{dir}/data/baseline_caseload_2025.csv:1: expected columns age,placement,need,plans; found header 'age,placement,plans' (missing: need)"
    ),
    Case(
      id: "C02 extra column",
      edit: { w in
        try w.bytes("data/top_ups.csv") {
          Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: ",x\n").utf8)
        }
      },
      message:
        "{dir}/data/top_ups.csv:1: expected columns placement,need,gbp_per_plan; found header 'placement,need,gbp_per_plan,x' (unknown: x)"
    ),
    Case(
      id: "C03 column named twice",
      edit: { try $0.replace("data/top_ups.csv", "placement,need,gbp_per_plan", "placement,need,placement") },
      message: "{dir}/data/top_ups.csv:1: expected each column once; found column 'placement' twice"),
    Case(
      id: "C04 column names in capitals",
      edit: { try $0.replace("data/top_ups.csv", "placement,need,gbp_per_plan", "Placement,Need,GBP_per_plan") },
      message:
        "{dir}/data/top_ups.csv:1: expected columns placement,need,gbp_per_plan; found header 'Placement,Need,GBP_per_plan' (missing: placement, need, gbp_per_plan) (unknown: Placement, Need, GBP_per_plan)"
    ),
    Case(
      id: "C05 unclosed quote",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,\"all,10422") },
      message: "{dir}/data/top_ups.csv:3: expected a closing quote; found end of file"),
    Case(
      id: "C06 a row with a field missing",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,10422") },
      message: "{dir}/data/top_ups.csv:3: expected 3 fields (placement,need,gbp_per_plan); found 2 fields"),
    Case(
      id: "C07 duplicate row in the baseline",
      edit: {
        try $0.replace(
          "data/baseline_caseload_2025.csv", "0,early_years,HI,0.025613\n",
          "0,early_years,HI,0.025613\n0,early_years,HI,0.025613\n")
      },
      message:
        "{dir}/data/baseline_caseload_2025.csv:4:1: expected each age × placement × need once; found a repeat of 0, early_years, HI"
    ),
    Case(
      id: "C08 duplicate row in cessation",
      edit: { try $0.replace("data/cessation.csv", "10,all,0.025857\n", "10,all,0.025857\n10,all,0.025857\n") },
      message: "{dir}/data/cessation.csv:13:2: expected one 'all' row per age; found age 10 again"),
    Case(
      id: "C09 placement not in the taxonomy",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream_school,all,10422") },
      message:
        "{dir}/data/top_ups.csv:3:1: placement: expected a placement defined in the taxonomy (early_years, mainstream, resourced_provision, special_maintained_in, special_maintained_out, special_independent, special_non_maintained, ap_pru, fe_general, specialist_post16, educated_elsewhere, neet); found 'mainstream_school'"
    ),
    Case(
      id: "C10 need not in the taxonomy",
      edit: {
        try $0.replace("data/baseline_caseload_2025.csv", "0,early_years,HI,0.025613", "0,early_years,AUT,0.025613")
      },
      message:
        "{dir}/data/baseline_caseload_2025.csv:3:3: need: expected a need defined in the taxonomy (ASD, HI, MLD, MSI, PD, PMLD, SEMH, SLCN, SLD, SPLD, VI, OTH, UKN); found 'AUT'"
    ),
    Case(
      id: "C11 age outside 0–25",
      edit: {
        try $0.replace("data/baseline_caseload_2025.csv", "0,early_years,HI,0.025613", "30,early_years,HI,0.025613")
      },
      message: "{dir}/data/baseline_caseload_2025.csv:3:1: age: expected an age 0–25 or a range like 5-10; found '30'"),
    Case(
      id: "C12 financial-year label where an academic year belongs",
      edit: { try $0.replace("data/places.csv", "resourced_provision,2025/26,396", "resourced_provision,2025-26,396") },
      message: "{dir}/data/places.csv:3:2: academic_year: expected an academic year like 2025/26; found '2025-26'"),
    Case(
      id: "C13 a census year's ages missing",
      edit: { try $0.replace("data/population.csv", "2026,2,2737.65\n", "") },
      message:
        "{dir}/data/population.csv: population: expected a value for every age 0–25 in every census year 2026–2035; found none for 2026, age 2"
    ),
    // MARK: Numbers in CSV cells
    Case(
      id: "N01 thousands separator, unquoted",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,10,422") },
      message:
        "{dir}/data/top_ups.csv:3: expected 3 fields (placement,need,gbp_per_plan); found 4 fields (a comma inside a value, such as the thousands separator in 1,234, starts a new field)"
    ),
    Case(
      id: "N02 thousands separator, quoted",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,\"10,422\"") },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found '10,422' (write it without thousands separators, e.g. 10422)"
    ),
    Case(
      id: "N03 £1,234",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,\"£10,422\"") },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found '£10,422' (write it without a currency sign or thousands separators, e.g. 10422)"
    ),
    Case(
      id: "N04 a percentage sign",
      edit: { try $0.replace("data/cessation.csv", "10,all,0.025857", "10,all,2.6%") },
      message:
        "{dir}/data/cessation.csv:12:3: rate: expected a number; found '2.6%' (write a fraction without '%': 45% is 0.45)"
    ),
    Case(
      id: "N05 a rate given as 45 instead of 0.45",
      edit: { try $0.replace("data/cessation.csv", "10,all,0.025857", "10,all,45") },
      message:
        "{dir}/data/cessation.csv:12:3: rate: expected a rate in [0, 1] (fraction ceasing per year); found 45 (a fraction is expected: 45% is 0.45)"
    ),
    Case(
      id: "N06 NaN",
      edit: { try $0.replace("data/cessation.csv", "10,all,0.025857", "10,all,NaN") },
      message:
        "{dir}/data/cessation.csv:12:3: rate: expected a number; found 'NaN' (NaN and infinity are not allowed: give a finite value)"
    ),
    Case(
      id: "N07 infinity",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,inf") },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found 'inf' (NaN and infinity are not allowed: give a finite value)"
    ),
    Case(
      id: "N08 an empty cell",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,") },
      message: "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a value; found an empty cell"),
    Case(
      id: "N09 negative plans",
      edit: {
        try $0.replace("data/baseline_caseload_2025.csv", "0,early_years,HI,0.025613", "0,early_years,HI,-0.025613")
      },
      message:
        "{dir}/data/baseline_caseload_2025.csv:3:4: plans: expected a non-negative count of plans; found -0.025613"),
    Case(
      id: "N10 text in a number column",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,TBC") },
      message: "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found 'TBC'"),
    Case(
      id: "N11 an Excel error value",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,#N/A") },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found '#N/A' (an Excel error value: fix the formula in the spreadsheet and save it again)"
    ),
    Case(
      id: "N12 an accounting-style negative",
      edit: { try $0.replace("data/top_ups.csv", "mainstream,all,10422", "mainstream,all,(10422)") },
      message:
        "{dir}/data/top_ups.csv:3:3: gbp_per_plan: expected a number; found '(10422)' (an accounting-style negative: write it with a minus sign, e.g. -10422)"
    ),
    // MARK: YAML
    Case(
      id: "Y01 anchor/alias bomb (billion laughs)",
      edit: { w in
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
          text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        try w.write("baseline.yaml", text)
      },
      message:
        "{dir}/baseline.yaml:1:4: expected plain YAML values (anchors '&' and aliases '*' are not supported; use extends: to share); found the anchor '&a'"
    ),
    Case(
      id: "Y02 an anchor and alias",
      edit: {
        try $0.replace(
          "baseline.yaml", "  place_funding_uplift_fraction_per_year:\n    value: 0.0",
          "  place_funding_uplift_fraction_per_year:\n    value: &zero 0.0")
      },
      message:
        "{dir}/baseline.yaml:87:12: expected plain YAML values (anchors '&' and aliases '*' are not supported; use extends: to share); found the anchor '&zero'"
    ),
    Case(
      id: "Y03 a merge key <<",
      edit: {
        try $0.replace(
          "baseline.yaml", "time:\n  base_census_year: 2025\n",
          "defaults: &d {base_census_year: 2025}\ntime:\n  <<: *d\n")
      },
      message:
        "{dir}/baseline.yaml:15:11: expected plain YAML values (anchors '&' and aliases '*' are not supported; use extends: to share); found the anchor '&d'"
    ),
    Case(
      id: "Y04 a language tag",
      edit: {
        try $0.replace("baseline.yaml", "name: sutton-baseline", "name: !!python/object:os.system sutton-baseline")
      },
      message:
        "{dir}/baseline.yaml:4:7: expected a plain value (YAML tags are not supported); found the tag 'tag:yaml.org,2002:python/object:os.system'"
    ),
    Case(
      id: "Y05 a tab in the indentation",
      edit: { try $0.replace("baseline.yaml", "  horizon_years: 10", "\thorizon_years: 10") },
      message:
        "{dir}/baseline.yaml:17:1: expected valid YAML; found found a tab character that violates indentation (while scanning a plain scalar at line 16, column 21)"
    ),
    Case(
      id: "Y06 a key twice", edit: { try $0.replace("baseline.yaml", "kind: base\n", "kind: base\nname: again\n") },
      message: "{dir}/baseline.yaml:4:1: expected each key once in a map; found repeated: name"),
    Case(
      id: "Y07 empty scenario file", edit: { try $0.write("baseline.yaml", "") },
      message: "{dir}/baseline.yaml:1:1: expected a map of scenario keys; found an empty file"),
    Case(
      id: "Y08 a list, not a map", edit: { try $0.write("baseline.yaml", "- name: sutton\n") },
      message: "{dir}/baseline.yaml:1:1: expected a map of scenario keys; found a list"),
    Case(
      id: "Y09 nesting 100,000 deep",
      edit: {
        try $0.write(
          "baseline.yaml",
          "name: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
      },
      message:
        "{dir}/baseline.yaml:1:8: expected valid YAML; found Maximum nesting level reached, set with yaml_set_max_nest_level()) (while parsing at line 1, column 8)"
    ),
    Case(
      id: "Y10 a misspelt key", edit: { try $0.replace("baseline.yaml", "  horizon_years: 10", "  horizon_yeras: 10") },
      message:
        "{dir}/baseline.yaml:17:3: time.horizon_yeras: expected a known key (did you mean 'horizon_years'?); found unknown key 'horizon_yeras'"
    ),
    Case(
      id: "Y11 a key with no value",
      edit: { try $0.replace("baseline.yaml", "  horizon_years: 10", "  horizon_years:") },
      message:
        "{dir}/baseline.yaml:17:17: time.horizon_years: expected a value (or leave the key out); found nothing (null)"),
    Case(
      id: "Y12 a word for a number",
      edit: { try $0.replace("baseline.yaml", "  horizon_years: 10", "  horizon_years: ten") },
      message: "{dir}/baseline.yaml:17:18: time.horizon_years: expected a whole number in 1…40; found 'ten'"),
    Case(
      id: "Y13 a fraction for a whole number",
      edit: { try $0.replace("baseline.yaml", "  horizon_years: 10", "  horizon_years: 10.5") },
      message: "{dir}/baseline.yaml:17:18: time.horizon_years: expected a whole number in 1…40; found '10.5'"),
    Case(
      id: "Y14 thousands separators in YAML",
      edit: { try $0.replace("baseline.yaml", "value: 68_899_940", "value: 68,899,940") },
      message:
        "{dir}/baseline.yaml:192:12: income.hnb_allocation_gbp: expected a number (gbp); found '68,899,940' (write it without thousands separators, e.g. 68899940)"
    ),
    Case(
      id: "Y15 £ and m in YAML", edit: { try $0.replace("baseline.yaml", "value: 68_899_940", "value: £68.9m") },
      message:
        "{dir}/baseline.yaml:192:12: income.hnb_allocation_gbp: expected a number (gbp); found '£68.9m' (write it without a currency sign, e.g. 68.9)"
    ),
    Case(
      id: "Y16 a share as a percent (60 for 0.6)",
      edit: { try $0.replace("baseline.yaml", "        value: 0.6\n", "        value: 60\n") },
      message:
        "{dir}/baseline.yaml:54:16: capacity.overflow.special_maintained_in.special_independent: expected a share in [0, 1]; found 60 (a fraction is expected: 60% is 0.6)"
    ),
    Case(
      id: "Y17 a percent sign on a fraction",
      edit: {
        try $0.replace("baseline.yaml", "\"2027-28\": {value: 0.03,", "\"2027-28\": {value: 3%,")
      },
      message:
        "{dir}/baseline.yaml:199:24: income.hnb_growth_fraction_per_year.2027-28: expected a number (fraction per year); found '3%' (write a fraction without '%': 45% is 0.45)"
    ),
    Case(
      id: "Y18 .nan in YAML", edit: { try $0.replace("baseline.yaml", "value: 68_899_940", "value: .nan") },
      message:
        "{dir}/baseline.yaml:192:12: income.hnb_allocation_gbp: expected a number (gbp); found '.nan' (NaN and infinity are not allowed: give a finite value)"
    ),
    Case(
      id: "Y19 a map where a list belongs",
      edit: { try $0.replace("baseline.yaml", "reserve:\n", "mitigations: {}\nreserve:\n") },
      message: "{dir}/baseline.yaml:243:14: mitigations: expected a list; found a map"),
    Case(
      id: "Y20 a stated unit that differs",
      edit: {
        try $0.replace(
          "baseline.yaml", "value: 68_899_940\n    unit: gbp", "value: 68_899_940\n    unit: gbp_thousands")
      },
      message: "{dir}/baseline.yaml:192:5: income.hnb_allocation_gbp.unit: expected 'gbp'; found 'gbp_thousands'"),
    Case(
      id: "Y21 a series missing a year",
      edit: {
        try $0.replace(
          "baseline.yaml",
          "    \"2027-28\": {value: 331_669_106, unit: gbp, source: \"2025-26 x 1.03 a year\", assumption: true}\n", "")
      },
      message:
        "{dir}/baseline.yaml:232:5: income.total_dsg_gbp: expected a value for every year 2025-26…2034-35; found no value for 2027-28"
    ),
    Case(
      id: "Y22 extends a file that does not exist",
      edit: { try $0.replace("baseline.yaml", "kind: base\n", "kind: base\nextends: parent.yaml\n") },
      message: "{dir}/baseline.yaml:14:10: extends: expected an existing scenario file; found 'parent.yaml'"),
    Case(
      id: "Y23 extends itself",
      edit: { try $0.replace("baseline.yaml", "kind: base\n", "kind: base\nextends: baseline.yaml\n") },
      message:
        "{dir}/baseline.yaml: extends: expected no cycle of extends; found {dir}/baseline.yaml → {dir}/baseline.yaml"),
    Case(
      id: "Y24 a name with capitals and spaces",
      edit: { try $0.replace("baseline.yaml", "name: sutton-baseline", "name: Sutton Baseline") },
      message: "{dir}/baseline.yaml:4:1: name: expected lower-case letters, digits, '_' or '-'; found 'Sutton Baseline'"
    ),
    Case(
      id: "Y25 a fractional data-sunset age",
      edit: { try $0.replace("baseline.yaml", "alerts:\n", "alerts:\n  census_age_years_above: 1.5\n") },
      message:
        "{dir}/baseline.yaml:258:27: alerts.census_age_years_above: expected a whole number of years 0–100; found 1.5"),
    Case(
      id: "Y26 an accounting-style negative in YAML",
      edit: { try $0.replace("baseline.yaml", "value: -10_600_000", "value: (10_600_000)") },
      message:
        "{dir}/baseline.yaml:245:12: reserve.opening_balance_gbp: expected a number (gbp); found '(10_600_000)' (an accounting-style negative: write it with a minus sign, e.g. -10600000)"
    ),
    // MARK: The 2026 settlement and the assessment pipeline (issue 16)
    Case(
      id: "G01 a write-off share above 1",
      edit: {
        try $0.replace(
          "baseline.yaml", "    deficit_at_31_march: 2026\n",
          "    deficit_at_31_march: 2026\n    write_off_share: 1.5\n")
      },
      message:
        "{dir}/baseline.yaml:256:22: reserve.settlement.write_off_share: expected a share in [0, 1]; found 1.5 (a fraction is expected: 1.5% is 0.015)"
    ),
    Case(
      id: "G02 a grant received before the deficit date",
      edit: {
        try $0.replace(
          "baseline.yaml", "    deficit_at_31_march: 2026\n",
          "    deficit_at_31_march: 2027\n    grant_received_in: 2026-27\n")
      },
      message:
        "{dir}/baseline.yaml:256:24: reserve.settlement.grant_received_in: expected a financial year after the deficit date (31 March 2027); found 2026-27"
    ),
    Case(
      id: "G03 a conversion share above 1",
      edit: {
        try $0.replace(
          "baseline.yaml", "  incidence:\n    file: data/incidence.csv",
          "  pipeline:\n    requests: data/pipeline/requests.csv\n    refusals: data/pipeline/refusals.csv\n"
            + "    conversions: data/pipeline/conversions.csv\n    lag_share: 0\n  incidence:\n    file: data/incidence.csv"
        )
        try $0.replace("data/pipeline/conversions.csv", "\n0,0.98", "\n0,1.98")
      },
      message:
        "{dir}/data/pipeline/conversions.csv:2:2: share: expected a share in [0, 1] (of assessments that end in a plan); found 1.989761092 (a fraction is expected: 1.99% is 0.0199)"
    ),
    Case(
      id: "G04 more refusals than requests",
      edit: {
        try $0.replace(
          "baseline.yaml", "  incidence:\n    file: data/incidence.csv",
          "  pipeline:\n    requests: data/pipeline/requests.csv\n    refusals: data/pipeline/refusals.csv\n"
            + "    conversions: data/pipeline/conversions.csv\n    lag_share: 0\n  incidence:\n    file: data/incidence.csv"
        )
        try $0.replace("data/pipeline/refusals.csv", "\n0,0.15", "\n0,1.15")
      },
      message:
        "{dir}/data/pipeline/refusals.csv:2:2: share: expected a share in [0, 1] (of requests refused); found 1.156739812 (a fraction is expected: 1.157% is 0.01157)"
    ),
    // MARK: Paths (policy: docs/SCENARIO.md, "Paths")
    Case(
      id: "P01 an absolute path",
      edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: /etc/passwd") },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a path relative to the scenario file's directory (absolute paths are not allowed); found '/etc/passwd'"
    ),
    Case(
      id: "P02 ../../etc/passwd",
      edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: ../../../../../../etc/passwd") },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a file inside {dir} (the scenario file's directory); found '../../../../../../etc/passwd', which leaves it"
    ),
    Case(
      id: "P03 .. to an existing file beside the directory",
      edit: { w in
        try FileManager.default.copyItem(
          at: w.url("data/top_ups.csv"), to: w.root.appendingPathComponent("top_ups.csv"))
        try w.replace("baseline.yaml", "file: data/top_ups.csv", "file: ../top_ups.csv")
      },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a file inside {dir} (the scenario file's directory); found '../top_ups.csv', which leaves it"
    ),
    Case(
      id: "P04 a symbolic link to a file outside",
      edit: { w in
        let outside = w.root.appendingPathComponent("top_ups.csv")
        try FileManager.default.moveItem(at: w.url("data/top_ups.csv"), to: outside)
        try FileManager.default.createSymbolicLink(at: w.url("data/top_ups.csv"), withDestinationURL: outside)
      },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a file inside {dir} (the scenario file's directory); found 'data/top_ups.csv', a symbolic link to {root}/top_ups.csv, outside it"
    ),
    Case(
      id: "P05 a symbolic link to a directory outside",
      edit: { w in
        let outside = w.root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
          at: w.url("data/top_ups.csv"), to: outside.appendingPathComponent("top_ups.csv"))
        try FileManager.default.createSymbolicLink(at: w.url("shared"), withDestinationURL: outside)
        try w.replace("baseline.yaml", "file: data/top_ups.csv", "file: shared/top_ups.csv")
      },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a file inside {dir} (the scenario file's directory); found 'shared/top_ups.csv', a symbolic link to {root}/shared/top_ups.csv, outside it"
    ),
    Case(
      id: "P06 a home-directory path",
      edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: ~/top_ups.csv") },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a path relative to the scenario file's directory (absolute paths are not allowed); found '~/top_ups.csv'"
    ),
    Case(
      id: "P07 a directory", edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: data") },
      message: "{dir}/baseline.yaml:73:11: costs.top_ups: expected a CSV file; found 'data', a directory"),
    Case(
      id: "P08 a named pipe",
      edit: { w in
        try FileManager.default.removeItem(at: w.url("data/top_ups.csv"))
        guard mkfifo(w.url("data/top_ups.csv").path, 0o644) == 0 else { throw Missing(text: "mkfifo", file: "") }
      },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected a CSV file; found 'data/top_ups.csv', not a regular file (a device, pipe or socket)"
    ),
    Case(
      id: "P09 a file that does not exist",
      edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: data/top_ups_2025.csv") },
      message:
        "{dir}/baseline.yaml:73:11: costs.top_ups: expected an existing file; found 'data/top_ups_2025.csv' (looked for {dir}/data/top_ups_2025.csv)"
    ),
    Case(
      id: "P10 an empty path", edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: \"\"") },
      message: "{dir}/baseline.yaml:73:11: costs.top_ups: expected a path to a file; found an empty path"),
    // MARK: The command line
    Case(
      id: "L01 the scenario file does not exist", edit: { _ in },
      arguments: ["run", "{dir}/baseline_2025.yaml", "--out", "{out}", "--as-of", "2026-01-15"],
      message: "{dir}/baseline_2025.yaml: expected a readable scenario file; found no such file"),
    Case(
      id: "L02 a directory given as the scenario", edit: { _ in },
      arguments: ["run", "{dir}", "--out", "{out}", "--as-of", "2026-01-15"],
      message: "{dir}: expected a readable scenario file; found a directory"),
    Case(
      id: "L03 two scenarios with one name",
      edit: { w in try FileManager.default.copyItem(at: w.yaml, to: w.url("copy.yaml")) },
      arguments: ["run", "{yaml}", "{dir}/copy.yaml", "--out", "{out}", "--as-of", "2026-01-15"],
      message:
        "{dir}/copy.yaml: name: expected a name not used by another scenario in this run; found 'sutton-baseline', also in {dir}/baseline.yaml"
    ),
    Case(
      id: "L04 an impossible --as-of date", edit: { _ in },
      arguments: ["run", "{yaml}", "--out", "{out}", "--as-of", "2026-02-30"], status: 64,
      message:
        "Error: --as-of must be a date YYYY-MM-DD, not '2026-02-30'.\nUsage: hnb run <scenarios> ... --out <out> [--as-of <as-of>]\n  See 'hnb run --help' for more information."
    ),
    Case(
      id: "L05 --out is the scenario's own directory", edit: { _ in },
      arguments: ["run", "{yaml}", "--out", "{dir}", "--as-of", "2026-01-15"], status: 73,
      message: "{dir}: refusing to write the output here: the input {dir}/baseline.yaml is inside it"),
  ]

  /// Runs `c` writing either to a fresh directory (which must not appear) or over an earlier
  /// output (which must be left byte for byte), alternating by case; each gives its message.
  @Test(arguments: cases) func badInputIsRefusedAndWritesNothing(_ c: Case) throws {
    try Self.check(c)
  }

  /// Runs `c` as `badInputIsRefusedAndWritesNothing` does (shared with the catalogue of
  /// hostile inputs in `HostileScenarioInputTests`); returns what `hnb` printed.
  @discardableResult static func check(_ c: Case) throws -> HNBCommand {
    let w = try Workspace()
    defer { try? FileManager.default.removeItem(at: w.root) }
    try c.edit(w)
    let fm = FileManager.default
    // An earlier complete output, to be left exactly as it was.
    let earlier = w.root.appendingPathComponent("earlier")
    try fm.createDirectory(at: earlier, withIntermediateDirectories: true)
    var earlierFiles = [
      "manifest.json": "{\"tool\": \"hnb\", \"note\": \"an earlier run\"}\n", "kpis.csv": "earlier\n",
    ]
    earlierFiles[OutputDirectory.markerName] = OutputDirectory.marker(earlierFiles.mapValues { Data($0.utf8) })
    for (name, text) in earlierFiles { try Data(text.utf8).write(to: earlier.appendingPathComponent(name)) }
    let before = try fm.contentsOfDirectory(atPath: w.root.path).sorted()
    // Alternate cases write to a fresh directory and over the earlier output.
    let fresh = c.id.utf8.reduce(0) { $0 + Int($1) } % 2 == 0 || c.status == 73
    let out = fresh ? w.root.appendingPathComponent("out").path : earlier.path
    let result = try HNBCommand.run(c.arguments.map { w.substitute($0, out: out) })
    let expected = c.status == 64 ? c.message : "error: " + c.message
    #expect(result.status == c.status, "\(c.id): \(result.stderr)")
    #expect(
      w.generalize(result.stderr).trimmingCharacters(in: .newlines) == expected,
      "\(c.id): got\n\(w.generalize(result.stderr))")
    #expect(result.stdout.isEmpty || c.status == 64)
    // Nothing was written: no new entry beside the scenario, the earlier output unchanged.
    #expect(try fm.contentsOfDirectory(atPath: w.root.path).sorted() == before, "\(c.id) left something behind")
    #expect(try fm.contentsOfDirectory(atPath: earlier.path).sorted() == earlierFiles.keys.sorted())
    for (name, text) in earlierFiles {
      #expect(try String(contentsOf: earlier.appendingPathComponent(name), encoding: .utf8) == text)
    }
    return result
  }

  /// A variation a user's tools produce that must load and give the clean file's outputs.
  struct Accepted: Sendable, CustomTestStringConvertible {
    var id: String
    var edit: @Sendable (Workspace) throws -> Void
    /// Outputs that name the input files themselves (so may differ), besides the manifest.
    var differing: Set<String> = []
    var testDescription: String { id }
  }

  static let accepted: [Accepted] = [
    Accepted(
      id: "A01 UTF-8 byte order mark on every CSV (Excel 'CSV UTF-8')",
      edit: { w in for file in w.csvFiles { try w.bytes(file) { bom + $0 } } }),
    Accepted(
      id: "A02 CRLF line ends on every CSV (Windows)",
      edit: { w in for file in w.csvFiles { try w.bytes(file) { crlf($0) } } }),
    Accepted(
      id: "A03 BOM and CRLF on the YAML and every CSV",
      edit: { w in for file in w.csvFiles + ["baseline.yaml"] { try w.bytes(file) { bom + crlf($0) } } }),
    Accepted(
      id: "A04 spaces around column names and blank lines at the end",
      edit: { w in
        try w.replace("data/top_ups.csv", "placement,need,gbp_per_plan", "placement, need , gbp_per_plan")
        try w.replace("data/incidence.csv", "age,rate", " age , rate")
        try w.bytes("data/cessation.csv") { $0 + Data("\n\n\n".utf8) }
      }),
    Accepted(
      id: "A05 a symbolic link inside the scenario directory",
      edit: { w in
        try FileManager.default.moveItem(at: w.url("data/top_ups.csv"), to: w.url("data/top_ups_v2.csv"))
        try FileManager.default.createSymbolicLink(
          atPath: w.url("data/top_ups.csv").path, withDestinationPath: "top_ups_v2.csv")
      }, differing: ["assumptions.csv", "manifest.json"]),
    Accepted(
      id: "A06 a path with . and .. that stays inside",
      edit: { try $0.replace("baseline.yaml", "file: data/top_ups.csv", "file: ./data/../data/top_ups.csv") },
      differing: ["assumptions.csv"]),
  ]

  /// The outputs of `hnb run` on the workspace, with its paths generalized, by file name.
  static func outputs(_ w: Workspace) throws -> [String: String] {
    let out = w.root.appendingPathComponent("out").path
    let result = try HNBCommand.run(["run", w.yaml.path, "--out", out, "--as-of", "2026-01-15"])
    guard result.status == 0 else { throw Missing(text: result.stderr, file: "hnb run") }
    var files: [String: String] = [:]
    // The marker lists the outputs' hashes, the manifest's among them (which names the input bytes).
    for name in try FileManager.default.contentsOfDirectory(atPath: out) where name != ".hnb-output.sha256" {
      files[name] = w.generalize(try String(contentsOfFile: out + "/" + name, encoding: .utf8))
    }
    return files
  }

  /// The manifest without what names the input bytes (hashes, git state).
  static func comparable(_ manifest: String?) throws -> NSDictionary {
    var json = try JSONSerialization.jsonObject(with: Data((manifest ?? "{}").utf8)) as? [String: Any] ?? [:]
    json["input_sha256"] = nil
    json["git"] = nil
    return json as NSDictionary
  }

  /// The outputs of the unchanged baseline, made once for every accepted variation.
  static let cleanOutputs: [String: String]? = {
    guard let clean = try? Workspace() else { return nil }
    defer { try? FileManager.default.removeItem(at: clean.root) }
    return try? outputs(clean)
  }()

  @Test(arguments: accepted) func excelVariationsLoadAndGiveTheSameOutputs(_ a: Accepted) throws {
    let variant = try Workspace()
    defer { try? FileManager.default.removeItem(at: variant.root) }
    try a.edit(variant)
    let expected = try #require(Self.cleanOutputs)
    let got = try Self.outputs(variant)
    #expect(got.keys.sorted() == expected.keys.sorted())
    for name in expected.keys.sorted() where name != "manifest.json" && !a.differing.contains(name) {
      #expect(got[name] == expected[name], "\(a.id): \(name) differs")
    }
    if !a.differing.contains("manifest.json") {
      #expect(try Self.comparable(got["manifest.json"]) == Self.comparable(expected["manifest.json"]))
    }
  }
}
