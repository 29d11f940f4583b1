import Crypto
import LeanPulseCore

/// Replaces employee identifiers by `HMAC-SHA256(key, id)` (hex) before anything is stored.
///
/// HMAC is computed from its definition, `SHA256((K ^ opad) || SHA256((K ^ ipad) || id))`, with both padded key
/// blocks absorbed once: each pseudonym copies the two SHA-256 states and feeds raw bytes, which costs about half of
/// swift-crypto's generic `HMAC` per id (a million respondents per run). `PseudonymizerTests` pin
/// the output to RFC 4231 and Python's `hmac` values.
public struct Pseudonymizer {
    private let inner: SHA256
    private let outer: SHA256

    /// - Parameter key: the secret, read from the environment or a key file, never from the pipeline file.
    public init(key: String) {
        var keyBytes = Array(key.utf8)
        if keyBytes.count > 64 { keyBytes = Array(SHA256.hash(data: keyBytes)) }
        keyBytes += Array(repeating: 0, count: 64 - keyBytes.count)
        var inner = SHA256()
        var outer = SHA256()
        inner.update(data: keyBytes.map { $0 ^ 0x36 })
        outer.update(data: keyBytes.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The pseudonym of `id` (surrounding spaces ignored, so `" E42"` and `"E42"` are one person).
    public func pseudonym(_ id: String) -> String {
        var text = id.hasNoSpacesAtEdges ? id : id.trimmingSpaces
        return text.withUTF8 { pseudonym(bytes: $0) }
    }

    /// The pseudonym of the UTF-8 bytes of an id, taken as they are (`RawRecord.trimmed` has removed the spaces).
    public func pseudonym(bytes: UnsafeBufferPointer<UInt8>) -> String {
        var first = inner
        first.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        let innerDigest = first.finalize()
        var second = outer
        innerDigest.withUnsafeBytes { second.update(bufferPointer: $0) }
        return second.finalize().withUnsafeBytes { Self.hex($0) }
    }

    /// Lower-case hex of the 32 digest bytes, written straight into the string's storage.
    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = hexDigits[Int(b >> 4)]
                out[2 * i + 1] = hexDigits[Int(b & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
