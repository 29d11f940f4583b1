import Crypto
import LeanPulseCore
import PostgresNIO

/// Writes one run's imports into PostgreSQL inside the store's transaction, by the rules of the SQLite `ImportWriter`:
/// one response per respondent and period of an import (the later submission, then the later row, wins, with a
/// `duplicate-response` finding), ideas in blocks of `IdeaBlock.capacity`, and the replacement of earlier imports'
/// rows when the import ends. Rows go in multi-row INSERTs of bound values (never values in the SQL text).
final class PostgresImportWriter: HistoryImportWriter {
    private let session: PostgresSession
    private var current: (id: Int64, source: SourceConfig)?

    /// Responses per INSERT: 10 parameters each, well under the protocol's 65,535.
    static let responsesPerInsert = 1000

    private struct PendingResponse {
        var period: String
        var teamId: String
        var key: String?
        var submitted: Int64?
        var answers: String
        var comment: String?
        var line: Int
    }

    private struct RespondentInPeriod: Hashable {
        let period: String
        let key: Pseudonym
    }

    /// Where the response kept for a respondent and period is: waiting in `pending`, or stored under its id.
    private enum Place {
        case pending(Int)
        case stored(Int64)
    }

    private struct Kept {
        var place: Place
        var submitted: Int64?
        var line: Int
        var file: String
    }

    private var pending: [PendingResponse] = []
    private var pendingKeys: [RespondentInPeriod?] = []
    private var kept: [RespondentInPeriod: Kept] = [:]
    private var responsePeriods: Set<String> = []
    private var responsesFile = ""
    private var supersededInFile = 0
    private var duplicateFindings: [DataQualityFinding] = []
    private var answerBytes: [UInt8] = []
    private var ideaBlock = IdeaBlock.Encoder()

    init(session: PostgresSession) {
        self.session = session
    }

    func beginImport(source: SourceConfig, pipeline: String, sha256: String, instrument: Instrument, importedAt: String) throws {
        var binds = PostgresBindings()
        binds.append(source.id)
        binds.append(source.kind.rawValue)
        binds.append(sha256)
        binds.append(importedAt)
        binds.append(pipeline)
        let id = try session.query("""
            INSERT INTO imports (source_id, kind, content_sha256, imported_at, rows_read, rows_accepted, rows_rejected,
                                 rows_superseded, pipeline)
            VALUES ($1, $2, $3, $4, 0, 0, 0, 0, $5) RETURNING id
            """, binds).first?.decode(Int64.self) ?? 0
        current = (id, source)
        pending.removeAll()
        pendingKeys.removeAll()
        kept.removeAll()
        responsePeriods.removeAll()
        ideaBlock.reset()
        guard source.kind == .survey, !instrument.items.isEmpty else { return }
        let factors = instrument.firstFactorOfItem
        func json(_ values: Set<Int>) -> String { "[" + values.sorted().map(String.init).joined(separator: ",") + "]" }
        var items = PostgresBindings(capacity: 10 * instrument.items.count)
        for (position, item) in instrument.items.enumerated() {
            items.append(id)
            items.append(position)
            items.append(item.id)
            items.append(SHA256.hash(data: Array(item.text.utf8)).hexText)
            items.append(factors[position]?.id)
            items.append(item.scale.min)
            items.append(item.scale.max)
            items.append(item.reverse ? 1 : 0)
            items.append(json(item.scale.favorable))
            items.append(json(item.scale.unfavorable))
        }
        try session.query("""
            INSERT INTO import_items (import_id, position, item_id, text_sha256, factor_id, scale_min, scale_max, reverse,
                                      favorable, unfavorable) VALUES
            """ + PostgresStore.placeholders(rows: instrument.items.count, columns: 10, casts: [8: "jsonb", 9: "jsonb"]), items)
    }

    func insert(_ responses: ResponseColumns) throws {
        guard current != nil else { return }
        responsesFile = responses.file
        for index in 0..<responses.count { try insert(responses.row(index)) }
    }

