import LeanPulseCore
import Mustache

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

    init?(_ u: UnitMetrics, input: ReportInput) {
        guard !u.isSuppressed, let scores = input.metrics.itemScores else { return nil }
        let items = input.instrument.items
        let factorOfItem = input.instrument.firstFactorOfItem.map { $0?.name }
        var rows: [Row] = []
        for i in 0..<min(scores.itemCount, items.count) {
            let k = u.unitIndex * scores.itemCount + i
            guard k >= 0, k < scores.answered.count, scores.answered[k] > 0 else { continue }
            rows.append(Row(factor: factorOfItem[i] ?? "", itemId: items[i].id, text: items[i].text, answered: Int(scores.answered[k]),
                            favorable: FigureFormatter.whole(scores.favorablePercent[k]),
                            interval: "\(FigureFormatter.whole(scores.low[k]))\u{2013}\(FigureFormatter.whole(scores.high[k]))"))
        }
        guard !rows.isEmpty else { return nil }
        self.rows = rows
    }
}

extension ItemTable: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "rows": rows
        default: nil
        }
    }
}

extension ItemTable.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "factor": factor
        case "itemId": itemId
        case "text": text
        case "answered": answered
        case "favorable": favorable
        case "interval": interval
        default: nil
        }
    }
}
