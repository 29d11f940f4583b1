import Foundation
import LeanPulseCore
@testable import Normalize
import Testing

/// An idea listed twice counts once: the later record is rejected with a finding that names the first one's line (a goal's
/// repeated id is a check-in: `GoalCheckInsTests`).
struct RepeatedIdsTests {
    func firstLine(_ ids: inout RepeatedIds, _ id: String, _ line: Int) -> Int? {
        Array(id.utf8).withUnsafeBufferPointer { ids.firstLine(of: $0, line: line) }
    }

    @Test func numberedIdsInOrderAreNewAndARepeatAfterwardIsFound() {
        var ids = RepeatedIds()
        for n in 1...20_000 { #expect(firstLine(&ids, String(n), n + 1) == nil) }
        // 9 < 10 < 99 < 100: the order of numbers, so the whole run above stayed ordered.
        #expect(firstLine(&ids, "9", 30_000) == 10)
        #expect(firstLine(&ids, "20000", 30_001) == 20_001)
        #expect(firstLine(&ids, "20001", 30_002) == nil)
        #expect(firstLine(&ids, "20001", 30_003) == 30_002)
        #expect(firstLine(&ids, "", 30_004) == nil)
        #expect(firstLine(&ids, "", 30_005) == 30_004)
    }

    /// Against a dictionary, over ids in random order with repeats, through several table growths.
    @Test func agreesWithADictionary() {
        var generator = SystemRandomNumberGenerator()
        var ids = RepeatedIds()
        var reference: [String: Int] = [:]
        for line in 2..<60_000 {
            let id = "I-" + String(Int.random(in: 0..<40_000, using: &generator))
            let expected = reference[id]
            if expected == nil { reference[id] = line }
            #expect(firstLine(&ids, id, line) == expected)
        }
    }

    /// Runs of consecutive ids (padded with carries, plain, with a stem), broken by gaps, line jumps and a longer id,
    /// then a shuffled second half with repeats of every kind: against a dictionary throughout.
    @Test func runsOfConsecutiveIdsAgreeWithADictionary() {
        var generator = SystemRandomNumberGenerator()
        var sequence: [(String, Int)] = []
        var line = 2
        for n in 1...3_000 { sequence.append((String(format: "I%04d", n), line)); line += 1 }     // carries 0009 -> 0010 -> 0100
        line += 3                                                                                 // a line jump
        for n in 3_001...3_500 where n % 97 != 0 { sequence.append((String(format: "I%04d", n), line)); line += 1 }  // gaps
        for n in 9_990...10_020 { sequence.append((String(format: "I%d", n), line)); line += 1 }  // I9999 -> I10000: longer
        for n in 20_000...20_400 { sequence.append((String(n), line)); line += 1 }                // all digits
        let firstHalf = sequence
        var second = firstHalf.shuffled(using: &generator).prefix(2_000).map { ($0.0, 0) }
        second += (0..<2_000).map { _ in ("J" + String(Int.random(in: 0..<900, using: &generator)), 0) }
        second += [("I0000", 0), ("I3395", 0), ("I10021", 0), ("I9999", 0), ("19999", 0), ("020000", 0)]
        second.shuffle(using: &generator)
        for (id, _) in second { sequence.append((id, line)); line += 1 }

        var ids = RepeatedIds()
        var reference: [String: Int] = [:]
        for (id, line) in sequence {
            let expected = reference[id]
            if expected == nil { reference[id] = line }
            #expect(firstLine(&ids, id, line) == expected, "\(id) at \(line)")
        }
    }

    @Test func countsTrailingDigitsUpAndDown() {
        for (id, next) in [("I0009", "I0010"), ("I0099", "I0100"), ("41", "42"), ("A-19", "A-20")] {
            var bytes = Array(id.utf8)
            #expect(RepeatedIds.countUp(&bytes) && bytes == Array(next.utf8))
            #expect(RepeatedIds.countedDown(bytes) == Array(id.utf8))
        }
        for id in ["I9999", "99", "ABC", ""] {
            var bytes = Array(id.utf8)
            #expect(!RepeatedIds.countUp(&bytes))
        }
    }

    @Test func sortsNumberedIdsAsNumbers() {
        func after(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { RepeatedIds.sortsAfter(x, $0) } }
        }
        #expect(after("10", "9"))
        #expect(after("I0010", "I0009"))
        #expect(!after("9", "10"))
        #expect(!after("7", "7"))
        #expect(after("b", "a"))
    }

