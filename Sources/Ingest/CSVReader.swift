import LeanPulseCore

/// A streaming RFC 4180 reader over bytes: the file is read in chunks, so memory stays flat however large it is.
///
/// Quoted fields may hold delimiters, doubled quotes and line ends; CRLF, LF and CR (also mixed) end lines;
/// a UTF-8 byte-order mark is skipped; the last line needs no line end. The delimiter is sniffed from the first line
/// unless given. Text is UTF-8 (validated: an invalid byte is an error, never replaced), UTF-16 with a byte-order mark,
/// or Windows-1252 when declared. Lines count every physical line end, also inside quotes; columns count Unicode scalars.
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The field separator in use (given or sniffed).
    @exclusivity(unchecked) public private(set) var delimiter: UInt8
    /// The encoding in use (from the byte-order mark, the caller, or UTF-8).
    public let encoding: CSVEncoding
    /// True when the file starts with a byte-order mark (which is skipped).
    public let hasByteOrderMark: Bool
    /// Skip lines with nothing on them (default true).
    @exclusivity(unchecked) public var skipsBlankLines = true
    /// A row larger than this is an error (most likely an unterminated quote swallowing the file).
    public let maxRowBytes: Int
    /// Bytes the reader holds: its chunk buffer (grown only for a row larger than a chunk).
    public var bufferCapacity: Int { capacity }
    /// File bytes read so far (for progress).
    public var bytesRead: Int64 { Int64(input.bytesConsumed) }

    private let input: DecodingInput
    private let chunkSize: Int
    // The reader's position, touched several times per row. A reader is used by one thread at a time and hands out
    // no reference into these properties, so the runtime's exclusivity checks on them (a tenth of reading a CSV, in
    // `perf`) are switched off.
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var dataEnd = 0
    @exclusivity(unchecked) private var rowStart = 0
    @exclusivity(unchecked) private var rowLine = 1
    @exclusivity(unchecked) private var inputDone = false
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<RawField>
    @exclusivity(unchecked) private var slotCapacity = 64
    /// Bytes that end an unquoted field (delimiter, quote, CR, LF); quoted text is searched by `nextQuotedStop`.
    private let stopUnquoted: UnsafeMutablePointer<UInt8>
    /// The 128 one-character ASCII strings: survey answers are mostly one digit, and a lookup beats building a String.
    private let singleByteStrings: UnsafeMutablePointer<String>

    static let candidates: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]  // , ; TAB |

    /// Opens `path`; `delimiter` and `encoding` override sniffing (a byte-order mark still wins over `encoding`).
    /// Chunks of 256 KiB stay in the core's L2 cache between `read` copying them in and the scan (1 MiB chunks did not:
    /// the scan then waited on each word's load, 5% slower on the 1M bench files).
    public init(path: String, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil,
                chunkSize: Int = 1 << 18, maxRowBytes: Int = 64 << 20) throws {
        if let delimiter, delimiter == 0x22 || delimiter == 0x0A || delimiter == 0x0D || delimiter == 0 {
            throw IngestError("the delimiter cannot be a quote, a line end or NUL", at: .init(file: path))
        }
        self.path = path
        let head = try DecodingInput.head(of: path, count: 4)
        let (encoding, bomLength) = CSVEncoding.sniff(head, declared: encoding)
        self.encoding = encoding
        hasByteOrderMark = bomLength > 0
        self.chunkSize = max(chunkSize, 64)
        self.maxRowBytes = max(maxRowBytes, self.chunkSize)
        input = try DecodingInput(path: path, encoding: encoding, bomLength: bomLength, chunkSize: self.chunkSize)
        capacity = self.chunkSize
        buffer = .allocate(capacity: capacity)
        slots = .allocate(capacity: slotCapacity)
        stopUnquoted = .allocate(capacity: 256)
        singleByteStrings = .allocate(capacity: 128)
        for byte in 0..<128 { (singleByteStrings + byte).initialize(to: String(UnicodeScalar(UInt8(byte)))) }
        stopUnquoted.initialize(repeating: 0, count: 256)
        for byte in [0x22, 0x0A, 0x0D] as [Int] { stopUnquoted[byte] = 1 }
        // The first chunk is read now: the delimiter is sniffed from it.
        self.delimiter = 0
        if try fill() == 0 { inputDone = true }
        if input.problem != nil && dataEnd == 0 { throw inputProblem(line: 1, lineStart: 0) }
        // Excel writes `sep=;` as the first line of a CSV saved for another locale: the delimiter, not a header row.
        var stated: UInt8?
        if let (separator, next) = excelSeparatorLine() {
            stated = separator
            rowStart = next
            rowLine = 2
        }
        let chosen = delimiter ?? stated ?? sniffDelimiter()
        self.delimiter = chosen
        stopUnquoted[Int(chosen)] = 1
    }

    /// `sep=X` and a line end at the very start (after a byte-order mark): X and where the next line starts.
    private func excelSeparatorLine() -> (UInt8, Int)? {
        guard dataEnd >= 6 else { return nil }
        let prefix = (0..<4).map { buffer[$0] | 0x20 }  // `sep=` in either case ('=' | 0x20 is itself)
        guard prefix == Array("sep=".utf8) else { return nil }
        let separator = buffer[4]
        guard separator != 0x0A, separator != 0x0D, separator != 0x22, separator != 0 else { return nil }
        switch buffer[5] {
        case 0x0A: return (separator, 6)
        case 0x0D: return (separator, dataEnd > 6 && buffer[6] == 0x0A ? 7 : 6)
        default: return nil
        }
    }

    deinit {
        buffer.deallocate()
        slots.deallocate()
        stopUnquoted.deallocate()
        singleByteStrings.deinitialize(count: 128)
        singleByteStrings.deallocate()
    }

    /// The most frequent of `,` `;` TAB `|` outside quotes on the first line; `,` when none occurs.
    private func sniffDelimiter() -> UInt8 {
        var counts = [Int](repeating: 0, count: 256)
        var inQuotes = false
        var i = 0
        while i < dataEnd {
            let byte = buffer[i]
            if byte == 0x22 {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == 0x0A || byte == 0x0D { break }
                counts[Int(byte)] += 1
            }
            i += 1
        }
        var best: UInt8 = 0x2C
        for candidate in CSVReader.candidates where counts[Int(candidate)] > counts[Int(best)] { best = candidate }
        return best
    }

    /// The next row, nil at the end of the file. The row is a view: it is valid until the next call.
    public func nextRow() throws -> CSVRow? {
        while true {
            var flags: UInt8 = 0
            switch try scan(&flags) {
            case .row(let count, let next, let nextLine):
                let row = CSVRow(base: UnsafePointer(buffer), slots: UnsafePointer(slots), count: count, line: rowLine, nextLine: nextLine,
                                 singleByteStrings: singleByteStrings, fieldFlags: flags)
                rowStart = next
                rowLine = nextLine
                if skipsBlankLines && row.isBlank { continue }
                return row
            case .needMore(let line, let lineStart):
                // fill() moves the row to the front of the buffer.
                let lineOffset = lineStart - rowStart
                if try fill() == 0 {
                    if input.problem != nil { throw inputProblem(line: line, lineStart: rowStart + lineOffset) }
                    inputDone = true
                }
            case .end:
                return nil
            }
        }
    }

    /// The decoder's problem, located where the scan stopped: the end of the valid text.
    private func inputProblem(line: Int, lineStart: Int) -> IngestError {
        var column = 1
        var i = lineStart
        while i < dataEnd {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return IngestError(input.problem ?? "unreadable input", at: .init(file: path, line: line, column: column))
    }

    /// Moves the unfinished row to the front and reads the next chunk after it; 0 at the end of the text.
    private func fill() throws -> Int {
        if rowStart > 0 {
            let keep = dataEnd - rowStart
            if keep > 0 { buffer.update(from: buffer + rowStart, count: keep) }
            dataEnd = keep
            rowStart = 0
        }
        if capacity - dataEnd < chunkSize / 2 {
            guard capacity < maxRowBytes else {
                throw IngestError("the record starting at line \(rowLine) is larger than \(maxRowBytes >> 20) MiB; is a quote left open?",
                                  at: .init(file: path, line: rowLine, column: 1))
            }
            let newCapacity = min(capacity * 2, maxRowBytes)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: buffer, count: dataEnd)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        let got = try input.readText(into: buffer + dataEnd, capacity: capacity - dataEnd)
        dataEnd += got
        return got
    }

    private func growSlots() {
        let grown = UnsafeMutablePointer<RawField>.allocate(capacity: slotCapacity * 2)
        grown.moveInitialize(from: slots, count: slotCapacity)
        slots.deallocate()
        slots = grown
        slotCapacity *= 2
    }

    private enum Outcome {
        case row(count: Int, next: Int, nextLine: Int)
        case needMore(line: Int, lineStart: Int)
        case end
    }

    /// Splits the row at `rowStart`. A row cut by the end of the buffer is scanned again once more text is in:
    /// that happens once per chunk, and keeps the state machine free of suspended states.
    /// `fieldFlags` gets the union of the row's field flags (0 for a plain row: nothing to undo or report).
    private func scan(_ fieldFlags: inout UInt8) throws -> Outcome {
        let buf = buffer
        let end = dataEnd
        let atEOF = inputDone
        let delimiter = self.delimiter
        let stopU = stopUnquoted
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var p = rowStart
        var line = rowLine
        var lineStart = rowStart
        var n = 0
        if p >= end { return atEOF ? .end : .needMore(line: line, lineStart: lineStart) }

        // Local copies: class properties in the loop would cost an exclusivity check per access.
        var slots = self.slots
        var slotCapacity = self.slotCapacity

        @inline(__always)
        func emit(_ start: Int, _ stop: Int, _ rawStart: Int, _ fieldLine: Int, _ fieldLineStart: Int, _ flags: UInt8) {
            if n == slotCapacity {
                growSlots()
                slots = self.slots
                slotCapacity = self.slotCapacity
            }
            slots[n] = RawField(start: start, end: stop, rawStart: rawStart, line: fieldLine, lineStart: fieldLineStart, flags: flags)
            fieldFlags |= flags
            n += 1
        }

        // Fast path: the plain fields of a row on one line (most rows of most exports), eight bytes at a time. At a quote,
        // a lone CR or the end of the buffer it stops at the start of the field it is in, keeping the fields before it,
        // and the general scanner below goes on from there (a quoted comment at the end of a row costs only itself).
        let plain = scanPlainRow(from: p, end: end, line: line, count: &n)
        slots = self.slots
        slotCapacity = self.slotCapacity
        switch plain {
        case .row(let next, let nextLine):
            return .row(count: n, next: next, nextLine: nextLine)
        case .resume(let fieldStart):
            p = fieldStart
        }

        fields: while true {
            let rawStart = p
            let fieldLine = line
            let fieldLineStart = lineStart
            var contentStart = p
            var flags: UInt8 = 0
            if p < end && buf[p] == quote {
                flags = RawField.quoted
                p += 1
                contentStart = p
                while true {
                    p = Self.nextQuotedStop(buf, from: p, end: end)
                    if p == end {
                        if !atEOF { return .needMore(line: line, lineStart: lineStart) }
                        throw IngestError("unterminated quoted field starting at line \(fieldLine)",
                                          at: .init(file: path, line: fieldLine, column: column(from: fieldLineStart, to: rawStart)))
                    }
                    let c = buf[p]
                    if c == quote {
                        if p + 1 == end {
                            if !atEOF { return .needMore(line: line, lineStart: lineStart) }
                            emit(contentStart, p, rawStart, fieldLine, fieldLineStart, flags)
                            return .row(count: n, next: end, nextLine: line)
                        }
                        let d = buf[p + 1]
                        if d == quote {
                            flags |= RawField.escapedQuotes
                            p += 2
                            continue
                        }
                        let contentEnd = p
                        p += 1
                        if d == delimiter {
                            emit(contentStart, contentEnd, rawStart, fieldLine, fieldLineStart, flags)
                            p += 1
                            continue fields
                        }
                        if d == lf {
                            emit(contentStart, contentEnd, rawStart, fieldLine, fieldLineStart, flags)
                            return .row(count: n, next: p + 1, nextLine: line + 1)
                        }
                        if d == cr {
                            if p + 1 == end && !atEOF { return .needMore(line: line, lineStart: lineStart) }
                            emit(contentStart, contentEnd, rawStart, fieldLine, fieldLineStart, flags)
                            return .row(count: n, next: p + 1 < end && buf[p + 1] == lf ? p + 2 : p + 1, nextLine: line + 1)
                        }
                        // Text after the closing quote: not RFC 4180. Keep the whole field literally, quotes included.
                        flags = RawField.irregular
                        contentStart = rawStart
                        break
                    } else if c == lf {
                        p += 1
                        line += 1
                        lineStart = p
                    } else {
                        if p + 1 == end && !atEOF { return .needMore(line: line, lineStart: lineStart) }
                        p += p + 1 < end && buf[p + 1] == lf ? 2 : 1
                        line += 1
                        lineStart = p
                    }
                }
            }
            // An unquoted field, or the rest of an irregular quoted one.
            while true {
                while p < end && stopU[Int(buf[p])] == 0 { p &+= 1 }
                if p == end {
                    if !atEOF { return .needMore(line: line, lineStart: lineStart) }
                    emit(contentStart, p, rawStart, fieldLine, fieldLineStart, flags)
                    return .row(count: n, next: p, nextLine: line)
                }
                let c = buf[p]
                if c == quote {
                    flags |= RawField.irregular
                    p += 1
                    continue
                }
                if c == delimiter {
                    emit(contentStart, p, rawStart, fieldLine, fieldLineStart, flags)
                    p += 1
                    continue fields
                }
                if c == lf {
                    emit(contentStart, p, rawStart, fieldLine, fieldLineStart, flags)
                    return .row(count: n, next: p + 1, nextLine: line + 1)
                }
                if p + 1 == end && !atEOF { return .needMore(line: line, lineStart: lineStart) }
                emit(contentStart, p, rawStart, fieldLine, fieldLineStart, flags)
                return .row(count: n, next: p + 1 < end && buf[p + 1] == lf ? p + 2 : p + 1, nextLine: line + 1)
            }
        }
    }

    private enum PlainScan {
        /// The whole row was plain: `next` is where the next row starts.
        case row(next: Int, nextLine: Int)
        /// The fields before `fieldStart` were emitted; the field there needs the general scanner.
        case resume(fieldStart: Int)
    }

    /// Splits the row at `start` while it is plain: no quote, no CR but in a CRLF, ending with LF or CRLF within the buffer.
    /// Works on eight bytes at a time (SWAR): one word yields the positions of all delimiters in it and of the first
    /// quote, CR or LF. Where the row stops being plain, or the buffer ends, it returns the start of the field it is in.
    /// Fields go straight into `slots` from `count` on (room for a word's eight is made before each word), as plain
    /// fields: content and raw start alike, on the row's line, no flags.
    @inline(__always)
    private func scanPlainRow(from start: Int, end: Int, line: Int, count: inout Int) -> PlainScan {
        let zeroBytes = Self.zeroBytes
        let ones: UInt64 = 0x0101_0101_0101_0101
        let delimiterPattern = UInt64(delimiter) &* ones
        let quotePattern = 0x22 &* ones, lfPattern = 0x0A &* ones, crPattern = 0x0D &* ones
        let raw = UnsafeRawPointer(buffer)
        var slots = self.slots
        var room = slotCapacity
        var n = count
        defer { count = n }
        @inline(__always) func put(_ fieldStart: Int, _ fieldEnd: Int) {
            (slots + n).initialize(to: RawField(start: fieldStart, end: fieldEnd, rawStart: fieldStart, line: line, lineStart: start, flags: 0))
            n &+= 1
        }
        var i = start
        var fieldStart = start
        while i &+ 8 <= end {
            if n &+ 9 > room {
                growSlots()
                slots = self.slots
                room = slotCapacity
            }
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            var delimiters = zeroBytes(word ^ delimiterPattern)
            let stops = zeroBytes(word ^ quotePattern) | zeroBytes(word ^ lfPattern) | zeroBytes(word ^ crPattern)
            if stops != 0 {
                let bit = stops.trailingZeroBitCount
                delimiters &= (UInt64(1) << UInt64(bit)) &- 1
                while delimiters != 0 {
                    let position = i &+ delimiters.trailingZeroBitCount >> 3
                    put(fieldStart, position)
                    fieldStart = position &+ 1
                    delimiters &= delimiters &- 1
                }
                let stop = i &+ bit >> 3
                switch buffer[stop] {
                case 0x0A:
                    put(fieldStart, stop)
                    return .row(next: stop &+ 1, nextLine: line &+ 1)
                case 0x0D where stop &+ 1 < end && buffer[stop &+ 1] == 0x0A:
                    put(fieldStart, stop)
                    return .row(next: stop &+ 2, nextLine: line &+ 1)
                default:
                    return .resume(fieldStart: fieldStart)
                }
            }
            while delimiters != 0 {
                let position = i &+ delimiters.trailingZeroBitCount >> 3
                put(fieldStart, position)
                fieldStart = position &+ 1
                delimiters &= delimiters &- 1
            }
            i &+= 8
        }
        return .resume(fieldStart: fieldStart)
    }

    /// The high bit of each byte of `v` that is zero (exact: no borrow between bytes).
    @inline(__always)
    private static func zeroBytes(_ v: UInt64) -> UInt64 {
        ~(((v & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | v) & 0x8080_8080_8080_8080
    }

    /// The first position from `p` on holding a quote, CR or LF (what ends the text of a quoted field), `end` when none;
    /// eight bytes at a time, as comments are the long fields of a survey export.
    @inline(__always)
    private static func nextQuotedStop(_ buf: UnsafeMutablePointer<UInt8>, from p: Int, end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let raw = UnsafeRawPointer(buf)
        var i = p
        while i + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let stops = zeroBytes(word ^ (0x22 &* ones)) | zeroBytes(word ^ (0x0A &* ones)) | zeroBytes(word ^ (0x0D &* ones))
            if stops != 0 { return i + stops.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end && buf[i] != 0x22 && buf[i] != 0x0A && buf[i] != 0x0D { i &+= 1 }
        return i
    }

    private func column(from lineStart: Int, to position: Int) -> Int {
        var column = 1
        var i = lineStart
        while i < position {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }
}
