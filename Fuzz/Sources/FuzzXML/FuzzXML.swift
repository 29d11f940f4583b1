import Foundation
import Ingest
import LeanPulseCore

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-xml-\(getpid()).xml").path

/// The first byte picks the reader: generic XML with a fixed record path and field paths, Qualtrics XML, or Triple-S metadata.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let body = Data(bytes: data + 1, count: size - 1)
    guard FileManager.default.createFile(atPath: scratch, contents: body) else { return 0 }
    do {
        let reader: any RecordReader
        switch selector % 4 {
        case 0, 1:
            reader = try XMLRecordReader(file: scratch, recordPath: selector % 4 == 0 ? "/ideas/idea" : "/a/b",
                                         fieldPaths: ["@id", "team", "a/b", "a/@c", "answer[@item='q1']", "."],
                                         maxDepth: 64, maxFieldBytes: 4096)
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
