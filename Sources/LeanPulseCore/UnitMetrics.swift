/// Autonomy-accountability quadrant (METRICS.md 2).
public enum Quadrant: String, Sendable, Codable, CaseIterable {
    case sharedResponsibility = "shared-responsibility"
    case drifting
    case commandAndControl = "command-and-control"
    case disengaged
}

/// Why a unit's survey values are withheld (METRICS.md 6).
public enum SuppressionReason: String, Sendable, Codable {
    case belowMinimum = "below-minimum"
    case complementary
}

/// A value with its 95% interval (bounds nil when not defined).
public struct Estimate: Sendable, Hashable, Codable {
    public var value: Double
    public var low: Double?
    public var high: Double?

    public init(value: Double, low: Double? = nil, high: Double? = nil) {
        self.value = value
        self.low = low
        self.high = high
    }
}

/// Compute -> Render: one unit's figures for one period, covering its whole subtree.
/// Survey fields are nil when undefined *or suppressed*; `suppression` says which.
public struct UnitMetrics: Sendable, Hashable {
    public var unitIndex: Int
    public var teamId: String
    public var teamName: String
    public var parentId: String?
    public var depth: Int
    /// Respondents in the subtree; always set (Render must not show it when suppressed).
    public var respondents: Int
    public var headcount: Int?
    public var suppression: SuppressionReason?

    public var responseRate: Double?
    public var engagementIndex: Estimate?
    public var engagementScore: Double?
    public var enps: Double?
    public var alignment: Double?
    public var autonomy: Estimate?
    public var accountability: Estimate?
    public var balanceIndex: Double?
    public var balanceGap: Double?
    public var quadrant: Quadrant?
    public var borderline: Bool?
    /// Factor id -> % favorable, for every factor of the instrument.
    public var factorFavorable: [String: Double]
    /// Factor id -> score 0-100.
    public var factorScore: [String: Double]
    /// Change label of the engagement index against the previous period (`up`, `down`, `no clear change`).
    public var engagementChange: String?
    /// Factors (indexes into `Instrument.factors`) whose figures a shown unit withholds (METRICS.md 6 applied to the
    /// factor's own respondents and to its questions): fewer than the minimum answered them here, or a remainder by
    /// subtraction would be below it. Their fields above are nil.
    public var hiddenFactors: [Int] = []
    /// The eNPS withheld for the same reasons, on the people who answered the eNPS question.
    public var enpsHidden: Bool = false

    // Improvement and goals: not answers of people, never suppressed.
    public var ideasSubmitted: Int
    public var ideasImplemented: Int
    public var ideasRejected: Int
    public var implementationRate: Double?
    public var ideasPerPersonYear: Double?
    public var participation: Double?
    public var cycleTimeP50: Double?
    public var cycleTimeP85: Double?
    public var cycleTimeP95: Double?
    public var wip: Int
    public var ageP85: Double?
    public var goalAttainment: Double?
    public var goalCount: Int

    public init(unitIndex: Int, teamId: String, teamName: String, parentId: String?, depth: Int) {
        self.unitIndex = unitIndex
        self.teamId = teamId
        self.teamName = teamName
        self.parentId = parentId
        self.depth = depth
        self.respondents = 0
        self.factorFavorable = [:]
        self.factorScore = [:]
        self.ideasSubmitted = 0
        self.ideasImplemented = 0
        self.ideasRejected = 0
        self.wip = 0
        self.goalCount = 0
    }

    public var isSuppressed: Bool { suppression != nil }
}

/// One line of the suppression log.
public struct SuppressionEntry: Sendable, Hashable, Codable {
    public var teamId: String
    public var reason: SuppressionReason
    /// For `complementary`: the parent whose remainder it protects.
    public var protects: String?
    /// Why, in words (no respondent count of the suppressed unit).
    public var detail: String

    public init(teamId: String, reason: SuppressionReason, protects: String?, detail: String) {
        self.teamId = teamId
        self.reason = reason
        self.protects = protects
        self.detail = detail
    }
}

/// Compute -> Render: the period's results.
public struct PeriodMetrics: Sendable {
    public var period: Period
    /// One entry per unit, in `Organization` index order (ascending team id).
    public var units: [UnitMetrics]
    public var suppressions: [SuppressionEntry]
    /// Weekly implemented ideas per unit subtree: (unit index, ISO year, ISO week, count), for the run chart.
    public var weeklyThroughput: [(unit: Int, isoYear: Int, isoWeek: Int, implemented: Int)]
    /// Pearson r between engagement index and goal attainment across unsuppressed units with both, and its n.
    public var engagementGoalCorrelation: (r: Double, n: Int)?
    /// Item % favorable with Wilson intervals per unit (blank for suppressed units).
    public var itemScores: ItemScoreTable?
    /// rwg(j), reliability and key drivers (METRICS.md 5); nil when not computed.
    public var statistics: SurveyStatisticsResult?
    /// Every factor's % favorable and score with intervals, and its change, per shown unit (unit order, then
    /// factor order). Empty when not computed.
    public var factorScores: [FactorScore] = []
    /// The earlier period the changes compare against; nil when there is none (or no responses now).
    public var comparison: PeriodComparisonSummary?
    /// Per unit (unit order) its points in every stored period up to this one; empty when not computed.
    public var trends: [UnitTrend] = []
    /// Correlations across units (METRICS.md 4: engagement index x goal attainment, with n).
    public var correlations: [UnitCorrelation] = []

    public init(period: Period, units: [UnitMetrics], suppressions: [SuppressionEntry],
                weeklyThroughput: [(unit: Int, isoYear: Int, isoWeek: Int, implemented: Int)] = [],
                engagementGoalCorrelation: (r: Double, n: Int)? = nil) {
        self.period = period
        self.units = units
        self.suppressions = suppressions
        self.weeklyThroughput = weeklyThroughput
        self.engagementGoalCorrelation = engagementGoalCorrelation
    }
}
