import LeanPulseCore

/// Triple-S (`triple-s`): an XML metadata file (`path:` points at it, `.sss` or `.xml`) describing the variables of a data file
/// in fixed-width or CSV form.
///
/// ```xml
/// <sss version="2.0"><survey><record ident="A" format="fixed" href="pulse.asc">
///   <variable ident="1" type="single"><name>Q1</name><label>I know what is expected of me</label>
///     <position start="5" finish="5"/><values><value code="1">Disagree</value>...</values></variable>
/// ```
///
/// The data file is `record/@href` (relative to the metadata file), else the metadata file's name with `.asc`, `.dat`,
/// `.csv` or `.txt`. `record/@format` is `fixed` (default; `position start..finish` are 1-based character positions) or
/// `csv` (`position start` is the field number); `record/@skip` header lines are skipped.
/// Header: names = variable `<name>` (else `V` + ident), question texts = `<label>`, import ids = `ident` (so `items:` may use
/// either). Values are the codes as written, trimmed (blank = not answered); a `multiple` variable delivers its raw field.
/// `valueLabels` (also in `header.valueLabels`) holds each variable's code -> label map: Normalize reads a code through its
/// label where the instrument scores that label otherwise (`1` labelled "Strongly agree" is 5 on an agree scale).
public final class TripleSRecordReader: RecordReader {
    public let header: RecordHeader
    public private(set) var findings: [DataQualityFinding] = []
    /// The data file being read.
    public let dataPath: String
    /// `fixed` or `csv`.
    public let dataFormat: String
    /// Per column: code -> label from `<values>`; empty for variables without value labels.
    public let valueLabels: [[String: String]]
    /// Per column: the variable type (`single`, `multiple`, `quantity`, `character`, `logical`, `date`, `time`).
    public let types: [String]

    private let starts: [Int]
    private let finishes: [Int]
    private let sourceID: String
    private var lines: FixedWidthLines?
    private var csv: CSVReader?

    /// The data file's encoding (and delimiter, for CSV data), as `validate` shows them.
    var dataDetection: [(key: String, value: String)] {
        if let csv { return csv.detectionPairs }
        if let lines { return [("encoding", lines.encoding.rawValue + (lines.hasByteOrderMark ? " with BOM" : ""))] }
        return []
    }

