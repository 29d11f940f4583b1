import Foundation
import GRDB
import LeanPulseCore

/// The SQLite history of every period: one `DatabaseQueue`, migrated on open. All writes of a run
/// happen in one transaction (`importTransaction`), so a broken file leaves the store as it was.
public final class LeanPulseStore {
    public let path: String
    let queue: DatabaseQueue
    private let checkpointer = Checkpointer()

    deinit { waitForCheckpoint() }

    /// Waits until the background checkpoint of the last import (if any) has ended.
    func waitForCheckpoint() { checkpointer.wait() }

    /// The page size of a new store, in bytes.
    static let pageSize = 16384

    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "leanpulse-store"
        // The background checkpoint's connection (`Checkpointer`) can hold the WAL index for a moment while it opens: a
        // read of this connection then waits instead of failing at once with "database is locked" (seen once in
        // session 16's audit re-run). Other processes are kept out by the store's lock file, so no wait is long.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // 16 KiB pages for a new store (SQLite fixes the size when it creates the file; an existing store keeps
            // its own): the store is written in bulk and read in scans, and with 4 KiB pages a 1M-employee import
            // spent a third more time in the b-trees and the kernel (DECISIONS 29).
            // No automatic checkpoint at commit: `importTransaction` checkpoints on a second connection in the
            // background (see `Checkpointer`), and SQLite checkpoints what is left when the connection closes.
            try db.execute(sql: """
                PRAGMA page_size = \(Self.pageSize);
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;
                """)
        }
        do {
            let directory = PathResolver.directory(of: path)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            // A store a newer LeanPulse migrated has a schema this version does not know: refused, not written to.
            let migrator = StoreSchema.migrator
            let unknown = try queue.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
            guard unknown.isEmpty else {
                throw StoreError("the store was written by a newer LeanPulse (schema \(unknown.sorted().joined(separator: ", ")), unknown "
                                 + "to this version): run that version, or give this one another store", path: path)
            }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot open the store: \(Self.describe(error))", path: path)
        }
    }

    /// Closes the connection (after the background checkpoint, if any); the store must not be used afterwards.
    public func close() throws(StoreError) {
        waitForCheckpoint()
        do { try queue.close() } catch { throw StoreError("cannot close the store: \(Self.describe(error))", path: path) }
    }

    /// Deletes the store at `path` with its write-ahead log and shared-memory index: for a store that the failing run
    /// itself created, so that a first run which fails leaves no empty store behind. Closed stores only.
    public static func removeFiles(at path: String) {
        for file in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
    }

    /// The pipelines (their `pipeline:` ids) other than `pipeline` whose imports of `sourceId` the store holds.
    public func otherPipelines(importing sourceId: String, than pipeline: String) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT pipeline FROM imports WHERE source_id = ? AND pipeline IS NOT NULL AND pipeline <> ? ORDER BY pipeline
                """, arguments: [sourceId, pipeline])
        }
    }

    /// The most recent import of `sourceId`, if any.
    public func latestImport(sourceId: String) throws(StoreError) -> StoredImport? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, content_sha256 FROM imports WHERE source_id = ? ORDER BY id DESC LIMIT 1",
                             arguments: [sourceId])
                .map { StoredImport(id: $0[0], sourceId: sourceId, sha256: $0[1]) }
        }
    }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    public func importTransaction<T>(_ body: (ImportWriter) throws -> T) throws -> T {
        try queue.inDatabase { db in
            // Bulk settings for the import only (durability of the commit is unchanged: WAL, synchronous=NORMAL).
            // The unique index on respondent pseudonyms is filled in random order; with SQLite's default 2 MiB
            // page cache every insert re-reads index pages once it outgrows the cache (survey ingest at 1M
            // employees went from linear to 3x slower per row). The cache grows only as pages are used.
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = DEFAULT") }
            var result: T?
            var began = false
            do {
                try db.inTransaction {
                    began = true
                    let writer = try ImportWriter(db: db)
                    result = try body(writer)
                    return .commit
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && !began {
                // Another program holds a write transaction (the lock file keeps other runs out): say so, not only
                // SQLite's "database is locked - while executing BEGIN IMMEDIATE TRANSACTION" (session 18's audit).
                throw StoreError("the store is locked by another program (an analyst's sqlite3 session or a backup holding a write "
                                 + "transaction); the run waited 10 s and changed nothing", path: path)
            }
            checkpointer.start(path: path)
            return result!
        }
    }

    /// Every import, oldest first: (id, source, content hash).
    public func importSummary() throws(StoreError) -> [StoredImport] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, source_id, content_sha256 FROM imports ORDER BY id")
                .map { StoredImport(id: $0[0], sourceId: $0[1], sha256: $0[2]) }
        }
    }

    /// Per-file counts of an import, for the data page and the manifest.
    public func importCounts(importId: Int64, sourceId: String) throws(StoreError) -> [ImportCounts] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, sha256, rows_read, rows_accepted, rows_rejected, rows_superseded
                FROM import_files WHERE import_id = ? ORDER BY path
                """, arguments: [importId]).map {
                ImportCounts(source: sourceId, file: $0[0], sha256: $0[1], read: $0[2], accepted: $0[3], rejected: $0[4],
                             superseded: $0[5])
            }
        }
    }

    /// The findings recorded with an import.
    public func findings(importId: Int64) throws(StoreError) -> [DataQualityFinding] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT source_id, file, line, "column", severity, code, message FROM findings WHERE import_id = ? ORDER BY rowid
                """, arguments: [importId]).map {
                DataQualityFinding(source: $0[0], location: SourceLocation(file: $0[1], line: $0[2], column: $0[3]),
                                   severity: Severity(rawValue: $0[4]) ?? .error, code: $0[5], message: $0[6])
            }
        }
    }

    /// Records the organisation as it is for `period` (replacing an earlier snapshot of that period).
    /// `respondents`: each unit's (its subtree's) respondents as the period's report counted them, in `units`' order
    /// (nil: not known).
    /// `hiddenFigures`: the figures the report withheld in each unit it showed, in `units`' order (factor ids and
    /// `StoredPeriod.enpsFigure`; nil: not known).
    public func saveOrganization(_ units: [OrgUnit], period: Period, respondents: [Int?]? = nil,
                                 hiddenFigures: [[String]?]? = nil) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM org_units WHERE period = ?", arguments: [period.description])
            let statement = try db.makeStatement(sql: """
                INSERT INTO org_units (period, team_id, parent_id, name, headcount, respondents, hidden_figures)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (i, unit) in units.enumerated() {
                let hidden = hiddenFigures.flatMap { i < $0.count ? $0[i] : nil }
                try statement.execute(arguments: [period.description, unit.id, unit.parentId, unit.name, unit.headcount,
                                                  respondents.flatMap { i < $0.count ? $0[i] : nil },
                                                  hidden?.joined(separator: ",")])
            }
        }
    }

    /// Whether `saveOrganization` recorded `period`: one indexed probe, where `reportedOrganization` loads every unit.
    public func hasReportedOrganization(period: Period) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM org_units WHERE period = ?)", arguments: [period.description]) ?? false }
    }

    /// The organisation recorded for `period` by `saveOrganization` (nil when none was, or it no longer forms a tree),
    /// with each unit's respondents as that period's report counted them (nil when the report was made before they were
    /// recorded).
    /// The figures withheld in each shown unit come back as `hiddenFigures` (nil when the report did not record them).
    public func reportedOrganization(period: Period) throws(StoreError)
        -> (organization: Organization, respondents: [String: Int]?, hiddenFigures: [String: Set<String>]?)? {
        let rows: [(OrgUnit, Int?, String?)] = try read { db in
            try Row.fetchAll(db, sql: "SELECT team_id, parent_id, name, headcount, respondents, hidden_figures FROM org_units WHERE period = ?",
                             arguments: [period.description])
                .map { (OrgUnit(id: $0[0], parentId: $0[1], name: $0[2], headcount: $0[3]), $0[4], $0[5]) }
        }
        guard !rows.isEmpty, let organization = try? Organization(units: rows.map(\.0)) else { return nil }
        var respondents: [String: Int] = [:], hidden: [String: Set<String>] = [:]
        for (unit, count, figures) in rows {
            if let count { respondents[unit.id] = count }
            if let figures { hidden[unit.id] = Set(figures.split(separator: ",").map(String.init)) }
        }
        return (organization, respondents.count == rows.count ? respondents : nil, hidden.count == rows.count ? hidden : nil)
    }

    /// Periods that have survey responses from the given sources, ascending.
    public func surveyPeriods(sourceIds: [String]) throws(StoreError) -> [Period] {
        try read { db in
            let marks = Array(repeating: "?", count: sourceIds.count).joined(separator: ",")
            return try String.fetchAll(db, sql: "SELECT DISTINCT period FROM responses WHERE source_id IN (\(marks)) ORDER BY period",
                                       arguments: StatementArguments(sourceIds)).compactMap(Period.init)
        }
    }

    /// The text hashes each item had in the imports that hold `period`'s responses (item id -> hashes).
    /// An item whose wording changed between periods has different hashes: a trend break.
    public func itemTextHashes(period: Period, sourceIds: [String]) throws(StoreError) -> [String: Set<String>] {
        try read { db in
            let marks = Array(repeating: "?", count: max(sourceIds.count, 1)).joined(separator: ",")
            var result: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT ii.item_id, ii.text_sha256 FROM import_items ii
                WHERE ii.import_id IN (SELECT DISTINCT import_id FROM responses WHERE period = ? AND source_id IN (\(marks)))
                """, arguments: [period.description] + StatementArguments(sourceIds.isEmpty ? [""] : sourceIds)) {
                result[row[0], default: []].insert(row[1])
            }
            return result
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try afterBusyRetry { try queue.read(body) } } catch { throw StoreError("store read failed: \(Self.describe(error))", path: path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try afterBusyRetry { try queue.write(body) } } catch { throw StoreError("store write failed: \(Self.describe(error))", path: path) }
    }

    /// `body`, and once more after the background checkpoint has ended when SQLite said "database is locked": SQLite
    /// returns SQLITE_BUSY without waiting in some moments of a checkpoint beside a reader (seen twice under heavy load,
    /// in session 16's audit and session 17's test run, despite the 10 s busy timeout). Only this process's checkpoint
    /// can hold the store (other processes are kept out by the lock file), so after it nothing else can.
    private func afterBusyRetry<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            waitForCheckpoint()
            return try body()
        }
    }

    static func describe(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? db.description }
        return String(describing: error)
    }
}

/// Copies the write-ahead log into the database file after an import, on a second connection and thread.
///
/// An import of a million employees leaves ~500 MB in the WAL; SQLite's automatic checkpoint copied it at the commit,
/// on the importing thread (fsync of the log, 500 MB of writes, fsync of the database: 3-4 s at 1M), while the run's
/// next stages (load, compute) use one core. A passive checkpoint runs beside readers and writers, so the run goes on
/// while it copies; a committed transaction is as durable as before (WAL, synchronous=NORMAL: the log is synced at
/// the checkpoint). The store waits for it when it is released; what is left is checkpointed when its connection
/// closes.
final class Checkpointer: @unchecked Sendable {
    private let group = DispatchGroup()

    func start(path: String) {
        group.enter()
        DispatchQueue.global().async { [group] in
            defer { group.leave() }
            // A failure here loses nothing: the log stays, and the next checkpoint (at the latest when the store's
            // connection closes) copies it.
            var configuration = Configuration()
            configuration.label = "leanpulse-checkpoint"
            configuration.busyMode = .timeout(10)
            guard let connection = try? DatabaseQueue(path: path, configuration: configuration) else { return }
            _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
        }
    }

    func wait() { group.wait() }
}


extension LeanPulseStore: HistoryStore {
    public var displayLocation: String { path }

    public func withImportTransaction<T>(_ body: (any HistoryImportWriter) throws -> T) throws -> T {
        try importTransaction { writer in try body(writer) }
    }
}
