import Crypto
import Foundation
import LeanPulseCore
@testable import Pipeline
import Store
import Testing

/// The sample pipeline end to end: exports -> store -> metrics -> reports, in a temporary folder.
/// Serialized: the runs share the process environment (the pseudonym key).
@Suite(.serialized)
struct SamplePipelineTests {
    @Test func publishesEveryOutputAndMatchesTheGoldenCSVs() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let fm = FileManager.default
        for file in ["index.html", "methods.html", "team_metrics.csv", "data_quality.csv", "suppression_log.csv",
                     "improvement_flow.csv", "item_scores.csv", "agreement.csv", "reliability.csv", "drivers.csv",
                     "manifest.json"] {
            #expect(fm.fileExists(atPath: ws.reports() + "/" + file), "missing \(file)")
        }
        let teamCSV = try ws.read("team_metrics.csv")
        let unitCount = teamCSV.split(separator: "\n").count - 1
        #expect(unitCount == 27)
        let pages = try fm.contentsOfDirectory(atPath: ws.reports() + "/teams").filter { $0.hasSuffix(".html") }
        #expect(pages.count == 27)

        // team_metrics.csv is not a golden file of our own: it must equal the independent Python computation
        // of METRICS.md (Reference/reference_team_metrics.py, output committed).
        #expect(teamCSV == (try Reference.expectedTeamMetrics("2026-Q3")))
        #expect(try ws.read("item_scores.csv") == (try Reference.expected("item_scores", "2026-Q3")))
        #expect(try Golden.check(ws.portable("suppression_log.csv"), named: "suppression_log.csv"))
        #expect(try Golden.check(ws.portable("data_quality.csv"), named: "data_quality.csv"))
        #expect(try Golden.check(ws.portable("improvement_flow.csv"), named: "improvement_flow.csv"))
        // Every unit and every ISO week touching 2026-Q3 (W27-W40), weeks without implemented ideas as 0.
        let flow = try ws.read("improvement_flow.csv").split(separator: "\n").dropFirst()
        #expect(flow.count == 27 * 14)
        #expect(Set(flow.map { $0.split(separator: ",")[2] }).count == 14)
    }

    @Test func anEarlierPeriodMatchesTheIndependentComputationToo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run(period: "2025-Q4") == .published)
        #expect(try ws.read("team_metrics.csv", period: "2025-Q4") == (try Reference.expectedTeamMetrics("2025-Q4")))
    }

    /// `person-mean` hides, on top of the other rules, a factor that 1 to 4 people of a unit answered only part of
    /// (DECISIONS 44): the sample has such people in most teams. The reference's own output under that setting
    /// (`expected_team_metrics_2026-Q3_person-mean.csv`, README of Reference/) is what the run must write.
    @Test func personMeanMatchesTheIndependentComputation() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "favorable_aggregation: item-mean ", with: "favorable_aggregation: person-mean")
        #expect(changed != text)
        try changed.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        let teamCSV = try ws.read("team_metrics.csv")
        #expect(teamCSV == (try Reference.expected("team_metrics", "2026-Q3_person-mean")))
        #expect(teamCSV != (try Reference.expectedTeamMetrics("2026-Q3")))
        #expect(try ws.read("methods.html").contains("people who answered only part of a factor"))
        // The page says why a factor is blank (ops-eu-pack hides autonomy, alignment and improvement this way).
        #expect(try ws.read("teams/ops-eu-pack.html").contains("answered these questions here (or answered only some of them)"))
    }

    @Test func countsReconcileAndNoRawEmployeeIdIsStoredOrReported() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let manifest = try JSONSerialization.jsonObject(with: Data(try ws.read("manifest.json").utf8)) as? [String: Any]
        let counts = try #require(manifest?["importCounts"] as? [[String: Any]])
        #expect(counts.count == 6)
        // Every input with its sha256: the exports, and the pipeline file, the instrument and the organisation file.
        let inputs = try #require(manifest?["inputs"] as? [[String: Any]])
        #expect(inputs.prefix(3).map { $0["source"] as? String } == ["(pipeline)", "(instrument)", "(organization)"])
        for input in inputs {
            let path = try #require(input["path"] as? String)
            let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
            #expect(input["sha256"] as? String == digest, "\(path)")
        }
        #expect(inputs.count == 3 + counts.count)
        for c in counts {
            let read = c["read"] as? Int ?? -1, accepted = c["accepted"] as? Int ?? -1
            let rejected = c["rejected"] as? Int ?? -1, superseded = c["superseded"] as? Int ?? -1
            #expect(read == accepted + rejected + superseded, "\(c)")
        }
        // Employee ids look like E00042 in the exports: none may reach the store or a report.
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: ws.store))
        #expect(storeBytes.range(of: Data("E00101".utf8)) == nil)
        #expect(storeBytes.range(of: Data("E00042".utf8)) == nil)
        var outputs = [ws.reports() + "/index.html", ws.reports() + "/team_metrics.csv", ws.reports() + "/data_quality.csv"]
        outputs += try FileManager.default.contentsOfDirectory(atPath: ws.reports() + "/teams").map { ws.reports() + "/teams/" + $0 }
        for path in outputs {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.range(of: #"\bE0\d{4}\b"#, options: .regularExpression) == nil, "employee id in \(path)")
        }
    }

    @Test func aSecondRunWithUnchangedInputsSkipsTheImportAndLeavesTheReport() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let manifest = try ws.read("manifest.json")
        let imports = try LeanPulseStore(path: ws.store).importSummary().count
        #expect(manifest.contains("\"fingerprint\""))
        #expect(ws.run() == .published)
        // The report is current: not computed and written again (its manifest, with the generation time, stays).
        #expect(try ws.read("manifest.json") == manifest)
        #expect(try LeanPulseStore(path: ws.store).importSummary().count == imports)
    }

    @Test func aReportIsWrittenAgainWhenAnythingItIsComputedFromChanged() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let teamCSV = try ws.read("team_metrics.csv")
        let manifest = try ws.read("manifest.json")

        // The pipeline file (a new title): same numbers, a new report.
        let pipeline = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let retitled = pipeline.replacingOccurrences(of: "title: \"", with: "title: \"Retitled ")
        #expect(retitled != pipeline)
        try retitled.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        let second = try ws.read("manifest.json")
        #expect(second != manifest)
        #expect(try ws.read("team_metrics.csv") == teamCSV)
        // Unchanged imports are reported as such in the new manifest.
        #expect(second.contains("\"unchanged\" : true") || second.contains("\"unchanged\": true"))

        // The organisation file (a unit renamed).
        let teams = ws.root + "/SampleData/org/teams.csv"
        let org = try String(contentsOfFile: teams, encoding: .utf8)
        let lines = org.split(separator: "\n", omittingEmptySubsequences: false)
        var fields = lines[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[2] = "Renamed unit"
        var edited = lines.map(String.init)
        edited[2] = fields.joined(separator: ",")
        try edited.joined(separator: "\n").write(toFile: teams, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        #expect(try ws.read("team_metrics.csv").contains("Renamed unit"))

        // A report folder without its manifest (deleted by hand) is no longer known to be a report: the run refuses to
        // replace it (exit 2, the files stay); once it is gone, the report is written again.
        try FileManager.default.removeItem(atPath: ws.reports() + "/manifest.json")
        #expect(ws.run() == .invalidConfiguration)
        #expect(FileManager.default.fileExists(atPath: ws.reports() + "/team_metrics.csv"))
        try FileManager.default.removeItem(atPath: ws.reports())
        #expect(ws.run() == .published)
        #expect(FileManager.default.fileExists(atPath: ws.reports() + "/manifest.json"))
    }

    @Test func refusesToRunWithoutAKeyWhenIdsAreMapped() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try FileManager.default.removeItem(atPath: ws.root + "/SampleData/demo-pseudonym.key")
        try ws.withoutKeyVariable()
        #expect(ws.run() == .invalidConfiguration)
        #expect(!FileManager.default.fileExists(atPath: ws.reports()))
        #expect(!FileManager.default.fileExists(atPath: ws.store))
    }

    @Test func aSecondRunWaitsForTheLock() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.root + "/out", withIntermediateDirectories: true)
        let fd = open(ws.store + ".lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        // flock locks belong to the open file description: a second open in this process conflicts like another run.
        #expect(ws.run() == .locked)
        flock(fd, LOCK_UN)
        close(fd)
        #expect(ws.run() == .published)
    }

    /// The same store through a symbolic link takes the same lock (75, not a SQLite "database is locked" and exit 1).
    @Test func aLinkToTheStoreTakesTheSameLock() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let link = ws.root + "/out/current.sqlite"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: ws.store)
        let fd = open(ws.store + ".lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let options = RunOptions(pipelinePath: ws.pipeline, period: "2026-Q3", store: link, quiet: true)
        #expect(PipelineRunner(options: options, log: RunLog(quiet: true)).run() == .locked)
        flock(fd, LOCK_UN)
        close(fd)
    }

    @Test func aBrokenFileStopsTheRunAndLeavesStoreAndReportsAsTheyWere() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let before = try ws.read("team_metrics.csv")
        let imports = try LeanPulseStore(path: ws.store).importSummary()
        // Cut the ideas log in the middle of an element: libxml2 must report it, with a location.
        let ideas = ws.root + "/SampleData/ideas/ideas.xml"
        let text = try String(contentsOfFile: ideas, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: ideas, atomically: true, encoding: .utf8)
        // ...and change a survey export so that the survey source would be re-imported too.
        let q3 = ws.root + "/SampleData/exports/pulse-2026-Q3.csv"
        try (try String(contentsOfFile: q3, encoding: .utf8)).replacingOccurrences(of: "Strongly agree", with: "Agree")
            .write(toFile: q3, atomically: true, encoding: .utf8)
        #expect(ws.run() == .failed)
        #expect(try ws.read("team_metrics.csv") == before)
        // The transaction was rolled back: no import was added, the survey source was not replaced either.
        #expect(try LeanPulseStore(path: ws.store).importSummary() == imports)
    }

    @Test func aFirstRunThatFailsLeavesNoStoreBehind() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let ideas = ws.root + "/SampleData/ideas/ideas.xml"
        let text = try String(contentsOfFile: ideas, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: ideas, atomically: true, encoding: .utf8)
        #expect(ws.run() == .failed)
        for file in [ws.store, ws.store + "-wal", ws.store + "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: file), "\(file) was left by the failed first run")
        }
        // A missing export fails before the import starts: no store either.
        try String(text).write(toFile: ideas, atomically: true, encoding: .utf8)
        let goals = ws.root + "/SampleData/goals/goals.csv"
        try FileManager.default.moveItem(atPath: goals, toPath: goals + ".away")
        #expect(ws.run() == .failed)
        #expect(!FileManager.default.fileExists(atPath: ws.store))
        // Restored, the next run creates the store and publishes.
        try FileManager.default.moveItem(atPath: goals + ".away", toPath: goals)
        #expect(ws.run() == .published)
        #expect(FileManager.default.fileExists(atPath: ws.store))
    }

    /// The same period published again with one response fewer: the new report is published, and data_quality.csv warns
    /// that the two reports together give that person's answers away (session 16's audit), naming the units.
    @Test func republishingAPeriodWithAFewRespondentsChangedWarns() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        #expect(!(try ws.read("data_quality.csv")).contains("republished-small-change"))
        let export = ws.root + "/SampleData/exports/pulse-2026-Q3.csv"
        // The last finished response goes (lines as bytes: the export's CRLF is one Character to Swift's String).
        var lines = Array(try Data(contentsOf: URL(fileURLWithPath: export))).split(separator: 0x0A, omittingEmptySubsequences: false)
        let finished = try #require(lines.lastIndex { String(decoding: $0, as: UTF8.self).contains(",True,") })
        lines.remove(at: finished)
        try Data(Array(lines.joined(separator: [0x0A]))).write(to: URL(fileURLWithPath: export))
        // The log says it too (a cron job's only reader): the text log without a terminal holds warnings.
        let logged = LockedText()
        let log = RunLog(format: .text, quiet: false, isTerminal: false) { line in logged.append(line) }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        #expect(PipelineRunner(options: ws.options(), log: log).run() == .published)
        #expect(logged.text.contains("leanpulse: compute: 2026-Q3 was published before") && logged.text.contains("whoever holds both reports"))
        let quality = try ws.read("data_quality.csv")
        #expect(quality.contains("republished-small-change"))
        #expect(quality.contains("whoever holds both reports can compute the answers of the people who changed"))
    }

    /// A headcount below the unit's respondents (an organisation file out of date) pushes its response rate past 100% and
    /// shrinks its intervals to points: each shown unit so is a warning (session 18's audit found no word of it). The
    /// sample's own headcounts give none.
    @Test func moreRespondentsThanTheHeadcountIsWarned() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        #expect(!(try ws.read("data_quality.csv")).contains("respondents-exceed-headcount"))
        let teams = ws.root + "/SampleData/org/teams.csv"
        let text = try String(contentsOfFile: teams, encoding: .utf8)
        try text.replacingOccurrences(of: "ops-eu-asm,ops-eu,Assembly Line A,22", with: "ops-eu-asm,ops-eu,Assembly Line A,5")
            .write(toFile: teams, atomically: true, encoding: .utf8)
        #expect(ws.run() == .published)
        let found = try ws.read("data_quality.csv").split(separator: "\n").filter { $0.contains("respondents-exceed-headcount") }
        // The line, and the Zürich site above it (headcount 6 + 5).
        #expect(found.count == 2, "\(found)")
        let line = try #require(found.first { $0.contains("warning,respondents-exceed-headcount,\"team ops-eu-asm:") }, "\(found)")
        #expect(line.contains("more than the headcount of 5 the organisation file gives it and its sub-units (response rate"))
        #expect(found.contains { $0.contains("\"team ops-eu: ") })
        let metrics = try ws.read("team_metrics.csv").split(separator: "\n").first { $0.contains(",ops-eu-asm,") }
        #expect(metrics.map { $0.split(separator: ",", omittingEmptySubsequences: false)[6] }.map { Double($0)! > 100 } == true)
    }

    /// A folder or a pipe where an export belongs fails the run with what it is, at its path (it was Foundation's "The
    /// operation could not be completed. (NSCocoaErrorDomain error 256.)"); no store is left.
    @Test func aFolderOrAPipeInsteadOfAnExportSaysSo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let goals = ws.root + "/SampleData/goals/goals.csv"
        try FileManager.default.removeItem(atPath: goals)
        try FileManager.default.createDirectory(atPath: goals, withIntermediateDirectories: false)
        func failure() -> (ExitCode, String) {
            setenv("LEANPULSE_KEY", "test-secret", 1)
            let buffer = LockedText()
            let log = RunLog(format: .text, quiet: true, isTerminal: false) { buffer.append($0) }
            return (PipelineRunner(options: ws.options(), log: log).run(), buffer.text)
        }
        var (code, text) = failure()
        #expect(code == .failed)
        #expect(text.contains(goals + ": error: is a folder, not a file"), "\(text)")
        try FileManager.default.removeItem(atPath: goals)
        #expect(mkfifo(goals, 0o600) == 0)
        (code, text) = failure()
        #expect(code == .failed)
        #expect(text.contains(goals + ": error: is not a regular file"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: ws.store))
    }

    /// `validate` answers what `run` would: over the data-quality gate, both say 3 (validate said "would go ahead").
    @Test func validateAndRunAgreeOnTheDataQualityGate() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        #expect(PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate() == .published)
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        #expect(text.contains("max_rejected_ratio: 0.02"))
        try text.replacingOccurrences(of: "max_rejected_ratio: 0.02", with: "max_rejected_ratio: 0.0")
            .write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate() == .qualityGateExceeded)
        #expect(!FileManager.default.fileExists(atPath: ws.store))
        #expect(ws.run() == .qualityGateExceeded)
    }

    /// The gate holds for each source on its own: 8 unusable goals of 256 (3%) exceed it, however clean the surveys
    /// and the ideas are (over all sources' records the same 8 were 0.3%, and the run said 0).
    @Test func theDataQualityGateIsPerSource() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let goals = ws.root + "/SampleData/goals/goals.csv"
        var lines = try String(contentsOfFile: goals, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in 1...8 { lines[i] = lines[i].replacingOccurrences(of: ",ops", with: ",nowhere") }
        try lines.joined(separator: "\n").write(toFile: goals, atomically: true, encoding: .utf8)
        #expect(ws.run() == .qualityGateExceeded)
        let message = PipelineRunner.qualityGateMessage(
            counts: [.init(source: "pulse", file: "/q2.csv", sha256: "", read: 390), .init(source: "pulse", file: "/q3.csv", sha256: "", read: 390),
                     .init(source: "goals", file: goals, sha256: "", read: 256)],
            findings: (0..<8).map { _ in DataQualityFinding(source: "goals", location: SourceLocation(file: goals), severity: .error,
                                                            code: "unknown-team", message: "") },
            maxRejectedRatio: 0.02)
        #expect(message == "data-quality gate exceeded: source 'goals': 3.12% of 256 records rejected (max 2.00%)")
        // One file of a source over the gate, the source as a whole under it (12 of 390 in Q3, 12 of 780 in all): the
        // file is named (the audit's 7.7% Q3 export passed at 1.9% of its source's four quarters).
        let oneFile = PipelineRunner.qualityGateMessage(
            counts: [.init(source: "pulse", file: "/q2.csv", sha256: "", read: 390), .init(source: "pulse", file: "/q3.csv", sha256: "", read: 390)],
            findings: (0..<12).map { _ in DataQualityFinding(source: "pulse", location: SourceLocation(file: "/q3.csv", line: 9),
                                                             severity: .error, code: "unknown-team", message: "") },
            maxRejectedRatio: 0.02)
        #expect(oneFile == "data-quality gate exceeded: file /q3.csv: 3.08% of 390 records rejected (max 2.00%)")
    }

    @Test func anInvalidPipelineFileExitsTwo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        try text.replacingOccurrences(of: "format: qualtrics-csv", with: "format: spss").write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        #expect(ws.run() == .invalidConfiguration)
    }

    @Test func anItemTheInstrumentLacksExitsTwo() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let text = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        #expect(text.contains("      Q1: eng1\n"))
        try text.replacingOccurrences(of: "      Q1: eng1\n", with: "      Q1: engX\n").write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        // Found with the configuration, before any export is read (it was a failed run, exit 1, before).
        #expect(ws.run() == .invalidConfiguration)
        #expect(!FileManager.default.fileExists(atPath: ws.store))
    }

    /// `validate --quiet` (cron's pre-flight check): no report, only the exit code and errors (binary built beside the tests).
    @Test func quietValidatePrintsNothingWhenAllIsWell() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leanpulse")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no leanpulse binary beside the tests")
        func validate(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["validate", ws.pipeline] + arguments
            process.environment = ["LEANPULSE_KEY": "test-secret"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text, errors)
        }
        let loud = try validate([])
        #expect(loud.status == 0)
        #expect(loud.out.contains("source pulse"))
        let quiet = try validate(["--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.out.isEmpty)
        #expect(quiet.err.isEmpty)
    }

    @Test func theDemoKeyFileStandsInWhenTheVariableIsUnset() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try ws.withoutKeyVariable()
        #expect(ws.run() == .published)
    }

    /// A key file that exists but is blank is no key: `run` exits 2, and `validate` says so too (it used to call the
    /// pipeline valid, since it only asked whether the file existed).
    @Test func aBlankKeyFileIsNoKeyForValidateAsForRun() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        try " \n\n".write(toFile: ws.root + "/SampleData/demo-pseudonym.key", atomically: true, encoding: .utf8)
        try ws.withoutKeyVariable()
        #expect(PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate() == .invalidConfiguration)
        #expect(ws.run() == .invalidConfiguration)
    }

    @Test func validateWritesNothing() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let code = PipelineValidator(options: ws.options(), log: RunLog(quiet: true)).validate()
        #expect(code == .published)
        #expect(!FileManager.default.fileExists(atPath: ws.root + "/out"))
    }
}
