import LeanPulseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Records from XML: each element at `recordPath` is one record, its fields picked by paths relative to it
/// (`team`, `@id`, `a/b`, `a/@b`, `answer[@item='q01']`).
///
/// Hardened for files from outside (see `XMLSAXParser`): no network, no entity substitution, no DTD loading, and any
/// DOCTYPE is rejected (entity bombs, external entities). Depth, attributes per element and field text are capped.
/// Memory stays flat: the file is read a chunk at a time, and only the records not yet handed out (and the one still
/// open) are held.
///
/// libxml2's SAX2 events go straight into `XMLRecordAssembly`: element names become small numbers (no String per element
/// or attribute), a field's text is copied once into a byte arena, and a record is handed out as byte ranges in that
/// arena: by `forEachRaw` as soon as it ends (the whole file in one parse, what `run` uses), or by `nextRaw()` one at a
/// time (a chunk parsed whenever the queue is empty). `next()` makes Strings of it for the callers that want them.
public final class XMLRecordReader: WholeFileRecordReader {
    public let header: RecordHeader
    public private(set) var findings: [DataQualityFinding] = []
    /// Elements nested deeper than this are an error.
    public let maxDepth: Int
    /// A field's text longer than this (UTF-8 bytes) is an error.
    public let maxFieldBytes: Int
    /// A start tag with more attributes than this is an error.
    public let maxAttributes: Int

    /// The source's id, for findings.
    private let sourceID: String
    /// What the records name as their file (they refer to it; the reader keeps it alive).
    private let recordFile: RecordFile
    private var path: String { recordFile.path }
    private let events: XMLRecordEvents
    private let parser: XMLSAXParser
    /// Reading has begun (records are then taken from `nextRaw()`).
    private var pulling = false
    /// The end of the file was reached and what it says as a whole was said (`finishFile`).
    private var finished = false

    /// Opens `file`; `recordPath` is absolute (`/ideas/idea`); `configLocation` is where configuration errors are reported.
    public init(file: String, recordPath: String, fieldPaths: [String], configLocation: SourceLocation? = nil,
                sourceID: String = "", maxDepth: Int = 256, maxFieldBytes: Int = 10_000_000, maxAttributes: Int = 10_000) throws {
        recordFile = RecordFile(file)
        self.sourceID = sourceID
        self.maxDepth = maxDepth
        self.maxFieldBytes = maxFieldBytes
        self.maxAttributes = maxAttributes
        let recordParts = recordPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard recordPath.hasPrefix("/"), recordParts.count >= 2, recordParts.dropFirst().allSatisfy({ !$0.isEmpty && !$0.contains("@") }) else {
            throw IngestError("record path '\(recordPath)' is not an absolute element path such as /ideas/idea", at: configLocation)
        }
        guard !fieldPaths.isEmpty else { throw IngestError("an XML source needs at least one field path", at: configLocation) }
        var parsed: [FieldPath] = []
        for text in fieldPaths {
            guard let field = FieldPath(text) else {
                throw IngestError("field path '\(text)' is not of the form child, @attribute, a/b, a/@b or a[@key='value']", at: configLocation)
            }
            parsed.append(field)
        }
        header = RecordHeader(names: fieldPaths, headerRows: 0)
        // Elements are matched by their local names, so a step written with its namespace prefix (`/xml/rs:data/z:row`,
        // as SharePoint's and ADO's XML name them) means the same element (session 18's audit: it matched nothing).
        let recordSteps = recordParts.dropFirst().map(XMLRecordReader.localName)
        events = XMLRecordEvents(XMLRecordAssembly(recordPath: recordSteps, fields: parsed, names: fieldPaths,
                                                   maxFieldBytes: maxFieldBytes, maxDepth: maxDepth))
        parser = try XMLSAXParser(file: file, handler: events, maxDepth: maxDepth, maxAttributes: maxAttributes)
    }

    /// The next record as Strings (for Qualtrics XML and tests; `run` reads `nextRaw()`).
    public func next() throws -> SourceRecord? {
        try nextRaw().map(Self.sourceRecord)
    }

    /// A record of this reader as Strings, absent fields nil.
    public static func sourceRecord(_ raw: RawRecord) -> SourceRecord {
        SourceRecord(values: (0..<raw.count).map { raw.string($0) }, location: SourceLocation(file: raw.file, line: raw.line, column: raw.column))
    }

