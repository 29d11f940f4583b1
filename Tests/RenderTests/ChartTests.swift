import Foundation
import LeanPulseCore
import Testing
@testable import Render

/// The new charts from synthetic inputs: trends with gaps and breaks, heatmap colours, cycle-time and
/// aging samples, drivers, comments, the data page and branding.
@Suite struct ChartTests {
    @Test func trendsNeedTwoPointsAndDrawGapsAndBreaks() throws {
        #expect(TrendCharts([TrendSeries(title: "E", unit: "%", range: 0...100, points: [TrendChartPoint(period: "2026-Q3", value: 70)])]) == nil)
        let series = TrendSeries(title: "Engagement index", unit: "%", range: 0...100, points: [
            TrendChartPoint(period: "2025-Q4", value: 60),
            TrendChartPoint(period: "2026-Q1", value: 50),
            TrendChartPoint(period: "2026-Q2", value: nil),
            TrendChartPoint(period: "2026-Q3", value: 80, breakBefore: true),
            TrendChartPoint(period: "2026-Q4", value: 100),
        ])
        let charts = try #require(TrendCharts([series]))
        let panel = try #require(charts.panels.first)
        // x: 34 + i * (240 - 34 - 30) / 4 = 34, 78, 122, 166, 210; y: 12 + (1 - v / 100) * 86.
        #expect(panel.path == "M34 46.4L78 55M166 29.2L210 12")
        #expect(panel.dots.count == 4)
        #expect(panel.breaks.map(\.x) == ["144"])
        // Five periods: all labelled, the last one's 40 px centred on 210 ends inside the 240 px picture.
        #expect(panel.labels.map(\.x) == ["34", "78", "122", "166", "210"])
        #expect(panel.rows.map(\.value) == ["60%", "50%", "\u{2014}", "80%", "100%"])
        #expect(panel.lastText == "100%")
        let templates = try TemplateSet(overrideDirectory: nil)
        let html = try templates.render(charts, "trends")
        #expect(html.contains("<path class=\"trend\" d=\"M34 46.4L78 55M166 29.2L210 12\"/>"))
        #expect(html.contains("class=\"break\""))
    }

    @Test func longTrendsLabelOnlyTheFirstAndLastPeriod() throws {
        let periods = ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
        let series = TrendSeries(title: "eNPS", unit: "", range: -100...100,
                                 points: periods.enumerated().map { TrendChartPoint(period: $1, value: Double($0 * 10)) })
        let panel = try #require(TrendCharts([series])?.panels.first)
        // Six points are 35.2 px apart, closer than a 40 px label: only the ends are labelled.
        #expect(panel.labels.map(\.text) == ["2025-Q2", "2026-Q3"])
        #expect(panel.labels.map(\.x) == ["34", "210"])
    }

    /// A count's axis starts at zero: 52 -> 76 ideas is drawn as the rise it is, not from the bottom to the top.
    @Test func aCountTrendStartsAtZero() throws {
        let series = TrendSeries(title: "Ideas implemented", unit: "", range: nil,
                                 points: [TrendChartPoint(period: "2026-Q2", value: 52), TrendChartPoint(period: "2026-Q3", value: 76)])
        let panel = try #require(TrendCharts([series])?.panels.first)
        #expect(panel.lowText == "0")
        #expect(panel.highText == "76")
        // y = 12 + (1 - v / 76) * 86: 52 -> 39.2, 76 -> 12.
        #expect(panel.path == "M34 39.2L210 12")
    }

    /// The P50 and P85 labels of the cycle-time chart never overlap: P50's goes under its line, P85's over its own;
    /// near the axis, both stack upwards one text line apart.
    @Test func cycleTimeLabelsKeepApart() throws {
        let period = Period("2026-Q3")!
        let start = period.start.ordinal
        let sample: [UnitDetails.CyclePoint] = (0..<20).map { (i: Int) in
            UnitDetails.CyclePoint(day: start + Int32(i * 4), days: Int32(100 + i), key: UInt64(i))
        }
        func labelYs(p50: Double, p85: Double) throws -> [Double] {
            let chart = try #require(CycleScatter(sample: sample, total: 20, p50: p50, p85: p85, period: period))
            return chart.lines.map { Double($0.labelY)! }
        }
        for (p50, p85) in [(9.0, 9.5), (0.0, 1.0), (0.0, 0.0), (60.0, 62.0), (119.0, 119.0), (30.0, 100.0)] {
            let ys = try labelYs(p50: p50, p85: p85)
            #expect(ys.count == 2)
            #expect(abs(ys[0] - ys[1]) >= 11, "P50 \(p50), P85 \(p85): \(ys)")
            let bottom = CycleScatter.top + CycleScatter.plotHeight - 2
            #expect(ys.allSatisfy { $0 >= 9 && $0 <= bottom }, "\(ys)")
        }
    }

