import LeanPulseCore

/// The autonomy-accountability chart (METRICS.md 2) with its geometry computed here, drawn by `quadrant.mustache`:
/// x = autonomy, y = accountability (0-100), strength lines at the threshold, one bubble per unit
/// (area ~ headcount), borderline units hollow and dashed, the page's own unit as a cross.
struct QuadrantChart {
    struct Dot {
        var number: Int
        var name: String
        var href: String
        var cx: String
        var cy: String
        var r: String
        var labelX: String
        var labelY: String
        var cssClass: String
        var borderline: Bool
        var tooltip: String
        var autonomy: String
        var accountability: String
        var quadrant: String
        var headcount: String
    }

    struct Tick {
        var x: String
        var y: String
        /// Where the grid line is (x for x ticks, y for y ticks).
        var pos: String
        var label: String
    }

    struct Area {
        var x: String
        var y: String
        var w: String
        var h: String
        var cssClass: String
        var label: String
        var labelX: String
        var labelY: String
        var anchor: String
    }

    static let width = 460.0
    static let height = 420.0
    static let left = 52.0
    static let top = 12.0
    static let plotWidth = 392.0
    static let plotHeight = 352.0

    var title: String
    var caption: String
    var threshold: String
    /// The static background (quadrants, grid, strength lines, labels), rendered once per report.
    var frame: String
    var dots: [Dot]
    var showNumbers: Bool
    var hasSelf: Bool
    var selfX: String = ""
    var selfY: String = ""
    var selfLabel: String = ""
    var selfTooltip: String = ""
    /// Shown instead of the chart when no unit can be placed.
    var emptyNote: String
    var leftOut: String

    /// - Parameters:
    ///   - units: candidates (suppressed units or units without both values are skipped).
    ///   - own: the page's unit, drawn as a cross.
    ///   - hrefFor: the link of a unit's page.
    init(title: String, units: [UnitMetrics], own: UnitMetrics?, threshold s: Double, frame: String, maxDots: Int,
         hrefFor: (UnitMetrics) -> String) {
        self.title = title
        self.frame = frame
        let placeable = units.filter { !$0.isSuppressed && $0.autonomy != nil && $0.accountability != nil }
        func size(_ u: UnitMetrics) -> Int { u.headcount ?? u.respondents }
        // The largest units, then drawn big-first so that small bubbles stay on top.
        let chosen = placeable.enumerated()
            .sorted { (size($0.element), -$0.offset) > (size($1.element), -$1.offset) }
            .prefix(max(0, maxDots)).map(\.element)
        let maxSize = Double(chosen.map(size).max() ?? 1)
        let rMax = chosen.count > 20 ? 16.0 : 22.0

        let px = QuadrantFrame.px, py = QuadrantFrame.py
        let t = SVGNumber.text

        threshold = QuadrantFrame.thresholdText(s)
        var dots: [Dot] = []
        dots.reserveCapacity(chosen.count)
        for (i, u) in chosen.enumerated() {
            let a = u.autonomy!.value, c = u.accountability!.value
            let r = max(3.0, rMax * (Double(size(u)) / max(maxSize, 1)).squareRoot())
            let x = px(a), y = py(c)
            let q = u.quadrant ?? Self.quadrant(a, c, s)
            let aText = NumberText.whole(a), cText = NumberText.whole(c)
            var tip = "\(u.teamName): autonomy \(aText), accountability \(cText), \(q.rawValue)"
            if u.borderline == true { tip += " (borderline)" }
            dots.append(Dot(number: i + 1, name: u.teamName, href: hrefFor(u), cx: t(x), cy: t(y), r: t(r),
                            labelX: t(x + r * 0.72 + 2), labelY: t(y - r * 0.72 - 1), cssClass: q.cssClass,
                            borderline: u.borderline == true, tooltip: tip, autonomy: aText, accountability: cText,
                            quadrant: q.rawValue, headcount: u.headcount.map(String.init) ?? "\u{2014}"))
        }
        self.dots = dots
        showNumbers = dots.count <= 30
        if let own, !own.isSuppressed, let a = own.autonomy?.value, let c = own.accountability?.value {
            hasSelf = true
            selfX = t(px(a))
            selfY = t(py(c))
            selfLabel = own.teamName
            selfTooltip = "\(own.teamName) as a whole: autonomy \(NumberText.whole(a)), accountability \(NumberText.whole(c))"
        } else {
            hasSelf = false
        }
        let skipped = placeable.count - chosen.count
        leftOut = skipped > 0 ? "The \(chosen.count) largest of \(placeable.count) units are drawn; \(skipped) smaller ones are in the table." : ""
        emptyNote = (dots.isEmpty && !hasSelf) ? "No unit here has both autonomy and accountability results to place on the chart." : ""
        caption = "Each bubble is a unit (area \u{221D} headcount); hollow dashed bubbles are borderline (the 95% interval of autonomy or accountability contains \(threshold)). Lines: strength threshold \(threshold)."
    }

    static func quadrant(_ a: Double, _ c: Double, _ s: Double) -> Quadrant {
        switch (a >= s, c >= s) {
        case (true, true): .sharedResponsibility
        case (true, false): .drifting
        case (false, true): .commandAndControl
        case (false, false): .disengaged
        }
    }
}

/// The quadrant chart's static background for one strength threshold (`quadrant-frame.mustache`).
struct QuadrantFrame {
    typealias Tick = QuadrantChart.Tick
    typealias Area = QuadrantChart.Area
    static let left = QuadrantChart.left, top = QuadrantChart.top
    static let plotWidth = QuadrantChart.plotWidth, plotHeight = QuadrantChart.plotHeight

    var threshold: String
    var strengthX: String
    var strengthY: String
    var xTicks: [Tick]
    var yTicks: [Tick]
    var areas: [Area]

