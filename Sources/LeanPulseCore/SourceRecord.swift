/// Ingest -> Normalize: the column names (or field paths) a source provides, with whatever the format knows about them.
public struct RecordHeader: Sendable, Hashable {
    /// Column names (CSV) or field paths (XML), in record order.
    public var names: [String]
    /// Question text per column where the export carries it (Qualtrics' second header row), else empty.
    public var questionTexts: [String]
    /// Vendor import id per column (Qualtrics' `{"ImportId":"QID1"}` row), else empty.
    public var importIds: [String]
    /// Lines the header occupied, for the `validate` report.
    public var headerRows: Int
    /// The time zone the export states for a column's times (Qualtrics' `{"ImportId":"recordedDate","timeZone":
    /// "America/Denver"}`), by column index; empty when the export states none.
    public var timeZones: [Int: String]
    /// The labels the export gives a column's codes (Triple-S `<values>`: code -> label), by column index; empty when
    /// the export has none. Normalize reads a code through its label where the instrument scores that label otherwise.
    public var valueLabels: [Int: [String: String]]

    public init(names: [String], questionTexts: [String] = [], importIds: [String] = [], headerRows: Int = 1,
                timeZones: [Int: String] = [:], valueLabels: [Int: [String: String]] = [:]) {
        self.names = names
        self.questionTexts = questionTexts
        self.importIds = importIds
        self.headerRows = headerRows
        self.timeZones = timeZones
        self.valueLabels = valueLabels
    }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }
}

/// Ingest -> Normalize: one record of a source, with where it starts in its file.
public struct SourceRecord: Sendable {
    /// Values aligned with `RecordHeader.names`; nil = the field is absent (missing XML element, short CSV row).
    public var values: [String?]
    /// Where the record starts (CSV: its first line; XML: the record element's start tag).
    public var location: SourceLocation
    /// 1-based column of each value's start where known (CSV), same length as `values` or empty.
    public var columns: [Int]

    public init(values: [String?], location: SourceLocation, columns: [Int] = []) {
        self.values = values
        self.location = location
        self.columns = columns
    }

    /// The location of field `index`: the record's line, the field's column when known.
    public func location(ofField index: Int) -> SourceLocation {
        var loc = location
        if index < columns.count { loc.column = columns[index] }
        return loc
    }
}

/// A stream of records from one file: the header, then records until nil. Ingest's formats implement it.
public protocol RecordReader: AnyObject {
    var header: RecordHeader { get }
    /// The next record, nil at the end of the file; throws a `LocatedError` when the file itself is broken.
    func next() throws -> SourceRecord?
    /// Findings the reader made about individual records it could still deliver or had to skip.
    var findings: [DataQualityFinding] { get }
}
