import LeanPulseCore

/// One row of a CSV file as a view into the reader's buffer: valid only until the reader's next `nextRow()`.
///
/// Columns are 1-based and count Unicode scalars (what an editor shows as characters), whatever the file's encoding.
public struct CSVRow {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let slots: UnsafePointer<RawField>
    /// Number of fields.
    public let count: Int
    /// The physical line the row starts on (1-based).
    public let line: Int
    /// The physical line after the row (a quoted field may span several lines).
    public let nextLine: Int
    @usableFromInline let singleByteStrings: UnsafePointer<String>
    /// The union of the fields' flags: 0 when no field was quoted or irregular.
    public let fieldFlags: UInt8

    /// The text of field `index`, quotes removed and doubled quotes undone.
    // Inlinable: it runs once per field, and the call across the module boundary is a measurable share of the cost.
    @inlinable
    public func string(at index: Int) -> String {
        let slot = slots[index]
        let length = slot.end - slot.start
        if slot.flags & RawField.escapedQuotes == 0 {
            if length == 0 { return "" }
            if length == 1 && base[slot.start] < 0x80 { return singleByteStrings[Int(base[slot.start])] }
            return String(decoding: UnsafeBufferPointer(start: base + slot.start, count: length), as: UTF8.self)
        }
        let base = self.base
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            var j = slot.start
            while j < slot.end {
                let byte = base[j]
                out[o] = byte
                o += 1
                // Inside quotes a quote only occurs doubled.
                j += byte == 0x22 ? 2 : 1
            }
            return o
        }
    }

    /// The first `count` fields as a `RawRecord` of `file`. Doubled quotes are undone in place first (the bytes are the
    /// reader's buffer, and the text only gets shorter), so the record's bytes are the fields' final text.
    public func raw(file: RecordFile, count: Int) -> RawRecord {
        let fields = UnsafeMutablePointer(mutating: slots)
        let undo = fieldFlags & RawField.escapedQuotes != 0 ? count : 0
        for index in 0..<undo where fields[index].flags & RawField.escapedQuotes != 0 {
            let bytes = UnsafeMutablePointer(mutating: base)
            var o = fields[index].start
            var j = fields[index].start
            while j < fields[index].end {
                let byte = bytes[j]
                bytes[o] = byte
                o += 1
                // Inside quotes a quote only occurs doubled.
                j += byte == 0x22 ? 2 : 1
            }
            fields[index].end = o
            fields[index].flags &= ~RawField.escapedQuotes
        }
        return RawRecord(base: base, fields: slots, count: count, file: file, line: line)
    }

    /// All fields as strings.
    public var strings: [String] { (0..<count).map { string(at: $0) } }

    /// True when field `index` has no content (`,,` or `""`).
    public func isEmpty(at index: Int) -> Bool { slots[index].start == slots[index].end }

    /// The number of UTF-8 bytes of field `index` as stored (doubled quotes still doubled).
    public func byteCount(at index: Int) -> Int { slots[index].end - slots[index].start }

    /// True when field `index` was enclosed in quotes.
    public func isQuoted(at index: Int) -> Bool { slots[index].flags & RawField.quoted != 0 }

    /// True when field `index` holds a quote where RFC 4180 allows none (`ab"c`, `"ab"c`); its text is kept literally.
    public func hasBareQuote(at index: Int) -> Bool { slots[index].flags & RawField.irregular != 0 }

    /// The indices of fields with a bare quote; empty for a well-formed row.
    public var bareQuoteFields: [Int] { hasBareQuotes ? (0..<count).filter { hasBareQuote(at: $0) } : [] }

    /// True when some field holds a bare quote.
    public var hasBareQuotes: Bool { fieldFlags & RawField.irregular != 0 }

    /// The line field `index` starts on.
    public func line(at index: Int) -> Int { slots[index].line }

    /// The 1-based column (in Unicode scalars) where field `index` starts.
    public func column(at index: Int) -> Int {
        let slot = slots[index]
        return 1 + scalarCount(from: slot.lineStart, to: slot.rawStart)
    }

    /// The columns of all fields, computed in one pass over the row.
    public var columns: [Int] {
        var result = [Int]()
        columns(into: &result, width: count)
        return result
    }

    /// The columns of the first `width` fields into `result` (resized to `width`; 0 for fields the row lacks),
    /// reusing its storage.
    public func columns(into result: inout [Int], width: Int) {
        if result.count != width { result = Array(repeating: 0, count: width) }
        let n = Swift.min(count, width)
        for index in n..<width { result[index] = 0 }
        guard n > 0 else { return }
        // Mostly ASCII rows: a column is then the byte distance from the start of its line.
        if isASCII(from: slots[0].lineStart, to: slots[n - 1].end) {
            for index in 0..<n { result[index] = 1 + slots[index].rawStart - slots[index].lineStart }
            return
        }
        var lastLineStart = -1
        var lastStart = 0
        var lastColumn = 0
        for index in 0..<n {
            let slot = slots[index]
            if slot.lineStart == lastLineStart {
                lastColumn += scalarCount(from: lastStart, to: slot.rawStart)
            } else {
                lastColumn = 1 + scalarCount(from: slot.lineStart, to: slot.rawStart)
                lastLineStart = slot.lineStart
            }
            lastStart = slot.rawStart
            result[index] = lastColumn
        }
    }

    /// True for a line with nothing on it.
    public var isBlank: Bool { count == 1 && slots[0].start == slots[0].end && slots[0].flags == 0 }

    /// True for a row of delimiters only (`;;;;`: a row Excel saved with nothing in it): every field empty and unquoted.
    /// Most rows have something in their first field, so this looks at one field.
    public var hasOnlyEmptyFields: Bool {
        for index in 0..<count where slots[index].start != slots[index].end || slots[index].flags != 0 { return false }
        return true
    }

    /// True when the bytes `start..<end` are all ASCII (eight at a time).
    private func isASCII(from start: Int, to end: Int) -> Bool {
        var i = start
        let raw = UnsafeRawPointer(base)
        while i + 8 <= end {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < end {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    private func scalarCount(from start: Int, to end: Int) -> Int {
        var n = 0
        var i = start
        while i < end {
            if base[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }
}
