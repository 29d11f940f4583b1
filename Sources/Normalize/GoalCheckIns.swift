import Foundation
import LeanPulseCore

/// The goals of one goals source, one per goal id, team and period. OKR tools export a row per check-in (actuals 10,
/// then 50, then 95); the latest counts: by the `updated` field where the source maps it, else the last in file order,
/// the files of a glob in their order (a check-in without an `updated` value is older than any with one; equal times
/// go by file order). Shared by the normalizers of a source's files: a later file may hold a later check-in, so goals
/// are held until every file is read and then handed on at once (they are few). A goal without an id is a goal of its
/// own: nothing tells its check-ins apart (DECISIONS 47).
public final class GoalCheckIns {
    struct CheckIn {
        var goal: Goal
        /// Seconds since 1970 of the `updated` field; nil where the source maps none or the record has none.
        var updated: Int64?
        /// Where the goal's id is (a superseded check-in's finding), and its actual (a negative attainment's).
        var idLocation: SourceLocation
        var actualLocation: SourceLocation
        /// The goal this check-in is one of (an index into `counting`).
        var goalNumber: Int
    }

    private var checkIns: [CheckIn] = []
    private var goalByKey: [Key: Int] = [:]
    /// Per goal, in the order goals first appear: the index in `checkIns` of the check-in that counts so far.
    private var counting: [Int] = []
    private struct Key: Hashable {
        var id: String
        var team: String
        var period: Period
    }

    public init() {}

    /// Adds an accepted check-in (in reading order).
    func add(_ goal: Goal, updated: Int64?, idLocation: SourceLocation, actualLocation: SourceLocation) {
        let index = checkIns.count
        guard let id = goal.id else {
            checkIns.append(CheckIn(goal: goal, updated: updated, idLocation: idLocation, actualLocation: actualLocation, goalNumber: counting.count))
            counting.append(index)
            return
        }
        let key = Key(id: id, team: goal.teamId, period: goal.period)
        if let number = goalByKey[key] {
            checkIns.append(CheckIn(goal: goal, updated: updated, idLocation: idLocation, actualLocation: actualLocation, goalNumber: number))
            // The later in reading order wins a tie (and every comparison where neither has a time).
            if (updated ?? .min) >= (checkIns[counting[number]].updated ?? .min) { counting[number] = index }
        } else {
            goalByKey[key] = counting.count
            checkIns.append(CheckIn(goal: goal, updated: updated, idLocation: idLocation, actualLocation: actualLocation, goalNumber: counting.count))
            counting.append(index)
        }
    }

    /// Check-ins read so far (accepted records).
    public var count: Int { checkIns.count }

    /// The goals that count, in the order goals first appeared, and the findings: an `info` `superseded-check-in` at each
    /// earlier check-in's id (in reading order) naming where the one that counts is, and a `warning`
    /// `negative-attainment` at the actual of each goal that counts whose actual / target is negative.
    public func settle(source: String) -> (goals: [Goal], findings: [DataQualityFinding]) {
        var findings: [DataQualityFinding] = []
        for (index, checkIn) in checkIns.enumerated() where counting[checkIn.goalNumber] != index {
            let latest = checkIns[counting[checkIn.goalNumber]]
            let goal = checkIn.goal
            let place = latest.idLocation.file == checkIn.idLocation.file
                ? "line \(latest.idLocation.line)" : "line \(latest.idLocation.line) of \(latest.idLocation.file)"
            let by = latest.updated != nil ? "the latest by its updated time" : "the last in file order"
            findings.append(DataQualityFinding(
                source: source, location: checkIn.idLocation, severity: .info, code: "superseded-check-in",
                message: "goal \(goal.id ?? "") of team \(goal.teamId) in \(goal.period): the check-in at \(place) counts (\(by)); "
                    + "this earlier one is superseded"))
        }
        let goals = counting.map { checkIns[$0].goal }
        for index in counting {
            let checkIn = checkIns[index]
            guard let attainment = checkIn.goal.attainment, attainment < 0, let actual = checkIn.goal.actual,
                  let target = checkIn.goal.target else { continue }
            let goal = checkIn.goal
            let named = goal.id.map { "goal \($0) of team \(goal.teamId)" } ?? "a goal of team \(goal.teamId)"
            findings.append(DataQualityFinding(
                source: source, location: checkIn.actualLocation, severity: .warning, code: "negative-attainment",
                message: "\(named) in \(goal.period): actual \(Self.number(actual)) against target \(Self.number(target)) is an "
                    + "attainment of \(String(format: "%.0f", attainment * 100))%; the goal counts with that negative value in the "
                    + "unit's goal attainment (the mean of min(actual / target, 1), METRICS.md 4). Check the sign of the target or the actual"))
        }
        return (goals, findings)
    }

    /// `-300` for -300.0, `12.5` for 12.5.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
