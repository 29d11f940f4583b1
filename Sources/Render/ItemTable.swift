import LeanPulseCore

/// Every item's % favourable for one unit with its Wilson 95% interval (item_scores.csv), grouped by the
/// factor that first lists it; nothing for a suppressed unit.
struct ItemTable {
    struct Row {
        var factor: String
        var itemId: String
        var text: String
        var answered: Int
        var favorable: String
        var interval: String
    }

    var rows: [Row]

    /// `factorOfItem`: the name of each item's first factor (`Instrument.firstFactorOfItem`), made once per report.
    init?(_ u: UnitMetrics, input: ReportInput, factorOfItem: [String?]) {
        guard !u.isSuppressed, let scores = input.metrics.itemScores else { return nil }
        let items = input.instrument.items
        var rows: [Row] = []
        rows.reserveCapacity(min(scores.itemCount, items.count))
        for i in 0..<min(scores.itemCount, items.count) {
            let k = u.unitIndex * scores.itemCount + i
            guard k >= 0, k < scores.answered.count, scores.answered[k] > 0 else { continue }
            rows.append(Row(factor: factorOfItem[i] ?? "", itemId: items[i].id, text: items[i].text, answered: Int(scores.answered[k]),
                            favorable: FigureFormatter.whole(scores.favorablePercent[k]),
                            interval: FigureFormatter.wholeRange(scores.low[k], scores.high[k])))
        }
        guard !rows.isEmpty else { return nil }
        self.rows = rows
    }
}

extension ItemTable: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .rows: .init(rows)
        default: .missing
        }
    }
}

extension ItemTable.Row: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .factor: .init(factor)
        case .itemId: .init(itemId)
        case .text: .init(text)
        case .answered: .init(answered)
        case .favorable: .init(favorable)
        case .interval: .init(interval)
        default: .missing
        }
    }
}
