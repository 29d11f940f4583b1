import LeanPulseCore

extension ReportWriter {
    static let itemScoreColumns = [
        "period", "team_id", "factor_id", "item_id", "answered", "favorable_pct", "favorable_pct_low", "favorable_pct_high",
    ]

    /// `item_scores.csv`: item % favorable with its Wilson 95% interval, per shown unit (whole subtree)
    /// and answered item; suppressed units have no rows (METRICS.md 6).
    static func itemScoreRows(_ input: ReportInput, into table: inout CSVTable) {
        guard let scores = input.metrics.itemScores else { return }
        let period = CSVCell.text(input.metrics.period.description)
        let items = input.instrument.items
        let factorOfItem = input.instrument.firstFactorOfItem.map { $0?.id }
        for unit in input.metrics.units where !unit.isSuppressed {
            for i in 0..<min(scores.itemCount, items.count) {
                let k = unit.unitIndex * scores.itemCount + i
                guard k < scores.answered.count, scores.answered[k] > 0 else { continue }
                table.append([period, .text(unit.teamId), .text(factorOfItem[i]), .text(items[i].id), .int(Int(scores.answered[k])),
                              .double(scores.favorablePercent[k]), .double(scores.low[k]), .double(scores.high[k])])
            }
        }
    }
}
