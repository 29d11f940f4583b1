import LeanPulseCore

/// The organisation-wide reliability of each factor (METRICS.md 5): Cronbach's alpha (flagged below 0.70),
/// ICC(1) and ICC(2). Compute withholds them when a root unit is suppressed; then there is no table.
struct ReliabilityTable {
    struct Row {
        var factor: String
        var alpha: String
        var lowAlpha: Bool
        var alphaCases: String
        var icc1: String
        var icc2: String
        var iccRespondents: String
    }

    var rows: [Row]

    /// nil when Compute made no reliability figure.
    init?(_ statistics: SurveyStatisticsResult?, instrument: Instrument) {
        let factors = instrument.factors
        let dash = "\u{2014}"
        func two(_ v: Double?) -> String { v.map { FigureFormatter.minusSign(NumberText.fixed($0, decimals: 2)) } ?? dash }
        rows = (statistics?.reliability ?? []).filter { factors.indices.contains($0.factorIndex) }.map { r in
            Row(factor: factors[r.factorIndex].name, alpha: r.itemCount >= 2 ? two(r.alpha) : dash, lowAlpha: r.lowAlpha == true,
                alphaCases: r.itemCount >= 2 ? String(r.alphaRespondents) : dash, icc1: two(r.icc1), icc2: two(r.icc2),
                iccRespondents: String(r.iccRespondents))
        }
        if rows.isEmpty { return nil }
    }
}

extension ReliabilityTable: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .rows: .init(rows)
        default: .missing
        }
    }
}

extension ReliabilityTable.Row: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .factor: .init(factor)
        case .alpha: .init(alpha)
        case .lowAlpha: .init(lowAlpha)
        case .alphaCases: .init(alphaCases)
        case .icc1: .init(icc1)
        case .icc2: .init(icc2)
        case .iccRespondents: .init(iccRespondents)
        default: .missing
        }
    }
}
