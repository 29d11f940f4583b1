/// An RFC 4180 CSV document: `\n` line ends, UTF-8 without BOM, fields quoted when they hold `,` `"` CR or
/// LF, and text cells neutralised against spreadsheet formula injection. Built in memory, or, with a `sink`
/// (`OutputFolder.writeCSV`), passed to the file every few MB: item_scores.csv is 208 MB at 1M employees,
/// and growing it as one string cost twice that in memory at the run's peak.
struct CSVTable {
    /// The table so far (or since the last flush to the sink) as UTF-8: appending bytes costs a copy, where
    /// appending to a `String` cost its general append path per cell (7% of a small report's instructions).
    private(set) var bytes: [UInt8] = []
    private let sink: CSVSink?

    /// The table so far as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    init(header: [String], sink: CSVSink? = nil) {
        self.sink = sink
        bytes.reserveCapacity(sink == nil ? 4096 : CSVSink.chunkBytes + 4096)
        for (i, name) in header.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: CSVTable.quoted(name).utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends one row of already-encoded cells (see `CSVCell`).
    mutating func append(_ cells: [CSVCell]) {
        for i in cells.indices {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            var encoded = cells[i].encoded
            encoded.withUTF8 { bytes.append(contentsOf: $0) }
        }
        bytes.append(UInt8(ascii: "\n"))
        if let sink, bytes.count >= CSVSink.chunkBytes { flush(to: sink) }
    }

    /// Hands what is buffered to the sink (at the end of a streamed table).
    mutating func flush() {
        if let sink { flush(to: sink) }
    }

    private mutating func flush(to sink: CSVSink) {
        sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
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
    let encoded: String

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
        guard let value else { return .blank }
        return CSVCell(encoded: NumberText.fixed6(value))
    }

    static func bool(_ value: Bool?) -> CSVCell {
        guard let value else { return .blank }
        return CSVCell(encoded: value ? "true" : "false")
    }
}
