import Foundation
import LeanPulseCore
import Pipeline
@testable import SampleGenerator
import Testing

/// `leanpulse sample --format`: every survey layout the generator writes runs with the pipeline file written beside it and
/// gives the figures of the Qualtrics CSV sample made with the same options (same people, same answers).
///
/// Previews and unfinished responses exist only in the Qualtrics layouts (the other tools record a response when it is
/// submitted), and Qualtrics' readers skip them: the counts and figures compared here do not include them either way.
/// Layouts with answer codes leave "Don't know" and the unknown answer text blank; both count as not answered, as the
/// Qualtrics reading of them does. So everything compared must be equal, and the duplicate and unknown-team findings
/// (data problems every tool can have) must be there in every layout.
@Suite struct SampleFormatTests {
    /// Two quarters of the designed organisation: smaller ones have no unit large enough to carry the survey traps.
    static let options = SampleOptions(employees: 240, quarters: 2)
    static let otherFormats = SampleSurveyFormat.allCases.filter { $0 != .qualtricsCSV }

    /// A generated sample in a temporary folder, with its reports per period after `run`.
    struct GeneratedSample {
        let root: String

        init(_ format: SampleSurveyFormat) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("lp-sample-\(format)-\(UUID().uuidString)").path
            var options = SampleFormatTests.options
            options.format = format
            _ = try SampleGenerator.write(to: root, options: options)
            if format == .qualtricsCSV {
                // The Qualtrics CSV sample is written for Pipelines/quarterly.yml and gets no pipeline file: write the
                // same pipeline with the Qualtrics mapping (that quarterly.yml has) to run it from here.
                var withFile = options
                withFile.format = .qualtricsCSV
                try SampleGenerator.pipelineYAML(options: withFile).write(toFile: root + "/pipeline.yml", atomically: true, encoding: .utf8)
                try SampleGenerator.instrumentYAML().write(toFile: root + "/instrument.yml", atomically: true, encoding: .utf8)
            }
            // The generated file reads the key from LEANPULSE_KEY; SamplePipelineTests unsets that variable in one test,
            // possibly while this suite runs, so the runs here read the same kind of key from a variable of their own.
            let pipeline = root + "/pipeline.yml"
            let yaml = try String(contentsOfFile: pipeline, encoding: .utf8)
            #expect(yaml.contains("pseudonym_key_env: LEANPULSE_KEY\n"))
            try yaml.replacingOccurrences(of: "pseudonym_key_env: LEANPULSE_KEY\n", with: "pseudonym_key_env: LEANPULSE_SAMPLE_FORMAT_KEY\n")
                .write(toFile: pipeline, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }

        func run(period: Period) -> ExitCode {
            setenv("LEANPULSE_SAMPLE_FORMAT_KEY", "test-secret", 1)
            return PipelineRunner(options: RunOptions(pipelinePath: root + "/pipeline.yml", period: period.description, quiet: true),
                                  log: RunLog(quiet: true)).run()
        }

        func read(_ name: String, period: Period) throws -> String {
            try String(contentsOfFile: root + "/Reports/\(period)/" + name, encoding: .utf8)
        }
    }

    /// The organisation row (the root unit, `hq`) of a team_metrics.csv: column name to value.
    static func organisationRow(_ csv: String) throws -> [String: String] {
        let lines = csv.split(separator: "\n").map(String.init)
        let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let teamColumn = try #require(header.firstIndex(of: "team_id"))
        let row = try #require(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .first { $0.count > teamColumn && $0[teamColumn] == "hq" })
        return Dictionary(uniqueKeysWithValues: zip(header, row))
    }

    /// How many data_quality.csv rows have `code`.
    static func findings(_ csv: String, code: String) -> Int {
        csv.split(separator: "\n").filter { $0.contains(",\(code),") }.count
    }

