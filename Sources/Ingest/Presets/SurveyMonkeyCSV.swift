import LeanPulseCore

/// SurveyMonkey's CSV export (`surveymonkey-csv`): two header rows. Row 1 holds the question text only over the first column
/// of a question; row 2 names each column of the question (`Response`, `Open-Ended Response`, a choice, a matrix row, a contact
/// field) and is empty under the respondent columns (`Respondent ID`, `Start Date`...).
///
/// Column names: the question text carried forward over its columns; a single-column question (`Response`,
/// `Open-Ended Response` or nothing under it) is named by its text alone, a column of a multi-column question by
/// `question | sub-column` (e.g. `Contact information | Email`). Question texts: row 1 carried forward.
enum SurveyMonkeyCSV {
    /// The separator between a question's text and its sub-column's in a column name.
    static let separator = " | "

    static func open(source: SourceConfig, file: String) throws -> PresetCSVRecordReader {
        try PresetCSVRecordReader(source: source, file: file, headerRows: 2, strict: false, namer: names)
    }

    static func names(_ rows: [[String]]) -> (names: [String], questionTexts: [String]) {
        let questions = rows[0], subs = rows[1]
        let width = questions.count
        var carried: [String] = []
        var current = ""
        for index in 0..<width {
            if !questions[index].trimmingSpaces.isEmpty { current = questions[index] }
            carried.append(current)
        }
        var names: [String] = []
        for index in 0..<width {
            let question = carried[index]
            let sub = subs[index].trimmingSpaces
            // Columns of the same question: from where its text stands to the next text.
            let startsQuestion = !questions[index].trimmingSpaces.isEmpty
            let nextStarts = index + 1 == width || !questions[index + 1].trimmingSpaces.isEmpty
            let single = startsQuestion && nextStarts
            if question.isEmpty {
                names.append(sub)
            } else if sub.isEmpty || (single && isPlainResponse(sub)) {
                names.append(question)
            } else {
                names.append(question + separator + sub)
            }
        }
        return (names, carried)
    }

    /// The sub-column labels SurveyMonkey writes under a one-column question.
    static func isPlainResponse(_ text: String) -> Bool {
        let key = text.lowercased()
        return key == "response" || key == "open-ended response"
    }
}
