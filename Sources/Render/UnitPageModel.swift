import LeanPulseCore

/// `teams/<id>.html`: one unit's subtree — breadcrumb up to the root, its figures, its children
/// on the quadrant and in a table (the cascade, walked down and up).
struct UnitPageModel {
    var shell: PageShell
    var name: String
    var teamId: String
    var crumbs: [Crumb]
    var suppressedNote: String
    var headcount: String
    var surveyTiles: [Tile]
    var improvementTiles: [Tile]
    var quadrant: QuadrantChart?
    var children: UnitTable
    var throughput: ThroughputChart?
    var suppressionNote: String
    var heatmap: HeatmapChart?
    var items: ItemTable?
    /// Trends, idea-flow charts, drivers and comments of the page's subtree.
    var sections: SubtreeSections

    init(_ ctx: PageContext, position: Int) {
        let tree = ctx.tree
        let u = tree.units[position]
        shell = ctx.shell(pageTitle: "\(u.teamName) \u{2014} \(ctx.input.metrics.period)", base: "../")
        name = u.teamName
        teamId = u.teamId
        crumbs = [Crumb(name: "Organisation", href: "../index.html")]
            + tree.ancestors(of: position).map { Crumb(name: tree.units[$0].teamName, href: TeamPageName.href(for: tree.units[$0].teamId)) }
        suppressedNote = u.suppression.map { "Survey results for this unit are \(ctx.format.hiddenWhy($0))." } ?? ""
        headcount = u.headcount.map { "\($0) people" } ?? "headcount unknown"
        surveyTiles = ctx.surveyTiles(u)
        improvementTiles = ctx.improvementTiles(u, full: true)
        let kids = tree.children[position]
        let href: (UnitMetrics) -> String = { TeamPageName.href(for: $0.teamId) }
        if kids.isEmpty && u.isSuppressed {
            quadrant = nil
        } else {
            quadrant = QuadrantChart(title: kids.isEmpty ? "Autonomy and accountability" : "Autonomy and accountability of the sub-units",
                                     units: kids.map { tree.units[$0] }, own: u, threshold: ctx.threshold, frame: ctx.quadrantFrame,
                                     maxDots: ctx.options.maxChartDots, hrefFor: href)
        }
        children = UnitTable(caption: "Sub-units (each row covers the sub-unit's whole subtree)",
                             rows: kids.map { ctx.row(tree.units[$0], level: 0, href: href(tree.units[$0])) }, note: "")
        throughput = ctx.throughput(of: position)
        suppressionNote = ctx.suppressionNote(among: kids)
        heatmap = ctx.heatmap(position: position, hrefFor: href)
        items = ItemTable(u, input: ctx.input, factorOfItem: ctx.factorOfItem)
        sections = SubtreeSections(ctx, position: position)
    }
}

extension UnitPageModel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .teamId: .init(teamId)
        case .crumbs: .init(crumbs)
        case .isSuppressed: .init(!suppressedNote.isEmpty)
        case .suppressedNote: .init(suppressedNote)
        case .headcount: .init(headcount)
        case .surveyTiles: .init(surveyTiles)
        case .improvementTiles: .init(improvementTiles)
        case .quadrant: .init(quadrant)
        case .hasQuadrant: .init(quadrant != nil)
        case .children: .init(children)
        case .hasChildren: .init(!children.rows.isEmpty)
        case .throughput: .init(throughput)
        case .hasThroughput: .init(throughput != nil)
        case .suppressionNote: .init(suppressionNote)
        case .hasSuppressionNote: .init(!suppressionNote.isEmpty)
        case .heatmap: .init(heatmap)
        case .hasHeatmap: .init(heatmap != nil)
        case .items: .init(items)
        default: sections.value(of: name).or(shell.value(of: name))
        }
    }
}
