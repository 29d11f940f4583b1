import Crypto
import Foundation
import GRDB
import LeanPulseCore

/// Writes one run's imports inside the store's transaction. Prepared statements are made once and reused.
public final class ImportWriter: HistoryImportWriter {
    private let db: Database
    private let insertResponse: BoundInsert
    private let findResponse: Statement
    private let replaceResponse: Statement
    private let insertIdeaBlock: BoundInsert
    /// Ideas not yet written: they go to the store a block at a time (`IdeaBlock`).
    /// (Exclusivity unchecked: only this writer's own methods touch it, one at a time, and the dynamic check per idea
    /// was 4% of an ideas import's writer.)
    @exclusivity(unchecked) private var ideaBlock = IdeaBlock.Encoder()
    private let insertGoal: Statement
    private var current: (id: Int64, source: SourceConfig)?
    /// Duplicates found in the file being written (reset by `finishFile`): their number and a finding for each.
    private var supersededInFile = 0
    private var duplicateFindings: [DataQualityFinding] = []
    /// The file of the responses being inserted (`insert(_: ResponseColumns)`), for a duplicate's finding.
    private var responsesFile = ""
    /// Where the import's earlier responses came from, for a duplicate whose first response is in another file of the
    /// source (a glob): each finished file with the largest response row id at its end (row ids grow, the import being
    /// one transaction), and the rows a later file's response replaced.
    private var filesEndingAtRow: [(lastRow: Int64, file: String)] = []
    private var replacedRowFiles: [Int64: String] = [:]
    /// Reused buffer for a response's answers as JSON text (`answerCount` bytes of it).
    private var answerBytes: [UInt8] = []
    private var answerCount = 0
    /// `ResponseBatch.size` responses in one INSERT: a statement per row cost SQLite a seek from the index's root,
    /// cursors opened and freed, and a statement end per row (docs/DECISIONS.md 30).
    private let insertResponses: BoundInsert
    /// Responses accepted but not yet written (`flushResponses`), all of one import and period.
    private var batch = ResponseBatch()
    /// The stored response of each (period, respondent) of the current import, by a 64-bit hash of the two; a hash
    /// match is confirmed on the stored row, and the (astronomically rare) different pair with the same hash goes to
    /// `respondentRowsExact`. One response per respondent and period is the rule the unique index used to enforce.
    private var respondentRows = RowIdTable()
    private var respondentRowsExact: [RespondentInPeriod: Int64] = [:]

    private struct RespondentInPeriod: Hashable {
        let period: String
        let key: Pseudonym
    }
    /// Periods of the responses stored by the current import.
    private var responsePeriods: Set<String> = []
    /// The last period's stored text in this import (`periodText`): made once, not per response.
    private var lastPeriod: (importId: Int64, period: Period, text: String, hash: UInt64)?

