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

    public init(source: SourceConfig, header: RecordHeader, column: Int?, pipelineZone: TimeZone) {
        if let name = source.timezone, let zone = TimeZone(identifier: name) {
            (self.zone, origin) = (zone, .source)
        } else if let column, let stated = header.timeZones[column], let zone = Self.zone(named: stated) {
            (self.zone, origin) = (zone, .export)
        } else {
            (self.zone, origin) = (pipelineZone, .pipeline)
        }
    }

    /// An IANA name, `UTC`/`GMT`, or ISO 8601's `Z` (Qualtrics writes it for exports in UTC).
    static func zone(named name: String) -> TimeZone? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed == "Z" || trimmed == "z" { return TimeZone(identifier: "UTC") }
        return TimeZone(identifier: trimmed)
    }

    /// For reports: `America/Denver (stated by the export)`.
    public var description: String { "\(zone.identifier) (\(origin.rawValue))" }
}