    public init(source: SourceConfig, file: String) throws {
        sourceID = source.id
        let (root, declaredEncoding) = try HardenedXMLScan.document(file: file)
        func fail(_ message: String, _ line: Int) -> IngestError { IngestError(message, at: .init(file: file, line: line)) }
        guard root.name == "sss" else { throw fail("the root element is <\(root.name)>; Triple-S metadata starts with <sss>", root.line) }
        guard let survey = root.child("survey") else { throw fail("no <survey> in the Triple-S metadata", root.line) }
        guard let record = survey.child("record") else { throw fail("no <record> in the Triple-S <survey>", survey.line) }
        if survey.children("record").count > 1 {
            throw fail("hierarchical Triple-S (several <record> elements) is not supported; export one flat record", survey.children("record")[1].line)
        }
        let format = (record.attributes["format"] ?? "fixed").lowercased()
        guard format == "fixed" || format == "csv" else {
            throw fail("record format '\(format)' is not fixed or csv", record.line)
        }
        dataFormat = format
        let skip = Int(record.attributes["skip"] ?? "0") ?? 0
        var names: [String] = [], texts: [String] = [], idents: [String] = [], labels: [[String: String]] = []
        var starts: [Int] = [], finishes: [Int] = [], types: [String] = []
        for variable in record.children("variable") {
            let ident = variable.attributes["ident"] ?? ""
            let name = variable.child("name")?.allText.trimmingSpaces ?? ""
            guard let position = variable.child("position"), let start = Int(position.attributes["start"] ?? ""), start >= 1 else {
                throw fail("variable '\(name.isEmpty ? ident : name)' has no <position start=\"...\"> of 1 or more", variable.line)
            }
            let finish = Int(position.attributes["finish"] ?? "") ?? start
            guard finish >= start, finish - start < 1 << 20 else {
                throw fail("variable '\(name.isEmpty ? ident : name)': position finish \(finish) is before start \(start) or too far after it", position.line)
            }
            names.append(name.isEmpty ? "V\(ident)" : name)
            texts.append(TripleSRecordReader.label(of: variable))
            idents.append(ident)
            types.append(variable.attributes["type"] ?? "")
            starts.append(start)
            finishes.append(finish)
            var map: [String: String] = [:]
            for value in variable.child("values")?.children("value") ?? [] {
                if let code = value.attributes["code"] { map[code.trimmingSpaces] = value.allText.trimmingSpaces }
            }
            labels.append(map)
        }
        guard !names.isEmpty else { throw fail("the Triple-S record has no <variable>", record.line) }
        var labelled: [Int: [String: String]] = [:]
        for (column, map) in labels.enumerated() where !map.isEmpty { labelled[column] = map }
        header = RecordHeader(names: PresetCSVRecordReader.unique(names), questionTexts: texts.map(QuestionText.display), importIds: idents,
                              headerRows: 0, valueLabels: labelled)
        valueLabels = labels
        self.types = types
        self.starts = starts
        self.finishes = finishes

        dataPath = try TripleSRecordReader.dataFile(for: file, href: record.attributes["href"], line: record.line)
        // The data file is in the character set the metadata declares (Triple-S 2.0 and later); the source's
        // `encoding:` overrides it, and a byte-order mark in the data file wins over both (CSVEncoding.sniff).
        var encoding = try CSVEncoding.declared(by: source)
        if encoding == nil, let declared = declaredEncoding {
            if let known = ["us-ascii", "ascii"].contains(declared.lowercased()) ? .utf8 : CSVEncoding(name: declared) {
                encoding = known
            } else {
                findings.append(DataQualityFinding(
                    source: source.id, location: .init(file: file, line: 1), severity: .warning, code: "unknown-encoding",
                    message: "the metadata declares encoding '\(declared)', which LeanPulse cannot read; the data file is read as "
                        + "UTF-8 (set the source's encoding: to utf-8, utf-16le, utf-16be or windows-1252)"))
            }
        }
        if format == "csv" {
            let reader = try CSVReader(path: dataPath, delimiter: source.delimiter ?? 0x2C, encoding: encoding)
            for _ in 0..<max(0, skip) { _ = try reader.nextRow() }
            csv = reader
        } else {
            let reader = try FixedWidthLines(path: dataPath, encoding: encoding)
            for _ in 0..<max(0, skip) { _ = try reader.next() }
            lines = reader
        }
    }

    /// The data file the Triple-S metadata `file` names (for content hashes: a changed data file is a changed input).
    public static func dataFile(forMetadata file: String) throws -> String {
        let root = try HardenedXMLScan.tree(file: file)
        guard let record = root.child("survey")?.child("record") else {
            throw IngestError("no <survey><record> in the Triple-S metadata", at: .init(file: file, line: root.line))
        }
        return try dataFile(for: file, href: record.attributes["href"], line: record.line)
    }

    /// `<label>` text (Triple-S 2.0 may wrap it in `<text xml:lang="...">` elements: the first one is used).
    static func label(of variable: XMLElementNode) -> String {
        guard let label = variable.child("label") else { return "" }
        if let text = label.child("text") { return text.allText.trimmingSpaces }
        return label.allText.trimmingSpaces
    }

    static func dataFile(for metadata: String, href: String?, line: Int) throws -> String {
        let directory = metadata.contains("/") ? String(metadata[...metadata.lastIndex(of: "/")!]) : ""
        if let href, !href.trimmingSpaces.isEmpty {
            let name = href.trimmingSpaces
            guard !name.contains("://") else {
                throw IngestError("record href '\(name)' is a URL; LeanPulse reads local files only", at: .init(file: metadata, line: line))
            }
            return name.hasPrefix("/") ? name : directory + name
        }
        let fileName = String(metadata.split(separator: "/").last ?? "")
        let stem = fileName.contains(".") ? String(fileName[..<fileName.lastIndex(of: ".")!]) : fileName
        for ext in ["asc", "dat", "csv", "txt", "ASC", "DAT", "CSV", "TXT"] {
            let candidate = directory + stem + "." + ext
            if (try? DecodingInput.head(of: candidate, count: 1)) != nil { return candidate }
        }
        throw IngestError("no data file for this Triple-S metadata: set record href or put \(stem).asc (or .dat, .csv) beside it",
                          at: .init(file: metadata, line: line))
    }

