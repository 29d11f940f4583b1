import LeanPulseCore

/// Qualtrics' XML response export (`qualtrics-xml`): `<Responses>` with one `<Response>` per respondent, and in it one child
/// element per field: metadata (`startDate`, `recordedDate`, `status`, `finished`, `_recordId`, embedded data) and one element
/// per ImportId-derived column (`QID1`, `QID4_5_TEXT`, `QID13_1_2`). `-99` (seen but unanswered) and empty elements (not shown)
/// are delivered as written; multi-line text and CDATA are kept.
///
/// Header names are the child element names of every `<Response>` in the file, in order of first appearance (a first pass
/// collects them; a response without one of them delivers nil there). Records are then read by `XMLRecordReader` with
/// record path `/Responses/Response`, located at their `<Response>` line. Like `qualtrics-csv`, preview and test responses
/// (`status`) and unfinished ones (`finished` False/0) are skipped with an `info` finding unless `include_previews` /
/// `include_unfinished` are set.
public final class QualtricsXMLRecordReader: RecordReader {
    public let header: RecordHeader
    public private(set) var findings: [DataQualityFinding] = []
    /// Responses in the file, delivered or skipped.
    public private(set) var responses = 0

    private let inner: XMLRecordReader?
    private let sourceID: String
    private let includePreviews: Bool
    private let includeUnfinished: Bool
    private let statusIndex: Int?
    private let finishedIndex: Int?

    /// More distinct field elements than this is not a survey export.
    static let maxFields = 100_000

    public init(source: SourceConfig, file: String) throws {
        sourceID = source.id
        includePreviews = source.includePreviews
        includeUnfinished = source.includeUnfinished
        let names = try QualtricsXMLRecordReader.fieldNames(in: file)
        header = RecordHeader(names: names, importIds: names, headerRows: 0)
        statusIndex = names.firstIndex(of: "status") ?? names.firstIndex(of: "Status")
        finishedIndex = names.firstIndex(of: "finished") ?? names.firstIndex(of: "Finished")
        inner = names.isEmpty ? nil : try XMLRecordReader(file: file, recordPath: "/Responses/Response", fieldPaths: names,
                                                          configLocation: source.location)
    }

    public func next() throws -> SourceRecord? {
        guard let inner else { return nil }
        while let record = try inner.next() {
            responses += 1
            if let statusIndex, !includePreviews, let status = record.values[statusIndex], CSVRecordReader.isPreview(status: status) {
                finding("preview-response", "survey preview, test or spam response skipped (status = \(status)); set include_previews to keep it",
                        at: record.location)
                continue
            }
            if let finishedIndex, !includeUnfinished, let finished = record.values[finishedIndex], CSVRecordReader.isUnfinished(finished) {
                finding("unfinished-response", "unfinished response skipped (finished = \(finished)); set include_unfinished to keep it",
                        at: record.location)
                continue
            }
            return record
        }
        return nil
    }

    private func finding(_ code: String, _ message: String, at location: SourceLocation) {
        findings.append(DataQualityFinding(source: sourceID, location: location, severity: .info, code: code, message: message))
    }

    /// The child element names of `/Responses/Response`, in order of first appearance; checks the root is `<Responses>`.
    static func fieldNames(in file: String) throws -> [String] {
        let scan = try HardenedXMLScan(file: file)
        var names: [String] = []
        var seen = Set<String>()
        var inResponse = false
        while let event = try scan.next() {
            switch event {
            case .start(let name, let depth, let line):
                let empty = scan.takePendingEnd() != nil
                if depth == 0 {
                    guard name == "Responses" else {
                        throw IngestError("the root element is <\(name)>; a Qualtrics XML export has <Responses>", at: .init(file: file, line: line))
                    }
                } else if depth == 1 {
                    inResponse = name == "Response" && !empty
                } else if depth == 2 && inResponse && seen.insert(name).inserted {
                    if names.count == maxFields {
                        throw IngestError("a <Response> has more than \(maxFields) different fields", at: .init(file: file, line: line))
                    }
                    names.append(name)
                }
            case .end(_, let depth):
                if depth == 1 { inResponse = false }
            case .text:
                break
            }
        }
        return names
    }
}
