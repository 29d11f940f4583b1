import Foundation
import LeanPulseCore
@testable import Normalize
import Testing

/// OKR tools export a row per check-in: the latest of a goal (id, team, period) counts, each earlier one is an `info`
/// finding (not a rejection), and a goal whose actual / target is negative is warned (session 18's outcome audit).
struct GoalCheckInsTests {
    static func org() throws -> Organization {
        try Organization(units: [OrgUnit(id: "a", parentId: nil, name: "A", headcount: 5), OrgUnit(id: "b", parentId: "a", name: "B", headcount: 5)])
    }

    static let columns = ["goal_id", "team_id", "period", "target", "actual", "updated"]

    /// A goals source with `updated` mapped when `updated` is true.
    static func source(updated: Bool = false, path: String = "/x/g.csv", dateFormat: String? = nil, timezone: String? = nil) -> SourceConfig {
        var fields = ["id": "goal_id", "team": "team_id", "period": "period", "target": "target", "actual": "actual"]
        if updated { fields["updated"] = "updated" }
        return SourceConfig(id: "goals", kind: .goals, format: .csv, path: path, fields: fields, dateFormat: dateFormat,
                            timezone: timezone, location: SourceLocation(file: "/p.yml"))
    }

    static func normalizer(_ source: SourceConfig, checkIns: GoalCheckIns = GoalCheckIns()) throws -> GoalNormalizer {
        try GoalNormalizer(source: source, header: RecordHeader(names: columns), organization: try org(),
                           pipelineZone: TimeZone(identifier: "UTC")!, checkIns: checkIns)
    }

    /// A row `id, team, period, target, actual, updated` at `line` (columns 1, 5, 9, 17, 21, 25).
    static func row(_ values: [String?], line: Int, file: String = "/x/g.csv") -> SourceRecord {
        SourceRecord(values: values + Array(repeating: nil, count: 6 - values.count), location: SourceLocation(file: file, line: line),
                     columns: [1, 5, 9, 17, 21, 25])
    }

