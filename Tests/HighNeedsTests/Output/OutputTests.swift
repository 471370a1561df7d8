import Foundation
import Testing

@testable import HighNeeds

@Suite struct SHA256Tests {
  @Test func knownVectors() {
    #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let long = Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }
}

@Suite struct CSVWriterTests {
  @Test func quotesAndDefusesFormulas() {
    var csv = CSVWriter(header: ["a", "b"])
    csv.row(["x,y", "say \"hi\""])
    csv.row(["=SUM(A1)", "-10600000.00"])
    csv.row(["@cmd", "-348_000"])
    #expect(csv.text == "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n'=SUM(A1),-10600000.00\n'@cmd,-348_000\n")
  }
}
