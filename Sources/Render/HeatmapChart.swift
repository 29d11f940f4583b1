import LeanPulseCore

/// One cell of the heatmap: the Render-local view of a unit x factor figure, so that new inputs
/// (per-factor changes and intervals) need only a thin mapping in `PageContext.heatmap`.
struct HeatmapCell {
    /// % favourable, nil when not defined or suppressed.
    var value: Double?
    /// The organisation's value of the same factor (the colour reference), nil when there is none.
    var orgValue: Double?
    /// A change label against the previous period (`up`, `down`, `no clear change`), when one exists.
    var change: String?
    /// Why the value is hidden ("fewer than 5 respondents", ...), nil when it is not.
    var suppressedReason: String?
    /// The 95% interval of the % favourable (METRICS.md 5), when Compute made one.
    var low: Double? = nil
    var high: Double? = nil
    /// rwg(j) below 0.70 for this unit and factor (METRICS.md 5).
    var lowAgreement: Bool = false
}

/// One row of the heatmap (a unit).
struct HeatmapRowInput {
    var name: String
    var href: String
    /// The row the colours are relative to (drawn bold, uncoloured).
    var isReference: Bool
    var cells: [HeatmapCell]
}

/// Units x factors, each cell coloured by its difference from the organisation in percentage points
/// (a diverging, colour-blind-safe orange-purple scale), hidden cells grey with the reason.
struct HeatmapChart {
    struct Cell {
        var x: String
        var textX: String
        var cssClass: String
        var text: String
        var marker: String
    }

    struct Row {
        var name: String
        var fullName: String
        var href: String
        var y: String
        var textY: String
        var isReference: Bool
        var cells: [Cell]
        /// One grey bar across the row when every cell is hidden for the same reason.
        var hiddenText: String
        var tableCells: [TableCell]
    }

    struct Column: Sendable {
        var name: String
        /// A second header line (long names wrap at a space), "" for none.
        var name2: String
        var fullName: String
        var x: String
    }

    struct TableCell {
        var text: String
        /// "low-high" of the 95% interval, "" for none.
        var interval: String = ""
        var difference: String
        var change: String
        var lowAgreement: Bool = false
    }

    struct LegendEntry {
        var cssClass: String
        var label: String
    }

    static let labelWidth = 200.0
    static let cellWidth = 86.0
    static let cellHeight = 30.0
    static let headerHeight = 44.0
    /// Where the row labels, the header lines and a hidden row's bar and text go (the same on every page).
    static let labelX = "4"
    static let headerY = SVGNumber.text(headerHeight - 24)
    static let header2Y = SVGNumber.text(headerHeight - 10)
    static let cellHeightText = SVGNumber.text(cellHeight - 2)
    static let hiddenX = SVGNumber.text(labelWidth)
    static let hiddenTextX = SVGNumber.text(labelWidth + 8)

    var title: String
    var caption: String
    var width: String
    var height: String
    var gridWidth: String
    var columns: [Column]
    var rows: [Row]
    var legend: [LegendEntry]
    var note: String

    /// The colour class of a difference in percentage points.
    static func colourClass(_ difference: Double) -> String {
        let d = abs(difference)
        let step = d < 2 ? 0 : d < 5 ? 1 : d < 10 ? 2 : 3
        return colourClasses[difference < 0 ? 3 - step : 3 + step]
    }

    private static let colourClasses = ["hm-m3", "hm-m2", "hm-m1", "hm-0", "hm-p1", "hm-p2", "hm-p3"]

    static let legendEntries = [
        LegendEntry(cssClass: "hm-m3", label: "10+ below"), LegendEntry(cssClass: "hm-m2", label: "5\u{2013}10 below"),
        LegendEntry(cssClass: "hm-m1", label: "2\u{2013}5 below"), LegendEntry(cssClass: "hm-0", label: "within 2"),
        LegendEntry(cssClass: "hm-p1", label: "2\u{2013}5 above"), LegendEntry(cssClass: "hm-p2", label: "5\u{2013}10 above"),
        LegendEntry(cssClass: "hm-p3", label: "10+ above"), LegendEntry(cssClass: "hm-sup", label: "hidden"),
    ]

