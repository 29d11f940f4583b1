import Foundation
import GRDB
import GRDBSQLite
import LeanPulseCore

extension LeanPulseStore {
    /// Loads one period's responses and goals, and all ideas, of the given sources, onto `organization`'s units
    /// and `instrument`'s item order.
    public func loadDataset(period: Period, organization: Organization, instrument: Instrument,
                            sourceIds: [String]) throws(StoreError) -> (PeriodDataset, DatasetLoadNotes) {
        try read { db in
            var notes = DatasetLoadNotes()
            let (marks, sources) = Self.sourceFilter(sourceIds)

            // Item positions of each import of the sources mapped onto the current instrument. (All of the sources'
            // imports: a handful of rows each. Finding only the imports that hold the period's responses read every
            // response row, through the index and then the table, a second time.)
            var positionMap: [Int64: [Int]] = [:]
            var droppedByImport: [Int64: Set<String>] = [:]
            let itemRows = try Row.fetchAll(db, sql: """
                SELECT ii.import_id, ii.position, ii.item_id FROM import_items ii JOIN imports i ON i.id = ii.import_id
                WHERE i.source_id IN (\(marks))
                ORDER BY ii.import_id, ii.position
                """, arguments: sources)
            for row in itemRows {
                let importId: Int64 = row[0]
                let itemId: String = row[2]
                let index = instrument.itemIndex(itemId) ?? -1
                if index < 0 { droppedByImport[importId, default: []].insert(itemId) }
                positionMap[importId, default: []].append(index)
            }

            // The ideas are read and decoded on a second connection and core while this one reads the responses (at 1M
            // employees each takes seconds). Both see the same data: the run holds the store's lock, and the background
            // checkpoint does not change what a reader sees.
            let path = self.path
            let ideasLoad = BackgroundWork { () throws(any Error) -> (IdeaTable, Int) in
                var configuration = Configuration()
                configuration.readonly = true
                configuration.label = "leanpulse-ideas"
                let connection = try DatabaseQueue(path: path, configuration: configuration)
                return try connection.read { try Self.loadIdeas($0, sourceIds: sourceIds, organization: organization) }
            }

            // Responses and ideas are read through the SQLite C API (GRDB's `Row` costs more than SQLite at a million rows),
            // in rowid order, which is the order they were written in.
            var responses = ResponseTable(itemCount: instrument.items.count)
            var row = [Int16?](repeating: nil, count: instrument.items.count)
            var units = UnitLookup(organization: organization)
            let superseded = try Self.crossSourceDuplicates(db, period: period, sourceIds: sourceIds, notes: &notes)
            let responseRows = try RawRows(db, sql: """
                SELECT import_id, team_id, answers, comment, id FROM responses WHERE period = ? AND source_id IN (\(marks)) ORDER BY id
                """, arguments: [period.description] + sources)
            // The rows come import by import: the import's map is looked up when the import changes.
            var importId: Int64?
            var map: [Int] = []
            while try responseRows.step() {
                let rowImport = responseRows.int64(0)
                if rowImport != importId {
                    importId = rowImport
                    map = positionMap[rowImport] ?? []
                    // Items dropped from an import that holds responses of the period (as the report's note says).
                    notes.droppedItems.formUnion(droppedByImport[rowImport] ?? [])
                }
                if !superseded.isEmpty, superseded.contains(responseRows.int64(4)) { continue }
                guard let unit = units.index(responseRows.text(1)) else { notes.unresolvedResponses += 1; continue }
                for i in row.indices { row[i] = nil }
                AnswersText.decode(responseRows.text(2)) { position, value in
                    if position < map.count, map[position] >= 0 { row[map[position]] = value }
                }
                let comment = responseRows.isNull(3) ? nil : String(decoding: responseRows.text(3), as: UTF8.self)
                responses.append(unit: Int32(unit), answers: row, comment: comment)
            }

            var goals: [GoalRow] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT team_id, target, actual, score FROM goals WHERE period = ? AND source_id IN (\(marks))
                """, arguments: [period.description] + sources) {
                guard let unit = organization.index(of: r[0]) else { notes.unresolvedGoals += 1; continue }
                let goal = Goal(id: nil, teamId: r[0], period: period, target: r[1], actual: r[2], score: r[3])
                if let attainment = goal.attainment { goals.append(GoalRow(unit: Int32(unit), attainment: attainment)) }
            }
            let (ideas, unresolvedIdeas) = try ideasLoad.result()
            notes.unresolvedIdeas = unresolvedIdeas
            let dataset = PeriodDataset(period: period, organization: organization, instrument: instrument,
                                        responses: responses, ideas: ideas, goals: goals)
            return (dataset, notes)
        }
    }

    /// The ids of responses that another survey source's response of the same respondent in `period` supersedes: the
    /// latest submission counts, then the later stored row (METRICS.md 2, one response per respondent and period). An
    /// import already keeps one response per respondent; this is for two sources holding the same people. Only read
    /// when two or more of the sources hold responses of the period (one index probe per source otherwise).
    static func crossSourceDuplicates(_ db: Database, period: Period, sourceIds: [String],
                                      notes: inout DatasetLoadNotes) throws -> Set<Int64> {
        let holding = try sourceIds.filter { source in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM responses WHERE period = ? AND source_id = ?)",
                              arguments: [period.description, source]) ?? false
        }
        guard holding.count > 1 else { return [] }
        let (marks, sources) = Self.sourceFilter(holding)
        var duplicates = CrossSourceDuplicates()
        let rows = try RawRows(db, sql: """
            SELECT id, source_id, respondent_key, submitted FROM responses
            WHERE period = ? AND source_id IN (\(marks)) AND respondent_key IS NOT NULL ORDER BY id
            """, arguments: [period.description] + sources)
        while try rows.step() {
            // Rows come in id order: on equal times the later row wins.
            duplicates.add(id: rows.int64(0), source: String(decoding: rows.text(1), as: UTF8.self),
                           respondentKey: String(decoding: rows.text(2), as: UTF8.self), submitted: rows.isNull(3) ? nil : rows.int64(3))
        }
        return duplicates.finish(into: &notes)
    }

    /// `source_id IN (marks)` with its arguments (an empty list matches no source).
    static func sourceFilter(_ sourceIds: [String]) -> (marks: String, arguments: StatementArguments) {
        (Array(repeating: "?", count: max(sourceIds.count, 1)).joined(separator: ","), StatementArguments(sourceIds.isEmpty ? [""] : sourceIds))
    }

    /// Every idea of the sources, in the order written, onto `organization`'s units; and how many name no unit.
    static func loadIdeas(_ db: Database, sourceIds: [String], organization: Organization) throws -> (IdeaTable, unresolved: Int) {
        let (marks, sources) = Self.sourceFilter(sourceIds)
        var units = UnitLookup(organization: organization)
        var unresolved = 0
        var ideas = IdeaTable()
        // Blocks hold up to IdeaBlock.capacity ideas: reserve for full blocks (at most one block per source is partial).
        let blockCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM idea_blocks WHERE source_id IN (\(marks))", arguments: sources) ?? 0
        ideas.reserveCapacity(blockCount * IdeaBlock.capacity)
        var submitters: [String: Int32] = [:]
        // The blocks' ids first (from the index), then each block by id in that order: filtering on `source_id` directly
        // read the blocks through the index and sorted them, texts and all, back into id order.
        let blocks = try RawRows(db, sql: """
            SELECT rows FROM idea_blocks WHERE id IN (SELECT id FROM idea_blocks WHERE source_id IN (\(marks))) ORDER BY id
            """, arguments: sources)
        while try blocks.step() {
            try IdeaBlock.decode(blocks.text(0)) { r in
                let unit = r.teamIdEscaped ? organization.index(of: IdeaBlock.unescape(r.teamId)) : units.index(r.teamId)
                guard let unit else { unresolved += 1; return }
                var submitter: Int32 = -1
                if let keyBytes = r.submitterKey {
                    let key = r.submitterKeyEscaped ? IdeaBlock.unescape(keyBytes) : String(decoding: keyBytes, as: UTF8.self)
                    if let known = submitters[key] { submitter = known } else {
                        submitter = Int32(submitters.count)
                        submitters[key] = submitter
                    }
                }
                ideas.append(unit: Int32(unit), submitted: Day(ordinal: r.submitted), implemented: r.implemented.map(Day.init(ordinal:)),
                             rejected: r.rejected.map(Day.init(ordinal:)), submitter: submitter)
            }
        }
        return (ideas, unresolved)
    }

}

/// A statement stepped through the SQLite C API; column accessors are valid until the next `step`.
final class RawRows {
    private let statement: Statement
    private let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String, arguments: StatementArguments) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
    }

    /// Advances to the next row; false at the end.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's text as UTF-8 bytes (empty for NULL).
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let pointer = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    deinit { sqlite3_reset(handle) }
}
