import Foundation
import TestSupport
import Testing

@testable import HighNeeds

/// `la.csv`'s status column is read into `LocalAuthority.Status`: an unknown status is an
/// error naming the file, line and column, not an LA silently treated as reorganised away.
@Suite struct LocalAuthorityStatusTests {
  @Test func thePackHoldsCurrentAuthoritiesAndPredecessors() throws {
    let pack = try ScenarioInitTests.pack.get()
    #expect(pack.currentAuthorities.allSatisfy { $0.status == .current })
    #expect(
      pack.currentAuthorities.count + pack.authorities.filter { $0.status == .predecessor }.count
        == pack.authorities.count)
    #expect(pack.authorities.contains { $0.status == .predecessor })
  }

  @Test func anUnknownStatusNamesItsCell() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hnb-pack-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: ScenarioInitTests.packFolder, toPath: folder)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let la = folder + "/la.csv"
    var lines = try String(contentsOfFile: la, encoding: .utf8).components(separatedBy: "\n")
    #expect(lines[2].hasPrefix("202,E09000007,Camden,London,current,"))
    lines[2] = lines[2].replacingOccurrences(of: ",current,", with: ",curent,")
    try lines.joined(separator: "\n").write(toFile: la, atomically: true, encoding: .utf8)
    let message = thrownMessage { _ = try NationalPack.load(folder: folder) }
    #expect(message?.contains("la.csv:3:5") == true, "\(message ?? "no error")")
    #expect(message?.contains("expected current or predecessor; found 'curent'") == true, "\(message ?? "no error")")
  }
}
