import LeanPulseCore
import Mustache

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
        items = ItemTable(u, input: ctx.input)
        sections = SubtreeSections(ctx, position: position)
    }
}

extension UnitPageModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "teamId": teamId
        case "crumbs": crumbs
        case "isSuppressed": !suppressedNote.isEmpty
        case "suppressedNote": suppressedNote
        case "headcount": headcount
        case "surveyTiles": surveyTiles
        case "improvementTiles": improvementTiles
        case "quadrant": quadrant
        case "hasQuadrant": quadrant != nil
        case "children": children
        case "hasChildren": !children.rows.isEmpty
        case "throughput": throughput
        case "hasThroughput": throughput != nil
        case "suppressionNote": suppressionNote
        case "hasSuppressionNote": !suppressionNote.isEmpty
        case "heatmap": heatmap
        case "hasHeatmap": heatmap != nil
        case "items": items
        default: sections.child(named: name) ?? shell.child(named: name)
        }
    }
}
