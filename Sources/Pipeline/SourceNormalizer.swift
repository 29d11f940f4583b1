import LeanPulseCore
import Normalize

/// One canonical record of whatever kind a source holds.
enum NormalizedRecord {
    // Boxed: a response is the largest record by far, and every record of a batch is the size of the largest case
    // (an idea or goal was moved between the reading and the writing thread at the size of a response).
    indirect case response(SurveyResponse)
    case idea(Idea)
    case goal(Goal)
}

/// The Normalize stage for one file of a source, whatever its kind: used alike by `run` and `validate`.
struct SourceNormalizer {
    // Exactly one is set; optionals (not an enum with payloads) so that normalizing mutates in place.
    private var survey: SurveyNormalizer?
    private var ideas: IdeaNormalizer?
    private var goals: GoalNormalizer?
    /// Lays out records of readers without a raw form (XML, Triple-S, the vendor presets) for the one normalizing path.
    private let arena = RawRecordArena()

    init(source: SourceConfig, header: RecordHeader, context: PipelineContext) throws(Diagnostic) {
        let organization = context.normalizationOrganization
        switch source.kind {
        case .survey:
            survey = try SurveyNormalizer(source: source, header: header, instrument: context.instrument,
                                          organization: organization, pseudonymizer: context.pseudonymizer,
                                          pipelineZone: context.zone)
        case .ideas:
            ideas = try IdeaNormalizer(source: source, header: header, organization: organization,
                                       pseudonymizer: context.pseudonymizer, pipelineZone: context.zone)
        case .goals:
            goals = try GoalNormalizer(source: source, header: header, organization: organization)
        }
    }

    mutating func normalize(_ record: RawRecord) -> NormalizedRecord? {
        // Bound with `guard let` rather than `Optional.map`, which copies the record (a retain and release per String).
        if survey != nil {
            guard let response = survey?.normalize(record) else { return nil }
            return .response(response)
        }
        if ideas != nil {
            guard let idea = ideas?.normalize(record) else { return nil }
            return .idea(idea)
        }
        guard let goal = goals?.normalize(record) else { return nil }
        return .goal(goal)
    }

    mutating func normalize(_ record: SourceRecord) -> NormalizedRecord? {
        arena.withRaw(record) { normalize($0) }
    }

    /// Reads every record of `reader` (its raw form where it has one) and calls `each` with what normalizing made of
    /// it (nil: rejected, the reason is in `tally`). The one loop of `run`, `validate` and `bench-ingest`.
    mutating func normalizeAll(_ reader: any RecordReader, _ each: (NormalizedRecord?) throws -> Void) throws {
        if let raw = reader as? any RawRecordReader {
            while let record = try raw.nextRaw() { try each(normalize(record)) }
        } else {
            while let record = try reader.next() { try each(normalize(record)) }
        }
    }

    var tally: NormalizeTally { survey?.tally ?? ideas?.tally ?? goals?.tally ?? NormalizeTally() }

    /// Survey sources: the export column of each instrument item (nil where it has none).
    var itemColumns: [Int?] { survey?.itemColumns ?? [] }

    var missingItems: [String] { survey?.missingItems ?? [] }
}
