import LeanPulseCore

/// Records from a CSV export: one header row (`csv`) or Qualtrics' header rows (`qualtrics-csv`), values aligned with the header.
///
/// A short row is delivered with nil for its missing fields (finding `short-row`); a row with more fields than the header
/// is skipped (finding `ragged-row`), and when too many rows are ragged the file is rejected as a whole at its end.
public final class CSVRecordReader: RawRecordReader {
    /// How the header was laid out.
    public enum Layout: String, Sendable {
        /// One row of column names.
        case plain
        /// Qualtrics since 2017: names, question texts, `{"ImportId":"QID1"}` row.
        case qualtrics
        /// Qualtrics legacy: `V1,V2,...` names and a second row of question texts (or a 2-row export without import ids).
        case qualtricsLegacy
    }

    public let header: RecordHeader
    public private(set) var findings: [DataQualityFinding] = []
    public let layout: Layout
    /// The id findings are reported under.
    public let sourceID: String
    /// The tokenizer underneath (delimiter and encoding in use).
    public let csv: CSVReader
    /// The file is rejected when more than this share of its data rows is ragged ...
    public var raggedRowTolerance: Double = 0.01
    /// ... and at least this many are.
    public var raggedRowMinimum: Int = 10
    /// Keep Qualtrics preview and test responses.
    public var includePreviews: Bool
    /// Keep responses Qualtrics marks as not finished.
    public var includeUnfinished: Bool
    /// Data rows read so far, delivered or skipped (counted once per row: no runtime exclusivity check, as in `CSVReader`).
    @exclusivity(unchecked) public private(set) var dataRows = 0
    /// Rows skipped for having more fields than the header.
    public private(set) var raggedRows = 0

    private let path: String
    private let statusIndex: Int?
    private let finishedIndex: Int?
    /// A legacy export's first data row, read while looking for header rows (still valid: nothing was read after it).
    @exclusivity(unchecked) private var pending: CSVRow?
    private var firstRaggedLine = 0
    private var ended = false

    /// Opens `file` for `source` (format `csv` or `qualtrics-csv`; delimiter, encoding and filters from the source).
    public convenience init(source: SourceConfig, file: String) throws {
        var encoding: CSVEncoding?
        if let name = source.encoding {
            guard let known = CSVEncoding(name: name) else {
                throw IngestError("unknown encoding '\(name)'; use utf-8, utf-16le, utf-16be or windows-1252", at: source.location)
            }
            encoding = known
        }
        try self.init(file: file, sourceID: source.id, qualtrics: source.format == .qualtricsCSV, delimiter: source.delimiter,
                      encoding: encoding, includePreviews: source.includePreviews, includeUnfinished: source.includeUnfinished)
    }

    /// Opens `file`; `qualtrics` reads Qualtrics' header rows and filters preview and unfinished responses.
    public init(file: String, sourceID: String, qualtrics: Bool = false, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil,
                includePreviews: Bool = false, includeUnfinished: Bool = false) throws {
        path = file
        self.sourceID = sourceID
        self.includePreviews = includePreviews
        self.includeUnfinished = includeUnfinished
        csv = try CSVReader(path: file, delimiter: delimiter, encoding: encoding)
        guard let first = try csv.nextRow() else {
            throw IngestError("the file is empty: no header row", at: .init(file: file))
        }
        var names = first.strings
        // Legacy Qualtrics ends every line with a delimiter: the empty last cell is no column.
        while let last = names.last, last.isEmpty { names.removeLast() }
        guard !names.isEmpty else { throw IngestError("the header row is empty", at: .init(file: file, line: first.line)) }
        let width = names.count

        func fitted(_ row: CSVRow) -> [String] {
            (0..<width).map { $0 < row.count ? row.string(at: $0) : "" }
        }

        guard qualtrics else {
            layout = .plain
            header = RecordHeader(names: names, headerRows: 1)
            statusIndex = nil
            finishedIndex = nil
            return
        }
        var texts: [String] = []
        var importIDs: [String] = []
        var rows = 1
        var dataRow: CSVRow?
        var detected = Layout.qualtricsLegacy
        if let second = try csv.nextRow() {
            rows = 2
            let cells = fitted(second)
            if CSVRecordReader.isImportIDRow(cells) {
                // Question texts removed by hand: names, then import ids.
                importIDs = cells.map { CSVRecordReader.importID(in: $0) ?? $0 }
                detected = .qualtrics
            } else {
                texts = cells
                if let third = try csv.nextRow() {
                    let thirdCells = fitted(third)
                    if CSVRecordReader.isImportIDRow(thirdCells) {
                        importIDs = thirdCells.map { CSVRecordReader.importID(in: $0) ?? $0 }
                        rows = 3
                        detected = .qualtrics
                    } else {
                        dataRow = third
                    }
                }
            }
        }
        layout = detected
        header = RecordHeader(names: names, questionTexts: texts.map(QuestionText.display), importIds: importIDs, headerRows: rows)
        // Legacy names are V1, V2...: Status and Finished are named in the second row there.
        statusIndex = names.firstIndex(of: "Status") ?? (detected == .qualtricsLegacy ? texts.firstIndex(of: "Status") : nil)
        finishedIndex = names.firstIndex(of: "Finished") ?? (detected == .qualtricsLegacy ? texts.firstIndex(of: "Finished") : nil)
        pending = dataRow
    }

