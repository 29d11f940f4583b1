import LeanPulseCore
import Normalize

/// One canonical record of whatever kind a source holds.
enum NormalizedRecord {
    /// Up to `ResponseColumns.batchSize` responses: surveys and ideas logs travel in column batches, not record by
    /// record (DECISIONS 31).
    case responses(ResponseColumns)
    /// Up to `IdeaColumns.blockSize` ideas.
    case ideas(IdeaColumns)
    // Goals are not emitted: the latest check-in of each counts, so they go to the store once every file of the source
    // is read (`GoalCheckIns`, `settleGoals`).
}

/// The Normalize stage for one file of a source, whatever its kind: used alike by `run` and `validate`.
struct SourceNormalizer {
    // Exactly one is set; optionals (not an enum with payloads) so that normalizing mutates in place.
    private var survey: SurveyNormalizer?
    private var ideas: IdeaNormalizer?
    private var goals: GoalNormalizer?
    /// Lays out records of readers without a raw form (XML, Triple-S, the vendor presets) for the one normalizing path.
    private let arena = RawRecordArena()
    /// Responses or ideas normalized and not yet handed on (set with their normalizer).
    private var responseBatch: ResponseColumns?
    private var ideaBatch: IdeaColumns?

    /// Finding codes with which Ingest reports a record it did not deliver (they count as read and rejected).
    static let skippedByReader: Set<String> = ["preview-response", "unfinished-response", "ragged-row"]

    /// What the normalizers of one source's files share: for an ideas source of several files, the ids of the files read
    /// before (an idea listed in two of them counts once); nil otherwise.
    static func earlierIdeaIds(for source: SourceConfig, fileCount: Int) -> EarlierFileIds? {
        source.kind == .ideas && fileCount > 1 ? EarlierFileIds() : nil
    }

    /// The check-ins of a goals source, shared by the normalizers of its files (nil for other kinds).
    static func goalCheckIns(for source: SourceConfig) -> GoalCheckIns? {
        source.kind == .goals ? GoalCheckIns() : nil
    }

    /// `earlierIdeaIds`: from `earlierIdeaIds(for:fileCount:)`, one object for all the files of the source;
    /// `goalCheckIns` likewise from `goalCheckIns(for:)` (nil: the file's own).
    init(source: SourceConfig, header: RecordHeader, context: PipelineContext, earlierIdeaIds: EarlierFileIds? = nil,
         goalCheckIns: GoalCheckIns? = nil) throws(Diagnostic) {
        let organization = context.normalizationOrganization
        switch source.kind {
        case .survey:
            responseBatch = ResponseColumns(itemCount: context.instrument.items.count)
            survey = try SurveyNormalizer(source: source, header: header, instrument: context.instrument,
                                          organization: organization, pseudonymizer: context.pseudonymizer,
                                          pipelineZone: context.zone)
        case .ideas:
            ideaBatch = IdeaColumns()
            ideas = try IdeaNormalizer(source: source, header: header, organization: organization,
                                       pseudonymizer: context.pseudonymizer, pipelineZone: context.zone)
            ideas?.earlierFiles = earlierIdeaIds
        case .goals:
            goals = try GoalNormalizer(source: source, header: header, organization: organization, pipelineZone: context.zone,
                                       checkIns: goalCheckIns ?? GoalCheckIns())
        }
    }

    /// Normalizes `record`; a response or idea goes to `emit` when its batch is full, a goal to its check-ins.
    private mutating func normalize(_ record: RawRecord, emit: (NormalizedRecord) throws -> Void) rethrows {
        // Bound with `guard let` rather than `Optional.map`, which copies the record (a retain and release per String).
        // The batch is set with its normalizer; unwrapped in place, as binding it to a constant cost a retain and a
        // release per record.
        if survey != nil {
            guard survey!.normalize(record, into: responseBatch!), responseBatch!.isFull else { return }
            return try emitBatches(emit)
        }
        if ideas != nil {
            guard ideas!.normalize(record, into: ideaBatch!), ideaBatch!.isFull else { return }
            return try emitBatches(emit)
        }
        _ = goals?.normalize(record)
    }

    /// Hands on the responses or ideas batched so far and starts a new batch (the one handed on belongs to the
    /// consumer from now on).
    private mutating func emitBatches(_ emit: (NormalizedRecord) throws -> Void) rethrows {
        if let full = responseBatch, !full.isEmpty {
            responseBatch = ResponseColumns(itemCount: full.itemCount)
            try emit(.responses(full))
        }
        if let full = ideaBatch, !full.isEmpty {
            ideaBatch = IdeaColumns()
            try emit(.ideas(full))
        }
    }

