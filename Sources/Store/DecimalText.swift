/// Integers written as decimal text straight into a buffer: the idea blocks' days and the responses' answers, the
/// JSON the store writes.
enum DecimalText {
    /// Writes `value` (a minus sign first when negative) at `out`, which has room for 20 bytes; returns the number of
    /// bytes written.
    static func write(_ value: Int, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value.magnitude
        let sign = value < 0 ? 1 : 0
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var i = sign + digits - 1
        repeat {
            out[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
            v /= 10
            i -= 1
        } while v > 0
        return sign + digits
    }
}
