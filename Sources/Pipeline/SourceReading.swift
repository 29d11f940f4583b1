import Ingest
import LeanPulseCore

/// The runner's one door into Ingest: the reader for a source's file, and the field paths it must deliver.
enum SourceReading {
    static func open(source: SourceConfig, file: String, fieldPaths: [String]) throws -> any RecordReader {
        try RecordReaders.open(source: source, file: file, fieldPaths: fieldPaths)
    }

    /// Files a source's file reads besides itself (Triple-S: the data file its metadata names); their content is part of the input.
    static func companionFiles(source: SourceConfig, file: String) -> [String] {
        guard source.format == .tripleS, let data = try? TripleSRecordReader.dataFile(forMetadata: file) else { return [] }
        return [data]
    }

    /// What `validate` says about how a file was read: encoding, byte-order mark, delimiter, layout, data file.
    static func inputDescription(_ reader: any RecordReader) -> String? {
        func csv(_ csv: CSVReader) -> String {
            let delimiter = csv.delimiter == 0x09 ? "TAB" : String(UnicodeScalar(csv.delimiter))
            return "encoding \(csv.encoding.rawValue)\(csv.hasByteOrderMark ? " with byte-order mark" : ""), delimiter '\(delimiter)'"
        }
        switch reader {
        case let r as CSVRecordReader: return csv(r.csv) + ", layout \(r.layout.rawValue)"
        case let r as PresetCSVRecordReader: return csv(r.csv)
        case let r as TripleSRecordReader: return "data file \(r.dataPath) (\(r.dataFormat))"
        default: return nil
        }
    }

    /// XML sources deliver only the paths the configuration names: every `fields:` value and `items:` key.
    static func fieldPaths(for source: SourceConfig, instrument: Instrument) -> [String] {
        var paths: [String] = []
        for path in source.fields.values.sorted() + source.items.keys.sorted() where !paths.contains(path) { paths.append(path) }
        if source.kind == .survey {
            for item in instrument.items where !paths.contains(item.id) && !source.items.values.contains(item.id) {
                paths.append(item.id)
            }
        }
        return paths
    }
}