    static func short(_ text: String, _ max: Int) -> String {
        // A text of at most `max` bytes has at most `max` characters: most names are, without counting graphemes.
        text.utf8.count <= max || text.count <= max ? text : String(text.prefix(max - 1)) + "\u{2026}"
    }

    /// A column name on at most two lines of about 12 characters (split at the last fitting space).
    static func headerLines(_ name: String) -> (String, String) {
        let limit = 12
        guard name.count > limit else { return (name, "") }
        let words = name.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var first = ""
        var rest = words[...]
        while let w = rest.first, first.isEmpty || first.count + 1 + w.count <= limit {
            first += (first.isEmpty ? "" : " ") + w
            rest = rest.dropFirst()
        }
        return (short(first, limit + 3), short(rest.joined(separator: " "), limit + 3))
    }

    static func marker(_ change: String?) -> String {
        switch change {
        case "up"?: "\u{25B2}"
        case "down"?: "\u{25BC}"
        default: ""
        }
    }

    /// What every heatmap of a report shares: its columns (one per factor) and where their cells go. Made once per
    /// report (`PageContext.heatmapColumns`), not per page.
    struct Columns: Sendable {
        let columns: [Column]
        let width: String
        let gridWidth: String
        /// Each column's cell's left edge (its centre, where the value goes, is the column's `x`).
        let cellX: [String]
        /// Whether a column is the eNPS question's share of promoters (the caption then says so).
        let hasPromoters: Bool

        init(factors: [String], hasPromoters: Bool = false) {
            self.hasPromoters = hasPromoters
            let t = SVGNumber.text
            columns = factors.enumerated().map { i, f in
                let (one, two) = HeatmapChart.headerLines(f)
                return Column(name: one, name2: two, fullName: f, x: t(HeatmapChart.labelWidth + HeatmapChart.cellWidth * (Double(i) + 0.5)))
            }
            width = t(HeatmapChart.labelWidth + HeatmapChart.cellWidth * Double(factors.count) + 4)
            gridWidth = t(HeatmapChart.cellWidth * Double(factors.count) - 2)
            cellX = factors.indices.map { t(HeatmapChart.labelWidth + HeatmapChart.cellWidth * Double($0)) }
        }
    }

