internal import CLibXML2
import LeanPulseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Records from XML through libxml2's streaming reader: each element at `recordPath` is one record,
/// its fields picked by paths relative to it (`team`, `@id`, `a/b`, `a/@b`).
///
/// Hardened for files from outside: no network, no entity substitution, no DTD loading, and any DOCTYPE is rejected
/// (entity bombs, external entities). Depth and text size are capped. Memory stays flat: only the current record is held.
public final class XMLRecordReader: RecordReader {
    public let header: RecordHeader
    public let findings: [DataQualityFinding] = []
    /// Elements nested deeper than this are an error.
    public let maxDepth: Int
    /// A field's text longer than this (UTF-8 bytes) is an error.
    public let maxFieldBytes: Int

    private let path: String
    private let recordPath: [String]
    /// The element names of the record path and the field paths as small numbers (any other name is -1):
    /// libxml2 hands out names as C strings, and making a Swift String of each (then hashing it) was a large
    /// share of reading. Only configured names are registered, so a file's names cannot grow the table.
    private var nameIDs: ByteKeyTable<Int32>
    private var nameCount: Int32 = 0
    private var recordPathIDs: [Int32] = []
    private let fields: [FieldPath]
    private let fd: Int32
    private let reader: xmlTextReaderPtr
    private let errors = XMLErrorSink()
    private var stack: [Int32] = []
    private var sawRoot = false
    private var failure: IngestError?
    // The record being read.
    private var inRecord = false
    private var values: [String?] = []
    /// Fields collecting text, with the stack depth of the element they collect from.
    private var collecting: [(field: Int, depth: Int)] = []
    private var recordLocation = SourceLocation(file: "")
    /// The field paths as a tree of element names below the record element (node 0), so that an element costs
    /// one dictionary lookup, not a comparison with every field path.
    private var nodes: [PathNode] = [PathNode()]
    /// The tree node of each open element inside the record (-1: no field below it).
    private var nodeStack: [Int] = []

    struct PathNode {
        var children: [Int32: Int] = [:]
        /// Fields ending here without an attribute test.
        var fields: [Int] = []
        /// Fields ending here with an attribute test: attribute name -> attribute value -> fields.
        var tests: [(attribute: String, fields: [String: [Int]])] = []
    }

    /// A field path split into the elements below the record, an optional attribute test on the last element
    /// (`answer[@item='q01']`, for exports that repeat one element name), and an optional attribute of the last element.
    struct FieldPath: Equatable {
        var elements: [String]
        var predicate: (name: String, value: String)?
        var attribute: String?

        static func == (lhs: FieldPath, rhs: FieldPath) -> Bool {
            lhs.elements == rhs.elements && lhs.attribute == rhs.attribute
                && lhs.predicate?.name == rhs.predicate?.name && lhs.predicate?.value == rhs.predicate?.value
        }

        init?(_ text: String) {
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty || trimmed == "." {
                elements = []
                return
            }
            var parts = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.first == "." { parts.removeFirst() }
            if let last = parts.last, last.hasPrefix("@") {
                attribute = String(last.dropFirst())
                parts.removeLast()
                if attribute?.isEmpty ?? true { return nil }
            }
            if let last = parts.last, let open = last.firstIndex(of: "["), last.hasSuffix("]") {
                // name[@attr='value'], quotes optional.
                let test = last[last.index(after: open)..<last.index(before: last.endIndex)]
                guard test.hasPrefix("@"), let equals = test.firstIndex(of: "=") else { return nil }
                let name = String(test[test.index(after: test.startIndex)..<equals])
                var value = Substring(test[test.index(after: equals)...])
                if let quote = value.first, quote == "'" || quote == "\"", value.count >= 2, value.last == quote {
                    value = value.dropFirst().dropLast()
                }
                guard !name.isEmpty else { return nil }
                predicate = (name, String(value))
                parts[parts.count - 1] = String(last[..<open])
            }
            guard parts.allSatisfy({ !$0.isEmpty && !$0.contains("@") && !$0.contains("[") }) else { return nil }
            if predicate != nil && parts.isEmpty { return nil }
            elements = parts
        }
    }

