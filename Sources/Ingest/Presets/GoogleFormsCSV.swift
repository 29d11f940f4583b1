import LeanPulseCore

/// Google Forms' responses as Google Sheets downloads them (`google-forms-csv`): one header row of question texts after
/// `Timestamp` (`M/D/YYYY H:MM:SS`, 24 h, no zero padding; the form's own download writes `YYYY/MM/DD h:mm:ss AM GMT+2`:
/// Normalize's TimestampParser reads both), CRLF, often no final newline.
/// A checkbox question's answers are joined by `, ` inside one quoted field and delivered as written.
/// Column names are the question texts; repeated texts get ` (2)`; `questionTexts` holds them on one line.
enum GoogleFormsCSV {
    static func open(source: SourceConfig, file: String) throws -> PresetCSVRecordReader {
        try PresetCSVRecordReader(source: source, file: file, headerRows: 1, strict: false) { rows in
            (rows[0], rows[0].map(PresetCSVRecordReader.singleLine))
        }
    }
}