    /// Every record to `body` as soon as it ends, from libxml2's pull parser reading the whole file (`XMLSAXParser.parseAll`,
    /// about a tenth fewer instructions in libxml2 than the push parser behind `nextRaw()`); the same records and errors as
    /// `nextRaw()`. After a `nextRaw()`, the rest comes from `nextRaw()`.
    public func forEachRaw(_ body: (RawRecord) throws -> Void) throws {
        guard !pulling else {
            while let record = try nextRaw() { try body(record) }
            return
        }
        pulling = true
        var thrown: (any Error)?
        withoutActuallyEscaping(body) { body in
            events.recordEnded = { [recordFile, parser] records in
                while let record = records.handOut(file: recordFile) {
                    do {
                        try body(record)
                    } catch {
                        thrown = error
                        // Stops libxml2; the parser's own failure (if it notes one) is not what is thrown.
                        parser.stop(IngestError("stopped", at: .init(file: recordFile.path)))
                        break
                    }
                }
                records.dropHandedOut()
            }
            parser.parseAll()
            events.recordEnded = nil
        }
        if let thrown { throw thrown }
        // Every record ended before an error was handed out as it ended; what the queue still holds came after it.
        if let failure = parser.failure { throw failure }
        try finishFile()
    }

    /// What the whole file tells, once: fields whose element a record repeats (one warning per field; the first element
    /// is used), and a file that holds no record but other elements where the record path leads (`record: /ideas/Idea` over `<idea>`):
    /// an error when only the case differs (a misspelt path; a CSV's missing column stops the source the same way), else
    /// a warning naming what is there. Such a file used to publish an empty log without a word.
    private func finishFile() throws {
        // Said once, at the end of the file (both reading modes end here).
        guard !finished else { return }
        finished = true
        for repeated in events.records.repeats {
            findings.append(DataQualityFinding(
                source: sourceID, location: SourceLocation(file: path, line: repeated.line), severity: .warning, code: "repeated-field",
                message: "field '\(repeated.field)' has more than one element in a record \(repeated.count) time\(repeated.count == 1 ? "" : "s"); "
                    + "the first is used (first repeat here)"))
        }
        if let strays = events.records.strays {
            let leaf = events.records.recordPathText.split(separator: "/").last.map(String.init) ?? ""
            findings.append(DataQualityFinding(
                source: sourceID, location: SourceLocation(file: path, line: strays.line), severity: .warning, code: "records-off-path",
                message: "\(strays.count) <\(leaf)> element\(strays.count == 1 ? " is" : "s are") not at the record path "
                    + "\(events.records.recordPathText) (first here): \(strays.count == 1 ? "it is" : "they are") not read"))
        }
        if events.records.sawRecord, let slips = events.records.caseSlips {
            let leaf = events.records.recordPathText.split(separator: "/").last.map(String.init) ?? ""
            findings.append(DataQualityFinding(
                source: sourceID, location: SourceLocation(file: path, line: slips.line), severity: .warning, code: "records-off-path",
                message: "\(slips.count) <\(slips.name)> element\(slips.count == 1 ? " stands" : "s stand") where the records <\(leaf)> are "
                    + "(first here), but element names are case-sensitive: \(slips.count == 1 ? "it is" : "they are") not read"))
        }
        guard !events.records.sawRecord, let missed = events.records.missedStep else { return }
        let location = SourceLocation(file: path, line: missed.line)
        if missed.name.lowercased() == missed.expected.lowercased() {
            throw IngestError("no element matches the record path: the file has <\(missed.name)> where the path names <\(missed.expected)> "
                              + "(element names are case-sensitive)", at: location)
        }
        // Elements where the path expects the record's way and not one record: the path does not fit this file. An error, as
        // for a case slip (session 18's audit: as a warning, an ideas source read nothing and every unit showed 0 ideas
        // instead of no figure, with exit 0).
        throw IngestError("no element matches the record path \(events.records.recordPathText): where it names <\(missed.expected)> the "
                          + "file has <\(missed.name)>; no record was read (check the source's record:)", at: location)
    }

