import LeanPulseCore

/// Cycle-time scatter (METRICS.md 3): one dot per implemented idea (a bounded deterministic sample),
/// x = implementation date in the period, y = cycle time in days, with the unit's exact P50 and P85 as lines.
struct CycleScatter {
    struct Point { var x: String; var y: String; var date: String; var days: String }
    struct Line { var y: String; var label: String; var labelY: String }
    struct Tick { var x: String; var label: String }

    static let width = 460.0, height = 200.0, left = 40.0, right = 10.0, top = 12.0, plotHeight = 150.0
    static let frame = PlotFrame(width: width, height: height, left: left, right: right, top: top, plotHeight: plotHeight)
    static let frameTexts = frame.texts
    static let maxLabelY = SVGNumber.text(top + 4)
    static let axisLabelY = SVGNumber.text(top + plotHeight + 34)
    static let axisLabelX = SVGNumber.text(width / 2)

    var points: [Point]
    var lines: [Line]
    var ticks: [Tick]
    var maxText: String
    var summary: String
    var sampleNote: String

    /// Nil when there is nothing to draw.
    init?(sample: [UnitDetails.CyclePoint], total: Int, p50: Double?, p85: Double?, period: Period) {
        guard !sample.isEmpty else { return nil }
        let t = SVGNumber.text
        let start = Double(period.start.ordinal), span = Double(max(period.days - 1, 1))
        let maxDays = Double(max(sample.map(\.days).max() ?? 1, Int32((p85 ?? 1).rounded(.up)), 1))
        let plotWidth = Self.width - Self.left - Self.right
        func x(_ day: Int32) -> Double { Self.left + (Double(day) - start) / span * plotWidth }
        func y(_ d: Double) -> Double { Self.top + (1 - min(max(d, 0), maxDays) / maxDays) * Self.plotHeight }
        points = sample.sorted { ($0.day, $0.days, $0.key) < ($1.day, $1.days, $1.key) }.map {
            Point(x: t(x($0.day)), y: t(y(Double($0.days))), date: Day(ordinal: $0.day).description, days: String($0.days))
        }
        // Labels (10 px text) at the right end of their lines: P85's above its line, P50's below its own (P50 <= P85,
        // so the two move apart), unless that would reach the axis; then both stack upwards, one text line apart.
        let baseY = Self.top + Self.plotHeight, lineGap = 11.0
        var lines: [Line] = []
        var p50LabelY: Double?
        if let p50 {
            let below = y(p50) + lineGap
            p50LabelY = below <= baseY - 2 ? below : y(p50) - 3
            lines.append(Line(y: t(y(p50)), label: "P50 \(FigureFormatter.oneDecimal(p50)) d", labelY: t(p50LabelY!)))
        }
        if let p85 {
            var labelY = y(p85) - 3
            if let p50LabelY, abs(labelY - p50LabelY) < lineGap { labelY = p50LabelY - lineGap }
            lines.append(Line(y: t(y(p85)), label: "P85 \(FigureFormatter.oneDecimal(p85)) d", labelY: t(max(labelY, 9))))
        }
        self.lines = lines
        ticks = (0..<3).map { m in
            let first = Day(year: period.year, month: (period.quarter - 1) * 3 + 1 + m, day: 1)!
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return Tick(x: t(x(first.ordinal)), label: names[(period.quarter - 1) * 3 + m])
        }
        maxText = String(Int(maxDays))
        summary = "Cycle time of \(points.count) implemented ideas by implementation date"
            + (p50.map { "; P50 \(FigureFormatter.oneDecimal($0)) days" } ?? "") + (p85.map { ", P85 \(FigureFormatter.oneDecimal($0)) days" } ?? "")
        sampleNote = total > sample.count
            ? "\(sample.count) of the \(total) ideas implemented in the quarter are drawn (a fixed random sample); the P50 and P85 lines are computed from all \(total)."
            : "All \(Plural.counted(total, "idea")) implemented in the quarter."
    }
}

/// Aging work in progress: the open ideas at the period end by age, with the P85 age marked.
struct AgingWIPChart {
    struct Bar { var x: String; var y: String; var h: String; var labelX: String; var label: String; var count: Int; var countY: String }

