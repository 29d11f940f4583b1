internal import CLibXML2
import LeanPulseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `XMLSAXParser` reports, in document order, while it parses a chunk; subclasses override what they need. Names and
/// bytes point into libxml2's memory and are valid only during the call. A handler that meets something it refuses calls
/// `parser.stop(_:)`.
///
/// A class rather than a protocol: the parser reaches it through an unretained reference, where a call through an
/// existential (or any stored reference) retains and releases the receiver, two atomic operations per event that cost
/// more than the rest of the event's Swift work.
class XMLSAXHandler {
    /// An element opens at `depth` (0: the document element). `name` is its local name, NUL-terminated; libxml2 interns
    /// names in the parser's dictionary, so one name always comes at one address while the parser lives (libxml2's own
    /// tree builder keeps these pointers as node names).
    func startElement(_ name: UnsafePointer<UInt8>, depth: Int, attributes: XMLAttributes, parser: XMLSAXParser) {}
    /// The element open at `depth` closes.
    func endElement(depth: Int) {}
    /// Character data of the innermost open element: text, CDATA, white space, a decoded reference. One text can come in
    /// several pieces (libxml2 splits at references, CDATA sections, its buffer's end and every 300 bytes of non-ASCII text).
    func characters(_ bytes: UnsafeBufferPointer<UInt8>, parser: XMLSAXParser) {}
}

/// libxml2's SAX2 parser over one file, read from a descriptor a chunk at a time so that memory stays flat in the file
/// size, in one of two modes: `parseNextChunk()` feeds libxml2's push parser a chunk and returns, so the caller decides
/// when to parse on (the reader's pull API on top of a push parser); `parseAll()` lets libxml2's own (pull) parser read
/// the whole file through a callback, the handler hearing every event before it returns. The second is faster (the push
/// parser looks ahead for a complete tag before it parses one: libxml2 runs about 10% more instructions), and is what
/// `run` uses through `XMLRecordReader.forEachRaw`; the first serves callers that want one record at a time.
///
/// Hardened like `SafeLibxml.openReader`: a DOCTYPE in the prolog is refused before libxml2 starts, and one anywhere else
/// stops the parser at its `internalSubset` event (before any declaration in it is read). No entity is ever resolved
/// (`getEntity` answers none, so only the five predefined ones and character references exist), nothing is loaded
/// (NONET; no DTDLOAD, NOENT, DTDATTR or HUGE), and depth and attributes per element are capped. Errors keep libxml2's
/// line and column.
final class XMLSAXParser {
    /// Bytes read from the file and handed to libxml2 at a time.
    static let chunkSize = 256 << 10

    let path: String
    /// Elements nested deeper than this are an error.
    let maxDepth: Int
    /// A start tag with more attributes than this is an error.
    let maxAttributes: Int
    /// The first error, libxml2's or a limit's or the handler's; no events come after it.
    private(set) var failure: IngestError?
    /// Nothing more will be parsed: the end of the file was reached, or `failure` is set.
    private(set) var ended = false
    /// File bytes handed to libxml2 so far.
    private(set) var bytesRead: Int64 = 0
    /// Bytes of `buffer` read from the file but not yet handed to libxml2 (`parseAll` only).
    private var pending: Range<Int> = 0..<0

    /// Hears the events; unretained, the owner keeps it alive as long as the parser.
    private let handler: Unmanaged<XMLSAXHandler>
    private let fd: Int32
    private let buffer: UnsafeMutableRawPointer
    private var context: xmlParserCtxtPtr?
    private let errors = XMLErrorSink()
    // The properties every event reads or writes skip Swift's dynamic exclusivity checks (checked, they took a third of
    // the Swift side's time): events never reenter, and nothing else touches these while libxml2 parses.
    @exclusivity(unchecked) private var depth = 0
    @exclusivity(unchecked) private var sawRoot = false
    /// Set with `failure` or libxml2's first error: events still in flight are dropped (a well-formedness error that
    /// is not fatal to libxml2, such as an undeclared namespace prefix, would otherwise be followed by more events).
    @exclusivity(unchecked) private var stopped = false
    /// The last event was a piece of CDATA that ended in a carriage return (see `cdata`).
    @exclusivity(unchecked) private var cdataEndedInCR = false
    /// The push parser (`parseNextChunk`) is in use: it counts columns in CDATA by bytes, the pull parser by characters.
    private var pushes = false
    /// How many columns too many the push parser counted on `columnSurplusLine`: the UTF-8 continuation bytes of the
    /// CDATA on that line so far (see `column`).
    @exclusivity(unchecked) private var columnSurplus = 0
    @exclusivity(unchecked) private var columnSurplusLine = 0

