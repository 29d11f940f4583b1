import LeanPulseCore

/// Weekly implemented ideas (METRICS.md 3 "weekly throughput") as a bar run chart; geometry computed here.
struct ThroughputChart {
    /// A week label under the axis (every fourth week, first and last).
    struct Label {
        var x: String
        var week: String
    }

    static let width = 460.0
    static let height = 150.0
    static let left = 30.0
    static let top = 10.0
    static let plotHeight = 105.0
    /// The plot area (its right edge 6 px in from the chart's), whose `tickY` is where the week labels go; its texts and
    /// the maximum's label position made once.
    static let frame = PlotFrame(width: width, height: height, left: left, right: 6, top: top, plotHeight: plotHeight)
    static let frameTexts = frame.texts
    static let maxLabelY = SVGNumber.text(top + 4)

    /// One week of the data table under the chart.
    struct Row {
        var week: String
        var note: String
        var count: Int
    }

    /// All bars as one SVG path (`M x y h w v h h -w z` per non-empty week): a few bytes and one template value per chart.
    /// Weeks the quarter holds only part of go to `partPath`, drawn lighter: fewer days, not fewer ideas a day.
    var barsPath: String
    var partPath: String
    var partNote: String
    var rows: [Row]
    var labels: [Label]
    var maxText: String
    var total: Int
    var summary: String

    /// An ISO week with its label, made once per report.
    struct Week {
        let year: Int
        let week: Int
        /// `2026-W40`.
        let text: String
        /// Days of the week inside the period (7 but at the period's edges).
        let days: Int

        init(year: Int, week: Int, days: Int = 7) {
            self.year = year
            self.week = week
            self.days = days
            text = ReportWriter.isoWeekText(year: year, week: week)
        }

        /// isoYear * 100 + isoWeek: the key of the weekly counts, in week order.
        var key: Int { year * 100 + week }
    }

    /// Implemented ideas per unit and ISO week, for the run charts and improvement_flow.csv: the weeks that touch the
    /// period (and any other week a unit has ideas in), in order, and per tree position a week key -> count map that
    /// holds the weeks with ideas only.
    static func weeklyGrid(_ metrics: PeriodMetrics, tree: UnitTree) -> (weeks: [Week], counts: [Int: [Int: Int]]) {
        var weeks = Self.weeks(of: metrics.period)
        var counts: [Int: [Int: Int]] = [:]
        var known = Set(weeks.map(\.key))
        for w in metrics.weeklyThroughput {
            guard let pos = tree.positionByUnitIndex[w.unit] else { continue }
            let key = w.isoYear * 100 + w.isoWeek
            counts[pos, default: [:]][key, default: 0] += w.implemented
            if known.insert(key).inserted { weeks.append(Week(year: w.isoYear, week: w.isoWeek)) }
        }
        return (weeks.sorted { $0.key < $1.key }, counts)
    }

    /// The ISO weeks that touch `period`, in order.
    static func weeks(of period: Period) -> [Week] {
        var found: [(year: Int, week: Int, days: Int)] = []
        var day = period.start
        while day <= period.end {
            let w = day.isoWeek
            if let last = found.last, (last.year, last.week) == w {
                found[found.count - 1].days += 1
            } else {
                found.append((w.year, w.week, 1))
            }
            day = day + 1
        }
        return found.map { Week(year: $0.year, week: $0.week, days: $0.days) }
    }

    /// `counts`: implemented ideas by `Week.key`.
    init(weeks: [Week], counts: [Int: Int]) {
        let values = weeks.map { counts[$0.key] ?? 0 }
        let maxValue = max(values.max() ?? 0, 1)
        let plotWidth = Self.width - Self.left - Self.frame.right
        let slot = plotWidth / Double(max(weeks.count, 1))
        let t = SVGNumber.text
        // The path and the summary are put together as bytes (a `String` append per piece cost four times as much).
        var fullPath: [UInt8] = [], partBars: [UInt8] = []
        fullPath.reserveCapacity(weeks.count * 32)
        let base = Self.frameTexts.baseY, barWidth = t(slot * 0.7)
        var labels: [Label] = []
        for i in weeks.indices {
            let h = Double(values[i]) / Double(maxValue) * Self.plotHeight
            let x = Self.left + Double(i) * slot + slot * 0.15
            if values[i] > 0 {
                let height = t(h)
                // A part week's bar goes to the lighter path (written straight into it: no buffer per bar).
                func bar(_ path: inout [UInt8]) {
                    path.append(UInt8(ascii: "M"))
                    path.append(contentsOf: t(x).utf8)
                    path.append(UInt8(ascii: " "))
                    path.append(contentsOf: base.utf8)
                    path.append(contentsOf: "v-".utf8)
                    path.append(contentsOf: height.utf8)
                    path.append(UInt8(ascii: "h"))
                    path.append(contentsOf: barWidth.utf8)
                    path.append(UInt8(ascii: "v"))
                    path.append(contentsOf: height.utf8)
                    path.append(UInt8(ascii: "z"))
                }
                if weeks[i].days < 7 { bar(&partBars) } else { bar(&fullPath) }
            }
            // Every fourth week, and the last one unless it would overlap the previous label.
            if i % 4 == 0 || (i == weeks.count - 1 && i % 4 >= 3) {
                labels.append(Label(x: t(x + slot * 0.35), week: weeks[i].text))
            }
        }
        barsPath = String(decoding: fullPath, as: UTF8.self)
        partPath = String(decoding: partBars, as: UTF8.self)
        let parts = weeks.filter { $0.days < 7 }
        partNote = parts.isEmpty ? "" : "Lighter bars: the quarter holds only part of "
            + parts.map { "\($0.text) (\(Plural.counted($0.days, "day")))" }.joined(separator: " and ") + "."
        rows = weeks.indices.map { i in
            Row(week: weeks[i].text, note: weeks[i].days < 7 ? "\(weeks[i].days) of 7 days in the quarter" : "", count: values[i])
        }
        self.labels = labels
        maxText = String(maxValue)
        total = values.reduce(0, +)
        var summary: [UInt8] = Array("Ideas implemented per ISO week: ".utf8)
        summary.reserveCapacity(summary.count + weeks.count * 14)
        for (i, value) in values.enumerated() {
            if i > 0 { summary.append(contentsOf: ", ".utf8) }
            summary.append(contentsOf: weeks[i].text.utf8)
            summary.append(UInt8(ascii: " "))
            summary.append(contentsOf: NumberText.whole(Double(value)).utf8)
        }
        self.summary = String(decoding: summary, as: UTF8.self)
    }
}

extension ThroughputChart: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .barsPath: .init(barsPath)
        case .partPath: .init(partPath)
        case .hasPartWeeks: .init(!partPath.isEmpty)
        case .partNote: .init(partNote)
        case .rows: .init(rows)
        case .labels: .init(labels)
        case .maxText: .init(maxText)
        case .total: .init(total)
        case .summary: .init(summary)
        case .weekLabelY: .init(Self.frameTexts.tickY)
        case .maxLabelY: .init(Self.maxLabelY)
        case .width, .height, .baseY, .topY, .left, .right: Self.frame.value(of: name)
        default: .missing
        }
    }
}

extension ThroughputChart.Row: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .week: .init(week)
        case .note: .init(note)
        case .count: .init(count)
        default: .missing
        }
    }
}

extension ThroughputChart.Label: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .week: .init(week)
        default: .missing
        }
    }
}
