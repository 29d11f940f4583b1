import Foundation

/// The noun that follows a count: "1 idea", "2 ideas" (never "idea(s)" on a leader's page).
enum Plural {
    static func noun(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        count == 1 ? singular : plural ?? singular + "s"
    }

    /// The count and its noun: "1 idea", "2 ideas".
    static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) " + noun(count, singular, plural)
    }
}

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
        guard let (n, negative) = scaled(value, decimals: d) else {
            let text = String(format: "%.\(d)f", value)
            return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
        }
        return text(n, decimals: d, negative: negative)
    }

    /// One-decimal text without a trailing `.0` (`12`, `12.5`, `-3`): coordinates in SVG. "" when not finite.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        guard let (n, negative) = scaled(value, decimals: 1) else {
            let text = oneDecimal(value)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        return n % 10 == 0 ? text(n / 10, decimals: 0, negative: negative) : text(n, decimals: 1, negative: negative)
    }

    /// `low–high` in whole numbers with an en dash (`7–59`) when both are 0...100, as percentages and their intervals
    /// are, from a table (each text is at most 9 bytes: inline); nil otherwise, or when either is not finite.
    public static func wholeRange(_ low: Double, _ high: Double) -> String? {
        // `scaled` is nil for NaN and infinities as for values past 9e15.
        guard let (l, lowNegative) = scaled(low, decimals: 0), let (h, highNegative) = scaled(high, decimals: 0),
              !lowNegative, !highNegative, l <= 100, h <= 100 else { return nil }
        return rangeTexts[Int(l) * 101 + Int(h)]
    }

    private static let rangeTexts = (0 ... 100).flatMap { l in (0 ... 100).map { h in wholeTexts[l] + "\u{2013}" + wholeTexts[h] } }

    /// |`value`| x 10^`d` rounded (ties away from zero), and whether its text takes a minus sign (never for "-0");
    /// nil from 9e15 on, where the integer path would lose digits (such values never occur in reports).
    private static func scaled(_ value: Double, decimals d: Int) -> (n: UInt64, negative: Bool)? {
        let scaled = (value.magnitude * Double(powers[d])).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return nil }
        let n = UInt64(scaled)
        return (n, value < 0 && n != 0)
    }

    /// The text of a scaled value: looked up when it is in the tables, else written.
    private static func text(_ n: UInt64, decimals d: Int, negative: Bool) -> String {
        if !negative, n < UInt64(tableSize), d <= 1 { return d == 0 ? wholeTexts[Int(n)] : oneDecimalTexts[Int(n)] }
        return written(n, decimals: d, negative: negative)
    }

    /// How many of the smallest non-negative values of 0 and 1 decimals have their text made once: percentages and
    /// page coordinates are nearly all of a report's numbers, and making a `String` per number was 8% of rendering
    /// its pages. Every text is at most 5 bytes, so Swift keeps it inline (no allocation, no reference counting).
    static let tableSize = 10_000
    private static let wholeTexts = (0 ..< UInt64(tableSize)).map { written($0, decimals: 0, negative: false) }
    private static let oneDecimalTexts = (0 ..< UInt64(tableSize)).map { written($0, decimals: 1, negative: false) }

    /// Appends `fixed(value, decimals:)`'s text to `out` without making a `String` (the exports' millions of numbers).
    static func append(_ value: Double, decimals: Int, to out: ByteBuffer) {
        guard value.isFinite else { return }
        let d = Swift.min(Swift.max(decimals, 0), 6)
        guard let (n, negative) = scaled(value, decimals: d) else {
            var text = fixed(value, decimals: d)
            return text.withUTF8 { out.append($0) }
        }
        let length = textLength(n, decimals: d, negative: negative)
        out.append(upTo: length) { target in
            write(n, decimals: d, negative: negative, into: UnsafeMutableBufferPointer(start: target, count: length))
            return length
        }
    }

    /// Appends `String(value)`'s text to `out` without making a `String` (the templates' numbers).
    static func append(integer value: Int, to out: ByteBuffer) {
        let n = value.magnitude, negative = value < 0
        let length = textLength(UInt64(n), decimals: 0, negative: negative)
        out.append(upTo: length) { target in
            write(UInt64(n), decimals: 0, negative: negative, into: UnsafeMutableBufferPointer(start: target, count: length))
            return length
        }
    }

    /// The digits of `n` with a point before its last `decimals` digits, and a minus sign when `negative`.
    private static func written(_ n: UInt64, decimals d: Int, negative: Bool) -> String {
        // Written right to left into the string's own storage, of the text's exact length (a text of up to 15 bytes
        // is then kept inline): a report formats millions of numbers, and the two temporary arrays this used to build
        // per number were a measurable share of rendering.
        let length = textLength(n, decimals: d, negative: negative)
        return String(unsafeUninitializedCapacity: length) { out in
            write(n, decimals: d, negative: negative, into: out)
            return length
        }
    }

    /// The length of `written`'s text.
    private static func textLength(_ n: UInt64, decimals d: Int, negative: Bool) -> Int {
        var length = d > 0 ? d + 2 : 1
        var whole = n / powers[d]
        while whole >= 10 { length += 1; whole /= 10 }
        return negative ? length + 1 : length
    }

    /// Writes `written`'s text into `out`, which is exactly `textLength` bytes, right to left.
    private static func write(_ n: UInt64, decimals d: Int, negative: Bool, into out: UnsafeMutableBufferPointer<UInt8>) {
        var v = n
        var i = out.count - 1
        if d > 0 {
            for _ in 0..<d {
                out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
                v /= 10
                i -= 1
            }
            out[i] = UInt8(ascii: ".")
            i -= 1
        }
        repeat {
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        } while v > 0
        if negative { out[0] = UInt8(ascii: "-") }
    }

    /// Plain integer text.
    public static func integer(_ value: Int) -> String { String(value) }
}