    /// Opens `file`; `recordPath` is absolute (`/ideas/idea`); `configLocation` is where configuration errors are reported.
    public init(file: String, recordPath: String, fieldPaths: [String], configLocation: SourceLocation? = nil,
                maxDepth: Int = 256, maxFieldBytes: Int = 10_000_000) throws {
        path = file
        self.maxDepth = maxDepth
        self.maxFieldBytes = maxFieldBytes
        let recordParts = recordPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard recordPath.hasPrefix("/"), recordParts.count >= 2, recordParts.dropFirst().allSatisfy({ !$0.isEmpty && !$0.contains("@") }) else {
            throw IngestError("record path '\(recordPath)' is not an absolute element path such as /ideas/idea", at: configLocation)
        }
        self.recordPath = Array(recordParts.dropFirst())
        guard !fieldPaths.isEmpty else { throw IngestError("an XML source needs at least one field path", at: configLocation) }
        var parsed: [FieldPath] = []
        for text in fieldPaths {
            guard let field = FieldPath(text) else {
                throw IngestError("field path '\(text)' is not of the form child, @attribute, a/b, a/@b or a[@key='value']", at: configLocation)
            }
            parsed.append(field)
        }
        fields = parsed
        header = RecordHeader(names: fieldPaths, headerRows: 0)
        nameIDs = ByteKeyTable(minimumSlots: 4 * (recordParts.count + parsed.reduce(0) { $0 + $1.elements.count }) + 16)
        (fd, reader) = try SafeLibxml.openReader(file, reportingTo: errors)
        recordPathIDs = self.recordPath.map { register($0) }
        for (index, field) in parsed.enumerated() {
            var node = 0
            for elementName in field.elements {
                let name = register(elementName)
                if let child = nodes[node].children[name] {
                    node = child
                } else {
                    nodes.append(PathNode())
                    nodes[node].children[name] = nodes.count - 1
                    node = nodes.count - 1
                }
            }
            if let predicate = field.predicate {
                if let group = nodes[node].tests.firstIndex(where: { $0.attribute == predicate.name }) {
                    nodes[node].tests[group].fields[predicate.value, default: []].append(index)
                } else {
                    nodes[node].tests.append((predicate.name, [predicate.value: [index]]))
                }
            } else {
                nodes[node].fields.append(index)
            }
        }
    }

    /// The number of a configured element name (the table is sized for every configured name).
    private func register(_ name: String) -> Int32 {
        Array(name.utf8).withUnsafeBufferPointer { bytes in
            if let known = nameIDs.value(for: bytes) { return known }
            nameIDs.insert(nameCount, for: bytes)
            nameCount += 1
            return nameCount - 1
        }
    }

