import LeanPulseCore

/// Picks the reader for a source's format: the one entry point the pipeline calls.
public enum RecordReaders {
    /// A reader over `file` (one match of `source.path`). `fieldPaths` are the XML fields to extract; CSV returns all columns.
    public static func open(source: SourceConfig, file: String, fieldPaths: [String]) throws -> any RecordReader {
        switch source.format {
        case .csv, .qualtricsCSV:
            return try CSVRecordReader(source: source, file: file)
        case .xml:
            guard let record = source.record else {
                throw IngestError("source '\(source.id)' has format xml but no record path (record: /root/item)", at: source.location)
            }
            return try XMLRecordReader(file: file, recordPath: record, fieldPaths: fieldPaths, configLocation: source.location,
                                       sourceID: source.id)
        case .qualtricsXML:
            return try QualtricsXMLRecordReader(source: source, file: file)
        case .surveyMonkeyCSV:
            return try SurveyMonkeyCSV.open(source: source, file: file)
        case .googleFormsCSV:
            return try GoogleFormsCSV.open(source: source, file: file)
        case .microsoftFormsCSV:
            return try MicrosoftFormsCSV.open(source: source, file: file)
        case .limeSurveyCSV:
            return try LimeSurveyCSV.open(source: source, file: file)
        case .tripleS:
            return try TripleSRecordReader(source: source, file: file)
        }
    }
}

/// A reader that can tell how far into its file it is (for progress on a terminal).
public protocol ReadPosition: AnyObject {
    /// File bytes consumed so far.
    var bytesRead: Int64 { get }
}

extension CSVRecordReader: ReadPosition {
    public var bytesRead: Int64 { csv.bytesRead }
}

extension PresetCSVRecordReader: ReadPosition {
    public var bytesRead: Int64 { csv.bytesRead }
}
