extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: how digests and pseudonyms are written everywhere.
    public var hexText: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
