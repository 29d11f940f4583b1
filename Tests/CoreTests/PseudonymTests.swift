import LeanPulseCore
import Testing

struct PseudonymTests {
    /// RFC 4231 test case 2's HMAC, as bytes and back as the hex text the store holds.
    let rfc4231 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

    @Test func hexRoundTripsThroughTheDigestBytes() throws {
        let key = try #require(Pseudonym(hex: rfc4231))
        #expect(key.hex == rfc4231)
        #expect(key.description == rfc4231)
        #expect(key.w0 == 0x5bdc_c146_bf60_754e)
        #expect(key.w3 == 0x9dec_58b9_64ec_3843)
        let bytes: [UInt8] = stride(from: 0, to: 64, by: 2).map { i in
            UInt8(rfc4231.dropFirst(i).prefix(2), radix: 16)!
        }
        #expect(bytes.withUnsafeBytes { Pseudonym(digest: $0) } == key)
        #expect(Pseudonym(hex: rfc4231.uppercased()) == key)
        key.withHexDigits { digits in #expect(Array(digits) == Array(rfc4231.utf8)) }
    }

    @Test func onlySixtyFourHexDigitsArePseudonyms() {
        #expect(Pseudonym(hex: String(rfc4231.dropLast())) == nil)
        #expect(Pseudonym(hex: rfc4231 + "0") == nil)
        #expect(Pseudonym(hex: String(rfc4231.dropLast()) + "g") == nil)
        #expect(Pseudonym(hex: "") == nil)
    }
}