    @Test func theLastCheckInInFileOrderCountsAndTheEarlierOnesAreInformation() throws {
        var n = try Self.normalizer(Self.source())
        for (line, actual) in [(2, "10"), (3, "50"), (4, "95")] {
            #expect(n.normalize(Self.row(["G1", "a", "2026-Q3", "100", actual], line: line)) != nil)
        }
        try n.finish()
        // Nothing rejected: the check-ins are not errors and do not count against the data-quality gate.
        #expect(n.tally.read == 3 && n.tally.accepted == 3 && n.tally.rejected == 0 && n.tally.findings.isEmpty)
        let (goals, findings) = n.checkIns.settle(source: "goals")
        #expect(goals.count == 1 && goals[0].actual == 95 && goals[0].attainment == 0.95)
        #expect(findings.map(\.code) == ["superseded-check-in", "superseded-check-in"])
        #expect(findings.allSatisfy { $0.severity == .info })
        #expect(findings.map(\.location) == [SourceLocation(file: "/x/g.csv", line: 2, column: 1), SourceLocation(file: "/x/g.csv", line: 3, column: 1)])
        #expect(findings[0].message == "goal G1 of team a in 2026-Q3: the check-in at line 4 counts (the last in file order); "
                + "this earlier one is superseded")
    }

    /// The same id for another team or another quarter is another goal; rows without an id are goals of their own.
    @Test func aCheckInIsOfOneGoalIdTeamAndPeriod() throws {
        var n = try Self.normalizer(Self.source())
        let rows: [[String?]] = [["G1", "a", "2026-Q3", "100", "10"], ["G1", "b", "2026-Q3", "100", "20"], ["G1", "a", "2026-Q4", "100", "30"],
                                 [nil, "a", "2026-Q3", "100", "40"], [nil, "a", "2026-Q3", "100", "50"], ["G1", "a", "2026-Q3", "100", "60"]]
        for (k, values) in rows.enumerated() { #expect(n.normalize(Self.row(values, line: k + 2)) != nil) }
        let (goals, findings) = n.checkIns.settle(source: "goals")
        // In the order the goals first appear, each with its latest check-in.
        #expect(goals.map(\.actual) == [60, 20, 30, 40, 50])
        #expect(findings.map(\.location.line) == [2])
        #expect(findings.first?.message.contains("the check-in at line 7 counts") == true)
    }

    /// With `updated` mapped, the latest time counts wherever it is in the file; equal times go by file order, and a
    /// check-in without a time is older than any with one.
    @Test func theUpdatedTimeOrdersCheckIns() throws {
        var n = try Self.normalizer(Self.source(updated: true))
        let rows: [[String?]] = [
            ["G1", "a", "2026-Q3", "100", "95", "2026-09-30T16:00:00Z"], ["G1", "a", "2026-Q3", "100", "10", "2026-07-01"],
            ["G1", "a", "2026-Q3", "100", "50", "2026-08-15 09:30"],
            ["G2", "a", "2026-Q3", "100", "70", "2026-09-01"], ["G2", "a", "2026-Q3", "100", "80", "2026-09-01"],
            ["G3", "a", "2026-Q3", "100", "30", "2026-09-01"], ["G3", "a", "2026-Q3", "100", "20", nil],
        ]
        for (k, values) in rows.enumerated() { #expect(n.normalize(Self.row(values, line: k + 2)) != nil) }
        try n.finish()
        #expect(n.tally.findings.isEmpty)
        let (goals, findings) = n.checkIns.settle(source: "goals")
        #expect(goals.map(\.actual) == [95, 80, 30])
        #expect(findings.map(\.location.line) == [3, 4, 5, 8])
        #expect(findings[0].message == "goal G1 of team a in 2026-Q3: the check-in at line 2 counts (the latest by its updated time); "
                + "this earlier one is superseded")
    }

    /// `updated` is read like the source's other dates: its `date_format`, and its `timezone` for times without an offset.
    @Test func theUpdatedTimeHonoursTheSourcesDateFormatAndZone() throws {
        // 03/10/2026 and 02/11/2026: October 3 and November 2 day first; month first, March 10 would be the later.
        var dayFirst = try Self.normalizer(Self.source(updated: true, dateFormat: "dd/MM/yyyy"))
        #expect(dayFirst.normalize(Self.row(["G1", "a", "2026-Q3", "100", "40", "02/11/2026"], line: 2)) != nil)
        #expect(dayFirst.normalize(Self.row(["G1", "a", "2026-Q3", "100", "30", "03/10/2026"], line: 3)) != nil)
        #expect(dayFirst.checkIns.settle(source: "goals").goals.map(\.actual) == [40])
        // 20:00 in Tokyo is 11:00 UTC: before 12:00 UTC, so the second check-in counts (read in UTC, the first would).
        var tokyo = try Self.normalizer(Self.source(updated: true, timezone: "Asia/Tokyo"))
        #expect(tokyo.normalize(Self.row(["G1", "a", "2026-Q3", "100", "60", "2026-09-30 20:00"], line: 2)) != nil)
        #expect(tokyo.normalize(Self.row(["G1", "a", "2026-Q3", "100", "70", "2026-09-30T12:00:00Z"], line: 3)) != nil)
        #expect(tokyo.checkIns.settle(source: "goals").goals.map(\.actual) == [70])
        var utc = try Self.normalizer(Self.source(updated: true))
        #expect(utc.normalize(Self.row(["G1", "a", "2026-Q3", "100", "60", "2026-09-30 20:00"], line: 2)) != nil)
        #expect(utc.normalize(Self.row(["G1", "a", "2026-Q3", "100", "70", "2026-09-30T12:00:00Z"], line: 3)) != nil)
        #expect(utc.checkIns.settle(source: "goals").goals.map(\.actual) == [60])
    }

    /// An `updated` that is not a date is a warning at it; the check-in stays, without a time.
    @Test func anUnreadableUpdatedTimeIsWarnedAndTheCheckInKept() throws {
        var n = try Self.normalizer(Self.source(updated: true))
        #expect(n.normalize(Self.row(["G1", "a", "2026-Q3", "100", "90", "2026-09-30"], line: 2)) != nil)
        #expect(n.normalize(Self.row(["G1", "a", "2026-Q3", "100", "20", "last week"], line: 3)) != nil)
        #expect(n.tally.rejected == 0)
        #expect(n.tally.findings.map(\.code) == ["bad-date"] && n.tally.findings[0].severity == .warning)
        #expect(n.tally.findings[0].location == SourceLocation(file: "/x/g.csv", line: 3, column: 25))
        #expect(n.checkIns.settle(source: "goals").goals.map(\.actual) == [90])
    }

    /// The files of a glob in their order: a later file's check-in counts, and the finding names its file.
    @Test func aLaterFileOfTheSourceHoldsTheLaterCheckIn() throws {
        let shared = GoalCheckIns()
        var july = try Self.normalizer(Self.source(path: "/x/*.csv"), checkIns: shared)
        #expect(july.normalize(Self.row(["G1", "a", "2026-Q3", "100", "10"], line: 2, file: "/x/2026-07.csv")) != nil)
        #expect(july.normalize(Self.row(["G2", "a", "2026-Q3", "100", "15"], line: 3, file: "/x/2026-07.csv")) != nil)
        var september = try Self.normalizer(Self.source(path: "/x/*.csv"), checkIns: shared)
        #expect(september.normalize(Self.row(["G1", "a", "2026-Q3", "100", "90"], line: 2, file: "/x/2026-09.csv")) != nil)
        let (goals, findings) = shared.settle(source: "goals")
        #expect(goals.map(\.actual) == [90, 15])
        #expect(findings.count == 1 && findings[0].location.file == "/x/2026-07.csv")
        #expect(findings[0].message.contains("the check-in at line 2 of /x/2026-09.csv counts"))
    }

    /// METRICS.md 4's formula is kept (-300 of 100 counts as -3); the goal that counts is warned at its actual.
    @Test func aNegativeAttainmentIsWarnedAndKept() throws {
        var n = try Self.normalizer(Self.source())
        let rows: [[String?]] = [
            ["G1", "a", "2026-Q3", "100", "-300"], ["G2", "a", "2026-Q3", "-100", "50"], ["G3", "a", "2026-Q3", "-100", "-50"],
            ["G4", "a", "2026-Q3", "100", "-10"], ["G4", "a", "2026-Q3", "100", "40"], ["G5", "a", "2026-Q3", "100", "0"],
        ]
        for (k, values) in rows.enumerated() { #expect(n.normalize(Self.row(values, line: k + 2)) != nil) }
        let (goals, findings) = n.checkIns.settle(source: "goals")
        #expect(goals.map(\.attainment) == [-3, -0.5, 0.5, 0.4, 0])
        let warnings = findings.filter { $0.code == "negative-attainment" }
        // G4's negative check-in was superseded: only the goals that count are warned.
        #expect(warnings.map(\.location) == [SourceLocation(file: "/x/g.csv", line: 2, column: 21), SourceLocation(file: "/x/g.csv", line: 3, column: 21)])
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings[0].message.hasPrefix("goal G1 of team a in 2026-Q3: actual -300 against target 100 is an attainment of -300%; "
                                              + "the goal counts with that negative value in the unit's goal attainment"))
        #expect(warnings[0].message.hasSuffix("Check the sign of the target or the actual"))
    }

    /// A score is used as it is (clipped to 0...1), so a negative actual / target beside it is no negative attainment
    /// (the conflicting score is warned as before).
    @Test func aScoreBesideANegativeActualIsNotANegativeAttainment() throws {
        let source = SourceConfig(id: "goals", kind: .goals, format: .csv, path: "/x/g.csv",
                                  fields: ["team": "team_id", "period": "period", "target": "target", "actual": "actual", "score": "score"],
                                  location: SourceLocation(file: "/p.yml"))
        var n = try GoalNormalizer(source: source, header: RecordHeader(names: ["team_id", "period", "target", "actual", "score"]),
                                   organization: try Self.org())
        let record = SourceRecord(values: ["a", "2026-Q3", "100", "-30", "0.2"], location: SourceLocation(file: "/x/g.csv", line: 2),
                                  columns: [1, 3, 11, 15, 19])
        #expect(n.normalize(record)?.attainment == 0.2)
        #expect(n.tally.findings.map(\.code) == ["conflicting-score"])
        #expect(n.checkIns.settle(source: "goals").findings.isEmpty)
    }
}