    static let width = 460.0, height = 186.0, left = 10.0, top = 32.0, plotHeight = 110.0
    /// The chart's fixed positions as texts (`topY`: the P85 line's top; `labelY`: the bars' labels; `p85LabelY`: the
    /// P85 label's), made once.
    static let texts = (width: SVGNumber.text(width), height: SVGNumber.text(height), topY: SVGNumber.text(16),
                        baseY: SVGNumber.text(top + plotHeight), left: SVGNumber.text(left), right: SVGNumber.text(width - left),
                        labelY: SVGNumber.text(top + plotHeight + 16), p85LabelY: SVGNumber.text(12))

    var bars: [Bar]
    var p85X: String
    var p85Label: String
    /// The label's side of the line: away from the chart's edge.
    var p85Anchor: String
    var hasP85: Bool
    var total: Int
    var summary: String
    var barWidth: String
    /// The P85 label's offset from its line, on the side `p85Anchor` says.
    var p85LabelDX: String { p85Anchor == "end" ? "-4" : "4" }
    var ideasWord: String { Plural.noun(total, "idea") }

    init?(counts: [Int], p85: Double?) {
        let total = counts.reduce(0, +)
        guard total > 0, counts.count == UnitDetails.ageBins.count else { return nil }
        let t = SVGNumber.text
        let slot = (Self.width - Self.left * 2) / Double(counts.count)
        let maxCount = Double(max(counts.max() ?? 1, 1))
        bars = counts.enumerated().map { i, c in
            let h = Double(c) / maxCount * Self.plotHeight
            let x = Self.left + Double(i) * slot
            return Bar(x: t(x + slot * 0.12), y: t(Self.top + Self.plotHeight - h), h: t(h), labelX: t(x + slot / 2),
                       label: UnitDetails.ageBins[i].label, count: c, countY: t(Self.top + Self.plotHeight - h - 3))
        }
        barWidth = t(slot * 0.76)
        self.total = total
        if let p85 {
            let i = UnitDetails.ageBin(Int32(p85.rounded(.up)))
            let bin = UnitDetails.ageBins[i]
            let fraction = bin.high.map { (p85 - Double(bin.low) + 0.5) / Double($0 - bin.low + 1) } ?? 0.5
            p85X = t(Self.left + (Double(i) + min(max(fraction, 0), 1)) * slot)
            p85Label = "P85 age: \(FigureFormatter.oneDecimal(p85)) days"
            p85Anchor = Double(i) + 0.5 > Double(counts.count) / 2 ? "end" : "start"
            hasP85 = true
        } else {
            p85X = ""
            p85Label = ""
            p85Anchor = "start"
            hasP85 = false
        }
        summary = "Open ideas by age: " + zip(UnitDetails.ageBins, counts).map { "\($0.0.label) \($0.1)" }.joined(separator: ", ")
    }
}

extension CycleScatter: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .points: .init(points)
        case .lines: .init(lines)
        case .ticks: .init(ticks)
        case .maxText: .init(maxText)
        case .summary: .init(summary)
        case .sampleNote: .init(sampleNote)
        case .maxLabelY: .init(Self.maxLabelY)
        case .axisLabelY: .init(Self.axisLabelY)
        case .axisLabelX: .init(Self.axisLabelX)
        default: Self.frame.value(of: name)
        }
    }
}

extension CycleScatter.Point: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .date: .init(date)
        case .days: .init(days)
        default: .missing
        }
    }
}

extension CycleScatter.Line: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .y: .init(y)
        case .label: .init(label)
        case .labelY: .init(labelY)
        default: .missing
        }
    }
}

extension CycleScatter.Tick: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .label: .init(label)
        default: .missing
        }
    }
}

extension AgingWIPChart: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .bars: .init(bars)
        case .p85X: .init(p85X)
        case .p85Label: .init(p85Label)
        case .p85Anchor: .init(p85Anchor)
        case .p85LabelDX: .init(p85LabelDX)
        case .hasP85: .init(hasP85)
        case .total: .init(total)
        case .ideasWord: .init(ideasWord)
        case .summary: .init(summary)
        case .barWidth: .init(barWidth)
        case .width: .init(Self.texts.width)
        case .height: .init(Self.texts.height)
        case .topY: .init(Self.texts.topY)
        case .baseY: .init(Self.texts.baseY)
        case .left: .init(Self.texts.left)
        case .right: .init(Self.texts.right)
        case .labelY: .init(Self.texts.labelY)
        case .p85LabelY: .init(Self.texts.p85LabelY)
        default: .missing
        }
    }
}

extension AgingWIPChart.Bar: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .h: .init(h)
        case .labelX: .init(labelX)
        case .label: .init(label)
        case .count: .init(count)
        case .countY: .init(countY)
        default: .missing
        }
    }
}