    @Test func heatmapColoursByDifferenceFromTheOrganisation() {
        #expect(HeatmapChart.colourClass(1.9) == "hm-0")
        #expect(HeatmapChart.colourClass(-2) == "hm-m1")
        #expect(HeatmapChart.colourClass(5) == "hm-p2")
        #expect(HeatmapChart.colourClass(-12) == "hm-m3")
        let chart = HeatmapChart(title: "t", columns: HeatmapChart.Columns(factors: ["A", "B"]), rows: [
            HeatmapRowInput(name: "Org", href: "o.html", isReference: true, cells: [
                HeatmapCell(value: 70, orgValue: 70, change: "up", suppressedReason: nil),
                HeatmapCell(value: 50, orgValue: 50, change: nil, suppressedReason: nil)]),
            HeatmapRowInput(name: "Team", href: "t.html", isReference: false, cells: [
                HeatmapCell(value: 58, orgValue: 70, change: "down", suppressedReason: nil),
                HeatmapCell(value: nil, orgValue: 50, change: nil, suppressedReason: nil)]),
            HeatmapRowInput(name: "Small", href: "s.html", isReference: false, cells: [
                HeatmapCell(value: nil, orgValue: 70, change: nil, suppressedReason: "fewer than 5 respondents"),
                HeatmapCell(value: nil, orgValue: 50, change: nil, suppressedReason: "fewer than 5 respondents")]),
        ], referenceName: "Org", note: "")
        #expect(chart.rows[0].cells.map(\.cssClass) == ["hm-ref", "hm-ref"])
        #expect(chart.rows[0].cells[0].marker == "\u{25B2}")
        #expect(chart.rows[1].cells.map(\.cssClass) == ["hm-m3", "hm-na"])
        #expect(chart.rows[1].tableCells[0].difference == "\u{2212}12")
        #expect(chart.rows[1].tableCells[0].change == "down")
        #expect(chart.rows[2].hiddenText == "hidden: fewer than 5 respondents")
        #expect(chart.rows[2].cells.allSatisfy { $0.cssClass == "hm-sup" })
    }

    @Test func unitDetailsKeepABoundedSampleAndExactCounts() throws {
        let tree = UnitTree(units: ReportFixture.units)
        let full = UnitDetails(dataset: ReportFixture.dataset, tree: tree, period: ReportFixture.period, cycleTimeInclusive: true,
                               maxPoints: 1000, maxComments: 1000, minCommentRespondents: 10)
        let small = UnitDetails(dataset: ReportFixture.dataset, tree: tree, period: ReportFixture.period, cycleTimeInclusive: true,
                                maxPoints: 3, maxComments: 4, minCommentRespondents: 10)
        // Independent count: ideas implemented inside 2026-Q3 (all units roll up into acme, position 0).
        let ideas = ReportFixture.dataset.ideas
        let start = ReportFixture.period.start.ordinal, end = ReportFixture.period.end.ordinal
        let implemented = (0..<ideas.count).filter { ideas.implemented[$0] != IdeaTable.noDay && ideas.implemented[$0] >= start && ideas.implemented[$0] <= end }
        #expect(full.cycleCount[0] == implemented.count)
        #expect(full.cycleSample[0].count == implemented.count)
        #expect(small.cycleCount[0] == implemented.count)
        #expect(small.cycleSample[0].count == 3)
        // The bounded sample is the prefix (by key) of the full one: the same on every run.
        #expect(small.cycleSample[0].map(\.key) == Array(full.cycleSample[0].prefix(3).map(\.key)))
        // Open ideas: submitted by the end, neither implemented nor rejected by then (k % 4 == 2: 10 ideas).
        #expect(full.ages(of: 0).reduce(0, +) == 10)
        #expect(small.commentCount[0] == 25 && small.commentSample[0].count == 4)
        #expect(full.commentCount[1] == 12 && full.commentCount[2] == 6 && full.commentCount[5] == 3 && full.commentCount[6] == 10)
        // acme, ops shown; ops-a (6), R&D (3) below the minimum; sales (10) withheld so that acme minus ops and
        // sales does not single out R&D's 3 comments.
        #expect(full.commentsShown == [true, true, false, false, false, false, false])
    }