    /// The number of an element name in the file: -1 when no path names it.
    private func nameID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        nameIDs.value(for: bytes) ?? -1
    }

    deinit {
        xmlFreeTextReader(reader)
        close(fd)
    }

    public func next() throws -> SourceRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch let error as IngestError {
            failure = error
            throw error
        }
    }

    private func fail(_ reason: String, line: Int = 0, column: Int = 0) -> IngestError {
        IngestError(reason, at: .init(file: path, line: line, column: column))
    }

    private var currentLine: Int {
        if let node = xmlTextReaderCurrentNode(reader) { return Int(xmlGetLineNo(node)) }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    private func libxmlError() -> IngestError {
        if let message = errors.message {
            return fail(message, line: errors.line, column: errors.column)
        }
        return fail("the XML is not well-formed", line: Int(xmlTextReaderGetParserLineNumber(reader)),
                    column: Int(xmlTextReaderGetParserColumnNumber(reader)))
    }

    private func readRecord() throws -> SourceRecord? {
        while true {
            let status = xmlTextReaderRead(reader)
            if status < 0 || errors.message != nil { throw libxmlError() }
            if status == 0 {
                guard sawRoot else { throw fail("the document has no root element") }
                return nil
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                throw XMLRecordReader.doctypeError(file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)))
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let depth = Int(xmlTextReaderDepth(reader))
                if depth >= maxDepth { throw fail("elements are nested deeper than \(maxDepth) levels", line: currentLine) }
                let local = xmlTextReaderConstLocalName(reader)
                let name = local.map { nameID(UnsafeBufferPointer(start: $0, count: strlen($0))) } ?? -1
                if !sawRoot {
                    sawRoot = true
                    guard name == recordPathIDs[0] else {
                        let text = local.map { String(cString: $0) } ?? ""
                        throw fail("the root element is <\(text)>, but the record path starts at /\(recordPath[0])", line: currentLine)
                    }
                }
                stack.append(name)
                try startElement()
                if xmlTextReaderIsEmptyElement(reader) == 1, let record = endElement() { return record }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let record = endElement() { return record }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                if inRecord { try addText() }
            default:
                break
            }
        }
    }

    static func doctypeError(file: String, line: Int) -> IngestError {
        IngestError("DOCTYPE declarations are not accepted (entity expansion and external entities are unsafe); remove the <!DOCTYPE ...>",
                    at: .init(file: file, line: line))
    }

    /// The line of a `<!DOCTYPE` in the prolog (before the first element), skipping comments and processing instructions.
    static func doctypeLine(in bytes: [UInt8]) -> Int? {
        let doctype = Array("<!DOCTYPE".utf8)
        var line = 1
        var i = 0
        func skip(past terminator: [UInt8]) {
            while i < bytes.count {
                if bytes[i] == 0x0A { line += 1 }
                if bytes[i...].starts(with: terminator) {
                    i += terminator.count
                    return
                }
                i += 1
            }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A { line += 1 }
            guard byte == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            let rest = bytes[i...]
            if rest.starts(with: Array("<?".utf8)) {
                skip(past: Array("?>".utf8))
            } else if rest.starts(with: Array("<!--".utf8)) {
                skip(past: Array("-->".utf8))
            } else if rest.starts(with: doctype) {
                return line
            } else {
                return nil
            }
        }
        return nil
    }

    private func startElement() throws {
        var node: Int
        if !inRecord {
            guard stack.count == recordPathIDs.count, stack == recordPathIDs else { return }
            inRecord = true
            // Reset in place: the previous record's array is normally free again (see CSVRecordReader.valueBuffer).
            if values.count == fields.count {
                for i in values.indices { values[i] = nil }
            } else {
                values = Array(repeating: nil, count: fields.count)
            }
            collecting.removeAll(keepingCapacity: true)
            nodeStack.removeAll(keepingCapacity: true)
            recordLocation = SourceLocation(file: path, line: currentLine)
            node = 0
        } else {
            let parent = nodeStack.last ?? -1
            node = parent >= 0 ? nodes[parent].children[stack[stack.count - 1]] ?? -1 : -1
        }
        nodeStack.append(node)
        guard node >= 0 else { return }
        for index in nodes[node].fields { take(index) }
        for test in nodes[node].tests {
            if let value = attributeValue(test.attribute), let matched = test.fields[value] {
                for index in matched { take(index) }
            }
        }
    }

    /// Field `index` matches the current element: the first matching element wins.
    private func take(_ index: Int) {
        guard values[index] == nil else { return }
        if let attribute = fields[index].attribute {
            if let value = attributeValue(attribute) { values[index] = value }
        } else {
            // Its text (also of nested elements) is collected until the element ends.
            values[index] = ""
            collecting.append((index, stack.count))
        }
    }

    /// An attribute of the current element. Moving onto it avoids xmlTextReaderGetAttribute's copy (and the global xmlFree).
    private func attributeValue(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    /// Pops the current element; returns the record when it was the record element.
    private func endElement() -> SourceRecord? {
        let depth = stack.count
        stack.removeLast()
        guard inRecord else { return nil }
        nodeStack.removeLast()
        collecting.removeAll { $0.depth == depth }
        guard depth == recordPath.count else { return nil }
        inRecord = false
        return SourceRecord(values: values, location: recordLocation)
    }

    private func addText() throws {
        guard let text = xmlTextReaderConstValue(reader) else { return }
        var string: String?
        for (index, _) in collecting {
            let piece = string ?? String(cString: text)
            string = piece
            values[index, default: ""].append(piece)
            if (values[index]?.utf8.count ?? 0) > maxFieldBytes {
                throw fail("the text of \(header.names[index]) is longer than \(maxFieldBytes) bytes", line: currentLine)
            }
        }
    }
}

extension XMLRecordReader: ReadPosition {
    public var bytesRead: Int64 { Int64(xmlTextReaderByteConsumed(reader)) }
}

extension Array where Element == String? {
    fileprivate subscript(index: Int, default defaultValue: String) -> String {
        get { self[index] ?? defaultValue }
        set { self[index] = newValue }
    }
}
