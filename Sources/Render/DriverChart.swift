import LeanPulseCore

/// Key drivers (METRICS.md 5) of one group: each driver item's impact (Pearson r with the engagement
/// score) against its score (% favourable); the group's priorities (high impact, low score) highlighted.
struct DriverChart {
    struct Dot {
        var x: String
        var y: String
        var labelX: String
        var labelY: String
        var itemId: String
        var text: String
        var impact: String
        var score: String
        var pairs: Int
        var priority: Bool
        /// Johnson's relative weight (share of R², METRICS.md 5) when requested, "" otherwise.
        var weight: String
    }

    struct Tick { var pos: String; var label: String }

    static let width = 460.0, height = 300.0, left = 46.0, right = 12.0, top = 12.0, plotHeight = 236.0
    static let frame = PlotFrame(width: width, height: height, left: left, right: right, top: top, plotHeight: plotHeight)

    var dots: [Dot]
    var xTicks: [Tick]
    var yTicks: [Tick]
    var strengthX: String
    var summary: String
    var respondentsNote: String
    /// Whether any item has a relative weight (the data table then has the column).
    var hasWeights: Bool

    /// `drivers` of one group; nil when none has both an impact and a score.
    init?(_ drivers: [ItemDriver], instrument: Instrument, threshold: Double) {
        let usable = drivers.filter { $0.correlation != nil && $0.favorablePercent != nil && instrument.items.indices.contains($0.itemIndex) }
        guard !usable.isEmpty else { return nil }
        let t = SVGNumber.text
        let rs = usable.map { $0.correlation! }, scores = usable.map { $0.favorablePercent! }
        // Zoomed to the data (drivers often sit close together), on round steps.
        let low = max(-1, min(0, ((rs.min() ?? 0) * 10).rounded(.down) / 10))
        let high = min(1, max(low + 0.1, ((rs.max() ?? 0.1) * 10).rounded(.up) / 10))
        let xLow = max(0, (((scores.min() ?? 0) - 5) / 10).rounded(.down) * 10)
        let xHigh = min(100, max(xLow + 20, (((scores.max() ?? 100) + 5) / 10).rounded(.up) * 10))
        let plotWidth = Self.width - Self.left - Self.right
        func x(_ v: Double) -> Double { Self.left + (min(max(v, xLow), xHigh) - xLow) / (xHigh - xLow) * plotWidth }
        func y(_ r: Double) -> Double { Self.top + (1 - (r - low) / (high - low)) * Self.plotHeight }
        var placed: [(Double, Double)] = []
        dots = usable.sorted { ($0.priority ? 0 : 1, -($0.correlation ?? 0)) < ($1.priority ? 0 : 1, -($1.correlation ?? 0)) }.map { d in
            let item = instrument.items[d.itemIndex]
            let px = x(d.favorablePercent!), py = y(d.correlation!)
            // Labels (priorities only) step down until they clear the ones already placed.
            var ly = py - 8
            if d.priority {
                while placed.contains(where: { abs($0.0 - (px + 7)) < 46 && abs($0.1 - ly) < 12 }) { ly += 12 }
                placed.append((px + 7, ly))
            }
            return Dot(x: t(px), y: t(py), labelX: t(px + 7), labelY: t(ly), itemId: item.id, text: item.text,
                       impact: NumberText.fixed(d.correlation!, decimals: 2), score: FigureFormatter.whole(d.favorablePercent!),
                       pairs: d.pairs, priority: d.priority, weight: d.relativeWeight.map { NumberText.fixed($0, decimals: 3) } ?? "")
        }
        let xStep = (xHigh - xLow) > 50 ? 25.0 : 10.0
        xTicks = stride(from: xLow, through: xHigh + 1e-9, by: xStep).map { Tick(pos: t(x($0)), label: NumberText.whole($0)) }
        var ys: [Tick] = []
        var r = low
        while r <= high + 1e-9 {
            ys.append(Tick(pos: t(y(r)), label: NumberText.fixed(r, decimals: 1)))
            r += (high - low) > 0.6 ? 0.2 : 0.1
        }
        yTicks = ys
        strengthX = (xLow...xHigh).contains(threshold) ? t(x(threshold)) : ""
        let priorities = dots.filter(\.priority).map(\.itemId)
        summary = "Key drivers: \(dots.count) items by impact (correlation with engagement) and score (% favourable)"
            + (priorities.isEmpty ? "" : "; priorities: " + priorities.joined(separator: ", "))
        hasWeights = dots.contains { !$0.weight.isEmpty }
        respondentsNote = "Impact is computed over \(usable.map(\.pairs).max() ?? 0) respondents at most (pairwise)."
    }
}

extension DriverChart: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .dots: .init(dots)
        case .xTicks: .init(xTicks)
        case .yTicks: .init(yTicks)
        case .strengthX: .init(strengthX)
        case .hasStrength: .init(!strengthX.isEmpty)
        case .summary: .init(summary)
        case .respondentsNote: .init(respondentsNote)
        case .hasWeights: .init(hasWeights)
        case .yTickX: .init(Self.yTickX)
        case .xLabelX: .init(Self.xLabelX)
        case .xLabelY: .init(Self.xLabelY)
        case .yLabelY: .init(Self.yLabelY)
        default: Self.frame.value(of: name)
        }
    }
}

extension DriverChart.Dot: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .labelX: .init(labelX)
        case .labelY: .init(labelY)
        case .itemId: .init(itemId)
        case .text: .init(text)
        case .impact: .init(impact)
        case .score: .init(score)
        case .pairs: .init(pairs)
        case .priority: .init(priority)
        case .weight: .init(weight)
        default: .missing
        }
    }
}

extension DriverChart.Tick: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .pos: .init(pos)
        case .label: .init(label)
        default: .missing
        }
    }
}
