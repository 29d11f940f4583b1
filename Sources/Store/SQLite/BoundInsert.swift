import GRDB
import GRDBSQLite
import LeanPulseCore

/// A prepared statement that is bound and stepped through the SQLite C API, for the import's per-row inserts.
///
/// GRDB's `StatementArguments` box every value in an existential and convert it through dynamic casts;
/// at a million rows that costs more than SQLite's insert itself. Only the hot inserts of `ImportWriter`
/// use this; everything else goes through GRDB. Stepping directly skips GRDB's transaction observation,
/// which is fine inside the import transaction (the store registers no observers).
///
/// Texts are copied into a buffer the insert keeps per parameter and bound from there without SQLite copying
/// them again (`SQLITE_STATIC`): SQLite's own copy cost an allocation and a free per text and row, each behind
/// its memory-statistics mutex.
final class BoundInsert {
    private let statement: Statement
    private let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }
    /// Parameter i's text, bound in place (index 0 unused); valid until the parameter is bound again.
    private var texts: [UnsafeMutableRawBufferPointer]

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
        let count = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
        texts = Array(repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: count + 1)
    }

    deinit {
        // SQLite keeps the pointers until the parameters are bound again or the statement is finalized.
        sqlite3_clear_bindings(handle)
        for text in texts { text.deallocate() }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        check(value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index), index)
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { return check(sqlite3_bind_null(handle, index), index) }
        value.withUTF8 { bindText(index, $0) }
    }

    /// Binds a pseudonym as its 64 hex digits (the stored form), written on the stack.
    func bind(_ index: Int32, _ key: Pseudonym?) {
        guard let key else { return check(sqlite3_bind_null(handle, index), index) }
        key.withHexDigits { bindText(index, $0) }
    }

    /// Binds UTF-8 bytes as TEXT (nil: NULL).
    func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else { return check(sqlite3_bind_null(handle, index), index) }
        bindText(index, bytes)
    }

    /// Binds UTF-8 bytes as TEXT, copied into the parameter's buffer.
    func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        let slot = Int(index)
        precondition(slot > 0 && slot < texts.count, "no parameter \(index) in \(statement.sql)")
        if texts[slot].count < bytes.count {
            // SQLite may still point at the old buffer, but reads it only in a step, and this parameter is bound
            // again (below) before the next one.
            texts[slot].deallocate()
            texts[slot] = .allocate(byteCount: max(bytes.count, 64), alignment: 8)
        }
        let buffer = texts[slot]
        guard let target = buffer.baseAddress else {
            // No buffer yet and an empty text: a nil pointer would bind NULL, not ''.
            return check(sqlite3_bind_text(handle, index, "", 0, Self.transient), index)
        }
        if let source = bytes.baseAddress { target.copyMemory(from: source, byteCount: bytes.count) }
        check(sqlite3_bind_text(handle, index, target.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil), index)  // nil: SQLITE_STATIC
    }

    /// Runs the statement once with the values bound; returns the number of rows it inserted or changed.
    @discardableResult
    func execute() throws -> Int {
        let code = sqlite3_step(handle)
        if code != SQLITE_DONE {
            let error = DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            sqlite3_reset(handle)
            throw error
        }
        sqlite3_reset(handle)
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// Binding fails only for a wrong index or a value over SQLite's size limit: a programming error, as in GRDB.
    private func check(_ code: Int32, _ index: Int32) {
        precondition(code == SQLITE_OK, "cannot bind parameter \(index) of \(statement.sql): \(db.lastErrorMessage ?? "\(code)")")
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind call returns.
    nonisolated(unsafe) private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
