import Foundation
import LeanPulseCore
import PostgresNIO

/// The history of every period in a PostgreSQL database (`store: postgresql://...`): the tables, views and replacement
/// rules of the SQLite store (docs/STORE.md, "PostgreSQL"), for many pipelines and BI tools sharing one history.
/// One connection, migrated on open; a run's imports are one transaction; a run holds the store through a
/// session-level advisory lock (`takeRunLock`) instead of a lock file.
public final class PostgresStore: HistoryStore {
    let session: PostgresSession
    public var displayLocation: String { session.displayLocation }

    /// Connects (settings from `url` and libpq's variables) and migrates. A server that does not answer, refused
    /// credentials or a missing database: one `StoreError` naming the URL without its password.
    public init(url: PostgresURL, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        session = try PostgresSession(PostgresSettings(url, environment: environment))
        try PostgresSchema.migrate(session)
    }

    public func close() throws(StoreError) { session.close() }

    /// Takes the store's run lock for this connection's session: false when another run holds it. The server releases
    /// it when the connection closes, also when the process dies (no stale lock).
    public func takeRunLock() throws(StoreError) -> Bool {
        try read {
            var binds = PostgresBindings()
            binds.append(PostgresSchema.runLockKey)
            return try session.query("SELECT pg_try_advisory_lock($1)", binds).first?.decode(Bool.self) ?? false
        }
    }

    public func otherPipelines(importing sourceId: String, than pipeline: String) throws(StoreError) -> [String] {
        try read {
            try rows("""
                SELECT pipeline FROM (SELECT DISTINCT pipeline FROM imports WHERE source_id = $1 AND pipeline IS NOT NULL AND pipeline <> $2) p
                ORDER BY pipeline COLLATE "C"
                """, sourceId, pipeline).map { try $0.decode(String.self) }
        }
    }

    public func latestImport(sourceId: String) throws(StoreError) -> StoredImport? {
        try read {
            try rows("SELECT id, content_sha256 FROM imports WHERE source_id = $1 ORDER BY id DESC LIMIT 1", sourceId).first.map {
                let (id, sha) = try $0.decode((Int64, String).self)
                return StoredImport(id: id, sourceId: sourceId, sha256: sha)
            }
        }
    }

    public func withImportTransaction<T>(_ body: (any HistoryImportWriter) throws -> T) throws -> T {
        do {
            return try session.transaction { try body(PostgresImportWriter(session: session)) }
        } catch let error as PSQLError {
            throw StoreError("store write failed: \(PostgresSession.describe(error))", path: displayLocation)
        }
    }

    public func importSummary() throws(StoreError) -> [StoredImport] {
        try read {
            try rows("SELECT id, source_id, content_sha256 FROM imports ORDER BY id").map {
                let (id, source, sha) = try $0.decode((Int64, String, String).self)
                return StoredImport(id: id, sourceId: source, sha256: sha)
            }
        }
    }

    public func importLedger() throws(StoreError) -> String {
        try importSummary().map { "\($0.id):\($0.sha256)" }.joined(separator: "\n")
    }

    public func importCounts(importId: Int64, sourceId: String) throws(StoreError) -> [ImportCounts] {
        try read {
            try rows("""
                SELECT path, sha256, rows_read, rows_accepted, rows_rejected, rows_superseded
                FROM import_files WHERE import_id = $1 ORDER BY path COLLATE "C"
                """, importId).map {
                let (path, sha, read, accepted, rejected, superseded) = try $0.decode((String, String, Int, Int, Int, Int).self)
                return ImportCounts(source: sourceId, file: path, sha256: sha, read: read, accepted: accepted, rejected: rejected,
                                    superseded: superseded)
            }
        }
    }

    public func findings(importId: Int64) throws(StoreError) -> [DataQualityFinding] {
        try read {
            try rows("""
                SELECT source_id, file, line, "column", severity, code, message FROM findings WHERE import_id = $1 ORDER BY id
                """, importId).map {
                let (source, file, line, column, severity, code, message) = try $0.decode((String, String, Int, Int, String, String, String).self)
                return DataQualityFinding(source: source, location: SourceLocation(file: file, line: line, column: column),
                                          severity: Severity(rawValue: severity) ?? .error, code: code, message: message)
            }
        }
    }

