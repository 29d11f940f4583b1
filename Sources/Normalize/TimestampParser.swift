import Foundation
import LeanPulseCore

/// A point in time read from an export: the civil date and time as written, and its UTC instant.
public struct Timestamp: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64

    public init(epochSeconds: Int64) { self.epochSeconds = epochSeconds }

    /// The calendar day of this instant in `zone`.
    public func day(in zone: TimeZone) -> Day {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds))))
        return Self.day(local: epochSeconds + offset)
    }

    /// The day of `local` seconds since 1970-01-01T00:00:00 local time.
    static func day(local: Int64) -> Day {
        Day(ordinal: Int32((local - (local % 86_400 + 86_400) % 86_400) / 86_400))
    }
}

/// Reads dates and timestamps as survey tools write them. Without an explicit pattern it accepts
/// ISO 8601 (`2026-10-05`, `2026-10-05T07:00:00Z`, `2026-10-05 07:00:00`, offsets `+02:00`), the
/// US forms of Google Forms (`10/5/2026 7:00:00`) and Microsoft Forms (`10/5/26 7:00`), year first with slashes or dots
/// (`2026/10/05 9:00:00 AM GMT+2`, Google Forms' own download) and day first with dots (`05.10.2026 09:00`).
/// A time without an offset is read in `zone` (the export's); calendar days are taken in `dayZone` (the pipeline's).
public struct TimestampParser: Sendable {
    public let zone: TimeZone
    /// The zone whose calendar gives a timestamp's day (`day(of:)`): the pipeline's, so that a period or an idea's day
    /// does not depend on the zone an export wrote its times in.
    public let dayZone: TimeZone
    private let pattern: [Token]?
    /// The zone's offset when it never changes (UTC, fixed-offset zones): Foundation's per-date lookup is then skipped.
    private let fixedOffset: Int64?
    /// The same for `dayZone`.
    private let dayFixedOffset: Int64?

    enum Token: Sendable, Equatable {
        case year4, year2, month, monthName, day, hour, hour12, minute, second, amPM, offset, literal(UInt8)
    }

