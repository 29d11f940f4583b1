import LeanPulseCore

/// The statistics exports (METRICS.md 5): `agreement.csv`, `reliability.csv`, `drivers.csv`. Written
/// only when Compute supplied `PeriodMetrics.statistics`. Suppressed units have no rows (METRICS.md 6),
/// checked here again whatever Compute passed.
extension ReportWriter {
    static let agreementColumns = ["period", "team_id", "factor_id", "rwg_j", "respondents", "low_agreement"]
    static let reliabilityColumns = ["period", "factor_id", "scope", "statistic", "value", "n", "flag"]
    static let driverColumns = [
        "period", "team_id", "item_id", "factor_id", "respondents_pairs", "correlation", "favorable_pct", "priority",
        "relative_weight",
    ]

    /// Writes the three files into `folder` when the statistics were computed (the factor scores, trends and
    /// correlations: `writeHistoryCSVs`).
    static func writeStatisticsCSVs(_ input: ReportInput, to folder: OutputFolder) throws(RenderError) {
        guard let statistics = input.metrics.statistics else { return }
        try folder.write(agreementCSV(input, statistics), to: "agreement.csv")
        try folder.write(reliabilityCSV(input, statistics), to: "reliability.csv")
        try folder.write(driversCSV(input, statistics), to: "drivers.csv")
    }

    /// Whether unit `u`'s survey statistics may be shown: it exists and is not suppressed.
    private static func shown(_ input: ReportInput, _ u: Int) -> Bool {
        u >= 0 && u < input.metrics.units.count && !input.metrics.units[u].isSuppressed
    }

    /// rwg(j) per shown unit (whole subtree) and factor; blank rwg_j when not defined.
    static func agreementCSV(_ input: ReportInput, _ statistics: SurveyStatisticsResult) -> String {
        var table = CSVTable(header: agreementColumns)
        let period = CSVCell.text(input.metrics.period.description)
        let factors = input.instrument.factors
        for a in statistics.agreement where shown(input, a.unitIndex) && a.factorIndex < factors.count {
            table.append([period, .text(input.metrics.units[a.unitIndex].teamId), .text(factors[a.factorIndex].id),
                          .double(a.rwg), .int(a.respondents), .bool(a.lowAgreement)])
        }
        return table.text
    }

    /// Organisation-wide alpha (factors of two or more items), ICC(1) and ICC(2) per factor.
    static func reliabilityCSV(_ input: ReportInput, _ statistics: SurveyStatisticsResult) -> String {
        var table = CSVTable(header: reliabilityColumns)
        let period = CSVCell.text(input.metrics.period.description)
        let factors = input.instrument.factors
        let scope = CSVCell.text("organisation")
        for r in statistics.reliability where r.factorIndex < factors.count {
            let factor = CSVCell.text(factors[r.factorIndex].id)
            if r.itemCount >= 2 {
                table.append([period, factor, scope, .text("cronbach_alpha"), .double(r.alpha), .int(r.alphaRespondents),
                              .text(r.lowAlpha == true ? "low" : nil)])
            }
            table.append([period, factor, scope, .text("icc1"), .double(r.icc1), .int(r.iccRespondents), .blank])
            table.append([period, factor, scope, .text("icc2"), .double(r.icc2), .int(r.iccRespondents), .blank])
        }
        return table.text
    }

    /// Driver correlations, priorities and (when requested) raw relative weights per shown group of at least `driverMinimum` respondents.
    static func driversCSV(_ input: ReportInput, _ statistics: SurveyStatisticsResult) -> String {
        var table = CSVTable(header: driverColumns)
        let period = CSVCell.text(input.metrics.period.description)
        let items = input.instrument.items
        let factorOfItem = input.instrument.firstFactorOfItem.map { $0?.id }
        for d in statistics.drivers where shown(input, d.unitIndex) && d.itemIndex < items.count
            && input.metrics.units[d.unitIndex].respondents >= statistics.driverMinimum {
            table.append([period, .text(input.metrics.units[d.unitIndex].teamId), .text(items[d.itemIndex].id),
                          .text(factorOfItem[d.itemIndex]), .int(d.pairs), .double(d.correlation),
                          .double(d.favorablePercent), .bool(d.priority), .double(d.relativeWeight)])
        }
        return table.text
    }
}
