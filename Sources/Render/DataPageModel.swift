import LeanPulseCore
import Mustache

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
        moreSuppressions = more > 0 ? "\(more) more suppression\(more == 1 ? "" : "s") in suppression_log.csv." : ""
    }
}

extension DataPageModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "dataQuality": dataQuality
        case "suppressions": suppressions
        case "hasSuppressions": !suppressions.isEmpty
        case "suppressionCount": suppressionCount
        case "belowMinimum": belowMinimum
        case "complementary": complementary
        case "moreSuppressions": moreSuppressions
        case "hasMoreSuppressions": !moreSuppressions.isEmpty
        default: shell.child(named: name)
        }
    }
}

extension DataPageModel.SuppressionRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "teamId": teamId
        case "href": href
        case "reason": reason
        case "detail": detail
        default: nil
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

extension CommentsSection: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "comments": comments
        case "hasComments": !comments.isEmpty
        case "note": note
        case "withheld": withheld
        case "isWithheld": !withheld.isEmpty
        default: nil
        }
    }
}

extension CommentsSection.Comment: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        default: nil
        }
    }
}
