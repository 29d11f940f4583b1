import LeanPulseCore

/// What every page's header and footer show.
struct PageShell {
    var pageTitle: String
    /// Prefix from the page to the report folder: "" for top-level pages, "../" for `teams/*.html`.
    var base: String
    var reportTitle: String
    var period: String
    var generatedAt: String
    var toolVersion: String
    var pipeline: String
    var configHash: String
    var hasCSV: Bool
    var minRespondents: Int
    /// `data:` URI of the logo, "" for none.
    var logo: String = ""
    /// `#rrggbb`, "" for the default.
    var accent: String = ""
}

extension PageShell: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .pageTitle: .init(pageTitle)
        case .base: .init(base)
        case .reportTitle: .init(reportTitle)
        case .period: .init(period)
        case .generatedAt: .init(generatedAt)
        case .toolVersion: .init(toolVersion)
        case .pipeline: .init(pipeline)
        case .configHash: .init(configHash)
        case .configHashShort: .init(String(configHash.prefix(12)))
        case .hasCSV: .init(hasCSV)
        case .minRespondents: .init(minRespondents)
        case .logo: .init(logo)
        case .hasLogo: .init(!logo.isEmpty)
        case .accent: .init(accent)
        case .hasAccent: .init(!accent.isEmpty)
        default: .missing
        }
    }
}

/// Shared, read-only state of one report's pages: lookups built once, formatters, settings.
struct PageContext {
    let input: ReportInput
    let tree: UnitTree
    let format: FigureFormatter
    let options: RenderOptions
    let weeks: [ThroughputChart.Week]
    /// The name of each item's first factor, for the item tables.
    let factorOfItem: [String?]
    /// Position -> (isoYear * 100 + isoWeek) -> implemented.
    let weekly: [Int: [Int: Int]]
    /// The quadrant chart's background, the same on every page.
    let quadrantFrame: String
    /// Bounded per-unit samples of ideas and comments.
    let details: UnitDetails
    /// Key drivers by unit index (shown units only, as Compute delivers them).
    let drivers: [Int: [ItemDriver]]
    /// Logo and accent as checked here again (the accent goes into CSS).
    let logo: String
    let accent: String
    /// Factor cells (shown units only, as Compute delivers them): position in `input.metrics.factorScores`
    /// at `unitIndex * factorCount + factorIndex`, -1 for none (an index, not a copy: 560k cells at 1M employees).
    private let factorScorePosition: [Int32]
    private let factorCount: Int
    /// Headline figures over the stored periods, by unit index.
    let trendPoints: [Int: [TrendPoint]]
    /// Factor indexes whose rwg(j) is below 0.70, by unit index (shown units only, as Compute delivers them).
    let lowAgreement: [Int: Set<Int>]
    /// The heatmaps' columns (one per factor), shared by every page.
    let heatmapColumns: HeatmapChart.Columns
    /// Some unit has goals this period: without a goals source the goal tile would be a dash on every page.
    let hasGoals: Bool
    /// The ideas log names its submitters somewhere (participation is defined where there is a headcount).
    let hasSubmitters: Bool

