import LeanPulseCore

/// Microsoft Forms' CSV export (`microsoft-forms-csv`): `ID`, `Start time`, `Completion time` (`M/D/YY H:MM:SS`, read by
/// Normalize's TimestampParser), `Email`, `Name`, then one column per question named by its text, which may span lines
/// (a quoted header cell with line breaks). Multi-select answers are `;`-joined with a trailing `;` (`AGOL;Cartography;`)
/// and delivered as written; `MicrosoftFormsCSV.choices(in:)` splits them.
/// Column names are the header cells as written; `questionTexts` holds each on one line (runs of white space as one space),
/// so `fields:`/`items:` may name a multi-line question by its one-line text.
public enum MicrosoftFormsCSV {
    static func open(source: SourceConfig, file: String) throws -> PresetCSVRecordReader {
        try PresetCSVRecordReader(source: source, file: file, headerRows: 1, strict: false) { rows in
            (rows[0], rows[0].map(PresetCSVRecordReader.singleLine))
        }
    }

    /// The choices of a multi-select answer: `AGOL;Cartography;` -> `["AGOL", "Cartography"]`.
    public static func choices(in value: String) -> [String] {
        value.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}
