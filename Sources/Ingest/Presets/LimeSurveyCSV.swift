import LeanPulseCore

/// LimeSurvey's CSV export (`limesurvey-csv`, "code" headings as the RemoteControl API writes them): a UTF-8 byte-order mark,
/// `;` between fields (sniffed, so a `,` export reads too), every field quoted, CRLF (mixed line ends read as well), an empty
/// line at the end. Column names are the header's codes (`id`, `submitdate`, `q1[vis1]`). `submitdate` `1980-01-01 00:00:00`
/// is LimeSurvey's placeholder in anonymized surveys: Normalize reads it as no date (the source then needs `period:`).
///
/// LimeSurvey never writes a row wider than its header: such a row means the file was cut or edited by hand, and the file is
/// rejected at that row's first extra field (`path:line:column`), not skipped over.
///
/// A response with an empty `submitdate` was started and never submitted (LimeSurvey keeps incomplete responses): it is
/// skipped with an `info` finding, as Qualtrics' unfinished ones, unless the source sets `include_unfinished`.
enum LimeSurveyCSV {
    static func open(source: SourceConfig, file: String) throws -> PresetCSVRecordReader {
        let reader = try PresetCSVRecordReader(source: source, file: file, headerRows: 1, strict: true) { rows in
            (rows[0].map(\.trimmingSpaces), [])
        }
        if !source.includeUnfinished, let column = reader.header.names.firstIndex(of: "submitdate") {
            reader.unfinishedWhenEmpty = (column, "submitdate")
        }
        return reader
    }
}
