/// A reporting period: a calendar quarter such as `2026-Q3`, with inclusive first and last days.
public struct Period: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var quarter: Int

    public init(year: Int, quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    /// Parses `2026-Q3` (case-insensitive `q`; years 1900-9999, written with four digits).
    public init?(_ text: String) {
        let parts = text.trimmingSpaces.uppercased().split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), (1900...9999).contains(y), parts[1].first == "Q",
              let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
        self.init(year: y, quarter: q)
    }

    /// The quarter that contains `day`.
    public init(containing day: Day) {
        let (y, m, _) = day.civil
        self.init(year: y, quarter: (m - 1) / 3 + 1)
    }

    /// Resolves `2026-Q3`, `current-quarter` or `previous-quarter` relative to `today`.
    public static func resolve(_ text: String, today: Day) -> Period? {
        switch text.trimmingSpaces.lowercased() {
        case "current-quarter": Period(containing: today)
        case "previous-quarter": Period(containing: today).previous
        default: Period(text)
        }
    }

    public var start: Day { Day(year: year, month: (quarter - 1) * 3 + 1, day: 1)! }
    public var end: Day { next.start + -1 }
    /// Number of days in the period, both ends included.
    public var days: Int { end - start + 1 }
    public var previous: Period { quarter == 1 ? Period(year: year - 1, quarter: 4) : Period(year: year, quarter: quarter - 1) }
    public var next: Period { quarter == 4 ? Period(year: year + 1, quarter: 1) : Period(year: year, quarter: quarter + 1) }
    public func contains(_ day: Day) -> Bool { day >= start && day <= end }

    public var description: String { "\(year)-Q\(quarter)" }

    public static func < (lhs: Period, rhs: Period) -> Bool { (lhs.year, lhs.quarter) < (rhs.year, rhs.quarter) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, line breaks and non-breaking spaces.
    public var trimmingSpaces: String {
        if let string = self as? String, string.hasNoSpacesAtEdges { return string }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{00A0}" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension String {
    /// True when `trimmingSpaces` has nothing to remove, decided from the first and last UTF-8 byte: every
    /// trimmed character (space, tab, CR, LF, CRLF, NBSP = C2 A0) starts with one of 20 09 0A 0D C2 and ends
    /// with one of 20 09 0A 0D A0. False for empty text. Hot paths check it before trimming.
    public var hasNoSpacesAtEdges: Bool {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return false }
        return !(first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D || first == 0xC2)
            && !(last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D || last == 0xA0)
    }
}
