import Foundation
import LeanPulseCore

/// Maps ideas-log records onto `Idea`. Dates become calendar days in the source's (else the pipeline's) time zone.
public struct IdeaNormalizer {
    public let source: SourceConfig
    private let organization: Organization
    private let pseudonymizer: Pseudonymizer?
    private let timestamps: TimestampParser
    private let zone: TimeZone
    private let idColumn: Int
    private let teamColumn: Int
    private let submittedColumn: Int
    private let implementedColumn: Int?
    private let rejectedColumn: Int?
    private let statusColumn: Int?
    private let submitterColumn: Int?
    /// The implementation and rejection date columns that are mapped, with which of the two each is.
    private let outcomeColumns: [(column: Int, isImplemented: Bool)]
    public private(set) var tally = NormalizeTally()
    private var teams: TeamResolver

    public init(source: SourceConfig, header: RecordHeader, organization: Organization, pseudonymizer: Pseudonymizer?,
                pipelineZone: TimeZone) throws(Diagnostic) {
        self.source = source
        self.organization = organization
        self.pseudonymizer = pseudonymizer
        teams = TeamResolver(organization: organization)
        zone = source.timezone.flatMap(TimeZone.init(identifier:)) ?? pipelineZone
        timestamps = try TimestampParser(zone: zone, format: source.dateFormat)
        let map = ColumnMap(source: source, header: header)
        idColumn = try map.required("id")
        teamColumn = try map.required("team")
        submittedColumn = try map.required("submitted")
        implementedColumn = try map.column("implemented")
        rejectedColumn = try map.column("rejected")
        statusColumn = try map.column("status")
        submitterColumn = try map.column("submitter")
        outcomeColumns = [(implementedColumn, true), (rejectedColumn, false)].compactMap { pair in pair.0.map { ($0, pair.1) } }
        if submitterColumn != nil, pseudonymizer == nil {
            throw Diagnostic(.error, "source '\(source.id)' maps a submitter column but no pseudonym key is set", at: source.location)
        }
    }

    public mutating func normalize(_ record: SourceRecord) -> Idea? {
        tally.read += 1
        let id = source.id
        guard let ideaId = record.text(idColumn) else {
            tally.reject(id, record.location(ofField: idColumn), "missing-id", "the idea has no id")
            return nil
        }
        guard let team = record.text(teamColumn) else {
            tally.reject(id, record.location(ofField: teamColumn), "missing-team", "idea \(ideaId) names no team")
            return nil
        }
        guard let unit = teams.resolve(team) else {
            tally.reject(id, record.location(ofField: teamColumn), "unknown-team", "idea \(ideaId): team '\(team)' is not in the organisation file")
            return nil
        }
        guard let submittedText = record.text(submittedColumn) else {
            tally.reject(id, record.location(ofField: submittedColumn), "missing-date", "idea \(ideaId) has no submission date")
            return nil
        }
        guard let submitted = timestamps.parse(submittedText).map(timestamps.day(of:)) else {
            tally.reject(id, record.location(ofField: submittedColumn), "bad-date", "idea \(ideaId): '\(submittedText)' is not a date")
            return nil
        }
        var implemented: Day?
        var rejected: Day?
        for (column, isImplemented) in outcomeColumns {
            guard let text = record.text(column) else { continue }
            guard let day = timestamps.parse(text).map(timestamps.day(of:)) else {
                tally.reject(id, record.location(ofField: column), "bad-date", "idea \(ideaId): '\(text)' is not a date")
                return nil
            }
            guard day >= submitted else {
                tally.reject(id, record.location(ofField: column), "date-order",
                             "idea \(ideaId): \(isImplemented ? "implemented" : "rejected") on \(day), before it was submitted on \(submitted)")
                return nil
            }
            if isImplemented { implemented = day } else { rejected = day }
        }
        if implemented != nil, rejected != nil {
            tally.reject(id, record.location, "conflicting-outcome", "idea \(ideaId) has both an implementation and a rejection date")
            return nil
        }
        let status = record.text(statusColumn)
        // `utf8.count >= 11` first: no status shorter than "implemented" can be it, and most statuses are not.
        if let status, implemented == nil, implementedColumn != nil, status.utf8.count >= 11, Scale.key(status) == "implemented" {
            tally.warn(id, record.location(ofField: statusColumn!), "missing-date",
                       "idea \(ideaId) has status implemented but no implementation date: it counts as open")
        }
        var submitterKey: String?
        if let submitterColumn, let raw = record.text(submitterColumn) { submitterKey = pseudonymizer?.pseudonym(raw) }
        tally.accepted += 1
        return Idea(id: ideaId, teamId: organization.units[unit].id, submitted: submitted, implemented: implemented,
                    rejected: rejected, status: status, submitterKey: submitterKey)
    }
}
