import Foundation

/// Foundation-free fixed-point number text (METRICS.md 7): exports carry 6 decimals,
/// the HTML whole numbers or one decimal. Ties round away from zero; never "-0".
public enum NumberText {
    private static let powers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `%.6f` text of a finite value (`12.500000`), "" for NaN or infinity (not defined).
    public static func fixed6(_ value: Double) -> String { fixed(value, decimals: 6) }

    /// Whole-number text (`72`, `-13`), "" when not finite.
    public static func whole(_ value: Double) -> String { fixed(value, decimals: 0) }

    /// One-decimal text (`4.5`), "" when not finite.
    public static func oneDecimal(_ value: Double) -> String { fixed(value, decimals: 1) }

    /// `value` with `decimals` (0...6) digits after the point.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        let d = Swift.min(Swift.max(decimals, 0), 6)
        let scale = powers[d]
        let scaled = (value.magnitude * Double(scale)).rounded(.toNearestOrAwayFromZero)
        // Beyond 2^53 the integer path loses digits; such values never occur in reports but stay correct.
        guard scaled < 9.0e15 else {
            let text = String(format: "%.\(d)f", value)
            return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
        }
        let n = UInt64(scaled)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if value < 0 && n != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n / scale, to: &bytes)
        if d > 0 {
            bytes.append(UInt8(ascii: "."))
            var frac = n % scale
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: d)
            var i = d - 1
            while i >= 0 {
                digits[i] = UInt8(ascii: "0") + UInt8(frac % 10)
                frac /= 10
                i -= 1
            }
            bytes.append(contentsOf: digits)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Plain integer text.
    public static func integer(_ value: Int) -> String { String(value) }

    private static func appendDigits(_ value: UInt64, to bytes: inout [UInt8]) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        var v = value
        var tmp: [UInt8] = []
        tmp.reserveCapacity(20)
        while v > 0 {
            tmp.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        bytes.append(contentsOf: tmp.reversed())
    }
}
