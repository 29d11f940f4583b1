import Foundation
import GRDB
import LeanPulseCore
@testable import Store
import TestSupport
import Testing

/// The schema's migrations, and the JSON that ImportWriter writes where SQLite no longer checks it (v4).
@Suite(.removesTemporaryFiles) struct StoreSchemaTests {
    let agree = Scale(id: "a", min: 1, max: 7)
    var instrument: Instrument {
        Instrument(id: "t", version: "1", items: (1...3).map { Item(id: "q\($0)", text: "Q\($0)", scale: agree) },
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0, 1, 2], role: .engagement)])
    }
    let survey = SourceConfig(id: "pulse", kind: .survey, format: .csv, path: "/x.csv", location: SourceLocation(file: "/p.yml"))
    let ideas = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/i.csv", location: SourceLocation(file: "/p.yml"))

    /// Text that JSON must escape: quotes, backslashes, control characters, U+2028/2029, DEL, non-ASCII. (Not NUL:
    /// the readers reject it, and SQLite's text functions would cut a value there.)
    static let awkward: [String] = ["\"", "\\", "a\"b\\c", "\u{7F}", "\u{2028}\u{2029}", "é 😀", "</script>"]
        + (1..<32).map { "x" + String(UnicodeScalar(UInt8($0))) + "y" }

    func fill(_ store: LeanPulseStore) throws {
        try store.importTransaction { w in
            try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "1", count: 64), instrument: instrument, importedAt: "now")
            // The extremes a scale may reach (-32,768 marks "not answered" in `ResponseColumns`).
            let answers: [[Int16?]] = [[1, 7, nil], [nil, nil, nil], [Int16.max, -Int16.max, 0], [4, 4, 4]]
            for (i, a) in answers.enumerated() {
                try w.insert(SurveyResponse(respondentKey: nil, teamId: "a", period: Period("2026-Q3")!, submitted: nil, answers: a,
                                            comment: Self.awkward[i], location: SourceLocation(file: "/x.csv", line: i + 2)))
            }
            try w.finishImport()
        }
        try store.importTransaction { w in
            try w.beginImport(source: ideas, pipeline: "test", sha256: String(repeating: "2", count: 64), instrument: instrument, importedAt: "now")
            for (i, text) in Self.awkward.enumerated() {
                try w.insert(Idea(id: text, teamId: "t" + text, submitted: Day(ordinal: Int32(20_000 + i)), status: text))
            }
            try w.finishImport()
        }
    }

    @Test func writtenJSONIsValidAndReadsBackThroughTheViews() throws {
        let store = try LeanPulseStore(path: temporaryPath("lp-schema") + "/s.sqlite")
        try fill(store)
        let db = try DatabaseQueue(path: store.path)
        func count(_ sql: String) throws -> Int? { try db.read { try Int.fetchOne($0, sql: sql) } }
        func texts(_ sql: String) throws -> [String] { try db.read { try String.fetchAll($0, sql: sql) } }
        #expect(try count("SELECT count(*) FROM responses") == 4)
        #expect(try count("SELECT count(*) FROM responses WHERE NOT json_valid(answers)") == 0)
        #expect(try count("SELECT count(*) FROM idea_blocks WHERE NOT json_valid(rows)") == 0)
        #expect(try texts("SELECT answers FROM responses ORDER BY id") == ["[1,7,null]", "[null,null,null]", "[32767,-32767,0]", "[4,4,4]"])
        #expect(try count("SELECT count(*) FROM survey_answers") == 8)
        #expect(try texts("SELECT idea_id FROM ideas") == Self.awkward)
        #expect(try texts("SELECT status FROM ideas_dated") == Self.awkward)
    }

    /// An import's pages reach the database file without waiting for the store to close: a second connection copies
    /// the write-ahead log in the background (the store's own connection does not checkpoint at commit).
    @Test func anImportIsCheckpointedInTheBackground() throws {
        let path = temporaryPath("lp-schema") + "/s.sqlite"
        let store = try LeanPulseStore(path: path)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        try fill(store)
        store.waitForCheckpoint()
        let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let pages = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        let pageSize = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA page_size") ?? 0 }
        #expect(after > before)
        #expect(after == pages * pageSize)
        #expect(pageSize == LeanPulseStore.pageSize)
    }

    /// A store made before v4 (tables with `json_valid` CHECKs) keeps every row, id, index and view.
    @Test func v4RebuildsTheTablesWithoutTheJSONCheckAndKeepsTheirRows() throws {
        let path = temporaryPath("lp-schema") + "/old.sqlite"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let old = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(old, upTo: "v3-no-respondent-index")
            try old.write { db in
                let hash = String(repeating: "a", count: 64)
                try db.execute(sql: """
                    INSERT INTO imports (id, source_id, kind, content_sha256, imported_at, rows_read, rows_accepted, rows_rejected, rows_superseded)
                        VALUES (7, 'pulse', 'survey', '\(hash)', 'then', 1, 1, 0, 0), (8, 'ideas', 'ideas', '\(hash)', 'then', 1, 1, 0, 0);
                    INSERT INTO import_items (import_id, position, item_id, text_sha256) VALUES (7, 0, 'q1', '\(hash)'), (7, 2, 'q3', '\(hash)');
                    INSERT INTO responses (id, import_id, source_id, period, team_id, respondent_key, submitted, answers, comment, source_line)
                        VALUES (42, 7, 'pulse', '2026-Q3', 'a', NULL, 1700000000, '[3,null,5]', 'c', 2);
                    INSERT INTO idea_blocks (id, import_id, source_id, ideas, rows)
                        VALUES (5, 8, 'ideas', 1, '[["i1","a",20000,20003,null,"done",null]]');
                    """)
            }
        }
        _ = try LeanPulseStore(path: path)  // migrates to v4 when it opens
        let db = try DatabaseQueue(path: path)
        // An existing store keeps the page size it was made with.
        #expect(try db.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
        func rows(_ sql: String) throws -> [Row] { try db.read { try Row.fetchAll($0, sql: sql) } }
        let tables = try db.read { try String.fetchAll($0, sql: "SELECT sql FROM sqlite_master WHERE name IN ('responses', 'idea_blocks')") }
        #expect(tables.count == 2)
        #expect(tables.allSatisfy { !$0.contains("json_valid") })
        let names = try db.read { try Set(String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type IN ('index', 'view')")) }
        #expect(names.isSuperset(of: ["responses_by_period", "idea_blocks_by_source", "survey_answers", "ideas", "ideas_dated", "import_summary"]))
        #expect(try rows("SELECT id, import_id, submitted, answers, comment, source_line FROM responses")
            == [["id": 42, "import_id": 7, "submitted": 1_700_000_000, "answers": "[3,null,5]", "comment": "c", "source_line": 2]])
        #expect(try rows("SELECT response_id, item_id, value FROM survey_answers ORDER BY item_id")
            == [["response_id": 42, "item_id": "q1", "value": 3], ["response_id": 42, "item_id": "q3", "value": 5]])
        #expect(try rows("SELECT idea_id, submitted, implemented, status FROM ideas_dated")
            == [["idea_id": "i1", "submitted": "2024-10-04", "implemented": "2024-10-07", "status": "done"]])
        #expect(try rows("SELECT id FROM idea_blocks") == [["id": 5]])
    }
    /// v5: an import made before the store kept item scoring reads back with NULL scores (not wrong ones); a new
    /// import carries the scale, reverse flag, sets and factor, and its pipeline.
    @Test func v5KeepsOldImportsUnscoredAndScoresNewOnes() throws {
        let path = temporaryPath("lp-schema") + "/old5.sqlite"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let old = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(old, upTo: "v4-json-checked-by-writer")
            try old.write { db in
                let hash = String(repeating: "a", count: 64)
                try db.execute(sql: """
                    INSERT INTO imports (id, source_id, kind, content_sha256, imported_at, rows_read, rows_accepted, rows_rejected, rows_superseded)
                        VALUES (7, 'old', 'survey', '\(hash)', 'then', 1, 1, 0, 0);
                    INSERT INTO import_items (import_id, position, item_id, text_sha256) VALUES (7, 0, 'q1', '\(hash)');
                    INSERT INTO responses (id, import_id, source_id, period, team_id, respondent_key, submitted, answers, comment, source_line)
                        VALUES (42, 7, 'old', '2026-Q2', 'a', NULL, 1700000000, '[6]', NULL, 2);
                    """)
            }
        }
        let store = try LeanPulseStore(path: path)
        var reversed = instrument
        reversed.items[1].reverse = true
        try store.importTransaction { w in
            try w.beginImport(source: survey, pipeline: "p1", sha256: String(repeating: "1", count: 64), instrument: reversed, importedAt: "now")
            try w.insert(SurveyResponse(respondentKey: nil, teamId: "a", period: Period("2026-Q3")!, submitted: nil, answers: [6, 6, 4],
                                        comment: nil, location: SourceLocation(file: "/x.csv", line: 2)))
            try w.finishImport()
        }
        let db = try DatabaseQueue(path: path)
        func rows(_ sql: String) throws -> [Row] { try db.read { try Row.fetchAll($0, sql: sql) } }
        #expect(try rows("SELECT item_id, value, score, normalized, favorable, unfavorable FROM survey_scores WHERE source_id = 'old'")
            == [["item_id": "q1", "value": 6, "score": nil, "normalized": nil, "favorable": nil, "unfavorable": nil]])
        // 7 points: favorable {6, 7}, unfavorable {1, 2, 3}; q2 reversed: 6 scores 2.
        #expect(try rows("SELECT item_id, factor_id, score, normalized, favorable, unfavorable FROM survey_scores WHERE source_id = 'pulse' ORDER BY item_id")
            == [["item_id": "q1", "factor_id": "engagement", "score": 6, "normalized": 100.0 * 5 / 6, "favorable": 1, "unfavorable": 0],
                ["item_id": "q2", "factor_id": "engagement", "score": 2, "normalized": 100.0 * 1 / 6, "favorable": 0, "unfavorable": 1],
                ["item_id": "q3", "factor_id": "engagement", "score": 4, "normalized": 50.0, "favorable": 0, "unfavorable": 0]])
        #expect(try rows("SELECT id, pipeline FROM imports ORDER BY id") == [["id": 7, "pipeline": nil], ["id": 8, "pipeline": "p1"]])
    }
}
