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

    /// One CSV export of this report, linked with what a row holds.
    struct Export {
        var file: String
        var rows: String
        var size: String
    }

    /// What one row of each export holds, in the order the page lists them (files not written are left out).
    static func exportRows(driverMinimum: Int) -> [(file: String, rows: String)] { [
        ("team_metrics.csv", "one row per unit (its whole subtree): every headline figure of the tiles and tables"),
        ("factor_scores.csv", "one row per shown unit and factor: % favourable and score with 95% intervals, and the change against the previous period"),
        ("item_scores.csv", "one row per shown unit and question: % favourable with its 95% interval"),
        ("drivers.csv", "one row per unit of at least \(driverMinimum) respondents and question: its link with engagement and its priority"),
        ("trends.csv", "one row per unit and stored period: the headline figures over time, on this period's organisation"),
        ("improvement_flow.csv", "one row per unit and ISO week: ideas implemented"),
        ("agreement.csv", "one row per shown unit and factor: rwg(j), how much its respondents agree"),
        ("reliability.csv", "one row per factor and statistic: Cronbach's alpha, ICC(1), ICC(2) for the organisation"),
        ("correlations.csv", "engagement index against goal attainment across units"),
        ("data_quality.csv", "one row per finding: file, line, column, severity, code, message"),
        ("suppression_log.csv", "one row per unit whose survey figures are hidden, and why"),
    ] }

    var shell: PageShell
    var exports: [Export]
    var dataQuality: DataQualitySection
    var suppressions: [SuppressionRow]
    var suppressionCount: Int
    var belowMinimum: Int
    var complementary: Int
    var moreSuppressions: String

    /// `written`: the files the report holds so far (the CSV exports are written before the pages).
    init(_ ctx: PageContext, written: [(path: String, bytes: Int)] = []) {
        let input = ctx.input
        shell = ctx.shell(pageTitle: "Data \u{2014} \(input.title)", base: "")
        let sizes = Dictionary(written.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
        let driverMinimum = input.metrics.statistics?.driverMinimum ?? SurveyStatisticsResult.defaultDriverMinimum
        exports = Self.exportRows(driverMinimum: driverMinimum).compactMap { e in
            sizes[e.file].map { Export(file: e.file, rows: e.rows, size: Self.sizeText($0)) }
        }
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

extension DataPageModel {
    /// `12 KB`, `3.4 MB`: a file's size for a reader deciding whether to open it.
    static func sizeText(_ bytes: Int) -> String {
        if bytes < 1_000 { return "\(bytes) bytes" }
        if bytes < 1_000_000 { return NumberText.whole(Double(bytes) / 1e3) + " KB" }
        return NumberText.oneDecimal(Double(bytes) / 1e6) + " MB"
    }
}

extension DataPageModel.Export: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .file: .init(file)
        case .rows: .init(rows)
        case .size: .init(size)
        default: .missing
        }
    }
}

extension DataPageModel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .exports: .init(exports)
        case .hasExports: .init(!exports.isEmpty)
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
