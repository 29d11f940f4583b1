import Foundation
import LeanPulseCore
@testable import Normalize
import Testing

/// Exports write statuses in their own words (`Done`, `Umgesetzt`, `Abgelehnt`, `Won't Do`): a source's `statuses:` says
/// what they mean, they feed the status checks as the built-in words do, and the words neither built-in nor mapped are
/// one `info` per file (session 18's outcome audit).
struct IdeaStatusesTests {
    static func statuses() -> IdeaStatuses {
        var statuses = IdeaStatuses()
        for (word, role) in [("Done", IdeaStatuses.Role.implemented), ("Umgesetzt", .implemented), ("Abgelehnt", .rejected),
                             ("Won't Do", .rejected), ("Backlog", .open), ("In progress", .open)] {
            #expect(statuses.add(word, as: role) == nil)
        }
        return statuses
    }

    /// An ideas normalizer with `statuses` over columns id, team, s(ubmitted), i(mplemented), r(ejected), status; without
    /// date columns when `dates` is false.
    static func normalizer(_ statuses: IdeaStatuses, dates: Bool = true) throws -> IdeaNormalizer {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        var fields = ["id": "id", "team": "team", "submitted": "s", "status": "status"]
        if dates { (fields["implemented"], fields["rejected"]) = ("i", "r") }
        var source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv", fields: fields, location: SourceLocation(file: "/p.yml"))
        source.statuses = statuses
        return try IdeaNormalizer(source: source, header: RecordHeader(names: ["id", "team", "s", "i", "r", "status"]), organization: org,
                                  pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
    }

    /// Rows (implemented date, rejected date, status) from line 2; every idea must be accepted.
    static func read(_ rows: [(String?, String?, String)], into n: inout IdeaNormalizer) throws {
        for (k, row) in rows.enumerated() {
            let record = SourceRecord(values: ["I\(k)", "t1", "2026-07-01", row.0, row.1, row.2],
                                      location: SourceLocation(file: "/x/i.csv", line: k + 2), columns: [1, 4, 7, 18, 29, 40])
            #expect(n.normalize(record) != nil)
        }
        try n.finish()
    }

    @Test func wordsCompareAsScaleLabelsDoAndTheSourcesWordWins() {
        let statuses = Self.statuses()
        #expect(statuses.role(of: " done\u{00A0}") == .implemented)
        #expect(statuses.role(of: "UMGESETZT") == .implemented)
        #expect(statuses.role(of: "won't do") == .rejected)
        #expect(statuses.role(of: "in  progress") == .open)
        #expect(statuses.role(of: "Declined") == .rejected)
        #expect(statuses.role(of: "Open") == .open)
        #expect(statuses.role(of: "Closed") == nil)
        var own = IdeaStatuses()
        #expect(own.add("Rejected", as: .open) == nil)
        #expect(own.role(of: "rejected") == .open)
        #expect(own.description == "implemented: implemented; rejected: declined; open: open, Rejected")
        // A word under two roles is for the loader to refuse; listed twice under one role it is harmless.
        #expect(own.add("REJECTED", as: .implemented) == .open)
        #expect(own.add("rejected ", as: .open) == nil)
    }

    /// The source's words feed `status-against-dates` as the built-in words do; they do not change what counts.
    @Test func mappedStatusesAgainstTheDatesAreWarned() throws {
        var n = try Self.normalizer(Self.statuses())
        try Self.read([("2026-07-10", nil, "Abgelehnt"), (nil, "2026-07-11", "done"), ("2026-07-12", nil, " UMGESETZT "),
                       (nil, "2026-07-13", "Won't Do"), ("2026-07-14", nil, "In progress"), ("2026-07-15", nil, "Backlog")], into: &n)
        #expect(n.tally.findings.map(\.code) == ["status-against-dates"])
        #expect(n.tally.findings.first?.location == SourceLocation(file: "/x/i.csv", line: 2, column: 40))
        #expect(n.tally.findings.first?.message.hasPrefix("2 ideas' statuses contradict their dates") == true)
        #expect(n.tally.accepted == 6)
    }

    /// A decided idea's status is compared with the one beside the last idea decided alike (8 to 16 bytes by their
    /// first and last eight): words that share a beginning, an end or a length are still told apart.
    @Test func wordsThatShareTheirEdgesAreToldApartBesideTheDates() throws {
        var statuses = IdeaStatuses()
        for (word, role) in [("Closed - done", IdeaStatuses.Role.implemented), ("Closed - lost", .rejected), ("Closed by the team", .rejected),
                             ("Done ok!", .implemented), ("Done no!", .rejected)] {
            #expect(statuses.add(word, as: role) == nil)
        }
        var n = try Self.normalizer(statuses)
        let rows = ["Closed - done", "Closed - lost", "Closed - done", "Closed by the team", "Done ok!", "Done no!", "Done ok!", "rejected",
                    "Closed - done"]
        try Self.read(rows.map { ("2026-07-10", nil, $0) } + rows.map { (nil, "2026-07-10", $0) }, into: &n)
        let note = try #require(n.tally.findings.first)
        #expect(n.tally.findings.map(\.code) == ["status-against-dates"])
        // Beside an implementation date: lost, by the team, no!, rejected; beside a rejection date: done (3), ok! (2).
        #expect(note.message.hasPrefix("9 ideas' statuses contradict their dates") && note.location.line == 3)
    }

    /// ... and `implemented-without-date` and `rejected-without-date` in a status-only export.
    @Test func mappedStatusesWithoutDatesAreWarned() throws {
        var n = try Self.normalizer(Self.statuses(), dates: false)
        try Self.read([(nil, nil, "Backlog"), (nil, nil, "Done"), (nil, nil, "Umgesetzt"), (nil, nil, "Abgelehnt")], into: &n)
        #expect(n.tally.findings.map(\.code) == ["implemented-without-date", "rejected-without-date"])
        #expect(n.tally.findings[0].location.line == 3 && n.tally.findings[0].message.hasPrefix("2 ideas have status implemented"))
        #expect(n.tally.findings[1].location.line == 5)
    }

    /// A built-in word the source lists under another role means what the source says.
    @Test func aBuiltInWordListedElsewhereTakesTheSourcesRole() throws {
        var statuses = IdeaStatuses()
        #expect(statuses.add("rejected", as: .open) == nil)
        var n = try Self.normalizer(statuses, dates: false)
        try Self.read([(nil, nil, "Rejected"), (nil, nil, "declined")], into: &n)
        #expect(n.tally.findings.map(\.code) == ["rejected-without-date"])
        #expect(n.tally.findings[0].location.line == 3)
    }

    /// Statuses neither built-in nor mapped: one `info` per file at the first, listing each value with its ideas.
    @Test func unknownStatusesAreOneNotePerFile() throws {
        var n = try Self.normalizer(Self.statuses())
        try Self.read([("2026-07-10", nil, "Done"), (nil, nil, "Closed"), (nil, nil, "open"), ("2026-07-10", nil, "Shipped"),
                       (nil, "2026-07-10", "closed "), (nil, nil, "In Review"), (nil, nil, "Closed")], into: &n)
        #expect(n.tally.findings.map(\.code) == ["unknown-status"])
        let note = try #require(n.tally.findings.first)
        #expect(note.severity == .info && note.location == SourceLocation(file: "/x/i.csv", line: 3, column: 40))
        // "closed " is "Closed" as a label compares: one value, written as first seen.
        #expect(note.message.hasPrefix("5 ideas have statuses that neither the built-in words (implemented, rejected, declined, open) "
                                       + "nor the source's statuses: define; 3 values, ideas each: 'Closed' (3), 'Shipped' (1), "
                                       + "'In Review' (1); first here. They count by their dates alone."))
        #expect(note.message.hasSuffix("e.g. statuses: { implemented: [\"Closed\"] }"))
        // Nothing rejected, and each file says it once.
        #expect(n.tally.rejected == 0)
    }

    @Test func moreThanTenUnknownStatusesAreCut() throws {
        var n = try Self.normalizer(IdeaStatuses())
        try Self.read((1...12).map { (nil, nil, "S\($0)") }, into: &n)
        let note = try #require(n.tally.findings.first { $0.code == "unknown-status" })
        #expect(note.message.contains("12 values, ideas each: 'S1' (1), 'S2' (1),"))
        #expect(note.message.contains("'S10' (1), ...; first here"))
        #expect(!note.message.contains("'S11'"))
    }

    /// Free text in the status column (more distinct values than the status table holds) still reads and is counted.
    @Test func aStatusColumnOfFreeTextIsCounted() throws {
        var statuses = IdeaStatuses()
        #expect(statuses.add("Done", as: .implemented) == nil)
        var n = try Self.normalizer(statuses, dates: false)
        try Self.read((1...1_200).map { (nil, nil, "note \($0)") } + [(nil, nil, "Done")], into: &n)
        let note = try #require(n.tally.findings.first { $0.code == "unknown-status" })
        #expect(note.message.hasPrefix("1200 ideas have statuses"))
        #expect(note.message.contains("more than"))
        #expect(n.tally.findings.contains { $0.code == "implemented-without-date" })
    }
}