    /// The next record as byte ranges in the arena (valid until the next call): parses chunks until one finished a record.
    /// Records a chunk finished before an error are handed out before the error is thrown (then on every call).
    public func nextRaw() throws -> RawRecord? {
        pulling = true
        while true {
            if let record = events.records.handOut(file: recordFile) { return record }
            if let failure = parser.failure { throw failure }
            if parser.ended {
                try finishFile()
                return nil
            }
            events.records.dropHandedOut()
            parser.parseNextChunk()
        }
    }
}

/// The reader's receiver of SAX events: passes them on to the record assembly, and owns it.
final class XMLRecordEvents: XMLSAXHandler {
    /// One access per event, unchecked: Swift's dynamic exclusivity check cost more than the event's own work, and events
    /// never reenter (the reader touches `records` only between chunks).
    @exclusivity(unchecked) var records: XMLRecordAssembly

    init(_ records: consuming XMLRecordAssembly) {
        self.records = records
    }

    override func startElement(_ name: UnsafePointer<UInt8>, depth: Int, attributes: XMLAttributes, parser: XMLSAXParser) {
        records.startElement(name, depth: depth, attributes: attributes, parser: parser)
    }

    /// Set while `forEachRaw` reads: hears the records as each one ends.
    var recordEnded: ((inout XMLRecordAssembly) -> Void)?

    override func endElement(depth: Int) {
        records.endElement(depth: depth)
        if let recordEnded, records.hasQueuedRecords { recordEnded(&records) }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>, parser: XMLSAXParser) {
        records.characters(bytes, parser: parser)
    }
}

extension XMLRecordReader: ReadPosition {
    public var bytesRead: Int64 { parser.bytesRead }
}

/// What the SAX events build: the records the current chunk finished, queued in a byte arena, and the one in progress.
/// One struct, so that an event is one access to `XMLRecordEvents.records`, not one per property it touches; not
/// copyable, since it owns the buffers it frees.
struct XMLRecordAssembly: ~Copyable {
    private let tree: PathTree
    /// The header's names, for errors.
    private let names: [String]
    private let maxFieldBytes: Int
    private let fieldCount: Int
    /// Per configured attribute name (`PathTree.attributeNames`): where libxml2 keeps it, see `XMLAttributes.value`.
    private let seenAttributes: UnsafeMutablePointer<XMLNameAddresses>

    // Where the parser is.
    /// Open elements from the root that match the record path (kept while outside a record).
    private var matchedDepth = 0
    private var inRecord = false
    /// A record began (for `XMLRecordReader.finishFile`).
    private(set) var sawRecord = false
    /// The first element found where the record path leads, under the elements that matched it, but of another name.
    private(set) var missedStep: (name: String, expected: String, line: Int)?
    /// Elements named like the record element but off the record path (`<group><idea>` under `/ideas/idea`): how many,
    /// and the first one's line.
    private(set) var strays: (count: Int, line: Int)?
    /// The record path as written, for messages.
    var recordPathText: String { "/" + tree.recordPathNames.joined(separator: "/") }

    @inline(never)
    private mutating func noteStray(line: Int) {
        if let seen = strays { strays = (seen.count + 1, seen.line) } else { strays = (1, line) }
    }

    /// Elements where records stand whose name differs from the record element's only in case (`<Idea>` beside
    /// `<idea>`): how many, the first one's name and line. They are not records (XML names are case-sensitive), and
    /// were skipped without a word (session 17's audit).
    private(set) var caseSlips: (count: Int, name: String, line: Int)?

    @inline(never)
    private mutating func noteCaseSlip(_ name: UnsafePointer<UInt8>, line: Int) {
        let text = String(cString: name)
        let expected = tree.recordPathNames[tree.recordPath.count - 1]
        guard text != expected, text.lowercased() == expected.lowercased() else { return }
        if let seen = caseSlips { caseSlips = (seen.count + 1, seen.name, seen.line) } else { caseSlips = (1, text, line) }
    }
    /// The tree node of each open element of the current record (-1: no field below it); the parser's depth cap bounds it.
    private let nodeStack: UnsafeMutablePointer<Int32>
    private var nodeCount = 0
    /// Text fields collecting, innermost last: their entry and the depth of their element. At most one per field.
    private var collecting: PlainList<Collecting>
    /// `lookUp`'s answers by (tree node, libxml2's address of the name). A name keeps its address while the parser lives
    /// (see `XMLSAXHandler.startElement`), so an address stands for its bytes, and most elements cost two compares
    /// instead of a length and two hash lookups.
    private let cachedNames: UnsafeMutablePointer<CachedName>