    @Test(arguments: otherFormats)
    func runsAndGivesTheQualtricsFigures(format: SampleSurveyFormat) throws {
        let reference = try GeneratedSample(.qualtricsCSV)
        defer { reference.remove() }
        let sample = try GeneratedSample(format)
        defer { sample.remove() }

        for period in Self.options.periods {
            let referenceCode = reference.run(period: period)
            #expect(referenceCode == .published || referenceCode == .qualityGateExceeded)
            let code = sample.run(period: period)
            #expect(code == .published || code == .qualityGateExceeded, "\(format) \(period): exit \(code.rawValue)")

            let expected = try reference.read("team_metrics.csv", period: period)
            let actual = try sample.read("team_metrics.csv", period: period)
            let expectedRoot = try Self.organisationRow(expected)
            let actualRoot = try Self.organisationRow(actual)
            let respondents = try #require(Int(expectedRoot["respondents"] ?? ""))
            #expect(respondents > 150, "\(period): the reference sample has \(respondents) respondents")
            for column in ["respondents", "engagement_index", "enps", "autonomy", "accountability", "alignment"] {
                #expect(actualRoot[column] == expectedRoot[column], "\(format) \(period) \(column)")
            }
            // Every unit, every figure.
            #expect(actual == expected, "\(format) \(period): team_metrics.csv differs from the Qualtrics sample's")
            #expect(try sample.read("item_scores.csv", period: period) == reference.read("item_scores.csv", period: period))

            // The survey was read from this layout's files, and its cross-tool traps are there.
            let manifest = try sample.read("manifest.json", period: period)
            #expect(manifest.contains("exports/" + format.exportName(period.description)))
            let quality = try sample.read("data_quality.csv", period: period)
            let referenceQuality = try reference.read("data_quality.csv", period: period)
            for code in ["duplicate-response", "unknown-team"] {
                #expect(Self.findings(quality, code: code) == Self.findings(referenceQuality, code: code), "\(format) \(period) \(code)")
            }
            #expect(Self.findings(referenceQuality, code: "duplicate-response") > 0)
            if !format.recordsPreviewsAndUnfinished {
                #expect(Self.findings(quality, code: "preview-response") == 0)
                #expect(Self.findings(quality, code: "unfinished-response") == 0)
            }
        }
    }

    /// The sample's layouts are the pipeline's survey `format:` values: a layout the readers do not know would be no use.
    @Test func everyLayoutIsAFormatThePipelineReads() {
        #expect(Set(SampleSurveyFormat.allCases.map(\.rawValue)) == Set(SourceFormat.allCases.map(\.rawValue)).subtracting(["xml"]))
    }

    /// `sample --out DIR` replaced a pipeline file the user had edited there without a word (session 17's audit): a file
    /// with other bytes stops the write before anything is written, unless `--replace`; the same sample again is fine.
    @Test func doesNotOverwriteOtherFilesUnlessAsked() throws {
        var options = SampleOptions(employees: 60, quarters: 1, seed: 11)
        options.format = .googleFormsCSV
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lp-sample-keep-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try SampleGenerator.write(to: root, options: options)
        _ = try SampleGenerator.write(to: root, options: options)  // the same bytes: nothing to lose
        let pipeline = root + "/pipeline.yml"
        try "# mine\n".write(toFile: pipeline, atomically: true, encoding: .utf8)
        let goals = root + "/goals/goals.csv"
        try FileManager.default.removeItem(atPath: goals)
        options.seed = 12
        do {
            _ = try SampleGenerator.write(to: root, options: options)
            Issue.record("the edited pipeline file was overwritten")
        } catch SampleError.wouldReplace(let directory, let paths) {
            #expect(directory == root && paths.contains("pipeline.yml") && !paths.contains("goals/goals.csv"))
        }
        #expect(try String(contentsOfFile: pipeline, encoding: .utf8) == "# mine\n")
        #expect(!FileManager.default.fileExists(atPath: goals))
        _ = try SampleGenerator.write(to: root, options: options, replacing: true)
        #expect(try String(contentsOfFile: pipeline, encoding: .utf8) != "# mine\n")
        #expect(FileManager.default.fileExists(atPath: goals))
    }