    public func next() throws -> SourceRecord? {
        if let csv {
            guard let row = try csv.nextRow() else { return nil }
            var values: [String?] = []
            var columns: [Int] = []
            values.reserveCapacity(starts.count)
            for start in starts {
                if start <= row.count {
                    values.append(row.string(at: start - 1).trimmingSpaces)
                    columns.append(row.column(at: start - 1))
                } else {
                    values.append(nil)
                    columns.append(0)
                }
            }
            if row.count < starts.max() ?? 0 {
                finding(.warning, "short-row", "row has \(row.count) fields; the metadata places variables up to field \(starts.max() ?? 0)",
                        at: .init(file: dataPath, line: row.line, column: 1))
            }
            return SourceRecord(values: values, location: .init(file: dataPath, line: row.line, column: 1), columns: columns)
        }
        guard let lines, let line = try lines.next() else { return nil }
        let scalars = Array(line.text.unicodeScalars)
        var values: [String?] = []
        values.reserveCapacity(starts.count)
        var short = false
        for (start, finish) in zip(starts, finishes) {
            if start > scalars.count {
                values.append(nil)
                short = true
                continue
            }
            if finish > scalars.count { short = true }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[(start - 1)..<min(finish, scalars.count)])
            values.append(String(view).trimmingSpaces)
        }
        if short {
            finding(.warning, "short-row", "line has \(scalars.count) characters; the metadata places variables up to position \(finishes.max() ?? 0)",
                    at: .init(file: dataPath, line: line.number, column: scalars.count + 1))
        }
        return SourceRecord(values: values, location: .init(file: dataPath, line: line.number, column: 1), columns: starts)
    }

    private func finding(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation) {
        findings.append(DataQualityFinding(source: sourceID, location: location, severity: severity, code: code, message: message))
    }
}

/// The lines of a text file (LF, CRLF or CR), decoded and validated like the CSV reader's input; blank lines skipped.
final class FixedWidthLines {
    let path: String
    private let input: DecodingInput
    private var buffer: [UInt8] = []
    private var start = 0
    private var lineNumber = 1
    private var done = false
    private let chunk = 1 << 16
    /// A line longer than this is an error.
    let maxLineBytes: Int

    /// The encoding the data file is read in, and whether it starts with a byte-order mark (for `validate`).
    let encoding: CSVEncoding
    let hasByteOrderMark: Bool

    init(path: String, encoding: CSVEncoding?, maxLineBytes: Int = 16 << 20) throws {
        self.path = path
        self.maxLineBytes = maxLineBytes
        let head = try DecodingInput.head(of: path, count: 4)
        let (encoding, bom) = CSVEncoding.sniff(head, declared: encoding)
        self.encoding = encoding
        hasByteOrderMark = bom > 0
        input = try DecodingInput(path: path, encoding: encoding, bomLength: bom, chunkSize: chunk)
    }

    private func fill() throws -> Bool {
        if done { return false }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let got = try buffer.withUnsafeMutableBufferPointer { try input.readText(into: $0.baseAddress! + old, capacity: chunk) }
        buffer.removeLast(chunk - got)
        if got == 0 {
            if let problem = input.problem { throw IngestError(problem, at: .init(file: path, line: lineNumber)) }
            done = true
            return false
        }
        return true
    }

    func next() throws -> (text: String, number: Int)? {
        while true {
            var i = start
            var found = -1
            while i < buffer.count {
                if buffer[i] == 0x0A || buffer[i] == 0x0D { found = i; break }
                i += 1
            }
            if found < 0 || (buffer[found] == 0x0D && found + 1 == buffer.count && !done) {
                if buffer.count - start > maxLineBytes {
                    throw IngestError("line \(lineNumber) is longer than \(maxLineBytes >> 20) MiB", at: .init(file: path, line: lineNumber))
                }
                // fill() moves the text to the front: scan again (also for a CR that is now known to be the last byte).
                if try fill() || found >= 0 { continue }
                if start >= buffer.count { return nil }
                found = buffer.count
            }
            let text = String(decoding: buffer[start..<found], as: UTF8.self)
            let number = lineNumber
            var after = found
            if after < buffer.count {
                after += buffer[after] == 0x0D && after + 1 < buffer.count && buffer[after + 1] == 0x0A ? 2 : 1
            }
            start = after
            lineNumber += 1
            if text.contains(where: { !$0.isWhitespace }) { return (text, number) }
        }
    }
}