    // The records.
    private var arena: ByteArena
    /// Attribute values taken while a text is being collected (the arena belongs to that text until it ends).
    private var deferred: [UInt8] = []
    private var entries: PlainList<Entry>
    private var queue: [QueuedRecord] = []
    private var handedOut = 0
    private var recordLine = 0
    private var recordColumn = 0
    /// Where the current record's entries and bytes start.
    private var recordEntries = 0
    private var recordBytes = 0
    /// Numbers the records; `takenBy[field] == serial` says the current record has the field (the first match wins)
    /// without clearing a flag per field for every record.
    private var serial: UInt32 = 0
    private let takenBy: UnsafeMutablePointer<UInt32>
    /// The fields of the record handed out last, and each one's column (its value's start; the record's when absent).
    private let out: UnsafeMutablePointer<RawField>
    private let outColumns: UnsafeMutablePointer<Int>
    /// The line and column just after the start tag of the element being opened, where its text begins (kept in each
    /// field's `Entry`).
    private var eventLine: Int32 = 0
    private var eventColumn: Int32 = 0
    /// An attribute value with its escaped `&` undone.
    private var scratch: [UInt8] = []

    /// A field of a queued record: bytes `start..<end` of the arena (of `deferred` while `inDeferred`).
    struct Entry {
        var field: Int32
        var inDeferred: Bool
        var start: Int
        var end: Int
        /// Where a text field's value begins in the file: just after its element's start tag (for a finding's location);
        /// 0 for an attribute field (its record's location stands in).
        var line: Int32
        var column: Int32
    }

    /// A text field collecting until the element at `depth` ends.
    struct Collecting {
        var entry: Int
        var depth: Int
    }

    /// What `lookUp` answered for tree node `node` and the element name at `name`.
    struct CachedName {
        var name: UnsafePointer<UInt8>?
        var node: Int32
        var answer: Int32
    }

    /// A finished record waiting to be handed out.
    struct QueuedRecord {
        var entries: Range<Int>
        var line: Int
        /// Of the record element's `<` (0: not known).
        var column: Int
    }

    init(recordPath: [String], fields: [XMLRecordReader.FieldPath], names: [String], maxFieldBytes: Int, maxDepth: Int) {
        tree = PathTree(recordPath: recordPath, fields: fields)
        self.names = names
        self.maxFieldBytes = maxFieldBytes
        fieldCount = fields.count
        seenAttributes = .allocate(capacity: max(tree.attributeNames.count, 1))
        seenAttributes.initialize(repeating: XMLNameAddresses(), count: max(tree.attributeNames.count, 1))
        takenBy = .allocate(capacity: fields.count)
        takenBy.initialize(repeating: 0, count: fields.count)
        nodeStack = .allocate(capacity: max(maxDepth, 1))
        cachedNames = .allocate(capacity: 256)
        cachedNames.initialize(repeating: CachedName(name: nil, node: 0, answer: -1), count: 256)
        collecting = PlainList(capacity: fields.count)
        entries = PlainList(capacity: 64 * fields.count)
        arena = ByteArena(capacity: XMLSAXParser.chunkSize)
        out = .allocate(capacity: fields.count)
        out.initialize(repeating: RawField(start: 0, end: 0, rawStart: 0, line: 0, lineStart: -1, flags: RawField.absent), count: fields.count)
        outColumns = .allocate(capacity: max(fields.count, 1))
        outColumns.initialize(repeating: 0, count: max(fields.count, 1))
    }

    deinit {
        out.deallocate()
        outColumns.deallocate()
        takenBy.deallocate()
        nodeStack.deallocate()
        cachedNames.deallocate()
        seenAttributes.deallocate()
    }

