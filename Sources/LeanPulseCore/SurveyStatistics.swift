/// Compute -> Render: the survey statistics of METRICS.md 5 beyond the per-unit figures: within-team
/// agreement rwg(j), reliability (Cronbach's alpha, ICC(1), ICC(2)) and key drivers.
///
/// Confidentiality (METRICS.md 6) is applied by Compute: `agreement` and `drivers` hold shown
/// (unsuppressed) units only; Render checks again.
public struct SurveyStatisticsResult: Sendable, Hashable {
    /// rwg(j) below this is flagged "low agreement" (METRICS.md 5).
    public static let lowAgreementThreshold = 0.70
    /// Cronbach's alpha below this is flagged (METRICS.md 5).
    public static let lowReliabilityThreshold = 0.70
    /// Key drivers need a group of at least this many respondents (METRICS.md 5).
    public static let defaultDriverMinimum = 30
    /// At most this many priority items per group.
    public static let priorityCount = 5

    /// One entry per shown unit x factor, unit order then factor order.
    public var agreement: [FactorAgreement]
    /// One entry per factor, organisation-wide; empty when the organisation's figures are withheld.
    public var reliability: [FactorReliability]
    /// One entry per shown unit with at least `driverMinimum` respondents x driver item, unit order then
    /// item order.
    public var drivers: [ItemDriver]
    public var driverMinimum: Int
    /// Complete cases (every driver item and an engagement score) per group for the relative weights,
    /// unit index -> count; empty when relative weights were not requested.
    public var relativeWeightCases: [Int: Int] = [:]
    /// Per factor (as `reliability`), the ICC's groups: each own unit's scored respondents and the sum and sum of
    /// squares of their centered person-level scores. Kept until `withhold(as:minimum:)` has chosen the groups the
    /// report may use, then emptied.
    public var iccGroupSums: [[ICCGroupSums]] = []
    /// The instrument's engagement factor (index into `Instrument.factors`), which the drivers are correlated with.
    public var engagementFactor: Int?

    public init(agreement: [FactorAgreement] = [], reliability: [FactorReliability] = [], drivers: [ItemDriver] = [],
                driverMinimum: Int = SurveyStatisticsResult.defaultDriverMinimum) {
        self.agreement = agreement
        self.reliability = reliability
        self.drivers = drivers
        self.driverMinimum = driverMinimum
    }
}

/// One ICC group (a unit's own respondents) of one factor: what the ICC needs of it.
public struct ICCGroupSums: Sendable, Hashable {
    public var unitIndex: Int32
    public var respondents: Int32
    public var sum: Double
    public var squares: Double

    public init(unitIndex: Int32, respondents: Int32, sum: Double, squares: Double) {
        self.unitIndex = unitIndex
        self.respondents = respondents
        self.sum = sum
        self.squares = squares
    }
}

/// rwg(j) of one factor in one unit's subtree.
public struct FactorAgreement: Sendable, Hashable {
    public var unitIndex: Int
    /// Index into `Instrument.factors`.
    public var factorIndex: Int
    /// nil when not defined (no item with two answers, mixed scales).
    public var rwg: Double?
    /// Respondents of the subtree with at least one answered item of the factor.
    public var respondents: Int
    /// Items that entered the mean variance (J): those with at least two answers.
    public var items: Int

    public init(unitIndex: Int, factorIndex: Int, rwg: Double?, respondents: Int, items: Int) {
        self.unitIndex = unitIndex
        self.factorIndex = factorIndex
        self.rwg = rwg
        self.respondents = respondents
        self.items = items
    }

    /// Below 0.70; nil when rwg(j) is not defined.
    public var lowAgreement: Bool? { rwg.map { $0 < SurveyStatisticsResult.lowAgreementThreshold } }
}

/// Organisation-wide reliability of one factor.
public struct FactorReliability: Sendable, Hashable {
    /// Index into `Instrument.factors`.
    public var factorIndex: Int
    /// Items of the factor (k of alpha).
    public var itemCount: Int
    /// Cronbach's alpha over complete cases; nil for a single-item factor or when not defined.
    public var alpha: Double?
    /// Complete cases: respondents who answered every item of the factor.
    public var alphaRespondents: Int
    /// ICC(1) and ICC(2) of person-level scores grouped by the respondent's own unit; nil when not defined.
    public var icc1: Double?
    public var icc2: Double?
    /// Respondents with a person-level score, and the units (groups) they fall in.
    public var iccRespondents: Int
    public var iccGroups: Int

    public init(factorIndex: Int, itemCount: Int, alpha: Double?, alphaRespondents: Int, icc1: Double?, icc2: Double?,
                iccRespondents: Int, iccGroups: Int) {
        self.factorIndex = factorIndex
        self.itemCount = itemCount
        self.alpha = alpha
        self.alphaRespondents = alphaRespondents
        self.icc1 = icc1
        self.icc2 = icc2
        self.iccRespondents = iccRespondents
        self.iccGroups = iccGroups
    }

    /// Alpha below 0.70; nil when alpha is not defined.
    public var lowAlpha: Bool? { alpha.map { $0 < SurveyStatisticsResult.lowReliabilityThreshold } }
}

/// One driver item in one group (a unit's subtree).
public struct ItemDriver: Sendable, Hashable {
    public var unitIndex: Int
    /// Index into `Instrument.items`.
    public var itemIndex: Int
    /// Respondents who answered the item and have an engagement score (pairwise complete).
    public var pairs: Int
    /// Pearson r of the item (reverse-scored) with the engagement score; nil when not defined.
    public var correlation: Double?
    /// The item's % favorable in the group; nil when nobody answered it.
    public var favorablePercent: Double?
    /// One of the group's (at most five) priorities.
    public var priority: Bool
    /// Johnson's (2000) relative weight (raw: the item's share of R², weights sum to R²) when
    /// `metrics: { relative_weights: true }`; nil when not requested or not defined.
    public var relativeWeight: Double?

    public init(unitIndex: Int, itemIndex: Int, pairs: Int, correlation: Double?, favorablePercent: Double?, priority: Bool,
                relativeWeight: Double? = nil) {
        self.relativeWeight = relativeWeight
        self.unitIndex = unitIndex
        self.itemIndex = itemIndex
        self.pairs = pairs
        self.correlation = correlation
        self.favorablePercent = favorablePercent
        self.priority = priority
    }
}
