import LeanPulseCore

/// The pulse exports in the other tools' layouts. Every layout writes the responses `surveyResponses` simulated (the same
/// people, answers, comments, duplicates, unknown team and unknown answer text); only what a tool cannot record differs:
/// previews and abandoned responses exist in Qualtrics only (`SampleSurveyFormat.recordsPreviewsAndUnfinished`), and a
/// tool that exports answer codes has no code for "Don't know" or an unknown text, which it leaves blank (not answered,
/// as they are in the Qualtrics export). Each layout follows the real exports the project's readers are tested against
/// (`../shared/realdata`).
extension SampleGenerator {
    /// One quarter's export in `format` (not Qualtrics CSV): file names in `exports/` and their bytes.
    static func surveyFiles(_ responses: [SampleResponse], period: Period, options: SampleOptions)
        -> [(path: String, bytes: [UInt8])] {
        let format = options.format
        let rows = format.recordsPreviewsAndUnfinished ? responses : responses.filter { !$0.isQualtricsOnly }
        let name = "exports/" + format.exportName(period.description)
        switch format {
        case .qualtricsCSV:
            return [(name, utf8BOM + Array(qualtricsCSV(rows).utf8))]
        case .csv:
            return [(name, Array(plainCSV(rows).utf8))]
        case .qualtricsXML:
            return [(name, Array(qualtricsXML(rows).utf8))]
        case .surveyMonkeyCSV:
            return [(name, Array(surveyMonkeyCSV(rows, period: period, seed: options.seed).utf8))]
        case .googleFormsCSV:
            return [(name, Array(googleFormsCSV(rows).utf8))]
        case .microsoftFormsCSV:
            return [(name, Array(microsoftFormsCSV(rows).utf8))]
        case .limeSurveyCSV:
            return [(name, utf8BOM + Array(limeSurveyCSV(rows, period: period, seed: options.seed).utf8))]
        case .tripleS:
            let data = "pulse-\(period).asc"
            let (metadata, records) = tripleS(rows, period: period, dataFile: data)
            return [(name, Array(metadata.utf8)), ("exports/" + data, Array(records.utf8))]
        }
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The 19 statements, the eNPS question and the comment: the answer columns of every layout.
    static var questionTexts: [String] {
        SampleInstrument.items.map(\.text) + [SampleInstrument.enpsText, SampleInstrument.commentText]
    }

    /// Q1...Q19 and Q20 (eNPS) as codes, Q21 as written; `missing` stands for an answer without a code.
    static func codedAnswers(_ answers: [String], missing: (String) -> String) -> [String] {
        let items = SampleInstrument.items.count
        return answers.enumerated().map { i, answer in
            if i < items { return SampleInstrument.agreeCode(answer) ?? (answer.isEmpty ? "" : missing(answer)) }
            if i == items { return SampleInstrument.enpsCode(answer) ?? (answer.isEmpty ? "" : missing(answer)) }
            return answer
        }
    }

    /// Choice text for the statements, the eNPS as the plain 0-10 number a rating question records, `-99` (Qualtrics'
    /// "seen but unanswered") as blank: how Google Forms, Microsoft Forms and SurveyMonkey store the same answers.
    static func formAnswers(_ answers: [String]) -> [String] {
        let items = SampleInstrument.items.count
        return answers.enumerated().map { i, answer in
            if answer == "-99" { return "" }
            if i == items { return SampleInstrument.enpsCode(answer) ?? answer }
            return answer
        }
    }

    // MARK: - csv

    /// Columns of the plain CSV before the answers.
    static let plainColumns = ["response_id", "employee_id", "team_id", "submitted_at", "language"]

    /// A plain CSV as an HR system or a spreadsheet writes it: one header row, UTF-8 without BOM, LF, quotes only where
    /// needed, ISO 8601 UTC timestamps, answers as codes (1-5, eNPS 0-10), `-99` kept as the missing code, "Don't know"
    /// blank, and the unknown answer text kept as typed (a hand-edited cell).
    static func plainCSV(_ rows: [SampleResponse]) -> String {
        let questions = (1...SampleInstrument.items.count + 2).map { "Q\($0)" }
        var text = SampleText.csvRow(plainColumns + questions, lineEnd: "\n")
        for row in rows {
            let answers = codedAnswers(row.answers) { $0 == "-99" || $0 == unmatchedLabel ? $0 : "" }
            text += SampleText.csvRow([row.responseId, row.employee, row.team, SampleText.isoTimestamp(row.recorded),
                                       row.language.lowercased()] + answers, lineEnd: "\n")
        }
        return text
    }

    // MARK: - qualtrics-xml

    /// Qualtrics' element names of the metadata columns (`qualtricsColumns` order), as its XML export writes them.
    static let qualtricsXMLNames = [
        "startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate", "_recordId",
        "recipientLastName", "recipientFirstName", "recipientEmail", "externalDataReference", "locationLatitude",
        "locationLongitude", "distributionChannel", "userLanguage",
    ]

    /// The answer elements: one per ImportId (`QID1`, `QID21_TEXT`).
    static var qualtricsXMLQuestions: [String] {
        (1...SampleInstrument.items.count + 1).map { "QID\($0)" } + ["QID\(SampleInstrument.items.count + 2)_TEXT"]
    }

    /// Qualtrics' XML export: `<Responses>` with a `<Response>` per response and an element per field, tab-indented, LF;
    /// the embedded data field `Team` after the questions. Previews and unfinished responses are in it as in the CSV.
    static func qualtricsXML(_ rows: [SampleResponse]) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Responses>\n"
        let names = qualtricsXMLNames + qualtricsXMLQuestions + ["Team"]
        for row in rows {
            // The CSV row without its `Team` column (it moves after the questions, as embedded data does).
            var fields = row.qualtricsFields
            let team = fields.remove(at: qualtricsColumns.count - 1)
            text += "\t<Response>\n"
            for (name, value) in zip(names, fields + [team]) {
                text += "\t\t<\(name)>\(xmlText(value))</\(name)>\n"
            }
            text += "\t</Response>\n"
        }
        return text + "</Responses>\n"
    }