    /// The next queued record as byte ranges in the arena; nil when the queue is used up.
    mutating func handOut(file: RecordFile) -> RawRecord? {
        guard handedOut < queue.count else { return nil }
        let record = queue[handedOut]
        handedOut += 1
        let line = record.line
        for index in 0..<fieldCount {
            out[index] = RawField(start: 0, end: 0, rawStart: 0, line: line, lineStart: -1, flags: RawField.absent)
            outColumns[index] = record.column
        }
        for index in record.entries {
            let entry = entries[index]
            let field = Int(entry.field)
            // A field found by libxml2's position has its own line and column; 0: not known, the record's stand in.
            out[field] = RawField(start: entry.start, end: entry.end, rawStart: entry.start, line: entry.line > 0 ? Int(entry.line) : line,
                                  lineStart: -1, flags: 0)
            outColumns[field] = entry.column > 0 ? Int(entry.column) : record.column
        }
        return RawRecord(base: arena.base, fields: out, count: fieldCount, file: file, line: line, column: record.column,
                         knownColumns: outColumns, knownColumnCount: fieldCount)
    }

    /// A finished record waits to be handed out.
    var hasQueuedRecords: Bool { handedOut < queue.count }

    /// Forgets the records handed out (the whole queue) before the next chunk; the record in progress moves to the front.
    mutating func dropHandedOut() {
        queue.removeAll(keepingCapacity: true)
        handedOut = 0
        let firstEntry = inRecord ? recordEntries : entries.count
        let firstByte = inRecord ? recordBytes : arena.count
        entries.removeFirst(firstEntry)
        for i in 0..<collecting.count { collecting[i].entry -= firstEntry }
        for i in 0..<entries.count where !entries[i].inDeferred {
            entries[i].start -= firstByte
            entries[i].end -= firstByte
        }
        arena.removeFirst(firstByte)
        recordEntries = 0
        recordBytes = 0
    }

    // MARK: Events

    mutating func startElement(_ name: UnsafePointer<UInt8>, depth: Int, attributes: XMLAttributes, parser: XMLSAXParser) {
        if inRecord {
            let parent = nodeStack[nodeCount - 1]
            let node = parent < 0 ? -1 : lookUp(name, below: parent)
            nodeStack[nodeCount] = node
            nodeCount += 1
            if node >= 0 {
                // libxml2 reports the column of the start tag's `>`: the value begins one further.
                eventLine = Int32(truncatingIfNeeded: parser.line)
                eventColumn = Int32(truncatingIfNeeded: parser.column + 1)
                take(at: Int(node), depth: depth, attributes)
            }
            return
        }
        // Outside records only the elements on the record path matter, and those named like the record element
        // elsewhere (nested in another element): they are not records, and the file says so once.
        guard depth == matchedDepth else {
            if depth > matchedDepth, lookUp(name, below: -1) == tree.recordPath[tree.recordPath.count - 1] { noteStray(line: parser.line) }
            return
        }
        let number = lookUp(name, below: -1)
        if depth == 0 && number != tree.recordPath[0] {
            return parser.stop(IngestError("the root element is <\(String(cString: name))>, but the record path starts at /\(tree.recordPathNames[0])",
                                           at: .init(file: parser.path, line: parser.line, column: parser.startTagColumn)))
        }
        guard number == tree.recordPath[depth] else {
            if number == tree.recordPath[tree.recordPath.count - 1] { noteStray(line: parser.line) }
            if depth == tree.recordPath.count - 1 { noteCaseSlip(name, line: parser.line) }
            if missedStep == nil, !sawRecord {
                missedStep = (String(cString: name), tree.recordPathNames[depth], parser.line)
            }
            return
        }
        if depth < tree.recordPath.count - 1 {
            matchedDepth += 1
            return
        }
        inRecord = true
        sawRecord = true
        serial &+= 1
        if serial == 0 {
            // After 2^32 records: stamps of long ago would look current.
            takenBy.update(repeating: 0, count: fieldCount)
            serial = 1
        }
        recordLine = parser.line
        recordColumn = parser.startTagColumn
        eventLine = Int32(truncatingIfNeeded: recordLine)
        eventColumn = Int32(truncatingIfNeeded: parser.column + 1)
        recordEntries = entries.count
        recordBytes = arena.count
        nodeStack[0] = 0
        nodeCount = 1
        take(at: 0, depth: depth, attributes)
    }

