/// Compute -> Render: every factor's figures per unit with intervals and the change against the previous
/// stored period (METRICS.md 5), for the heatmap (units x factors) and `factor_scores.csv`.
///
/// Confidentiality (METRICS.md 6) is applied by Compute: only units shown (not suppressed) in this
/// period have entries, and a change is given only when the unit is shown in both periods
/// (see `PeriodComparison` for the cross-period rule). Render checks again.
public struct FactorScore: Sendable, Hashable {
    /// Index into `PeriodMetrics.units` / `Organization`.
    public var unitIndex: Int
    /// Index into `Instrument.factors`.
    public var factorIndex: Int
    /// Respondents of the subtree with at least one answered item of the factor (the `n` of the interval).
    public var respondents: Int
    /// Factor % favorable (0-100, the pipeline's `favorable_aggregation`) with the 95% interval from
    /// person-level favorable shares and the finite-population correction; nil when no item was answered.
    public var favorable: Estimate?
    /// Factor score (0-100) with the 95% interval from person-level mean normalized scores.
    public var score: Estimate?
    /// The change of the person-level favorable share against `PeriodMetrics.comparison?.previous`.
    public var change: FactorChange?

    public init(unitIndex: Int, factorIndex: Int, respondents: Int, favorable: Estimate?, score: Estimate?,
                change: FactorChange? = nil) {
        self.unitIndex = unitIndex
        self.factorIndex = factorIndex
        self.respondents = respondents
        self.favorable = favorable
        self.score = score
        self.change = change
    }
}

/// One heatmap cell's change against the previous stored period.
public struct FactorChange: Sendable, Hashable {
    /// `up`, `down` or `no clear change` (METRICS.md 5); nil when not compared (`trendBreak`, or no test
    /// was possible: fewer than 2 person-level values on a side, or no variance on either side).
    public var label: String?
    /// Difference of the person-level mean favorable share (now minus before, percentage points).
    public var difference: Double?
    /// Welch's t, its degrees of freedom, the two-sided p-value and the Benjamini-Hochberg adjusted p-value
    /// (one family: every tested cell of the period's heatmap, all factors, engagement included).
    public var t: Double?
    public var degreesOfFreedom: Double?
    public var p: Double?
    public var pAdjusted: Double?
    /// The factor's items (id and text hash) differ between the periods: flagged, not compared.
    public var trendBreak: Bool

    public init(label: String? = nil, difference: Double? = nil, t: Double? = nil, degreesOfFreedom: Double? = nil,
                p: Double? = nil, pAdjusted: Double? = nil, trendBreak: Bool = false) {
        self.label = label
        self.difference = difference
        self.t = t
        self.degreesOfFreedom = degreesOfFreedom
        self.p = p
        self.pAdjusted = pAdjusted
        self.trendBreak = trendBreak
    }
}

/// Which earlier period the changes compare against, and what the comparison left out.
public struct PeriodComparisonSummary: Sendable, Hashable {
    /// The latest earlier stored period with survey responses.
    public var previous: Period
    /// Factor indexes whose items changed (id or text) between `previous` and this period: no change shown.
    public var trendBreakFactors: [Int]
    /// Cells in the Benjamini-Hochberg family.
    public var testedCells: Int

    public init(previous: Period, trendBreakFactors: [Int], testedCells: Int) {
        self.previous = previous
        self.trendBreakFactors = trendBreakFactors
        self.testedCells = testedCells
    }
}

/// Compute -> Render: one unit's headline figures in every stored period, oldest first (the trend lines).
public struct UnitTrend: Sendable, Hashable {
    /// Index into `PeriodMetrics.units` (this period's organisation).
    public var unitIndex: Int
    public var teamId: String
    /// One point per stored period up to and including this one.
    public var points: [TrendPoint]

    public init(unitIndex: Int, teamId: String, points: [TrendPoint]) {
        self.unitIndex = unitIndex
        self.teamId = teamId
        self.points = points
    }
}

/// A unit's figures in one period, on this period's organisation (earlier team ids mapped by `team_map`).
///
/// Survey fields are nil when the unit was suppressed in that period (`suppressed` says why: the period's
/// own minimum-size and complementary rule, or `remapped`, see `TrendSuppression`); the idea count is
/// not an answer of people and is always given.
public struct TrendPoint: Sendable, Hashable {
    public var period: Period
    public var suppressed: TrendSuppression?
    /// Respondents of the subtree in that period; nil when suppressed.
    public var respondents: Int?
    public var engagementIndex: Double?
    public var enps: Double?
    public var balanceIndex: Double?
    /// Ideas implemented in that period (throughput).
    public var ideasImplemented: Int
    /// The engagement factor's items (id or text) differ from the previous point's period: the line breaks here.
    public var engagementTrendBreak: Bool

