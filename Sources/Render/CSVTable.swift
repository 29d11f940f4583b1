/// An RFC 4180 CSV document: `\n` line ends, UTF-8 without BOM, fields quoted when they hold `,` `"` CR or
/// LF, and text cells neutralised against spreadsheet formula injection. Built in memory, or, with a `sink`
/// (`OutputFolder.writeCSV`), passed to the file every few MB: item_scores.csv is 208 MB at 1M employees,
/// and growing it as one string cost twice that in memory at the run's peak.
struct CSVTable {
    /// The table so far (or since the last flush to the sink) as UTF-8, in a byte buffer appended to in place: an
    /// `[UInt8]`'s `append(contentsOf:)` per cell was a fifth of writing item_scores.csv, a `String`'s append more.
    private let buffer: ByteBuffer
    private let sink: CSVSink?

    /// The table so far as text.
    var text: String { String(decoding: buffer.contents, as: UTF8.self) }

    init(header: [String], sink: CSVSink? = nil) {
        self.sink = sink
        buffer = ByteBuffer(capacity: sink == nil ? 4096 : CSVSink.chunkBytes + 4096)
        for (i, name) in header.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            var quoted = CSVTable.quoted(name)
            quoted.withUTF8 { buffer.append($0) }
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends one row of cells (see `CSVCell`): texts as encoded, numbers written in place.
    mutating func append(_ cells: [CSVCell]) {
        for i in cells.indices {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            switch cells[i].value {
            case .encoded(var text): text.withUTF8 { buffer.append($0) }
            case .fixed6(let number): NumberText.append(number, decimals: 6, to: buffer)
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        if let sink, buffer.count >= CSVSink.chunkBytes { flush(to: sink) }
    }

    /// Hands what is buffered to the sink (at the end of a streamed table).
    mutating func flush() {
        if let sink { flush(to: sink) }
    }

    private mutating func flush(to sink: CSVSink) {
        sink.write(buffer.contents)
        buffer.removeAll()
    }

    /// A field quoted when RFC 4180 requires it (`,` `"` CR LF), inner quotes doubled.
    static func quoted(_ field: String) -> String {
        var needs = false
        for b in field.utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0D || b == 0x0A {
            needs = true
            break
        }
        guard needs else { return field }
        var out = "\""
        for ch in field.unicodeScalars {
            if ch == "\"" { out.append("\"\"") } else { out.unicodeScalars.append(ch) }
        }
        out.append("\"")
        return out
    }

    /// A text cell that a spreadsheet would read as a formula (`=` `+` `-` `@` TAB CR first) gets a leading `'`.
    static func neutralised(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + text
        default:
            return text
        }
    }
}

/// One CSV cell: text (neutralised and quoted), a number (written as is) or blank.
struct CSVCell {
    enum Value {
        /// The cell's text as it goes into the file.
        case encoded(String)
        /// A finite number, written with 6 decimals when the row is appended (no `String` per number).
        case fixed6(Double)
    }

    let value: Value

    init(encoded: String) { value = .encoded(encoded) }
    private init(fixed6 number: Double) { value = .fixed6(number) }

    /// The cell's text as it goes into the file.
    var encoded: String {
        switch value {
        case .encoded(let text): text
        case .fixed6(let number): NumberText.fixed6(number)
        }
    }

    static let blank = CSVCell(encoded: "")

    static func text(_ value: String?) -> CSVCell {
        guard let value else { return .blank }
        return CSVCell(encoded: CSVTable.quoted(CSVTable.neutralised(value)))
    }

    static func int(_ value: Int?) -> CSVCell {
        guard let value else { return .blank }
        return CSVCell(encoded: String(value))
    }

    /// A double with exactly 6 decimals; blank when nil or not finite.
    static func double(_ value: Double?) -> CSVCell {
        guard let value, value.isFinite else { return .blank }
        return CSVCell(fixed6: value)
    }

    static func bool(_ value: Bool?) -> CSVCell {
        guard let value else { return .blank }
        return CSVCell(encoded: value ? "true" : "false")
    }
}