    /// Opens `file` for `handler`, which the caller keeps alive as long as the parser; nothing is parsed until
    /// `parseNextChunk()` or `parseAll()`.
    init(file: String, handler: XMLSAXHandler, maxDepth: Int, maxAttributes: Int) throws {
        try SafeLibxml.refuseDoctypeInProlog(of: file)
        libxmlInitialized()
        path = file
        self.handler = Unmanaged.passUnretained(handler)
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
        fd = open(file, O_RDONLY)
        guard fd >= 0 else { throw IngestError("cannot open: \(DecodingInput.errnoText())", at: .init(file: file)) }
        buffer = .allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    /// Both modes' options. NONET: no network. Deliberately absent: NOENT (entity substitution), DTDLOAD, DTDATTR and
    /// HUGE (which lifts libxml2's limits).
    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// The push parser, created at the first `parseNextChunk()`. libxml2 detects the encoding from the first four bytes,
    /// which it takes at creation (as xmlReaderForFd does).
    private func startPushParser() {
        pushes = true
        let head = Self.readChunk(fd, into: buffer, count: 4)
        guard head >= 0 else {
            failure = readError()
            return
        }
        bytesRead = Int64(head)
        var callbacks = Self.callbacks()
        context = xmlCreatePushParserCtxt(&callbacks, Unmanaged.passUnretained(self).toOpaque(),
                                          head > 0 ? buffer.assumingMemoryBound(to: CChar.self) : nil, Int32(head), path)
        guard let context else {
            failure = IngestError("libxml2 could not start reading the file", at: .init(file: path))
            return
        }
        xmlCtxtUseOptions(context, Self.options)
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
        buffer.deallocate()
        close(fd)
    }

    /// The line libxml2 is on: inside an event, the line where the reported construct ends (a start tag's `>`).
    var line: Int { Int(context?.pointee.input?.pointee.line ?? 0) }

    /// The column (1-based, in characters) libxml2 is on. Its pull parser counts a character at a time; its push parser
    /// steps over CDATA a byte at a time, so a multi-byte character in CDATA made every later column on that line one
    /// too many (found by the differential FuzzXML): `cdata` counts the surplus and it is taken off here.
    var column: Int {
        guard let input = context?.pointee.input else { return 0 }
        return Int(input.pointee.col) - (pushes && Int(input.pointee.line) == columnSurplusLine ? columnSurplus : 0)
    }

    /// Inside a start-element event: the column (1-based, in characters) of the start tag's `<`, when the tag is on one
    /// line (then `line` is its line); 0 when it is not known. libxml2 stands at the tag's end with the column of that
    /// position; `<` cannot occur inside a start tag, so stepping back to the first `<` finds its beginning, and the
    /// characters stepped over are subtracted.
    var startTagColumn: Int {
        guard let input = context?.pointee.input, let base = input.pointee.base, var p = input.pointee.cur else { return 0 }
        var characters = 0
        // Eight bytes at a time while they are plain ASCII without `<` or a line end (a record's start tag with its
        // attributes is 100 bytes and more: a byte at a time this was 1% of reading survey.xml).
        while p - base >= 8 {
            let word = UnsafeRawPointer(p - 8).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 || Self.hasByte(word, UInt8(ascii: "<")) || Self.hasByte(word, UInt8(ascii: "\n")) {
                break
            }
            characters += 8
            p -= 8
        }
        while p > base {
            p -= 1
            let byte = p.pointee
            if byte == UInt8(ascii: "\n") { return 0 }
            if byte & 0xC0 != 0x80 { characters += 1 }
            if byte == UInt8(ascii: "<") {
                let start = column - characters
                return start > 0 ? start : 0
            }
        }
        return 0
    }

    /// Whether one of `word`'s eight bytes is `byte` (the zero-byte test on the word with `byte` taken out).
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// Reads the next chunk of the file and parses it, the handler hearing its events; at the end of the file, ends the
    /// document (libxml2 then reports what is left open). Does nothing once `ended`.
    func parseNextChunk() {
        guard !ended else { return }
        if context == nil && failure == nil { startPushParser() }
        guard failure == nil, let context else {
            ended = true
            return
        }
        // libxml2's encoding layer reports some errors to a per-thread handler, and the reader may move between threads.
        silenceLibxmlGlobalErrors()
        let count = Self.readChunk(fd, into: buffer, count: Self.chunkSize)
        guard count >= 0 else {
            failure = readError()
            ended = true
            return
        }
        bytesRead += Int64(count)
        let status = xmlParseChunk(context, buffer.assumingMemoryBound(to: CChar.self), Int32(count), count == 0 ? 1 : 0)
        if failure == nil && (errors.message != nil || status != 0) { failure = libxmlError() }
        if failure == nil && count == 0 && !sawRoot {
            failure = IngestError("the document has no root element", at: .init(file: path))
        }
        if failure != nil || count == 0 { ended = true }
    }

    /// Parses the whole file with libxml2's pull parser, which reads it through `supply` a chunk at a time; the handler
    /// hears every event before this returns, and `failure` is set as after the last `parseNextChunk()`. Only on a
    /// parser that has not parsed yet (otherwise it does nothing).
    func parseAll() {
        guard !ended, context == nil, failure == nil else { return }
        ended = true
        silenceLibxmlGlobalErrors()
        var callbacks = Self.callbacks()
        let me = Unmanaged.passUnretained(self).toOpaque()
        context = xmlCreateIOParserCtxt(&callbacks, me, { me, target, count in
            guard let me, let target else { return -1 }
            return Unmanaged<XMLSAXParser>.fromOpaque(me)._withUnsafeGuaranteedRef { $0.supply(target, count: Int(count)) }
        }, nil, me, XML_CHAR_ENCODING_NONE)
        guard let context else {
            failure = IngestError("libxml2 could not start reading the file", at: .init(file: path))
            return
        }
        xmlCtxtUseOptions(context, Self.options)
        let status = xmlParseDocument(context)
        if failure == nil && (errors.message != nil || status != 0) { failure = libxmlError() }
        // The pull parser takes a NUL byte for the end of its input: after the root element it stopped there without a
        // word, and the rest of the file went unread (the push parser calls it extra content). libxml2 stands on the NUL,
        // inside what it has read, where a document that really ended leaves it at the end of its buffer.
        if failure == nil, let input = context.pointee.input?.pointee, let cur = input.cur, let end = input.end, cur < end {
            failure = IngestError("a NUL byte (0x00), which an XML document never contains", at: .init(file: path, line: Int(input.line), column: Int(input.col)))
        }
        if failure == nil && !sawRoot {
            failure = IngestError("the document has no root element", at: .init(file: path))
        }
    }

    /// libxml2's read callback in `parseAll`: up to `count` bytes into `target` from the buffer, refilled a chunk at a
    /// time (libxml2 asks for about 4 KB at a time, a system call each would cost more than the copy); 0 at the end of
    /// the file, -1 on a read error.
    private func supply(_ target: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        if pending.isEmpty {
            let got = Self.readChunk(fd, into: buffer, count: Self.chunkSize)
            guard got >= 0 else {
                if failure == nil { failure = readError() }
                return -1
            }
            pending = 0..<got
        }
        let n = min(count, pending.count)
        UnsafeMutableRawPointer(target).copyMemory(from: buffer + pending.lowerBound, byteCount: n)
        pending = pending.lowerBound + n..<pending.upperBound
        bytesRead += Int64(n)
        return Int32(n)
    }

    /// Ends parsing with `error` (a limit, a DOCTYPE, or whatever the handler refuses); the first error wins.
    func stop(_ error: IngestError) {
        guard failure == nil else { return }
        failure = error
        stopped = true
        if let context { xmlStopParser(context) }
    }

    private func libxmlError() -> IngestError {
        if let message = errors.message {
            return IngestError(message, at: .init(file: path, line: errors.line, column: errors.column))
        }
        let column = Int(context?.pointee.input?.pointee.col ?? 0)
        return IngestError("the XML is not well-formed", at: .init(file: path, line: line, column: column))
    }

    private func readError() -> IngestError {
        IngestError("cannot read: \(DecodingInput.errnoText())", at: .init(file: path))
    }

    /// Up to `count` bytes of `fd`; 0 at the end of the file, -1 on an error. Short only at the end (a chunk boundary
    /// means nothing to libxml2, but the four bytes of encoding detection must all be there).
    private static func readChunk(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var total = 0
        while total < count {
            let got = read(fd, buffer + total, count - total)
            if got > 0 {
                total += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                return -1
            }
        }
        return total
    }

    // MARK: Events

    fileprivate func startElement(_ name: UnsafePointer<UInt8>, _ attributes: XMLAttributes) {
        if stopped { return }
        if depth >= maxDepth {
            return stop(IngestError("elements are nested deeper than \(maxDepth) levels", at: .init(file: path, line: line)))
        }
        if attributes.count > maxAttributes {
            return stop(IngestError("an element has more than \(maxAttributes) attributes", at: .init(file: path, line: line)))
        }
        sawRoot = true
        depth += 1
        cdataEndedInCR = false
        handler._withUnsafeGuaranteedRef { $0.startElement(name, depth: depth - 1, attributes: attributes, parser: self) }
    }

    fileprivate func endElement() {
        if stopped { return }
        depth -= 1
        cdataEndedInCR = false
        handler._withUnsafeGuaranteedRef { $0.endElement(depth: depth) }
    }

    fileprivate func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int32) {
        if stopped || count <= 0 { return }
        cdataEndedInCR = false
        handler._withUnsafeGuaranteedRef { $0.characters(UnsafeBufferPointer(start: bytes, count: Int(count)), parser: self) }
    }

