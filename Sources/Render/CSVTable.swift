/// An RFC 4180 CSV document: `\n` line ends, UTF-8 without BOM, fields quoted when they hold `,` `"` CR or
/// LF, and text cells neutralised against spreadsheet formula injection. Built in memory, or, with a `sink`
/// (`OutputFolder.writeCSV`), passed to the file every few MB: item_scores.csv is 208 MB at 1M employees,
/// and growing it as one string cost twice that in memory at the run's peak.
struct CSVTable {
    private(set) var text: String = ""
    private let sink: CSVSink?

    init(header: [String], sink: CSVSink? = nil) {
        self.sink = sink
        text.reserveCapacity(sink == nil ? 4096 : CSVSink.chunkBytes + 4096)
        for (i, name) in header.enumerated() {
            if i > 0 { text.append(",") }
            text.append(CSVTable.quoted(name))
        }
        text.append("\n")
    }

    /// Appends one row of already-encoded cells (see `CSVCell`).
    mutating func append(_ cells: [CSVCell]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { text.append(",") }
            text.append(cell.encoded)
        }
        text.append("\n")
        if let sink, text.utf8.count >= CSVSink.chunkBytes { flush(to: sink) }
    }

    /// Hands what is buffered to the sink (at the end of a streamed table).
    mutating func flush() {
        if let sink { flush(to: sink) }
    }

    private mutating func flush(to sink: CSVSink) {
        sink.write(text)
        text.removeAll(keepingCapacity: true)
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
