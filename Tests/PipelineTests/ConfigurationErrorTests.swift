import Foundation
import LeanPulseCore
@testable import Pipeline
import Testing

/// Files and settings the pipeline file names are the pipeline file's errors: exit 2 at the key, before anything is read
/// (session 14's CLI audit found a missing organisation file at exit 1 without a line, a folder as instrument leaking
/// Foundation's error text, and an unknown encoding at exit 1).
@Suite(.serialized)
struct ConfigurationErrorTests {
    func validate(_ ws: SampleWorkspace) -> ExitCode {
        setenv("LEANPULSE_KEY", "test-secret", 1)
        return PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate()
    }

    func edit(_ ws: SampleWorkspace, _ from: String, _ to: String) throws {
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        #expect(text.contains(from))
        try text.replacingOccurrences(of: from, with: to).write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
    }

    @Test(arguments: [
        ("teams: ../SampleData/org/teams.csv", "teams: ../SampleData/org/nope.csv"),
        ("instrument: instruments/lean-leadership.yml", "instrument: instruments"),
        ("format: qualtrics-csv", "format: qualtrics-csv\n    encoding: bogus"),
        ("format: qualtrics-csv", "format: qualtrics-csv\n    date_format: \"yyyy-MM-dd HH:mm:ss.SSS\""),
        // Found by session 15's outcome audit: a survey preset on a goals file, and goals fields that cannot give an
        // attainment or a period, were exit 1 after the other sources had been read (or, for the preset, no error).
        ("kind: goals\n    format: csv", "kind: goals\n    format: qualtrics-csv"),
        ("target: target, actual: actual, score: score", "actual: actual"),
        ("team: team_id, period: period,", "team: team_id,"),
    ])
    func aBadReferenceOrSettingExitsTwo(from: String, to: String) throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try edit(ws, from, to)
        #expect(validate(ws) == .invalidConfiguration)
        setenv("LEANPULSE_KEY", "test-secret", 1)
        #expect(PipelineRunner(options: ws.options(), log: RunLog(quiet: true)).run() == .invalidConfiguration)
        #expect(!FileManager.default.fileExists(atPath: ws.store))
    }

    /// A quarter that has not begun is refused (exit 2): the history audit published an all-empty 2027-Q1 report with
    /// exit 0. The quarter in progress is allowed.
    @Test func aQuarterThatHasNotBegunExitsTwo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let today = Day(year: 2026, month: 11, day: 27)!
        for (period, expected) in [("2027-Q1", ExitCode.invalidConfiguration), ("2026-Q4", .published)] {
            let options = RunOptions(pipelinePath: ws.pipeline, period: period, quiet: true, today: today)
            #expect(PipelineValidator(options: options, log: RunLog(quiet: true)).validate() == expected, "\(period)")
        }
        let future = RunOptions(pipelinePath: ws.pipeline, period: "2027-Q1", quiet: true, today: today)
        #expect(PipelineRunner(options: future, log: RunLog(quiet: true)).run() == .invalidConfiguration)
        #expect(!FileManager.default.fileExists(atPath: ws.store))

        // Written in the pipeline file, the error names the file, line and column of `period:` (it named neither).
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        try text.replacingOccurrences(of: "period: previous-quarter ", with: "period: 2027-Q1          ")
            .write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        let logged = LockedText()
        let log = RunLog(format: .text, quiet: false, isTerminal: false) { logged.append($0) }
        let fromFile = RunOptions(pipelinePath: ws.pipeline, quiet: true, today: today)
        #expect(PipelineRunner(options: fromFile, log: log).run() == .invalidConfiguration)
        #expect(logged.text.hasPrefix(ws.pipeline + ":9:9: error: period 2027-Q1 has not begun"), "\(logged.text)")
    }
}
