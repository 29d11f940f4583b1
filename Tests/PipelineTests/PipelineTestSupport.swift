import Foundation
import LeanPulseCore
import Pipeline

/// A copy of the project's Pipelines/ and SampleData/ in a temporary folder, so a test can run the
/// sample pipeline (and break its inputs) without touching the source tree. The test removes it:
/// `let ws = try SampleWorkspace()` then `defer { ws.remove() }`.
struct SampleWorkspace {
    static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lp-e2e-\(UUID().uuidString)").path
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            for folder in ["Pipelines", "SampleData"] {
                try fm.copyItem(atPath: Self.projectRoot + "/" + folder, toPath: root + "/" + folder)
            }
        } catch {
            remove()
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    var pipeline: String { root + "/Pipelines/quarterly.yml" }
    var store: String { root + "/out/store.sqlite" }
    func reports(_ period: String = "2026-Q3") -> String { root + "/out/reports/" + period }

    func options(period: String = "2026-Q3") -> RunOptions {
        RunOptions(pipelinePath: pipeline, period: period, out: root + "/out/reports/{period}", store: store, quiet: true)
    }

    /// Runs the pipeline with `LEANPULSE_KEY` set to the value every test uses (tests of suites that run in parallel
    /// share the process environment: one that unset or changed it made another's run refuse or re-import).
    func run(period: String = "2026-Q3") -> ExitCode {
        setenv("LEANPULSE_KEY", "test-secret", 1)
        return PipelineRunner(options: options(period: period), log: RunLog(quiet: true)).run()
    }

    /// Points the pipeline's `pseudonym_key_env` at a variable no test sets, for the tests of a run without one.
    func withoutKeyVariable() throws {
        let text = try String(contentsOfFile: pipeline, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "pseudonym_key_env: LEANPULSE_KEY ", with: "pseudonym_key_env: LEANPULSE_TEST_UNSET ")
        guard changed != text else { throw CocoaError(.fileReadCorruptFile) }
        try changed.write(toFile: pipeline, atomically: true, encoding: .utf8)
    }

    /// Replaces the sample pipeline's `pulse` source (up to the ideas source's comment) with `yaml`, written at the
    /// list's indentation.
    func replacePulseSource(with yaml: String) throws {
        var text = try String(contentsOfFile: pipeline, encoding: .utf8)
        guard let start = text.range(of: "  - id: pulse\n"), let end = text.range(of: "  # The improvement ideas log") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        text.replaceSubrange(start.lowerBound..<end.lowerBound, with: yaml)
        try text.write(toFile: pipeline, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String, period: String = "2026-Q3") throws -> String {
        try String(contentsOfFile: reports(period) + "/" + relative, encoding: .utf8)
    }

    /// The file's text with this workspace's absolute root replaced by `<root>` (for golden comparison).
    func portable(_ relative: String, period: String = "2026-Q3") throws -> String {
        try read(relative, period: period).replacingOccurrences(of: root, with: "<root>")
    }
}

/// Golden files live beside the tests; `LEANPULSE_RECORD_GOLDEN=1 swift test` rewrites them.
enum Golden {
    static let folder = SampleWorkspace.projectRoot + "/Tests/PipelineTests/Golden"

    static func check(_ actual: String, named name: String) throws -> Bool {
        let path = folder + "/" + name
        if ProcessInfo.processInfo.environment["LEANPULSE_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return true
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        return expected == actual
    }
}

/// The independent computation's committed output (Tests/PipelineTests/Reference/README.md).
enum Reference {
    static func expectedTeamMetrics(_ period: String) throws -> String { try expected("team_metrics", period) }

    static func expected(_ name: String, _ period: String) throws -> String {
        try String(contentsOfFile: SampleWorkspace.projectRoot + "/Tests/PipelineTests/Reference/expected_\(name)_\(period).csv",
                   encoding: .utf8)
    }
}

/// What a test's `RunLog` wrote: its sink appends here from any thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ line: String) { lock.withLock { value += line } }
    var text: String { lock.withLock { value } }
}