    mutating func endElement(depth: Int) {
        guard inRecord else {
            matchedDepth = min(matchedDepth, depth)
            return
        }
        while !collecting.isEmpty, collecting[collecting.count - 1].depth == depth {
            entries[collecting[collecting.count - 1].entry].end = arena.count
            collecting.removeLast()
            if collecting.isEmpty && !deferred.isEmpty { placeDeferred() }
        }
        nodeCount -= 1
        if depth == tree.recordPath.count - 1 {
            queue.append(QueuedRecord(entries: recordEntries..<entries.count, line: recordLine, column: recordColumn))
            inRecord = false
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>, parser: XMLSAXParser) {
        guard !collecting.isEmpty else { return }
        let outer = collecting[0]
        arena.append(bytes)
        let entry = entries[outer.entry]
        if arena.count - entry.start > maxFieldBytes {
            parser.stop(IngestError("the text of \(names[Int(entry.field)]) is longer than \(maxFieldBytes) bytes",
                                    at: .init(file: parser.path, line: parser.line)))
        }
    }

    /// The child of tree node `node` for element `name`, or for `node` -1 the name's number; -1 for none.
    @inline(__always)
    private mutating func lookUp(_ name: UnsafePointer<UInt8>, below node: Int32) -> Int32 {
        let key = UInt(bitPattern: name) ^ UInt(truncatingIfNeeded: node) << 40
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if cachedNames[slot].name == name && cachedNames[slot].node == node { return cachedNames[slot].answer }
        let number = tree.number(of: name)
        let answer = node < 0 || number < 0 ? number : tree.child(of: node, named: number)
        cachedNames[slot] = CachedName(name: name, node: node, answer: answer)
        return answer
    }

    /// The fields that end at tree node `node`, whose element just opened at `depth`.
    @inline(__always)
    private mutating func take(at node: Int, depth: Int, _ attributes: XMLAttributes) {
        let (fields, tests) = tree.nodes[node]
        for i in fields { take(tree.fieldLists[i], depth: depth, attributes) }
        for test in tests {
            guard let value = attributes.value(tree.attributeNames[tree.tests[test].attribute], seen: &seenAttributes[tree.tests[test].attribute]),
                  let group = wantedGroup(value, test: test) else { continue }
            for i in tree.groups[group] { take(tree.fieldLists[i], depth: depth, attributes) }
        }
    }

    /// The group of attribute test `test` that wants `value`, compared as the file's text.
    @inline(__always)
    private mutating func wantedGroup(_ value: UnsafeBufferPointer<UInt8>, test: Int) -> Int? {
        // A value with an escaped `&` can only be wanted by a test that wants a value with `&`.
        guard tree.tests[test].wantsAmpersand && XMLAttributes.needsDecoding(value) else {
            return tree.tests[test].values.value(for: value).map(Int.init)
        }
        scratch.removeAll(keepingCapacity: true)
        XMLAttributes.appendDecoded(value, to: &scratch)
        return scratch.withUnsafeBufferPointer { tree.tests[test].values.value(for: $0) }.map(Int.init)
    }

    /// Field `index` matches the element just opened at `depth`: the first matching element wins.
    @inline(__always)
    private mutating func take(_ index: Int, depth: Int, _ attributes: XMLAttributes) {
        let attribute = tree.fieldAttribute[index]
        guard takenBy[index] != serial else {
            // A second element for a text field in the same record: the first is kept, and the file says so once.
            if attribute < 0 { noteRepeat(of: index) }
            return
        }
        if attribute < 0 {
            // Its text (also of nested elements) is collected until the element ends.
            takenBy[index] = serial
            entries.append(Entry(field: Int32(index), inDeferred: false, start: arena.count, end: arena.count,
                                 line: eventLine, column: eventColumn))
            collecting.append(Collecting(entry: entries.count - 1, depth: depth))
            return
        }
        guard let value = attributes.value(tree.attributeNames[attribute], seen: &seenAttributes[attribute]) else { return }
        takenBy[index] = serial
        // An attribute's location is its record's (line 0, column 0 in the entry): the start tag's `<` is known only
        // for the record element, and the position after a tag points at no attribute.
        if collecting.isEmpty && !XMLAttributes.needsDecoding(value) {
            let start = arena.count
            arena.append(value)
            entries.append(Entry(field: Int32(index), inDeferred: false, start: start, end: arena.count, line: 0, column: 0))
            return
        }
        let start = deferred.count
        XMLAttributes.appendDecoded(value, to: &deferred)
        entries.append(Entry(field: Int32(index), inDeferred: true, start: start, end: deferred.count, line: 0, column: 0))
        if collecting.isEmpty { placeDeferred() }
    }

    /// Text fields whose element appeared again in a record: how often, and the line of the first repeat.
    private(set) var repeats: [(field: String, count: Int, line: Int)] = []

    @inline(never)
    private mutating func noteRepeat(of index: Int) {
        let name = names[index]
        if let i = repeats.firstIndex(where: { $0.field == name }) { repeats[i].count += 1 } else {
            repeats.append((name, 1, Int(eventLine)))
        }
    }

    /// Moves the attribute values that waited for a text to end behind it in the arena.
    private mutating func placeDeferred() {
        let base = arena.count
        deferred.withUnsafeBufferPointer { arena.append($0) }
        deferred.removeAll(keepingCapacity: true)
        for i in recordEntries..<entries.count where entries[i].inDeferred {
            entries[i].start += base
            entries[i].end += base
            entries[i].inDeferred = false
        }
    }
}

/// The record path and the field paths as numbers: an element inside a record costs a lookup or two, not a String or a
/// comparison with every field path. Flat arrays of plain values, so that reading the tree costs no reference counting;
/// a class, so that a lookup does not copy the tree's fields first.
final class PathTree {
    /// Configured element names -> small numbers. Only configured names are registered, so a file's names cannot grow the
    /// table (any other name has none).
    let names: ByteKeyTable<Int32>
    let recordPath: [Int32]
    let recordPathNames: [String]
    /// (parent node, element name number) as eight bytes -> child node: the field paths as a tree of element names below
    /// the record element (node 0).
    let children: ByteKeyTable<Int32>
    /// Per node: its fields without an attribute test (a range of `fieldLists`), attribute fields first (one taken after
    /// its element's text started collecting would have to wait in `deferred`), and its attribute tests (a range of `tests`).
    let nodes: [(fields: Range<Int>, tests: Range<Int>)]
    let tests: [AttributeTest]
    /// Every attribute name the field paths use, once.
    let attributeNames: [XMLAttributeName]
    /// Per field: the attribute it takes (in `attributeNames`), -1 for a field that takes its element's text.
    let fieldAttribute: [Int]
    /// Per attribute test group: the fields that want one value (a range of `fieldLists`).
    let groups: [Range<Int>]
    let fieldLists: [Int]

