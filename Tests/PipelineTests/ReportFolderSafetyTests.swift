import Foundation
import GRDB
import LeanPulseCore
@testable import Pipeline
import Testing

/// A run replaces its whole report folder: it must never be a folder of other files, the store's, or the inputs'
/// (the CLI audit of session 14 lost a store, a pipeline folder and a notes folder this way, each with exit 0).
@Suite(.serialized)
struct ReportFolderSafetyTests {
    func run(_ ws: SampleWorkspace, out: String, store: String? = nil) -> ExitCode {
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let options = RunOptions(pipelinePath: ws.pipeline, period: "2026-Q3", out: out, store: store ?? ws.store, quiet: true)
        return PipelineRunner(options: options, log: RunLog(quiet: true)).run()
    }

    /// Session 15's history audit killed runs between the two renames of a publish (no report at all, the old one in a
    /// hidden folder) and during the render (half-written hidden folders that stayed forever).
    @Test func publishingSwapsAtomicallyAndLeavesNothingBeside() throws {
        #expect(ReportPublisher.exchange("/nonexistent-a-\(getpid())", "/nonexistent-b-\(getpid())") == false)
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let parent = ws.root + "/published"
        let out = parent + "/2026-Q3"
        #expect(run(ws, out: out) == .published)
        // A second publish of other content replaces the first (changed pipeline title: a new report).
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        try text.replacingOccurrences(of: "title: \"", with: "title: \"Again ").write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(run(ws, out: out) == .published)
        #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8).contains("Again"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["2026-Q3"])
    }

    /// A report folder the run cannot write fails it before the import (exit 1: the store unchanged). The history audit
    /// made the folder read-only and got exit 1 with the changed export already committed.
    @Test func anUnwritableReportFolderFailsBeforeTheStoreChanges() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(run(ws, out: ws.root + "/out/reports/2026-Q3") == .published)
        let imports = { try DatabaseQueue(path: ws.store).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM imports") } }
        let before = try imports()
        // A changed export, and a report folder under a file (nothing can be created there).
        let goals = ws.root + "/SampleData/goals/goals.csv"
        try (try String(contentsOfFile: goals, encoding: .utf8) + "G9998,ops,2026-Q3,,,0.5\n").write(toFile: goals, atomically: true, encoding: .utf8)
        try "not a folder".write(toFile: ws.root + "/afile", atomically: true, encoding: .utf8)
        #expect(run(ws, out: ws.root + "/afile/2026-Q3") == .failed)
        #expect(try imports() == before)
        // `validate` exits as `run` would, writing nothing.
        let options = RunOptions(pipelinePath: ws.pipeline, period: "2026-Q3", out: ws.root + "/afile/2026-Q3", store: ws.store, quiet: true)
        #expect(PipelineValidator(options: options, log: RunLog(quiet: true)).validate() == .failed)
        #expect(ReportPublisher.writeProblem(ws.root + "/afile/2026-Q3") == ws.root + "/afile is a file, not a folder")
        #expect(ReportPublisher.writeProblem(ws.root + "/new/deeper/2026-Q3") == nil)
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/new"))
    }

