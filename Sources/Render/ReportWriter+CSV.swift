import LeanPulseCore

/// The CSV exports (DESIGN.md "Outputs"): column names and order are a contract.
extension ReportWriter {
    static let teamMetricsColumns = [
        "period", "team_id", "team_name", "parent_id", "respondents", "headcount", "response_rate",
        "engagement_index", "engagement_index_low", "engagement_index_high", "engagement_score", "enps",
        "alignment", "autonomy", "accountability", "balance_index", "balance_gap", "quadrant", "borderline",
        "ideas_submitted", "ideas_implemented", "ideas_rejected", "implementation_rate",
        "ideas_per_person_year", "cycle_time_p50", "cycle_time_p85", "cycle_time_p95", "wip", "age_p85",
        "goal_attainment", "engagement_change", "suppressed", "hidden_figures", "participation",
    ]
    static let dataQualityColumns = ["source", "file", "line", "column", "severity", "code", "message"]
    static let suppressionLogColumns = ["period", "team_id", "team_name", "reason", "protects", "detail"]
    static let improvementFlowColumns = ["period", "team_id", "iso_week", "implemented"]

    /// One row per unit in unit order. A suppressed unit's survey values and respondent count are blank
    /// (METRICS.md 6) whatever Compute passed; its idea and goal figures stay.
    /// `hidden_figures` (after the contract's columns): the figures a shown unit withholds on their own people (METRICS.md 6
    /// per figure, DECISIONS 39), as factor ids and `enps`, separated by `;`, so that a blank reads as hidden, not undefined.
    /// `participation` (after it): METRICS.md 3, distinct submitters of the period's ideas over the headcount, in %;
    /// blank without a submitter column or a headcount.
    static func teamMetricsRows(_ input: ReportInput, into table: inout CSVTable) {
        let period = CSVCell.text(input.metrics.period.description)
        let factorIds = input.instrument.factors.map(\.id)
        for u in input.metrics.units {
            let s = SurveyView(u)
            var hidden: String?
            if u.suppression == nil, !u.hiddenFactors.isEmpty || u.enpsHidden {
                var ids = u.hiddenFactors.sorted().compactMap { $0 < factorIds.count ? factorIds[$0] : nil }
                if u.enpsHidden && !ids.contains("enps") { ids.append("enps") }
                hidden = ids.joined(separator: ";")
            }
            table.append([
                period,
                .text(u.teamId),
                .text(u.teamName),
                .text(u.parentId),
                .int(s.respondents),
                .int(u.headcount),
                .double(s.responseRate),
                .double(s.engagementIndex?.value),
                .double(s.engagementIndex?.low),
                .double(s.engagementIndex?.high),
                .double(s.engagementScore),
                .double(s.enps),
                .double(s.alignment),
                .double(s.autonomy?.value),
                .double(s.accountability?.value),
                .double(s.balanceIndex),
                .double(s.balanceGap),
                .text(s.quadrant?.rawValue),
                .bool(s.borderline),
                .int(u.ideasSubmitted),
                .int(u.ideasImplemented),
                .int(u.ideasRejected),
                .double(u.implementationRate),
                .double(u.ideasPerPersonYear),
                .double(u.cycleTimeP50),
                .double(u.cycleTimeP85),
                .double(u.cycleTimeP95),
                .int(u.wip),
                .double(u.ageP85),
                .double(u.goalAttainment),
                .text(s.engagementChange),
                .text(u.suppression?.rawValue),
                .text(hidden),
                .double(u.participation),
            ])
        }
    }

    /// Every finding, in the order given; line and column blank when unknown (0).
    static func dataQualityCSV(_ input: ReportInput) -> String {
        var table = CSVTable(header: dataQualityColumns)
        for f in input.findings {
            table.append([
                .text(f.source),
                .text(f.location.file),
                .int(f.location.line > 0 ? f.location.line : nil),
                .int(f.location.column > 0 ? f.location.column : nil),
                .text(f.severity.rawValue),
                .text(f.code),
                .text(f.message),
            ])
        }
        return table.text
    }

    static func suppressionLogCSV(_ input: ReportInput, tree: UnitTree) -> String {
        var table = CSVTable(header: suppressionLogColumns)
        let period = CSVCell.text(input.metrics.period.description)
        for e in input.metrics.suppressions {
            let name = tree.positionById[e.teamId].map { tree.units[$0].teamName }
            table.append([period, .text(e.teamId), .text(name), .text(e.reason.rawValue), .text(e.protects), .text(e.detail)])
        }
        return table.text
    }

    /// Weekly implemented ideas per unit subtree, ordered by unit then ISO week; `iso_week` as `2026-W27`.
    /// One row per unit (tree order) and ISO week of the period (`ThroughputChart.weeklyGrid`), a week without
    /// implemented ideas included as 0, so that a mean or a chart over the rows counts every week.
    static func improvementFlowRows(_ input: ReportInput, tree: UnitTree, into table: inout CSVTable) {
        let period = CSVCell.text(input.metrics.period.description)
        let (weeks, counts) = ThroughputChart.weeklyGrid(input.metrics, tree: tree)
        let labels = weeks.map { CSVCell.text($0.text) }
        for pos in tree.units.indices {
            let teamId = CSVCell.text(tree.units[pos].teamId)
            let unitCounts = counts[pos]
            for (w, week) in weeks.enumerated() {
                table.append([period, teamId, labels[w], .int(unitCounts?[week.key] ?? 0)])
            }
        }
    }

    static func isoWeekText(year: Int, week: Int) -> String {
        "\(year)-W" + (week < 10 ? "0\(week)" : "\(week)")
    }
}

/// A unit's survey figures as they may be shown: all nil when the unit is suppressed.
struct SurveyView {
    var respondents: Int?
    var responseRate: Double?
    var engagementIndex: Estimate?
    var engagementScore: Double?
    var enps: Double?
    var alignment: Double?
    var autonomy: Estimate?
    var accountability: Estimate?
    var balanceIndex: Double?
    var balanceGap: Double?
    var quadrant: Quadrant?
    var borderline: Bool?
    var engagementChange: String?

    init(_ u: UnitMetrics) {
        guard !u.isSuppressed else { return }
        respondents = u.respondents
        responseRate = u.responseRate
        engagementIndex = u.engagementIndex
        engagementScore = u.engagementScore
        enps = u.enps
        alignment = u.alignment
        autonomy = u.autonomy
        accountability = u.accountability
        balanceIndex = u.balanceIndex
        balanceGap = u.balanceGap
        quadrant = u.quadrant
        borderline = u.borderline
        engagementChange = u.engagementChange
    }
}
