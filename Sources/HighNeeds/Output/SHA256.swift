import Crypto
import Foundation

/// SHA-256 (FIPS 180-4) of a byte string, as lower-case hex: the one hashing helper, for the
/// manifests' input hashes, the output folder's marker and the evidence checks; the digest is
/// apple/swift-crypto's.
public enum SHA256 {
  /// The digest of `bytes` as 64 hex characters.
  public static func hex(_ bytes: some DataProtocol) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(64)
    for byte in Crypto.SHA256.hash(data: bytes) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0xf)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
