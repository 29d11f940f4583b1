import LeanPulseCore

/// Slash dates (`03/08/2026`) that a generic source (`csv`, `xml`) without `date_format` read month first, as US exports
/// write them: a day-first export (most of Europe, a UK-locale spreadsheet) reads as valid but wrong dates whenever the
/// day is 12 or less, so the file gets one warning naming the first such date and how to say otherwise. The vendor
/// presets state their own order and are not watched.
struct MonthFirstDates {
    let active: Bool
    private(set) var count = 0
    private var first: (location: SourceLocation, text: String)?

    init(_ source: SourceConfig) {
        active = source.dateFormat == nil && (source.format == .csv || source.format == .xml)
    }

    /// Notes a date read month first at `location` (its text for the message).
    @inline(__always)
    mutating func saw(_ text: UnsafeBufferPointer<UInt8>, at location: @autoclosure () -> SourceLocation) {
        guard active else { return }
        count += 1
        if first == nil { first = (location(), String(decoding: text, as: UTF8.self)) }
    }

    /// The file's warning (once), then nothing until the next date.
    mutating func finish(_ source: String, into tally: inout NormalizeTally) {
        defer { count = 0; first = nil }
        guard let first, count > 0 else { return }
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