    /// Reads every record of `reader` (its raw form where it has one, in one pass where the reader can) and calls `emit`
    /// with what normalizing made of them: accepted responses and ideas in column batches (goals go to their
    /// check-ins: `settleGoals`; the rejected records' reasons are in `tally`).
    /// `progress`, when given, hears the number of records read every 65,536 records. The one loop of `run`,
    /// `validate` and `bench-ingest`.
    mutating func normalizeAll(_ reader: any RecordReader, progress: ((Int) -> Void)? = nil,
                               _ emit: (NormalizedRecord) throws -> Void) throws {
        var read = 0
        func take(_ record: RawRecord) throws {
            try normalize(record, emit: emit)
            read += 1
            if read & 0xFFFF == 0 { progress?(read) }
        }
        if let whole = reader as? any WholeFileRecordReader {
            try whole.forEachRaw(take)
        } else if let raw = reader as? any RawRecordReader {
            while let record = try raw.nextRaw() { try take(record) }
        } else {
            while let record = try reader.next() { try arena.withRaw(record, take) }
        }
        try ideas?.finish()
        try survey?.finish()
        try goals?.finish()
        try emitBatches(emit)
    }

    var tally: NormalizeTally { survey?.tally ?? ideas?.tally ?? goals?.tally ?? NormalizeTally() }

    /// Survey sources: the export column of each instrument item (nil where it has none).
    var itemColumns: [Int?] { survey?.itemColumns ?? [] }

    var missingItems: [String] { survey?.missingItems ?? [] }

    /// One file's counts and findings once `normalizeAll` has read `reader` (the same for `run` and `validate`): records
    /// the reader set aside (previews, unfinished and ragged rows) count as read and rejected; the reader's findings
    /// come first, then the header's, then the records'.
    func fileResult(of reader: any RecordReader, source: SourceConfig, file: InputFileRecord) -> (counts: ImportCounts, findings: [DataQualityFinding]) {
        let readerFindings = reader.findings
        let skipped = readerFindings.filter { Self.skippedByReader.contains($0.code) }.count
        let counts = ImportCounts(source: source.id, file: file.path, sha256: file.sha256, read: tally.read + skipped,
                                  accepted: tally.accepted, rejected: tally.rejected + skipped)
        return (counts, readerFindings + headerFindings(source: source, file: file.path, header: reader.header) + tally.findings)
    }

    /// Survey and ideas sources (and goals sources with `updated`): the zone their times are read in, and why.
    var exportZone: ExportZone? { survey?.exportZone ?? ideas?.exportZone ?? goals?.exportZone }

    /// Once every file of a goals source is read (`files`: each file's counts and findings, in reading order): the goals
    /// that count, to be stored, with each file's superseded check-ins moved from accepted to superseded and the
    /// check-ins' findings added to the file they are in.
    static func settleGoals(_ checkIns: GoalCheckIns, source: SourceConfig,
                            files: inout [(counts: ImportCounts, findings: [DataQualityFinding])]) -> [Goal] {
        let (goals, findings) = checkIns.settle(source: source.id)
        for finding in findings {
            guard let i = files.firstIndex(where: { $0.counts.file == finding.location.file }) ?? files.indices.last else { continue }
            files[i].findings.append(finding)
            if finding.code == "superseded-check-in" {
                files[i].counts.superseded += 1
                files[i].counts.accepted -= 1
            }
        }
        return goals
    }

    /// What the file's header alone tells (once per file, before any record): instrument items the export has no
    /// column for, and a time zone the export states that this tool cannot read (its times are then read in the
    /// pipeline's zone, which may put responses near midnight in the wrong day or quarter).
    private func headerFindings(source: SourceConfig, file: String, header: RecordHeader) -> [DataQualityFinding] {
        var findings = missingItems.map { item in
            DataQualityFinding(source: source.id, location: SourceLocation(file: file, line: 1), severity: .warning,
                               code: "missing-item", message: "the export has no column for item \(item)")
        }
        if let zone = exportZone, let stated = zone.unknownStated {
            findings.append(DataQualityFinding(
                source: source.id, location: SourceLocation(file: file, line: header.headerRows), severity: .warning,
                code: "unknown-time-zone",
                message: "the export states the time zone '\(stated)' for its submission times, which is not a known zone; "
                    + "they are read in \(zone.description); set the source's timezone: if that is wrong"))
        }
        return findings
    }
}