    /// A report is published only once the store holds the organisation it was computed on, which later reports are
    /// bounded by (DECISIONS 38). Session 18's audit held an analyst's write lock in `sqlite3` past the busy timeout: the
    /// record was lost with a warning `--quiet` does not show, and exit 0. A store that refuses the write (a trigger stands
    /// in for the lock) now fails the run with the report folder untouched; the next run writes the report again.
    @Test func aReportWhoseOrganisationCannotBeRecordedIsNotPublished() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let out = ws.root + "/out/reports/2026-Q3"
        #expect(run(ws, out: out) == .published)
        let before = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        let queue = try DatabaseQueue(path: ws.store)
        try queue.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON org_units BEGIN SELECT RAISE(ABORT, 'database is locked'); END")
        }
        // A changed pipeline title: a new report of the same period.
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        try text.replacingOccurrences(of: "title: \"", with: "title: \"Again ").write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        let logged = LockedText()
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let options = RunOptions(pipelinePath: ws.pipeline, period: "2026-Q3", out: out, store: ws.store, quiet: true)
        let log = RunLog(format: .text, quiet: true, isTerminal: false) { logged.append($0) }
        #expect(PipelineRunner(options: options, log: log).run() == .failed)
        #expect(logged.text.contains("error: cannot record the organisation of this report in the store (is another program writing to it?)"),
                "\(logged.text)")
        #expect(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.root + "/out/reports") == ["2026-Q3"])

        // Once the store takes the record, the run publishes.
        try queue.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        #expect(run(ws, out: out) == .published)
        #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8).contains("Again"))

        // A published report whose record is missing is not current: the unchanged re-run writes it again, and the record.
        let recorded = { try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM org_units WHERE period = '2026-Q3'") ?? 0 } }
        let units = try recorded()
        #expect(units > 20)
        try queue.write { try $0.execute(sql: "DELETE FROM org_units WHERE period = '2026-Q3'") }
        let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        #expect(run(ws, out: out) == .published)
        #expect(try recorded() == units)
        #expect(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8) != manifest)
        // And with the record there, the same run publishes nothing.
        let again = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        #expect(run(ws, out: out) == .published)
        #expect(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8) == again)
    }

    @Test func aKilledRunsFoldersAreCleanedAndAnOldReportSetAsideIsPutBack() throws {
        let fm = FileManager.default
        let parent = NSTemporaryDirectory() + "lp-leftovers-\(UUID().uuidString)"
        defer { try? fm.removeItem(atPath: parent) }
        // No process has these ids (above Linux's pid_max of 4,194,304).
        for name in [".2026-Q3.tmp-4999998", ".2026-Q3.old-4999999", ".2026-Q2.tmp-4999997", "notes"] {
            try fm.createDirectory(atPath: parent + "/" + name, withIntermediateDirectories: true)
        }
        try "old".write(toFile: parent + "/.2026-Q3.old-4999999/index.html", atomically: true, encoding: .utf8)
        // A folder of a live process (this one's parent) is left alone.
        try fm.createDirectory(atPath: parent + "/.2026-Q3.tmp-\(getppid())", withIntermediateDirectories: true)
        ReportPublisher.removeLeftovers(of: "2026-Q3", in: parent, destination: parent + "/2026-Q3")
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == [".2026-Q2.tmp-4999997", ".2026-Q3.tmp-\(getppid())", "2026-Q3", "notes"])
        #expect(try String(contentsOfFile: parent + "/2026-Q3/index.html", encoding: .utf8) == "old")
    }

    /// A replaced report with many pages is removed by a detached process, so that the run does not wait for its deletion
    /// (94k pages took 18-25 s here); a small one is removed at once. Nothing else in the parent folder is touched.
    @Test func aLargeReplacedReportIsRemovedInTheBackgroundAndASmallOneAtOnce() throws {
        let fm = FileManager.default
        let parent = NSTemporaryDirectory() + "lp-discard-\(UUID().uuidString)"
        defer { try? fm.removeItem(atPath: parent) }
        func report(_ name: String, pages: Int) throws -> String {
            let path = parent + "/" + name
            try fm.createDirectory(atPath: path + "/teams", withIntermediateDirectories: true)
            try "{}".write(toFile: path + "/manifest.json", atomically: false, encoding: .utf8)
            for i in 0..<pages { try "<p>\(i)</p>".write(toFile: path + "/teams/\(i).html", atomically: false, encoding: .utf8) }
            return path
        }
        try fm.createDirectory(atPath: parent + "/2026-Q3", withIntermediateDirectories: true)
        #expect(ReportPublisher.entryCount(try report(".2026-Q3.tmp-1", pages: 12) + "/teams", upTo: 100) == 12)
        #expect(ReportPublisher.entryCount(parent + "/missing", upTo: 100) == 0)

        let small = try report(".2026-Q3.tmp-2", pages: 10)
        #expect(!ReportPublisher.discard(small, threshold: 10))
        #expect(!fm.fileExists(atPath: small))

        /// Whether `path` is gone within ten seconds, without this process waiting on the remover.
        func goneSoon(_ path: String) -> Bool {
            for _ in 0..<200 where fm.fileExists(atPath: path) { usleep(50_000) }
            return !fm.fileExists(atPath: path)
        }
        let large = parent + "/.2026-Q3.tmp-1"
        #expect(ReportPublisher.discard(large, threshold: 10))
        #expect(goneSoon(large))
        #expect(try fm.contentsOfDirectory(atPath: parent) == ["2026-Q3"])
        // A path with spaces, quotes and a leading dash reaches `rm` as one argument.
        let odd = try report("-x 'it\"s' $(touch pwned)", pages: 11)
        #expect(ReportPublisher.discard(odd, threshold: 10))
        #expect(goneSoon(odd))
        #expect(try fm.contentsOfDirectory(atPath: parent) == ["2026-Q3"])
        #expect(!fm.fileExists(atPath: "pwned") && !fm.fileExists(atPath: parent + "/pwned"))
    }

    @Test func aFolderOfOtherFilesIsRefusedAndKept() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let notes = ws.root + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "keep me".write(toFile: notes + "/keep.txt", atomically: true, encoding: .utf8)
        #expect(run(ws, out: notes) == .invalidConfiguration)
        #expect(try String(contentsOfFile: notes + "/keep.txt", encoding: .utf8) == "keep me")
        #expect(!FileManager.default.fileExists(atPath: ws.store))
        // A file is refused too.
        #expect(run(ws, out: notes + "/keep.txt") == .invalidConfiguration)
        #expect(try String(contentsOfFile: notes + "/keep.txt", encoding: .utf8) == "keep me")
    }

    @Test func theStoreAndTheInputsAreNeverInsideTheReportFolder() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        // The store inside the report folder (reports.dir without {period} beside the store).
        #expect(run(ws, out: ws.root + "/out") == .invalidConfiguration)
        // The pipeline's own folder, and the folder of the exports.
        #expect(run(ws, out: ws.root + "/Pipelines") == .invalidConfiguration)
        #expect(run(ws, out: ws.root + "/SampleData") == .invalidConfiguration)
        #expect(FileManager.default.fileExists(atPath: ws.pipeline))
        #expect(!FileManager.default.fileExists(atPath: ws.store))
    }

    @Test func anEarlierReportIsReplacedAndAnEmptyFolderFilled() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let empty = ws.root + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(run(ws, out: empty) == .published)
        #expect(FileManager.default.fileExists(atPath: empty + "/index.html"))
        // Its own earlier report: replaced (a changed export makes it stale).
        #expect(run(ws, out: empty, store: ws.root + "/other.sqlite") == .published)
    }

    @Test func anEmptyReportsDirOrStoreIsAConfigurationErrorAtItsKey() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        for (key, value) in [("store:", "store: ''"), ("  dir:", "  dir: ''")] {
            let edited = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(key) ? value : String($0) }.joined(separator: "\n")
            try edited.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
            do {
                _ = try PipelineConfig.load(path: ws.pipeline)
                Issue.record("\(key) '' was accepted")
            } catch {
                #expect(error.location?.line != nil, "\(error)")
                #expect(error.message.contains("empty"))
            }
        }
        try text.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
    }

    /// A report whose page or export was deleted is written again, though its inputs did not change.
    @Test func aDamagedReportIsRepaired() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let manifest = try ws.read("manifest.json")
        try FileManager.default.removeItem(atPath: ws.reports() + "/team_metrics.csv")
        #expect(ws.run() == .published)
        #expect(FileManager.default.fileExists(atPath: ws.reports() + "/team_metrics.csv"))
        #expect(try ws.read("manifest.json") != manifest)
        // Untouched: nothing is written again.
        let again = try ws.read("manifest.json")
        #expect(ws.run() == .published)
        #expect(try ws.read("manifest.json") == again)
    }
}