    private func insert(_ response: ResponseColumns.Row) throws {
        guard let (_, source) = current else { return }
        let period = response.period.description
        responsePeriods.insert(period)
        let count = AnswersText.encode(response.answers, into: &answerBytes)
        let row = PendingResponse(period: period, teamId: String(decoding: response.teamId, as: UTF8.self), key: response.respondentKey?.hex,
                                  submitted: response.submitted, answers: String(decoding: answerBytes[..<count], as: UTF8.self),
                                  comment: response.comment.map { String(decoding: $0, as: UTF8.self) }, line: response.line)
        guard let key = response.respondentKey.map({ RespondentInPeriod(period: period, key: $0) }) else {
            return try add(row, key: nil)
        }
        guard let earlier = kept[key] else { return try add(row, key: key) }
        // The respondent already has a response in this period: keep the later one, and say so where the second one is.
        supersededInFile += 1
        let replaces = ResponseDuplicates.replaces(response.submitted, over: earlier.submitted)
        let place = "line \(earlier.line)" + (earlier.file == responsesFile ? "" : " of \(earlier.file)")
        duplicateFindings.append(ResponseDuplicates.finding(
            source: source.id, at: SourceLocation(file: responsesFile, line: response.line, column: response.column),
            period: period, place: place, replaces: replaces))
        guard replaces else { return }
        kept[key] = Kept(place: earlier.place, submitted: row.submitted, line: row.line, file: responsesFile)
        switch earlier.place {
        case .pending(let index):
            // The earlier response keeps its place (its row id, as SQLite's UPDATE keeps the rowid).
            pending[index] = row
        case .stored(let id):
            var binds = PostgresBindings()
            binds.append(row.teamId)
            binds.append(row.submitted)
            binds.append(row.answers)
            binds.append(row.comment)
            binds.append(row.line)
            binds.append(id)
            try session.query("UPDATE responses SET team_id = $1, submitted = $2, answers = $3::jsonb, comment = $4, source_line = $5 WHERE id = $6",
                              binds)
        }
    }

    private func add(_ row: PendingResponse, key: RespondentInPeriod?) throws {
        if let key { kept[key] = Kept(place: .pending(pending.count), submitted: row.submitted, line: row.line, file: responsesFile) }
        pending.append(row)
        pendingKeys.append(key)
        if pending.count >= Self.responsesPerInsert { try flushResponses() }
    }

    /// Writes the waiting responses with ids taken from the table's sequence in advance, so that a later response of the
    /// same respondent can replace its row by id.
    private func flushResponses() throws {
        guard !pending.isEmpty, let (importId, source) = current else { return }
        var count = PostgresBindings()
        count.append(pending.count)
        let ids = try session.query("SELECT nextval(pg_get_serial_sequence('responses', 'id')) FROM generate_series(1, $1)", count)
            .map { try $0.decode(Int64.self) }.sorted()
        var binds = PostgresBindings(capacity: 10 * pending.count)
        for (i, row) in pending.enumerated() {
            binds.append(ids[i])
            binds.append(importId)
            binds.append(source.id)
            binds.append(row.period)
            binds.append(row.teamId)
            binds.append(row.key)
            binds.append(row.submitted)
            binds.append(row.answers)
            binds.append(row.comment)
            binds.append(row.line)
        }
        try session.query("""
            INSERT INTO responses (id, import_id, source_id, period, team_id, respondent_key, submitted, answers, comment, source_line)
            OVERRIDING SYSTEM VALUE VALUES
            """ + PostgresStore.placeholders(rows: pending.count, columns: 10, casts: [7: "jsonb"]), binds)
        for (i, key) in pendingKeys.enumerated() {
            if let key { kept[key]?.place = .stored(ids[i]) }
        }
        pending.removeAll(keepingCapacity: true)
        pendingKeys.removeAll(keepingCapacity: true)
    }

    func insert(_ ideas: IdeaColumns) throws {
        guard current != nil else { return }
        for index in 0..<ideas.count {
            let row = ideas.row(index)
            try IdeaBlock.check(row)
            ideaBlock.append(row)
            if ideaBlock.count >= IdeaBlock.capacity { try flushIdeas() }
        }
    }

