import Foundation
import GRDB
import LeanPulseCore
@testable import Pipeline
import PostgresNIO
@testable import Store
import Testing
import TestSupport

/// The store on a real PostgreSQL server (started by each test in a temporary folder: unix socket, no TCP): the sample
/// pipeline gives the same reports as on SQLite, with the same replacement rules, rollback, lock and privacy.
/// Serialized: the runs share the process environment (the pseudonym key), and each starts a server.
@Suite(.serialized, .enabled(if: PostgresServer.isAvailable, "no PostgreSQL binaries (initdb, pg_ctl) on this machine"))
struct PostgresStoreTests {
    /// A database on a fresh server, with the sample workspace beside it.
    final class Fixture {
        let server: PostgresServer
        let ws: SampleWorkspace
        let url: String

        init(database: String = "history") throws {
            server = try PostgresServer()
            do {
                ws = try SampleWorkspace()
                try server.createDatabase(database)
            } catch {
                server.stop()
                throw error
            }
            url = server.url(database: database)
        }

        deinit {
            ws.remove()
            server.stop()
        }

        var pgReports: String { ws.root + "/pg/reports/2026-Q3" }

        /// Runs the sample pipeline on the PostgreSQL store, its reports in `pg/reports/<period>`.
        func run(period: String = "2026-Q3", store: String? = nil) -> ExitCode {
            setenv("LEANPULSE_KEY", "test-secret", 1)
            let options = RunOptions(pipelinePath: ws.pipeline, period: period, out: ws.root + "/pg/reports/{period}", store: store ?? url,
                                     quiet: true)
            return PipelineRunner(options: options, log: RunLog(quiet: true)).run()
        }

        func open() throws -> PostgresStore { try PostgresStore(url: try PostgresURL(parsing: url)) }
    }

    /// Rows of a query on the PostgreSQL store, each column as text (NULL as "NULL").
    static func texts(_ store: PostgresStore, _ sql: String) throws -> [[String]] {
        try store.rows(sql).map { row in row.map { cell in (try? cell.decode(String?.self)) ?? "NULL" } }
    }