    /// Character data with `&`, `<`, `>` escaped and a CR as `&#13;`, which an XML parser would otherwise turn into LF.
    static func xmlText(_ value: String) -> String {
        var text = ""
        for scalar in SampleText.xml(value).unicodeScalars {
            if scalar == "\r" { text += "&#13;" } else { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    // MARK: - surveymonkey-csv

    /// The matrix question that holds the 19 statements: its text stands over its first column only.
    static let surveyMonkeyMatrix = "To what extent do you agree with the following statements?"
    static let surveyMonkeyColumns = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
                                      "First Name", "Last Name", "Custom Data 1", "team"]

    /// SurveyMonkey's CSV: two header rows (question text over a question's first column; the matrix rows, `Response` and
    /// `Open-Ended Response` under it), 12-hour `MM/DD/YYYY hh:mm:ss AM` dates, CRLF, choice text, the eNPS as its number.
    /// The employee id is the contact's `Custom Data 1`, the team a custom variable. Respondent ids are 11-digit numbers
    /// rising with time, drawn from a stream of their own so that the simulation's numbers do not move.
    static func surveyMonkeyCSV(_ rows: [SampleResponse], period: Period, seed: UInt64) -> String {
        var rng = SampleRandom(seed: seed, stream: "surveymonkey-\(period)")
        let statements = SampleInstrument.items.map(\.text)
        var first = surveyMonkeyColumns + [surveyMonkeyMatrix]
        first += Array(repeating: "", count: statements.count - 1) + [SampleInstrument.enpsText, SampleInstrument.commentText]
        let second = Array(repeating: "", count: surveyMonkeyColumns.count) + statements + ["Response", "Open-Ended Response"]
        var text = SampleText.csvRow(first, lineEnd: "\r\n") + SampleText.csvRow(second, lineEnd: "\r\n")
        var respondent = 11_400_000_000 + Int(period.year % 100) * 10_000_000 + period.quarter * 1_000_000
        let collector = String(400_000_000 + rng.int(0...99_999_999))
        for row in rows {
            respondent += rng.int(1_000...90_000)
            text += SampleText.csvRow([String(respondent), collector, SampleText.twelveHourTimestamp(row.started),
                                       SampleText.twelveHourTimestamp(row.recorded), "", "", "", "", row.employee, row.team]
                                      + formAnswers(row.answers), lineEnd: "\r\n")
        }
        return text
    }

    // MARK: - google-forms-csv

    static let googleColumns = ["Timestamp", "Employee ID", "Team"]

    /// Google Sheets' download of the form's responses: `Timestamp` (`M/D/YYYY H:MM:SS`), then one column per question
    /// named by its text (the employee id and team are short-answer questions filled in by a pre-filled link), choice text,
    /// the eNPS linear scale as its number, CRLF, quotes only where needed, no newline after the last row.
    static func googleFormsCSV(_ rows: [SampleResponse]) -> String {
        var lines = [SampleText.csvRow(googleColumns + questionTexts, lineEnd: "")]
        for row in rows {
            lines.append(SampleText.csvRow([SampleText.usTimestamp(row.recorded), row.employee, row.team]
                                           + formAnswers(row.answers), lineEnd: ""))
        }
        return lines.joined(separator: "\r\n")
    }

    // MARK: - microsoft-forms-csv

    static let microsoftColumns = ["ID", "Start time", "Completion time", "Email", "Name", "Employee ID", "Team"]
    /// The eNPS question's header cell: its text with the scale's anchors on lines of their own, as Forms writes them.
    static let microsoftEnpsHeader = SampleInstrument.enpsText + "\n\n0 - Not at all likely\n10 - Extremely likely"

    /// Microsoft Forms' export: `ID`, `Start time`, `Completion time` (`M/D/YY H:MM:SS`), `Email` (`anonymous`: anyone
    /// with the link may answer), `Name` (empty), then the questions by their text (the eNPS header spans lines), choice
    /// text, the eNPS as its number, LF, quotes only where needed. `ID` numbers responses in the order they were completed.
    static func microsoftFormsCSV(_ rows: [SampleResponse]) -> String {
        let headers = microsoftColumns + SampleInstrument.items.map(\.text) + [microsoftEnpsHeader, SampleInstrument.commentText]
        var text = SampleText.csvRow(headers, lineEnd: "\n")
        for (index, row) in rows.enumerated() {
            text += SampleText.csvRow([String(index + 1), SampleText.usTimestamp(row.started, shortYear: true),
                                       SampleText.usTimestamp(row.recorded, shortYear: true), "anonymous", "", row.employee,
                                       row.team] + formAnswers(row.answers), lineEnd: "\n")
        }
        return text
    }

    // MARK: - limesurvey-csv

    static let limeColumns = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "EMPID", "TEAM"]
    /// Code headings of the array question's subquestions (`LP[SQ001]`...), the eNPS list and the comment.
    static var limeQuestions: [String] {
        SampleInstrument.items.indices.map { "LP[SQ\(SampleText.pad($0 + 1, 3))]" } + ["ENPS", "COMMENT"]
    }

    /// LimeSurvey's response export with code headings (as its RemoteControl API writes it): a BOM, `;`, every field
    /// quoted, CRLF, an empty line at the end; answer codes (1-5, eNPS 0-10), no code for "Don't know" or `-99` (blank).
    /// `id` counts responses in the order they were started; `EMPID` and `TEAM` are hidden questions filled from the
    /// invitation link. The `seed` column comes from a stream of its own.
    static func limeSurveyCSV(_ rows: [SampleResponse], period: Period, seed: UInt64) -> String {
        var rng = SampleRandom(seed: seed, stream: "limesurvey-\(period)")
        func line(_ fields: [String]) -> String { fields.map(SampleText.quotedField).joined(separator: ";") + "\r\n" }
        var text = line(limeColumns + limeQuestions)
        let started = rows.indices.sorted { (rows[$0].started, $0) < (rows[$1].started, $1) }
        for (number, index) in started.enumerated() {
            let row = rows[index]
            let answers = codedAnswers(row.answers) { _ in "" }
            text += line([String(number + 1), SampleText.timestamp(row.recorded), "3", row.language.lowercased(),
                          String(rng.int(1...2_147_483_647)), SampleText.timestamp(row.started),
                          SampleText.timestamp(row.recorded), row.employee, row.team] + answers)
        }
        return text + "\r\n"
    }

    // MARK: - triple-s

    /// Triple-S 2.0: XML metadata (`.sss`) describing a fixed-width data file (`.asc`, CRLF) beside it. The statements
    /// and the eNPS are `single` variables with their value labels, answers are codes (no code: blank); `SUBMITTED` is a
    /// `date` variable (`YYYYMMDD`); text cannot span lines in fixed-width data, so line breaks and tabs in comments
    /// become spaces. Character widths are those of the longest value, counted in characters.
    static func tripleS(_ rows: [SampleResponse], period: Period, dataFile: String) -> (metadata: String, data: String) {
        struct Variable { var name: String; var label: String; var type: String; var width: Int; var values: [(String, String)] }
        func oneLine(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\t" ? " " : $0 }))
        }
        // The values of every record, in variable order.
        let records: [[String]] = rows.enumerated().map { number, row in
            let t = SampleText.civil(row.recorded).day.civil
            let date = SampleText.pad(t.year, 4) + SampleText.pad(t.month, 2) + SampleText.pad(t.day, 2)
            let answers = codedAnswers(row.answers) { _ in "" }
            return [String(number + 1), row.employee, row.team, date] + answers.dropLast() + [oneLine(answers.last ?? "")]
        }
        func width(_ column: Int) -> Int { max(1, records.map { $0[column].unicodeScalars.count }.max() ?? 1) }
        let agree = SampleInstrument.agreeLabels.enumerated().map { (String($0 + 1), $1) }
        let enps = (0...10).map { (String($0), SampleInstrument.enpsLabel($0)) }
        var variables = [
            Variable(name: "SERIAL", label: "Serial number", type: "quantity", width: max(1, String(rows.count).count), values: []),
            Variable(name: "EMPID", label: "Employee ID", type: "character", width: width(1), values: []),
            Variable(name: "TEAM", label: "Team", type: "character", width: width(2), values: []),
            Variable(name: "SUBMITTED", label: "Date submitted", type: "date", width: 8, values: []),
        ]
        for (i, item) in SampleInstrument.items.enumerated() {
            variables.append(Variable(name: "Q\(i + 1)", label: item.text, type: "single", width: 1, values: agree))
        }
        variables.append(Variable(name: "Q\(SampleInstrument.items.count + 1)", label: SampleInstrument.enpsText,
                                  type: "single", width: 2, values: enps))
        variables.append(Variable(name: "Q\(SampleInstrument.items.count + 2)", label: SampleInstrument.commentText,
                                  type: "character", width: width(variables.count), values: []))

        var sss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sss version=\"2.0\">\n"
        sss += "  <origin>leanpulse sample</origin>\n  <survey>\n    <name>pulse-\(period)</name>\n"
        sss += "    <title>Lean leadership pulse \(period)</title>\n"
        sss += "    <record ident=\"A\" href=\"\(dataFile)\">\n"
        var start = 1
        for (i, variable) in variables.enumerated() {
            sss += "      <variable ident=\"\(i + 1)\" type=\"\(variable.type)\">\n"
            sss += "        <name>\(variable.name)</name>\n        <label>\(SampleText.xml(variable.label))</label>\n"
            sss += "        <position start=\"\(start)\" finish=\"\(start + variable.width - 1)\"/>\n"
            if variable.type == "quantity" {
                sss += "        <values><range from=\"1\" to=\"\(rows.count)\"/></values>\n"
            } else if !variable.values.isEmpty {
                sss += "        <values>\n"
                for (code, label) in variable.values {
                    sss += "          <value code=\"\(code)\">\(SampleText.xml(label))</value>\n"
                }
                sss += "        </values>\n"
            }
            sss += "      </variable>\n"
            start += variable.width
        }
        sss += "    </record>\n  </survey>\n</sss>\n"

        var data = ""
        for record in records {
            for (variable, value) in zip(variables, record) {
                let padding = String(repeating: " ", count: max(0, variable.width - value.unicodeScalars.count))
                // Numbers are right-aligned, text left-aligned, as Triple-S writers do.
                data += variable.type == "character" ? value + padding : padding + value
            }
            data += "\r\n"
        }
        return (sss, data)
    }
}
