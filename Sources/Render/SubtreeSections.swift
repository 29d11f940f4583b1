
/// The sections a page shows about one unit's subtree below its figures: trends, the idea-flow charts, the key drivers
/// and the comments. The organisation page (for its root) and every unit page build and name them alike, so they do
/// it here once; a page model answers its own names first and asks these next.
struct SubtreeSections {
    var trends: TrendCharts?
    var cycleScatter: CycleScatter?
    var agingWIP: AgingWIPChart?
    var drivers: DriverChart?
    var comments: CommentsSection?

    /// None of the sections (an organisation with several roots has no single subtree to show).
    init() {}

    init(_ ctx: PageContext, position: Int) {
        trends = ctx.trends(ctx.tree.units[position])
        cycleScatter = ctx.cycleScatter(of: position)
        agingWIP = ctx.agingWIP(of: position)
        drivers = ctx.driverChart(of: position)
        comments = ctx.comments(of: position)
    }
}

extension SubtreeSections: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .trends: .init(trends)
        case .hasTrends: .init(trends != nil)
        case .cycleScatter: .init(cycleScatter)
        case .hasCycleScatter: .init(cycleScatter != nil)
        case .agingWIP: .init(agingWIP)
        case .hasAgingWIP: .init(agingWIP != nil)
        case .hasFlowCharts: .init(cycleScatter != nil || agingWIP != nil)
        case .drivers: .init(drivers)
        case .hasDrivers: .init(drivers != nil)
        case .comments: .init(comments)
        case .hasCommentsSection: .init(comments.map { !$0.comments.isEmpty || !$0.withheld.isEmpty } ?? false)
        default: .missing
        }
    }
}
