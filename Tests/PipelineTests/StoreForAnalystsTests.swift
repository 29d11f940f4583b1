import Foundation
import GRDB
@testable import Pipeline
import Testing

/// What docs/STORE.md promises an analyst with SQL, checked on the sample pipeline's store.
@Suite(.serialized)
struct StoreForAnalystsTests {
    /// `survey_scores` scores answers as the report does: the organisation's % favorable per item from SQL alone
    /// equals `item_scores.csv` (itself equal to the independent Python computation), reverse-worded items included.
    @Test func surveyScoresGiveTheReportsItemFavorability() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let csv = try ws.read("item_scores.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // The organisation's row: the unit with the most answers (the top of the tree).
        let top = try #require(csv.max { Int($0[4])! < Int($1[4])! }?[1])
        var expected: [String: (answered: Int, pct: Double)] = [:]
        for row in csv where row[1] == top { expected[String(row[3])] = (Int(row[4])!, Double(row[5])!) }
        #expect(expected.count > 10)

        let db = try DatabaseQueue(path: ws.store, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT item_id, count(*) AS answered, 100.0 * avg(favorable) AS pct FROM survey_scores
                WHERE period = '2026-Q3' GROUP BY item_id
                """)
        }
        var seen = 0
        for row in rows {
            let item: String = row["item_id"]
            guard let want = expected[item] else { continue }
            seen += 1
            #expect(row["answered"] as Int == want.answered, "\(item)")
            #expect(abs((row["pct"] as Double) - want.pct) < 1e-5, "\(item)")
        }
        #expect(seen == expected.count)
        // The reverse-worded item: "agree" (4, 5) is scored 2, 1 and counts as unfavorable.
        let reversed = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT value, score, favorable, unfavorable FROM survey_scores WHERE item_id = 'auto2' ORDER BY value")
        }
        #expect(reversed.map { $0["score"] as Int } == reversed.map { 6 - ($0["value"] as Int) })
        #expect(reversed.filter { ($0["value"] as Int) >= 4 }.allSatisfy { $0["unfavorable"] as Bool && !($0["favorable"] as Bool) })
        // Each import names the pipeline file that made it.
        let pipelines = try db.read { try String.fetchAll($0, sql: "SELECT DISTINCT pipeline FROM imports") }
        #expect(pipelines == ["fjordline-lean-pulse"])
    }

    /// A corrected export read again by a later import: `findings` keeps both imports' findings (the audit trail),
    /// `latest_findings` only the latest import's.
    @Test func latestFindingsListAReimportedFilesFindingsOnce() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let db = try DatabaseQueue(path: ws.store)
        func count(_ sql: String) throws -> Int { try db.read { try Int.fetchOne($0, sql: sql) ?? -1 } }
        let before = try count("SELECT count(*) FROM findings")
        #expect(before > 0)
        #expect(try count("SELECT count(*) FROM latest_findings") == before)
        // Touch one export of a source that has findings: its source is imported again, every file re-read.
        let source = try #require(try db.read { try String.fetchOne($0, sql: "SELECT source_id FROM findings GROUP BY source_id ORDER BY count(*) DESC") })
        let file = try #require(try db.read { try String.fetchOne($0, sql: "SELECT file FROM findings WHERE source_id = ? LIMIT 1", arguments: [source]) })
        let sourceFindings = try count("SELECT count(*) FROM findings WHERE source_id = '\(source)'")
        // A blank line more at the end: a changed file (its hash), the same records and findings.
        try Data((try String(contentsOfFile: file, encoding: .utf8) + "\n").utf8).write(to: URL(fileURLWithPath: file))
        _ = ws.run()
        #expect(try count("SELECT count(*) FROM imports WHERE source_id = '\(source)'") == 2)
        #expect(try count("SELECT count(*) FROM findings WHERE source_id = '\(source)'") >= 2 * sourceFindings)
        #expect(try count("SELECT count(*) FROM latest_findings WHERE source_id = '\(source)'") == sourceFindings)
    }

    /// An analyst's write transaction held past the busy timeout: the run changes nothing, exits 1, and says who holds the
    /// store (it said only SQLite's "database is locked - while executing BEGIN IMMEDIATE TRANSACTION", session 18's audit).
    @Test func aWriteLockHeldByAnotherProgramIsNamed() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        // A changed export, so that the run must import.
        let goals = ws.root + "/SampleData/goals/goals.csv"
        try (try String(contentsOfFile: goals, encoding: .utf8) + "G9997,ops,2026-Q3,,,0.5\n").write(toFile: goals, atomically: true, encoding: .utf8)
        let analyst = try DatabaseQueue(path: ws.store)
        try analyst.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            let logged = LockedText()
            let log = RunLog(format: .text, quiet: true, isTerminal: false) { logged.append($0) }
            setenv("LEANPULSE_KEY", "test-secret", 1)
            #expect(PipelineRunner(options: ws.options(), log: log).run() == .failed)
            #expect(logged.text.contains("the store is locked by another program (an analyst's sqlite3 session or a backup holding a "
                                         + "write transaction); the run waited 10 s and changed nothing"), "\(logged.text)")
        }
        #expect(ws.run() == .published)
    }
}
