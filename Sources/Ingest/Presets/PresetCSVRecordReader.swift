import LeanPulseCore

/// The CSV reader under the vendor presets (SurveyMonkey, Google Forms, Microsoft Forms, LimeSurvey): the vendor's
/// header rows are turned into column names by the preset, then every row becomes a record aligned with them.
///
/// Like `CSVRecordReader`: a short row gets nil for its missing fields (`short-row`), a row with more fields than the header is
/// skipped (`ragged-row`) and too many of them reject the file. A `strict` preset (a tool that never writes ragged rows,
/// such as LimeSurvey) rejects the file at its first ragged row, at the first extra field.
public final class PresetCSVRecordReader: RawRecordReader {
    public let header: RecordHeader
    /// Passed to the shaper once per row: no runtime exclusivity check (a reader belongs to one thread).
    @exclusivity(unchecked) public private(set) var findings: [DataQualityFinding] = []
    public let format: SourceFormat
    public let sourceID: String
    /// The tokenizer underneath (delimiter and encoding in use).
    public let csv: CSVReader
    /// Reject the whole file at the first ragged row.
    public let strict: Bool
    /// As in `CSVRecordReader`: the file is rejected when more than this share of its rows is ragged, and at least this many are.
    public var raggedRowTolerance: Double {
        get { shaper.raggedRowTolerance }
        set { shaper.raggedRowTolerance = newValue }
    }
    public var raggedRowMinimum: Int {
        get { shaper.raggedRowMinimum }
        set { shaper.raggedRowMinimum = newValue }
    }
    public var dataRows: Int { shaper.dataRows }
    public var raggedRows: Int { shaper.raggedRows }

    /// Width checks and findings, the same as the generic reader's.
    @exclusivity(unchecked) private var shaper: CSVRowShaper
    /// A column that is empty in an unfinished response (LimeSurvey's `submitdate`): such rows are skipped with an `info`
    /// finding, as Qualtrics' unfinished ones, unless the source sets `include_unfinished`.
    var unfinishedWhenEmpty: (column: Int, name: String)?

    /// The names and question texts a preset makes of its header rows (each row padded to the header's width).
    typealias Namer = (_ rows: [[String]]) -> (names: [String], questionTexts: [String])

    init(source: SourceConfig, file: String, headerRows: Int, strict: Bool, namer: Namer) throws {
        format = source.format
        sourceID = source.id
        self.strict = strict
        csv = try CSVReader(path: file, delimiter: source.delimiter, encoding: CSVEncoding.declared(by: source))
        var rows: [[String]] = []
        var lastLine = 1
        while rows.count < headerRows, let row = try csv.nextRow() {
            rows.append(row.strings)
            lastLine = row.line
        }
        guard let first = rows.first else {
            throw IngestError("the file is empty: no header row", at: .init(file: file))
        }
        guard rows.count == headerRows else {
            throw IngestError("a \(source.format.rawValue) export has \(headerRows) header rows; the file ends after \(rows.count)",
                              at: .init(file: file, line: lastLine))
        }
        // The header is as wide as its widest row, without the empty cells a trailing delimiter leaves.
        var width = rows.map(\.count).max() ?? 0
        while width > 0 && rows.allSatisfy({ width > $0.count || $0[width - 1].trimmingSpaces.isEmpty }) { width -= 1 }
        guard width > 0, !first.isEmpty else {
            throw IngestError("the header row is empty", at: .init(file: file, line: 1))
        }
        let padded = rows.map { row in (0..<width).map { $0 < row.count ? row[$0] : "" } }
        let made = namer(padded)
        header = RecordHeader(names: PresetCSVRecordReader.unique(made.names), questionTexts: made.questionTexts.map(QuestionText.display), headerRows: headerRows)
        if let note = CSVRecordReader.qualtricsLookalike(rows[0], file: file, line: 1, sourceID: source.id, format: source.format.rawValue) {
            findings.append(note)
        }
        shaper = CSVRowShaper(path: file, sourceID: source.id, names: header.names, strictFormat: strict ? source.format : nil)
    }

    public func next() throws -> SourceRecord? {
        try nextRaw()?.sourceRecord(width: header.names.count)
    }

    public func nextRaw() throws -> RawRecord? {
        while let row = try csv.nextRow() {
            if let record = try shaper.shape(row, findings: &findings) {
                if let (column, name) = unfinishedWhenEmpty, record.trimmed(column) == nil {
                    findings.append(shaper.finding(.info, "unfinished-response",
                                                   "unfinished response skipped (\(name) is empty: it was never submitted); set include_unfinished to keep it",
                                                   at: record.location))
                    continue
                }
                shaper.report(row, record, findings: &findings)
                return record
            }
        }
        try shaper.finish(findings: &findings)
        return nil
    }

    /// Empty names become `column N`; a repeated name gets ` (2)`, ` (3)`... so every column can be named in `fields:`/`items:`.
    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        result.reserveCapacity(names.count)
        for (index, raw) in names.enumerated() {
            let base = raw.trimmingSpaces.isEmpty ? "column \(index + 1)" : raw
            var name = base
            var n = 2
            while seen.contains(name) {
                name = "\(base) (\(n))"
                n += 1
            }
            seen.insert(name)
            result.append(name)
        }
        return result
    }

    /// Runs of white space (line breaks in a header cell, non-breaking spaces) as one space, trimmed: how a name is typed in YAML.
    static func singleLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}
