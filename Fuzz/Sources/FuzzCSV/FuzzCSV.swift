import Foundation
import Ingest
import LeanPulseCore

/// One input file per process, rewritten for every run (the readers take a path).
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-csv-\(getpid()).csv").path
let formats: [SourceFormat] = [.csv, .qualtricsCSV, .surveyMonkeyCSV, .googleFormsCSV, .microsoftFormsCSV, .limeSurveyCSV]

/// The first byte picks the reader (the raw tokenizer with a tiny chunk, or a format preset); the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    guard overwrite(scratch, data + 1, size - 1) else { return 0 }
    do {
        if selector % 8 >= formats.count {
            let delimiters: [UInt8?] = [nil, 0x2C, 0x3B, 0x09]
            let reader = try CSVReader(path: scratch, delimiter: delimiters[(selector >> 3) % 4],
                                       encoding: selector & 0x80 != 0 ? .windows1252 : nil, chunkSize: 64, maxRowBytes: 4096)
            while let row = try reader.nextRow() {
                _ = row.strings
                _ = row.columns
            }
        } else {
            let source = SourceConfig(id: "fuzz", kind: .survey, format: formats[selector % 8], path: scratch,
                                      includePreviews: selector & 0x40 != 0, location: SourceLocation(file: "fuzz.yml", line: 1))
            let reader = try RecordReaders.open(source: source, file: scratch, fieldPaths: [])
            while let record = try reader.next() {
                precondition(record.values.count == reader.header.names.count, "record width differs from the header")
                for index in record.values.indices { _ = record.location(ofField: index) }
            }
            _ = reader.findings
        }
    } catch {
        // A clean error is a correct answer to a broken file.
    }
    return 0
}

/// Replaces the scratch file's bytes in place (FileManager's atomic write would cost a rename per run).
func overwrite(_ path: String, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var done = 0
    while done < count {
        let n = write(fd, bytes + done, count - done)
        if n <= 0 { return false }
        done += n
    }
    return true
}