    @Test(arguments: SampleSurveyFormat.allCases)
    func sameOptionsGiveTheSameBytes(format: SampleSurveyFormat) throws {
        var options = SampleOptions(employees: 60, quarters: 2, seed: 11)
        options.format = format
        let first = SampleGenerator.files(options: options)
        let second = SampleGenerator.files(options: options)
        #expect(first.map(\.path) == second.map(\.path))
        for (a, b) in zip(first, second) { #expect(a.bytes == b.bytes, "\(format): \(a.path)") }

        // Written to disk, the files are those bytes.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lp-sample-bytes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        _ = try SampleGenerator.write(to: root, options: options)
        for (path, bytes) in first {
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)) == Data(bytes), "\(format): \(path)")
        }

        // Another seed, other answers.
        options.seed = 12
        let other = SampleGenerator.files(options: options)
        let export = "exports/" + format.exportName("2026-Q3")
        #expect(first.first { $0.path == export }?.bytes != other.first { $0.path == export }?.bytes)

        // Names: one export per quarter with the layout's extension; a pipeline and an instrument file unless Qualtrics CSV.
        let paths = Set(first.map(\.path))
        for period in options.periods { #expect(paths.contains("exports/" + format.exportName(period.description))) }
        #expect(paths.contains("pipeline.yml") == (format != .qualtricsCSV))
        #expect(paths.contains("instrument.yml") == (format != .qualtricsCSV))
        #expect(paths.isSuperset(of: ["org/teams.csv", "ideas/ideas.xml", "goals/goals.csv"]))
    }

    /// The organisation, ideas and goals do not depend on the survey layout.
    @Test func onlyTheSurveyExportsChangeWithTheFormat() {
        let qualtrics = Dictionary(uniqueKeysWithValues: SampleGenerator.files(options: Self.options).map { ($0.path, $0.bytes) })
        for format in Self.otherFormats {
            var options = Self.options
            options.format = format
            let files = Dictionary(uniqueKeysWithValues: SampleGenerator.files(options: options).map { ($0.path, $0.bytes) })
            for path in ["org/teams.csv", "ideas/ideas.xml", "goals/goals.csv"] {
                #expect(files[path] == qualtrics[path], "\(format): \(path)")
            }
        }
    }

    /// The generated instrument is the project's: loaded, the two are equal.
    @Test func instrumentFileIsTheProjectsInstrument() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lp-instrument-\(UUID().uuidString).yml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SampleGenerator.instrumentYAML().write(toFile: path, atomically: true, encoding: .utf8)
        let generated = try Instrument.load(path: path)
        let project = try Instrument.load(path: SampleWorkspace.projectRoot + "/Pipelines/instruments/lean-leadership.yml")
        #expect(generated == project)
    }

    /// What each layout looks like where the vendors differ: header rows, dates, BOM, delimiter, quoting, line ends.
    @Test func layoutsLookLikeTheVendorsExports() throws {
        func export(_ format: SampleSurveyFormat, _ suffix: String = "") throws -> [UInt8] {
            var options = SampleOptions(employees: 60, quarters: 1)
            options.format = format
            let name = "exports/" + format.exportName("2026-Q3")
            let path = suffix.isEmpty ? name : String(name.dropLast(4)) + suffix
            return try #require(SampleGenerator.files(options: options).first { $0.path == path }).bytes
        }
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

        let google = try export(.googleFormsCSV)
        #expect(text(google).hasPrefix("Timestamp,Employee ID,Team,"))
        #expect(!text(google).hasSuffix("\n"))   // no final line end
        #expect(text(google).contains("\r\n"))
        let googleDate = try #require(text(google).split(separator: "\r\n").dropFirst().first?.split(separator: ",").first)
        #expect(googleDate.wholeMatch(of: /[1-9]\d?\/[1-9]\d?\/2026 \d{1,2}:\d\d:\d\d/) != nil, "\(googleDate)")

        let microsoft = text(try export(.microsoftFormsCSV))
        #expect(microsoft.hasPrefix("ID,Start time,Completion time,Email,Name,"))
        #expect(microsoft.contains("\"How likely is it that you would recommend this organisation as a place to work?\n\n0 - Not at all likely"))
        let firstRow = try #require(microsoft.split(separator: "\n").first { $0.hasPrefix("1,") })
        #expect(firstRow.split(separator: ",")[2].wholeMatch(of: /[1-9]\d?\/[1-9]\d?\/26 \d{1,2}:\d\d:\d\d/) != nil, "\(firstRow)")

        let lime = try export(.limeSurveyCSV)
        #expect(Array(lime.prefix(3)) == bom)
        let limeText = text(Array(lime.dropFirst(3)))
        #expect(limeText.hasPrefix("\"id\";\"submitdate\";"))
        #expect(limeText.hasSuffix("\r\n\r\n"))
        // Every field quoted: the header's separators all stand between quotes (a record's comment may hold `;` or a CRLF).
        let limeHeader = try #require(limeText.split(separator: "\r\n").first)
        #expect(limeHeader.hasPrefix("\"") && limeHeader.hasSuffix("\"") && !limeHeader.contains(/[^"];|;[^"]/))

        let monkey = text(try export(.surveyMonkeyCSV)).split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(monkey[0].hasPrefix("Respondent ID,Collector ID,Start Date,End Date,"))
        #expect(monkey[1].hasPrefix(",,,,,,,,,,I look forward"))
        #expect(monkey[2].split(separator: ",")[3].wholeMatch(of: /\d\d\/\d\d\/2026 \d\d:\d\d:\d\d [AP]M/) != nil, "\(monkey[2])")

        let qualtricsXML = text(try export(.qualtricsXML))
        #expect(qualtricsXML.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Responses>\n\t<Response>\n\t\t<startDate>"))
        #expect(qualtricsXML.contains("<status>Survey Preview</status>"))

        let plain = text(try export(.csv))
        #expect(plain.hasPrefix("response_id,employee_id,team_id,submitted_at,language,Q1,"))
        #expect(plain.contains(",Q20,Q21\n2") || plain.contains(",Q20,Q21\nR_"))   // LF line ends, no BOM

        let sss = text(try export(.tripleS))
        #expect(sss.contains("<sss version=\"2.0\">") && sss.contains("href=\"pulse-2026-Q3.asc\""))
        let asc = text(try export(.tripleS, ".asc"))
        let widths = Set(asc.split(separator: "\r\n").map { $0.unicodeScalars.count })
        #expect(widths.count == 1, "fixed-width records: \(widths)")
    }

    @Test func unknownFormatIsRefusedWithTheList() throws {
        let problem = try #require(SampleCommand.formatProblem("spss"))
        for format in SampleSurveyFormat.allCases { #expect(problem.contains(format.rawValue)) }
        for format in SampleCommand.formats { #expect(SampleCommand.formatProblem(format) == nil) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lp-sample-refused-\(UUID().uuidString)").path
        #expect(SampleCommand.write(out: out, employees: 60, quarters: 1, seed: 7, format: "spss").rawValue == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// The command line itself: exit 2 and the list on standard error (the binary is built beside the test bundle).
    @Test func commandLineExitsTwoForAnUnknownFormat() throws {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = folder.appendingPathComponent("leanpulse")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "no leanpulse binary in \(folder.path)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lp-sample-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["sample", "--out", out, "--format", "xml"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        for format in SampleSurveyFormat.allCases { #expect(message.contains(format.rawValue), "\(message)") }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
