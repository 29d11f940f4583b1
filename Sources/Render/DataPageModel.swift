import LeanPulseCore

/// `data.html`: what was read from each source, what was rejected and why, and which units' survey
/// results are hidden and why; bounded lists with pointers to the complete CSV files.
struct DataPageModel {
    struct SuppressionRow {
        var name: String
        var teamId: String
        var href: String
        var reason: String
        var detail: String
    }

    var shell: PageShell
    var dataQuality: DataQualitySection
    var suppressions: [SuppressionRow]
    var suppressionCount: Int
    var belowMinimum: Int
    var complementary: Int
    var moreSuppressions: String

    init(_ ctx: PageContext) {
        let input = ctx.input
        shell = ctx.shell(pageTitle: "Data \u{2014} \(input.title)", base: "")
        let limit = max(0, ctx.options.maxDataPageRows)
        dataQuality = OrganizationPageModel.dataQuality(input, max: limit)
        let all = input.metrics.suppressions
        suppressionCount = all.count
        belowMinimum = all.filter { $0.reason == .belowMinimum }.count
        complementary = all.count - belowMinimum
        suppressions = all.prefix(limit).map { s in
            let name = ctx.tree.positionById[s.teamId].map { ctx.tree.units[$0].teamName } ?? s.teamId
            let reason = s.reason == .belowMinimum ? "fewer than \(input.settings.minRespondents) respondents"
                : "hidden to protect another group" + (s.protects.map { " (the remainder of \($0))" } ?? "")
            return SuppressionRow(name: name, teamId: s.teamId, href: "teams/" + TeamPageName.href(for: s.teamId), reason: reason, detail: s.detail)
        }
        let more = all.count - suppressions.count
        moreSuppressions = more > 0 ? "\(Plural.counted(more, "more suppression", "more suppressions")) in suppression_log.csv." : ""
    }
}

extension DataPageModel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .dataQuality: .init(dataQuality)
        case .suppressions: .init(suppressions)
        case .hasSuppressions: .init(!suppressions.isEmpty)
        case .suppressionCount: .init(suppressionCount)
        case .unitsWord: .init(Plural.noun(suppressionCount, "unit"))
        case .belowMinimum: .init(belowMinimum)
        case .complementary: .init(complementary)
        case .moreSuppressions: .init(moreSuppressions)
        case .hasMoreSuppressions: .init(!moreSuppressions.isEmpty)
        default: shell.value(of: name)
        }
    }
}

extension DataPageModel.SuppressionRow: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .teamId: .init(teamId)
        case .href: .init(href)
        case .reason: .init(reason)
        case .detail: .init(detail)
        default: .missing
        }
    }
}

/// The comments of a unit's subtree (METRICS.md 6): only for a shown group with at least
/// `min_comment_respondents` comments; a bounded, fixed random sample of them.
struct CommentsSection {
    struct Comment {
        var text: String
    }

    var comments: [Comment]
    var note: String
    /// Why no comments are shown, "" when they are.
    var withheld: String

    init(details: UnitDetails, position: Int, unit: UnitMetrics, minimum: Int) {
        guard position < details.commentCount.count else {
            comments = []
            note = ""
            withheld = ""
            return
        }
        let count = details.commentCount[position]
        if count == 0 {
            comments = []
            note = ""
            withheld = ""
        } else if unit.isSuppressed || count < minimum || !(details.commentsShown.indices.contains(position) && details.commentsShown[position]) {
            comments = []
            note = ""
            withheld = "Comments are shown only for groups with at least \(minimum) comments, and not where they could be narrowed down to a smaller group by comparing with the pages of its sub-units; this group's are withheld."
        } else {
            comments = details.commentSample[position].map { Comment(text: $0.text) }
            note = comments.count < count
                ? "\(comments.count) of \(count) comments, a fixed random sample (the same on every run of this data)."
                : "All \(count) comments, in an order that says nothing about who wrote them or when."
            withheld = ""
        }
    }
}

extension CommentsSection: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .comments: .init(comments)
        case .hasComments: .init(!comments.isEmpty)
        case .note: .init(note)
        case .withheld: .init(withheld)
        case .isWithheld: .init(!withheld.isEmpty)
        default: .missing
        }
    }
}

extension CommentsSection.Comment: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .text: .init(text)
        default: .missing
        }
    }
}
