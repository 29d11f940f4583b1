import LeanPulseCore

/// The CSV reader under the vendor presets (SurveyMonkey, Google Forms, Microsoft Forms, LimeSurvey): the vendor's
/// header rows are turned into column names by the preset, then every row becomes a record aligned with them.
///
/// Like `CSVRecordReader`: a short row gets nil for its missing fields (`short-row`), a row with more fields than the header is
/// skipped (`ragged-row`) and too many of them reject the file. A `strict` preset (a tool that never writes ragged rows,
/// such as LimeSurvey) rejects the file at its first ragged row, at the first extra field.
public final class PresetCSVRecordReader: RecordReader {
    public let header: RecordHeader
    public private(set) var findings: [DataQualityFinding] = []
    public let format: SourceFormat
    public let sourceID: String
    /// The tokenizer underneath (delimiter and encoding in use).
    public let csv: CSVReader
    /// Reject the whole file at the first ragged row.
    public let strict: Bool
    /// As in `CSVRecordReader`: the file is rejected when more than this share of its rows is ragged, and at least this many are.
    public var raggedRowTolerance: Double = 0.01
    public var raggedRowMinimum: Int = 10
    public private(set) var dataRows = 0
    public private(set) var raggedRows = 0

    private let path: String
    private var firstRaggedLine = 0
    private var ended = false

    /// The names and question texts a preset makes of its header rows (each row padded to the header's width).
    typealias Namer = (_ rows: [[String]]) -> (names: [String], questionTexts: [String])

    init(source: SourceConfig, file: String, headerRows: Int, strict: Bool, namer: Namer) throws {
        path = file
        format = source.format
        sourceID = source.id
        self.strict = strict
        var encoding: CSVEncoding?
        if let name = source.encoding {
            guard let known = CSVEncoding(name: name) else {
                throw IngestError("unknown encoding '\(name)'; use utf-8, utf-16le, utf-16be or windows-1252", at: source.location)
            }
            encoding = known
        }
        csv = try CSVReader(path: file, delimiter: source.delimiter, encoding: encoding)
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
    }

    public func next() throws -> SourceRecord? {
        while let row = try csv.nextRow() {
            if let record = try record(from: row) { return record }
        }
        if !ended {
            ended = true
            try IngestError.checkRaggedRows(raggedRows, of: dataRows, minimum: raggedRowMinimum, tolerance: raggedRowTolerance,
                                            headerCount: header.names.count, firstLine: firstRaggedLine, file: path)
        }
        return nil
    }

    private func record(from row: CSVRow) throws -> SourceRecord? {
        dataRows += 1
        let width = header.names.count
        var count = row.count
        while count > width && row.isEmpty(at: count - 1) { count -= 1 }
        if count > width {
            let location = SourceLocation(file: path, line: row.line(at: width), column: row.column(at: width))
            if strict {
                throw IngestError("row has \(count) fields but the header has \(width): a \(format.rawValue) export is never ragged,"
                                  + " so the file was cut or edited; field \(width + 1) starts here", at: location)
            }
            raggedRows += 1
            if firstRaggedLine == 0 { firstRaggedLine = row.line }
            finding(.error, "ragged-row", "row has \(count) fields, the header \(width); row skipped", at: location)
            return nil
        }
        var values = [String?]()
        values.reserveCapacity(width)
        for index in 0..<count { values.append(row.string(at: index)) }
        var columns = row.columns
        if columns.count > width { columns.removeLast(columns.count - width) }
        if count < width {
            values.append(contentsOf: repeatElement(nil, count: width - count))
            columns.append(contentsOf: repeatElement(0, count: width - count))
            finding(.warning, "short-row", "row has \(count) fields, the header \(width); the missing ones are empty",
                    at: SourceLocation(file: path, line: row.line, column: 1))
        }
        for index in 0..<count where row.hasBareQuote(at: index) {
            finding(.warning, "bare-quote", "quote inside an unquoted field (\(header.names[index])); the text is kept as written",
                    at: SourceLocation(file: path, line: row.line(at: index), column: columns[index]))
        }
        return SourceRecord(values: values, location: SourceLocation(file: path, line: row.line, column: 1), columns: columns)
    }

    private func finding(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        findings.append(DataQualityFinding(source: sourceID, location: location, severity: severity, code: code, message: message))
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
