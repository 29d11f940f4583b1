import Foundation
import LeanPulseCore

/// Maps goal records onto `Goal`: a target and an actual, or a 0-1 score, per team and period. Accepted goals go to
/// `checkIns`, which keeps the latest check-in of each goal (id, team, period) and hands the goals on once every file of
/// the source is read.
public struct GoalNormalizer {
    public let source: SourceConfig
    private let organization: Organization
    private let idColumn: Int?
    private let teamColumn: Int
    private let periodColumn: Int?
    private let targetColumn: Int?
    private let actualColumn: Int?
    private let scoreColumn: Int?
    private let updatedColumn: Int?
    /// Reads `updated` (the source's `date_format`, in its zone); nil where the source maps no `updated`.
    private let timestamps: TimestampParser?
    /// The zone `updated` times without an offset are read in (`validate` shows it); nil without `updated`.
    public let exportZone: ExportZone?
    private var monthFirstDates: MonthFirstDates
    public private(set) var tally = NormalizeTally()
    /// The source's check-ins so far (shared by the normalizers of its files).
    public let checkIns: GoalCheckIns

    public init(source: SourceConfig, header: RecordHeader, organization: Organization,
                pipelineZone: TimeZone = TimeZone(identifier: "UTC")!, checkIns: GoalCheckIns = GoalCheckIns()) throws(Diagnostic) {
        self.source = source
        self.organization = organization
        self.checkIns = checkIns
        let map = ColumnMap(source: source, header: header)
        idColumn = try map.column("id")
        teamColumn = try map.required("team")
        periodColumn = try map.column("period")
        targetColumn = try map.column("target")
        actualColumn = try map.column("actual")
        scoreColumn = try map.column("score")
        updatedColumn = try map.column("updated")
        monthFirstDates = MonthFirstDates(source)
        if let updatedColumn {
            let zone = ExportZone(source: source, header: header, column: updatedColumn, pipelineZone: pipelineZone)
            exportZone = zone
            timestamps = try TimestampParser(zone: zone.zone, format: source.dateFormat, dayZone: pipelineZone)
        } else {
            exportZone = nil
            timestamps = nil
        }
        if periodColumn == nil, source.period == nil {
            throw Diagnostic(.error, "source '\(source.id)': a goals source needs fields.period or a 'period'", at: source.location)
        }
        if scoreColumn == nil, targetColumn == nil || actualColumn == nil {
            throw Diagnostic(.error, "source '\(source.id)': a goals source needs fields.target and fields.actual, or fields.score", at: source.location)
        }
    }

    public mutating func normalize(_ record: SourceRecord) -> Goal? {
        RawRecordArena().withRaw(record) { normalize($0) }
    }

    public mutating func normalize(_ record: RawRecord) -> Goal? {
        tally.read += 1
        let id = source.id
        // The period first: a goal rejected for another reason still names it (`NormalizeTally.rejectedPeriods`).
        var period = source.period
        if let periodColumn, let text = record.text(periodColumn) {
            guard let p = Period(text) else {
                tally.reject(id, record.location(ofField: periodColumn), "bad-period", "'\(text)' is not a quarter like 2026-Q3")
                return nil
            }
            period = p
        }
        guard let period else {
            tally.reject(id, record.location, "no-period", "the goal has no period")
            return nil
        }
        guard let goal = goal(record, period: period) else {
            tally.rejectedPeriods.insert(period)
            return nil
        }
        tally.accepted += 1
        return goal
    }

    /// The goal of `record` in `period` (added to `checkIns`), or nil when it had to be rejected (the reason is in
    /// `tally.findings`).
    private mutating func goal(_ record: RawRecord, period: Period) -> Goal? {
        let id = source.id
        guard let team = record.text(teamColumn) else {
            tally.reject(id, record.location(ofField: teamColumn), "missing-team", "the goal names no team")
            return nil
        }
        guard let unit = organization.resolve(team) else {
            let (code, message) = organization.unresolved(team)
            tally.reject(id, record.location(ofField: teamColumn), code, message)
            return nil
        }
        func number(_ column: Int?) -> (value: Double?, bad: Bool) {
            guard let text = record.text(column) else { return (nil, false) }
            guard let v = Double(text), v.isFinite else { return (nil, true) }
            return (v, false)
        }
        let target = number(targetColumn), actual = number(actualColumn), score = number(scoreColumn)
        for (column, parsed, name) in [(targetColumn, target, "target"), (actualColumn, actual, "actual"), (scoreColumn, score, "score")] where parsed.bad {
            tally.reject(id, record.location(ofField: column!), "bad-number", "the goal's \(name) '\(record.text(column) ?? "")' is not a number")
            return nil
        }
        if let s = score.value, !(0...1).contains(s) {
            tally.reject(id, record.location(ofField: scoreColumn!), "out-of-range", "the goal's score \(s) is outside 0...1")
            return nil
        }
        let goal = Goal(id: record.text(idColumn), teamId: organization.units[unit].id, period: period,
                        target: target.value, actual: actual.value, score: score.value)
        guard goal.attainment != nil else {
            tally.reject(id, record.location, "no-attainment", "the goal has neither a score nor a non-zero target with an actual")
            return nil
        }
        // Both given and not the same figure: the score is used (METRICS.md 4 reads either); the export contradicts itself.
        if let score = score.value, let target = target.value, let actual = actual.value, target != 0,
           abs(score - min(actual / target, 1)) > 0.005 {
            tally.warn(id, record.location(ofField: scoreColumn!), "conflicting-score",
                       "the goal's score \(score) is not its actual / target (\(actual) / \(target)): the score is used")
        }
        var updated: Int64?
        if let updatedColumn, let timestamps, let text = record.trimmed(updatedColumn) {
            if let parsed = timestamps.parsed(bytes: text) {
                updated = parsed.timestamp.epochSeconds
                if parsed.monthFirst { monthFirstDates.saw(text, at: record.location(ofField: updatedColumn)) }
            } else {
                // Kept, as a survey response with a fixed period keeps a bad submission date: it is ordered as a check-in
                // without a time (older than any with one).
                let location = record.location(ofField: updatedColumn)
                tally.warn(id, location, "bad-date", "the goal's updated time " + monthFirstDates.notADate(text, at: location, format: source.dateFormat)
                           + "; it counts as older than its goal's check-ins with a time")
            }
        }
        checkIns.add(goal, updated: updated, idLocation: idColumn.map { record.location(ofField: $0) } ?? record.location,
                     actualLocation: actualColumn.map { record.location(ofField: $0) } ?? record.location)
        return goal
    }

    /// Ends the file: its one warning about slash dates read month first (or the error that they were wrong).
    public mutating func finish() throws(Diagnostic) {
        try monthFirstDates.finish(source.id, into: &tally)
    }
}
