internal import CLibXML2
import LeanPulseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects the first error libxml2 reports while reading one file.
final class XMLErrorSink {
    var message: String?
    var line = 0
    var column = 0

    func record(_ error: xmlError) {
        guard message == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var text = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        while text.last == "\n" || text.last == " " { text.removeLast() }
        message = text
        line = Int(error.line)
        column = Int(error.int2)
    }
}

/// Opening XML safely, shared by every XML reader of Ingest.
enum SafeLibxml {
    /// A DOCTYPE is refused before libxml2 sees the file (libxml2's read-ahead would otherwise meet entity references
    /// first and report them less clearly; each parser's own DOCTYPE check stays as the second line of defence).
    static func refuseDoctypeInProlog(of file: String) throws {
        if let line = XMLRecordReader.doctypeLine(in: try DecodingInput.head(of: file, count: 65_536)) {
            throw XMLRecordReader.doctypeError(file: file, line: line)
        }
    }

    /// libxml2's streaming reader with safe options after `refuseDoctypeInProlog`, its errors going to `sink`.
    /// NONET: no network. Deliberately absent: NOENT (entity substitution), DTDLOAD, DTDATTR, HUGE (lifts the limits).
    /// The caller frees the reader and closes the descriptor.
    static func openReader(_ file: String, reportingTo sink: XMLErrorSink) throws -> (fd: Int32, reader: xmlTextReaderPtr) {
        try refuseDoctypeInProlog(of: file)
        libxmlInitialized()
        silenceLibxmlGlobalErrors()
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { throw IngestError("cannot open: \(DecodingInput.errnoText())", at: .init(file: file)) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue)
        guard let reader = xmlReaderForFd(fd, file, nil, options) else {
            close(fd)
            throw IngestError("libxml2 could not start reading the file", at: .init(file: file))
        }
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            Unmanaged<XMLErrorSink>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }, Unmanaged.passUnretained(sink).toOpaque())
        return (fd, reader)
    }
}

private let libxmlInit: Void = xmlInitParser()

/// libxml2 wants one initialisation before readers run on several threads.
func libxmlInitialized() { _ = libxmlInit }
