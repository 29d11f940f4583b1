import Foundation
import Ingest
import LeanPulseCore
import Pipeline
import Testing

/// The sample's pulse exports rewritten as other tools would have exported them: the run must publish the same team metrics
/// as from the Qualtrics CSVs, so each preset's header and records fit Normalize's `fields:`/`items:` mapping end to end.
@Suite(.serialized) struct VendorFormatPipelineTests {
    static let questions = (1...21).map { "Q\($0)" }

    /// The responses the Qualtrics reader delivers (previews and unfinished ones are already skipped), with the question texts.
    static func sampleResponses(_ file: String) throws -> (texts: [String: String], rows: [[String: String]]) {
        let reader = try CSVRecordReader(file: file, sourceID: "pulse", qualtrics: true)
        var texts: [String: String] = [:]
        for (name, text) in zip(reader.header.names, reader.header.questionTexts) { texts[name] = text }
        var rows: [[String: String]] = []
        while let record = try reader.next() {
            var row: [String: String] = [:]
            for (name, value) in zip(reader.header.names, record.values) { row[name] = value ?? "" }
            rows.append(row)
        }
        return (texts, rows)
    }

    static func csvLine(_ cells: [String]) -> String {
        cells.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
    }

    static func xmlText(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `2026-08-08 11:52:14` as Google Forms writes it: `8/8/2026 11:52:14`.
    static func googleTimestamp(_ iso: String) -> String {
        let parts = iso.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count >= 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return iso }
        let time = parts[3].split(separator: ":").map(String.init)
        return "\(month)/\(day)/\(year) \(Int(time[0]) ?? 0):\(time[1]):\(time[2])"
    }

    enum Vendor: String, CaseIterable, CustomStringConvertible {
        case google = "google-forms-csv", surveyMonkey = "surveymonkey-csv", qualtricsXML = "qualtrics-xml"
        var description: String { rawValue }
    }

    /// Writes the vendor's version of `file` beside it and returns its `fields:`/`items:` in YAML flow style.
    static func convert(_ file: String, to vendor: Vendor) throws -> (path: String, fields: String, items: String) {
        let (texts, rows) = try sampleResponses(file)
        let items = (1...19).map { "Q\($0)" }
        let itemIDs = ["eng1", "eng2", "eng3", "eng4", "auto1", "auto2", "auto3", "auto4", "acc1", "acc2", "acc3", "acc4",
                       "aln1", "aln2", "aln3", "aln4", "imp1", "imp2", "imp3"]
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let base = String(file.dropLast(4))
        switch vendor {
        case .google, .surveyMonkey:
            let google = vendor == .google
            var lines: [String] = []
            let fixed = google ? ["Timestamp", "Email Address", "Team"] : ["Respondent ID", "End Date", "Custom Data 1", "Team"]
            lines.append(csvLine(fixed + questions.map { texts[$0] ?? $0 }))
            if !google { lines.append(csvLine(["", "", "", "Response"] + questions.map { _ in "Response" })) }
            for row in rows {
                let date = row["RecordedDate"] ?? ""
                let head = google ? [googleTimestamp(date), row["ExternalReference"] ?? "", row["Team"] ?? ""]
                    : [row["ResponseId"] ?? "", date, row["ExternalReference"] ?? "", row["Team"] ?? ""]
                lines.append(csvLine(head + questions.map { row[$0] ?? "" }))
            }
            let path = base + (google ? ".google.csv" : ".sm.csv")
            // Google: CRLF without a final line end; SurveyMonkey: CR only.
            try (google ? lines.joined(separator: "\r\n") : lines.joined(separator: "\r") + "\r").write(toFile: path, atomically: true, encoding: .utf8)
            let fields = "{ respondent: \(google ? "Email Address" : "Custom Data 1"), team: Team, submitted: \(google ? "Timestamp" : "End Date"), "
                + "enps: \(quoted(texts["Q20"] ?? "")), comment: \(quoted(texts["Q21"] ?? "")) }"
            let map = zip(items, itemIDs).map { "\(quoted(texts[$0.0] ?? "")): \($0.1)" }.joined(separator: ", ")
            return (path, fields, "{ \(map) }")
        case .qualtricsXML:
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Responses>\n"
            for row in rows {
                xml += "\t<Response>\n"
                for name in ["recordedDate", "status", "finished", "externalDataReference", "Team"] + questions {
                    let key = ["recordedDate": "RecordedDate", "status": "Status", "finished": "Finished", "externalDataReference": "ExternalReference"][name] ?? name
                    xml += "\t\t<\(name)>\(xmlText(row[key] ?? ""))</\(name)>\n"
                }
                xml += "\t</Response>\n"
            }
            xml += "</Responses>\n"
            let path = base + ".xml"
            try xml.write(toFile: path, atomically: true, encoding: .utf8)
            let map = zip(items, itemIDs).map { "\($0.0): \($0.1)" }.joined(separator: ", ")
            return (path, "{ respondent: externalDataReference, team: Team, submitted: recordedDate, enps: Q20, comment: Q21 }", "{ \(map) }")
        }
    }