    public func saveOrganization(_ units: [OrgUnit], period: Period, respondents: [Int?]? = nil,
                                 hiddenFigures: [[String]?]? = nil) throws(StoreError) {
        try write {
            try session.transaction {
                try rows("DELETE FROM org_units WHERE period = $1", period.description)
                // Multi-row inserts of bound values: 7 parameters a unit, well under the protocol's 65,535.
                for start in stride(from: 0, to: units.count, by: 1000) {
                    let end = min(start + 1000, units.count)
                    var binds = PostgresBindings(capacity: 7 * (end - start))
                    for i in start..<end {
                        let unit = units[i]
                        binds.append(period.description)
                        binds.append(unit.id)
                        binds.append(unit.parentId)
                        binds.append(unit.name)
                        binds.append(unit.headcount)
                        binds.append(respondents.flatMap { i < $0.count ? $0[i] : nil })
                        binds.append(hiddenFigures.flatMap { i < $0.count ? $0[i] : nil }?.joined(separator: ","))
                    }
                    try session.query("INSERT INTO org_units (period, team_id, parent_id, name, headcount, respondents, hidden_figures) VALUES "
                                      + Self.placeholders(rows: end - start, columns: 7), binds)
                }
            }
        }
    }

    public func hasReportedOrganization(period: Period) throws(StoreError) -> Bool {
        try read { try rows("SELECT EXISTS (SELECT 1 FROM org_units WHERE period = $1)", period.description).first?.decode(Bool.self) ?? false }
    }

    public func reportedOrganization(period: Period) throws(StoreError)
        -> (organization: Organization, respondents: [String: Int]?, hiddenFigures: [String: Set<String>]?)? {
        // In primary key order, as SQLite's WITHOUT ROWID table returns them (byte order of the team ids).
        let stored: [(OrgUnit, Int?, String?)] = try read {
            try rows("""
                SELECT team_id, parent_id, name, headcount, respondents, hidden_figures FROM org_units WHERE period = $1
                ORDER BY team_id COLLATE "C"
                """, period.description).map {
                let (id, parent, name, headcount, respondents, hidden) = try $0.decode((String, String?, String, Int?, Int?, String?).self)
                return (OrgUnit(id: id, parentId: parent, name: name, headcount: headcount), respondents, hidden)
            }
        }
        guard !stored.isEmpty, let organization = try? Organization(units: stored.map(\.0)) else { return nil }
        var respondents: [String: Int] = [:], hidden: [String: Set<String>] = [:]
        for (unit, count, figures) in stored {
            if let count { respondents[unit.id] = count }
            if let figures { hidden[unit.id] = Set(figures.split(separator: ",").map(String.init)) }
        }
        return (organization, respondents.count == stored.count ? respondents : nil, hidden.count == stored.count ? hidden : nil)
    }

    public func surveyPeriods(sourceIds: [String]) throws(StoreError) -> [Period] {
        try read {
            try rows("SELECT period FROM (SELECT DISTINCT period FROM responses WHERE source_id = ANY($1)) p ORDER BY period COLLATE \"C\"", sourceIds)
                .compactMap { Period(try $0.decode(String.self)) }
        }
    }

    public func itemTextHashes(period: Period, sourceIds: [String]) throws(StoreError) -> [String: Set<String>] {
        try read {
            var result: [String: Set<String>] = [:]
            for row in try rows("""
                SELECT DISTINCT ii.item_id, ii.text_sha256 FROM import_items ii
                WHERE ii.import_id IN (SELECT DISTINCT import_id FROM responses WHERE period = $1 AND source_id = ANY($2))
                """, period.description, sourceIds) {
                let (item, hash) = try row.decode((String, String).self)
                result[item, default: []].insert(hash)
            }
            return result
        }
    }

    // MARK: Queries

    /// Runs `sql` with `values` bound as `$1`, `$2`, ... (nil binds NULL).
    @discardableResult
    func rows(_ sql: String, _ values: (any PostgresEncodable & Sendable)?...) throws -> [PostgresRow] {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { try binds.append(value) } else { binds.appendNull() }
        }
        return try session.query(sql, binds)
    }

    /// `($1, $2, ...), (...)`: `rows` rows of `columns` parameters, numbered from `first`.
    static func placeholders(rows: Int, columns: Int, first: Int = 1, casts: [Int: String] = [:]) -> String {
        (0..<rows).map { row in
            "(" + (0..<columns).map { column in
                "$\(first + row * columns + column)" + (casts[column].map { "::" + $0 } ?? "")
            }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    func read<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch let error as StoreError { throw error } catch {
            throw StoreError("store read failed: \(PostgresSession.describe(error))", path: displayLocation)
        }
    }

    func write<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch let error as StoreError { throw error } catch {
            throw StoreError("store write failed: \(PostgresSession.describe(error))", path: displayLocation)
        }
    }
}
