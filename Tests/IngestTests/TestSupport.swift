import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

/// A fresh file with exactly `bytes`, removed when the test ends.
func temporaryFile(_ bytes: [UInt8], suffix: String = ".csv") -> String {
    let path = temporaryPath("ingest", suffix: suffix)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

func temporaryFile(_ text: String, suffix: String = ".csv") -> String {
    temporaryFile(Array(text.utf8), suffix: suffix)
}

/// The path of a checked-in fixture.
func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), "missing fixture \(name)")
    return url.path
}

/// Every row of a CSV file as strings.
func readRows(_ path: String, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil, chunkSize: Int = 1 << 20) throws -> [[String]] {
    let reader = try CSVReader(path: path, delimiter: delimiter, encoding: encoding, chunkSize: chunkSize)
    var rows: [[String]] = []
    while let row = try reader.nextRow() { rows.append(row.strings) }
    return rows
}

/// Every record of a reader. XML is read as `run` reads it, through `forEachRaw` (the tests that call `next()` themselves
/// cover the record-at-a-time path, and XMLReadingModesTests compares the two).
func readAll(_ reader: any RecordReader) throws -> [SourceRecord] {
    var records: [SourceRecord] = []
    if let xml = reader as? XMLRecordReader {
        try xml.forEachRaw { records.append(XMLRecordReader.sourceRecord($0)) }
        return records
    }
    while let record = try reader.next() { records.append(record) }
    return records
}

/// The error `body` throws, as an IngestError (the test fails when it throws nothing or something else).
func ingestError(_ body: () throws -> Void) -> IngestError? {
    do {
        try body()
        Issue.record("expected an IngestError, nothing was thrown")
    } catch let error as IngestError {
        return error
    } catch {
        Issue.record("expected an IngestError, got \(error)")
    }
    return nil
}

func source(_ format: SourceFormat, id: String = "pulse", delimiter: UInt8? = nil, encoding: String? = nil, record: String? = nil,
            includePreviews: Bool = false, includeUnfinished: Bool = false) -> SourceConfig {
    SourceConfig(id: id, kind: .survey, format: format, path: "/unused", record: record, delimiter: delimiter, encoding: encoding,
                 includePreviews: includePreviews, includeUnfinished: includeUnfinished,
                 location: SourceLocation(file: "/p/quarterly.yml", line: 12, column: 5))
}

/// `shared/realdata` beside the project (as CI lays it out), else the workplace's copy; nil when absent.
func realdataFolder(_ name: String) -> String? {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { root.deleteLastPathComponent() }
    for candidate in [root.deletingLastPathComponent().path + "/shared/realdata/" + name, "/work/shared/realdata/" + name]
    where FileManager.default.fileExists(atPath: candidate) {
        return candidate
    }
    print("skipped: shared/realdata/\(name) is not beside the project")
    return nil
}
