import LeanPulseCore

/// Slash dates (`03/08/2026`) read month first, as US exports write them, in a source without `date_format`: a generic
/// source (`csv`, `xml`), or Google Forms and Microsoft Forms, whose exports write dates in the spreadsheet's or the
/// account's locale. A day-first export (most of Europe, a UK-locale spreadsheet) reads as valid but wrong dates whenever
/// the day is 12 or less, so the file gets one warning naming the first such date and how to say otherwise.
///
/// Where the same file also has a date that can only be day first (`14/08/2026`, which failed as a date), the file is
/// proven day-first and the dates read month first are proven wrong: the file fails (`finish` throws) instead of moving
/// those responses to other quarters (session 18's audit: a UK-locale Google Sheets download was read so with no word).
/// The other presets state their own order and are not watched.
struct MonthFirstDates {
    let active: Bool
    /// The source's id, for the message that names where to set `date_format`.
    private let sourceID: String
    private(set) var count = 0
    private var first: (location: SourceLocation, text: String)?
    /// Dates that failed as dates but read as day-first dates (`14/08/2026`), and the first of them.
    private(set) var dayFirstOnly = 0
    private var firstDayFirst: (location: SourceLocation, text: String, format: String)?

    init(_ source: SourceConfig) {
        sourceID = source.id
        active = source.dateFormat == nil && [.csv, .xml, .googleFormsCSV, .microsoftFormsCSV].contains(source.format)
    }

    /// Notes a date read month first at `location` (its text for the message).
    @inline(__always)
    mutating func saw(_ text: UnsafeBufferPointer<UInt8>, at location: @autoclosure () -> SourceLocation) {
        guard active else { return }
        count += 1
        if first == nil { first = (location(), String(decoding: text, as: UTF8.self)) }
    }

    /// The `bad-date` message for `text` at `location` ("'14/08/2026' is not a date ...", with the `date_format` that
    /// reads it where its day and month can be told apart), noting the text: a slash date that can only be day first
    /// proves the file's order. The one place the survey and ideas normalizers say a text is not a date.
    mutating func notADate(_ text: UnsafeBufferPointer<UInt8>, at location: SourceLocation, format: String?) -> String {
        let shown = String(decoding: text, as: UTF8.self)
        sawUnreadable(shown, at: location)
        return "'\(shown)' is not a date" + TimestampParser.hint(format: format, text: shown)
    }

    private mutating func sawUnreadable(_ text: String, at location: SourceLocation) {
        guard active, let format = TimestampParser.suggestedFormat(for: text), format.hasPrefix("dd/") else { return }
        dayFirstOnly += 1
        if firstDayFirst == nil { firstDayFirst = (location, text, format) }
    }

    /// The file's warning (once), then nothing until the next file; throws when the file is proven day-first.
    mutating func finish(_ source: String, into tally: inout NormalizeTally) throws(Diagnostic) {
        defer { count = 0; first = nil; dayFirstOnly = 0; firstDayFirst = nil }
        guard let first, count > 0 else { return }
        if let proof = firstDayFirst {
            throw Diagnostic(.error, "this export writes the day first: '\(proof.text)' can only be read so, yet \(count) of its "
                             + "dates \(count == 1 ? "was" : "were") read month first (the first '\(first.text)' at line "
                             + "\(first.location.line) as \(Self.spelled(first.text))), which puts those records in the wrong "
                             + "days and quarters. Set date_format: \(proof.format) on source '\(sourceID)'", at: proof.location)
        }
        tally.warn(source, first.location, "month-first-dates",
                   "\(count) date\(count == 1 ? " was" : "s were") read month first, as US exports write them ('\(first.text)' is "
                   + "\(Self.spelled(first.text)); first here); if this export writes the day first, set date_format: dd/MM/yyyy")
    }

    /// `03/08/2026` -> `March 8, 2026` (month first), for the message.
    static func spelled(_ text: String) -> String {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == " " || $0 == "T" })
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard parts.count >= 3, let m = Int(parts[0]), let d = Int(parts[1]), (1...12).contains(m) else { return "month first" }
        return "\(names[m - 1]) \(d), \(parts[2])"
    }
}
