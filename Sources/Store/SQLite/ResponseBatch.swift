import LeanPulseCore

/// Survey responses of one import and period that `ImportWriter` inserts together: `size` rows in one INSERT.
///
/// Only responses whose respondent has no other response in the store or in the batch wait here, so writing the
/// batch needs no lookup; their row ids are known from the last one (docs/DECISIONS.md 30).
struct ResponseBatch {
    /// Rows per INSERT. Callgrind, 100k survey import: 16 rows 1.53 G instructions, 64 rows 1.36 G, 256 rows 1.30 G (one
    /// at a time: 1.84 G); rows waiting when a batch is cut short (a repeated respondent, the end) go one at a time.
    static let size = 64

    /// The multi-row INSERT: parameters 1-3 (import, source, period) are shared, then six per row (team, respondent
    /// key, submitted, answers, comment, line).
    static let insertSQL: String = {
        let rows = (0 ..< size).map { row in
            let first = 4 + 6 * row
            return "(?1, ?2, ?3, " + (first ..< first + 6).map { "?\($0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO responses (import_id, source_id, period, team_id, respondent_key, submitted, answers, comment, source_line) VALUES "
            + rows.joined(separator: ", ")
    }()

    private struct Row {
        /// The team id's, answers' JSON and comment's bytes in `text`.
        var teamId: Range<Int>
        var key: Pseudonym?
        var submitted: Int64?
        var answers: Range<Int>
        var comment: Range<Int>?
        var line: Int
    }

    /// The period of the waiting responses, nil when none waits.
    private(set) var period: Period?
    /// Each waiting response's respondent hash (`ImportWriter.respondentHash`), in order; nil for a response without
    /// a respondent key.
    private(set) var hashes: [UInt64?] = []
    private var rows: [Row] = []
    /// The waiting rows' texts, back to back.
    private var text: [UInt8] = []
    private var scratch: [UInt8] = []

    var count: Int { rows.count }

    /// Adds `response` with its respondent hash (nil without a respondent key); false, and nothing added, when a
    /// response with the same hash is already waiting.
    mutating func add(_ response: ResponseColumns.Row, hash: UInt64?) -> Bool {
        // At most `size` wait: a scan of their hashes is cheaper than hashing into a Set.
        if let hash, hashes.contains(hash) { return false }
        period = response.period
        let length = AnswersText.encode(response.answers, into: &scratch)
        let teamId = append(response.teamId)
        let answers = scratch.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[..<length])) }
        let comment = response.comment.map { append($0) }
        rows.append(Row(teamId: teamId, key: response.respondentKey, submitted: response.submitted, answers: answers, comment: comment,
                        line: response.line))
        hashes.append(hash)
        return true
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = text.count
        text.append(contentsOf: bytes)
        return start ..< text.count
    }

    /// Binds every row to the multi-row statement (`insertSQL`; the batch is full).
    func bind(to statement: BoundInsert) {
        precondition(rows.count == Self.size)
        for row in rows.indices { bind(row, to: statement, first: Int32(4 + 6 * row)) }
    }

    /// Binds row `row` as parameters 4-9 of the single-row statement.
    func bind(_ row: Int, to statement: BoundInsert) { bind(row, to: statement, first: 4) }

    private func bind(_ index: Int, to statement: BoundInsert, first: Int32) {
        let row = rows[index]
        text.withUnsafeBufferPointer { text in
            Self.bindColumns(teamId: UnsafeBufferPointer(rebasing: text[row.teamId]), key: row.key, submitted: row.submitted,
                             answers: UnsafeBufferPointer(rebasing: text[row.answers]),
                             comment: row.comment.map { UnsafeBufferPointer(rebasing: text[$0]) }, line: row.line, to: statement, first: first)
        }
    }

    /// Binds a response's own six columns (team, respondent key, submitted, answers as JSON text, comment, line) as
    /// parameters `first`... : the order of `insertSQL`'s rows and of `ImportWriter`'s single-row statement.
    static func bindColumns(teamId: UnsafeBufferPointer<UInt8>, key: Pseudonym?, submitted: Int64?, answers: UnsafeBufferPointer<UInt8>,
                            comment: UnsafeBufferPointer<UInt8>?, line: Int, to statement: BoundInsert, first: Int32) {
        statement.bindText(first, teamId)
        statement.bind(first + 1, key)
        statement.bind(first + 2, submitted)
        statement.bindText(first + 3, answers)
        statement.bindText(first + 4, comment)
        statement.bind(first + 5, line)
    }

    mutating func removeAll() {
        period = nil
        hashes.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }
}
