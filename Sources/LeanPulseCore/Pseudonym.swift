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
            let digits: StaticString = "0123456789abcdef"
            let table = digits.utf8Start
            func put(_ word: UInt64, at offset: Int) {
                for i in 0..<16 { out[offset + i] = table[Int((word >> UInt64(60 - 4 * i)) & 0xF)] }
            }
            put(w0, at: 0)
            put(w1, at: 16)
            put(w2, at: 32)
            put(w3, at: 48)
            return try body(UnsafeBufferPointer(out))
        }
    }

    /// The 64 lower-case hex digits: the pseudonym as stored in `responses.respondent_key`.
    public var hex: String { withHexDigits { String(decoding: $0, as: UTF8.self) } }

    public var description: String { hex }
}