    /// - Parameter format: an optional pattern such as `dd.MM.yyyy HH:mm` (`yyyy yy M MM d dd H HH h hh mm ss a`; `MMM` or
    ///   `MMMM` for a month's English name, read alike: `Aug`, `aug`, `August`, `Sept`), an offset
    ///   `Z`, `X` or `O` (1 to 5 letters, all read alike: `Z`, `+02:00`, `+0200`, `+2`, each also after `GMT` or `UTC`, and
    ///   `GMT` or `UTC` alone), text in single quotes as written, `''` for a quote, a bare `T` as text); any other letter is
    ///   an error, not text to match.
    /// - Parameter dayZone: the zone of calendar days; `zone` when nil.
    public init(zone: TimeZone, format: String? = nil, dayZone: TimeZone? = nil) throws(Diagnostic) {
        self.zone = zone
        self.dayZone = dayZone ?? zone
        fixedOffset = Self.fixedOffset(of: zone)
        dayFixedOffset = Self.fixedOffset(of: self.dayZone)
        guard let format else { pattern = nil; return }
        var tokens: [Token] = []
        let bytes = Array(format.utf8)
        var i = 0
        func unsupported(_ what: String) -> Diagnostic {
            Diagnostic(.error, "date_format '\(format)': unsupported field '\(what)' (use yyyy yy M MM MMM MMMM d dd H HH h hh mm "
                       + "ss a, Z for an offset, and text in single quotes such as 'T')")
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "'") {
                // Quoted text: matched as written; '' is one quote.
                var j = i + 1
                if j < bytes.count, bytes[j] == c { tokens.append(.literal(c)); i += 2; continue }
                while j < bytes.count, bytes[j] != c { tokens.append(.literal(bytes[j])); j += 1 }
                guard j < bytes.count else { throw Diagnostic(.error, "date_format '\(format)': a quote is not closed") }
                i = j + 1
                continue
            }
            var run = 1
            while i + run < bytes.count, bytes[i + run] == c { run += 1 }
            switch (c, run) {
            case (UInt8(ascii: "y"), 4): tokens.append(.year4)
            case (UInt8(ascii: "y"), 2): tokens.append(.year2)
            case (UInt8(ascii: "M"), 1...2): tokens.append(.month)
            case (UInt8(ascii: "M"), 3...4): tokens.append(.monthName)
            case (UInt8(ascii: "d"), 1...2): tokens.append(.day)
            case (UInt8(ascii: "H"), 1...2): tokens.append(.hour)
            case (UInt8(ascii: "h"), 1...2): tokens.append(.hour12)
            case (UInt8(ascii: "m"), 1...2): tokens.append(.minute)
            case (UInt8(ascii: "s"), 1...2): tokens.append(.second)
            case (UInt8(ascii: "a"), 1): tokens.append(.amPM)
            case (UInt8(ascii: "Z"), 1...5), (UInt8(ascii: "X"), 1...5), (UInt8(ascii: "O"), 1...4): tokens.append(.offset)
            default:
                // Any other letter is a field this parser lacks (S, E, z...): as text it would fail every date quietly.
                // A bare T between date and time (`yyyy-MM-ddTHH:mm`) is text, as ISO 8601 writes it.
                if c != UInt8(ascii: "T"), (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") {
                    throw unsupported(String(repeating: Character(UnicodeScalar(c)), count: run))
                }
                for _ in 0..<run { tokens.append(.literal(c)) }
            }
            i += run
        }
        // A 12-hour clock needs its AM/PM, and AM/PM a 12-hour clock.
        guard tokens.contains(.hour12) == tokens.contains(.amPM), !(tokens.contains(.hour12) && tokens.contains(.hour)) else {
            throw Diagnostic(.error, "date_format '\(format)': h (12-hour clock) goes with a (AM/PM), H (24-hour) without it")
        }
        pattern = tokens
    }

    /// What follows "'...' is not a date" in a finding: the stated format, or how to state one.
    public static func hint(format: String?, text: String? = nil) -> String {
        if let format { return " in the format \(format)" }
        if let text, let suggested = suggestedFormat(for: text) { return " this source understands (set date_format: \(suggested))" }
        return " this source understands (set date_format to the export's pattern, e.g. dd/MM/yyyy HH:mm or d MMM yyyy; "
            + "spreadsheet day numbers are not read: format the column as dates before exporting)"
    }

    /// The `date_format` that reads `text` when it is a numeric day and month with a year (`14/08/2026 18:41:38`,
    /// `8.14.26 6:41 PM`, `14-08-2026`): day first when the first number can only be a day (13-31), month first when the
    /// second can only be one; nil for anything else, or when neither order is certain.
    public static func suggestedFormat(for text: String) -> String? {
        var bytes = Array(text.utf8)[...]
        func number(_ maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0, digits = 0
            while let b = bytes.first, b >= 48, b <= 57, digits < maxDigits {
                value = value * 10 + Int(b - 48)
                digits += 1
                bytes.removeFirst()
            }
            return digits > 0 ? (value, digits) : nil
        }
        func take(_ byte: UInt8) -> Bool {
            guard bytes.first == byte else { return false }
            bytes.removeFirst()
            return true
        }
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        guard let a = number(2), let separator = bytes.first, [UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(separator),
              take(separator), let b = number(2), take(separator), let year = number(4), year.digits == 2 || year.digits == 4 else { return nil }
        let s = String(UnicodeScalar(separator))
        let dayMonth: String
        switch (a.value, b.value) {
        case (13...31, 1...12): dayMonth = "dd\(s)MM"
        case (1...12, 13...31): dayMonth = "MM\(s)dd"
        default: return nil
        }
        var format = dayMonth + s + (year.digits == 4 ? "yyyy" : "yy")
        guard !bytes.isEmpty else { return format }
        guard take(UInt8(ascii: " ")) || take(UInt8(ascii: "T")), let hour = number(2), take(UInt8(ascii: ":")), number(2)?.digits == 2 else {
            return nil
        }
        let seconds = take(UInt8(ascii: ":")) && number(2)?.digits == 2
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        let rest = String(decoding: bytes, as: UTF8.self).uppercased()
        let twelveHour = rest == "AM" || rest == "PM"
        guard rest.isEmpty || twelveHour else { return nil }
        format += twelveHour ? " h:mm" : (hour.digits == 2 ? " HH:mm" : " H:mm")
        if seconds { format += ":ss" }
        if twelveHour { format += " a" }
        return format
    }

    /// Checks a `date_format` as the parser would read it (an unsupported field is an error), for the configuration.
    public static func check(format: String) throws(Diagnostic) {
        _ = try TimestampParser(zone: TimeZone(secondsFromGMT: 0)!, format: format)
    }

    /// Parses `text`; nil when it is not a date this parser understands or not a real calendar date.
    public func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// `parse` on the UTF-8 bytes of the text (surrounding spaces ignored).
    public func parse(bytes buffer: UnsafeBufferPointer<UInt8>) -> Timestamp? { parsed(bytes: buffer)?.timestamp }

    /// A parsed text: its instant, and the calendar day it names when it is a date without a time of day.
    public struct Parsed: Sendable, Equatable {
        public var timestamp: Timestamp
        /// The date as written when the text has no time (`2026-10-05`, `10/5/2026`, `20261005`): that day in every zone.
        public var civilDay: Day?
        /// Read without `date_format` from a slash date (`03/08/2026`), month first as US exports write it: a day-first
        /// export reads as valid but wrong dates while every day is 12 or less.
        public var monthFirst = false
    }

    /// `parse`, keeping whether the text was a date alone (surrounding spaces ignored).
    public func parsed(bytes buffer: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var start = 0, end = buffer.count
        while start < end, buffer[start] == 32 { start += 1 }
        while end > start, buffer[end - 1] == 32 { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
        if let pattern { return parse(bytes, pattern: pattern) }
        return parseAuto(bytes)
    }

    /// The calendar day of a parsed text: the date as written for a date alone, else its instant's day in `dayZone`.
    public func day(of parsed: Parsed) -> Day { parsed.civilDay ?? day(of: parsed.timestamp) }

    private func parseAuto(_ b: UnsafeBufferPointer<UInt8>) -> Parsed? {
        if let fixed = parseISOFixed(b) { return fixed }
        // ISO 8601's basic format, `20261005` (Triple-S writes its date variables so).
        if b.count == 8, b.allSatisfy({ $0 &- 48 < 10 }) {
            var bad = false
            let year = Self.digits(b, 0, 4, bad: &bad), month = Self.digits(b, 4, 2, bad: &bad), day = Self.digits(b, 6, 2, bad: &bad)
            return bad ? nil : make(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offset: nil, dateOnly: true)
        }
        var scanner = Scanner(bytes: b)
        guard let first = scanner.number(maxDigits: 4) else { return nil }
        var year = 0, month = 0, day = 0
        var slashDate = false
        if first.digits == 4, let separator = scanner.peek,
           separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") {
            // `2026-10-05`, and year first with slashes or dots, `2026/10/05`, as Google Forms' own download and East
            // Asian locales write it, `2026.10.05` (never day first).
            scanner.advance()
            year = first.value
            guard let m = scanner.number(maxDigits: 2), scanner.take(separator), let d = scanner.number(maxDigits: 2) else { return nil }
            month = m.value; day = d.value
        } else if first.digits <= 2, let separator = scanner.peek, separator == UInt8(ascii: "-") || separator == UInt8(ascii: " "),
                  scanner.index + 1 < b.count, (b[scanner.index + 1] | 0x20) &- UInt8(ascii: "a") < 26 {
            // `14-Aug-2026`, `14-Aug-26`, `14 August 2026`: Excel's and many locales' dates with an English month name
            // (day first, the only order these are written in with the day before the month).
            scanner.advance()
            guard let m = scanner.monthName(), scanner.take(separator), let y = scanner.number(maxDigits: 4),
                  y.digits == 4 || y.digits == 2 else { return nil }
            day = first.value; month = m
            year = y.digits == 2 ? 2000 + y.value : y.value
        } else if first.digits <= 2, let separator = scanner.peek, separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") {
            // `10/5/2026`: month first, as US exports write it (Google and Microsoft Forms). `5.10.2026`: day first, as
            // German, Nordic and Slavic locales write dates with dots (Sheets and Forms downloads there); no locale
            // writes the month first with dots.
            scanner.advance()
            guard let second = scanner.number(maxDigits: 2), scanner.take(separator), let y = scanner.number(maxDigits: 4),
                  y.digits == 4 || y.digits == 2 else { return nil }
            slashDate = separator == UInt8(ascii: "/")
            (month, day) = slashDate ? (first.value, second.value) : (second.value, first.value)
            year = y.digits == 2 ? 2000 + y.value : y.value
        } else {
            return nil
        }
        var hour = 0, minute = 0, second = 0
        var dateOnly = true
        if scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: " ")) {
            dateOnly = false
            while scanner.take(UInt8(ascii: " ")) {}
            guard let h = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: ":")), let mi = scanner.number(maxDigits: 2) else { return nil }
            hour = h.value; minute = mi.value
            if scanner.take(UInt8(ascii: ":")) {
                guard let s = scanner.number(maxDigits: 2) else { return nil }
                second = s.value
                if scanner.take(UInt8(ascii: ".")) { _ = scanner.number(maxDigits: 9) }
            }
            while scanner.take(UInt8(ascii: " ")) {}
            if scanner.take(UInt8(ascii: "A")) || scanner.take(UInt8(ascii: "a")) {
                guard scanner.take(UInt8(ascii: "M")) || scanner.take(UInt8(ascii: "m")), (1...12).contains(hour) else { return nil }
                if hour == 12 { hour = 0 }
            } else if scanner.take(UInt8(ascii: "P")) || scanner.take(UInt8(ascii: "p")) {
                guard scanner.take(UInt8(ascii: "M")) || scanner.take(UInt8(ascii: "m")), (1...12).contains(hour) else { return nil }
                if hour != 12 { hour += 12 }
            }
        }
        var offset: Int? = nil
        if !scanner.atEnd {
            // `Z`, `+02:00`, or as Google Forms' download writes it after the time, `GMT+1`, `GMT-4:30`, `GMT`.
            guard let seconds = scanner.zoneOffset() else { return nil }
            offset = seconds
        }
        guard scanner.atEnd else { return nil }
        var result = make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset,
                          dateOnly: dateOnly && offset == nil)
        result?.monthFirst = slashDate
        return result
    }

    /// The two ISO shapes most exports write, `2026-10-05` and `2026-10-05T07:00:05Z`, read at fixed positions
    /// (nil for anything else, which the general scanner then reads).
    @inline(__always)
    private func parseISOFixed(_ b: UnsafeBufferPointer<UInt8>) -> Parsed? {
        let n = b.count
        guard n == 10 || (n == 20 && b[10] == 0x54 && b[13] == 0x3A && b[16] == 0x3A && b[19] == 0x5A),
              let (year, month, day) = Self.isoDate(b) else { return nil }
        if n == 10 { return make(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offset: nil, dateOnly: true) }
        var bad = false
        let hour = Self.digits(b, 11, 2, bad: &bad), minute = Self.digits(b, 14, 2, bad: &bad), second = Self.digits(b, 17, 2, bad: &bad)
        return bad ? nil : make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: 0, dateOnly: false)
    }

    /// Year, month and day of the `YYYY-MM-DD` that starts `b` (at least ten bytes), nil when it is not one.
    @inline(__always)
    private static func isoDate(_ b: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        var bad = false
        let date = (digits(b, 0, 4, bad: &bad), digits(b, 5, 2, bad: &bad), digits(b, 8, 2, bad: &bad))
        return bad ? nil : date
    }

    /// The decimal value of `count` bytes from `at`; sets `bad` when one is not a digit.
    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int, bad: inout Bool) -> Int {
        var value = 0
        for i in at..<(at + count) {
            let digit = Int(b[i]) &- 48
            if digit < 0 || digit > 9 { bad = true }
            value = value &* 10 &+ digit
        }
        return value
    }

    private func parse(_ b: UnsafeBufferPointer<UInt8>, pattern: [Token]) -> Parsed? {
        var scanner = Scanner(bytes: b)
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        var pm: Bool?
        var offset: Int?
        for token in pattern {
            switch token {
            case .literal(let c): guard scanner.take(c) else { return nil }
            case .year4: guard let v = scanner.number(maxDigits: 4), v.digits == 4 else { return nil }; year = v.value
            case .year2: guard let v = scanner.number(maxDigits: 2), v.digits == 2 else { return nil }; year = 2000 + v.value
            case .month: guard let v = scanner.number(maxDigits: 2) else { return nil }; month = v.value
            case .monthName: guard let m = scanner.monthName() else { return nil }; month = m
            case .day: guard let v = scanner.number(maxDigits: 2) else { return nil }; day = v.value
            case .hour: guard let v = scanner.number(maxDigits: 2) else { return nil }; hour = v.value
            case .minute: guard let v = scanner.number(maxDigits: 2) else { return nil }; minute = v.value
            case .second: guard let v = scanner.number(maxDigits: 2) else { return nil }; second = v.value
            case .hour12: guard let v = scanner.number(maxDigits: 2), (1...12).contains(v.value) else { return nil }; hour = v.value
            case .amPM:
                if scanner.take(UInt8(ascii: "A")) || scanner.take(UInt8(ascii: "a")) { pm = false }
                else if scanner.take(UInt8(ascii: "P")) || scanner.take(UInt8(ascii: "p")) { pm = true }
                else { return nil }
                guard scanner.take(UInt8(ascii: "M")) || scanner.take(UInt8(ascii: "m")) else { return nil }
            case .offset:
                guard let seconds = scanner.zoneOffset() else { return nil }
                offset = seconds
            }
        }
        guard scanner.atEnd else { return nil }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        let dateOnly = !pattern.contains { $0 == .hour || $0 == .hour12 || $0 == .minute || $0 == .second || $0 == .offset }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset, dateOnly: dateOnly)
    }

    /// Years a date of an export may have. Earlier ones are placeholders, not dates: .NET's empty `0001-01-01`, Excel's
    /// day 0 `1899-12-30`; a year before 1000 also has no `YYYY-Qn` period to be stored under (session 17's audit: it
    /// failed the store's CHECK instead of becoming a finding).
    public static let years = 1900...9999

    /// The day, when it is a date of `years`.
    private static func calendarDay(_ year: Int, _ month: Int, _ day: Int) -> Day? {
        years.contains(year) ? Day(year: year, month: month, day: day) : nil
    }

    private func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int?, dateOnly: Bool) -> Parsed? {
        guard let date = Self.calendarDay(year, month, day), hour < 24, minute < 60, second < 61 else { return nil }
        let civilDay = dateOnly ? date : nil
        let local = Int64(date.ordinal) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let parsed: Parsed
        if let offset {
            parsed = Parsed(timestamp: Timestamp(epochSeconds: local - Int64(offset)), civilDay: civilDay)
        } else if let fixedOffset {
            parsed = Parsed(timestamp: Timestamp(epochSeconds: local - fixedOffset), civilDay: civilDay)
        } else {
            // Local civil time in `zone`: take the zone's offset at that moment (two passes settle DST edges).
            var guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local))))
            guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
            parsed = Parsed(timestamp: Timestamp(epochSeconds: guess), civilDay: civilDay)
        }
        // On the first and last day of `years`, the pipeline's zone may put the instant outside them (`9999-12-31T23:00Z`
        // is already the year 10000 east of UTC, SAP's "no end date"): no period to store it under, so not a date
        // (session 18's audit: it failed the store's CHECK and the whole run).
        if (year == Self.years.upperBound && month == 12 && day == 31) || (year == Self.years.lowerBound && month == 1 && day == 1),
           !Self.years.contains(self.day(of: parsed).civil.year) {
            return nil
        }
        return parsed
    }

    /// The calendar day `bytes` names (surrounding spaces ignored): a date without a time (`2026-10-05`, `10/5/2026`) is that
    /// day in any zone, read without zone arithmetic (also where a DST change skips local midnight); anything else is parsed as a
    /// timestamp, and its day is taken in `dayZone`. Nil when it is not a date. Ideas logs are mostly plain dates, two a row.
    /// `day(bytes:)`, saying whether the text was a slash date read month first (`Parsed.monthFirst`).
    public func dayRead(bytes buffer: UnsafeBufferPointer<UInt8>) -> (day: Day, monthFirst: Bool)? {
        if pattern == nil, buffer.count == 10, let (year, month, day) = Self.isoDate(buffer) {
            return Self.calendarDay(year, month, day).map { ($0, false) }
        }
        return parsed(bytes: buffer).map { (day(of: $0), $0.monthFirst) }
    }

    public func day(bytes buffer: UnsafeBufferPointer<UInt8>) -> Day? {
        if pattern == nil, buffer.count == 10, let (year, month, day) = Self.isoDate(buffer) {
            return Self.calendarDay(year, month, day)
        }
        return parsed(bytes: buffer).map(day(of:))
    }

    /// The calendar day of `timestamp` in `dayZone` (what `Timestamp.day(in: dayZone)` gives, cheaper for a fixed zone).
    public func day(of timestamp: Timestamp) -> Day {
        guard let dayFixedOffset else { return timestamp.day(in: dayZone) }
        return Timestamp.day(local: timestamp.epochSeconds + dayFixedOffset)
    }

    /// A whole text that is a UTC offset (`+02:00`, `-0600`, `+05`), as seconds east of UTC; nil otherwise. The rule
    /// of a timestamp's offset, for zones an export states as an offset (`ExportZone`).
    static func utcOffset(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            guard let seconds = scanner.utcOffset(), scanner.atEnd else { return nil }
            return seconds
        }
    }

    private static func fixedOffset(of zone: TimeZone) -> Int64? {
        zone.nextDaylightSavingTimeTransition(after: .distantPast) == nil ? Int64(zone.secondsFromGMT(for: Date())) : nil
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        mutating func advance() { index += 1 }

        mutating func take(_ c: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == c else { return false }
            index += 1
            return true
        }

        /// An English month name, full or abbreviated (`Aug`, `August`, `Sept`, any case, a `.` after an abbreviation
        /// taken too): its number, nil when the letters here are no month.
        mutating func monthName() -> Int? {
            var letters: [UInt8] = []
            while let c = peek, (c | 0x20) &- UInt8(ascii: "a") < 26, letters.count < 10 {
                letters.append(c | 0x20)
                advance()
            }
            guard letters.count >= 3 else { return nil }
            for (i, name) in Self.monthNames.enumerated() where letters.count <= name.count && name.starts(with: letters) {
                // An abbreviation is the first three letters (or `sept`); the whole name otherwise.
                guard letters.count == 3 || letters.count == name.count || (i == 8 && letters.count == 4) else { return nil }
                if letters.count < name.count { _ = take(UInt8(ascii: ".")) }
                return i + 1
            }
            return nil
        }

        static let monthNames: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                            "october", "november", "december"].map { Array($0.utf8) }

        /// What may follow a time: `Z`, a UTC offset, or `GMT`/`UTC` (any case) alone or before an offset (`GMT+1`,
        /// `UTC-04:30`), after optional spaces; seconds east of UTC, nil when it is none of these.
        mutating func zoneOffset() -> Int? {
            while take(UInt8(ascii: " ")) {}
            if take(UInt8(ascii: "Z")) { return 0 }
            if let c = peek, (c | 0x20) == UInt8(ascii: "g") || (c | 0x20) == UInt8(ascii: "u") {
                let name: [UInt8] = (c | 0x20) == UInt8(ascii: "g") ? [0x67, 0x6D, 0x74] : [0x75, 0x74, 0x63]
                for expected in name {
                    guard let b = peek, b | 0x20 == expected else { return nil }
                    advance()
                }
                if atEnd { return 0 }
            }
            return utcOffset()
        }

        /// `+hh`, `+hh:mm` or `+hhmm` (or `-`): seconds east of UTC, nil when malformed or beyond 18 hours.
        mutating func utcOffset() -> Int? {
            guard let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            advance()
            guard let h = number(maxDigits: 2) else { return nil }
            _ = take(UInt8(ascii: ":"))
            let m = number(maxDigits: 2)?.value ?? 0
            guard h.value <= 18, m < 60 else { return nil }
            return (sign == UInt8(ascii: "-") ? -1 : 1) * (h.value * 3600 + m * 60)
        }

        mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            var value = 0, digits = 0
            while index < bytes.count, digits < maxDigits, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : (value, digits)
        }
    }
}
