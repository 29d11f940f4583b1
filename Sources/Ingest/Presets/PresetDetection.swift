import LeanPulseCore

/// A reader that says how it read its file, for `leanpulse validate` (`RecordReaders.detection(of:)`).
protocol DetectionReporting {
    var detection: [(key: String, value: String)] { get }
}

extension CSVReader {
    /// Encoding (with its byte-order mark) and delimiter, as `validate` shows them.
    var detectionPairs: [(key: String, value: String)] {
        let shown = delimiter == UInt8(ascii: "\t") ? "tab" : "'\(String(UnicodeScalar(delimiter)))'"
        return [("encoding", encoding.rawValue + (hasByteOrderMark ? " with BOM" : "")), ("delimiter", shown)]
    }
}

extension PresetCSVRecordReader: DetectionReporting {
    var detection: [(key: String, value: String)] {
        [("layout", "\(format.rawValue), \(header.headerRows) header row\(header.headerRows == 1 ? "" : "s")")] + csv.detectionPairs
    }
}

extension QualtricsXMLRecordReader: DetectionReporting {
    var detection: [(key: String, value: String)] {
        [("layout", "qualtrics-xml, one element per field in each <Response>"), ("encoding", "as declared by the document (libxml2)")]
    }
}

extension TripleSRecordReader: DetectionReporting {
    var detection: [(key: String, value: String)] {
        [("layout", "triple-s, \(dataFormat) data"), ("data file", dataPath)] + dataDetection
    }
}