    @Test func theSamplePipelinePublishesTheSameCSVsAsOnSQLite() throws {
        let f = try Fixture()
        #expect(f.ws.run() == .published)
        #expect(f.run() == .published, "\(f.server.log.suffix(2000))")
        let csvs = try FileManager.default.contentsOfDirectory(atPath: f.ws.reports()).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(csvs.count >= 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.pgReports).filter { $0.hasSuffix(".csv") }.sorted() == csvs)
        for name in csvs {
            let sqlite = try f.ws.read(name).replacingOccurrences(of: f.ws.store, with: "<store>")
            let postgres = try String(contentsOfFile: f.pgReports + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: try PostgresURL(parsing: f.url).redacted, with: "<store>")
            #expect(sqlite == postgres, "\(name) differs between the SQLite and the PostgreSQL store")
        }
        // The independent computation holds on PostgreSQL too.
        #expect(try String(contentsOfFile: f.pgReports + "/team_metrics.csv", encoding: .utf8) == (try Reference.expectedTeamMetrics("2026-Q3")))
        // Both stores hold the same imports, with the same counts, findings and stored organisation.
        let sqlite = try LeanPulseStore(path: f.ws.store)
        let postgres = try f.open()
        #expect(try postgres.importSummary().map(\.sha256) == (try sqlite.importSummary().map(\.sha256)))
        for (a, b) in zip(try sqlite.importSummary(), try postgres.importSummary()) {
            #expect(try sqlite.importCounts(importId: a.id, sourceId: a.sourceId) == (try postgres.importCounts(importId: b.id, sourceId: b.sourceId)))
            #expect(try sqlite.findings(importId: a.id) == (try postgres.findings(importId: b.id)))
        }
        let period = try #require(Period("2026-Q3"))
        #expect(try sqlite.reportedOrganization(period: period)?.respondents == (try postgres.reportedOrganization(period: period)?.respondents))
        #expect(try sqlite.reportedOrganization(period: period)?.hiddenFigures == (try postgres.reportedOrganization(period: period)?.hiddenFigures))
    }

    @Test func aSecondRunWithUnchangedInputsSkipsTheImport() throws {
        let f = try Fixture()
        #expect(f.run() == .published)
        let ledger = try f.open().importLedger()
        let manifest = try String(contentsOfFile: f.pgReports + "/manifest.json", encoding: .utf8)
        #expect(f.run() == .published)
        #expect(try f.open().importLedger() == ledger)
        // Nothing changed: the published report is current and not written again.
        #expect(try String(contentsOfFile: f.pgReports + "/manifest.json", encoding: .utf8) == manifest)
        // An earlier period is computed from the same store (its history read back), without importing again.
        #expect(f.run(period: "2026-Q2") == .published)
        #expect(try f.open().importLedger() == ledger)
    }

    @Test func aBrokenExportLeavesTheStoreAsItWas() throws {
        let f = try Fixture()
        #expect(f.run() == .published)
        let store = try f.open()
        let tables = ["imports", "import_files", "import_items", "responses", "idea_blocks", "goals", "findings", "org_units"]
        func snapshot() throws -> [[String]] {
            try tables.map { table in try Self.texts(store, "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \(table) t")[0] }
        }
        let before = try snapshot()
        let report = try String(contentsOfFile: f.pgReports + "/team_metrics.csv", encoding: .utf8)
        // A changed survey export (re-imported) and an ideas log cut in the middle of an element (fails the import).
        let q3 = f.ws.root + "/SampleData/exports/pulse-2026-Q3.csv"
        try (try String(contentsOfFile: q3, encoding: .utf8)).replacingOccurrences(of: "Strongly agree", with: "Agree")
            .write(toFile: q3, atomically: true, encoding: .utf8)
        let ideas = f.ws.root + "/SampleData/ideas/ideas.xml"
        let text = try String(contentsOfFile: ideas, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: ideas, atomically: true, encoding: .utf8)
        #expect(f.run() == .failed)
        #expect(try snapshot() == before)
        #expect(try String(contentsOfFile: f.pgReports + "/team_metrics.csv", encoding: .utf8) == report)
    }

    @Test func noTableHoldsARawEmployeeId() throws {
        let f = try Fixture()
        #expect(f.run() == .published)
        let store = try f.open()
        // Employee ids look like E00042 in the exports and the ideas log: every row of every table, as text.
        for table in ["imports", "import_files", "import_items", "responses", "idea_blocks", "goals", "findings", "org_units"] {
            let hits = try Self.texts(store, #"SELECT count(*)::text FROM "# + table + #" t WHERE t::text ~ '\mE0[0-9]{4}\M'"#)
            #expect(hits == [["0"]], "employee id in \(table)")
        }
        let keys = try Self.texts(store, "SELECT DISTINCT length(respondent_key)::text FROM responses")
        #expect(keys == [["64"]])
        let submitters = try Self.texts(store, "SELECT DISTINCT length(submitter_key)::text FROM ideas WHERE submitter_key IS NOT NULL")
        #expect(submitters == [["64"]])
    }

    @Test func theViewsAnswerAsOnSQLite() throws {
        let f = try Fixture()
        #expect(f.ws.run() == .published)
        #expect(f.run() == .published)
        let sqlite = try DatabaseQueue(path: f.ws.store)
        let postgres = try f.open()
        // STORE.md's examples, and one count per view.
        let favorable = "SELECT item_id, 100.0 * avg(favorable) AS pct_favorable, count(*) AS answers FROM survey_scores WHERE period = '2026-Q3' GROUP BY item_id ORDER BY item_id"
        let lite = try sqlite.read { db in try Row.fetchAll(db, sql: favorable).map { ($0[0] as String, $0[1] as Double, $0[2] as Int) } }
        let pg = try postgres.rows(favorable.replacingOccurrences(of: "100.0 * avg(favorable)", with: "(100.0 * avg(favorable))::double precision")
                                   .replacingOccurrences(of: "count(*)", with: "count(*)::bigint"))
            .map { try $0.decode((String, Double, Int).self) }
        #expect(lite.count == pg.count && !lite.isEmpty)
        for (a, b) in zip(lite, pg) {
            #expect(a.0 == b.0 && abs(a.1 - b.1) < 1e-9 && a.2 == b.2, "\(a) vs \(b)")
        }
        let implemented = """
            SELECT team_id, count(*) FROM ideas_dated WHERE implemented BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY team_id ORDER BY team_id
            """
        let liteIdeas = try sqlite.read { db in try Row.fetchAll(db, sql: implemented).map { [$0[0] as String, String($0[1] as Int)] } }
        #expect(!liteIdeas.isEmpty)
        #expect(try Self.texts(postgres, implemented.replacingOccurrences(of: "count(*)", with: "count(*)::text")) == liteIdeas)
        for view in ["survey_answers", "survey_scores", "ideas", "ideas_dated", "import_summary", "latest_findings"] {
            let count = try sqlite.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(view)") ?? -1 }
            #expect(try Self.texts(postgres, "SELECT count(*)::text FROM \(view)") == [[String(count)]], "\(view)")
        }
        let answers = "SELECT item_id, sum(value), count(*) FROM survey_answers GROUP BY item_id ORDER BY item_id"
        let liteAnswers = try sqlite.read { db in try Row.fetchAll(db, sql: answers).map { [$0[0] as String, String($0[1] as Int), String($0[2] as Int)] } }
        #expect(try Self.texts(postgres, "SELECT item_id, sum(value)::text, count(*)::text FROM survey_answers GROUP BY item_id ORDER BY item_id") == liteAnswers)
    }

    @Test func aStatementTheServerRefusesRollsTheImportBackWithItsMessage() throws {
        let f = try Fixture()
        let store = try f.open()
        try f.server.psql("ALTER TABLE goals ADD CONSTRAINT no_goals_here CHECK (false)", database: "history")
        let goals = SourceConfig(id: "goals", kind: .goals, format: .csv, path: "/g.csv", location: SourceLocation(file: "/p.yml"))
        let instrument = Instrument(id: "t", version: "1", items: [], factors: [])
        do {
            try store.withImportTransaction { w in
                try w.beginImport(source: goals, pipeline: "test", sha256: String(repeating: "0", count: 64), instrument: instrument,
                                  importedAt: "now")
                try w.insert(Goal(id: "g", teamId: "a", period: try #require(Period("2026-Q3")), target: 1, actual: 1, score: nil))
            }
            Issue.record("expected the import to fail")
        } catch let error as StoreError {
            #expect(error.reason.contains("no_goals_here"), "\(error.reason)")
            #expect(error.location?.file == "postgresql:///history?host=\(f.server.root)&user=leanpulse")
        }
        #expect(try store.importSummary().isEmpty)
        // The connection is usable after the rollback, and the pipeline's run says the same and exits 1.
        #expect(try store.latestImport(sourceId: "goals") == nil)
        #expect(f.run() == .failed)
        #expect(try store.importSummary().isEmpty)
    }

    @Test func aRunHoldsTheStoreThroughAnAdvisoryLock() throws {
        let f = try Fixture()
        let holder = try f.open()
        #expect(try holder.takeRunLock())
        #expect(f.run() == .locked)
        try holder.close()
        #expect(f.run() == .published)
    }

    @Test func runsThatOpenANewDatabaseAtOnceCreateItsTablesOnce() throws {
        let f = try Fixture()
        let url = try PostgresURL(parsing: f.url)
        let outcomes = Outcomes()
        // Three first opens at once: the migration lock lets one create the tables; the others find them.
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do {
                let store = try PostgresStore(url: url)
                try store.close()
                outcomes.add("opened")
            } catch {
                outcomes.add(String(describing: error))
            }
        }
        #expect(outcomes.all == ["opened", "opened", "opened"])
        #expect(try Self.texts(try f.open(), "SELECT identifier FROM leanpulse_migrations") == [["pg1-tables-and-views"]])
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ outcome: String) { lock.withLock { list.append(outcome) } }
        var all: [String] { lock.withLock { list } }
    }

    @Test func aStoreANewerLeanPulseMigratedIsRefused() throws {
        let f = try Fixture()
        try f.open().close()
        try f.server.psql("INSERT INTO leanpulse_migrations (identifier) VALUES ('pg99-from-the-future')", database: "history")
        let url = try PostgresURL(parsing: f.url)
        do {
            _ = try PostgresStore(url: url)
            Issue.record("expected the store to be refused")
        } catch {
            #expect(error.reason.contains("newer LeanPulse"))
            #expect(error.reason.contains("pg99-from-the-future"))
        }
    }

    @Test func aServerThatIsDownOrRefusesSaysSoInOneLine() throws {
        let f = try Fixture()
        // No server: a socket folder without a socket.
        let nowhere = "postgresql://lean:hunter2@/history?host=\(f.ws.root)"
        let nowhereURL = try PostgresURL(parsing: nowhere)
        do {
            _ = try PostgresStore(url: nowhereURL)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.file == "postgresql://lean@/history?host=\(f.ws.root)")
            #expect(error.reason.contains("no PostgreSQL server answers"))
            #expect(!error.diagnostic.description.contains("hunter2"))
        }
        #expect(f.run(store: nowhere) == .failed)
        // A database that does not exist.
        let missing = try PostgresURL(parsing: f.server.url(database: "missing"))
        do {
            _ = try PostgresStore(url: missing)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason.contains("database \"missing\" does not exist"))
        }
        // A role that needs a password: none, a wrong one, the right one from PGPASSWORD, then from a password file.
        try f.server.psql("CREATE ROLE analyst LOGIN PASSWORD 'right'; GRANT ALL ON DATABASE history TO analyst; "
                          + "GRANT ALL ON SCHEMA public TO analyst", database: "history")
        let hba = f.server.root + "/data/pg_hba.conf"
        let rules = try String(contentsOfFile: hba, encoding: .utf8)
        try ("local all analyst scram-sha-256\n" + rules).write(toFile: hba, atomically: true, encoding: .utf8)
        try f.server.psql("SELECT pg_reload_conf()")
        Thread.sleep(forTimeInterval: 1)  // the server reloads its rules on a signal, a moment later
        let analyst = try PostgresURL(parsing: "postgresql:///history?host=\(f.server.root)&user=analyst")
        func failure(_ environment: [String: String]) -> String {
            do {
                _ = try PostgresStore(url: analyst, environment: environment)
                return "opened"
            } catch {
                return error.reason
            }
        }
        #expect(failure([:]).contains("PGPASSWORD"))
        #expect(failure(["PGPASSWORD": "wrong"]).contains("password authentication failed"))
        #expect(failure(["PGPASSWORD": "right"]) == "opened")
        let passfile = f.ws.root + "/pgpass"
        try "# host:port:database:user:password\nlocalhost:5432:history:analyst:right\n".write(toFile: passfile, atomically: true, encoding: .utf8)
        chmod(passfile, 0o600)
        #expect(failure(["PGPASSFILE": passfile]) == "opened")
    }
}
