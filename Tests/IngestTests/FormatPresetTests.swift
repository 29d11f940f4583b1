import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

/// The vendor presets on small hand-written exports (the real ones are in RealExportConformanceTests).
@Suite(.removesTemporaryFiles) struct FormatPresetTests {
    func open(_ format: SourceFormat, _ path: String, encoding: String? = nil) throws -> any RecordReader {
        try RecordReaders.open(source: source(format, encoding: encoding), file: path, fieldPaths: [])
    }

    @Test func surveyMonkeyCarriesQuestionTextOverItsColumns() throws {
        let text = """
            Respondent ID,Start Date,I know what is expected of me,How likely are you to recommend us?,Which tools do you use?,,,Comments\r
            ,,Response,Response,Excel,Minitab,Other (please specify),Open-Ended Response\r
            114,11/08/2021 10:50:22 AM,4,9,Excel,,Jira,"Fine, thanks"\r
            115,11/08/2021 11:02:10 AM,2,6,,Minitab,,\r

            """
        let reader = try open(.surveyMonkeyCSV, temporaryFile(text))
        #expect(reader.header.names == [
            "Respondent ID", "Start Date", "I know what is expected of me", "How likely are you to recommend us?",
            "Which tools do you use? | Excel", "Which tools do you use? | Minitab", "Which tools do you use? | Other (please specify)",
            "Comments",
        ])
        #expect(reader.header.questionTexts[5] == "Which tools do you use?")
        #expect(reader.header.headerRows == 2)
        let records = try readAll(reader)
        #expect(records.map(\.values) == [
            ["114", "11/08/2021 10:50:22 AM", "4", "9", "Excel", "", "Jira", "Fine, thanks"],
            ["115", "11/08/2021 11:02:10 AM", "2", "6", "", "Minitab", "", ""],
        ])
        #expect(records.map(\.location.line) == [3, 4])
        #expect(records[0].location(ofField: 7).column == 44)
    }

    @Test func surveyMonkeyTrailingMultiColumnQuestionKeepsItsEmptyHeaderCells() throws {
        // Row 1 ends with empty cells (the last question has 3 columns): they are columns, not a trailing delimiter.
        let reader = try open(.surveyMonkeyCSV, temporaryFile("ID,Pick,,\n,A,B,C\n1,x,,z\n"))
        #expect(reader.header.names == ["ID", "Pick | A", "Pick | B", "Pick | C"])
        #expect(try readAll(reader).map(\.values) == [["1", "x", "", "z"]])
    }

    @Test func surveyMonkeyNeedsBothHeaderRows() throws {
        let path = temporaryFile("ID,Q\n")
        let error = ingestError { _ = try open(.surveyMonkeyCSV, path) }
        #expect(error?.location == SourceLocation(file: path, line: 1))
        #expect(error?.reason.contains("2 header rows") == true)
    }

    @Test func googleFormsRepeatedQuestionsGetDistinctNames() throws {
        let reader = try open(.googleFormsCSV, temporaryFile("Timestamp,Why?,Why?,\r\n1/16/2026 0:10:16,a,\"b, c\"\r\n1/16/2026 10:40:10,d,e"))
        #expect(reader.header.names == ["Timestamp", "Why?", "Why? (2)"])
        #expect(try readAll(reader).map(\.values) == [["1/16/2026 0:10:16", "a", "b, c"], ["1/16/2026 10:40:10", "d", "e"]])
    }

    @Test func microsoftFormsMultiLineHeaderHasAOneLineQuestionText() throws {
        let reader = try open(.microsoftFormsCSV, temporaryFile("ID,Start time,\"Rate it\n\n1 - low\u{00A0} 5 - high\",Tools\n1,7/2/20 11:00:22,3,AGOL;Cartography;\n"))
        #expect(reader.header.names[2] == "Rate it\n\n1 - low\u{00A0} 5 - high")
        #expect(reader.header.questionTexts[2] == "Rate it 1 - low 5 - high")
        let records = try readAll(reader)
        #expect(records.map(\.location.line) == [4])
        #expect(MicrosoftFormsCSV.choices(in: records[0].values[3] ?? "") == ["AGOL", "Cartography"])
    }

    @Test func limeSurveyQuotedSemicolonCRLFWithBOM() throws {
        let text = "\u{FEFF}\"id\";\"submitdate\";\"q1[SQ001]\";\"comment\"\r\n\"1\";\"2026-08-03 09:12:00\";\"4\";\"a;b \"\"c\"\"\"\r\n\"2\";\"\";\"\";\"\"\r\n\r\n"
        let reader = try open(.limeSurveyCSV, temporaryFile(text))
        #expect(reader.header.names == ["id", "submitdate", "q1[SQ001]", "comment"])
        // Response 2 was never submitted (empty submitdate): skipped with a note, kept with include_unfinished.
        #expect(try readAll(reader).map(\.values) == [["1", "2026-08-03 09:12:00", "4", "a;b \"c\""]])
        #expect(reader.findings.map(\.code) == ["unfinished-response"])
        #expect(reader.findings.first?.location.line == 3)
        let all = try RecordReaders.open(source: source(.limeSurveyCSV, includeUnfinished: true), file: temporaryFile(text), fieldPaths: [])
        #expect(try readAll(all).map(\.values) == [["1", "2026-08-03 09:12:00", "4", "a;b \"c\""], ["2", "", "", ""]])
    }

    // MARK: Triple-S

    static let metadata = """
        <?xml version="1.0" encoding="UTF-8"?>
        <sss version="2.0">
          <date>3 Aug 2026</date>
          <survey>
            <name>Pulse</name>
            <record ident="A"%@>
              <variable ident="1" type="character" use="serial">
                <name>RESP</name><label>Respondent</label><position start="%@" finish="%@"/><size>4</size>
              </variable>
              <variable ident="2" type="single">
                <name>TEAM</name><label>Team</label><position start="%@" finish="%@"/>
                <values><value code="1">Assembly</value><value code="2">Logistics</value></values>
              </variable>
              <variable ident="3" type="single">
                <name>ENG1</name>
                <label><text xml:lang="en">I know what is expected of me</text><text xml:lang="de">Ich weiß, was erwartet wird</text></label>
                <position start="%@" finish="%@"/>
                <values><value code="1">Strongly disagree</value><value code="5">Strongly agree</value></values>
              </variable>
              <variable ident="4" type="quantity">
                <name>ENPS</name><label>Recommend</label><position start="%@" finish="%@"/><values><range from="0" to="10"/></values>
              </variable>
              <variable ident="5" type="multiple">
                <name>TOOLS</name><label>Tools used</label><position start="%@" finish="%@"/>
                <values><value code="1">Excel</value><value code="2">Jira</value><value code="3">Minitab</value></values>
              </variable>
            </record>
          </survey>
        </sss>
        """

    func metadata(_ record: String, _ positions: [Int]) -> String {
        var parts = Self.metadata.components(separatedBy: "%@")
        var text = parts.removeFirst()
        let values = [record] + positions.map(String.init)
        for (part, value) in zip(parts, values) { text += value + part }
        return text
    }

    @Test func tripleSFixedWidthWithDataFileBesideIt() throws {
        let folder = URL(fileURLWithPath: try temporaryFolder("sss"))
        // RESP 1-4, TEAM 5, ENG1 6, ENPS 7-8, TOOLS 9-11 (one 0/1 per category).
        let sss = folder.appendingPathComponent("pulse.sss").path
        try metadata("", [1, 4, 5, 5, 6, 6, 7, 8, 9, 11]).write(toFile: sss, atomically: true, encoding: .utf8)
        try "A00115 4101\r\nA002 2 9000\r\n\r\nA003\r\n".write(toFile: folder.appendingPathComponent("pulse.asc").path, atomically: true, encoding: .utf8)
        let reader = try #require(try open(.tripleS, sss) as? TripleSRecordReader)
        #expect(reader.header.names == ["RESP", "TEAM", "ENG1", "ENPS", "TOOLS"])
        #expect(reader.header.questionTexts == ["Respondent", "Team", "I know what is expected of me", "Recommend", "Tools used"])
        #expect(reader.header.importIds == ["1", "2", "3", "4", "5"])
        #expect(reader.valueLabels[1] == ["1": "Assembly", "2": "Logistics"])
        #expect(reader.types == ["character", "single", "single", "quantity", "multiple"])
        #expect(reader.dataPath.hasSuffix("/pulse.asc"))
        let records = try readAll(reader)
        #expect(records.map(\.values) == [["A001", "1", "5", "4", "101"], ["A002", "", "2", "9", "000"], ["A003", nil, nil, nil, nil]])
        #expect(records.map(\.location.line) == [1, 2, 4])
        #expect(records[0].location.file == reader.dataPath)
        #expect(records[0].location(ofField: 3).column == 7)
        #expect(reader.findings.map(\.code) == ["short-row"])
        #expect(reader.findings.first?.location == SourceLocation(file: reader.dataPath, line: 4, column: 5))
        // `validate` names the data file's encoding too (session 18's audit: only the layout and the file).
        #expect(RecordReaders.detection(of: reader).map { "\($0.key)=\($0.value)" }
                == ["layout=triple-s, fixed data", "data file=\(reader.dataPath)", "encoding=utf-8"])

        // CR-only line ends, the last one at the very end of the file.
        try "A00115 4101\rA002 2 9000\r".write(toFile: folder.appendingPathComponent("pulse.asc").path, atomically: true, encoding: .utf8)
        let cr = try readAll(try open(.tripleS, sss))
        #expect(cr.map(\.values) == [["A001", "1", "5", "4", "101"], ["A002", "", "2", "9", "000"]])
        #expect(cr.map(\.location.line) == [1, 2])
    }

    @Test func tripleSCSVDataNamedByHrefWithAHeaderLineSkipped() throws {
        let folder = URL(fileURLWithPath: try temporaryFolder("sss"))
        let xml = folder.appendingPathComponent("meta.xml").path
        try metadata(" format=\"csv\" skip=\"1\" href=\"data/answers.csv\"", [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]).write(toFile: xml, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "RESP,TEAM,ENG1,ENPS,TOOLS\nA001,1,5,10,\"1,3\"\nA002,2,,0,\n".write(toFile: folder.appendingPathComponent("data/answers.csv").path,
                                                                               atomically: true, encoding: .utf8)
        let reader = try open(.tripleS, xml)
        #expect(RecordReaders.detection(of: reader).map(\.key) == ["layout", "data file", "encoding", "delimiter"])
        let records = try readAll(reader)
        #expect(records.map(\.values) == [["A001", "1", "5", "10", "1,3"], ["A002", "2", "", "0", ""]])
        #expect(records.map(\.location.line) == [2, 3])
        #expect(records[0].location(ofField: 4).column == 13)
    }

    @Test func tripleSDataIsReadInTheEncodingTheMetadataDeclares() throws {
        let folder = URL(fileURLWithPath: try temporaryFolder("sss"))
        let sss = folder.appendingPathComponent("pulse.sss").path
        let asc = folder.appendingPathComponent("pulse.asc")
        func write(declaration: String) throws {
            let text = metadata("", [1, 4, 5, 5, 6, 6, 7, 8, 9, 11])
                .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", with: declaration)
                .replacingOccurrences(of: "ß", with: "ss")  // ASCII metadata: the same bytes in every declared encoding
            try text.write(toFile: sss, atomically: true, encoding: .utf8)
        }
        // RESP holds "Jü1" + "5" in Latin-1: one byte per character, so TEAM is still position 5 (character positions).
        try Data([0x4A, 0xFC, 0x31, 0x35, 0x31, 0x35, 0x20, 0x34, 0x31, 0x30, 0x31, 0x0A]).write(to: asc)
        try write(declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
        let latin = try open(.tripleS, sss)
        #expect(try readAll(latin).map(\.values) == [["Jü15", "1", "5", "4", "101"]])
        #expect(latin.findings.isEmpty)
        // Single quotes and another spelling of the same code page.
        try write(declaration: "<?xml version='1.0' encoding='windows-1252' standalone='yes'?>")
        #expect(try readAll(try open(.tripleS, sss)).first?.values.first == "Jü15")
        // Undeclared (UTF-8 by default): the Latin-1 byte is invalid UTF-8, an error with its place, never replaced.
        try write(declaration: "<?xml version=\"1.0\"?>")
        #expect(ingestError { _ = try readAll(try open(.tripleS, sss)) }?.reason.contains("UTF-8") == true)
        // The source's encoding: wins over the declaration.
        try write(declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
        try "ABCD15 4101\n".write(to: asc, atomically: true, encoding: .utf8)
        #expect(try readAll(try open(.tripleS, sss, encoding: "utf-8")).first?.values == ["ABCD", "1", "5", "4", "101"])
        // A character set this tool cannot read: a warning at the metadata, the data read as UTF-8.
        try write(declaration: "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>")
        let unknown = try open(.tripleS, sss)
        #expect(try readAll(unknown).first?.values.first == "ABCD")
        #expect(unknown.findings.map(\.code) == ["unknown-encoding"])
        #expect(unknown.findings.first?.location == SourceLocation(file: sss, line: 1))
        #expect(unknown.findings.first?.message.contains("Shift_JIS") == true)
    }

    @Test func tripleSWithoutDataFileOrWithAURLIsAnError() throws {
        let folder = URL(fileURLWithPath: try temporaryFolder("sss"))
        let sss = folder.appendingPathComponent("alone.sss").path
        try metadata("", [1, 4, 5, 5, 6, 6, 7, 8, 9, 11]).write(toFile: sss, atomically: true, encoding: .utf8)
        let missing = ingestError { _ = try open(.tripleS, sss) }
        #expect(missing?.location == SourceLocation(file: sss, line: 6))
        #expect(missing?.reason.contains("alone.asc") == true)
        try metadata(" href=\"http://127.0.0.1:9/data.asc\"", [1, 4, 5, 5, 6, 6, 7, 8, 9, 11]).write(toFile: sss, atomically: true, encoding: .utf8)
        let url = ingestError { _ = try open(.tripleS, sss) }
        #expect(url?.reason.contains("local files only") == true)
    }

    @Test func tripleSMetadataProblemsAreLocated() throws {
        let noPosition = temporaryFile("<sss><survey><record ident=\"A\">\n<variable ident=\"1\"><name>Q</name></variable></record></survey></sss>", suffix: ".sss")
        let error = ingestError { _ = try open(.tripleS, noPosition) }
        #expect(error?.location == SourceLocation(file: noPosition, line: 2))
        let wrongRoot = temporaryFile("<survey/>", suffix: ".sss")
        #expect(ingestError { _ = try open(.tripleS, wrongRoot) }?.reason.contains("<sss>") == true)
    }
}
