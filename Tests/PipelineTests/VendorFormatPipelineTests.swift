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

    /// `2026-08-08 13:52:14` as SurveyMonkey writes it: `08/08/2026 01:52:14 PM`.
    static func surveyMonkeyTimestamp(_ iso: String) -> String {
        let parts = iso.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count >= 4 else { return iso }
        let time = parts[3].split(separator: ":").map(String.init)
        let hour = Int(time[0]) ?? 0
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        return "\(parts[1])/\(parts[2])/\(parts[0]) \(twelve < 10 ? "0" : "")\(twelve):\(time[1]):\(time[2]) \(hour < 12 ? "AM" : "PM")"
    }

    enum Vendor: String, CaseIterable, CustomStringConvertible {
        case google = "google-forms-csv", surveyMonkey = "surveymonkey-csv", qualtricsXML = "qualtrics-xml"
        case microsoftForms = "microsoft-forms-csv", limeSurvey = "limesurvey-csv", tripleS = "triple-s"
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
                    : [row["ResponseId"] ?? "", surveyMonkeyTimestamp(date), row["ExternalReference"] ?? "", row["Team"] ?? ""]
                lines.append(csvLine(head + questions.map { row[$0] ?? "" }))
            }
            let path = base + (google ? ".google.csv" : ".sm.csv")
            // Google: CRLF without a final line end; SurveyMonkey: CR only.
            try (google ? lines.joined(separator: "\r\n") : lines.joined(separator: "\r") + "\r").write(toFile: path, atomically: true, encoding: .utf8)
            let fields = "{ respondent: \(google ? "Email Address" : "Custom Data 1"), team: Team, submitted: \(google ? "Timestamp" : "End Date"), "
                + "enps: \(quoted(texts["Q20"] ?? "")), comment: \(quoted(texts["Q21"] ?? "")) }"
            let map = zip(items, itemIDs).map { "\(quoted(texts[$0.0] ?? "")): \($0.1)" }.joined(separator: ", ")
            return (path, fields, "{ \(map) }")
        case .microsoftForms:
            // M/D/YY H:MM:SS, a multi-line header cell for every question (named by its one-line text in `items:`).
            var lines = [csvLine(["ID", "Start time", "Completion time", "Email", "Name", "Team"] + questions.map { (texts[$0] ?? $0) + "\n\n(1 - 5)" })]
            for (index, row) in rows.enumerated() {
                let google = googleTimestamp(row["RecordedDate"] ?? "")
                let parts = google.split(separator: " ", maxSplits: 1).map(String.init)
                let date = parts[0].split(separator: "/").map(String.init)
                let short = "\(date[0])/\(date[1])/\(date[2].suffix(2)) \(parts.count > 1 ? parts[1] : "")"
                lines.append(csvLine(["\(index + 1)", short, short, row["ExternalReference"] ?? "", "", row["Team"] ?? ""] + questions.map { row[$0] ?? "" }))
            }
            let path = base + ".ms.csv"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let fields = "{ respondent: Email, team: Team, submitted: Completion time, "
                + "enps: \(quoted((texts["Q20"] ?? "") + " (1 - 5)")), comment: \(quoted((texts["Q21"] ?? "") + " (1 - 5)")) }"
            let map = zip(items, itemIDs).map { "\(quoted((texts[$0.0] ?? "") + " (1 - 5)")): \($0.1)" }.joined(separator: ", ")
            return (path, fields, "{ \(map) }")
        case .limeSurvey:
            // BOM, `;`, every field quoted, CRLF, an empty line at the end; code headings.
            func line(_ cells: [String]) -> String {
                cells.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ";")
            }
            var lines = [line(["id", "submitdate", "lastpage", "token", "Team"] + questions)]
            for (index, row) in rows.enumerated() {
                lines.append(line(["\(index + 1)", row["RecordedDate"] ?? "", "3", row["ExternalReference"] ?? "", row["Team"] ?? ""] + questions.map { row[$0] ?? "" }))
            }
            let path = base + ".lime.csv"
            try ("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n\r\n").write(toFile: path, atomically: true, encoding: .utf8)
            let map = zip(items, itemIDs).map { "\($0.0): \($0.1)" }.joined(separator: ", ")
            return (path, "{ respondent: token, team: Team, submitted: submitdate, enps: Q20, comment: Q21 }", "{ \(map) }")
        case .tripleS:
            // Metadata (.sss) with CSV data beside it (same name, .csv); character variables, field numbers as positions.
            let names = ["SUBMITTED", "RESP", "TEAM"] + questions
            var sss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sss version=\"2.0\">\n<survey><name>pulse</name>\n<record ident=\"A\" format=\"csv\">\n"
            for (index, name) in names.enumerated() {
                sss += "<variable ident=\"\(index + 1)\" type=\"character\"><name>\(name)</name><label>\(xmlText(texts[name] ?? name))</label>"
                    + "<position start=\"\(index + 1)\" finish=\"\(index + 1)\"/></variable>\n"
            }
            sss += "</record></survey></sss>\n"
            let path = base + ".sss"
            try sss.write(toFile: path, atomically: true, encoding: .utf8)
            let data = rows.map { row in csvLine([row["RecordedDate"] ?? "", row["ExternalReference"] ?? "", row["Team"] ?? ""] + questions.map { row[$0] ?? "" }) }
            try (data.joined(separator: "\r\n") + "\r\n").write(toFile: base + ".csv.tmp", atomically: true, encoding: .utf8)
            let map = zip(items, itemIDs).map { "\($0.0): \($0.1)" }.joined(separator: ", ")
            return (path, "{ respondent: RESP, team: TEAM, submitted: SUBMITTED, enps: Q20, comment: Q21 }", "{ \(map) }")
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
        defer { reference.remove() }
        let referenceCode = try Self.run(reference)
        #expect(referenceCode == .published || referenceCode == .qualityGateExceeded)
        let expected = try reference.read("team_metrics.csv")
        #expect(expected.split(separator: "\n").count > 10)

        let ws = try SampleWorkspace()
        defer { ws.remove() }
        let exports = ws.root + "/SampleData/exports"
        var converted: (fields: String, items: String)?
        for name in try FileManager.default.contentsOfDirectory(atPath: exports) where name.hasSuffix(".csv") {
            let result = try Self.convert(exports + "/" + name, to: vendor)
            converted = (result.fields, result.items)
            try FileManager.default.removeItem(atPath: exports + "/" + name)
            // Triple-S data is named like its metadata: written aside while the original was still there.
            if vendor == .tripleS { try FileManager.default.moveItem(atPath: exports + "/" + name + ".tmp", toPath: exports + "/" + name) }
        }
        let mapping = try #require(converted)
        let pattern = ["qualtrics-xml": "pulse-*.xml", "google-forms-csv": "pulse-*.google.csv", "surveymonkey-csv": "pulse-*.sm.csv",
                       "microsoft-forms-csv": "pulse-*.ms.csv", "limesurvey-csv": "pulse-*.lime.csv", "triple-s": "pulse-*.sss"][vendor.rawValue]!
        try ws.replacePulseSource(with: """
              - id: pulse
                kind: survey
                format: \(vendor.rawValue)
                path: ../SampleData/exports/\(pattern)
                fields: \(mapping.fields)
                items: \(mapping.items)


            """)
        let code = try Self.run(ws)
        #expect(code == .published || code == .qualityGateExceeded)
        #expect(try ws.read("team_metrics.csv") == expected)
        // The survey really came from the converted files: the manifest lists them as the pulse source's inputs.
        let manifest = try ws.read("manifest.json")
        #expect(manifest.contains(String(pattern.dropFirst("pulse-*".count))))
        #expect(vendor == .tripleS || !manifest.contains("pulse-2026-Q3.csv\""))
        if vendor == .tripleS {
            // The import is keyed by content: a changed data file (the metadata unchanged) is imported again.
            // (Half of each quarter's responses are kept: an import replaces only the periods it contains.)
            for name in try FileManager.default.contentsOfDirectory(atPath: exports) where name.hasSuffix(".csv") {
                let lines = try String(contentsOfFile: exports + "/" + name, encoding: .utf8).components(separatedBy: "\r\n")
                try lines.prefix(lines.count / 2).joined(separator: "\r\n").write(toFile: exports + "/" + name, atomically: true, encoding: .utf8)
            }
            let again = try Self.run(ws)
            #expect(again == .published || again == .qualityGateExceeded)
            #expect(try ws.read("team_metrics.csv") != expected)
        }
    }
}