    /// A piece of a CDATA section. libxml2's push parser hands CDATA on as the file has it, where its pull parser (and
    /// the XML specification, 2.11) turns each `\r\n` and lone `\r` into `\n`; this does the same for both. A `\r` in
    /// CDATA is always a line end (character references mean nothing there). The push parser cuts long sections into
    /// pieces, possibly between `\r` and `\n`: a piece that starts with `\n` right after one that ended in `\r` loses it
    /// (so would a section starting with `\n` right after one ending in `\r`, which a real file has no reason to hold).
    ///
    /// The push parser also lets overlong UTF-8 through in CDATA (`C1 86`; found by FuzzXML), which the pull parser
    /// refuses: every piece is validated here (libxml2 hands CDATA on in whole characters).
    fileprivate func cdata(_ bytes: UnsafePointer<UInt8>, _ count: Int32) {
        if stopped || count <= 0 { return }
        let text = UnsafeBufferPointer(start: bytes, count: Int(count))
        let valid = validateUTF8(bytes, text.count)
        if valid.problem != nil {
            let byte = valid.end < text.count ? " (byte 0x\(hex(text[valid.end])))" : ""
            return stop(IngestError("invalid UTF-8 in a CDATA section\(byte)", at: .init(file: path, line: line)))
        }
        if pushes { countColumnSurplus(text) }
        let skipFirst = cdataEndedInCR && text[0] == 0x0A
        guard skipFirst || text.contains(0x0D) else { return characters(bytes, count) }
        var normalized: [UInt8] = []
        normalized.reserveCapacity(text.count)
        var i = skipFirst ? 1 : 0
        while i < text.count {
            if text[i] == 0x0D {
                normalized.append(0x0A)
                if i + 1 < text.count && text[i + 1] == 0x0A { i += 1 }
            } else {
                normalized.append(text[i])
            }
            i += 1
        }
        // Read before the handler runs: a handler that stops the parser (a field over its cap) has libxml2 free the
        // input this piece points into (`xmlStopParser`; found by FuzzXML under AddressSanitizer).
        let endsInCR = text[text.count - 1] == 0x0D
        if !normalized.isEmpty {
            normalized.withUnsafeBufferPointer { piece in
                handler._withUnsafeGuaranteedRef { $0.characters(piece, parser: self) }
            }
        }
        cdataEndedInCR = endsInCR
    }