    /// The fields of one element name that test one attribute (`answer[@item='q01']`).
    struct AttributeTest {
        /// In `attributeNames`.
        let attribute: Int
        /// Wanted value -> its group.
        let values: ByteKeyTable<Int32>
        /// Some wanted value holds `&` (which a value from the file has only escaped).
        let wantsAmpersand: Bool
    }

    init(recordPath: [String], fields: [XMLRecordReader.FieldPath]) {
        var numbers: [String: Int32] = [:]
        func number(_ name: String) -> Int32 {
            if let known = numbers[name] { return known }
            numbers[name] = Int32(numbers.count)
            return Int32(numbers.count - 1)
        }
        self.recordPath = recordPath.map(number)
        recordPathNames = recordPath
        var attributeNumbers: [String: Int] = [:]
        var attributeNames: [XMLAttributeName] = []
        func attributeNumber(_ name: String) -> Int {
            if let known = attributeNumbers[name] { return known }
            attributeNumbers[name] = attributeNames.count
            attributeNames.append(XMLAttributeName(name))
            return attributeNames.count - 1
        }
        fieldAttribute = fields.map { $0.attribute.map(attributeNumber) ?? -1 }
        var childOf: [UInt64: Int32] = [:]
        var fieldsAt: [[Int]] = [[]]
        var testsAt: [[(attribute: String, values: [(value: String, fields: [Int])])]] = [[]]
        for (index, field) in fields.enumerated() {
            var node: Int32 = 0
            for elementName in field.elements {
                let key = PathTree.key(node, number(elementName))
                if let child = childOf[key] {
                    node = child
                } else {
                    node = Int32(fieldsAt.count)
                    childOf[key] = node
                    fieldsAt.append([])
                    testsAt.append([])
                }
            }
            let at = Int(node)
            guard let predicate = field.predicate else {
                fieldsAt[at].append(index)
                continue
            }
            let test = testsAt[at].firstIndex { $0.attribute == predicate.name } ?? {
                testsAt[at].append((predicate.name, []))
                return testsAt[at].count - 1
            }()
            if let group = testsAt[at][test].values.firstIndex(where: { $0.value == predicate.value }) {
                testsAt[at][test].values[group].fields.append(index)
            } else {
                testsAt[at][test].values.append((predicate.value, [index]))
            }
        }
        var names = ByteKeyTable<Int32>(minimumSlots: 4 * numbers.count + 16)
        for (name, value) in numbers { Array(name.utf8).withUnsafeBufferPointer { names.insert(value, for: $0) } }
        self.names = names
        var children = ByteKeyTable<Int32>(minimumSlots: 4 * childOf.count + 16)
        for (key, child) in childOf { withUnsafeBytes(of: key) { children.insert(child, for: $0.assumingMemoryBound(to: UInt8.self)) } }
        self.children = children
        var nodes: [(fields: Range<Int>, tests: Range<Int>)] = []
        var tests: [AttributeTest] = []
        var groups: [Range<Int>] = []
        var fieldLists: [Int] = []
        func list(_ indexes: [Int]) -> Range<Int> {
            fieldLists += indexes
            return fieldLists.count - indexes.count..<fieldLists.count
        }
        for (fieldIndexes, nodeTests) in zip(fieldsAt, testsAt) {
            let plain = list(fieldIndexes.filter { fields[$0].attribute != nil } + fieldIndexes.filter { fields[$0].attribute == nil })
            let firstTest = tests.count
            for (attribute, values) in nodeTests {
                var table = ByteKeyTable<Int32>(minimumSlots: 4 * values.count + 16)
                for (value, indexes) in values {
                    Array(value.utf8).withUnsafeBufferPointer { table.insert(Int32(groups.count), for: $0) }
                    groups.append(list(indexes))
                }
                tests.append(AttributeTest(attribute: attributeNumber(attribute), values: table,
                                           wantsAmpersand: values.contains { $0.value.contains("&") }))
            }
            nodes.append((plain, firstTest..<tests.count))
        }
        self.nodes = nodes
        self.tests = tests
        self.attributeNames = attributeNames
        self.groups = groups
        self.fieldLists = fieldLists
    }

