/// Where one field of a record sits in its reader's buffer.
///
/// Content bytes are the field's final text (quotes removed, doubled quotes undone); `rawStart` and `lineStart` place
/// the field in its file for a finding's column, computed only when a finding needs it.
public struct RawField: Sendable {
    /// Content bytes `start..<end` in the record's buffer.
    public var start: Int
    public var end: Int
    /// Where the field begins in the text (a quoted field: its opening quote).
    public var rawStart: Int
    /// The physical line the field starts on.
    public var line: Int
    /// Buffer offset where `line` starts; -1 when the reader cannot place columns (the column is then the record's).
    public var lineStart: Int
    public var flags: UInt8

    /// The field was enclosed in quotes.
    @inlinable public static var quoted: UInt8 { 1 }
    /// The content still holds doubled quotes (a reader undoes them before it hands the record on).
    @inlinable public static var escapedQuotes: UInt8 { 2 }
    /// A quote where RFC 4180 allows none; the text is kept as written.
    @inlinable public static var irregular: UInt8 { 4 }
    /// The record lacks the field (a missing XML element).
    @inlinable public static var absent: UInt8 { 8 }

    @inlinable
    public init(start: Int, end: Int, rawStart: Int, line: Int, lineStart: Int, flags: UInt8) {
        self.start = start
        self.end = end
        self.rawStart = rawStart
        self.line = line
        self.lineStart = lineStart
        self.flags = flags
    }
}

/// The file a reader's records come from, held by the reader for as long as it hands out records: a `RawRecord` refers
/// to it without counting references, so that a record is plain data (copying or dropping one costs nothing; a `String`
/// in it cost a retain and release per record, and a generic destroy of every record dropped).
public final class RecordFile: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }
}

/// Ingest -> Normalize: one record as byte ranges in its reader's buffer, the fast form of `SourceRecord`.
///
/// A view: valid only until the reader's next call, so a consumer copies what it keeps. Fields at index `count` and
/// beyond are absent (a short CSV row), as are fields flagged `absent`. The bytes are valid UTF-8 (readers check).
public struct RawRecord {
    public let base: UnsafePointer<UInt8>
    public let fields: UnsafePointer<RawField>
    /// Fields the record has; the header may be wider.
    public let count: Int
    /// The file, owned by the reader (valid as long as the record is: until the reader's next call).
    public unowned(unsafe) let source: RecordFile
    public var file: String { source.path }
    /// The line the record starts on, and its column (1 for a CSV row).
    public let line: Int
    public let column: Int
    /// Known columns per field (an XML record's, or one converted from `SourceRecord`), else nil and computed from the bytes.
    public let knownColumns: UnsafePointer<Int>?
    public let knownColumnCount: Int

    @inlinable
    public init(base: UnsafePointer<UInt8>, fields: UnsafePointer<RawField>, count: Int, file: RecordFile, line: Int, column: Int = 1,
                knownColumns: UnsafePointer<Int>? = nil, knownColumnCount: Int = 0) {
        self.base = base
        self.fields = fields
        self.count = count
        self.source = file
        self.line = line
        self.column = column
        self.knownColumns = knownColumns
        self.knownColumnCount = knownColumnCount
    }