    /// The next record as Strings (for `validate`, the organisation file and tests; `run` reads `nextRaw()`).
    public func next() throws -> SourceRecord? {
        guard let raw = try nextRaw() else { return nil }
        let width = header.names.count
        var values = [String?](repeating: nil, count: width)
        var columns = [Int](repeating: 0, count: width)
        for index in 0..<raw.count {
            values[index] = raw.string(index)
            columns[index] = raw.location(ofField: index).column
        }
        return SourceRecord(values: values, location: raw.location, columns: columns)
    }

    public func nextRaw() throws -> RawRecord? {
        if let row = pending {
            pending = nil
            if let record = record(from: row) { return record }
        }
        while let row = try csv.nextRow() {
            if let record = record(from: row) { return record }
        }
        if !ended {
            ended = true
            try IngestError.checkRaggedRows(raggedRows, of: dataRows, minimum: raggedRowMinimum, tolerance: raggedRowTolerance,
                                            headerCount: header.names.count, firstLine: firstRaggedLine, file: path)
        }
        return nil
    }

    /// The record for `row`, or nil when it is skipped (with a finding saying why).
    private func record(from row: CSVRow) -> RawRecord? {
        dataRows += 1
        let width = header.names.count
        var count = row.count
        while count > width && row.isEmpty(at: count - 1) { count -= 1 }
        if count > width {
            raggedRows += 1
            if firstRaggedLine == 0 { firstRaggedLine = row.line }
            finding(.error, "ragged-row", "row has \(count) fields, the header \(width); row skipped",
                    at: SourceLocation(file: path, line: row.line(at: width), column: row.column(at: width)))
            return nil
        }
        let raw = row.raw(file: path, count: count)
        if let statusIndex, !includePreviews, let status = raw.string(statusIndex), CSVRecordReader.isPreview(status: status) {
            finding(.info, "preview-response", "survey preview or test response skipped (Status = \(status)); set include_previews to keep it",
                    at: raw.location)
            return nil
        }
        if let finishedIndex, !includeUnfinished, let finished = raw.string(finishedIndex), CSVRecordReader.isUnfinished(finished) {
            finding(.info, "unfinished-response", "unfinished response skipped (Finished = \(finished)); set include_unfinished to keep it",
                    at: raw.location)
            return nil
        }
        if count < width {
            finding(.warning, "short-row", "row has \(count) fields, the header \(width); the missing ones are empty", at: raw.location)
        }
        for index in row.bareQuoteFields where index < count {
            finding(.warning, "bare-quote", "quote inside an unquoted field (\(header.names[index])); the text is kept as written",
                    at: raw.location(ofField: index))
        }
        return raw
    }

    private func finding(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        findings.append(DataQualityFinding(source: sourceID, location: location, severity: severity, code: code, message: message))
    }

    /// Qualtrics `Status`: 1 Survey Preview, 2 Survey Test, 9 Survey Preview Spam, 17 Offline Survey Preview; or the label.
    static func isPreview(status: String) -> Bool {
        let text = status.trimmingSpaces.lowercased()
        if let code = Int(text) { return code == 1 || code == 2 || code == 9 || code == 17 }
        return text.contains("preview") || text == "survey test" || text == "test"
    }

    /// Qualtrics `Finished`: 0 or False (numeric or choice-text export).
    static func isUnfinished(_ finished: String) -> Bool {
        let text = finished.trimmingSpaces.lowercased()
        return text == "0" || text == "false"
    }

    static func isImportIDRow(_ cells: [String]) -> Bool {
        guard let first = cells.first(where: { !$0.isEmpty }) else { return false }
        return importID(in: first) != nil
    }

    /// The value of `ImportId` in `{"ImportId":"QID1"}` or Python's `{'ImportId': 'QID1'}` (other keys may follow).
    static func importID(in cell: String) -> String? {
        let text = Substring(cell.trimmingSpaces)
        guard text.hasPrefix("{"), let key = text.firstRange(of: "ImportId") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        guard let open = rest.first, open == "\"" || open == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: open) else { return nil }
        return String(rest[..<close])
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

extension IngestError {
    /// At the end of a file: too many rows wider than the header mean the file, not a few records, is broken
    /// (a wrong delimiter or quoting), so the whole source fails rather than losing those rows one by one.
    static func checkRaggedRows(_ ragged: Int, of rows: Int, minimum: Int, tolerance: Double, headerCount: Int,
                                firstLine: Int, file: String) throws {
        guard ragged >= minimum, Double(ragged) > tolerance * Double(rows) else { return }
        throw IngestError("\(ragged) of \(rows) rows have more fields than the header's \(headerCount) (first at line \(firstLine));"
                              + " the delimiter or the quoting is probably wrong",
                          at: .init(file: file, line: firstLine))
    }
}
