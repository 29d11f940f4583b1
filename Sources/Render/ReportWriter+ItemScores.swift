import LeanPulseCore

extension ReportWriter {
    static let itemScoreColumns = [
        "period", "team_id", "factor_id", "item_id", "answered", "favorable_pct", "favorable_pct_low", "favorable_pct_high",
    ]

    /// `item_scores.csv`: item % favorable with its Wilson 95% interval, per shown unit (whole subtree)
    /// and answered item; suppressed units have no rows (METRICS.md 6).
    static func itemScoreRows(_ input: ReportInput, into table: inout CSVTable) {
        guard let scores = input.metrics.itemScores else { return }
        let items = input.instrument.items
        // The text cells are encoded once (per report, per item, per unit), and one row array is refilled: at 1M
        // employees this file has 3.8M rows, and the longest of the exports kept the other core waiting.
        let factorCells = input.instrument.firstFactorOfItem.map { CSVCell.text($0?.id) }
        let itemCells = items.map { CSVCell.text($0.id) }
        var row = [CSVCell](repeating: .blank, count: itemScoreColumns.count)
        row[0] = .text(input.metrics.period.description)
        for unit in input.metrics.units where !unit.isSuppressed {
            row[1] = .text(unit.teamId)
            for i in 0..<min(scores.itemCount, items.count) {
                let k = unit.unitIndex * scores.itemCount + i
                guard k < scores.answered.count, scores.answered[k] > 0 else { continue }
                row[2] = factorCells[i]
                row[3] = itemCells[i]
                row[4] = .int(Int(scores.answered[k]))
                row[5] = .double(scores.favorablePercent[k])
                row[6] = .double(scores.low[k])
                row[7] = .double(scores.high[k])
                table.append(row)
            }
        }
    }
}