    @Test func commentDifferencingHidesTheSmallestShownChild() {
        // root(0) -> a(1), b(2); a -> a1(3). Counts: root 30 = a 14 + b 12 + root's own 4.
        func unit(_ i: Int, _ id: String, _ parent: String?) -> UnitMetrics {
            UnitMetrics(unitIndex: i, teamId: id, teamName: id, parentId: parent, depth: parent == nil ? 0 : 1)
        }
        let tree = UnitTree(units: [unit(0, "r", nil), unit(1, "r-a", "r"), unit(2, "r-b", "r"), unit(3, "r-a-1", "r-a")])
        let bottomUp = [3, 2, 1, 0]
        #expect(UnitDetails.commentVisibility(tree: tree, counts: [30, 14, 12, 0], bottomUp: bottomUp, minimum: 10)
                == [true, true, false, false])
        // a(14) - a1(10) leaves 4: a1 withheld; root 36 - 14 - 12 leaves 10: b stays.
        #expect(UnitDetails.commentVisibility(tree: tree, counts: [36, 14, 12, 10], bottomUp: bottomUp, minimum: 10)
                == [true, true, true, false])
        // Nothing shown below: the whole list stands alone.
        #expect(UnitDetails.commentVisibility(tree: tree, counts: [30, 9, 9, 0], bottomUp: bottomUp, minimum: 10)
                == [true, false, false, false])
        // a(14) with a1(10) shown leaves a's own 4: a1 is withheld; then root: 30 - 14 - 12 = 4 -> b withheld.
        #expect(UnitDetails.commentVisibility(tree: tree, counts: [30, 14, 12, 10], bottomUp: bottomUp, minimum: 10)
                == [true, true, false, false])
    }

    @Test func commentsOnlyForGroupsWithTheMinimumAndEscaped() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let ops = try folder.read("teams/ops.html")
        #expect(ops.contains("In their own words"))
        #expect(ops.contains("Our lead &lt;b&gt;listens&lt;/b&gt; &amp; acts"))
        #expect(ops.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(ops.contains("All 12 comments"))
        #expect(try folder.read("index.html").contains("All 25 comments"))
        let sales = try folder.read("teams/sales.html")
        #expect(sales.contains("withheld") && !sales.contains("Sales comment"))
        let opsA = try folder.read("teams/ops-a.html")
        #expect(opsA.contains("withheld") && !opsA.contains("Too many meetings"))
        let rd = try folder.read("teams/r%26d%2Feu.html")
        #expect(!rd.contains("R&amp;D comment"))
        let suppressed = try folder.read("teams/ops-a-1.html")
        #expect(!suppressed.contains("<ul class=\"comments\">"))
        for csv in folder.files() where csv.hasSuffix(".csv") {
            #expect(!(try folder.read(csv)).contains("Too many meetings"), "\(csv) carries a comment")
        }
        // Bounded: at most `maxComments` per page.
        var options = RenderOptions()
        options.maxComments = 5
        let bounded = try renderFixture(options: options)
        defer { bounded.remove() }
        let page = try bounded.read("teams/ops.html")
        #expect(page.contains("5 of 12 comments"))
        let list = try #require(page.components(separatedBy: "<ul class=\"comments\">").last?.components(separatedBy: "</ul>").first)
        #expect(list.components(separatedBy: "<li>").count - 1 == 5)
    }

    @Test func flowChartsAndDriversAppearWithTheirDataTables() throws {
        let folder = try renderFixture(input: ReportFixture.fullInput)
        defer { folder.remove() }
        let index = try folder.read("index.html")
        #expect(index.contains("Cycle time of each implemented idea"))
        #expect(index.contains("Open ideas by age"))
        #expect(index.contains("P50 4.5 d") && index.contains("P85 12.3 d"))
        #expect(index.contains("What drives engagement here"))
        #expect(index.contains("<td><code>aut1</code></td><td>I can decide how to do my work</td><td class=\"n\">0.61</td><td class=\"n\">49</td>"))
        #expect(index.contains("Where each unit is strong or weak"))
        let ops = try folder.read("teams/ops.html")
        #expect(ops.contains("What drives engagement here"))
        #expect(!(try folder.read("teams/sales.html")).contains("What drives engagement here"))
        // Without the dataset the per-idea charts and comments are left out, nothing else changes.
        let plain = try renderFixture(dataset: nil)
        defer { plain.remove() }
        #expect(!(try plain.read("index.html")).contains("Cycle time of each implemented idea"))
    }

    @Test func dataPageListsSourcesFindingsAndSuppressionsBounded() throws {
        var options = RenderOptions()
        options.maxDataPageRows = 1
        let folder = try renderFixture(options: options)
        defer { folder.remove() }
        let page = try folder.read("data.html")
        #expect(page.contains("exports/pulse, Q3.csv"))
        #expect(page.contains("2 more findings in data_quality.csv."))
        #expect(page.contains("1 more suppression in suppression_log.csv."))
        #expect(page.contains("fewer than 5 respondents"))
        for name in folder.files() where name.hasSuffix(".html") {
            #expect(try folder.read(name).contains("data.html\">"), "\(name) does not link the data page")
        }
    }

    @Test func brandingEmbedsTheLogoAndAccentOnly() throws {
        var options = RenderOptions()
        options.branding = ReportBranding(logoDataURI: "data:image/png;base64,iVBORw0KGgo=", accent: "#0b6e4f")
        let folder = try renderFixture(options: options)
        defer { folder.remove() }
        let index = try folder.read("index.html")
        #expect(index.contains("<img class=\"logo\" src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\">"))
        #expect(index.contains(":root{--accent:#0b6e4f}"))
        // A value that did not pass validation never reaches the page.
        options.branding = ReportBranding(logoDataURI: "javascript:alert(1)", accent: "red;}body{color:#badbad")
        let bad = try renderFixture(options: options)
        defer { bad.remove() }
        let page = try bad.read("index.html")
        #expect(!page.contains("javascript:") && !page.contains("badbad") && !page.contains("<img"))
    }
}
