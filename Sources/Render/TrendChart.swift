import LeanPulseCore

/// One point of a trend: a period and its value (nil: suppressed or missing, drawn as a gap).
struct TrendChartPoint {
    var period: String
    var value: Double?
    /// The instrument changed between the previous point and this one: not comparable (a trend break).
    var breakBefore: Bool = false
}

/// One headline figure over periods, the Render-local input of a small multiple.
struct TrendSeries {
    var title: String
    /// Unit shown after values (`%`, ``).
    var unit: String
    /// Fixed axis range; nil: from zero (or the lowest value, if negative) to the highest value, as a count's axis
    /// must start at zero for a change to be drawn at its true size.
    var range: ClosedRange<Double>?
    var points: [TrendChartPoint]

    var definedCount: Int { points.filter { $0.value != nil }.count }
}

/// Small multiples of trends: one little line chart per series with gaps and break markers.
struct TrendCharts {
    struct Panel {
        var title: String
        var path: String
        var dots: [Dot]
        var breaks: [Break]
        var labels: [Label]
        var lowText: String
        var highText: String
        var lastText: String
        var summary: String
        var rows: [Row]
    }

    struct Dot { var x: String; var y: String; var title: String }
    struct Break { var x: String; var title: String }
    struct Label { var x: String; var text: String }
    struct Row { var period: String; var value: String; var note: String }

    static let width = 240.0, height = 130.0, left = 34.0, right = 30.0, top = 12.0, plotHeight = 86.0
    /// A period label ("2026-Q3", 10px) is about 40 px wide and centred on its point: the right margin keeps the
    /// last one inside the picture, and every period is labelled only while the points are at least 44 px apart
    /// (five periods); longer series label the first and the last.
    static let maxLabelledPeriods = 5
    static let frame = PlotFrame(width: width, height: height, left: left, right: right, top: top, plotHeight: plotHeight)

    var panels: [Panel]

    /// Nil when no series has two defined points (nothing to show as a trend).
    init?(_ series: [TrendSeries]) {
        let shown = series.filter { $0.definedCount >= 2 }
        guard !shown.isEmpty else { return nil }
        let t = SVGNumber.text
        panels = shown.map { s in
            let values = s.points.compactMap(\.value)
            var lo = s.range?.lowerBound ?? min(0, values.min() ?? 0)
            var hi = s.range?.upperBound ?? (values.max() ?? 1)
            if hi - lo < 1e-9 { lo -= 1; hi += 1 }
            let plotWidth = Self.width - Self.left - Self.right
            let step = s.points.count > 1 ? plotWidth / Double(s.points.count - 1) : 0
            func x(_ i: Int) -> Double { Self.left + Double(i) * step }
            func y(_ v: Double) -> Double { Self.top + (1 - (min(max(v, lo), hi) - lo) / (hi - lo)) * Self.plotHeight }
            var path = ""
            var penDown = false
            var dots: [Dot] = [], breaks: [Break] = [], labels: [Label] = [], rows: [Row] = []
            for (i, p) in s.points.enumerated() {
                if p.breakBefore {
                    breaks.append(Break(x: t(x(i) - step / 2), title: "Trend break before \(p.period): the questions changed, values before and after are not comparable"))
                    penDown = false
                }
                let valueText = p.value.map { FigureFormatter.whole($0) + s.unit } ?? "\u{2014}"
                if let v = p.value {
                    path += (penDown ? "L" : "M") + "\(t(x(i))) \(t(y(v)))"
                    penDown = true
                    dots.append(Dot(x: t(x(i)), y: t(y(v)), title: "\(p.period): \(valueText)"))
                } else {
                    penDown = false
                }
                if i == 0 || i == s.points.count - 1 || s.points.count <= Self.maxLabelledPeriods {
                    labels.append(Label(x: t(x(i)), text: p.period))
                }
                rows.append(Row(period: p.period, value: valueText,
                                note: (p.value == nil ? "hidden or not available" : "") + (p.breakBefore ? "trend break before this period" : "")))
            }
            let last = s.points.last(where: { $0.value != nil })?.value.map { FigureFormatter.whole($0) + s.unit } ?? ""
            return Panel(title: s.title, path: path, dots: dots, breaks: breaks, labels: labels,
                         lowText: FigureFormatter.whole(lo), highText: FigureFormatter.whole(hi), lastText: last,
                         summary: "\(s.title) by period: " + rows.map { "\($0.period) \($0.value)" }.joined(separator: ", "), rows: rows)
        }
    }
}

extension TrendCharts: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .panels: .init(panels)
        case .highLabelY: .init(SVGNumber.text(Self.top + 4))
        case .labelY: .init(SVGNumber.text(Self.top + Self.plotHeight + 16))
        default: Self.frame.value(of: name)
        }
    }
}

extension TrendCharts.Panel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .title: .init(title)
        case .path: .init(path)
        case .dots: .init(dots)
        case .breaks: .init(breaks)
        case .labels: .init(labels)
        case .lowText: .init(lowText)
        case .highText: .init(highText)
        case .lastText: .init(lastText)
        case .summary: .init(summary)
        case .rows: .init(rows)
        default: .missing
        }
    }
}

extension TrendCharts.Dot: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .title: .init(title)
        default: .missing
        }
    }
}

extension TrendCharts.Break: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .title: .init(title)
        default: .missing
        }
    }
}

extension TrendCharts.Label: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .text: .init(text)
        default: .missing
        }
    }
}

extension TrendCharts.Row: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .period: .init(period)
        case .value: .init(value)
        case .note: .init(note)
        default: .missing
        }
    }
}
