import CCryptoBoringSSL
import Crypto
import LeanPulseCore

/// Replaces employee identifiers by `HMAC-SHA256(key, id)` (a `Pseudonym`, stored as hex) before anything is stored.
///
/// HMAC is computed from its definition, `SHA256((K ^ opad) || SHA256((K ^ ipad) || id))`, with both padded key
/// blocks absorbed once. Each pseudonym copies the two absorbed `SHA256_CTX` states of BoringSSL (the SHA-256 that
/// swift-crypto itself runs on) by value on the stack and feeds the id: no allocation, two compressions. swift-crypto's
/// `SHA256` value wraps its context in a class that is copied on write and again on `finalize`, which made the
/// pseudonym 6x the cost of its two compressions (DECISIONS 27). `PseudonymizerTests` pin the output to RFC 4231,
/// Python's `hmac` values and swift-crypto's `HMAC<SHA256>`.
public struct Pseudonymizer: Sendable {
    /// The two hash states after the padded key block: plain C structs, copied per pseudonym, never mutated after init.
    /// Held by reference, so that a normalizer passing its pseudonymizer around does not copy 224 bytes each time.
    private final class KeyedStates: @unchecked Sendable {
        let inner: SHA256_CTX
        let outer: SHA256_CTX

        init(inner: SHA256_CTX, outer: SHA256_CTX) {
            self.inner = inner
            self.outer = outer
        }
    }

    private let states: KeyedStates

    /// - Parameter key: the secret, read from the environment or a key file, never from the pipeline file.
    public init(key: String) {
        var keyBytes = Array(key.utf8)
        if keyBytes.count > 64 { keyBytes = Array(SHA256.hash(data: keyBytes)) }
        keyBytes += Array(repeating: 0, count: 64 - keyBytes.count)
        func absorbed(_ pad: UInt8) -> SHA256_CTX {
            var context = SHA256_CTX()
            CCryptoBoringSSL_SHA256_Init(&context)
            let block = keyBytes.map { $0 ^ pad }
            block.withUnsafeBytes { _ = CCryptoBoringSSL_SHA256_Update(&context, $0.baseAddress, $0.count) }
            return context
        }
        states = KeyedStates(inner: absorbed(0x36), outer: absorbed(0x5C))
    }

    /// The pseudonym of `id` (surrounding spaces ignored, so `" E42"` and `"E42"` are one person).
    public func pseudonym(_ id: String) -> String {
        var text = id.hasNoSpacesAtEdges ? id : id.trimmingSpaces
        return text.withUTF8 { pseudonym(bytes: $0) }
    }

    /// The pseudonym of the UTF-8 bytes of an id as hex, taken as they are.
    public func pseudonym(bytes: UnsafeBufferPointer<UInt8>) -> String {
        key(bytes: bytes).hex
    }

    /// The pseudonym of the UTF-8 bytes of an id, taken as they are (`RawRecord.trimmed` has removed the spaces).
    public func key(bytes: UnsafeBufferPointer<UInt8>) -> Pseudonym {
        if bytes.count <= Self.singleBlockLimit { return singleBlockKey(bytes) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            let out = digest.baseAddress!
            var context = states.inner
            _ = CCryptoBoringSSL_SHA256_Update(&context, bytes.baseAddress, bytes.count)
            _ = CCryptoBoringSSL_SHA256_Final(out, &context)
            context = states.outer
            _ = CCryptoBoringSSL_SHA256_Update(&context, out, 32)
            _ = CCryptoBoringSSL_SHA256_Final(out, &context)
            return Pseudonym(digest: UnsafeRawBufferPointer(digest))
        }
    }

    /// The longest id whose inner hash is one compression: the id, the 0x80 pad byte and the 8-byte length fill 64 bytes.
    static let singleBlockLimit = 55

    /// `key(bytes:)` for an id of at most 55 bytes (every employee id seen so far): both hashes are one compression of a
    /// block padded here (FIPS 180-4 5.1.1), run with `SHA256_Transform` on copies of the absorbed key states. The general
    /// path's `Update` and `Final` calls, buffer copies and per-call checks were a third of the pseudonym's cost.
    private func singleBlockKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Pseudonym {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            let block = buffer.baseAddress!
            block.initialize(repeating: 0, count: 64)
            let n = bytes.count
            if let id = bytes.baseAddress { block.update(from: id, count: n) }
            Self.pad(block, length: n)
            var inner = states.inner
            CCryptoBoringSSL_SHA256_Transform(&inner, block)
            // The inner digest, big-endian, is the outer hash's message.
            block.update(repeating: 0, count: 64)
            withUnsafeBytes(of: inner.h) { h in
                for i in 0..<8 {
                    let word = h.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).bigEndian
                    UnsafeMutableRawPointer(block + 4 * i).storeBytes(of: word, as: UInt32.self)
                }
            }
            Self.pad(block, length: 32)
            var outer = states.outer
            CCryptoBoringSSL_SHA256_Transform(&outer, block)
            let h = outer.h
            return Pseudonym(w0: UInt64(h.0) << 32 | UInt64(h.1), w1: UInt64(h.2) << 32 | UInt64(h.3),
                             w2: UInt64(h.4) << 32 | UInt64(h.5), w3: UInt64(h.6) << 32 | UInt64(h.7))
        }
    }

    /// The padding of a message of `length` bytes that follows the 64-byte key block: 0x80 after it, the total bit
    /// length (key block included) big-endian in the last eight bytes. The rest of the block must be zero.
    private static func pad(_ block: UnsafeMutablePointer<UInt8>, length: Int) {
        block[length] = 0x80
        let bits = UInt64(64 + length) * 8
        UnsafeMutableRawPointer(block + 56).storeBytes(of: bits.bigEndian, as: UInt64.self)
    }
}
