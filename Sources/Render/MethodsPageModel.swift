import LeanPulseCore

/// `methods.html`: every metric's definition (as METRICS.md states it) and the settings in force.
struct MethodsPageModel {
    struct Entry {
        var term: String
        var text: String
    }

    struct FactorEntry {
        var name: String
        var id: String
        var role: String
        var items: [Entry]
    }

    var shell: PageShell
    var settings: [Entry]
    var survey: [Entry]
    var improvement: [Entry]
    var statistics: [Entry]
    var confidentiality: [Entry]
    var presentation: [Entry]
    var factors: [FactorEntry]
    var instrument: String

    init(_ ctx: PageContext) {
        let s = ctx.input.settings
        let n = s.minRespondents
        let threshold = NumberText.fixed(s.strengthThreshold, decimals: s.strengthThreshold.rounded() == s.strengthThreshold ? 0 : 1)
        shell = ctx.shell(pageTitle: "Methods \u{2014} \(ctx.input.title)", base: "")
        let aggregation: String = switch s.favorableAggregation {
        case .itemMean: "item-mean: the unrounded mean of the factor's item % favourable values (as the US OPM FEVS)"
        case .pooled: "pooled: all favourable answers on the factor's items / all answers on them"
        case .personMean: "person-mean: each respondent's share of favourable answers on the factor, averaged over respondents who answered at least one of its items"
        }
        // person-mean weighs a respondent by the questions they answered (DECISIONS 44).
        let partialAnswers = s.favorableAggregation != .personMean ? "" : " Under person-mean the people who answered only part of a factor's questions are a group of their own too (each weighs by the questions they answered, so the factor against its questions would give their answers away): the factor is also hidden where 1 to \(n - 1) of them remain, directly or by a subtraction."
        let cycle = s.cycleTimeInclusive
            ? "inclusive: implemented \u{2212} submitted + 1 days (an idea implemented on the day it was submitted took 1 day)"
            : "exclusive: implemented \u{2212} submitted days (same day = 0)"
        settings = [
            Entry(term: "min_respondents = \(n)", text: "A group with fewer than \(n) respondents shows no score, interval, change or respondent count anywhere."),
            Entry(term: "min_comment_respondents = \(s.minCommentRespondents)", text: "Comments are shown only for groups with at least \(s.minCommentRespondents) comments, and never in CSV exports."),
            Entry(term: "favorable_aggregation = \(s.favorableAggregation.rawValue)", text: "Factor % favourable is computed as " + aggregation + "."),
            Entry(term: "strength_threshold = \(threshold)", text: "The strength line s of the autonomy-accountability quadrant: a value at or above \(threshold)% favourable counts as a strength."),
            Entry(term: "cycle_time_inclusive = \(s.cycleTimeInclusive)", text: "Cycle time is " + cycle + "."),
        ]
        survey = [
            Entry(term: "Respondents, headcount, response rate", text: "Respondents n are the period's responses whose team is in the group (a unit's subtree includes all its sub-units; one response per person per period, the latest). Headcount N sums the organisation file's own members over the subtree. Response rate = 100 \u{00D7} n / N, blank when N is unknown or 0."),
            Entry(term: "Normalized score", text: "An answer x on a scale min\u{2026}max scores 100 \u{00D7} (x \u{2212} min) / (max \u{2212} min); reverse-worded items are first scored min + max \u{2212} x. Answers outside the scale, unlabelled text and \u{201C}don't know\u{201D} or \u{201C}N/A\u{201D} are not answered and leave the denominator (the first two with a data-quality warning)."),
            Entry(term: "% favourable", text: "Item % favourable = favourable answers / answers (5-point scales: 4 and 5; 7-point: 6 and 7; 0-10: 9 and 10). Factor % favourable: see favorable_aggregation above."),
            Entry(term: "Factor score (0-100)", text: "The mean over respondents of each respondent's mean normalized score on the factor's answered items."),
            Entry(term: "Engagement index and score", text: "Engagement index = factor % favourable of the factor marked engagement; engagement score = its factor score."),
            Entry(term: "eNPS", text: "100 \u{00D7} share answering 9-10 minus 100 \u{00D7} share answering 0-6 on the 0-10 recommendation item, over those who answered it; from \u{2212}100 to 100."),
            Entry(term: "Alignment", text: "Factor % favourable of the factor marked alignment."),
            Entry(term: "Autonomy A, accountability C, balance", text: "A and C are the % favourable of the autonomy and accountability factors. Balance index = \u{221A}(A \u{00D7} C), high only when both are high; gap = A \u{2212} C (positive: freedom outruns accountability)."),
            Entry(term: "Quadrant", text: "With the strength line s = \(threshold): shared-responsibility (A \u{2265} s, C \u{2265} s: freedom within a framework); drifting (A \u{2265} s, C < s: freedom without accountability); command-and-control (A < s, C \u{2265} s: accountability without autonomy, compliance); disengaged (A < s, C < s). A unit is borderline when the 95% interval of A or of C contains s."),
        ]
        improvement = [
            Entry(term: "Submitted, implemented, rejected", text: "Ideas whose submission, implementation or rejection date falls in the period (calendar days, both ends included)."),
            Entry(term: "Implementation rate", text: "100 \u{00D7} implemented / (implemented + rejected) in the period; blank when both are 0."),
            Entry(term: "Ideas per person per year", text: "Submitted / headcount \u{00D7} 365 / days in the period."),
            Entry(term: "Participation", text: "100 \u{00D7} distinct submitters of the ideas submitted in the period / headcount (a person who submitted from two units counts once in each, and once in a unit above both). Shown only when the ideas log names its submitters (pseudonymized like respondents)."),
            Entry(term: "Cycle time P50, P85, P95", text: "Cycle time of an implemented idea is " + cycle + ". Percentiles over the ideas implemented in the period by nearest rank: the value at sorted position \u{2308}p/100 \u{00D7} m\u{2309} of m values."),
            Entry(term: "Work in progress, age P85", text: "WIP = ideas submitted by the period end and neither implemented nor rejected by then. Work-item age of an open idea = end \u{2212} submitted + 1 days; age P85 over WIP by nearest rank."),
            Entry(term: "Weekly throughput", text: "Ideas implemented per ISO week (improvement_flow.csv and the run charts)."),
            Entry(term: "Goal attainment", text: "The mean over the goals of a unit and its sub-units (every goal counts once) of min(actual / target, 1), or of the goal's 0-1 score; shown as a percentage. Across units the report gives the Pearson correlation with the engagement index and its n."),
        ]
        statistics = [
            Entry(term: "Intervals", text: "95% interval of a factor % favourable or score: the estimate \u{00B1} t(0.975, n\u{2212}1) \u{00D7} s / \u{221A}n \u{00D7} \u{221A}((N\u{2212}n)/(N\u{2212}1)) over respondents' person-level values, with the finite-population factor when headcount N > n; clipped to 0-100; blank when n < 2. Item intervals use Wilson's score interval."),
            Entry(term: "Change vs the previous quarter", text: "Welch t-test on person-level values when the items are identical in both periods; p-values adjusted across a chart with Benjamini-Hochberg. \u{201C}up\u{201D} or \u{201C}down\u{201D} only when the adjusted p < 0.05, otherwise \u{201C}no clear change\u{201D}. The two answer different questions: the interval says how precisely this quarter's respondents measure this quarter's team (narrow when most people answered); the test asks whether two quarters differ by more than people's answers vary from one respondent to the next. So last quarter's value may lie outside this quarter's interval while the change is still \u{201C}no clear change\u{201D}."),
            Entry(term: "Which cells are compared", text: "Every unit \u{00D7} factor cell of the heatmap is compared with the latest earlier stored period, all in one Benjamini-Hochberg family (factor_scores.csv lists the tests). Items are identified by id and a hash of their wording: where a factor's items changed, the cell is a trend break and is not compared. Earlier periods are recomputed on this period's organisation (with team_map, old team ids count as their new units); a unit whose membership the mapping changed by 1 to \(n - 1) respondents gets no earlier figure, so periods cannot be set against each other to isolate a smaller group."),
            Entry(term: "Trends over periods", text: "Engagement index, eNPS, balance index and ideas implemented for every stored period, each period with its own minimum-size and differencing rules (trends.csv)."),
            Entry(term: "Relative weights", text: "When metrics.relative_weights is set, drivers.csv adds each item's relative weight (Johnson 2000): its part of the engagement score's R\u{00B2} (the weights sum to R\u{00B2}), from the items' correlations."),
            Entry(term: "Agreement and reliability", text: "rwg(j) within-team agreement (flagged below 0.70), Cronbach's alpha per factor (flagged below 0.70), ICC(1) and ICC(2) across teams."),
        ]
        confidentiality = [
            Entry(term: "Minimum group size", text: "Every group with fewer than \(n) respondents is suppressed (below-minimum): its survey values and respondent count are blank in every output; the HTML says \u{201C}fewer than \(n)\u{201D}."),
            Entry(term: "Differencing protection", text: "Anyone who sees a unit's total and its sub-units' totals can subtract them, so what remains must hold nobody or at least \(n) respondents. A hidden sub-unit still counts as seen when its total is just the sum of seen sub-units of its own (it has no members of its own and nothing hidden below it). Until nothing changes, for each unit in ascending team id order: if the remainder is between 1 and \(n - 1), the seen sub-unit with the fewest respondents (ties: smallest team id) is suppressed as complementary; when that sub-unit is already hidden, the same choice is made inside it, down to a shown unit. Every suppression is listed in suppression_log.csv."),
            Entry(term: "Question level", text: "A question's % favourable describes the people who answered it, so each question gets the same rules on its own answers: it is hidden for a unit where fewer than \(n) answered it, and where a subtraction would leave 1 to \(n - 1) answers (item_scores.csv has no row for it; the page says hidden)."),
            Entry(term: "Factor and eNPS level", text: "The same for every figure built on some of a unit's respondents: a factor (engagement, autonomy, accountability, alignment and the others) is hidden for a unit where fewer than \(n) people answered any of its questions, where a subtraction would leave 1 to \(n - 1) of them, or where one of its questions is hidden (its average with the other questions shown would give that question away); the eNPS likewise on the people who answered the eNPS question. The balance index and quadrant need both autonomy and accountability. A hidden factor has no row in factor_scores.csv or agreement.csv, and no change against another period; a hidden question no row in drivers.csv; the page says hidden, with the reason." + partialAnswers),
            Entry(term: "Idea and goal figures", text: "They are not answers of people and stay visible for suppressed units."),
            Entry(term: "Identifiers", text: "Raw employee ids never reach the store or a report: they are replaced by a keyed HMAC-SHA256 pseudonym."),
        ]
        presentation = [
            Entry(term: "Rounding", text: "Computation is unrounded in double precision. CSV exports carry 6 decimals; these pages show whole numbers for percentages and scores and one decimal for rates and days."),
            Entry(term: "Blank (\u{2014})", text: "A dash means the figure is not defined (no data, or nothing to divide by) or is hidden for confidentiality; hover over it for which. A blank is never a zero."),
            Entry(term: "Heatmap", text: "Each cell is a factor's % favourable; its colour is the difference from the organisation (the top of the unit's tree) in percentage points: within 2, 2\u{2013}5, 5\u{2013}10, 10 or more, orange below and purple above (ColorBrewer PuOr, readable with colour-blindness). Grey rows are hidden for confidentiality, with the reason. \u{25B2}/\u{25BC} mark a clear change since the previous period where one was tested. At most \(PageContext.maxHeatmapRows) sub-units (the largest by headcount) per page."),
            Entry(term: "Key drivers chart", text: "Each driver item of a group with at least the drivers' minimum of respondents: impact = Pearson r of the item with the engagement score (up), score = its % favourable (right). Priorities (at most five per group) are strongly linked with engagement and score low."),
            Entry(term: "Cycle-time scatter and aging WIP", text: "The scatter draws ideas implemented in the quarter (implementation date, cycle time); above \(ctx.options.maxScatterPoints) ideas a fixed random sample of them, while its P50 and P85 lines come from all. Aging WIP counts the ideas open at the quarter's end by age since submission, in fixed bins, with the P85 age marked."),
            Entry(term: "Trends", text: "Small multiples of the headline figures by period; a gap where a period's figure is hidden or missing, a dashed line where the questions changed (a trend break). Shown once at least two periods have a value."),
            Entry(term: "Comments", text: "A unit page shows its subtree's comments only when its survey results are shown and there are at least \(s.minCommentRespondents), and not where the comments of a smaller group could be isolated by setting the page against its sub-units' pages; at most \(ctx.options.maxComments) per page, a fixed random sample, in an order unrelated to who wrote them or when."),
            Entry(term: "Team page names", text: "A unit's page is teams/<team id>.html with every byte of the team id outside A-Z a-z 0-9 . _ - written as %XX."),
        ]
        let instrument = ctx.input.instrument
        factors = instrument.factors.map { f in
            FactorEntry(name: f.name, id: f.id, role: f.role?.rawValue ?? "",
                        items: f.itemIndexes.compactMap { i in
                            guard instrument.items.indices.contains(i) else { return nil }
                            let item = instrument.items[i]
                            return Entry(term: item.id, text: item.text + (item.reverse ? " (reverse-scored)" : ""))
                        })
        }
        self.instrument = "\(instrument.id) version \(instrument.version)"
    }
}

extension MethodsPageModel: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .settings: .init(settings)
        case .survey: .init(survey)
        case .improvement: .init(improvement)
        case .statistics: .init(statistics)
        case .confidentiality: .init(confidentiality)
        case .presentation: .init(presentation)
        case .factors: .init(factors)
        case .hasFactors: .init(!factors.isEmpty)
        case .instrument: .init(instrument)
        default: shell.value(of: name)
        }
    }
}

extension MethodsPageModel.Entry: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .term: .init(term)
        case .text: .init(text)
        default: .missing
        }
    }
}

extension MethodsPageModel.FactorEntry: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .id: .init(id)
        case .role: .init(role)
        case .hasRole: .init(!role.isEmpty)
        case .items: .init(items)
        default: .missing
        }
    }
}