    init(db: Database) throws {
        self.db = db
        // A second response of a respondent is found through `respondentRows` (not a unique index: see DECISIONS 22).
        insertResponse = try BoundInsert(db, sql: """
            INSERT INTO responses (import_id, source_id, period, team_id, respondent_key, submitted, answers, comment, source_line)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertResponses = try BoundInsert(db, sql: ResponseBatch.insertSQL)
        findResponse = try db.makeStatement(sql: "SELECT period, respondent_key, submitted, source_line FROM responses WHERE id = ?")
        replaceResponse = try db.makeStatement(sql: """
            UPDATE responses SET team_id = ?, submitted = ?, answers = ?, comment = ?, source_line = ? WHERE id = ?
            """)
        insertIdeaBlock = try BoundInsert(db, sql: "INSERT INTO idea_blocks (import_id, source_id, ideas, rows) VALUES (?, ?, ?, ?)")
        insertGoal = try db.makeStatement(sql: """
            INSERT INTO goals (import_id, source_id, goal_id, team_id, period, target, actual, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Starts an import of `source` whose inputs hash to `sha256`, made by the pipeline file whose `pipeline:` id is
    /// `pipeline`; answers will be stored in `instrument`'s item order, with each item's scoring (docs/STORE.md).
    public func beginImport(source: SourceConfig, pipeline: String, sha256: String, instrument: Instrument,
                            importedAt: String) throws {
        try db.execute(sql: """
            INSERT INTO imports (source_id, kind, content_sha256, imported_at, rows_read, rows_accepted, rows_rejected,
                                 rows_superseded, pipeline)
            VALUES (?, ?, ?, ?, 0, 0, 0, 0, ?)
            """, arguments: [source.id, source.kind.rawValue, sha256, importedAt, pipeline])
        let id = db.lastInsertedRowID
        current = (id, source)
        respondentRows.removeAll()
        respondentRowsExact.removeAll()
        filesEndingAtRow.removeAll()
        replacedRowFiles.removeAll()
        responsePeriods.removeAll()
        lastPeriod = nil
        batch.removeAll()
        if source.kind == .survey {
            let statement = try db.makeStatement(sql: """
                INSERT INTO import_items (import_id, position, item_id, text_sha256, factor_id, scale_min, scale_max, reverse,
                                          favorable, unfavorable)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let factors = instrument.firstFactorOfItem
            func json(_ values: Set<Int>) -> String { "[" + values.sorted().map(String.init).joined(separator: ",") + "]" }
            for (position, item) in instrument.items.enumerated() {
                let hash = SHA256.hash(data: Array(item.text.utf8)).hexText
                try statement.execute(arguments: [id, position, item.id, hash, factors[position]?.id, item.scale.min,
                                                  item.scale.max, item.reverse ? 1 : 0, json(item.scale.favorable),
                                                  json(item.scale.unfavorable)])
            }
        }
    }

    /// Stores a response; a second response of the same respondent in the same period keeps the later one
    /// (by submission time, then by file order) and counts the other as superseded.
    ///
    /// A response waits in the batch unless its respondent already has one in this import and period (stored or
    /// waiting): that one goes through `insertOne` after the batch is written, so that the earlier response is in the
    /// store when it is looked up.
    public func insert(_ response: SurveyResponse) throws {
        let one = ResponseColumns(itemCount: response.answers.count, capacity: 1)
        one.append(response)
        try insert(one)
    }

    /// Stores a batch of responses, each as `insert(_:)` does.
    public func insert(_ responses: ResponseColumns) throws {
        guard current != nil else { return }
        responsesFile = responses.file
        for index in 0 ..< responses.count { try insert(responses.row(index)) }
    }

    private func insert(_ response: ResponseColumns.Row) throws {
        if let waiting = batch.period, waiting != response.period { try flushResponses() }
        let (period, periodHash) = periodText(response.period)
        let hash = response.respondentKey.map { Self.respondentHash(periodHash: periodHash, key: $0) }
        let storedBefore = hash.map { respondentRows[$0] != nil } ?? false
        if storedBefore || !batch.add(response, hash: hash) {
            try flushResponses()
            return try insertOne(response, period: period, hash: hash)
        }
        if batch.count == ResponseBatch.size { try flushResponses() }
    }

    /// The stored text of `period` and its part of the respondent hash, made once per import and period.
    private func periodText(_ period: Period) -> (text: String, hash: UInt64) {
        guard let importId = current?.id else { return (period.description, Self.periodHash(period.description)) }
        if let bound = lastPeriod, bound.importId == importId, bound.period == period { return (bound.text, bound.hash) }
        let text = period.description
        responsePeriods.insert(text)
        lastPeriod = (importId, period, text, Self.periodHash(text))
        return (text, lastPeriod!.hash)
    }

    /// Writes the waiting responses: one INSERT of `ResponseBatch.size` rows (a full batch), or a row at a time.
    private func flushResponses() throws {
        guard batch.count > 0, let (importId, source) = current, let period = batch.period else { return }
        defer { batch.removeAll() }
        let text = periodText(period).text
        if batch.count == ResponseBatch.size {
            let s = insertResponses
            Self.bindImport(importId, source: source, period: text, to: s)
            batch.bind(to: s)
            let inserted = try s.execute()
            precondition(inserted == ResponseBatch.size, "a batch of responses inserted \(inserted) rows")
            // A rowid table gives each new row one more than the largest rowid (no row is inserted concurrently: the
            // import is one transaction), so the batch's rows have the last row's id and the ones before it.
            let first = db.lastInsertedRowID - Int64(ResponseBatch.size) + 1
            for (offset, hash) in batch.hashes.enumerated() {
                if let hash { respondentRows[hash] = first + Int64(offset) }
            }
        } else {
            let s = insertResponse
            Self.bindImport(importId, source: source, period: text, to: s)
            for row in 0 ..< batch.count {
                batch.bind(row, to: s)
                try s.execute()
                if let hash = batch.hashes[row] { respondentRows[hash] = db.lastInsertedRowID }
            }
        }
    }

    /// Parameters 1-3 of both response inserts: the import, its source and the period's text.
    private static func bindImport(_ importId: Int64, source: SourceConfig, period: String, to statement: BoundInsert) {
        statement.bind(1, importId)
        statement.bind(2, source.id)
        statement.bind(3, period)
    }

    /// Stores one response with the single-row statement, looking up an earlier response of its respondent
    /// (`hash`: `respondentHash` of the period and its key, nil without a key).
    private func insertOne(_ response: ResponseColumns.Row, period: String, hash: UInt64?) throws {
        guard let (importId, source) = current else { return }
        let s = insertResponse
        Self.bindImport(importId, source: source, period: period, to: s)
        answerCount = AnswersText.encode(response.answers, into: &answerBytes)
        answerBytes.withUnsafeBufferPointer {
            ResponseBatch.bindColumns(teamId: response.teamId, key: response.respondentKey, submitted: response.submitted,
                                      answers: UnsafeBufferPointer(rebasing: $0[..<answerCount]), comment: response.comment,
                                      line: response.line, to: s, first: 4)
        }
        guard let key = response.respondentKey, let hash else {
            try s.execute()
            return
        }
        var earlierRow: (id: Int64, submitted: Int64?, line: Int)?
        var collided = false
        if let id = respondentRows[hash] {
            findResponse.setUncheckedArguments([id])
            if let row = try Row.fetchOne(findResponse), row[0] as String == period, row[1] as String? == key.hex {
                earlierRow = (id, row[2], row[3])
            } else {
                collided = true
                if let exact = respondentRowsExact[RespondentInPeriod(period: period, key: key)] {
                    findResponse.setUncheckedArguments([exact])
                    earlierRow = try Row.fetchOne(findResponse).map { (exact, $0[2], $0[3]) }
                }
            }
        }
        guard let earlier = earlierRow else {
            try s.execute()
            if collided {
                respondentRowsExact[RespondentInPeriod(period: period, key: key)] = db.lastInsertedRowID
            } else {
                respondentRows[hash] = db.lastInsertedRowID
            }
            return
        }
        // The respondent already has a response in this period: keep the later one, and say so where the second one is
        // (a record that is not used never disappears: DESIGN.md).
        supersededInFile += 1
        let replaces = ResponseDuplicates.replaces(response.submitted, over: earlier.submitted)
        let earlierFile = file(ofRow: earlier.id)
        let place = "line \(earlier.line)" + (earlierFile == responsesFile ? "" : " of \(earlierFile)")
        duplicateFindings.append(ResponseDuplicates.finding(
            source: source.id, at: SourceLocation(file: responsesFile, line: response.line, column: response.column),
            period: period, place: place, replaces: replaces))
        if replaces {
            replacedRowFiles[earlier.id] = responsesFile
            try replaceResponse.execute(arguments: [String(decoding: response.teamId, as: UTF8.self), response.submitted,
                                                    String(decoding: answerBytes[..<answerCount], as: UTF8.self),
                                                    response.comment.map { String(decoding: $0, as: UTF8.self) }, response.line, earlier.id])
        }
    }

    /// The file the stored response `row` of this import came from.
    private func file(ofRow row: Int64) -> String {
        if let replaced = replacedRowFiles[row] { return replaced }
        return filesEndingAtRow.first { row <= $0.lastRow }?.file ?? responsesFile
    }

    /// The respondent hash is FNV-1a over the period, a separator and the respondent key's four words. Its first part,
    /// over the period and the separator, is made once per period, not per response.
    static func periodHash(_ period: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in period.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return (hash ^ 0x1F) &* 0x100_0000_01b3
    }

    /// The respondent hash of `key` in the period whose `periodHash` is given.
    static func respondentHash(periodHash: UInt64, key: Pseudonym) -> UInt64 {
        var hash = periodHash
        hash = (hash ^ key.w0) &* 0x100_0000_01b3
        hash = (hash ^ key.w1) &* 0x100_0000_01b3
        hash = (hash ^ key.w2) &* 0x100_0000_01b3
        hash = (hash ^ key.w3) &* 0x100_0000_01b3
        return hash
    }

    /// Buffers a batch of ideas, writing a block whenever `IdeaBlock.capacity` are waiting.
    public func insert(_ ideas: IdeaColumns) throws {
        guard current != nil else { return }
        for index in 0..<ideas.count {
            let row = ideas.row(index)
            try IdeaBlock.check(row)
            ideaBlock.append(row)
            if ideaBlock.count >= IdeaBlock.capacity { try flushIdeas() }
        }
    }

    /// Stores an idea (buffered: written with its block, at the latest by `finishFile` or `finishImport`).
    public func insert(_ idea: Idea) throws {
        let one = IdeaColumns(capacity: 1)
        one.append(idea)
        try insert(one)
    }

    /// Writes the buffered ideas as one row of `idea_blocks`.
    private func flushIdeas() throws {
        guard ideaBlock.count > 0, let (importId, source) = current else { return }
        let s = insertIdeaBlock
        s.bind(1, importId)
        s.bind(2, source.id)
        s.bind(3, ideaBlock.count)
        let text = ideaBlock.finish()
        text.withUnsafeBufferPointer { s.bindText(4, $0) }
        ideaBlock.reset()
        try s.execute()
    }

    public func insert(_ goal: Goal) throws {
        guard let (importId, source) = current else { return }
        try insertGoal.execute(arguments: [importId, source.id, goal.id, goal.teamId, goal.period.description,
                                           goal.target, goal.actual, goal.score])
    }

    /// Closes one file of the import: its counts (the responses it supersedes moved out of accepted, added to those the
    /// caller counted: a goal's earlier check-ins) and findings.
    /// Returns the counts as recorded.
    /// The responses that a later one of the same respondent replaced, or that lost to an earlier one, are added to
    /// `findings` (`duplicate-response`, at the second response of the pair).
    public func finishFile(_ counts: ImportCounts, bytes: Int64, findings: inout [DataQualityFinding]) throws -> ImportCounts {
        guard let (importId, source) = current else { return counts }
        try flushIdeas()
        try flushResponses()
        if source.kind == .survey {
            filesEndingAtRow.append((try Int64.fetchOne(db, sql: "SELECT max(id) FROM responses") ?? 0, counts.file))
        }
        findings += duplicateFindings
        duplicateFindings.removeAll()
        var counts = counts
        counts.superseded += supersededInFile
        counts.accepted -= supersededInFile
        supersededInFile = 0
        try db.execute(sql: """
            INSERT INTO import_files (import_id, path, sha256, bytes, rows_read, rows_accepted, rows_rejected, rows_superseded)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [importId, counts.file, counts.sha256, bytes, counts.read, counts.accepted, counts.rejected, counts.superseded])
        try db.execute(sql: """
            UPDATE imports SET rows_read = rows_read + ?, rows_accepted = rows_accepted + ?, rows_rejected = rows_rejected + ?,
                rows_superseded = rows_superseded + ? WHERE id = ?
            """, arguments: [counts.read, counts.accepted, counts.rejected, counts.superseded, importId])
        let statement = try db.makeStatement(sql: """
            INSERT INTO findings (import_id, source_id, file, line, "column", severity, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for f in findings {
            try statement.execute(arguments: [importId, f.source, f.location.file, f.location.line, f.location.column,
                                              f.severity.rawValue, f.code, f.message])
        }
        return counts
    }

    /// Ends the import: its rows replace what earlier imports of the same source held for the same
    /// periods (surveys, goals) or for the whole source (an ideas log is a full snapshot). The periods are those the
    /// import holds rows for, and `alsoReplacing`: periods the import speaks for without a row there (its source's
    /// `period:`, periods named by rejected records), so that a corrected export whose records were all rejected does
    /// not leave the earlier export's figures in the report.
    /// Returns the import's id.
    @discardableResult
    public func finishImport(alsoReplacing extra: Set<Period> = []) throws -> Int64 {
        guard let (importId, source) = current else { return 0 }
        try flushIdeas()
        try flushResponses()
        let named = Set(extra.map(\.description))
        switch source.kind {
        case .survey:
            // The periods this import holds are known here (no index leads from an import to its responses).
            for period in responsePeriods.union(named).sorted() {
                try db.execute(sql: "DELETE FROM responses WHERE period = ? AND source_id = ? AND import_id <> ?",
                               arguments: [period, source.id, importId])
            }
        case .goals:
            let held = try String.fetchSet(db, sql: "SELECT DISTINCT period FROM goals WHERE import_id = ?", arguments: [importId])
            for period in held.union(named).sorted() {
                try db.execute(sql: "DELETE FROM goals WHERE period = ? AND source_id = ? AND import_id <> ?",
                               arguments: [period, source.id, importId])
            }
        case .ideas:
            try db.execute(sql: "DELETE FROM idea_blocks WHERE source_id = ? AND import_id <> ?", arguments: [source.id, importId])
        }
        current = nil
        respondentRows.removeAll()
        respondentRowsExact = [:]
        return importId
    }
}
