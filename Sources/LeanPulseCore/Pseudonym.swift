/// An employee's pseudonym: the 32 bytes of `HMAC-SHA256(key, id)`, written as 64 lower-case hex digits wherever it is
/// stored or shown. Kept as bytes between Normalize and Store: a million respondents then cost no `String` each
/// (allocation, hex digits, UTF-8 check and release were a tenth of a survey ingest in `perf`).
public struct Pseudonym: Hashable, Sendable, CustomStringConvertible {
    /// The digest as four big-endian words (byte 0 is the high byte of `w0`), so that word order is byte order.
    public let w0, w1, w2, w3: UInt64

    /// The digest as its four big-endian words.
    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// The digest in `bytes` (32 of them).
    public init(digest bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a pseudonym is 32 bytes")
        w0 = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// The pseudonym written as `hex` (64 hex digits, either case); nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        func word(_ w: Int) -> UInt64? {
            var value: UInt64 = 0
            for d in digits[(w * 16)..<(w * 16 + 16)] {
                guard let nibble = Character(Unicode.Scalar(d)).hexDigitValue else { return nil }
                value = value << 4 | UInt64(nibble)
            }
            return value
        }
        guard digits.count == 64, let w0 = word(0), let w1 = word(1), let w2 = word(2), let w3 = word(3) else { return nil }
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    /// Calls `body` with the 64 lower-case hex digits (valid only inside `body`; no allocation).
    @inlinable
    public func withHexDigits<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { out in
            // Two digits per byte from a table of the 256 pairs (a digit per nibble cost twice the instructions).
            let pairs = UnsafeRawPointer(Pseudonym.hexPairs.utf8Start)
            let target = UnsafeMutableRawPointer(out.baseAddress!)
            func put(_ word: UInt64, at offset: Int) {
                for i in 0..<8 {
                    let byte = Int((word >> UInt64(56 - 8 * i)) & 0xFF)
                    (target + offset + 2 * i).storeBytes(of: pairs.loadUnaligned(fromByteOffset: 2 * byte, as: UInt16.self), as: UInt16.self)
                }
            }
            put(w0, at: 0)
            put(w1, at: 16)
            put(w2, at: 32)
            put(w3, at: 48)
            return try body(UnsafeBufferPointer(out))
        }
    }

    /// "000102...feff": the two hex digits of every byte.
    @usableFromInline static var hexPairs: StaticString { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" }

    /// The 64 lower-case hex digits: the pseudonym as stored in `responses.respondent_key`.
    public var hex: String { withHexDigits { String(decoding: $0, as: UTF8.self) } }

    public var description: String { hex }
}
