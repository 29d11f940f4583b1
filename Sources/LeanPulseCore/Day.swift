/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian), time-zone free.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Civil date to day count (H. Hinnant's `days_from_civil`); nil for an impossible date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year: year, month: month),
              (1...9999).contains(year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD` (the first ten characters of an ISO 8601 date or timestamp).
    public init?(iso text: Substring) {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Day.number(bytes[0..<4]), let m = Day.number(bytes[5..<7]), let d = Day.number(bytes[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init?(iso text: String) { self.init(iso: Substring(text)) }

    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        guard y >= 0, y <= 9999 else { return "\(Day.pad(y, 4))-\(Day.pad(m, 2))-\(Day.pad(d, 2))" }
        // Ten ASCII bytes written in place: exports and pages write a date per idea and per chart point.
        return String(unsafeUninitializedCapacity: 10) { out in
            func digit(_ v: Int) -> UInt8 { UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10) }
            out[0] = digit(y / 1000); out[1] = digit(y / 100); out[2] = digit(y / 10); out[3] = digit(y)
            out[4] = UInt8(ascii: "-"); out[5] = digit(m / 10); out[6] = digit(m)
            out[7] = UInt8(ascii: "-"); out[8] = digit(d / 10); out[9] = digit(d)
            return 10
        }
    }

    /// ISO 8601 weekday, 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int { Int(((Int64(ordinal) % 7 + 7 + 3) % 7) + 1) }

    /// ISO 8601 week-numbering year and week.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = Day(ordinal: ordinal - Int32(isoWeekday) + 4)
        let year = thursday.civil.year
        let jan1 = Day(year: year, month: 1, day: 1)!
        return (year, Int(thursday.ordinal - jan1.ordinal) / 7 + 1)
    }

    public static func + (lhs: Day, rhs: Int) -> Day { Day(ordinal: lhs.ordinal + Int32(rhs)) }
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.ordinal) - Int(rhs.ordinal) }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
