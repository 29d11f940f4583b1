import Foundation
import LeanPulseCore
import Pipeline
import Testing

/// One response per respondent and period (METRICS.md 2) across survey sources too: session 15's history audit gave two
/// sources the same exports (and moved a quarter's file to a new source id) and got 384 respondents of 240 people, and
/// teams of 3 published as 6. The load keeps each respondent's latest response and says how many it set aside.
@Suite(.serialized)
struct SourceOverlapTests {
    @Test func twoSourcesReadingTheSameExportsCountEachPersonOnce() throws {
        let single = try SampleWorkspace()
        defer { single.remove() }
        #expect(single.run() == .published)
        let expected = try single.read("team_metrics.csv")

        let ws = try SampleWorkspace()
        defer { ws.remove() }
        // A copy of the pulse source under another id, reading the same files.
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let start = try #require(text.range(of: "  - id: pulse\n"))
        let end = try #require(text.range(of: "  # The improvement ideas log"))
        let copy = String(text[start.lowerBound..<end.lowerBound]).replacingOccurrences(of: "- id: pulse\n", with: "- id: pulse-copy\n")
        var doubled = text
        doubled.insert(contentsOf: copy, at: end.lowerBound)
        try doubled.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(ws.run() != .failed)
        #expect(try ws.read("team_metrics.csv") == expected)
        let findings = try ws.read("data_quality.csv").split(separator: "\n").filter { $0.contains("duplicate-respondent") }
        #expect(findings.count == 1)
        #expect(findings.first?.contains("(pulse, pulse-copy)") == true, "\(findings)")
    }

    /// Two pipelines sharing one store with a source id in common replaced each other's rows (the history audit lost a
    /// quarter for good once its exports were archived): the second one stops at that source's id (exit 2).
    @Test func aSourceIdIsOnePipelinesInASharedStore() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let other = ws.root + "/Pipelines/other.yml"
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        #expect(text.contains("pipeline: fjordline-lean-pulse"))
        try text.replacingOccurrences(of: "pipeline: fjordline-lean-pulse", with: "pipeline: another-organisation")
            .replacingOccurrences(of: "dir: ../Reports/{period}", with: "dir: ../Reports-other/{period}")
            .write(toFile: other, atomically: true, encoding: .utf8)
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let options = RunOptions(pipelinePath: other, period: "2026-Q3", out: ws.root + "/other-out", store: ws.store, quiet: true)
        #expect(PipelineRunner(options: options, log: RunLog(quiet: true)).run() == .invalidConfiguration)
        // The first pipeline's history is intact: its re-run finds nothing to do.
        #expect(ws.run() == .published)
    }
}
