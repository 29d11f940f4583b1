import LeanPulseCore

/// What every CSV record reader does with a data row against its header's width, so the generic reader and the vendor
/// presets say the same thing about the same row: a row wider than the header is skipped (`ragged-row`, or a file
/// error for a `strict` format that never writes one), a short row keeps nil for its missing fields (`short-row`), and
/// a bare quote is kept as written (`bare-quote`), a row of delimiters only is skipped (one `empty-rows` note per file).
/// Too many ragged rows reject the file at its end.
struct CSVRowShaper {
    /// The file the records name (they refer to it; the shaper keeps it alive).
    let file: RecordFile
    var path: String { file.path }
    let sourceID: String
    /// The header's column names (their count is the width).
    let names: [String]
    /// A format that never writes ragged rows (LimeSurvey): the first one fails the file; nil for the tolerant readers.
    let strictFormat: SourceFormat?
    /// The file is rejected when more than this share of its data rows is ragged ...
    var raggedRowTolerance: Double = 0.01
    /// ... and at least this many are.
    var raggedRowMinimum: Int = 10
    /// Data rows shaped so far, delivered or skipped.
    private(set) var dataRows = 0
    /// Rows skipped for having more fields than the header.
    private(set) var raggedRows = 0
    private var firstRaggedLine = 0
    /// Rows read without the empty fields they have past the header's last column (a trailing delimiter), and where the
    /// first such field was: said once at the end of the file, unless every row has them (a tool's padding).
    private(set) var paddedRows = 0
    private var firstPadding: SourceLocation?
    /// Rows of delimiters only (`,,,,`), skipped, and where the first was: said once at the end of the file.
    private(set) var emptyRows = 0
    private var firstEmptyRow: SourceLocation?
    private var ended = false

    init(path: String, sourceID: String, names: [String], strictFormat: SourceFormat? = nil) {
        file = RecordFile(path)
        self.sourceID = sourceID
        self.names = names
        self.strictFormat = strictFormat
    }

    /// `row` as a record of the header's width, or nil when it is ragged (with its finding). Doubled quotes are undone.
    mutating func shape(_ row: CSVRow, findings: inout [DataQualityFinding]) throws -> RawRecord? {
        // Excel keeps a row it was given as delimiters (`;;;;`) when it saves a CSV: no record, and no rejected one (as a
        // response with no team, it failed the data-quality gate; in an anonymous survey it counted as a respondent).
        if row.hasOnlyEmptyFields {
            emptyRows += 1
            if firstEmptyRow == nil { firstEmptyRow = SourceLocation(file: path, line: row.line) }
            return nil
        }
        dataRows += 1
        let width = names.count
        var count = row.count
        // A format that never writes them has no tolerance for empty fields past the header either: in a LimeSurvey
        // file they mean a value was inserted earlier in the row, and every later field would be read one column off.
        if strictFormat == nil {
            while count > width && row.isEmpty(at: count - 1) { count -= 1 }
            if count < row.count && count <= width {
                paddedRows += 1
                if firstPadding == nil { firstPadding = SourceLocation(file: path, line: row.line(at: width), column: row.column(at: width)) }
            }
        }
        guard count > width else { return row.raw(file: file, count: count) }
        let location = SourceLocation(file: path, line: row.line(at: width), column: row.column(at: width))
        if let strictFormat {
            throw IngestError("row has \(count) fields but the header has \(width): a \(strictFormat.rawValue) export is never ragged,"
                              + " so the file was cut or edited; field \(width + 1) starts here", at: location)
        }
        raggedRows += 1
        if firstRaggedLine == 0 { firstRaggedLine = row.line }
        findings.append(finding(.error, "ragged-row", "row has \(count) fields, the header \(width); row skipped", at: location))
        return nil
    }

    /// The findings of a record `shape` delivered and its reader keeps: a short row, bare quotes. (Mutating only so that
    /// a reader calls it in place: a read of the stored shaper copies it, three retains and releases per row.)
    mutating func report(_ row: CSVRow, _ record: RawRecord, findings: inout [DataQualityFinding]) {
        // Most rows: full width, no bare quote, nothing to say.
        guard record.count < names.count || row.hasBareQuotes else { return }
        if record.count < names.count {
            findings.append(finding(.warning, "short-row", "row has \(record.count) fields, the header \(names.count); the missing ones are empty",
                                    at: record.location))
        }
        for index in row.bareQuoteFields where index < record.count {
            findings.append(finding(.warning, "bare-quote", "quote inside an unquoted field (\(names[index])); the text is kept as written",
                                    at: record.location(ofField: index)))
        }
    }

    /// At the end of the file (once): too many ragged rows mean the file, not a few records, is broken. Rows with empty
    /// fields past the header get one warning, unless every row has them.
    mutating func finish(findings: inout [DataQualityFinding]) throws {
        guard !ended else { return }
        ended = true
        if emptyRows > 0, let firstEmptyRow {
            findings.append(finding(.info, "empty-rows",
                                    "\(emptyRows) row\(emptyRows == 1 ? " has" : "s have") only empty fields (the first here), as a spreadsheet "
                                    + "writes rows it kept empty; skipped, not counted as records",
                                    at: firstEmptyRow))
        }
        if paddedRows > 0 && paddedRows < dataRows, let firstPadding {
            findings.append(finding(.warning, "extra-empty-fields",
                                    "\(paddedRows) of \(dataRows) rows have empty fields after the header's last column (the first here); "
                                    + "they were ignored. A row with a value inserted earlier would be read one column off: check these rows",
                                    at: firstPadding))
        }
        try IngestError.checkRaggedRows(raggedRows, of: dataRows, minimum: raggedRowMinimum, tolerance: raggedRowTolerance,
                                        headerCount: names.count, firstLine: firstRaggedLine, file: path)
    }

    func finding(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) -> DataQualityFinding {
        DataQualityFinding(source: sourceID, location: location, severity: severity, code: code, message: message)
    }
}

extension RawRecord {
    /// The record as Strings, `width` wide (nil and column 0 for the fields it lacks), located at its first line.
    func sourceRecord(width: Int) -> SourceRecord {
        var values = [String?](repeating: nil, count: width)
        var columns = [Int](repeating: 0, count: width)
        for index in 0..<Swift.min(count, width) {
            values[index] = string(index)
            columns[index] = location(ofField: index).column
        }
        return SourceRecord(values: values, location: location, columns: columns)
    }
}
