import Foundation
import LeanPulseCore
import Testing
@testable import Render

/// The partials written by Swift code (`NativePartial`) against their templates: the same bytes for every page of the
/// fixture report and for hand-made charts that reach every branch, and an override template still wins.
@Suite struct NativePartialTests {
    /// The built-in templates compiled without any Swift writer: what the template engine alone writes.
    static let engineOnly: TemplateRenderer = {
        let sources = try! TemplateSet(overrideDirectory: nil).sources
        return TemplateRenderer(templates: try! TemplateSet.compile(sources))
    }()

    static func engine(_ model: some TemplateModel, _ template: String) -> String {
        String(decoding: engineOnly.renderBytes(named: template, model: model)!, as: UTF8.self)
    }

    static func native(_ write: (ByteBuffer) -> Void) -> String {
        let out = ByteBuffer(capacity: 16)
        write(out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// A folder with a copy of every built-in template: a report rendered with it runs every partial as a template.
    static func copiesOfTheBuiltInTemplates() throws -> TempFolder {
        let folder = try TempFolder()
        for (name, text) in try TemplateSet(overrideDirectory: nil).sources {
            try text.write(toFile: folder.path + "/" + name + ".mustache", atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func theBuiltInSetWritesItsBusiestPartialsInSwiftAndAnOverrideSetNone() throws {
        #expect(try TemplateSet(overrideDirectory: nil).nativeNames == ["aging-wip", "cycle-scatter", "drivers", "heatmap", "items", "throughput", "tile"])
        let copies = try Self.copiesOfTheBuiltInTemplates()
        defer { copies.remove() }
        #expect(try TemplateSet(overrideDirectory: copies.path).nativeNames.isEmpty)
    }

    /// Every file of the fixture report (with the drivers, the flow charts and the comments), written once with the Swift
    /// writers and once with every template run by the engine, is the same apart from the manifest (render time).
    @Test(arguments: [false, true])
    func everyPageOfTheFixtureReportIsTheSameEitherWay(withDrivers: Bool) throws {
        let input = withDrivers ? ReportFixture.fullInput : ReportFixture.input
        let copies = try Self.copiesOfTheBuiltInTemplates()
        defer { copies.remove() }
        let native = try renderFixture(input: input)
        defer { native.remove() }
        let engine = try renderFixture(options: RenderOptions(templatesDirectory: copies.path), input: input)
        defer { engine.remove() }
        let files = native.files().filter { $0 != "manifest.json" }
        #expect(files == engine.files().filter { $0 != "manifest.json" })
        #expect(files.filter { $0.hasPrefix("teams/") }.count >= 4)
        for file in files {
            #expect(try native.bytes(file) == engine.bytes(file), "\(file) differs")
        }
        let team = try native.read("teams/ops.html")
        for part in ["Heatmap data", "Scatter data", "Aging data", "Weekly data"] { #expect(team.contains(part)) }
    }

    /// Each branch of the heatmap: a hidden row, a two-line column name, a change marker, a row without a link, an
    /// interval, a difference, a change label, low agreement, a note, and names with markup and a bidirectional control.
    @Test func heatmapBranches() {
        let layout = HeatmapChart.Columns(factors: ["engagement", "psychological safety & voice", "<growth>"], hasPromoters: true)
        let hostile = "R&D \"EU\" <b>'x'</b> \u{202E}tfel"
        let rows = [
            HeatmapRowInput(name: "Org", href: "1.html", isReference: true, cells: [
                HeatmapCell(value: 61, orgValue: 61, change: nil, suppressedReason: nil, low: 58, high: 64),
                HeatmapCell(value: 70, orgValue: 70, change: "up", suppressedReason: nil),
                HeatmapCell(value: nil, orgValue: nil, change: nil, suppressedReason: nil),
            ]),
            HeatmapRowInput(name: hostile + " with a name longer than the label", href: "", isReference: false, cells: [
                HeatmapCell(value: 49.6, orgValue: 61, change: "down", suppressedReason: nil, low: 40, high: 59, lowAgreement: true),
                HeatmapCell(value: 75, orgValue: 70, change: "no clear change", suppressedReason: nil),
                HeatmapCell(value: nil, orgValue: 50, change: nil, suppressedReason: "fewer than 5 <respondents>"),
            ]),
            HeatmapRowInput(name: "Hidden team", href: "r%26d.html?a=1&b=2", isReference: false, cells: Array(repeating:
                HeatmapCell(value: nil, orgValue: 61, change: nil, suppressedReason: "fewer than 5 respondents"), count: 3)),
        ]
        for note in ["", "Note: <i>partial</i> & more"] {
            let chart = HeatmapChart(title: hostile, columns: layout, rows: rows, referenceName: "Org & \"Co\"", note: note)
            let native = Self.native { chart.writeHTML(to: $0) }
            #expect(native == Self.engine(chart, "heatmap"))
            #expect(native.contains("hm-why") && native.contains("<tspan x=") && native.contains("class=\"mk\"")
                && native.contains("low agreement") && !native.contains("\u{202E}") && native.contains("R&amp;D &quot;EU&quot;"))
        }
        let empty = HeatmapChart(title: "T", columns: HeatmapChart.Columns(factors: []), rows: [], referenceName: "Org", note: "")
        #expect(Self.native { empty.writeHTML(to: $0) } == Self.engine(empty, "heatmap"))
    }

    @Test func itemTableBranches() {
        for minimum in [5, 12] {
            let table = ItemTable(rows: [
                .init(factor: "engagement", itemId: "q01", text: "I'd recommend <this> team & \"place\"", answered: "17",
                      favorable: "71", interval: "47\u{2013}87"),
                .init(factor: "safety & voice", itemId: "q<2>", text: "Hidden \u{2066}one\u{2069}", answered: "hidden", favorable: "\u{2014}",
                      interval: ""),
            ], minRespondents: minimum)
            #expect(Self.native { table.writeHTML(to: $0) } == Self.engine(table, "items"))
        }
        let none = ItemTable(rows: [], minRespondents: 5)
        #expect(Self.native { none.writeHTML(to: $0) } == Self.engine(none, "items"))
    }

    /// The scatter with and without its P50 and P85 lines (their labels stacked or apart), a sample smaller than the
    /// total, and a single point.
    @Test func cycleScatterBranches() throws {
        let period = Period(year: 2026, quarter: 3)
        let start = period.start.ordinal
        let sample = (0..<40).map { (i: Int) -> UnitDetails.CyclePoint in
            let day: Int32 = start + Int32(i * 2)
            let days = Int32(1 + (i * 7) % 60)
            return UnitDetails.CyclePoint(day: day, days: days, key: UInt64(i))
        }
        let cases: [(Int, Double?, Double?)] = [(40, 12, 30), (400, 20, 21), (40, nil, 30), (40, 12, nil), (40, nil, nil)]
        for (total, p50, p85) in cases {
            let chart = try #require(CycleScatter(sample: sample, total: total, p50: p50, p85: p85, period: period))
            #expect(Self.native { chart.writeHTML(to: $0) } == Self.engine(chart, "cycle-scatter"), "\(total) \(String(describing: p50)) \(String(describing: p85))")
        }
        let one = try #require(CycleScatter(sample: [sample[0]], total: 1, p50: 1, p85: 1, period: period))
        #expect(Self.native { one.writeHTML(to: $0) } == Self.engine(one, "cycle-scatter"))
    }

    /// Aging bars with the P85 line on either side (its label anchored at the start or the end) and without it.
    @Test func agingWIPBranches() throws {
        let bins = UnitDetails.ageBins.count
        let cases: [([Int], Double?)] = [
            ((0..<bins).map { $0 * 3 }, 4), ((0..<bins).map { $0 * 3 }, 400), ([1] + Array(repeating: 0, count: bins - 1), nil),
            ((0..<bins).map { 100 - $0 }, 45.5),
        ]
        for (counts, p85) in cases {
            let chart = try #require(AgingWIPChart(counts: counts, p85: p85))
            #expect(Self.native { chart.writeHTML(to: $0) } == Self.engine(chart, "aging-wip"), "\(counts) \(String(describing: p85))")
        }
    }

    /// Weekly throughput with and without weeks the quarter holds only part of, and with no idea at all.
    @Test func throughputBranches() {
        let whole = (27...39).map { ThroughputChart.Week(year: 2026, week: $0) }
        let parts = [ThroughputChart.Week(year: 2026, week: 26, days: 3)] + whole + [ThroughputChart.Week(year: 2026, week: 40, days: 2)]
        let counts = [202_626: 1, 202_627: 4, 202_631: 12, 202_639: 7, 202_640: 2]
        for (weeks, counts) in [(whole, counts), (parts, counts), (parts, [:]), (whole, [:])] {
            let chart = ThroughputChart(weeks: weeks, counts: counts)
            #expect(Self.native { chart.writeHTML(to: $0) } == Self.engine(chart, "throughput"), "\(weeks.count) weeks, \(counts.count) counts")
        }
    }

    /// Key drivers with and without relative weights and the strength line, priorities whose labels must step apart, a
    /// negative correlation, and question texts with markup.
    @Test func driverChartBranches() throws {
        var instrument = ReportFixture.instrument
        instrument.items[2].text = "I can <b>fix</b> \"things\" & 'say' so \u{202B}"
        let drivers = [
            ItemDriver(unitIndex: 0, itemIndex: 2, pairs: 58, correlation: 0.61, favorablePercent: 48.5, priority: true, relativeWeight: 0.123),
            ItemDriver(unitIndex: 0, itemIndex: 3, pairs: 60, correlation: 0.60, favorablePercent: 49, priority: true, relativeWeight: 0.05),
            ItemDriver(unitIndex: 0, itemIndex: 4, pairs: 59, correlation: 0.59, favorablePercent: 50, priority: true),
            ItemDriver(unitIndex: 0, itemIndex: 6, pairs: 61, correlation: -0.38, favorablePercent: 95, priority: false),
            ItemDriver(unitIndex: 0, itemIndex: 1, pairs: 61, correlation: nil, favorablePercent: 66, priority: false),
        ]
        for (list, threshold) in [(drivers, 60.0), (drivers.map { var d = $0; d.relativeWeight = nil; return d }, 5.0), (Array(drivers.suffix(2)), 0.3)] {
            let chart = try #require(DriverChart(list, instrument: instrument, threshold: threshold))
            #expect(Self.native { chart.writeHTML(to: $0) } == Self.engine(chart, "drivers"), "\(list.count) drivers, threshold \(threshold)")
            #expect(chart.strengthX.isEmpty == (threshold != 60))
            #expect(chart.hasWeights == (threshold == 60))
        }
    }

    /// A tile shown with its unit, blank with the reason, with and without a change and a detail line, with hostile text.
    @Test func tileBranches() {
        let hostile = "<b>\"A&B\"</b> 'x' \u{2067}"
        let tiles = [
            Tile(label: "Engagement", value: .shown("68"), unit: "%", detail: "95% interval 61\u{2013}74", help: "share", accent: "",
                 change: "+4 vs 2026-Q2", changeClass: "up"),
            Tile(label: hostile, value: Figure(text: "\u{2014}", blank: true, why: hostile), unit: "%", help: hostile, accent: "q-dr"),
            Tile(label: "eNPS", value: .shown("+12"), detail: hostile, change: hostile, changeClass: hostile),
            Tile(label: "", value: Figure(text: "", blank: false, why: ""), unit: ""),
        ]
        for tile in tiles {
            #expect(Self.native { tile.writeHTML(to: $0) } == Self.engine(tile, "tile"), "\(tile.label)")
        }
    }

    /// A partial a Swift writer includes (`value` in `tile`), overridden alone, takes the writer out too.
    @Test func overridingAnIncludedPartialTakesOutTheWriterThatIncludesIt() throws {
        let overrides = try TempFolder()
        defer { overrides.remove() }
        try "<em>{{text}}</em>".write(toFile: overrides.path + "/value.mustache", atomically: true, encoding: .utf8)
        #expect(try !TemplateSet(overrideDirectory: overrides.path).nativeNames.contains("tile"))
        let report = try renderFixture(options: RenderOptions(templatesDirectory: overrides.path))
        defer { report.remove() }
        #expect(try report.read("teams/ops.html").contains("<div class=\"value\"><em>"))
    }

    /// An override of a partial written in Swift is what the pages show: the Swift writer steps aside for it, and the
    /// other partials keep theirs.
    @Test func anOverriddenPartialIsRenderedFromTheOverride() throws {
        let overrides = try TempFolder()
        defer { overrides.remove() }
        try "<p class=\"mine\">{{title}}: {{#rows}}[{{fullName}}]{{/rows}}</p>\n"
            .write(toFile: overrides.path + "/heatmap.mustache", atomically: true, encoding: .utf8)
        #expect(try TemplateSet(overrideDirectory: overrides.path).nativeNames == ["aging-wip", "cycle-scatter", "drivers", "items", "throughput", "tile"])
        let report = try renderFixture(options: RenderOptions(templatesDirectory: overrides.path))
        defer { report.remove() }
        let page = try report.read("teams/ops.html")
        #expect(page.contains("<p class=\"mine\">"))
        #expect(!page.contains("Heatmap data"))
        #expect(page.contains("Scatter data"))
    }
}
