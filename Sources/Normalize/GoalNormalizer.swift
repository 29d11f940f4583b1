import Foundation
import LeanPulseCore

/// Maps goal records onto `Goal`: a target and an actual, or a 0-1 score, per team and period.
public struct GoalNormalizer {
    public let source: SourceConfig
    private let organization: Organization
    private let idColumn: Int?
    private let teamColumn: Int
    private let periodColumn: Int?
    private let targetColumn: Int?
    private let actualColumn: Int?
    private let scoreColumn: Int?
    public private(set) var tally = NormalizeTally()
    /// The line of each goal id already accepted, per team and period: a goal listed twice counts once.
    private var accepted: [GoalKey: Int] = [:]
    private struct GoalKey: Hashable {
        var id: String
        var team: String
        var period: Period
    }

    public init(source: SourceConfig, header: RecordHeader, organization: Organization) throws(Diagnostic) {
        self.source = source
        self.organization = organization
        let map = ColumnMap(source: source, header: header)
        idColumn = try map.column("id")
        teamColumn = try map.required("team")
        periodColumn = try map.column("period")
        targetColumn = try map.column("target")
        actualColumn = try map.column("actual")
        scoreColumn = try map.column("score")
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

    /// The goal of `record` in `period`, or nil when it had to be rejected (the reason is in `tally.findings`).
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
        if let goalId = goal.id {
            let key = GoalKey(id: goalId, team: goal.teamId, period: period)
            if let first = accepted[key] {
                tally.reject(id, record.location(ofField: idColumn!), "duplicate-id",
                             "goal \(goalId) of team \(goal.teamId) in \(period) is already at line \(first): this record is not used")
                return nil
            }
            accepted[key] = record.line
        }
        return goal
    }
}
