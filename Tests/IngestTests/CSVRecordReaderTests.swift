import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct CSVRecordReaderTests {
    @Test func plainCSVHeaderAndRecords() throws {
        let path = temporaryFile("id,team,score\n1,T1,4\n2,T2,5\n")
        let reader = try RecordReaders.open(source: source(.csv), file: path, fieldPaths: ["ignored"])
        #expect(reader.header.names == ["id", "team", "score"])
        #expect(reader.header.headerRows == 1)
        let records = try readAll(reader)
        #expect(records.map(\.values) == [["1", "T1", "4"], ["2", "T2", "5"]])
        #expect(records[1].location == SourceLocation(file: path, line: 3, column: 1))
        #expect(records[1].columns == [1, 3, 6])
        #expect(reader.findings.isEmpty)
    }

    @Test func shortRowGetsNilsAndAWarning() throws {
        let path = temporaryFile("id,team,score\n1,T1\n")
        let reader = try CSVRecordReader(file: path, sourceID: "pulse")
        let records = try readAll(reader)
        #expect(records.map(\.values) == [["1", "T1", nil]])
        #expect(records[0].columns == [1, 3, 0])
        #expect(reader.findings == [DataQualityFinding(source: "pulse", location: .init(file: path, line: 2, column: 1), severity: .warning,
                                                       code: "short-row", message: "row has 2 fields, the header 3; the missing ones are empty")])
    }

    /// Excel saves a row it kept empty as delimiters (`;;;`): no record, no rejected one, one note per file (session 18's
    /// audit: as responses with no team they failed the quality gate; in an anonymous survey each counted as a respondent).
    @Test func rowsOfDelimitersOnlyAreSkippedWithOneNote() throws {
        let path = temporaryFile("id;team;score\r\n1;T1;4\r\n;;\r\n2;T2;5\r\n;;;;\r\n;;\r\n")
        let reader = try CSVRecordReader(file: path, sourceID: "pulse")
        let records = try readAll(reader)
        #expect(records.map(\.values) == [["1", "T1", "4"], ["2", "T2", "5"]])
        #expect(reader.dataRows == 2)
        #expect(reader.findings == [DataQualityFinding(
            source: "pulse", location: .init(file: path, line: 3), severity: .info, code: "empty-rows",
            message: "3 rows have only empty fields (the first here), as a spreadsheet writes rows it kept empty; skipped, not counted as records")])
        // A quoted empty field is something written: that row is a record.
        let quoted = try CSVRecordReader(file: temporaryFile("id,team\n1,T1\n\"\",\n"), sourceID: "pulse")
        #expect(try readAll(quoted).count == 2)
        #expect(quoted.findings.isEmpty)
        // The presets share the rule: LimeSurvey's strict reader skips them too instead of failing the file.
        let lime = try RecordReaders.open(source: source(.limeSurveyCSV), file: temporaryFile("\"id\";\"submitdate\"\n\"1\";\"2026-08-01 10:00:00\"\n;;;\n"),
                                          fieldPaths: [])
        #expect(try readAll(lime).count == 1)
        #expect(lime.findings.map(\.code) == ["empty-rows"])
    }

    @Test func raggedRowIsSkippedWithAFindingAtTheExtraField() throws {
        let path = temporaryFile("id,team\n1,T1\n2,T2,oops\n3,T3,,\n")
        let reader = try CSVRecordReader(file: path, sourceID: "pulse")
        let records = try readAll(reader)
        // Empty trailing fields are not ragged, but said once at the end (not every row has them).
        #expect(records.map(\.values) == [["1", "T1"], ["3", "T3"]])
        #expect(reader.findings.map(\.code) == ["ragged-row", "extra-empty-fields"])
        #expect(reader.findings.last?.location == SourceLocation(file: path, line: 4, column: 6))
        let finding = try #require(reader.findings.first)
        #expect(finding.code == "ragged-row")
        #expect(finding.location == SourceLocation(file: path, line: 3, column: 6))
        #expect(reader.raggedRows == 1)
    }

    /// A value inserted into a row whose last field is empty reads one column off; the tolerance for empty fields past
    /// the header says so once (session 14's format audit found it silent), stays quiet when every row is padded the
    /// same way (a tool's habit), and does not exist for LimeSurvey, which never writes such fields.
    @Test func emptyFieldsPastTheHeaderAreSaidOnceUnlessEveryRowHasThem() throws {
        let shifted = temporaryFile("emp,team,q1,q2,comment\nE1,ops,4,5,good\nE2,ops,2,3,4,\nE3,ops,5,5,fine\n")
        let reader = try CSVRecordReader(file: shifted, sourceID: "pulse")
        #expect(try readAll(reader).count == 3)
        #expect(reader.findings.map(\.code) == ["extra-empty-fields"])
        #expect(reader.findings.first?.severity == .warning)
        #expect(reader.findings.first?.location == SourceLocation(file: shifted, line: 3, column: 14))
        #expect(reader.findings.first?.message.hasPrefix("1 of 3 rows") == true)

        let padded = temporaryFile("emp,team,q1\nE1,ops,4,,\nE2,ops,2,,\n")
        let quiet = try CSVRecordReader(file: padded, sourceID: "pulse")
        #expect(try readAll(quiet).map(\.values) == [["E1", "ops", "4"], ["E2", "ops", "2"]])
        #expect(quiet.findings.isEmpty)

        let lime = temporaryFile("\"id\";\"team\";\"q1\"\n\"1\";\"ops\";\"4\"\n\"2\";\"ops\";\"9\";\"4\";\"\"\n")
        let strict = try RecordReaders.open(source: source(.limeSurveyCSV), file: lime, fieldPaths: [])
        #expect(throws: IngestError.self) { try readAll(strict) }
    }

    /// Excel's `sep=;` first line (what it writes for another locale's delimiter) states the delimiter and is no header.
    @Test func excelsSeparatorLineStatesTheDelimiter() throws {
        for text in ["sep=;\nemp;team;q1\nE1;ops;4\n", "\u{FEFF}sep=;\r\nemp;team;q1\r\nE1;ops;4\r\n", "SEP=;\nemp;team;q1\nE1;ops;4\n"] {
            let path = temporaryFile(text)
            let reader = try CSVRecordReader(file: path, sourceID: "pulse")
            #expect(reader.header.names == ["emp", "team", "q1"], "\(text.debugDescription)")
            let records = try readAll(reader)
            #expect(records.map(\.values) == [["E1", "ops", "4"]])
            #expect(records.first?.location == SourceLocation(file: path, line: 3, column: 1))
        }
        // A vendor preset reads it too (a Qualtrics export resaved by Excel).
        let path = temporaryFile("sep=;\nResponseId;Team;Q1\nResponse ID;Team;How are you?\nR_1;ops;4\n")
        let preset = try RecordReaders.open(source: source(.qualtricsCSV), file: path, fieldPaths: [])
        #expect(preset.header.names == ["ResponseId", "Team", "Q1"])
        #expect(try readAll(preset).map(\.values) == [["R_1", "ops", "4"]])
    }

    /// A column name written twice: the second is `name (2)` with a warning, not silently shadowed by the first.
    @Test func aRepeatedColumnNameIsNamedApartAndWarned() throws {
        let path = temporaryFile("emp,q1,comment,q1\nE1,4,ok,5\n")
        let reader = try CSVRecordReader(file: path, sourceID: "pulse")
        #expect(reader.header.names == ["emp", "q1", "comment", "q1 (2)"])
        #expect(try readAll(reader).map(\.values) == [["E1", "4", "ok", "5"]])
        #expect(reader.findings.map(\.code) == ["duplicate-column"])
        #expect(reader.findings.first?.location == SourceLocation(file: path, line: 1, column: 16))
        #expect(reader.findings.first?.severity == .info)
    }

    @Test func tooManyRaggedRowsRejectTheFile() throws {
        var text = "id;team\n"
        for i in 0..<200 { text += i % 10 == 0 ? "\(i);T;extra\n" : "\(i);T\n" }
        let path = temporaryFile(text)
        let reader = try CSVRecordReader(file: path, sourceID: "pulse")
        let error = ingestError { _ = try readAll(reader) }
        #expect(error?.reason.hasPrefix("20 of 200 rows have more fields than the header's 2 (first at line 2)") == true)
        #expect(error?.location?.line == 2)

        // Within tolerance once the tolerance is raised.
        let lenient = try CSVRecordReader(file: path, sourceID: "pulse")
        lenient.raggedRowTolerance = 0.2
        #expect(try readAll(lenient).count == 180)
        #expect(lenient.findings.filter { $0.code == "ragged-row" }.count == 20)
    }

    @Test func fewRaggedRowsBelowTheMinimumAreTolerated() throws {
        let path = temporaryFile("a,b\n1,2,3\n4,5\n")
        let reader = try CSVRecordReader(file: path, sourceID: "s")
        #expect(try readAll(reader).count == 1)
    }

    @Test func bareQuoteFinding() throws {
        let path = temporaryFile("id,size\n1,27\" screen\n")
        let reader = try CSVRecordReader(file: path, sourceID: "s")
        let records = try readAll(reader)
        #expect(records[0].values == ["1", "27\" screen"])
        #expect(reader.findings.map(\.code) == ["bare-quote"])
        #expect(reader.findings[0].location == SourceLocation(file: path, line: 2, column: 3))
    }

    @Test func emptyFileIsAnError() throws {
        let path = temporaryFile("")
        let error = ingestError { _ = try CSVRecordReader(file: path, sourceID: "s") }
        #expect(error?.reason == "the file is empty: no header row")
    }

    @Test func unknownEncodingIsAConfigurationError() throws {
        let error = ingestError { _ = try RecordReaders.open(source: source(.csv, encoding: "ebcdic"), file: temporaryFile("a\n"), fieldPaths: []) }
        #expect(error?.location?.line == 12)
    }

    @Test func qualtricsCurrentLayoutWithJSONImportIDs() throws {
        let path = try fixture("qualtrics-current.csv")
        let reader = try CSVRecordReader(source: source(.qualtricsCSV), file: path)
        #expect(reader.layout == .qualtrics)
        #expect(reader.header.headerRows == 3)
        #expect(reader.header.names == ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "Team", "Q1", "Q2"])
        #expect(reader.header.questionTexts[7] == "I know what is expected of me, at work")
        #expect(reader.header.importIds == ["startDate", "endDate", "status", "progress", "finished", "_recordId", "QID9_TEXT", "QID1", "QID2_TEXT"])
        #expect(reader.header.timeZones == [0: "UTC", 1: "UTC"])
        let records = try readAll(reader)
        #expect(records.map { $0.values[5] } == ["R_1", "R_5"])
        #expect(records[0].values[8] == "Good, mostly")
        #expect(records[1].values[8] == "Line one\nline two")
        #expect(records[1].location.line == 8)
        #expect(reader.findings.map(\.code) == ["preview-response", "unfinished-response", "preview-response"])
        #expect(reader.findings.map(\.location.line) == [5, 6, 7])
        #expect(reader.findings.allSatisfy { $0.severity == .info && $0.source == "pulse" })
    }

    @Test func qualtricsFiltersCanBeTurnedOff() throws {
        let path = try fixture("qualtrics-current.csv")
        let reader = try CSVRecordReader(source: source(.qualtricsCSV, includePreviews: true, includeUnfinished: true), file: path)
        #expect(try readAll(reader).count == 5)
        #expect(reader.findings.isEmpty)
    }

    @Test func qualtricsInsightsLayoutWithSingleQuotedImportIDs() throws {
        let reader = try CSVRecordReader(source: source(.qualtricsCSV), file: try fixture("qualtrics-insights.csv"))
        #expect(reader.layout == .qualtrics)
        #expect(reader.header.importIds == ["_recordId", "status", "finished", "QID9_TEXT", "QID1"])
        #expect(reader.header.questionTexts.last == "How engaged are you?")
        let records = try readAll(reader)
        #expect(records.map { $0.values[0] } == ["R_1"])
        #expect(reader.findings.map(\.code) == ["preview-response", "unfinished-response"])
    }

    @Test func qualtricsLegacyLayout() throws {
        let reader = try CSVRecordReader(source: source(.qualtricsCSV), file: try fixture("qualtrics-legacy.csv"))
        #expect(reader.layout == .qualtricsLegacy)
        #expect(reader.csv.hasByteOrderMark)
        #expect(reader.header.headerRows == 2)
        // The trailing comma's empty cell is no column.
        #expect(reader.header.names == ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q1", "Q2"])
        #expect(reader.header.questionTexts[6] == "Status")
        #expect(reader.header.importIds.isEmpty)
        let records = try readAll(reader)
        // Status 2 (test) and 1 (preview) and Finished 0 are skipped; the first data row sits where row 3 was peeked.
        #expect(records.map { $0.values[0] } == ["R_1"])
        #expect(records[0].values[11] == "Fine")
        #expect(records[0].location.line == 3)
        #expect(reader.findings.map(\.code) == ["preview-response", "unfinished-response", "preview-response"])
    }

    /// Question-text and import-id rows deleted in Excel (session 18's audit: the first response was read as question texts and
    /// lost without a word). The question-text row itself, with no import ids, stays a header row.
    @Test func qualtricsWithOnlyItsNamesRow() throws {
        let names = "StartDate,EndDate,Status,Finished,ResponseId,Q1\n"
        let path = temporaryFile(names + "2026-08-14 10:00:00,2026-08-14 10:05:00,IP Address,True,R_1aB,4\n"
                                 + "2026-08-14 11:00:00,2026-08-14 11:05:00,Survey Preview,True,R_2cD,5\n"
                                 + "2026-08-15 09:00:00,2026-08-15 09:05:00,IP Address,True,R_3eF,2\n")
        let reader = try CSVRecordReader(source: source(.qualtricsCSV), file: path)
        #expect(reader.layout == .qualtricsNamesOnly)
        #expect(reader.header.headerRows == 1)
        #expect(reader.header.questionTexts.isEmpty)
        #expect(try readAll(reader).map { $0.values[4] } == ["R_1aB", "R_3eF"])
        #expect(reader.findings.map(\.code) == ["qualtrics-header", "preview-response"])
        #expect(reader.findings.first?.location == SourceLocation(file: path, line: 2))

        // Only a response id tells the legacy layout's data row from its texts row.
        let legacy = try CSVRecordReader(source: source(.qualtricsCSV), file: temporaryFile("V1,V2,Q1\nR_9xY,Default Response Set,3\n"))
        #expect(legacy.layout == .qualtricsNamesOnly)
        #expect(try readAll(legacy).count == 1)

        let texts = try CSVRecordReader(source: source(.qualtricsCSV), file: temporaryFile(
            names + "Start Date,End Date,Response Type,Finished,Response ID,How engaged are you?\n"
                + "2026-08-14 10:00:00,2026-08-14 10:05:00,IP Address,True,R_1aB,4\n"))
        #expect(texts.layout == .qualtricsLegacy)
        #expect(texts.header.questionTexts.last == "How engaged are you?")
        #expect(try readAll(texts).count == 1)
    }

    /// A Qualtrics export read as another format says so at its header (its header rows become records, its previews
    /// stay); a file with a column or two of the same names does not.
    @Test func qualtricsColumnsUnderAnotherFormatAreWarned() throws {
        let names = "StartDate,EndDate,Status,Finished,ResponseId,Q1\n"
        let texts = "Start Date,End Date,Response Type,Finished,Response ID,How engaged are you?\n"
        let path = temporaryFile(names + texts + "2026-08-14 10:00:00,2026-08-14 10:05:00,IP Address,True,R_1aB,4\n")
        for format in [SourceFormat.csv, .googleFormsCSV, .microsoftFormsCSV] {
            let reader = try RecordReaders.open(source: source(format), file: path, fieldPaths: [])
            #expect(reader.findings.map(\.code) == ["qualtrics-columns"], "\(format)")
            #expect(reader.findings.first?.message.hasSuffix("set format: qualtrics-csv") == true)
        }
        #expect(try CSVRecordReader(source: source(.qualtricsCSV), file: path).findings.isEmpty)
        let plain = try CSVRecordReader(file: temporaryFile("Status,Finished,team\nok,yes,T1\n"), sourceID: "pulse")
        #expect(plain.findings.isEmpty)
    }

    @Test func realQualtricsExports() throws {
        guard let folder = realdataFolder("qualtrics") else { return }
        let current = try CSVRecordReader(source: source(.qualtricsCSV), file: "\(folder)/qualtRics_sample.csv")
        #expect(current.layout == .qualtrics)
        #expect(current.header.importIds.first == "startDate")
        #expect(try readAll(current).count == 1)

        let legacy = try CSVRecordReader(source: source(.qualtricsCSV), file: "\(folder)/qualtRics_sample_legacy.csv")
        #expect(legacy.layout == .qualtricsLegacy)
        #expect(legacy.header.names.count == 15)
        #expect(try readAll(legacy).count == 1)

        let choiceText = try CSVRecordReader(source: source(.qualtricsCSV), file: "\(folder)/tutorial_2025_choicetext_excerpt.csv")
        #expect(choiceText.header.importIds.first == "startDate")
        #expect(choiceText.header.names[6] == "RecordedDate" && choiceText.header.timeZones[6] == "America/New_York")
        #expect(try readAll(choiceText).count == 2)

        // QualtricsTools' responses are all survey tests (Status 2): each is skipped with a finding, none silently.
        let tools = "\(folder)/QualtricsTools"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tools)) ?? [] where name.hasSuffix(".csv") {
            let reader = try CSVRecordReader(source: source(.qualtricsCSV, includePreviews: true), file: "\(tools)/\(name)")
            let records = try readAll(reader)
            #expect(reader.findings.filter { $0.code == "ragged-row" }.isEmpty, "\(name)")
            #expect(records.count + reader.findings.filter { $0.severity == .info && $0.code != "duplicate-column" }.count == reader.dataRows, "\(name)")
            #expect(name.contains("Insights") ? reader.layout == .qualtrics : true, "\(name)")
        }
    }
}
