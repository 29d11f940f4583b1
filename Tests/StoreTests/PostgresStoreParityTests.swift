import Foundation
import LeanPulseCore
import Store
import TestSupport
import Testing

/// The PostgreSQL writer and load against the SQLite ones, on the same writes: duplicates within a file, across files
/// and after the earlier response was written (more responses than one INSERT takes), cross-source duplicates,
/// replacement of earlier imports, ideas with escapes, goals. Each test starts a real server (unix socket, no TCP).
@Suite(.serialized, .removesTemporaryFiles,
       .enabled(if: PostgresServer.isAvailable, "no PostgreSQL binaries (initdb, pg_ctl) on this machine"))
struct PostgresStoreParityTests {
    let agree = Scale(id: "a", min: 1, max: 5)
    var instrument: Instrument {
        Instrument(id: "t", version: "1", items: [Item(id: "q1", text: "Q1", scale: agree), Item(id: "q2", text: "Q2", scale: agree)],
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0, 1], role: .engagement)])
    }
    let org = try! Organization(units: [OrgUnit(id: "root", parentId: nil, name: "R", headcount: 1),
                                        OrgUnit(id: "a", parentId: "root", name: "A", headcount: 6),
                                        OrgUnit(id: "b\"\\", parentId: "root", name: "B", headcount: 6)])
    let q3 = Period("2026-Q3")!
    let q2 = Period("2026-Q2")!

    func source(_ id: String, _ kind: SourceKind) -> SourceConfig {
        SourceConfig(id: id, kind: kind, format: .csv, path: "/\(id).csv", location: SourceLocation(file: "/p.yml"))
    }

    func key(_ n: Int) -> Pseudonym { Pseudonym(hex: String(format: "%064x", n))! }

    func response(_ n: Int, _ submitted: Int64?, _ answers: [Int16?], period: Period? = nil, line: Int, file: String,
                  team: String = "a") -> SurveyResponse {
        SurveyResponse(respondentKey: key(n), teamId: team, period: period ?? q3, submitted: submitted, answers: answers,
                       comment: n % 7 == 0 ? "comment \(n), with \"quotes\"" : nil, location: SourceLocation(file: file, line: line))
    }

    /// One run's imports, written the same way into either store; returns the findings' texts and the recorded counts.
    func write(into store: any HistoryStore, round: Int) throws -> [String] {
        try store.withImportTransaction { w in
            var messages: [String] = []
            func file(_ path: String, _ responses: [SurveyResponse]) throws {
                let columns = ResponseColumns(itemCount: 2, capacity: max(responses.count, 1))
                for r in responses { columns.append(r) }
                try w.insert(columns)
                var findings: [DataQualityFinding] = []
                let counts = try w.finishFile(ImportCounts(source: "pulse", file: path, sha256: "f", read: responses.count,
                                                           accepted: responses.count, rejected: 0), bytes: 10, findings: &findings)
                messages += findings.map { "\($0.location.file):\($0.location.line) \($0.message)" }
                messages.append("\(path): \(counts.read) read, \(counts.accepted) accepted, \(counts.superseded) superseded")
            }
            try w.beginImport(source: source("pulse", .survey), pipeline: "test", sha256: String(repeating: "\(round)", count: 64),
                              instrument: instrument, importedAt: "now")
            // 2,500 respondents (more than one INSERT of the PostgreSQL writer), then some of them again.
            try file("/a.csv", (0..<2500).map { response($0, Int64($0), [Int16(1 + $0 % 5), $0 % 3 == 0 ? nil : 3], line: $0 + 2, file: "/a.csv",
                                                         team: $0 % 11 == 0 ? "b\"\\" : "a") }
                     + [response(5, 10_000, [5, 5], line: 3000, file: "/a.csv"), response(2400, 1, [1, 1], line: 3001, file: "/a.csv")])
            try file("/b.csv", [response(7, 20_000, [4, 4], line: 2, file: "/b.csv"), response(2499, 20_000, [2, 2], line: 3, file: "/b.csv"),
                                response(9_000, 5, [3, 3], period: q2, line: 4, file: "/b.csv"),
                                response(9_000, 6, [4, 3], period: q2, line: 5, file: "/b.csv")])
            try w.finishImport(alsoReplacing: [])
            // A second survey source holding some of the same people (the load keeps each person's latest response).
            try w.beginImport(source: source("extra", .survey), pipeline: "test", sha256: String(repeating: "e", count: 64),
                              instrument: instrument, importedAt: "now")
            try file("/extra.csv", [response(1, 50_000, [1, 2], line: 2, file: "/extra.csv"), response(3, 0, [2, 2], line: 3, file: "/extra.csv")])
            try w.finishImport(alsoReplacing: [])
            try w.beginImport(source: source("ideas", .ideas), pipeline: "test", sha256: String(repeating: "\(round)", count: 64),
                              instrument: instrument, importedAt: "now")
            let ideas = IdeaColumns(capacity: 3000)
            for n in 0..<3000 {
                ideas.append(Idea(id: "I\(n)", teamId: n % 5 == 0 ? "b\"\\" : "a", submitted: Day(ordinal: 20_000 + Int32(n % 90)),
                                  implemented: n % 3 == 0 ? Day(ordinal: 20_100) : nil, rejected: n % 3 == 1 ? Day(ordinal: 20_095) : nil,
                                  status: n % 2 == 0 ? "open\n" : nil, submitterKey: n % 4 == 0 ? nil : key(n % 50).hex))
            }
            try w.insert(ideas)
            var none: [DataQualityFinding] = []
            _ = try w.finishFile(ImportCounts(source: "ideas", file: "/ideas.csv", sha256: "f", read: 3000, accepted: 3000, rejected: 0),
                                 bytes: 10, findings: &none)
            try w.finishImport(alsoReplacing: [])
            try w.beginImport(source: source("goals", .goals), pipeline: "test", sha256: String(repeating: "\(round)", count: 64),
                              instrument: instrument, importedAt: "now")
            for n in 0..<(round == 1 ? 3 : 2) {
                try w.insert(Goal(id: "g\(n)", teamId: "a", period: q3, target: 10, actual: Double(n + round), score: nil))
            }
            _ = try w.finishFile(ImportCounts(source: "goals", file: "/goals.csv", sha256: "f", read: 3, accepted: 3, rejected: 0),
                                 bytes: 10, findings: &none)
            try w.finishImport(alsoReplacing: [q2])
            return messages
        }
    }

    /// What the load gives for a period, as comparable values.
    func loaded(_ store: any HistoryStore, _ period: Period) throws -> [String] {
        let (dataset, notes) = try store.loadDataset(period: period, organization: org, instrument: instrument,
                                                     sourceIds: ["pulse", "extra", "ideas", "goals"])
        let r = dataset.responses, i = dataset.ideas
        return ["units \(r.unit)", "answers \(r.answers)", "comments \(r.comments.map { "\($0.row):\($0.text)" })",
                "ideas \(i.unit) \(i.submitted) \(i.implemented) \(i.rejected) \(i.submitter)", "goals \(dataset.goals)",
                "notes \(notes.crossSourceDuplicates) \(notes.crossSourceDuplicateSources) \(notes.unresolvedResponses)"]
    }

    @Test func writesAndLoadsWhatTheSQLiteStoreDoes() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        try server.createDatabase("parity")
        let sqlite = try LeanPulseStore(path: temporaryPath("lp-parity") + "/s.sqlite")
        let postgres = try PostgresStore(url: try PostgresURL(parsing: server.url(database: "parity")))
        for round in 1...2 {
            let expected = try write(into: sqlite, round: round)
            #expect(try write(into: postgres, round: round) == expected)
            #expect(expected.contains { $0.contains("it replaces the one at line 2") })
            for period in [q2, q3] { #expect(try loaded(postgres, period) == (try loaded(sqlite, period)), "round \(round), \(period)") }
            #expect(try postgres.surveyPeriods(sourceIds: ["pulse"]) == (try sqlite.surveyPeriods(sourceIds: ["pulse"])))
            #expect(try postgres.itemTextHashes(period: q3, sourceIds: ["pulse"]) == (try sqlite.itemTextHashes(period: q3, sourceIds: ["pulse"])))
            for (a, b) in zip(try sqlite.importSummary(), try postgres.importSummary()) {
                #expect(try postgres.importCounts(importId: b.id, sourceId: b.sourceId) == (try sqlite.importCounts(importId: a.id, sourceId: a.sourceId)))
                #expect(try postgres.findings(importId: b.id) == (try sqlite.findings(importId: a.id)))
            }
        }
        // The organisation a report was computed on, with what it counted and withheld.
        try sqlite.saveOrganization(org.units, period: q3, respondents: [10, 8, 2], hiddenFigures: [[], ["engagement", "#enps"], nil])
        try postgres.saveOrganization(org.units, period: q3, respondents: [10, 8, 2], hiddenFigures: [[], ["engagement", "#enps"], nil])
        #expect(try postgres.reportedOrganization(period: q3)?.respondents == (try sqlite.reportedOrganization(period: q3)?.respondents))
        #expect(try postgres.reportedOrganization(period: q3)?.hiddenFigures == nil)
        #expect(try postgres.reportedOrganization(period: q3)?.organization.units.map(\.id)
                == (try sqlite.reportedOrganization(period: q3)?.organization.units.map(\.id)))
        #expect(try postgres.otherPipelines(importing: "pulse", than: "other") == ["test"])
    }
}