    init(input: ReportInput, tree: UnitTree, options: RenderOptions, quadrantFrame: String, details: UnitDetails = .empty) {
        self.input = input
        let factorCount = input.instrument.factors.count
        let unitSlots = (input.metrics.units.map(\.unitIndex).max() ?? -1) + 1
        var positions = [Int32](repeating: -1, count: unitSlots * factorCount)
        for (k, cell) in input.metrics.factorScores.enumerated()
        where cell.unitIndex >= 0 && cell.unitIndex < unitSlots && cell.factorIndex >= 0 && cell.factorIndex < factorCount {
            positions[cell.unitIndex * factorCount + cell.factorIndex] = Int32(k)
        }
        self.factorCount = factorCount
        self.factorScorePosition = positions
        var trendPoints: [Int: [TrendPoint]] = [:]
        for trend in input.metrics.trends { trendPoints[trend.unitIndex] = trend.points.sorted { $0.period < $1.period } }
        self.trendPoints = trendPoints
        var lowAgreement: [Int: Set<Int>] = [:]
        for a in input.metrics.statistics?.agreement ?? [] where a.lowAgreement == true {
            lowAgreement[a.unitIndex, default: []].insert(a.factorIndex)
        }
        self.lowAgreement = lowAgreement
        self.details = details
        var drivers: [Int: [ItemDriver]] = [:]
        for d in input.metrics.statistics?.drivers ?? [] { drivers[d.unitIndex, default: []].append(d) }
        self.drivers = drivers
        let uri = options.branding.logoDataURI ?? ""
        logo = ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/svg+xml;base64,"].contains { uri.hasPrefix($0) } ? uri : ""
        accent = options.branding.accent.flatMap(ReportBranding.accentColour) ?? ""
        self.quadrantFrame = quadrantFrame
        self.tree = tree
        self.options = options
        self.format = FigureFormatter(minRespondents: input.settings.minRespondents,
                                      partialAnswersHide: input.settings.favorableAggregation == .personMean)
        (weeks, weekly) = ThroughputChart.weeklyGrid(input.metrics, tree: tree)
        factorOfItem = input.instrument.firstFactorOfItem.map { $0?.name }
        hasGoals = input.metrics.units.contains { $0.goalCount > 0 }
        hasSubmitters = input.metrics.units.contains { $0.participation != nil }
        // The eNPS factor's cell is its % favourable, i.e. the share of promoters (9-10), not the eNPS (promoters minus
        // detractors) of the tiles: named so, or the two numbers read as one contradicting the other.
        heatmapColumns = HeatmapChart.Columns(factors: input.instrument.factors.map { $0.role == .enps ? "\($0.name) promoters" : $0.name },
                                              hasPromoters: input.instrument.factors.contains { $0.role == .enps })
    }

    func shell(pageTitle: String, base: String) -> PageShell {
        PageShell(pageTitle: pageTitle, base: base, reportTitle: input.title, period: input.metrics.period.description,
                  generatedAt: input.generatedAt, toolVersion: input.toolVersion, pipeline: input.pipelineName,
                  configHash: input.configHash, hasCSV: options.csv, minRespondents: input.settings.minRespondents,
                  logo: logo, accent: accent)
    }

    var threshold: Double { input.settings.strengthThreshold }

    // MARK: Tiles and rows

    /// The cell of a unit (by unit index) and factor (by index in the instrument), if Compute made one.
    func factorScore(_ unitIndex: Int, _ factorIndex: Int) -> FactorScore? {
        let slot = unitIndex * factorCount + factorIndex
        guard unitIndex >= 0, factorIndex >= 0, factorIndex < factorCount, slot < factorScorePosition.count else { return nil }
        let k = factorScorePosition[slot]
        return k < 0 ? nil : input.metrics.factorScores[Int(k)]
    }

    /// The unit's cell for the instrument's factor with `role` (intervals and change), if Compute made one.
    func factorCell(_ u: UnitMetrics, role: FactorRole) -> FactorScore? {
        guard let index = input.instrument.factors.firstIndex(where: { $0.role == role }) else { return nil }
        return factorScore(u.unitIndex, index)
    }

