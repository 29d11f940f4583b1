import Foundation
import LeanPulseCore
import Testing
@testable import Pipeline

/// The same content read twice counts its records twice wherever nothing matches them up (session 16): a pipeline-file
/// error, exit 2, before anything is imported.
struct CountedTwiceTests {
    func source(_ id: String, _ kind: SourceKind, respondent: Bool = false) -> SourceConfig {
        SourceConfig(id: id, kind: kind, format: .csv, path: "/x/\(id).csv",
                     fields: respondent ? ["respondent": "employee_id", "team": "team_id"] : ["team": "team_id"],
                     location: SourceLocation(file: "/p.yml", line: 7))
    }

    func file(_ path: String, _ sha: String) -> InputFileRecord {
        InputFileRecord(source: "", path: path, sha256: String(repeating: sha, count: 64), bytes: 10)
    }

    @Test func whatCountsTwiceAndWhatIsMatchedUp() throws {
        // Anonymous responses in two survey sources: error, at the second source.
        let anonymous = try #require(SourceImporter.countedTwice([(source("a", .survey), [file("/x/q3.csv", "1")]),
                                                                  (source("b", .survey), [file("/x/copy.csv", "1")])]))
        #expect(anonymous.exitCode == .invalidConfiguration)
        #expect(anonymous.diagnostic.location?.line == 7)
        #expect(anonymous.diagnostic.message.hasPrefix("sources 'a' and 'b' read the same content twice (/x/q3.csv and /x/copy.csv, sha256 111111111111...)"))
        #expect(anonymous.diagnostic.message.contains("responses without a respondent id cannot be matched"))
        // Identified respondents: the load keeps one response per person.
        #expect(SourceImporter.countedTwice([(source("a", .survey, respondent: true), [file("/x/q3.csv", "1")]),
                                             (source("b", .survey, respondent: true), [file("/x/q3.csv", "1")])]) == nil)
        // One of the two without a respondent column: its responses cannot be matched.
        #expect(SourceImporter.countedTwice([(source("a", .survey, respondent: true), [file("/x/q3.csv", "1")]),
                                             (source("b", .survey), [file("/x/q3.csv", "1")])]) != nil)
        // Ideas: across the files of one source ids are matched; across sources they are not.
        #expect(SourceImporter.countedTwice([(source("i", .ideas), [file("/x/jan.csv", "2"), file("/x/jan (1).csv", "2")])]) == nil)
        let ideas = try #require(SourceImporter.countedTwice([(source("i", .ideas), [file("/x/jan.csv", "2")]),
                                                              (source("j", .ideas), [file("/x/jan.csv", "2")])]))
        #expect(ideas.diagnostic.message.hasPrefix("sources 'i' and 'j' read the same content twice (/x/jan.csv, sha256"))
        // Goals: not even within a source.
        let goals = try #require(SourceImporter.countedTwice([(source("g", .goals), [file("/x/q3.csv", "3"), file("/x/q3 (1).csv", "3")])]))
        #expect(goals.diagnostic.message.hasPrefix("source 'g' reads the same content twice (/x/q3.csv and /x/q3 (1).csv"))
        // The same bytes as two kinds of input are two different readings, and different content is never flagged.
        #expect(SourceImporter.countedTwice([(source("s", .survey), [file("/x/a.csv", "4")]), (source("i", .ideas), [file("/x/a.csv", "4")]),
                                             (source("g", .goals), [file("/x/b.csv", "5"), file("/x/c.csv", "6")])]) == nil)
    }

    /// The sample with its goals source listed twice: `run` and `validate` exit 2 and name both sources; no store is
    /// created.
    @Test func theSampleWithItsGoalsListedTwiceExitsTwo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        var text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let goals = """
              - id: goals
                kind: goals
                format: csv
                path: ../SampleData/goals/goals.csv
                fields: { id: goal_id, team: team_id, period: period, target: target, actual: actual, score: score }

            """
        let block = try #require(text.range(of: goals))
        text.insert(contentsOf: goals.replacingOccurrences(of: "id: goals\n", with: "id: goals-again\n"), at: block.upperBound)
        try text.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(ws.run() == .invalidConfiguration)
        #expect(!FileManager.default.fileExists(atPath: ws.store))
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let buffer = LockedText()
        let log = RunLog(format: .text, quiet: true, isTerminal: false) { buffer.append($0) }
        var options = ws.options()
        options.quiet = true
        #expect(PipelineValidator(options: options, log: log).validate() == .invalidConfiguration)
        #expect(buffer.text.contains("sources 'goals' and 'goals-again' read the same content twice"), "\(buffer.text)")
    }
}
