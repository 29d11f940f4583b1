import GRDB
import GRDBSQLite
import LeanPulseCore

/// A prepared statement that is bound and stepped through the SQLite C API, for the import's per-row inserts.
///
/// GRDB's `StatementArguments` box every value in an existential and convert it through dynamic casts;
/// at a million rows that costs more than SQLite's insert itself. Only the hot inserts of `ImportWriter`
/// use this; everything else goes through GRDB. Stepping directly skips GRDB's transaction observation,
/// which is fine inside the import transaction (the store registers no observers).
struct BoundInsert {
    private let statement: Statement
    private let db: Database
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
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

    /// Binds UTF-8 bytes as TEXT (SQLite copies them).
    func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        let code = bytes.withMemoryRebound(to: CChar.self) { chars in
            guard let base = chars.baseAddress else {
                // An empty buffer may have no address, and a nil pointer would bind NULL, not ''.
                return sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
            return sqlite3_bind_text(handle, index, base, Int32(chars.count), Self.transient)
        }
        check(code, index)
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
