import LeanPulseCore

/// The exports of every factor's figures, the changes and the trends (METRICS.md 5):
/// `factor_scores.csv` (long format: one row per shown unit x factor), `trends.csv` (one row per unit x
/// stored period) and `correlations.csv` (across units, with n). Suppressed units have no factor rows and
/// blank survey values in their trend rows (METRICS.md 6), checked here again whatever Compute passed.
extension ReportWriter {
    static let factorScoreColumns = [
        "period", "team_id", "factor_id", "respondents", "favorable", "favorable_low", "favorable_high",
        "score", "score_low", "score_high", "previous_period", "change", "difference", "t", "df", "p_value",
        "p_adjusted", "trend_break",
    ]
    static let trendColumns = [
        "period", "team_id", "respondents", "engagement_index", "enps", "balance_index", "ideas_implemented",
        "engagement_trend_break", "suppressed",
    ]
    static let correlationColumns = ["period", "x", "y", "scope", "r", "n"]

    /// Written when Compute supplied them (a pipeline run always does; a hand-built `ReportInput` may not).
    static func writeHistoryCSVs(_ input: ReportInput, to folder: OutputFolder) throws(RenderError) {
        let m = input.metrics
        guard !m.factorScores.isEmpty || !m.trends.isEmpty || !m.correlations.isEmpty else { return }
        try folder.writeCSV(header: factorScoreColumns, to: "factor_scores.csv") { factorScoreRows(input, into: &$0) }
        try folder.writeCSV(header: trendColumns, to: "trends.csv") { trendRows(input, into: &$0) }
        try folder.write(correlationsCSV(input), to: "correlations.csv")
    }

    /// Every factor of every shown unit: % favorable and score with 95% intervals, and the change against
    /// `previous_period` (blank when there is none or the unit was not shown then; `trend_break` true when
    /// the factor's items changed: no change then).
    static func factorScoreRows(_ input: ReportInput, into table: inout CSVTable) {
        let period = CSVCell.text(input.metrics.period.description)
        let factors = input.instrument.factors
        let units = input.metrics.units
        let previous = input.metrics.comparison?.previous.description
        for s in input.metrics.factorScores where s.unitIndex >= 0 && s.unitIndex < units.count
            && !units[s.unitIndex].isSuppressed && s.factorIndex < factors.count {
            let c = s.change
            table.append([
                period, .text(units[s.unitIndex].teamId), .text(factors[s.factorIndex].id), .int(s.respondents),
                .double(s.favorable?.value), .double(s.favorable?.low), .double(s.favorable?.high),
                .double(s.score?.value), .double(s.score?.low), .double(s.score?.high),
                .text(c == nil ? nil : previous), .text(c?.label), .double(c?.difference), .double(c?.t),
                .double(c?.degreesOfFreedom), .double(c?.p), .double(c?.pAdjusted), .bool(c.map(\.trendBreak)),
            ])
        }
    }

    /// One row per unit and stored period (oldest first), on this period's organisation.
    static func trendRows(_ input: ReportInput, into table: inout CSVTable) {
        let units = input.metrics.units
        for trend in input.metrics.trends where trend.unitIndex >= 0 && trend.unitIndex < units.count {
            for p in trend.points {
                // This period's point follows this period's suppression, whatever the trend says.
                let hidden = p.suppressed != nil || (p.period == input.metrics.period && units[trend.unitIndex].isSuppressed)
                table.append([
                    .text(p.period.description), .text(trend.teamId), .int(hidden ? nil : p.respondents),
                    .double(hidden ? nil : p.engagementIndex), .double(hidden ? nil : p.enps),
                    .double(hidden ? nil : p.balanceIndex), .int(p.ideasImplemented), .bool(p.engagementTrendBreak),
                    .text(p.suppressed?.rawValue ?? (hidden ? "suppressed" : nil)),
                ])
            }
        }
    }

    static func correlationsCSV(_ input: ReportInput) -> String {
        var table = CSVTable(header: correlationColumns)
        let period = CSVCell.text(input.metrics.period.description)
        for c in input.metrics.correlations {
            table.append([period, .text(c.x), .text(c.y), .text(c.scope), .double(c.r), .int(c.n)])
        }
        return table.text
    }
}