    static func px(_ a: Double) -> Double { left + min(max(a, 0), 100) / 100 * plotWidth }
    static func py(_ c: Double) -> Double { top + (1 - min(max(c, 0), 100) / 100) * plotHeight }
    static func thresholdText(_ s: Double) -> String { NumberText.fixed(s, decimals: s.rounded() == s ? 0 : 1) }

    init(threshold s: Double) {
        let px = Self.px, py = Self.py
        let t = SVGNumber.text
        threshold = Self.thresholdText(s)
        strengthX = t(px(s))
        strengthY = t(py(s))
        xTicks = stride(from: 0.0, through: 100.0, by: 25.0).map {
            Tick(x: t(px($0)), y: t(Self.top + Self.plotHeight + 16), pos: t(px($0)), label: NumberText.whole($0))
        }
        yTicks = stride(from: 0.0, through: 100.0, by: 25.0).map {
            Tick(x: t(Self.left - 6), y: t(py($0) + 4), pos: t(py($0)), label: NumberText.whole($0))
        }
        let sx = px(s), sy = py(s)
        let x0 = Self.left, y0 = Self.top, x1 = Self.left + Self.plotWidth, y1 = Self.top + Self.plotHeight
        areas = [
            Area(x: t(sx), y: t(y0), w: t(x1 - sx), h: t(sy - y0), cssClass: "q-sr", label: Quadrant.sharedResponsibility.rawValue,
                 labelX: t(x1 - 6), labelY: t(y0 + 16), anchor: "end"),
            Area(x: t(x0), y: t(y0), w: t(sx - x0), h: t(sy - y0), cssClass: "q-cc", label: Quadrant.commandAndControl.rawValue,
                 labelX: t(x0 + 6), labelY: t(y0 + 16), anchor: "start"),
            Area(x: t(sx), y: t(sy), w: t(x1 - sx), h: t(y1 - sy), cssClass: "q-dr", label: Quadrant.drifting.rawValue,
                 labelX: t(x1 - 6), labelY: t(y1 - 8), anchor: "end"),
            Area(x: t(x0), y: t(sy), w: t(sx - x0), h: t(y1 - sy), cssClass: "q-de", label: Quadrant.disengaged.rawValue,
                 labelX: t(x0 + 6), labelY: t(y1 - 8), anchor: "start"),
        ]
    }
}

extension QuadrantFrame: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .threshold: .init(threshold)
        case .strengthX: .init(strengthX)
        case .strengthY: .init(strengthY)
        case .xTicks: .init(xTicks)
        case .yTicks: .init(yTicks)
        case .areas: .init(areas)
        case .plotLeft: .init(SVGNumber.text(Self.left))
        case .plotTop: .init(SVGNumber.text(Self.top))
        case .plotRight: .init(SVGNumber.text(Self.left + Self.plotWidth))
        case .plotBottom: .init(SVGNumber.text(Self.top + Self.plotHeight))
        case .plotWidth: .init(SVGNumber.text(Self.plotWidth))
        case .plotHeight: .init(SVGNumber.text(Self.plotHeight))
        case .xLabelX: .init(SVGNumber.text(Self.left + Self.plotWidth / 2))
        case .xLabelY: .init(SVGNumber.text(Self.top + Self.plotHeight + 36))
        case .yLabelX: .init(SVGNumber.text(14))
        case .yLabelY: .init(SVGNumber.text(Self.top + Self.plotHeight / 2))
        default: .missing
        }
    }
}

/// SVG coordinates with at most one decimal (small pages, stable golden files).
enum SVGNumber {
    static func text(_ v: Double) -> String { NumberText.compact(v) }
}

extension QuadrantChart: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .title: .init(title)
        case .caption: .init(caption)
        case .threshold: .init(threshold)
        case .frame: .init(frame)
        case .dots: .init(dots)
        case .hasDots: .init(!dots.isEmpty)
        case .dotCount: .init(dots.count)
        case .dotCountText: .init(dots.count == 1 ? "1 unit" : "\(dots.count) units")
        case .showNumbers: .init(showNumbers)
        case .hasSelf: .init(hasSelf)
        case .selfX: .init(selfX)
        case .selfY: .init(selfY)
        case .selfLabel: .init(selfLabel)
        case .selfTooltip: .init(selfTooltip)
        case .isEmpty: .init(!emptyNote.isEmpty)
        case .emptyNote: .init(emptyNote)
        case .leftOut: .init(leftOut)
        case .hasLeftOut: .init(!leftOut.isEmpty)
        case .width: .init(SVGNumber.text(Self.width))
        case .height: .init(SVGNumber.text(Self.height))
        default: .missing
        }
    }
}

extension QuadrantChart.Dot: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .number: .init(number)
        case .name: .init(self.name)
        case .href: .init(href)
        case .cx: .init(cx)
        case .cy: .init(cy)
        case .r: .init(r)
        case .labelX: .init(labelX)
        case .labelY: .init(labelY)
        case .cssClass: .init(cssClass)
        case .borderline: .init(borderline)
        case .tooltip: .init(tooltip)
        case .autonomy: .init(autonomy)
        case .accountability: .init(accountability)
        case .quadrant: .init(quadrant)
        case .headcount: .init(headcount)
        default: .missing
        }
    }
}

extension QuadrantChart.Tick: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .pos: .init(pos)
        case .label: .init(label)
        default: .missing
        }
    }
}

extension QuadrantChart.Area: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .y: .init(y)
        case .w: .init(w)
        case .h: .init(h)
        case .cssClass: .init(cssClass)
        case .label: .init(label)
        case .labelX: .init(labelX)
        case .labelY: .init(labelY)
        case .anchor: .init(anchor)
        default: .missing
        }
    }
}
