import Testing

@testable import HighNeeds

/// `hnb init`'s `assumptions.csv` cells are written as `CSVWriter` writes any table's: quoted
/// where needed, and a cell a spreadsheet would read as a formula written as text.
@Suite struct InitFormatTests {
  @Test(arguments: [
    ("plain text", "plain text"),
    ("-0.05", "-0.05"),
    ("1e-3", "1e-3"),
    ("a, b", "\"a, b\""),
    ("say \"x\"", "\"say \"\"x\"\"\""),
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+44 20", "'+44 20"),
    ("@risk", "'@risk"),
    ("-not a number", "'-not a number"),
    ("=a, b", "\"'=a, b\""),
  ])
  func aCellIsWrittenAsCSVWriterWritesIt(_ text: String, _ written: String) {
    #expect(InitFormat.cell(text) == written)
    var csv = CSVWriter(header: ["x"])
    csv.row([text])
    #expect(csv.text == "x\n\(written)\n")
  }
}
