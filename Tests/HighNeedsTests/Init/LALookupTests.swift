import Foundation
import Testing

@testable import HighNeeds

/// `--la` finds one current LA from a code or a name, or says why not with the nearest names.
struct LALookupTests {
  static let authorities = [
    LocalAuthority(
      code: "887", eCode: "E06000035", otherCodes: [], name: "Medway", region: "South East", status: .current, note: ""
    ),
    LocalAuthority(
      code: "801", eCode: "E06000023", otherCodes: [], name: "Bristol, City of", region: "South West",
      status: .current, note: ""),
    LocalAuthority(
      code: "845", eCode: "E10000011", otherCodes: [], name: "East Sussex", region: "South East", status: .current,
      note: ""),
    LocalAuthority(
      code: "938", eCode: "E10000032", otherCodes: [], name: "West Sussex", region: "South East", status: .current,
      note: ""),
    LocalAuthority(
      code: "825", eCode: "E06000060", otherCodes: ["E10000002"], name: "Buckinghamshire", region: "South East",
      status: .current,
      note: ""),
    LocalAuthority(
      code: "909", eCode: "E10000006", otherCodes: [], name: "Cumbria", region: "North West", status: .predecessor,
      note: "abolished Apr 2023: Cumbria -> Cumberland 942 + Westmorland and Furness 943"),
    LocalAuthority(
      code: "942", eCode: "E06000063", otherCodes: [], name: "Cumberland", region: "North West", status: .current,
      note: ""),
    LocalAuthority(
      code: "839", eCode: "E06000058", otherCodes: [], name: "Bournemouth, Christchurch and Poole",
      region: "South West",
      status: .current, note: ""),
  ]

  @Test(arguments: [
    ("887", "887"), ("medway", "887"), ("MEDWAY", "887"), (" Medway ", "887"), ("e06000035", "887"),
    ("Bristol", "801"), ("bristol, city of", "801"), ("E10000002", "825"), ("Bournemouth, Christchurch & Poole", "839"),
    ("Christchurch", "839"),
  ])
  func findsByCodeECodeOrName(query: String, code: String) throws {
    #expect(try LALookup.find(query, in: Self.authorities).code == code)
  }

  @Test func anAmbiguousNameListsEveryMatch() {
    #expect(throws: LALookupError.self) { try LALookup.find("Sussex", in: Self.authorities) }
    do {
      _ = try LALookup.find("sussex", in: Self.authorities)
    } catch let error as LALookupError {
      #expect(error.reason.contains("East Sussex (845, E10000011)"))
      #expect(error.reason.contains("West Sussex (938, E10000032)"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func anUnknownNameListsTheNearest() {
    do {
      _ = try LALookup.find("Medwy", in: Self.authorities)
      Issue.record("found an LA for a misspelt name")
    } catch let error as LALookupError {
      #expect(error.reason.hasPrefix("no English LA has this code or name; nearest: Medway (887"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func aPredecessorNamesItsSuccessors() {
    do {
      _ = try LALookup.find("909", in: Self.authorities)
      Issue.record("a predecessor LA was accepted")
    } catch let error as LALookupError {
      #expect(error.reason.contains("Cumberland 942 + Westmorland and Furness 943"))
    } catch { Issue.record("unexpected \(error)") }
  }
}
