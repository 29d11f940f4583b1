import Foundation
import LeanPulseCore
import Store
import Testing
@testable import Pipeline

/// Ctrl-C (SIGINT), a scheduler's SIGTERM, a closed terminal's SIGHUP: the run stops between batches, files, stages
/// and pages as a failed run does (exit 1, nothing published, no staging folder left, an import in progress rolled
/// back, a new store removed) and says what the store holds. In-process runs get their own `Interruption`, requested
/// from the log when a given line is written; one test sends a real SIGTERM to the binary while it renders.
struct InterruptionTests {
    /// Runs the sample pipeline; when `trigger` is given, the run is asked to stop (as SIGTERM would) as soon as its
    /// log writes a line containing it. The exit code and the JSON log.
    func run(_ ws: SampleWorkspace, stopWhen trigger: String?) -> (code: ExitCode, log: String) {
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let interruption = Interruption()
        let buffer = LockedText()
        let log = RunLog(format: .json, quiet: false, isTerminal: false) { line in
            buffer.append(line)
            if let trigger, line.contains(trigger) { interruption.request(signal: SIGTERM) }
        }
        var options = ws.options()
        options.interruption = interruption
        let code = PipelineRunner(options: options, log: log).run()
        return (code, buffer.text)
    }

    /// Entries beside the report folder that are not the report itself: staging, probe or set-aside folders.
    func leftovers(_ ws: SampleWorkspace) -> [String] {
        let parent = (ws.reports() as NSString).deletingLastPathComponent
        return ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func theFirstSignalIsTheOneReported() throws {
        let interruption = Interruption()
        #expect(interruption.requested == nil)
        #expect(throws: Never.self) { try interruption.check() }
        interruption.request(signal: SIGINT)
        interruption.request(signal: SIGTERM)
        #expect(interruption.requested == SIGINT)
        #expect(throws: Interrupted(signal: SIGINT)) { try interruption.check() }
        #expect(Interrupted(signal: SIGHUP).signalName == "SIGHUP")
    }

    /// A render that fails after the import was committed (a full disk) says that the store changed; one that fails
    /// with nothing imported is left as it is.
    @Test func aFailedRenderAfterTheImportSaysTheStoreKeepsIt() {
        let full = PipelineError(.failed, "cannot write file: No space left on device", step: "render")
        #expect(PipelineRunner.renderFailure(full, imported: true).diagnostic.message
                == "cannot write file: No space left on device (nothing was published; the store keeps this run's import, which the next run computes from)")
        #expect(PipelineRunner.renderFailure(full, imported: false).diagnostic.message == full.diagnostic.message)
        #expect(PipelineRunner.renderFailure(full, imported: true).exitCode == .failed)
    }

    /// Stopped before anything was imported: the store the run created is removed again, nothing is published.
    @Test func aStopBeforeTheImportLeavesNoStoreAndNoReport() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let (code, log) = run(ws, stopWhen: "pipeline ")
        #expect(code == .failed)
        #expect(log.contains("interrupted by SIGTERM during configuration: nothing was published; the store is as it was"))
        #expect(!FileManager.default.fileExists(atPath: ws.store))
        #expect(!FileManager.default.fileExists(atPath: ws.reports()))
        #expect(leftovers(ws).isEmpty)
    }

    /// Stopped between two files of a source's import: the import is rolled back (the store keeps the earlier
    /// import, the published report stays), and the next run imports the changed export.
    @Test func aStopBetweenFilesRollsTheImportBack() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(run(ws, stopWhen: nil).code == .published)
        let before = try #require(try LeanPulseStore(path: ws.store).latestImport(sourceId: "pulse"))
        let manifest = try Data(contentsOf: URL(fileURLWithPath: ws.reports() + "/manifest.json"))

        // Same records, different bytes: the source's content hash changes, so the next run imports it again.
        let export = ws.root + "/SampleData/exports/pulse-2026-Q3.csv"
        var text = try String(contentsOfFile: export, encoding: .utf8)
        text = text.hasSuffix("\n") ? String(text.dropLast()) : text + "\n"
        try text.write(toFile: export, atomically: true, encoding: .utf8)

        let (code, log) = run(ws, stopWhen: "pulse-2025-Q4.csv:")
        #expect(code == .failed)
        #expect(log.contains("interrupted by SIGTERM during ingest: nothing was published; the store is as it was"))
        #expect(try LeanPulseStore(path: ws.store).latestImport(sourceId: "pulse")?.id == before.id)
        #expect(try Data(contentsOf: URL(fileURLWithPath: ws.reports() + "/manifest.json")) == manifest)
        #expect(leftovers(ws).isEmpty)

        #expect(run(ws, stopWhen: nil).code == .published)
        #expect(try LeanPulseStore(path: ws.store).latestImport(sourceId: "pulse")?.id ?? 0 > before.id)
    }

    /// A log reader that goes away (its pipe closed before the first line) does not end the run: SIGPIPE is ignored and
    /// the log drops what it cannot write. Before, the first JSON line killed the process by SIGPIPE.
    @Test func aClosedLogPipeDoesNotEndTheRun() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leanpulse")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no leanpulse binary beside the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", ws.pipeline, "--period", "2026-Q3", "--out", ws.root + "/out/reports/{period}", "--store", ws.store,
                             "--log-format", "json"]
        process.environment = ["LEANPULSE_KEY": "test-secret"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try err.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: ws.reports() + "/manifest.json"))
    }

    /// A real SIGTERM to `leanpulse run` once its staging folder exists (the pages are being written): exit 1,
    /// the staging folder removed, no report; the store keeps the import, so the next run publishes without
    /// reading the exports again.
    @Test func sigtermWhileRenderingPublishesNothing() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leanpulse")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no leanpulse binary beside the tests")
        let parent = (ws.reports() as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", ws.pipeline, "--period", "2026-Q3", "--out", ws.root + "/out/reports/{period}", "--store", ws.store]
        process.environment = ["LEANPULSE_KEY": "test-secret"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var signalled = false
        while process.isRunning {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
            if entries.contains(where: { $0.hasPrefix(".2026-Q3.tmp-") }) {
                kill(process.processIdentifier, SIGTERM)
                signalled = true
                break
            }
            usleep(500)
        }
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(signalled, "the run ended before its staging folder was seen")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1)
        #expect(errors.contains("interrupted by SIGTERM during render: nothing was published; the store keeps this run's import"), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: ws.reports()))
        #expect(leftovers(ws).isEmpty)

        let (code, log) = run(ws, stopWhen: nil)
        #expect(code == .published)
        #expect(log.contains("pulse: unchanged since import"))
    }
}
