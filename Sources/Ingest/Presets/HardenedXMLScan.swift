internal import CLibXML2
import LeanPulseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One element of a small XML document (Triple-S metadata), read with the same hardening as `XMLRecordReader`.
struct XMLElementNode {
    var name: String
    var attributes: [String: String]
    var text: String
    var children: [XMLElementNode]
    var line: Int

    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    /// The text of this element and all below it.
    var allText: String { text + children.map(\.allText).joined() }
}

/// A streaming pass over an XML file through libxml2 with `XMLRecordReader`'s protections: a DOCTYPE is refused (no entities,
/// no DTD, no external access), no network, depth and size capped, the first well-formedness error is an `IngestError`
/// with its line and column.
final class HardenedXMLScan {
    enum Event {
        case start(name: String, depth: Int, line: Int)
        case end(name: String, depth: Int)
        case text(String)
    }

    let path: String
    let maxDepth: Int
    private let fd: Int32
    private let reader: xmlTextReaderPtr
    private let errors = XMLErrorSink()
    private var sawRoot = false
    private var failed = false

    init(file: String, maxDepth: Int = 256) throws {
        path = file
        self.maxDepth = maxDepth
        (fd, reader) = try SafeLibxml.openReader(file, reportingTo: errors)
    }

    deinit {
        xmlFreeTextReader(reader)
        close(fd)
    }

    private var line: Int {
        if let node = xmlTextReaderCurrentNode(reader) { return Int(xmlGetLineNo(node)) }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    private func error() -> IngestError {
        if let message = errors.message { return IngestError(message, at: .init(file: path, line: errors.line, column: errors.column)) }
        return IngestError("the XML is not well-formed", at: .init(file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                                                  column: Int(xmlTextReaderGetParserColumnNumber(reader))))
    }

    /// The next event, nil at the end of a well-formed document.
    func next() throws -> Event? {
        precondition(!failed, "HardenedXMLScan used after an error")
        while true {
            let status = xmlTextReaderRead(reader)
            if status < 0 || errors.message != nil {
                failed = true
                throw error()
            }
            if status == 0 {
                guard sawRoot else {
                    failed = true
                    throw IngestError("the document has no root element", at: .init(file: path))
                }
                return nil
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                failed = true
                throw XMLRecordReader.doctypeError(file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)))
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                sawRoot = true
                let depth = Int(xmlTextReaderDepth(reader))
                if depth >= maxDepth {
                    failed = true
                    throw IngestError("elements are nested deeper than \(maxDepth) levels", at: .init(file: path, line: line))
                }
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                if xmlTextReaderIsEmptyElement(reader) == 1 {
                    pendingEnd = (name, depth)
                }
                return .start(name: name, depth: depth, line: line)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
                return .end(name: name, depth: Int(xmlTextReaderDepth(reader)))
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                return .text(xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? "")
            default:
                continue
            }
        }
    }

    /// An empty element (`<a/>`) has no end event from libxml2: the caller gets one from `takePendingEnd()`.
    private(set) var pendingEnd: (name: String, depth: Int)?

    func takePendingEnd() -> (name: String, depth: Int)? {
        defer { pendingEnd = nil }
        return pendingEnd
    }

    /// The attributes of the element the last `.start` reported.
    func attributes() -> [String: String] {
        var result: [String: String] = [:]
        guard xmlTextReaderHasAttributes(reader) == 1 else { return result }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            result[name] = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
        }
        xmlTextReaderMoveToElement(reader)
        return result
    }

    /// The whole document as a tree; for small files only (`maxNodes` and `maxTextBytes` bound it).
    static func tree(file: String, maxNodes: Int = 200_000, maxTextBytes: Int = 16 << 20) throws -> XMLElementNode {
        try document(file: file, maxNodes: maxNodes, maxTextBytes: maxTextBytes).root
    }

    /// The whole document as a tree, and the character set it declares (`<?xml ... encoding="ISO-8859-1"?>`, as libxml2
    /// read it; nil without a declaration).
    static func document(file: String, maxNodes: Int = 200_000, maxTextBytes: Int = 16 << 20) throws
    -> (root: XMLElementNode, encoding: String?) {
        let scan = try HardenedXMLScan(file: file, maxDepth: 64)
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var nodes = 0
        var textBytes = 0
        func close() {
            let done = stack.removeLast()
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
        while let event = try scan.next() {
            switch event {
            case .start(let name, _, let line):
                nodes += 1
                if nodes > maxNodes { throw IngestError("more than \(maxNodes) elements; this is not a metadata file", at: .init(file: file, line: line)) }
                stack.append(XMLElementNode(name: name, attributes: scan.attributes(), text: "", children: [], line: line))
                if scan.takePendingEnd() != nil { close() }
            case .end:
                if !stack.isEmpty { close() }
            case .text(let text):
                textBytes += text.utf8.count
                if textBytes > maxTextBytes { throw IngestError("more than \(maxTextBytes >> 20) MiB of text; this is not a metadata file", at: .init(file: file)) }
                if !stack.isEmpty { stack[stack.count - 1].text += text }
            }
        }
        guard let root else { throw IngestError("the document has no root element", at: .init(file: file)) }
        return (root, xmlTextReaderConstEncoding(scan.reader).map { String(cString: $0) })
    }
}

/// Errors libxml2 raises outside a parser context (its encoding layer: "I/O error : encoder error") go to a per-thread global
/// handler that prints to standard error. The parser still fails and the reader reports the located error; this keeps the
/// user's terminal and the cron log free of libxml2's own lines. Per thread, so it is set before every read.
func silenceLibxmlGlobalErrors() {
    xmlSetStructuredErrorFunc(nil, { _, _ in })
}
