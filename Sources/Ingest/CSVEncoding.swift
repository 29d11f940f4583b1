import LeanPulseCore

/// The text encodings the CSV reader decodes; everything is turned into UTF-8 before it is split into fields.
public enum CSVEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"

    /// Parses a pipeline file's `encoding:` value, case-insensitively, with the usual aliases (`utf8`, `cp1252`, `latin1`, `utf-16`).
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "utf8": self = .utf8
        // Windows writes little-endian UTF-16 ("Unicode Text"); a byte-order mark overrides this anyway.
        case "utf16", "utf16le", "unicode", "ucs2": self = .utf16LE
        case "utf16be": self = .utf16BE
        // WHATWG treats Latin-1 labels as Windows-1252: files labelled Latin-1 are almost always cp1252.
        case "windows1252", "cp1252", "latin1", "iso88591", "ansi": self = .windows1252
        default: return nil
        }
    }

    /// Chooses the encoding from the file's first bytes: a byte-order mark wins over the declared encoding,
    /// UTF-16 without a mark is recognised by its zero bytes, else the declared encoding or UTF-8.
    /// Returns the encoding and the length of the byte-order mark to skip.
    static func sniff(_ head: [UInt8], declared: CSVEncoding?) -> (CSVEncoding, bomLength: Int) {
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { return (.utf8, 3) }
        if head.count >= 2, head[0] == 0xFF, head[1] == 0xFE { return (.utf16LE, 2) }
        if head.count >= 2, head[0] == 0xFE, head[1] == 0xFF { return (.utf16BE, 2) }
        if let declared { return (declared, 0) }
        if head.count >= 4, head[0] != 0, head[1] == 0, head[2] != 0, head[3] == 0 { return (.utf16LE, 0) }
        if head.count >= 4, head[0] == 0, head[1] != 0, head[2] == 0, head[3] != 0 { return (.utf16BE, 0) }
        return (.utf8, 0)
    }
}

/// Windows-1252 bytes 0x80...0x9F; the five bytes the code page leaves undefined map to the C1 controls, as WHATWG does.
let windows1252High: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]

extension CSVEncoding {
    /// The encoding a source declares (`encoding:`), nil when it declares none; an unknown name is an error at the source.
    public static func declared(by source: SourceConfig) throws(IngestError) -> CSVEncoding? {
        guard let name = source.encoding else { return nil }
        guard let known = CSVEncoding(name: name) else {
            throw IngestError("unknown encoding '\(name)'; use utf-8, utf-16le, utf-16be or windows-1252", at: source.location)
        }
        return known
    }
}
