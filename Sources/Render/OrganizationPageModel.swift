import LeanPulseCore

/// `index.html`: the organisation's headline, its top levels on the quadrant, the unit table,
/// improvement flow, data quality and confidentiality notes.
struct OrganizationPageModel {
    var shell: PageShell
    var headlineName: String
    var hasHeadline: Bool
    var headlineHref: String
    var surveyTiles: [Tile]
    var improvementTiles: [Tile]
    var quadrant: QuadrantChart
    var table: UnitTable
    var throughput: ThroughputChart?
    var dataQuality: DataQualitySection
    var suppressionNote: String
    var heatmap: HeatmapChart?
    var items: ItemTable?
    var reliability: ReliabilityTable?
    /// Trends, idea-flow charts, drivers and comments of the page's subtree.
    var sections: SubtreeSections
    var correlation: String
    var unitCount: Int

    init(_ ctx: PageContext) {
        let input = ctx.input
        let tree = ctx.tree
        shell = ctx.shell(pageTitle: "\(input.title) \u{2014} \(input.metrics.period)", base: "")
        let single = tree.roots.count == 1 ? tree.roots.first : nil
        let href: (UnitMetrics) -> String = { "teams/" + TeamPageName.href(for: $0.teamId) }
        if let root = single {
            let u = tree.units[root]
            hasHeadline = true
            headlineName = u.teamName
            headlineHref = href(u)
            surveyTiles = ctx.surveyTiles(u)
            improvementTiles = ctx.improvementTiles(u, full: false)
            throughput = ctx.throughput(of: root)
        } else {
            hasHeadline = false
            headlineName = ""
            headlineHref = ""
            surveyTiles = []
            improvementTiles = []
            throughput = nil
        }
        // Chart: the root's children and grandchildren (or, with several roots, the roots and their children).
        let topLevels = single.map { r in tree.children[r] } ?? tree.roots
        var candidates: [Int] = []
        for p in topLevels {
            candidates.append(p)
            candidates.append(contentsOf: tree.children[p])
        }
        quadrant = QuadrantChart(title: "Autonomy and accountability of the top levels",
                                 units: candidates.map { tree.units[$0] }, own: single.map { tree.units[$0] },
                                 threshold: ctx.threshold, frame: ctx.quadrantFrame, maxDots: ctx.options.maxChartDots, hrefFor: href)

        let limit = 2000
        let listed = tree.preorder(from: tree.roots, maxLevel: max(0, ctx.options.indexTableDepth), limit: limit)
        let rows = listed.map { ctx.row(tree.units[$0.position], level: $0.level, href: href(tree.units[$0.position])) }
        let deeper = tree.units.count - rows.count
        table = UnitTable(
            caption: "Units down to level \(ctx.options.indexTableDepth) (each row covers the unit's whole subtree)",
            rows: rows,
            note: deeper > 0 ? "\(Plural.counted(deeper, "more unit", "more units")) further down: follow the links to each unit's page." : "")
        dataQuality = OrganizationPageModel.dataQuality(input, max: ctx.options.maxListedFindings)
        suppressionNote = ctx.suppressionNote(among: Array(tree.units.indices))
        if let c = input.metrics.engagementGoalCorrelation {
            correlation = "Across \(c.n) units with both figures, the correlation between engagement index and goal attainment is r = \(NumberText.fixed(c.r, decimals: 2))."
        } else {
            correlation = ""
        }
        unitCount = tree.units.count
        heatmap = ctx.heatmap(position: nil, hrefFor: href)
        items = ctx.tree.roots.count == 1 ? ItemTable(ctx.tree.units[ctx.tree.roots[0]], input: ctx.input, factorOfItem: ctx.factorOfItem) : nil
        reliability = ReliabilityTable(input.metrics.statistics, instrument: input.instrument)
        sections = single.map { SubtreeSections(ctx, position: $0) } ?? SubtreeSections()
    }

    static func dataQuality(_ input: ReportInput, max: Int) -> DataQualitySection {
        var e = 0, w = 0, i = 0
        for f in input.findings {
            switch f.severity {
            case .error: e += 1
            case .warning: w += 1
            case .info: i += 1
            }
        }
        let listed = input.findings.prefix(Swift.max(0, max)).map {
            DataQualitySection.FindingRow(severity: $0.severity.rawValue, location: $0.location.description,
                                          source: $0.source, code: $0.code, message: $0.message)
        }
        let more = input.findings.count - listed.count
        return DataQualitySection(
            imports: input.importCounts.map {
                .init(source: $0.source, file: $0.file, read: $0.read, accepted: $0.accepted, rejected: $0.rejected,
                      superseded: $0.superseded, unchanged: $0.unchanged)
            },
            errors: e, warnings: w, infos: i, findings: Array(listed),
            moreNote: more > 0 ? "\(Plural.counted(more, "more finding", "more findings")) in data_quality.csv." : "")
    }
}

extension OrganizationPageModel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .headlineName: .init(headlineName)
        case .hasHeadline: .init(hasHeadline)
        case .headlineHref: .init(headlineHref)
        case .surveyTiles: .init(surveyTiles)
        case .improvementTiles: .init(improvementTiles)
        case .quadrant: .init(quadrant)
        case .table: .init(table)
        case .throughput: .init(throughput)
        case .hasThroughput: .init(throughput != nil)
        case .dataQuality: .init(dataQuality)
        case .suppressionNote: .init(suppressionNote)
        case .hasSuppressionNote: .init(!suppressionNote.isEmpty)
        case .correlation: .init(correlation)
        case .hasCorrelation: .init(!correlation.isEmpty)
        case .unitCount: .init(unitCount)
        case .heatmap: .init(heatmap)
        case .hasHeatmap: .init(heatmap != nil)
        case .items: .init(items)
        case .reliability: .init(reliability)
        case .hasReliability: .init(reliability != nil)
        default: sections.value(of: name).or(shell.value(of: name))
        }
    }
}