    public init(period: Period, suppressed: TrendSuppression?, respondents: Int?, engagementIndex: Double?, enps: Double?,
                balanceIndex: Double?, ideasImplemented: Int, engagementTrendBreak: Bool) {
        self.period = period
        self.suppressed = suppressed
        self.respondents = respondents
        self.engagementIndex = engagementIndex
        self.enps = enps
        self.balanceIndex = balanceIndex
        self.ideasImplemented = ideasImplemented
        self.engagementTrendBreak = engagementTrendBreak
    }
}

/// Why a unit's figures of an earlier period are withheld.
public enum TrendSuppression: String, Sendable, Hashable, Codable {
    /// The period's own suppression (METRICS.md 6) on this period's organisation.
    case belowMinimum = "below-minimum"
    case complementary
    /// `team_map` moved between 1 and `min_respondents - 1` respondents into or out of the unit's subtree:
    /// comparing with a report published before the reorganisation would single them out.
    case remapped
}

/// Goal attainment against engagement across units (METRICS.md 4), for `correlations.csv`.
public struct UnitCorrelation: Sendable, Hashable {
    public var x: String
    public var y: String
    /// Which units enter: `leaf-units` (shown leaves with both values).
    public var scope: String
    public var r: Double?
    public var n: Int

    public init(x: String, y: String, scope: String, r: Double?, n: Int) {
        self.x = x
        self.y = y
        self.scope = scope
        self.r = r
        self.n = n
    }
}

/// `team_map` of the pipeline file: earlier periods' team ids -> this period's (a reorganisation).
public struct TeamMap: Sendable, Hashable {
    /// Old id -> new id; ids not listed keep their id.
    public var entries: [String: String]

    public init(_ entries: [String: String] = [:]) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }
    public func map(_ id: String) -> String { entries[id] ?? id }
}

/// Store -> Compute: an earlier stored period as loaded, for changes and trends.
public struct StoredPeriod: Sendable {
    /// Responses (and the ideas log) loaded onto the loading organisation (`PeriodHistory.loadingOrganization`):
    /// this period's units plus every `team_map` old id that is not one of them.
    public var dataset: PeriodDataset
    /// Item id -> text hashes of the imports that hold the period's responses (`LeanPulseStore.itemTextHashes`).
    public var itemTextHashes: [String: Set<String>]
    /// The organisation the period's own report was computed on (the store's `org_units` of that period), nil when the
    /// store has none: what this report may show of the period is bounded by what that report showed.
    public var ownOrganization: Organization?
    /// Each unit's respondents (by team id) as the period's own report counted them, nil where not recorded: the
    /// store's rows of the period may have changed since (a re-import under a changed organisation file).
    public var ownRespondents: [String: Int]?
    /// The figures the period's own report withheld in each unit it showed (by team id): factor ids, and
    /// `StoredPeriod.enpsFigure` for the eNPS value; nil where not recorded (reports before store schema v7).
    public var ownHiddenFigures: [String: Set<String>]?

    /// The name under which a withheld eNPS value is recorded among a unit's hidden figures (no factor id starts with `#`).
    public static let enpsFigure = "#enps"

    /// What a report records as withheld inside a unit it shows (read back as `ownHiddenFigures`): the ids of its
    /// hidden factors, and `enpsFigure` when its eNPS value is hidden.
    public static func hiddenFigures(of unit: UnitMetrics, instrument: Instrument) -> [String] {
        unit.hiddenFactors.filter { $0 < instrument.factors.count }.map { instrument.factors[$0].id }
            + (unit.enpsHidden ? [enpsFigure] : [])
    }

    public init(dataset: PeriodDataset, itemTextHashes: [String: Set<String>], ownOrganization: Organization? = nil,
                ownRespondents: [String: Int]? = nil, ownHiddenFigures: [String: Set<String>]? = nil) {
        self.dataset = dataset
        self.itemTextHashes = itemTextHashes
        self.ownOrganization = ownOrganization
        self.ownRespondents = ownRespondents
        self.ownHiddenFigures = ownHiddenFigures
    }
}
