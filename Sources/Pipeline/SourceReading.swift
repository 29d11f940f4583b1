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

    static func detection(of reader: any RecordReader) -> [(key: String, value: String)] {
        RecordReaders.detection(of: reader)
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