    /// Rows have one cell per column of `layout`.
    init(title: String, columns layout: Columns, rows input: [HeatmapRowInput], referenceName: String, note: String) {
        self.title = title
        self.note = note
        let t = SVGNumber.text
        width = layout.width
        height = t(Self.headerHeight + Self.cellHeight * Double(input.count) + 4)
        gridWidth = layout.gridWidth
        columns = layout.columns
        legend = Self.legendEntries
        let cellX = layout.cellX
        rows = input.enumerated().map { r, row in
            let y = Self.headerHeight + Self.cellHeight * Double(r)
            var cells: [Cell] = []
            var table: [TableCell] = []
            cells.reserveCapacity(row.cells.count)
            table.reserveCapacity(row.cells.count)
            for (i, c) in row.cells.enumerated() {
                let x = cellX[i], textX = layout.columns[i].x
                let mark = Self.marker(c.change)
                if let why = c.suppressedReason {
                    cells.append(Cell(x: x, textX: textX, cssClass: "hm-sup", text: "\u{2014}", marker: ""))
                    table.append(TableCell(text: "hidden: \(why)", difference: "", change: ""))
                } else if let v = c.value {
                    let vText = FigureFormatter.whole(v)
                    var cls = "hm-0", diffText = ""
                    if let o = c.orgValue, !row.isReference {
                        cls = Self.colourClass(v - o)
                        diffText = FigureFormatter.signedWhole(v - o)
                    }
                    if row.isReference { cls = "hm-ref" }
                    cells.append(Cell(x: x, textX: textX, cssClass: cls, text: vText, marker: mark))
                    var interval = ""
                    if let lo = c.low, let hi = c.high { interval = FigureFormatter.wholeRange(lo, hi) }
                    table.append(TableCell(text: vText, interval: interval, difference: diffText, change: c.change ?? "",
                                           lowAgreement: c.lowAgreement))
                } else {
                    cells.append(Cell(x: x, textX: textX, cssClass: "hm-na", text: "\u{2014}", marker: ""))
                    table.append(TableCell(text: "\u{2014}", difference: "", change: ""))
                }
            }
            var hidden = ""
            if let why = row.cells.first?.suppressedReason, row.cells.allSatisfy({ $0.suppressedReason == why }) {
                hidden = "hidden: \(why)"
            }
            return Row(name: Self.short(row.name, 28), fullName: row.name, href: row.href, y: t(y + 1), textY: t(y + Self.cellHeight / 2 + 4.5),
                       isReference: row.isReference, cells: cells, hiddenText: hidden, tableCells: table)
        }
        caption = "Each cell is the % favourable of a factor"
            + (layout.hasPromoters ? " (for the eNPS question: % promoters, answers 9-10; the eNPS itself, promoters minus detractors, is in the tiles)" : "")
            + ". Colour: difference from \(referenceName) in percentage points "
            + "(purple above, orange below); grey: hidden to protect confidentiality. \u{25B2}/\u{25BC}: a clear change since the previous period."
    }
}

extension HeatmapChart: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .title: .init(title)
        case .caption: .init(caption)
        case .width: .init(width)
        case .height: .init(height)
        case .gridWidth: .init(gridWidth)
        case .columns: .init(columns)
        case .rows: .init(rows)
        case .legend: .init(legend)
        case .note: .init(note)
        case .hasNote: .init(!note.isEmpty)
        case .labelX: .init(Self.labelX)
        case .headerY: .init(Self.headerY)
        case .header2Y: .init(Self.header2Y)
        case .cellWidth: .init(SVGNumber.text(Self.cellWidth - 2))
        case .cellHeight: .init(Self.cellHeightText)
        case .hiddenX: .init(Self.hiddenX)
        case .hiddenTextX: .init(Self.hiddenTextX)
        default: .missing
        }
    }
}

extension HeatmapChart.Row: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .fullName: .init(fullName)
        case .href: .init(href)
        case .hasHref: .init(!href.isEmpty)
        case .y: .init(y)
        case .textY: .init(textY)
        case .isReference: .init(isReference)
        case .cells: .init(cells)
        case .isHidden: .init(!hiddenText.isEmpty)
        case .hiddenText: .init(hiddenText)
        case .tableCells: .init(tableCells)
        default: .missing
        }
    }
}

extension HeatmapChart.Cell: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .x: .init(x)
        case .textX: .init(textX)
        case .cssClass: .init(cssClass)
        case .text: .init(text)
        case .marker: .init(marker)
        case .hasMarker: .init(!marker.isEmpty)
        default: .missing
        }
    }
}

extension HeatmapChart.Column: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .name2: .init(name2)
        case .hasName2: .init(!name2.isEmpty)
        case .fullName: .init(fullName)
        case .x: .init(x)
        default: .missing
        }
    }
}

extension HeatmapChart.TableCell: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .text: .init(text)
        case .interval: .init(interval)
        case .hasInterval: .init(!interval.isEmpty)
        case .lowAgreement: .init(lowAgreement)
        case .difference: .init(difference)
        case .hasDifference: .init(!difference.isEmpty)
        case .change: .init(change)
        case .hasChange: .init(!change.isEmpty)
        default: .missing
        }
    }
}

extension HeatmapChart.LegendEntry: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .cssClass: .init(cssClass)
        case .label: .init(label)
        default: .missing
        }
    }
}