    /// The survey headline figures of a unit.
    func surveyTiles(_ u: UnitMetrics) -> [Tile] {
        let f = format
        let withheld = withheldFigures(u)
        // A withheld figure says so on the page, not only in its tooltip.
        func detail(_ text: String, _ hidden: Bool) -> String { hidden ? "hidden: " + f.withheldShort : text }
        var engagementDetail: [String] = []
        if !u.isSuppressed, let e = u.engagementIndex, let lo = e.low, let hi = e.high {
            engagementDetail.append("95% interval " + FigureFormatter.wholeRange(lo, hi))
        }
        let engagementChange = PageContext.changeText(u.isSuppressed ? nil : u.engagementChange)
        let alignmentCell = factorCell(u, role: .alignment)
        let alignmentChange = PageContext.changeText(u.isSuppressed ? nil : alignmentCell?.change?.label)
        var alignmentDetail = ""
        if !u.isSuppressed, let e = alignmentCell?.favorable, let lo = e.low, let hi = e.high {
            alignmentDetail = "95% interval " + FigureFormatter.wholeRange(lo, hi)
        }
        var rateDetail = ""
        if !u.isSuppressed, let n = Optional(u.respondents), let hc = u.headcount, hc > 0 { rateDetail = "\(n) of \(hc) people answered" }
        let badge = QuadrantBadge(u.isSuppressed ? nil : u.quadrant, borderline: u.isSuppressed ? nil : u.borderline)
        var balanceDetail: [String] = []
        if !badge.isEmpty { balanceDetail.append(badge.label + (badge.borderline ? " (borderline)" : "")) }
        if !u.isSuppressed, let a = u.autonomy?.value, let c = u.accountability?.value {
            balanceDetail.append("autonomy \(FigureFormatter.whole(a)) \u{00B7} accountability \(FigureFormatter.whole(c))")
        }
        return [
            Tile(label: "Engagement index", value: f.survey(u.engagementIndex?.value, of: u, withheld: withheld.engagement, FigureFormatter.whole),
                 unit: "%", detail: detail(engagementDetail.joined(separator: " \u{00B7} "), withheld.engagement),
                 help: "share of favourable answers on the engagement items",
                 change: engagementChange.text, changeClass: engagementChange.cssClass),
            Tile(label: "Engagement score", value: f.survey(u.engagementScore, of: u, withheld: withheld.engagement, FigureFormatter.whole),
                 unit: "/100", detail: detail("", withheld.engagement), help: "mean answer on the engagement items, on 0-100"),
            Tile(label: "eNPS", value: f.survey(u.enps, of: u, withheld: u.enpsHidden, FigureFormatter.signedWhole),
                 detail: detail("", u.enpsHidden), help: "% promoters (9-10) minus % detractors (0-6), -100 to 100"),
            Tile(label: "Response rate", value: f.survey(u.responseRate, of: u, FigureFormatter.whole), unit: "%",
                 detail: rateDetail, help: "respondents / headcount"),
            Tile(label: "Alignment", value: f.survey(u.alignment, of: u, withheld: withheld.alignment, FigureFormatter.whole), unit: "%",
                 detail: detail(alignmentDetail, withheld.alignment), help: "favourable answers on the goal-alignment items",
                 change: alignmentChange.text, changeClass: alignmentChange.cssClass),
            Tile(label: "Autonomy \u{00D7} accountability", value: f.survey(u.balanceIndex, of: u, withheld: withheld.balance, FigureFormatter.whole),
                 unit: "/100", detail: detail(balanceDetail.joined(separator: " \u{00B7} "), withheld.balance), help: "balance index \u{221A}(A\u{00B7}C): high only when both are high",
                 accent: badge.cssClass),
        ]
    }

    /// Which headline figures of a shown unit are withheld on their own respondents (`UnitMetrics.hiddenFactors`).
    func withheldFigures(_ u: UnitMetrics) -> (engagement: Bool, alignment: Bool, autonomy: Bool, accountability: Bool, balance: Bool) {
        func hidden(_ role: FactorRole) -> Bool {
            guard !u.hiddenFactors.isEmpty, let i = input.instrument.factors.firstIndex(where: { $0.role == role }) else { return false }
            return u.hiddenFactors.contains(i)
        }
        let autonomy = hidden(.autonomy), accountability = hidden(.accountability)
        return (hidden(.engagement), hidden(.alignment), autonomy, accountability, autonomy || accountability)
    }

