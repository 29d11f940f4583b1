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
            return try XMLRecordReader(file: file, recordPath: record, fieldPaths: fieldPaths, configLocation: source.location)
        default:
            throw IngestError("format '\(source.format.rawValue)' is not supported yet", at: source.location)
        }
    }
}