    /// Runs `ws` with a key variable of its own: SamplePipelineTests unsets LEANPULSE_KEY in one test, possibly while this suite runs.
    static func run(_ ws: SampleWorkspace) throws -> ExitCode {
        var yaml = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "pseudonym_key_env: LEANPULSE_KEY ", with: "pseudonym_key_env: LEANPULSE_VENDOR_TEST_KEY ")
        try yaml.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        setenv("LEANPULSE_VENDOR_TEST_KEY", "test-secret", 1)
        return PipelineRunner(options: ws.options(), log: RunLog(quiet: true)).run()
    }

    @Test(arguments: Vendor.allCases)
    func sameTeamMetricsAsFromTheQualtricsExports(vendor: Vendor) throws {
        let reference = try SampleWorkspace()
        let referenceCode = try Self.run(reference)
        #expect(referenceCode == .published || referenceCode == .qualityGateExceeded)
        let expected = try reference.read("team_metrics.csv")
        #expect(expected.split(separator: "\n").count > 10)

        let ws = try SampleWorkspace()
        let exports = ws.root + "/SampleData/exports"
        var converted: (fields: String, items: String)?
        for name in try FileManager.default.contentsOfDirectory(atPath: exports) where name.hasSuffix(".csv") {
            let result = try Self.convert(exports + "/" + name, to: vendor)
            converted = (result.fields, result.items)
            try FileManager.default.removeItem(atPath: exports + "/" + name)
        }
        let mapping = try #require(converted)
        let pattern = vendor == .qualtricsXML ? "pulse-*.xml" : vendor == .google ? "pulse-*.google.csv" : "pulse-*.sm.csv"
        var yaml = try String(contentsOfFile: ws.pipeline, encoding: .utf8)
        let start = try #require(yaml.range(of: "  - id: pulse\n"))
        let end = try #require(yaml.range(of: "  # The improvement ideas log"))
        yaml.replaceSubrange(start.lowerBound..<end.lowerBound, with: """
              - id: pulse
                kind: survey
                format: \(vendor.rawValue)
                path: ../SampleData/exports/\(pattern)
                fields: \(mapping.fields)
                items: \(mapping.items)


            """)
        try yaml.write(toFile: ws.pipeline, atomically: true, encoding: .utf8)
        let code = try Self.run(ws)
        #expect(code == .published || code == .qualityGateExceeded)
        #expect(try ws.read("team_metrics.csv") == expected)
        // The survey really came from the converted files: the manifest lists them as the pulse source's inputs.
        let manifest = try ws.read("manifest.json")
        #expect(manifest.contains(vendor == .qualtricsXML ? ".xml" : vendor == .google ? ".google.csv" : ".sm.csv"))
        #expect(!manifest.contains("pulse-2026-Q3.csv\""))
    }
}