    @Test func anIdeaListedTwiceCountsOnce() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "idea_id", "team": "team_id", "submitted": "submitted_on"], location: SourceLocation(file: "/p.yml"))
        var n = try IdeaNormalizer(source: source, header: RecordHeader(names: ["idea_id", "team_id", "submitted_on"]), organization: org,
                                   pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
        func record(_ id: String, _ team: String, line: Int) -> SourceRecord {
            SourceRecord(values: [id, team, "2026-07-01"], location: SourceLocation(file: "/x/i.csv", line: line), columns: [1, 4, 7])
        }
        #expect(n.normalize(record("I1", "t1", line: 2)) != nil)
        #expect(n.normalize(record("I2", "t1", line: 3)) != nil)
        // A rejected record does not claim its id: the next record with it is the first.
        #expect(n.normalize(record("I3", "nowhere", line: 4)) == nil)
        #expect(n.normalize(record("I3", "t1", line: 5)) != nil)
        #expect(n.normalize(record("I1", "t1", line: 6)) == nil)
        #expect(n.tally.read == 5 && n.tally.accepted == 3 && n.tally.rejected == 2)
        let duplicate = try #require(n.tally.findings.last)
        #expect(duplicate.code == "duplicate-id" && duplicate.severity == .error)
        #expect(duplicate.location.line == 6 && duplicate.location.column == 1)
        #expect(duplicate.message.contains("already at line 2"))
    }

    /// A score and an actual/target that disagree: the score is used, with a warning at it (it was used without a word).
    @Test func aGoalsScoreThatContradictsItsActualAndTargetIsWarned() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "goals", kind: .goals, format: .csv, path: "/x/g.csv",
                                  fields: ["team": "team_id", "period": "period", "target": "target", "actual": "actual", "score": "score"],
                                  location: SourceLocation(file: "/p.yml"))
        var n = try GoalNormalizer(source: source, header: RecordHeader(names: ["team_id", "period", "target", "actual", "score"]),
                                   organization: org)
        func record(_ values: [String?], line: Int) -> SourceRecord {
            SourceRecord(values: values, location: SourceLocation(file: "/x/g.csv", line: line), columns: [1, 4, 12, 16, 20])
        }
        #expect(n.normalize(record(["t1", "2026-Q3", "100", "80", "0.8"], line: 2))?.attainment == 0.8)
        #expect(n.normalize(record(["t1", "2026-Q3", "100", "120", "1"], line: 3))?.attainment == 1)
        #expect(n.normalize(record(["t1", "2026-Q3", "100", "80", "0.2"], line: 4))?.attainment == 0.2)
        #expect(n.tally.findings.map(\.code) == ["conflicting-score"])
        #expect(n.tally.findings.first?.location == SourceLocation(file: "/x/g.csv", line: 4, column: 20))
        #expect(n.tally.findings.first?.severity == .warning)
    }

    /// An ideas normalizer of a log with a status column and no outcome date columns (team t1).
    static func statusOnlyNormalizer() throws -> IdeaNormalizer {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "idea_id", "team": "team_id", "submitted": "submitted_on", "status": "status"],
                                  location: SourceLocation(file: "/p.yml"))
        return try IdeaNormalizer(source: source, header: RecordHeader(names: ["idea_id", "team_id", "submitted_on", "status"]),
                                  organization: org, pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
    }

    /// A log that says rejected in its status column but has no rejection date: one warning for the file, at the first.
    @Test func rejectedStatusesWithoutADateAreOneWarning() throws {
        var n = try Self.statusOnlyNormalizer()
        for (i, status) in ["open", "Rejected", "rejected", " declined ", "in_progress"].enumerated() {
            let record = SourceRecord(values: ["I\(i)", "t1", "2026-07-01", status], location: SourceLocation(file: "/x/i.csv", line: i + 2),
                                      columns: [1, 4, 7, 18])
            #expect(n.normalize(record) != nil)
        }
        #expect(n.tally.findings.isEmpty)
        try n.finish()
        let warning = try #require(n.tally.findings.first)
        // in_progress is no built-in word: one note of its own (IdeaStatusesTests).
        #expect(n.tally.findings.map(\.code) == ["rejected-without-date", "unknown-status"] && warning.severity == .warning)
        #expect(warning.location.line == 3 && warning.location.column == 18)
        #expect(warning.message.hasPrefix("3 ideas have status rejected but no rejection date (map fields.rejected)"))
    }

    /// A status-only export (no implementation date column): ideas whose status says implemented count as open, and the
    /// file says so once (session 15's outcome audit found them silently in work in progress).
    @Test func implementedStatusesWithoutADateColumnAreOneWarning() throws {
        var n = try Self.statusOnlyNormalizer()
        for (i, status) in ["open", "Implemented", "implemented", "done"].enumerated() {
            let record = SourceRecord(values: ["I\(i)", "t1", "2026-07-01", status], location: SourceLocation(file: "/x/i.csv", line: i + 2),
                                      columns: [1, 4, 7, 18])
            #expect(n.normalize(record) != nil)
        }
        try n.finish()
        let warning = try #require(n.tally.findings.first)
        #expect(n.tally.findings.map(\.code) == ["implemented-without-date", "unknown-status"] && warning.severity == .warning)
        #expect(warning.location.line == 3 && warning.location.column == 18)
        #expect(warning.message.hasPrefix("2 ideas have status implemented but the source maps no implementation date (map fields.implemented)"))
    }

    /// Two files of one source (a glob of monthly logs) holding the same idea: it counts once, and the later record's
    /// finding names the earlier file (it was submitted twice, and open and implemented at once).
    @Test func anIdeaInTwoFilesOfTheSourceCountsOnce() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/*.csv",
                                  fields: ["id": "id", "team": "team", "submitted": "submitted"], location: SourceLocation(file: "/p.yml"))
        let earlier = EarlierFileIds()
        func normalizer() throws -> IdeaNormalizer {
            var n = try IdeaNormalizer(source: source, header: RecordHeader(names: ["id", "team", "submitted"]), organization: org,
                                       pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
            n.earlierFiles = earlier
            return n
        }
        func record(_ id: String, _ file: String, line: Int) -> SourceRecord {
            SourceRecord(values: [id, "t1", "2026-07-01"], location: SourceLocation(file: file, line: line), columns: [1, 4, 7])
        }
        var august = try normalizer()
        #expect(august.normalize(record("I1", "/x/2026-08.csv", line: 2)) != nil)
        #expect(august.normalize(record("I2", "/x/2026-08.csv", line: 3)) != nil)
        var september = try normalizer()
        #expect(september.normalize(record("I3", "/x/2026-09.csv", line: 2)) != nil)
        #expect(september.normalize(record("I2", "/x/2026-09.csv", line: 3)) == nil)
        #expect(september.normalize(record("I3", "/x/2026-09.csv", line: 4)) == nil)
        let messages = september.tally.findings.map(\.message)
        #expect(september.tally.findings.map(\.code) == ["duplicate-id", "duplicate-id"])
        #expect(messages[0].hasPrefix("idea I2 is already at line 3 of /x/2026-08.csv: this record is not used"))
        #expect(messages[1].hasPrefix("idea I3 is already at line 2: this record is not used"))
    }

    /// A status against the idea's dates (rejected with an implementation date, implemented with a rejection date): the
    /// dates decide, and the file gets one warning at the first (the outcome audit found no word of it).
    @Test func aStatusAgainstTheDatesIsOneWarning() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "id", "team": "team", "submitted": "s", "implemented": "i", "rejected": "r",
                                           "status": "status"],
                                  location: SourceLocation(file: "/p.yml"))
        var n = try IdeaNormalizer(source: source, header: RecordHeader(names: ["id", "team", "s", "i", "r", "status"]),
                                   organization: org, pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
        let rows: [(String?, String?, String)] = [
            ("2026-07-10", nil, "Implemented"), (nil, "2026-07-11", "rejected"), ("2026-07-12", nil, "Done"),
            ("2026-07-13", nil, "Rejected"), (nil, "2026-07-14", " implemented "), ("2026-07-15", nil, "declined"),
        ]
        for (k, row) in rows.enumerated() {
            let record = SourceRecord(values: ["I\(k)", "t1", "2026-07-01", row.0, row.1, row.2],
                                      location: SourceLocation(file: "/x/i.csv", line: k + 2), columns: [1, 4, 7, 18, 29, 40])
            #expect(n.normalize(record) != nil)
        }
        try n.finish()
        #expect(n.tally.findings.map(\.code) == ["status-against-dates", "unknown-status"])
        #expect(n.tally.findings.first?.location == SourceLocation(file: "/x/i.csv", line: 5, column: 40))
        #expect(n.tally.findings.first?.message.hasPrefix("3 ideas' statuses contradict their dates") == true)
    }
}