    /// The push parser hands CDATA on before it steps over it, a byte a column and a line at each `\n`: the surplus
    /// columns of this piece are its continuation bytes after its last `\n` (or all of them, added to the line's).
    private func countColumnSurplus(_ text: UnsafeBufferPointer<UInt8>) {
        var surplus = 0, newLines = 0
        for byte in text {
            if byte == 0x0A {
                newLines += 1
                surplus = 0
            } else if byte & 0xC0 == 0x80 {
                surplus += 1
            }
        }
        let startLine = line
        if newLines == 0 && columnSurplusLine == startLine {
            columnSurplus += surplus
        } else {
            columnSurplus = surplus
        }
        columnSurplusLine = startLine + newLines
    }

    fileprivate func refuseDoctype() {
        stop(XMLRecordReader.doctypeError(file: path, line: line, column: column))
    }

    fileprivate func libxmlReported(_ error: xmlError) {
        errors.record(error)
        if errors.message != nil { stopped = true }
    }

    /// Runs `body` with the parser behind libxml2's user data pointer, unretained: libxml2 calls back only while the
    /// parser parses.
    private static func with(_ context: UnsafeMutableRawPointer, _ body: (XMLSAXParser) -> Void) {
        Unmanaged<XMLSAXParser>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
    }

    /// The SAX2 callbacks. What is left out matters as much: no `resolveEntity`, `externalSubset` or `reference` (nothing
    /// is ever fetched or expanded), no document or tree building. White space goes to `characters` like any text.
    private static func callbacks() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, name, _, _, namespaceCount, namespaces, attributeCount, _, attributes in
            guard let context, let name else { return }
            let given = XMLAttributes(attributes: attributes, count: Int(attributeCount), namespaces: namespaces,
                                      namespaceCount: Int(namespaceCount))
            XMLSAXParser.with(context) { $0.startElement(name, given) }
        }
        sax.endElementNs = { context, _, _, _ in
            guard let context else { return }
            XMLSAXParser.with(context) { $0.endElement() }
        }
        sax.characters = { context, bytes, count in
            guard let context, let bytes else { return }
            XMLSAXParser.with(context) { $0.characters(bytes, count) }
        }
        sax.cdataBlock = { context, bytes, count in
            guard let context, let bytes else { return }
            XMLSAXParser.with(context) { $0.cdata(bytes, count) }
        }
        sax.ignorableWhitespace = sax.characters
        sax.internalSubset = { context, _, _, _ in
            guard let context else { return }
            XMLSAXParser.with(context) { $0.refuseDoctype() }
        }
        sax.entityDecl = { context, _, _, _, _, _ in
            guard let context else { return }
            XMLSAXParser.with(context) { $0.refuseDoctype() }
        }
        sax.getEntity = { _, _ in nil }
        sax.getParameterEntity = { _, _ in nil }
        sax.serror = { context, error in
            guard let context, let error else { return }
            XMLSAXParser.with(context) { $0.libxmlReported(error.pointee) }
        }
        return sax
    }
}

