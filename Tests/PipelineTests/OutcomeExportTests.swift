import Foundation
import LeanPulseCore
import Pipeline
import Testing

/// Session 18's audit of real outcome exports, end to end on the sample: goal check-ins, negative goal attainment and
/// idea statuses in other words.
@Suite(.serialized)
struct OutcomeExportTests {
    func rows(_ text: String) -> [[String: String]] { csvRows(text) }

    /// corp-it's 2026-Q3 goals in the sample: G0250 92.7 of 98, G0251 score 0.94, G0252 207.8 of 250.
    static let corpIT = "G0250,corp-it,2026-Q3,98,92.7,"

    func goalAttainment(_ ws: SampleWorkspace, team: String = "corp-it") throws -> Double? {
        rows(try ws.read("team_metrics.csv")).first { $0["team_id"] == team }.flatMap { Double($0["goal_attainment"] ?? "") }
    }

    /// The goals' file counts from manifest.json, by file name.
    func goalCounts(_ ws: SampleWorkspace) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.reports() + "/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let counts = try #require(manifest["importCounts"] as? [[String: Any]], "\(manifest.keys)")
        var result: [String: [String: Any]] = [:]
        for entry in counts where entry["source"] as? String == "goals" {
            result[((entry["file"] as? String) ?? "").split(separator: "/").last.map(String.init) ?? ""] = entry
        }
        return result
    }

    /// Check-ins of 12 goals in the goals file (12 of 268 rows, over the 2% gate as errors): the last of each counts,
    /// the earlier ones are superseded, not rejected, and the run publishes with exit 0.
    @Test func goalCheckInsInAFileAreSupersededNotRejected() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let path = ws.root + "/SampleData/goals/goals.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains(Self.corpIT))
        // corp-it's G0250 and 11 other 2026-Q3 goals with a target and an actual, checked in again at 100%.
        let others = lines.filter { $0.contains(",2026-Q3,") && !$0.contains(",corp-it,") && !$0.hasSuffix(",,") && $0.hasSuffix(",") }
        let again = [Self.corpIT] + others.prefix(11)
        #expect(again.count == 12)
        let checkIns = again.map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[4] = fields[3]
            return fields.joined(separator: ",")
        }
        try (text + checkIns.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        let quality = rows(try ws.read("data_quality.csv")).filter { $0["source"] == "goals" }
        #expect(!quality.contains { $0["code"] == "duplicate-id" })
        let superseded = quality.filter { $0["code"] == "superseded-check-in" }
        #expect(superseded.count == 12 && superseded.allSatisfy { $0["severity"] == "info" })
        let first = try #require(superseded.first { $0["message"]?.hasPrefix("goal G0250 ") == true })
        let line = try #require(lines.firstIndex(of: Self.corpIT)) + 1
        #expect(first["line"] == String(line) && first["column"] == "1")
        // The check-in that counts is the first appended row.
        #expect(first["message"]?.contains("the check-in at line \(lines.count + 1) counts (the last in file order)") == true)
        #expect(abs((try goalAttainment(ws) ?? -1) - (1 + 0.94 + 207.8 / 250) / 3) < 1e-6)
        let counts = try #require(try goalCounts(ws)["goals.csv"])
        #expect(counts["superseded"] as? Int == 12 && counts["rejected"] as? Int == 0)
        #expect(counts["read"] as? Int == lines.count - 1 + 12 && counts["accepted"] as? Int == lines.count - 1)
    }

    /// Two files of a glob: the later file's check-in counts, and the earlier file's counts say superseded.
    @Test func aLaterFileOfTheGlobHoldsTheCheckInThatCounts() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try "goal_id,team_id,period,target,actual,score\nG0250,corp-it,2026-Q3,98,98,\n"
            .write(toFile: ws.root + "/SampleData/goals/goals.z.csv", atomically: true, encoding: .utf8)
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        #expect(text.contains("path: ../SampleData/goals/goals.csv"))
        try text.replacingOccurrences(of: "path: ../SampleData/goals/goals.csv", with: "path: ../SampleData/goals/goals*.csv")
            .write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        var report = ""
        setenv("LEANPULSE_KEY", "test-secret", 1)
        #expect(PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate(report: &report) == .published)
        #expect(report.contains("info: [superseded-check-in] goal G0250 of team corp-it in 2026-Q3: the check-in at line 2 of "
                                + ws.root + "/SampleData/goals/goals.z.csv counts"), "\(report)")
        #expect(ws.run() == .published)
        #expect(abs((try goalAttainment(ws) ?? -1) - (1 + 0.94 + 207.8 / 250) / 3) < 1e-6)
        let counts = try goalCounts(ws)
        #expect(counts["goals.csv"]?["superseded"] as? Int == 1 && counts["goals.z.csv"]?["superseded"] as? Int == 0)
        #expect(counts["goals.z.csv"]?["accepted"] as? Int == 1)
    }

    /// METRICS.md 4 keeps its formula: -300 of 100 counts as -3 in the unit's mean, and the goal is warned.
    @Test func aNegativeAttainmentIsWarnedAndCounted() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let path = ws.root + "/SampleData/goals/goals.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "G9001,corp-it,2026-Q3,100,-300,\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        #expect(abs((try goalAttainment(ws) ?? 0) - (92.7 / 98 + 0.94 + 207.8 / 250 - 3) / 4) < 1e-6)
        let warning = try #require(rows(try ws.read("data_quality.csv")).first { $0["code"] == "negative-attainment" })
        #expect(warning["severity"] == "warning" && warning["line"] == String(text.split(separator: "\n").count + 1))
        #expect(warning["message"]?.hasPrefix("goal G9001 of team corp-it in 2026-Q3: actual -300 against target 100 is an attainment of -300%") == true)
    }

    /// The sample's `statuses: { open: [in-progress] }` keeps its log quiet; without it, the word is one `info`, and
    /// validate prints the words a source understands.
    @Test func statusWordsAreMappedOrNamedOnce() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        var report = ""
        #expect(PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate(report: &report) == .published)
        #expect(report.contains("  statuses: implemented: implemented; rejected: rejected, declined; open: open, in-progress\n"), "\(report)")
        #expect(ws.run() == .published)
        #expect(!(try ws.read("data_quality.csv")).contains("unknown-status"))
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let mapped = try #require(text.range(of: "    statuses:"))
        let end = try #require(text.range(of: "\n\n", range: mapped.upperBound..<text.endIndex))
        try text.replacingCharacters(in: mapped.lowerBound..<end.lowerBound, with: "").write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        // A changed statuses: is a changed import (its findings are stored with it).
        #expect(ws.run() == .published)
        let notes = rows(try ws.read("data_quality.csv")).filter { $0["code"] == "unknown-status" }
        #expect(notes.count == 1 && notes[0]["severity"] == "info" && notes[0]["source"] == "ideas")
        #expect(notes[0]["message"]?.hasPrefix("83 ideas have statuses that neither the built-in words") == true)
        #expect(notes[0]["message"]?.contains("1 value, ideas each: 'in-progress' (83); first here") == true)
    }
}
