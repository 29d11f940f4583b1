import LeanPulseCore

/// Every item's % favourable for one unit with its Wilson 95% interval (item_scores.csv), grouped by the
/// factor that first lists it; nothing for a suppressed unit.
struct ItemTable {
    struct Row {
        var factor: String
        var itemId: String
        var text: String
        /// The number of answers, or why there is no figure (an item hidden at question level, or not answered).
        var answered: String
        var favorable: String
        var interval: String
    }

    var rows: [Row]
    var minRespondents: Int

    init(rows: [Row], minRespondents: Int) {
        self.rows = rows
        self.minRespondents = minRespondents
    }

    /// `factorOfItem`: the name of each item's first factor (`Instrument.firstFactorOfItem`), made once per report.
    init?(_ u: UnitMetrics, input: ReportInput, factorOfItem: [String?]) {
        guard !u.isSuppressed, let scores = input.metrics.itemScores else { return nil }
        let items = input.instrument.items
        var rows: [Row] = []
        rows.reserveCapacity(min(scores.itemCount, items.count))
        for i in 0..<min(scores.itemCount, items.count) {
            let k = u.unitIndex * scores.itemCount + i
            guard k >= 0, k < scores.answered.count else { continue }
            guard scores.answered[k] > 0 else {
                // Question level (METRICS.md 6 on the item's answers): fewer than the minimum, or hidden so that a
                // subtraction cannot single them out; an item nobody answered reads the same.
                rows.append(Row(factor: factorOfItem[i] ?? "", itemId: items[i].id, text: items[i].text,
                                answered: "hidden", favorable: "—", interval: ""))
                continue
            }
            rows.append(Row(factor: factorOfItem[i] ?? "", itemId: items[i].id, text: items[i].text, answered: String(scores.answered[k]),
                            favorable: FigureFormatter.whole(scores.favorablePercent[k]),
                            interval: FigureFormatter.wholeRange(scores.low[k], scores.high[k])))
        }
        guard rows.contains(where: { $0.answered != "hidden" }) else { return nil }
        self.rows = rows
        minRespondents = input.settings.minRespondents
    }
}

extension ItemTable: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .rows: .init(rows)
        case .minRespondents: .init(minRespondents)
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