/// The attributes and namespace declarations of one start tag as libxml2's SAX2 hands them over: five pointers per
/// attribute (local name, prefix, namespace URI, value start, value end; the value is not NUL-terminated) and two per
/// namespace declaration (prefix, URI).
struct XMLAttributes {
    let attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int
    let namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let namespaceCount: Int

    /// The value of attribute `name` as libxml2 delivers it (see `appendDecoded`), nil when the tag lacks it. `seen` keeps
    /// the addresses of the name and prefix libxml2 gave it when it last matched: libxml2 interns attribute names like
    /// element names (see `XMLSAXHandler.startElement`), so a repeat costs two pointer compares, not a byte compare.
    @inline(__always)
    func value(_ name: XMLAttributeName, seen: inout XMLNameAddresses) -> UnsafeBufferPointer<UInt8>? {
        if name.isNamespaceDeclaration {
            guard let namespaces else { return nil }
            for i in 0..<namespaceCount where XMLAttributeName.same(namespaces[2 * i], name.prefix) {
                guard let uri = namespaces[2 * i + 1] else { return UnsafeBufferPointer(start: nil, count: 0) }
                return UnsafeBufferPointer(start: uri, count: strlen(uri))
            }
            return nil
        }
        guard let attributes else { return nil }
        for i in 0..<count {
            let attribute = attributes + 5 * i
            guard let local = attribute[0] else { continue }
            if local != seen.local || attribute[1] != seen.prefix {
                guard name.local.matches(local), XMLAttributeName.same(attribute[1], name.prefix) else { continue }
                seen = XMLNameAddresses(local: local, prefix: attribute[1])
            }
            guard let start = attribute[3], let end = attribute[4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// Appends `value` to `output` as the text of the file. libxml2 without entity substitution (which stays off) hands a
    /// `&` that the file wrote as `&amp;` or `&#38;` on as `&#38;`, for its tree builder to resolve; no other `&` can be
    /// left, since a DOCTYPE, and with it any other entity, is refused.
    static func appendDecoded(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: "&"), i + 4 < value.count, value[i + 1] == UInt8(ascii: "#"), value[i + 2] == UInt8(ascii: "3"),
               value[i + 3] == UInt8(ascii: "8"), value[i + 4] == UInt8(ascii: ";") {
                output.append(UInt8(ascii: "&"))
                i += 5
            } else {
                output.append(value[i])
                i += 1
            }
        }
    }

    /// True when `value` holds an escaped `&` that `appendDecoded` must undo.
    static func needsDecoding(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count > 32, let base = value.baseAddress else {
            // Most values are a few bytes: a loop beats a call to memchr.
            for byte in value where byte == UInt8(ascii: "&") { return true }
            return false
        }
        return memchr(base, Int32(UInt8(ascii: "&")), value.count) != nil
    }
}

/// Where libxml2 keeps a name and its prefix (nil: none yet, or no prefix).
struct XMLNameAddresses {
    var local: UnsafePointer<UInt8>?
    var prefix: UnsafePointer<UInt8>?
}

/// An attribute named in a field path, matched as libxml2's reader matched it: `id` names an attribute without a prefix,
/// `p:id` one with prefix `p`, `xmlns` and `xmlns:p` a namespace declaration of the element.
struct XMLAttributeName {
    /// The local name (for a namespace declaration: unused).
    let local: XMLName
    /// The prefix (for a namespace declaration: the declared prefix); nil for none.
    let prefix: XMLName?
    let isNamespaceDeclaration: Bool

