import LeanPulseCore
@testable import Normalize
import Testing

/// How `fields:` and `items:` name an export's columns: exactly, by import id, then ignoring case (names, then import ids),
/// then by the question text of the second header row.
struct ColumnMapTests {
    let header = RecordHeader(names: ["ResponseId", "Q1", "Q2"], questionTexts: ["Response ID", "I know my goals", "Status"],
                              importIds: ["_recordId", "QID7", "QID9_TEXT"], headerRows: 3)

    @Test func namesImportIdsAndQuestionTexts() {
        #expect(ColumnMap.find("Q1", in: header) == 1)
        #expect(ColumnMap.find("q1", in: header) == 1)
        #expect(ColumnMap.find("QID7", in: header) == 1)
        #expect(ColumnMap.find("qid7", in: header) == 1)
        #expect(ColumnMap.find("qid9_text", in: header) == 2)
        #expect(ColumnMap.find("status", in: header) == 2)
        #expect(ColumnMap.find("QID8", in: header) == nil)
    }
}
