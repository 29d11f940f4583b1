/// Normalize -> Store: a validated survey response.
public struct SurveyResponse: Sendable, Hashable {
    /// HMAC-SHA256 pseudonym of the respondent id, nil for an anonymous export.
    public var respondentKey: Pseudonym?
    public var teamId: String
    public var period: Period
    /// Submission time, seconds since 1970 UTC (nil when the export has none).
    public var submitted: Int64?
    /// Raw answer values in `Instrument.items` order (before reverse scoring); nil = not answered.
    public var answers: [Int16?]
    public var comment: String?
    public var location: SourceLocation

    // Inlinable, here and in `Idea`: built once per record in Normalize, and a call across the module boundary returned
    // the value indirectly, to be copied into place and destroyed (an outlined copy and destroy per record in callgrind).
    @inlinable
    public init(respondentKey: Pseudonym?, teamId: String, period: Period, submitted: Int64?, answers: [Int16?],
                comment: String?, location: SourceLocation) {
        self.respondentKey = respondentKey
        self.teamId = teamId
        self.period = period
        self.submitted = submitted
        self.answers = answers
        self.comment = comment
        self.location = location
    }
}

/// Normalize -> Store: an improvement idea; dates are calendar days in the pipeline's time zone.
public struct Idea: Sendable, Hashable {
    public var id: String
    public var teamId: String
    public var submitted: Day
    public var implemented: Day?
    public var rejected: Day?
    public var status: String?
    public var submitterKey: String?

    @inlinable
    public init(id: String, teamId: String, submitted: Day, implemented: Day? = nil, rejected: Day? = nil,
                status: String? = nil, submitterKey: String? = nil) {
        self.id = id
        self.teamId = teamId
        self.submitted = submitted
        self.implemented = implemented
        self.rejected = rejected
        self.status = status
        self.submitterKey = submitterKey
    }
}

/// Normalize -> Store: one outcome goal of a team in a period: a target and an actual, or a 0-1 score.
public struct Goal: Sendable, Hashable {
    public var id: String?
    public var teamId: String
    public var period: Period
    public var target: Double?
    public var actual: Double?
    public var score: Double?

    public init(id: String?, teamId: String, period: Period, target: Double?, actual: Double?, score: Double?) {
        self.id = id
        self.teamId = teamId
        self.period = period
        self.target = target
        self.actual = actual
        self.score = score
    }

    /// METRICS.md 4: `min(actual / target, 1)`, or the score; nil when neither is usable.
    public var attainment: Double? {
        if let score { return Swift.min(Swift.max(score, 0), 1) }
        guard let target, let actual, target != 0 else { return nil }
        return Swift.min(actual / target, 1)
    }
}

/// Per source and file: rows read = accepted + rejected + superseded.
public struct ImportCounts: Sendable, Hashable, Codable {
    public var source: String
    public var file: String
    public var sha256: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int
    public var superseded: Int
    /// True when the content hash matched an earlier import and nothing was written.
    public var unchanged: Bool

    public init(source: String, file: String, sha256: String, read: Int = 0, accepted: Int = 0, rejected: Int = 0,
                superseded: Int = 0, unchanged: Bool = false) {
        self.source = source
        self.file = file
        self.sha256 = sha256
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
        self.superseded = superseded
        self.unchanged = unchanged
    }

    public var reconciles: Bool { read == accepted + rejected + superseded }
}
