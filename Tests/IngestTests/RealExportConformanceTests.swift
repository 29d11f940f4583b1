import Foundation
import Ingest
import LeanPulseCore
import Testing

/// Every survey export in ../shared/realdata read through `RecordReaders.open` with its format, as a pipeline would.
/// The files are read where they are (never copied into the project); without the folder the suite is skipped with a message.
///
/// How the expected counts were made: each file was read with Python's `csv` module (BOM stripped, the file's delimiter,
/// `newline=''` so quoted line breaks stay in their field, blank lines dropped) and the data rows after the vendor's header rows
/// counted; for Qualtrics, rows with Status 1/2/9/17 (preview, test) or Finished 0/False were counted apart, as the reader skips
/// them by default; the XML responses were counted as `<Response>` elements (`grep -c`), and cross-checked against PROVENANCE.txt.
@Suite struct RealExportConformanceTests {
    static let root = "/work/shared/realdata"
    static let present = FileManager.default.fileExists(atPath: root)

    func open(_ format: SourceFormat, _ relative: String, previews: Bool = false, unfinished: Bool = false,
              fieldPaths: [String] = []) throws -> any RecordReader {
        try RecordReaders.open(source: source(format, includePreviews: previews, includeUnfinished: unfinished),
                               file: "\(Self.root)/\(relative)", fieldPaths: fieldPaths)
    }

    func skipped() -> Bool {
        if !Self.present { print("RealExportConformanceTests skipped: \(Self.root) is absent (the shared real exports are not here)") }
        return !Self.present
    }

