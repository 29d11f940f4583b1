import LeanPulseCore

extension RecordReaders {
    /// What a reader found out about its file (layout, encoding, delimiter), for `leanpulse validate`.
    public static func detection(of reader: any RecordReader) -> [(key: String, value: String)] {
        if let csv = reader as? CSVRecordReader {
            let delimiter: String = switch csv.csv.delimiter {
            case UInt8(ascii: "\t"): "tab"
            case let d: "'\(String(UnicodeScalar(d)))'"
            }
            return [("layout", csv.layout.description), ("encoding", csv.csv.encoding.rawValue + (csv.csv.hasByteOrderMark ? " with BOM" : "")),
                    ("delimiter", delimiter)]
        }
        if reader is XMLRecordReader {
            return [("layout", "xml records"), ("encoding", "as declared by the document (libxml2)")]
        }
        if let preset = reader as? any DetectionReporting { return preset.detection }
        return []
    }
}
