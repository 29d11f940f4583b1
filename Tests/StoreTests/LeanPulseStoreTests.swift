import Foundation
import GRDB
import LeanPulseCore
import Store
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct LeanPulseStoreTests {
    let agree = Scale(id: "a", min: 1, max: 5)
    var instrument: Instrument {
        Instrument(id: "t", version: "1", items: [Item(id: "q1", text: "Q1", scale: agree), Item(id: "q2", text: "Q2", scale: agree)],
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0, 1], role: .engagement)])
    }
    let org = try! Organization(units: [OrgUnit(id: "root", parentId: nil, name: "R", headcount: 1),
                                        OrgUnit(id: "a", parentId: "root", name: "A", headcount: 6)])
    let survey = SourceConfig(id: "pulse", kind: .survey, format: .csv, path: "/x.csv", location: SourceLocation(file: "/p.yml"))
    let q3 = Period("2026-Q3")!

    func temporaryStore() throws -> LeanPulseStore {
        try LeanPulseStore(path: temporaryPath("lp-store") + "/s.sqlite")
    }

    func response(_ key: String?, _ submitted: Int64?, _ answers: [Int16?], period: Period? = nil, line: Int = 2,
                  file: String = "/x.csv") -> SurveyResponse {
        SurveyResponse(respondentKey: key.map { Pseudonym(hex: String(repeating: $0, count: 64))! }, teamId: "a", period: period ?? q3,
                       submitted: submitted, answers: answers, comment: nil, location: SourceLocation(file: file, line: line))
    }

    @Test func aDuplicateInAnotherFileOfTheSourceNamesThatFile() throws {
        let store = try temporaryStore()
        var messages: [String] = []
        try store.importTransaction { w in
            try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "0", count: 64), instrument: instrument, importedAt: "now")
            func file(_ path: String, _ responses: [SurveyResponse]) throws {
                for r in responses { try w.insert(r) }
                var findings: [DataQualityFinding] = []
                _ = try w.finishFile(ImportCounts(source: "pulse", file: path, sha256: "f", read: responses.count, accepted: responses.count,
                                                  rejected: 0), bytes: 10, findings: &findings)
                messages += findings.map { "\($0.location.file):\($0.location.line) \($0.message)" }
            }
            try file("/a.csv", [response("a", 100, [1, 1], line: 2, file: "/a.csv"), response("b", 300, [2, 2], line: 3, file: "/a.csv")])
            try file("/b.csv", [response("a", 200, [3, 3], line: 2, file: "/b.csv")])
            // "a" again: the stored one is now /b.csv's (it replaced /a.csv's); "b": the stored one is still /a.csv's.
            try file("/c.csv", [response("c", 100, [4, 4], line: 2, file: "/c.csv"), response("c", 150, [4, 4], line: 3, file: "/c.csv"),
                                response("a", 400, [5, 5], line: 4, file: "/c.csv"), response("b", 50, [5, 5], line: 5, file: "/c.csv")])
            try w.finishImport()
        }
        let head = "the respondent's second response in 2026-Q3:"
        #expect(messages == [
            "/b.csv:2 \(head) it replaces the one at line 2 of /a.csv (the later submission counts)",
            "/c.csv:3 \(head) it replaces the one at line 2 (the later submission counts)",
            "/c.csv:4 \(head) it replaces the one at line 2 of /b.csv (the later submission counts)",
            "/c.csv:5 \(head) not used, the one at line 3 of /a.csv was submitted later",
        ])
    }

    @Test func keepsTheLatestResponsePerRespondentAndReconciles() throws {
        let store = try temporaryStore()
        let counts = try store.importTransaction { w -> ImportCounts in
            try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "0", count: 64), instrument: instrument, importedAt: "now")
            try w.insert(response("a", 200, [5, 5], line: 2))
            try w.insert(response("a", 100, [1, 1], line: 3))  // older: superseded, not stored
            try w.insert(response("b", 100, [2, nil], line: 4))
            try w.insert(response("b", 300, [4, 4], line: 5))  // newer: replaces
            try w.insert(response(nil, nil, [3, 3], line: 6))
            var findings: [DataQualityFinding] = []
            let c = try w.finishFile(ImportCounts(source: "pulse", file: "/x.csv", sha256: "f", read: 6, accepted: 5, rejected: 1),
                                     bytes: 10, findings: &findings)
            try w.finishImport()
            // Neither duplicate disappears: each is a finding at the second response of its pair, naming the first.
            #expect(findings.map(\.location) == [SourceLocation(file: "/x.csv", line: 3), SourceLocation(file: "/x.csv", line: 5)])
            #expect(findings.map(\.code) == ["duplicate-response", "duplicate-response"])
            #expect(findings.map(\.severity) == [.info, .info])
            #expect(findings.map(\.message) == [
                "the respondent's second response in 2026-Q3: not used, the one at line 2 was submitted later",
                "the respondent's second response in 2026-Q3: it replaces the one at line 4 (the later submission counts)",
            ])
            return c
        }
        #expect(counts.superseded == 2)
        #expect(try store.findings(importId: 1).map(\.code) == ["duplicate-response", "duplicate-response"])
        #expect(counts.accepted == 3)
        #expect(counts.reconciles)
        let (data, notes) = try store.loadDataset(period: q3, organization: org, instrument: instrument, sourceIds: ["pulse"])
        #expect(data.responses.count == 3)
        #expect(notes.unresolvedResponses == 0)
        var rows = (0..<3).map { r in [data.responses.answer(row: r, item: 0), data.responses.answer(row: r, item: 1)] }
        rows.sort { ($0[0] ?? 0) < ($1[0] ?? 0) }
        #expect(rows == [[3, 3], [4, 4], [5, 5]])
    }

    @Test func aNewImportReplacesOnlyThePeriodsItHolds() throws {
        let store = try temporaryStore()
        let q2 = Period("2026-Q2")!
        for (hash, rows) in [("1", [response("a", 1, [1, 1], period: q2), response("b", 1, [2, 2], period: q3)]),
                             ("2", [response("c", 1, [5, 5], period: q3)])] {
            try store.importTransaction { w in
                try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: hash, count: 64), instrument: instrument, importedAt: "now")
                for r in rows { try w.insert(r) }
                var findings: [DataQualityFinding] = []
                _ = try w.finishFile(ImportCounts(source: "pulse", file: "/x.csv", sha256: "f", read: rows.count, accepted: rows.count),
                                     bytes: 1, findings: &findings)
                try w.finishImport()
            }
        }
        #expect(try store.latestImport(sourceId: "pulse")?.sha256 == String(repeating: "2", count: 64))
        let q3Data = try store.loadDataset(period: q3, organization: org, instrument: instrument, sourceIds: ["pulse"]).0
        #expect(q3Data.responses.count == 1)
        #expect(q3Data.responses.answer(row: 0, item: 0) == 5)
        let q2Data = try store.loadDataset(period: q2, organization: org, instrument: instrument, sourceIds: ["pulse"]).0
        #expect(q2Data.responses.count == 1)
        #expect(try store.surveyPeriods(sourceIds: ["pulse"]).map(\.description) == ["2026-Q2", "2026-Q3"])
    }

    /// A store a newer version migrated is refused before anything is written (it was written to with this version's
    /// assumptions about the schema).
    @Test func aStoreFromANewerVersionIsRefused() throws {
        let path = temporaryPath("lp-store") + "/s.sqlite"
        try LeanPulseStore(path: path).close()
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try raw.close()
        #expect { try LeanPulseStore(path: path) } throws: { error in
            "\(error)".contains("newer LeanPulse") && "\(error)".contains("v9-from-the-future")
        }
    }

    @Test func aFailedImportLeavesTheStoreUnchanged() throws {
        struct Broken: Error {}
        let store = try temporaryStore()
        #expect(throws: Broken.self) {
            try store.importTransaction { w in
                try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "9", count: 64), instrument: instrument, importedAt: "now")
                try w.insert(response("a", 1, [1, 1]))
                throw Broken()
            }
        }
        #expect(try store.latestImport(sourceId: "pulse") == nil)
        #expect(try store.loadDataset(period: q3, organization: org, instrument: instrument, sourceIds: ["pulse"]).0.responses.count == 0)
    }

    @Test func mapsStoredItemsOntoTheCurrentInstrumentById() throws {
        let store = try temporaryStore()
        try store.importTransaction { w in
            try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "3", count: 64), instrument: instrument, importedAt: "now")
            try w.insert(response("a", 1, [2, 4]))
            try w.finishImport()
        }
        // The instrument now lists q2 first and has dropped nothing: answers follow the ids, not the positions.
        let reordered = Instrument(id: "t", version: "2", items: [instrument.items[1], instrument.items[0]], factors: [])
        let data = try store.loadDataset(period: q3, organization: org, instrument: reordered, sourceIds: ["pulse"]).0
        #expect(data.responses.answer(row: 0, item: 0) == 4)
        #expect(data.responses.answer(row: 0, item: 1) == 2)
    }

    /// Items a stored import has and the current instrument does not are noted for the periods that import holds
    /// responses of, and only for those (the item map covers every import of the sources).
    @Test func notesDroppedItemsOnlyForThePeriodsTheirImportHolds() throws {
        let store = try temporaryStore()
        let q2 = Period("2026-Q2")!
        let withOld = Instrument(id: "t", version: "1", items: instrument.items + [Item(id: "old", text: "Old", scale: agree)],
                                 factors: instrument.factors)
        for (hash, items, period) in [("6", withOld, q2), ("7", instrument, q3)] {
            try store.importTransaction { w in
                try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: hash, count: 64), instrument: items, importedAt: "now")
                try w.insert(response("a", 1, Array(repeating: 3, count: items.items.count), period: period))
                try w.finishImport()
            }
        }
        let (q3Data, q3Notes) = try store.loadDataset(period: q3, organization: org, instrument: instrument, sourceIds: ["pulse"])
        #expect(q3Notes.droppedItems.isEmpty)
        #expect(q3Data.responses.count == 1)
        let (q2Data, q2Notes) = try store.loadDataset(period: q2, organization: org, instrument: instrument, sourceIds: ["pulse"])
        #expect(q2Notes.droppedItems == ["old"])
        #expect(q2Data.responses.answer(row: 0, item: 1) == 3)
    }

    @Test func storesIdeasAndGoals() throws {
        let store = try temporaryStore()
        let ideas = SourceConfig(id: "ideas", kind: .ideas, format: .xml, path: "/i.xml", location: SourceLocation(file: "/p.yml"))
        let goals = SourceConfig(id: "goals", kind: .goals, format: .csv, path: "/g.csv", location: SourceLocation(file: "/p.yml"))
        try store.importTransaction { w in
            try w.beginImport(source: ideas, pipeline: "test", sha256: String(repeating: "4", count: 64), instrument: instrument, importedAt: "now")
            try w.insert(Idea(id: "I1", teamId: "a", submitted: Day(iso: "2026-07-02")!, implemented: Day(iso: "2026-07-09")!,
                              submitterKey: String(repeating: "e", count: 64)))
            try w.insert(Idea(id: "I2", teamId: "gone", submitted: Day(iso: "2026-07-02")!))
            try w.finishImport()
            try w.beginImport(source: goals, pipeline: "test", sha256: String(repeating: "5", count: 64), instrument: instrument, importedAt: "now")
            try w.insert(Goal(id: "G1", teamId: "a", period: q3, target: 10, actual: 8, score: nil))
            try w.finishImport()
        }
        let (data, notes) = try store.loadDataset(period: q3, organization: org, instrument: instrument, sourceIds: ["ideas", "goals"])
        #expect(data.ideas.count == 1)
        #expect(notes.unresolvedIdeas == 1)
        #expect(data.ideas.implemented[0] == Day(iso: "2026-07-09")!.ordinal)
        #expect(data.ideas.submitter[0] == 0)
        #expect(data.goals == [GoalRow(unit: Int32(org.index(of: "a")!), attainment: 0.8)])
    }
}