    /// The improvement headline figures (never suppressed: they are not answers of people).
    func improvementTiles(_ u: UnitMetrics, full: Bool) -> [Tile] {
        let f = format
        var tiles = [
            Tile(label: "Ideas implemented", value: .shown(String(u.ideasImplemented)),
                 detail: "\(u.ideasSubmitted) submitted \u{00B7} \(u.ideasRejected) rejected this quarter",
                 help: "ideas whose implementation date is in the quarter"),
            Tile(label: "Implementation rate", value: f.plain(u.implementationRate, FigureFormatter.whole), unit: "%",
                 help: "implemented / (implemented + rejected)"),
            Tile(label: "Cycle time P50", value: f.plain(u.cycleTimeP50, FigureFormatter.oneDecimal), unit: " days",
                 detail: u.cycleTimeP85.map { "P85: \(FigureFormatter.oneDecimal($0)) days" } ?? "",
                 help: "days from submission to implementation, median"),
            Tile(label: "Work in progress", value: .shown(String(u.wip)),
                 detail: u.ageP85.map { "age P85: \(FigureFormatter.oneDecimal($0)) days" } ?? "",
                 help: "open ideas at the end of the quarter"),
        ]
        if full {
            tiles += [
                Tile(label: "Ideas per person-year", value: f.plain(u.ideasPerPersonYear, FigureFormatter.oneDecimal),
                     help: "submitted / headcount, as a yearly rate"),
                Tile(label: "Cycle time P95", value: f.plain(u.cycleTimeP95, FigureFormatter.oneDecimal), unit: " days",
                     help: "95% of implemented ideas took at most this long"),
            ]
            if hasSubmitters {
                tiles.append(Tile(label: "Participation", value: f.plain(u.participation, FigureFormatter.whole), unit: "%",
                                  help: "people who submitted an idea this quarter / headcount"))
            }
            if hasGoals {
                tiles.append(Tile(label: "Goal attainment", value: f.plain(u.goalAttainment, FigureFormatter.ratioPercent), unit: "%",
                                  detail: u.goalCount > 0 ? Plural.counted(u.goalCount, "goal") : "no goals this quarter",
                                  help: "mean of min(actual / target, 1) over the unit's goals"))
            }
        }
        return tiles
    }

    /// One unit-table row; `href` relative to the page that shows it.
    func row(_ u: UnitMetrics, level: Int, href: String) -> UnitRow {
        let f = format
        let respondents: Figure
        switch u.suppression {
        case .belowMinimum?: respondents = Figure(text: "fewer than \(input.settings.minRespondents)", blank: true, why: f.hiddenWhy(.belowMinimum))
        case .complementary?: respondents = Figure(text: "hidden", blank: true, why: f.hiddenWhy(.complementary))
        case nil: respondents = .shown(String(u.respondents))
        }
        let withheld = withheldFigures(u)
        return UnitRow(
            name: u.teamName, teamId: u.teamId, href: href, level: min(level, 3), respondents: respondents,
            responseRate: f.survey(u.responseRate, of: u, FigureFormatter.whole),
            engagement: f.survey(u.engagementIndex?.value, of: u, withheld: withheld.engagement, FigureFormatter.whole),
            enps: f.survey(u.enps, of: u, withheld: u.enpsHidden, FigureFormatter.signedWhole),
            autonomy: f.survey(u.autonomy?.value, of: u, withheld: withheld.autonomy, FigureFormatter.whole),
            accountability: f.survey(u.accountability?.value, of: u, withheld: withheld.accountability, FigureFormatter.whole),
            balance: f.survey(u.balanceIndex, of: u, withheld: withheld.balance, FigureFormatter.whole),
            quadrant: QuadrantBadge(u.isSuppressed ? nil : u.quadrant, borderline: u.isSuppressed ? nil : u.borderline),
            ideasImplemented: String(u.ideasImplemented),
            cycleP50: f.plain(u.cycleTimeP50, FigureFormatter.oneDecimal),
            suppressed: u.isSuppressed)
    }

    func throughput(of position: Int) -> ThroughputChart? {
        guard !weeks.isEmpty else { return nil }
        guard let counts = weekly[position], !counts.isEmpty else { return nil }
        return ThroughputChart(weeks: weeks, counts: counts)
    }

    /// "3 units hidden ..." or "".
    func suppressionNote(among positions: [Int]) -> String {
        var below = 0, comp = 0
        for p in positions {
            switch tree.units[p].suppression {
            case .belowMinimum?: below += 1
            case .complementary?: comp += 1
            case nil: break
            }
        }
        guard below + comp > 0 else { return "" }
        let n = input.settings.minRespondents
        var parts: [String] = []
        if below > 0 { parts.append("\(below) with fewer than \(n) respondents") }
        if comp > 0 { parts.append("\(comp) so that a group of fewer than \(n) cannot be worked out by subtracting shown totals") }
        let total = below + comp
        return "Survey results of \(total) unit\(total == 1 ? " are" : "s are") hidden to protect confidentiality: "
            + parts.joined(separator: "; ") + ". Their idea and goal figures are still shown."
    }
}