    private func flushIdeas() throws {
        guard ideaBlock.count > 0, let (importId, source) = current else { return }
        var binds = PostgresBindings()
        binds.append(importId)
        binds.append(source.id)
        binds.append(ideaBlock.count)
        binds.append(String(decoding: ideaBlock.finish(), as: UTF8.self))
        ideaBlock.reset()
        try session.query("INSERT INTO idea_blocks (import_id, source_id, ideas, rows) VALUES ($1, $2, $3, $4::jsonb)", binds)
    }

    func insert(_ goal: Goal) throws {
        guard let (importId, source) = current else { return }
        var binds = PostgresBindings()
        binds.append(importId)
        binds.append(source.id)
        binds.append(goal.id)
        binds.append(goal.teamId)
        binds.append(goal.period.description)
        binds.append(goal.target)
        binds.append(goal.actual)
        binds.append(goal.score)
        try session.query("""
            INSERT INTO goals (import_id, source_id, goal_id, team_id, period, target, actual, score) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, binds)
    }

    func finishFile(_ counts: ImportCounts, bytes: Int64, findings: inout [DataQualityFinding]) throws -> ImportCounts {
        guard let (importId, _) = current else { return counts }
        try flushIdeas()
        try flushResponses()
        findings += duplicateFindings
        duplicateFindings.removeAll()
        var counts = counts
        counts.superseded += supersededInFile
        counts.accepted -= supersededInFile
        supersededInFile = 0
        var file = PostgresBindings()
        file.append(importId)
        file.append(counts.file)
        file.append(counts.sha256)
        file.append(bytes)
        for n in [counts.read, counts.accepted, counts.rejected, counts.superseded] { file.append(n) }
        try session.query("""
            INSERT INTO import_files (import_id, path, sha256, bytes, rows_read, rows_accepted, rows_rejected, rows_superseded)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, file)
        var totals = PostgresBindings()
        for n in [counts.read, counts.accepted, counts.rejected, counts.superseded] { totals.append(n) }
        totals.append(importId)
        try session.query("""
            UPDATE imports SET rows_read = rows_read + $1, rows_accepted = rows_accepted + $2, rows_rejected = rows_rejected + $3,
                rows_superseded = rows_superseded + $4 WHERE id = $5
            """, totals)
        // In rows of 8 parameters, in the order found (their ids keep it).
        for start in stride(from: 0, to: findings.count, by: 1000) {
            let end = min(start + 1000, findings.count)
            var binds = PostgresBindings(capacity: 8 * (end - start))
            for f in findings[start..<end] {
                binds.append(importId)
                binds.append(f.source)
                binds.append(f.location.file)
                binds.append(f.location.line)
                binds.append(f.location.column)
                binds.append(f.severity.rawValue)
                binds.append(f.code)
                binds.append(f.message)
            }
            try session.query("INSERT INTO findings (import_id, source_id, file, line, \"column\", severity, code, message) VALUES "
                              + PostgresStore.placeholders(rows: end - start, columns: 8), binds)
        }
        return counts
    }

    @discardableResult
    func finishImport(alsoReplacing extra: Set<Period>) throws -> Int64 {
        guard let (importId, source) = current else { return 0 }
        try flushIdeas()
        try flushResponses()
        let named = Set(extra.map(\.description))
        func replace(_ table: String, periods: Set<String>) throws {
            for period in periods.sorted() {
                var binds = PostgresBindings()
                binds.append(period)
                binds.append(source.id)
                binds.append(importId)
                try session.query("DELETE FROM \(table) WHERE period = $1 AND source_id = $2 AND import_id <> $3", binds)
            }
        }
        switch source.kind {
        case .survey:
            try replace("responses", periods: responsePeriods.union(named))
        case .goals:
            var binds = PostgresBindings()
            binds.append(importId)
            let held = try session.query("SELECT DISTINCT period FROM goals WHERE import_id = $1", binds).map { try $0.decode(String.self) }
            try replace("goals", periods: Set(held).union(named))
        case .ideas:
            var binds = PostgresBindings()
            binds.append(source.id)
            binds.append(importId)
            try session.query("DELETE FROM idea_blocks WHERE source_id = $1 AND import_id <> $2", binds)
        }
        current = nil
        kept.removeAll()
        return importId
    }
}
