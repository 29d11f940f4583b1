import LeanPulseCore
import Normalize

/// One canonical record of whatever kind a source holds.
enum NormalizedRecord {
    case response(SurveyResponse)
    case idea(Idea)
    case goal(Goal)
}

/// The Normalize stage for one file of a source, whatever its kind: used alike by `run` and `validate`.
struct SourceNormalizer {
    // Exactly one is set; optionals (not an enum with payloads) so that normalizing mutates in place.
    private var survey: SurveyNormalizer?
    private var ideas: IdeaNormalizer?
    private var goals: GoalNormalizer?

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

    mutating func normalize(_ record: SourceRecord) -> NormalizedRecord? {
        if survey != nil { return survey?.normalize(record).map(NormalizedRecord.response) }
        if ideas != nil { return ideas?.normalize(record).map(NormalizedRecord.idea) }
        return goals?.normalize(record).map(NormalizedRecord.goal)
    }

    var tally: NormalizeTally { survey?.tally ?? ideas?.tally ?? goals?.tally ?? NormalizeTally() }

    /// Survey sources: the export column of each instrument item (nil where it has none).
    var itemColumns: [Int?] { survey?.itemColumns ?? [] }

    var missingItems: [String] { survey?.missingItems ?? [] }
}
