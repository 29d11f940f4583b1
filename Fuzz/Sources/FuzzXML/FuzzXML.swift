import Foundation
import Ingest
import LeanPulseCore

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-xml-\(getpid()).xml").path

/// The first byte picks the reader: generic XML with a fixed record path and field paths (read both ways, which must
/// agree), Qualtrics XML, or Triple-S metadata.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    guard overwrite(scratch, data + 1, size - 1) else { return 0 }
    do {
        let reader: any RecordReader
        switch selector % 4 {
        case 0, 1:
            let recordPath = selector % 4 == 0 ? "/ideas/idea" : "/a/b"
            let pulled = readGenericXML(recordPath: recordPath, allAtOnce: false)
            let whole = readGenericXML(recordPath: recordPath, allAtOnce: true)
            precondition(pulled.records == whole.records, "next() and forEachRaw read different records")
            precondition(pulled.failed == whole.failed, "next() and forEachRaw disagree on whether the file is broken")
            return 0
        case 2:
            let source = SourceConfig(id: "fuzz", kind: .survey, format: .qualtricsXML, path: scratch, location: SourceLocation(file: "fuzz.yml"))
            reader = try RecordReaders.open(source: source, file: scratch, fieldPaths: [])
        default:
            let source = SourceConfig(id: "fuzz", kind: .survey, format: .tripleS, path: scratch, location: SourceLocation(file: "fuzz.yml"))
            reader = try RecordReaders.open(source: source, file: scratch, fieldPaths: [])
        }
        while let record = try reader.next() {
            precondition(record.values.count == reader.header.names.count, "record width differs from the header")
        }
    } catch {
        // A clean error is a correct answer to a broken file.
    }
    return 0
}

/// The records (values, line and column) of the scratch file as generic XML, read a record at a time or all at once, and
/// whether reading ended with an error.
func readGenericXML(recordPath: String, allAtOnce: Bool) -> (records: [[String?]], failed: Bool) {
    var records: [[String?]] = []
    do {
        let reader = try XMLRecordReader(file: scratch, recordPath: recordPath,
                                         fieldPaths: ["@id", "team", "a/b", "a/@c", "answer[@item='q1']", "."],
                                         maxDepth: 64, maxFieldBytes: 4096)
        if allAtOnce {
            try reader.forEachRaw { raw in
                records.append(XMLRecordReader.sourceRecord(raw).values + ["\(raw.line):\(raw.column)"])
            }
        } else {
            while let record = try reader.next() {
                precondition(record.values.count == reader.header.names.count, "record width differs from the header")
                records.append(record.values + ["\(record.location.line):\(record.location.column)"])
            }
        }
    } catch {
        return (records, true)
    }
    return (records, false)
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
