import Foundation
import LeanPulseCore

/// The time zone an export's times without an offset are read in, and where it came from: the source's `timezone:`
/// (the analyst's word wins), else the zone the export states for the column (Qualtrics writes
/// `{"ImportId":"recordedDate","timeZone":"America/Denver"}` in its third header row), else the pipeline's `timezone`.
/// A record's period is then taken from its instant's date in the pipeline's zone (DESIGN.md), not in this one.
public struct ExportZone: Sendable {
    public enum Origin: String, Sendable {
        case source = "the source's timezone"
        case export = "stated by the export"
        case pipeline = "the pipeline's timezone"
    }

    public let zone: TimeZone
    public let origin: Origin
    /// The zone the export states for the column when it is no zone this tool knows (the times are then read in the
    /// pipeline's zone, and the importer says so once per file); nil otherwise.
    public let unknownStated: String?

    public init(source: SourceConfig, header: RecordHeader, column: Int?, pipelineZone: TimeZone) {
        let stated = column.flatMap { header.timeZones[$0] }
        if let name = source.timezone, let zone = TimeZone(identifier: name) {
            (self.zone, origin, unknownStated) = (zone, .source, nil)
        } else if let stated, let zone = Self.zone(named: stated) {
            (self.zone, origin, unknownStated) = (zone, .export, nil)
        } else {
            (self.zone, origin, unknownStated) = (pipelineZone, .pipeline, stated)
        }
    }

    /// An IANA name, `UTC`/`GMT`, ISO 8601's `Z` (Qualtrics writes it for exports in UTC), or a fixed offset from UTC
    /// as a timestamp writes it (`+02:00`, `-0600`, `+05`), also after `UTC` or `GMT` (`UTC+2`, `GMT-03:30`).
    static func zone(named name: String) -> TimeZone? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed == "Z" || trimmed == "z" { return TimeZone(identifier: "UTC") }
        let prefix = trimmed.prefix(3).uppercased()
        let offset = prefix == "UTC" || prefix == "GMT" ? String(trimmed.dropFirst(3)) : trimmed
        if let seconds = TimestampParser.utcOffset(offset) { return TimeZone(secondsFromGMT: seconds) }
        return TimeZone(identifier: trimmed)
    }

    /// For reports: `America/Denver (stated by the export)`. Foundation names UTC `GMT` on Linux; a pipeline says UTC.
    public var description: String { "\(zone.identifier == "GMT" ? "UTC" : zone.identifier) (\(origin.rawValue))" }
}