    init(_ name: String) {
        let parts = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if name == "xmlns" {
            local = XMLName(name)
            prefix = nil
            isNamespaceDeclaration = true
        } else if parts.count == 2 && parts[0] == "xmlns" {
            local = XMLName(parts[1])
            prefix = XMLName(parts[1])
            isNamespaceDeclaration = true
        } else if parts.count == 2 {
            local = XMLName(parts[1])
            prefix = XMLName(parts[0])
            isNamespaceDeclaration = false
        } else {
            local = XMLName(name)
            prefix = nil
            isNamespaceDeclaration = false
        }
    }

    /// libxml2's (possibly absent) prefix equals `expected`.
    static func same(_ given: UnsafePointer<UInt8>?, _ expected: XMLName?) -> Bool {
        guard let expected else { return given == nil }
        guard let given else { return false }
        return expected.matches(given)
    }
}

/// A name as UTF-8 bytes, compared with libxml2's NUL-terminated names without measuring them first.
struct XMLName {
    private let bytes: [UInt8]
    /// False for a name holding NUL, which no XML name does (and `matches` would read past the given name's end).
    private let possible: Bool

    init(_ text: String) {
        bytes = Array(text.utf8)
        possible = !bytes.contains(0)
    }

    /// True when the NUL-terminated `name` has exactly these bytes. Stops at the first difference, so it never reads
    /// past `name`'s terminator.
    func matches(_ name: UnsafePointer<UInt8>) -> Bool {
        guard possible else { return false }
        return bytes.withUnsafeBufferPointer { expected in
            for i in 0..<expected.count where name[i] != expected[i] { return false }
            return name[expected.count] == 0
        }
    }
}

/// Collects the first error libxml2 reports while reading one file.
final class XMLErrorSink {
    var message: String?
    var line = 0
    var column = 0

    func record(_ error: xmlError) {
        guard message == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var text = error.message.map { String(cString: $0) } ?? "XML error \(error.code)"
        while text.last == "\n" || text.last == " " { text.removeLast() }
        // One line per message (libxml2 writes "...indicate encoding !\nBytes: 0xFF ..."): log readers split on lines.
        message = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
        line = Int(error.line)
        column = Int(error.int2)
    }
}

/// Opening XML safely, shared by every XML reader of Ingest: `XMLSAXParser` for records, `openReader` for the small
/// documents `HardenedXMLScan` walks.
enum SafeLibxml {
    /// A DOCTYPE is refused before libxml2 sees the file (libxml2's read-ahead would otherwise meet entity references
    /// first and report them less clearly; each parser's own DOCTYPE check stays as the second line of defence).
    static func refuseDoctypeInProlog(of file: String) throws {
        if let at = XMLRecordReader.doctypePosition(in: try DecodingInput.head(of: file, count: 65_536)) {
            throw XMLRecordReader.doctypeError(file: file, line: at.line, column: at.column)
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