    static func key(_ node: Int32, _ name: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: name))
    }

    /// The number of an element name of the file; -1 when no path names it.
    func number(of name: UnsafePointer<UInt8>) -> Int32 {
        names.value(for: UnsafeBufferPointer(start: name, count: strlen(name))) ?? -1
    }

    /// The child of `node` for element name number `name`; -1 when no field path goes there.
    func child(of node: Int32, named name: Int32) -> Int32 {
        withUnsafeBytes(of: PathTree.key(node, name)) { children.value(for: $0.assumingMemoryBound(to: UInt8.self)) } ?? -1
    }
}

extension XMLRecordReader {
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
            elements = parts.map(XMLRecordReader.localName)
        }
    }
}

extension XMLRecordReader {
    /// An element name without its namespace prefix (`z:row` -> `row`): what the parser reports and the paths are matched on.
    static func localName(_ step: String) -> String {
        guard let colon = step.lastIndex(of: ":") else { return step }
        let local = String(step[step.index(after: colon)...])
        return local.isEmpty ? step : local
    }

    static func doctypeError(file: String, line: Int, column: Int = 0) -> IngestError {
        IngestError("DOCTYPE declarations are not accepted (entity expansion and external entities are unsafe); remove the <!DOCTYPE ...>",
                    at: .init(file: file, line: line, column: column))
    }

    /// The line and column (in bytes) of a `<!DOCTYPE` in the prolog (before the first element), skipping comments and
    /// processing instructions.
    static func doctypePosition(in bytes: [UInt8]) -> (line: Int, column: Int)? {
        let doctype = Array("<!DOCTYPE".utf8)
        var line = 1, lineStart = 0
        var i = 0
        func skip(past terminator: [UInt8]) {
            while i < bytes.count {
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
                if bytes[i...].starts(with: terminator) {
                    i += terminator.count
                    return
                }
                i += 1
            }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A { line += 1; lineStart = i + 1 }
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
                return (line, i - lineStart + 1)
            } else {
                return nil
            }
        }
        return nil
    }
}