    /// Where the record starts.
    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// The bytes of field `index` as written, nil when the record lacks it.
    @inlinable
    public func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        guard index >= 0, index < count else { return nil }
        let field = fields[index]
        if field.flags & RawField.absent != 0 { return nil }
        return UnsafeBufferPointer(start: base + field.start, count: field.end - field.start)
    }

    /// The bytes of field `column` without surrounding white space; nil when absent or blank (what Normalize reads).
    @inlinable
    public func trimmed(_ column: Int?) -> UnsafeBufferPointer<UInt8>? {
        guard let column, let bytes = bytes(column), let first = bytes.first, let last = bytes.last else { return nil }
        // Most fields: printable ASCII at both ends, nothing to trim.
        if first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F { return bytes }
        return RawRecord.trimmingWhiteSpace(bytes)
    }

    /// `trimmed` as a String.
    public func text(_ column: Int?) -> String? {
        trimmed(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole value of field `index` as a String (not trimmed), nil when absent.
    public func string(_ index: Int) -> String? {
        bytes(index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The location of field `index`: its line and column where the reader knows them, else the record's.
    public func location(ofField index: Int) -> SourceLocation {
        if let knownColumns {
            // The field's own line where the reader gave one (an XML field's element), else the record's.
            let fieldLine = index >= 0 && index < count && fields[index].line > 0 ? fields[index].line : line
            return SourceLocation(file: file, line: fieldLine, column: index >= 0 && index < knownColumnCount ? knownColumns[index] : column)
        }
        guard index >= 0, index < count, fields[index].lineStart >= 0 else { return location }
        let field = fields[index]
        var scalars = 1
        var i = field.lineStart
        while i < field.rawStart {
            if base[i] & 0xC0 != 0x80 { scalars += 1 }
            i += 1
        }
        return SourceLocation(file: file, line: field.line, column: scalars)
    }

    /// `bytes` without leading and trailing Unicode white space (as `String.trimmingSpaces`); nil when nothing is left.
    @usableFromInline
    static func trimmingWhiteSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var start = 0, end = bytes.count
        while start < end {
            let (scalar, length) = decode(bytes, at: start)
            guard scalar.properties.isWhitespace else { break }
            start += length
        }
        while end > start {
            var s = end - 1
            while s > start && bytes[s] & 0xC0 == 0x80 { s -= 1 }
            guard decode(bytes, at: s).scalar.properties.isWhitespace else { break }
            end = s
        }
        return end > start ? UnsafeBufferPointer(rebasing: bytes[start..<end]) : nil
    }

    /// The scalar starting at `i` of valid UTF-8 and its length in bytes.
    private static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = b[i]
        var value: UInt32
        var length: Int
        switch lead {
        case 0..<0x80: return (Unicode.Scalar(lead), 1)
        case 0xC0..<0xE0: value = UInt32(lead & 0x1F); length = 2
        case 0xE0..<0xF0: value = UInt32(lead & 0x0F); length = 3
        default: value = UInt32(lead & 0x07); length = 4
        }
        guard i + length <= b.count else { return (Unicode.Scalar(0xFFFD)!, 1) }
        for k in 1..<length { value = value << 6 | UInt32(b[i + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)!, length)
    }
}

/// A reader that can hand out `RawRecord`s: the fast path of `run` (no String per field).
public protocol RawRecordReader: RecordReader {
    /// The next record as a view into the reader's buffer, nil at the end; the same records, findings and errors as `next()`.
    func nextRaw() throws -> RawRecord?
}

/// A reader with a faster way to read a whole file than a record at a time (XML: libxml2's pull parser reads the file in
/// one go, where `nextRaw()` needs its push parser). Readers without one are read through `nextRaw()`: a closure call per
/// record costs them 1-2% of their instructions for nothing.
public protocol WholeFileRecordReader: RawRecordReader {
    /// Every remaining record to `body` in order, each valid only during its call; the same records, findings and errors
    /// as `nextRaw()`. An error thrown by `body` ends the reading and is rethrown.
    func forEachRaw(_ body: (RawRecord) throws -> Void) throws
}

/// Lays a `SourceRecord` out as a `RawRecord` (for readers that build Strings anyway: XML, Triple-S, the presets),
/// so that Normalize has one code path. Reuses its storage from record to record.
public final class RawRecordArena {
    private var bytes: [UInt8] = []
    private var fields: [RawField] = []
    private var columns: [Int] = []
    /// The file of the last record laid out (records of one reader share it).
    private var file = RecordFile("")

    public init() {}

    /// Calls `body` with `record` as a `RawRecord` (valid only inside `body`).
    public func withRaw<T>(_ record: SourceRecord, _ body: (RawRecord) throws -> T) rethrows -> T {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        for value in record.values {
            let start = bytes.count
            if let value {
                bytes.append(contentsOf: value.utf8)
                fields.append(RawField(start: start, end: bytes.count, rawStart: start, line: record.location.line, lineStart: -1, flags: 0))
            } else {
                fields.append(RawField(start: start, end: start, rawStart: start, line: record.location.line, lineStart: -1,
                                       flags: RawField.absent))
            }
        }
        if bytes.isEmpty { bytes.append(0) }  // a valid base pointer even for a record of empty fields
        columns.removeAll(keepingCapacity: true)
        columns.append(contentsOf: record.columns)
        let hasColumns = !columns.isEmpty
        if !hasColumns { columns.append(0) }
        let location = record.location
        if file.path != location.file { file = RecordFile(location.file) }
        let file = self.file
        return try bytes.withUnsafeBufferPointer { b in
            try fields.withUnsafeBufferPointer { f in
                try columns.withUnsafeBufferPointer { c in
                    let raw = RawRecord(base: b.baseAddress!, fields: f.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: f.count,
                                        file: file, line: location.line, column: location.column,
                                        knownColumns: hasColumns ? c.baseAddress : nil, knownColumnCount: hasColumns ? c.count : 0)
                    return try body(raw)
                }
            }
        }
    }
}