    // Google Sheets' download of a Google Form: 2,576 bytes = 80 CRLF-separated lines without a final newline, i.e. the
    // header and 79 responses (PROVENANCE's "80 responses" counts the header line: Python's csv reads 80 rows of 4 fields).
    @Test func googleForms() throws {
        guard !skipped() else { return }
        let reader = try open(.googleFormsCSV, "google_forms/UVADS_Hotdog_Survey_Form_Responses_1.csv")
        #expect(reader.header.names == ["Timestamp", "Are you a full-time undergraduate UVA student?", "What year are you?",
                                        "Do you believe a hotdog is a sandwich?"])
        let records = try readAll(reader)
        #expect(records.count == 79)
        #expect(records.first?.values == ["1/14/2026 14:54:44", "Yes", "3rd", "No"])
        #expect(records.first?.location.line == 2)
        #expect(records.last?.values.first == "1/16/2026 10:59:34")
        #expect(records.last?.location.line == 80)
        #expect(records.contains { $0.values.first == "1/16/2026 0:10:44" })
        #expect(reader.findings.isEmpty)
    }

    // Header + 1 response; the 9th header cell spans 4 lines (a quoted cell with a blank line), so the response is on line 5.
    @Test func microsoftForms() throws {
        guard !skipped() else { return }
        let reader = try open(.microsoftFormsCSV, "microsoft_forms/esri_resources_msforms_excerpt_REDACTED.csv")
        #expect(reader.header.names.prefix(3) == ["ID", "Start time", "Completion time"])
        #expect(reader.header.names.count == 9)
        #expect(reader.header.names[8].contains("\n\n1 - Extremely simple\n5 - Very difficult"))
        #expect(reader.header.questionTexts[8].hasSuffix("Take a guess! Your answer will be validated later.) 1 - Extremely simple 5 - Very difficult"))
        let records = try readAll(reader)
        #expect(records.count == 1)
        #expect(records[0].values[1] == "7/2/20 11:00:22")
        #expect(records[0].values[7] == "AGOL;Cartography;")
        #expect(MicrosoftFormsCSV.choices(in: records[0].values[7] ?? "") == ["AGOL", "Cartography"])
        #expect(records[0].values[8] == "3")
        #expect(records[0].location.line == 5)
    }

    // Header of 79 fields, one data row of 82 (PROVENANCE: a hand-edited mock), then an empty CRLF line. LimeSurvey never
    // writes ragged rows: the file fails at line 2, column 349, where field 80 starts (all fields are quoted and ASCII).
    @Test func limeSurveyRaggedRowFailsTheFileWithItsLocation() throws {
        guard !skipped() else { return }
        let file = "\(Self.root)/limesurvey/pulsemanager_export_responses_api.csv"
        let reader = try open(.limeSurveyCSV, "limesurvey/pulsemanager_export_responses_api.csv")
        #expect(reader.header.names.count == 79)
        #expect(reader.header.names.prefix(3) == ["id", "submitdate", "lastpage"])
        #expect(reader.header.names.contains("q1[vis1]"))
        let error = ingestError { _ = try readAll(reader) }
        #expect(error?.location == SourceLocation(file: file, line: 2, column: 349))
        #expect(error?.reason.contains("82 fields but the header has 79") == true)
        #expect(error?.description.hasPrefix("\(file):2:349: error: ") == true)
    }

    // Star Wars (SurveyMonkey Audience, CR-only line ends): 2 header rows + 5 responses of 38 fields.
    @Test func surveyMonkeyStarWars() throws {
        guard !skipped() else { return }
        let reader = try open(.surveyMonkeyCSV, "surveymonkey/fivethirtyeight_StarWars_excerpt_CR.csv")
        let names = reader.header.names
        #expect(names.count == 38)
        #expect(reader.header.headerRows == 2)
        #expect(names[0] == "RespondentID")
        #expect(names[1] == "Have you seen any of the 6 films in the Star Wars franchise?")
        #expect(names[3] == "Which of the following Star Wars films have you seen? Please select all that apply. | Star Wars: Episode I äóñ The Phantom Menace")
        #expect(names[4].hasPrefix("Which of the following Star Wars films have you seen?"))
        #expect(names[9].hasPrefix("Please rank the Star Wars films in order of preference"))
        #expect(Set(names).count == names.count)
        let records = try readAll(reader)
        #expect(records.count == 5)
        #expect(records[0].values[0] == "3292879998")
        #expect(records[0].values[9] == "3")
        #expect(records.map(\.location.line) == [3, 4, 5, 6, 7])
        #expect(reader.findings.filter { $0.severity == .error }.isEmpty)
    }

    // Only SurveyMonkey's 2 header rows (17 columns), no responses.
    @Test func surveyMonkeyModernHeader() throws {
        guard !skipped() else { return }
        let reader = try open(.surveyMonkeyCSV, "surveymonkey/dc_election_header_excerpt.csv")
        let names = reader.header.names
        #expect(names.prefix(4) == ["Respondent ID", "Collector ID", "Start Date", "End Date"])
        #expect(names[9] == "Contact information | Name")
        #expect(names[10] == "Contact information | Email")
        #expect(names[11] == "Contact information | Campaign-related social media accounts")
        #expect(try readAll(reader).count == 0)
    }

    // 4 <Response> elements; the third is partial (progress 33, finished False) and is skipped unless include_unfinished.
    @Test func qualtricsXML() throws {
        guard !skipped() else { return }
        let reader = try open(.qualtricsXML, "qualtrics_xml/sp_xmlTestContent.xml")
        let names = reader.header.names
        #expect(names.prefix(3) == ["startDate", "endDate", "status"])
        #expect(names.contains("QID8_TEXT") && names.contains("QID13_4_TEXT") && names.contains("s"))
        let records = try readAll(reader)
        #expect(records.count == 3)
        #expect(reader.findings.map(\.code) == ["unfinished-response"])
        #expect(reader.findings.first?.location.line == 230)

        let all = try readAll(try open(.qualtricsXML, "qualtrics_xml/sp_xmlTestContent.xml", unfinished: true))
        #expect(all.count == 4)
        let index = try #require(names.firstIndex(of: "QID8_TEXT"))
        #expect(all[0].values[index] == "multiple\nlines\nof\ntext?")
        #expect(all[3].values[index] == "-99")
        #expect(all.map(\.location.line) == [3, 123, 230, 336])
        let record = try #require(names.firstIndex(of: "_recordId"))
        #expect(all[0].values[record] == "R_1dtWhiBDD96nfyk")
    }

    /// (file, header rows, data rows, rows left by default once preview/test and unfinished responses are skipped).
    static let qualtricsCSV: [(String, Int, Int, Int)] = [
        ("QualtricsTools/Better_Sample_Survey__Better_Sample_Survey.csv", 3, 10, 0),
        ("QualtricsTools/Comment_Coding__Test_Survey_for_Coded_Comments.csv", 3, 10, 0),
        ("QualtricsTools/Long_Exhaustive_Sample_Survey__Long_Exhaustive_Sample_Survey.csv", 3, 31, 0),
        ("QualtricsTools/Many_Different_Question_Types__Sample_Survey.csv", 2, 5, 0),
        ("QualtricsTools/Many_Different_Question_Types__Sample_Survey_(Insights).csv", 3, 5, 0),
        ("QualtricsTools/Matrix_Single_Answer_Survey__Matrix_Single_Answer_Testing.csv", 3, 5, 0),
        ("QualtricsTools/Multiple_Answer_Matrix_Questions__Multiple_Answer_Matrix_Questions.csv", 2, 5, 0),
        ("QualtricsTools/Multiple_Answer_Matrix_Questions__Multiple_Answer_Matrix_Questions_(Insights).csv", 3, 5, 0),
        ("QualtricsTools/Multiple_Answer_Multiple_Choices_Questions__Multiple_Answer_MC_Questions.csv", 2, 5, 0),
        ("QualtricsTools/Multiple_Answer_Multiple_Choices_Questions__Multiple_Answer_MC_Questions_(Insights).csv", 3, 5, 0),
        ("QualtricsTools/No_Basis_for_Evaluation__No_Basis_for_Evaluation_(Insights).csv", 3, 15, 0),
        ("QualtricsTools/No_Basis_for_Evaluation__No_Basis_for_Evaluation_(Legacy).csv", 2, 15, 0),
        ("QualtricsTools/Sample_Survey__Sample_Survey.csv", 3, 5, 0),
        ("QualtricsTools/Side-by-Side_Questions__SidebySide_Questions_(Insights).csv", 3, 25, 0),
        ("QualtricsTools/Side-by-Side_Questions__SidebySide_Questions_(Legacy).csv", 2, 25, 0),
        ("QualtricsTools/Single_Answer_Matrix_Questions__Single_Answer_Matrix_Questions.csv", 2, 5, 0),
        ("QualtricsTools/Single_Answer_Matrix_Questions__Single_Answer_Matrix_Questions_(Insights).csv", 3, 5, 0),
        ("QualtricsTools/Single_Answer_Multiple_Choice_Questions__Single_Answer_MC_Questions.csv", 2, 5, 0),
        ("QualtricsTools/Single_Answer_Multiple_Choice_Questions__Single_Answer_MC_Questions_(Insights).csv", 3, 5, 0),
        ("QualtricsTools/Survey_Logic__Survey_Logic_EVERYWHERE.csv", 2, 10, 0),
        ("QualtricsTools/Test_Getting_Choice_Text_from_Response_Columns__Choice_Text_from_Response_Columns.csv", 3, 5, 0),
        ("QualtricsTools/Text_Entry_Components__Questions_with_Text_Entry_Components.csv", 3, 15, 0),
        ("QualtricsTools/User_Notes_Survey__Notes_Survey.csv", 3, 5, 0),
        ("QualtricsTools/inst__testdata__Sample_Survey.csv", 3, 5, 0),
        ("qualtRics_sample.csv", 3, 1, 1),
        ("qualtRics_sample_legacy.csv", 2, 1, 1),
        ("tutorial_2025_choicetext_excerpt.csv", 3, 2, 2),
    ]

    @Test func qualtricsCSVExports() throws {
        guard !skipped() else { return }
        let listed = Set(Self.qualtricsCSV.map(\.0))
        let onDisk = ((try? FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/qualtrics")) ?? []).filter { $0.hasSuffix(".csv") }
            + ((try? FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/qualtrics/QualtricsTools")) ?? []).map { "QualtricsTools/\($0)" }
        #expect(Set(onDisk.filter { $0.hasSuffix(".csv") }) == listed, "every Qualtrics CSV in realdata is in the table")
        for (name, headerRows, rows, kept) in Self.qualtricsCSV {
            let all = try open(.qualtricsCSV, "qualtrics/\(name)", previews: true, unfinished: true)
            #expect(all.header.headerRows == headerRows, "\(name)")
            #expect(try readAll(all).count == rows, "\(name)")
            // QualtricsTools' exports repeat the names of matrix text entries: one note says so (the later ones numbered).
            let repeats = all.findings.filter { $0.code == "duplicate-column" }
            #expect(repeats.count <= 1 && repeats.allSatisfy { $0.severity == .info && $0.location.line == 1 }, "\(name)")
            #expect(name.hasPrefix("QualtricsTools/") || repeats.isEmpty, "\(name)")
            #expect(all.findings.count == repeats.count, "\(name): \(all.findings.map(\.message))")
            let filtered = try open(.qualtricsCSV, "qualtrics/\(name)")
            #expect(try readAll(filtered).count == kept, "\(name)")
            #expect(filtered.findings.count - repeats.count == rows - kept, "\(name): every skipped response has its finding")
        }
        let sample = try readAll(try open(.qualtricsCSV, "qualtrics/qualtRics_sample.csv"))
        #expect(sample[0].location.line == 4)
    }

    // Not a survey tool's export, but an HR file a plain `csv` source reads: 1,470 employees each (PROVENANCE: N=1470).
    @Test func ibmHRAttrition() throws {
        guard !skipped() else { return }
        for name in ["HRdataIBM_derived_Attrition01.csv", "WA_Fn-UseC_-HR-Employee-Attrition.reconstructed.csv"] {
            let reader = try open(.csv, "ibm_hr_attrition/\(name)")
            #expect(reader.header.names.count == 35, "\(name)")
            let records = try readAll(reader)
            #expect(records.count == 1470, "\(name)")
            let satisfaction = try #require(reader.header.index(of: "JobSatisfaction"))
            let ones = records.filter { $0.values[satisfaction] == "1" }.count
            #expect(ones == 289, "\(name): PROVENANCE's JobSatisfaction count for 1")
        }
    }
}
