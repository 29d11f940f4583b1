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
        /// A Qualtrics export whose question-text and import-id rows were deleted by hand: the names row, then responses.
        case qualtricsNamesOnly

        /// How `leanpulse validate` names the layout.
        public var description: String {
            switch self {
            case .plain: "one header row"
            case .qualtrics: "qualtrics-csv with names, question texts and import ids"
            case .qualtricsLegacy: "qualtrics-csv legacy (V1 V2 ... names and question texts)"
            case .qualtricsNamesOnly: "qualtrics-csv with the names row only (its question-text and import-id rows removed)"
            }
        }
    }

    public let header: RecordHeader
    /// Passed to the shaper once per row: no runtime exclusivity check (a reader belongs to one thread).
    @exclusivity(unchecked) public private(set) var findings: [DataQualityFinding] = []
    public let layout: Layout
    /// The id findings are reported under.
    public let sourceID: String
    /// The tokenizer underneath (delimiter and encoding in use).
    public let csv: CSVReader
    /// The file is rejected when more than this share of its data rows is ragged ...
    public var raggedRowTolerance: Double {
        get { shaper.raggedRowTolerance }
        set { shaper.raggedRowTolerance = newValue }
    }
    /// ... and at least this many are.
    public var raggedRowMinimum: Int {
        get { shaper.raggedRowMinimum }
        set { shaper.raggedRowMinimum = newValue }
    }
    /// Keep Qualtrics preview and test responses.
    @exclusivity(unchecked) public var includePreviews: Bool
    /// Keep responses Qualtrics marks as not finished.
    @exclusivity(unchecked) public var includeUnfinished: Bool
    /// Data rows read so far, delivered or skipped.
    public var dataRows: Int { shaper.dataRows }
    /// Rows skipped for having more fields than the header.
    public var raggedRows: Int { shaper.raggedRows }

    private let statusIndex: Int?
    private let finishedIndex: Int?
    /// A legacy export's first data row, read while looking for header rows (still valid: nothing was read after it).
    @exclusivity(unchecked) private var pending: CSVRow?
    /// Width checks and findings shared with the vendor presets (touched once per row: no runtime exclusivity check,
    /// as in `CSVReader`).
    @exclusivity(unchecked) private var shaper: CSVRowShaper

    /// Opens `file` for `source` (format `csv` or `qualtrics-csv`; delimiter, encoding and filters from the source).
    public convenience init(source: SourceConfig, file: String) throws {
        try self.init(file: file, sourceID: source.id, qualtrics: source.format == .qualtricsCSV, delimiter: source.delimiter,
                      encoding: CSVEncoding.declared(by: source), includePreviews: source.includePreviews, includeUnfinished: source.includeUnfinished)
    }

    /// Opens `file`; `qualtrics` reads Qualtrics' header rows and filters preview and unfinished responses.
    public init(file: String, sourceID: String, qualtrics: Bool = false, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil,
                includePreviews: Bool = false, includeUnfinished: Bool = false) throws {
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
        // A name written twice would bind `fields:`/`items:` to its first column without a word: the later ones become
        // `name (2)`, `name (3)`, as the presets name them, and the file gets one note (real Qualtrics exports repeat the
        // names of a matrix's text entries dozens of times) at the first repeat.
        let unique = PresetCSVRecordReader.unique(names)
        let repeats = names.indices.filter { unique[$0] != names[$0] && !names[$0].isEmpty }
        if let firstRepeat = repeats.first {
            findings.append(DataQualityFinding(
                source: sourceID, location: .init(file: file, line: first.line, column: first.column(at: firstRepeat)), severity: .info,
                code: "duplicate-column",
                message: "\(repeats.count) column name\(repeats.count == 1 ? " appears" : "s appear") again in the header (first here: "
                    + "'\(names[firstRepeat])', now named '\(unique[firstRepeat])'); a repeated name is numbered so, and a mapping to the "
                    + "plain name takes its first column"))
        }
        names = unique

        func fitted(_ row: CSVRow) -> [String] {
            (0..<width).map { $0 < row.count ? row.string(at: $0) : "" }
        }

        guard qualtrics else {
            if let note = CSVRecordReader.qualtricsLookalike(names, file: file, line: first.line, sourceID: sourceID, format: "csv") {
                findings.append(note)
            }
            layout = .plain
            header = RecordHeader(names: names, headerRows: 1)
            shaper = CSVRowShaper(path: file, sourceID: sourceID, names: names)
            statusIndex = nil
            finishedIndex = nil
            return
        }
        var texts: [String] = []
        var importIDs: [String] = []
        var timeZones: [Int: String] = [:]
        var rows = 1
        var dataRow: CSVRow?
        var detected = Layout.qualtricsLegacy
        if let second = try csv.nextRow() {
            rows = 2
            let cells = fitted(second)
            if CSVRecordReader.isResponseRow(cells, names: names) {
                // Rows 2 and 3 deleted by hand (a common clean-up in Excel): the second row is a response, not question
                // texts (read as texts, it was lost without a word).
                rows = 1
                dataRow = second
                detected = .qualtricsNamesOnly
                findings.append(DataQualityFinding(
                    source: sourceID, location: .init(file: file, line: second.line), severity: .info, code: "qualtrics-header",
                    message: "the file has Qualtrics' column names but not its question-text and import-id rows: "
                        + "row \(second.line) is read as the first response, and items are mapped by column name"))
            } else if CSVRecordReader.isImportIDRow(cells) {
                // Question texts removed by hand: names, then import ids.
                importIDs = cells.map { CSVRecordReader.importID(in: $0) ?? $0 }
                detected = .qualtrics
            } else {
                texts = cells
                if let third = try csv.nextRow() {
                    let thirdCells = fitted(third)
                    if CSVRecordReader.isImportIDRow(thirdCells) {
                        importIDs = thirdCells.map { CSVRecordReader.importID(in: $0) ?? $0 }
                        for (column, cell) in thirdCells.enumerated() {
                            if let zone = CSVRecordReader.importRowValue("timeZone", in: cell) { timeZones[column] = zone }
                        }
                        rows = 3
                        detected = .qualtrics
                    } else {
                        dataRow = third
                    }
                }
            }
        }
        layout = detected
        header = RecordHeader(names: names, questionTexts: texts.map(QuestionText.display), importIds: importIDs, headerRows: rows,
                              timeZones: timeZones)
        shaper = CSVRowShaper(path: file, sourceID: sourceID, names: names)
        // Legacy names are V1, V2...: Status and Finished are named in the second row there.
        statusIndex = names.firstIndex(of: "Status") ?? (detected == .qualtricsLegacy ? texts.firstIndex(of: "Status") : nil)
        finishedIndex = names.firstIndex(of: "Finished") ?? (detected == .qualtricsLegacy ? texts.firstIndex(of: "Finished") : nil)
        pending = dataRow
    }

    /// The next record as Strings (for `validate`, the organisation file and tests; `run` reads `nextRaw()`).
    public func next() throws -> SourceRecord? {
        try nextRaw()?.sourceRecord(width: header.names.count)
    }

    public func nextRaw() throws -> RawRecord? {
        if let row = pending {
            pending = nil
            if let record = try record(from: row) { return record }
        }
        while let row = try csv.nextRow() {
            if let record = try record(from: row) { return record }
        }
        try shaper.finish(findings: &findings)
        return nil
    }

    /// The record for `row`, or nil when it is skipped (with a finding saying why).
    private func record(from row: CSVRow) throws -> RawRecord? {
        guard let raw = try shaper.shape(row, findings: &findings) else { return nil }
        if let statusIndex, !includePreviews, let status = raw.string(statusIndex), CSVRecordReader.isPreview(status: status) {
            finding(.info, "preview-response", "survey preview, test or spam response skipped (Status = \(status)); set include_previews to keep it",
                    at: raw.location)
            return nil
        }
        if let finishedIndex, !includeUnfinished, let finished = raw.string(finishedIndex), CSVRecordReader.isUnfinished(finished) {
            finding(.info, "unfinished-response", "unfinished response skipped (Finished = \(finished)); set include_unfinished to keep it",
                    at: raw.location)
            return nil
        }
        shaper.report(row, raw, findings: &findings)
        return raw
    }

    private func finding(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        findings.append(shaper.finding(severity, code, message, at: location))
    }

    /// Qualtrics `Status`: 1 Survey Preview, 2 Survey Test, 8 Spam, 9 Survey Preview Spam, 12 Imported Spam, 17 Offline
    /// Survey Preview; or the label. Responses Qualtrics flagged as spam are no employee's answers either.
    static func isPreview(status: String) -> Bool {
        let text = status.trimmingSpaces.lowercased()
        if let code = Int(text) { return [1, 2, 8, 9, 12, 17].contains(code) }
        return text.contains("preview") || text == "survey test" || text == "test" || text.contains("spam")
    }

    /// Qualtrics `Finished`: 0 or False (numeric or choice-text export), also as Excel writes FALSE in other languages
    /// when it resaves the export (FALSCH, FAUX, FALSO, ONWAAR, FALSKT, EPÄTOSI).
    static func isUnfinished(_ finished: String) -> Bool {
        let text = finished.trimmingSpaces.lowercased()
        return ["0", "false", "falsch", "faux", "falso", "onwaar", "falskt", "epätosi"].contains(text)
    }

    /// A warning when a file read as `format` has Qualtrics' own column names (four or more of `StartDate`, `EndDate`,
    /// `Status`, `Finished`, `RecordedDate`, `ResponseId`): its question-text and import-id rows are then read as
    /// responses, and its preview, test and unfinished responses are kept (session 18's audit: a Qualtrics file under
    /// `google-forms-csv` imported all of them, with only unknown-team findings to show for it).
    static func qualtricsLookalike(_ names: [String], file: String, line: Int, sourceID: String, format: String) -> DataQualityFinding? {
        let signature: Set<String> = ["StartDate", "EndDate", "Status", "Finished", "RecordedDate", "ResponseId", "ResponseID"]
        guard names.filter(signature.contains).count >= 4 else { return nil }
        return DataQualityFinding(
            source: sourceID, location: .init(file: file, line: line), severity: .warning, code: "qualtrics-columns",
            message: "the header has Qualtrics' columns (StartDate, Status, Finished, ...) but the source reads it as \(format): its "
                + "question-text and import-id rows become records, and preview, test and unfinished responses are kept; "
                + "set format: qualtrics-csv")
    }

    /// True when `cells`, the row after the names, is a response rather than Qualtrics' question texts: a response id
    /// (`R_...`) under `ResponseId` (`V1` in the legacy layout), or a date under `StartDate`, `EndDate` or `RecordedDate`.
    /// Question texts name those columns in words ("Response ID", "Anfangsdatum"), never so.
    static func isResponseRow(_ cells: [String], names: [String]) -> Bool {
        for (index, name) in names.enumerated() where index < cells.count {
            let cell = cells[index].trimmingSpaces
            switch name {
            case "ResponseId", "ResponseID", "V1":
                if cell.hasPrefix("R_") && cell.count > 2 && !cell.contains(" ") { return true }
            case "StartDate", "EndDate", "RecordedDate":
                if let first = cell.utf8.first, first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return true }
            default:
                continue
            }
        }
        return false
    }

    static func isImportIDRow(_ cells: [String]) -> Bool {
        guard let first = cells.first(where: { !$0.isEmpty }) else { return false }
        return importID(in: first) != nil
    }

    /// The value of `ImportId` in `{"ImportId":"QID1"}` or Python's `{'ImportId': 'QID1'}` (other keys may follow).
    static func importID(in cell: String) -> String? { importRowValue("ImportId", in: cell) }

    /// The string value of `key` in a cell of the ImportId row (JSON or Python's dict notation), such as `timeZone` in
    /// `{"ImportId":"recordedDate","timeZone":"America/Denver"}`.
    static func importRowValue(_ key: String, in cell: String) -> String? {
        let text = Substring(cell.trimmingSpaces)
        guard text.hasPrefix("{"), let key = text.firstRange(of: key) else { return nil }
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
