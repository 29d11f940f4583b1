import LeanPulseCore
@testable import Render

/// A small hand-built report: 4 levels, one unit suppressed below the minimum, one complementary,
/// names with `<`, `&`, `"`, `,`, emoji and a formula-looking name.
enum ReportFixture {
    static let period = Period(year: 2026, quarter: 3)

    static var instrument: Instrument {
        let agree = Scale(id: "agree5", min: 1, max: 5, labels: ["Strongly agree": 5])
        let ten = Scale(id: "zero10", min: 0, max: 10)
        let items = [
            Item(id: "eng1", text: "I am proud to work here", scale: agree),
            Item(id: "eng2", text: "I would stay <even if> offered \"more\"", scale: agree),
            Item(id: "aut1", text: "I can decide how to do my work", scale: agree),
            Item(id: "acc1", text: "We own our results & follow up", scale: agree),
            Item(id: "ali1", text: "I know how my goals support the company's", scale: agree),
            Item(id: "enps", text: "How likely are you to recommend us?", scale: ten),
            Item(id: "rev1", text: "I am blamed for mistakes", scale: agree, reverse: true),
        ]
        return Instrument(id: "lean-leadership", version: "2", items: items, factors: [
            Factor(id: "engagement", name: "Engagement", itemIndexes: [0, 1], role: .engagement),
            Factor(id: "autonomy", name: "Autonomy", itemIndexes: [2], role: .autonomy),
            Factor(id: "accountability", name: "Accountability", itemIndexes: [3, 6], role: .accountability),
            Factor(id: "alignment", name: "Alignment", itemIndexes: [4], role: .alignment),
            Factor(id: "enps", name: "eNPS", itemIndexes: [5], role: .enps),
        ])
    }

    static func unit(_ index: Int, _ id: String, _ name: String, parent: String?, depth: Int, respondents: Int, headcount: Int?,
                     engagement: Double?, autonomy: Double?, accountability: Double?, enps: Double?,
                     suppression: SuppressionReason? = nil) -> UnitMetrics {
        var u = UnitMetrics(unitIndex: index, teamId: id, teamName: name, parentId: parent, depth: depth)
        u.respondents = respondents
        u.headcount = headcount
        u.suppression = suppression
        u.ideasSubmitted = 3 + index
        u.ideasImplemented = 2 + index % 3
        u.ideasRejected = index % 2
        u.implementationRate = 100 * Double(u.ideasImplemented) / Double(u.ideasImplemented + u.ideasRejected)
        u.ideasPerPersonYear = headcount.map { Double(u.ideasSubmitted) / Double($0) * 365 / 92 }
        u.cycleTimeP50 = 4.5 + Double(index)
        u.cycleTimeP85 = 12.25 + Double(index)
        u.cycleTimeP95 = 20
        u.wip = index
        u.ageP85 = index == 0 ? nil : 30.5
        u.goalAttainment = index == 0 ? 0.8125 : nil
        u.goalCount = index == 0 ? 4 : 0
        guard suppression == nil else { return u }
        if let headcount { u.responseRate = 100 * Double(respondents) / Double(headcount) }
        if let engagement {
            u.engagementIndex = Estimate(value: engagement, low: max(0, engagement - 6.25), high: min(100, engagement + 6.25))
            u.engagementScore = engagement - 3.3333333
            u.engagementChange = index == 0 ? "up" : "no clear change"
        }
        u.enps = enps
        u.alignment = engagement.map { $0 - 10 }
        if let engagement { u.factorFavorable["engagement"] = engagement }
        if let a = autonomy { u.factorFavorable["autonomy"] = a }
        if let c = accountability { u.factorFavorable["accountability"] = c }
        if let engagement { u.factorFavorable["alignment"] = engagement - 10 }
        if let enps { u.factorFavorable["enps"] = 40 + enps / 2 }
        if let a = autonomy, let c = accountability {
            u.autonomy = Estimate(value: a, low: a - 8, high: a + 8)
            u.accountability = Estimate(value: c, low: c - 8, high: c + 8)
            u.balanceIndex = (a * c).squareRoot()
            u.balanceGap = a - c
            u.quadrant = QuadrantChart.quadrant(a, c, 65)
            u.borderline = abs(a - 65) < 8 || abs(c - 65) < 8
        }
        return u
    }

    static var units: [UnitMetrics] {
        [
            unit(0, "acme", "Acme & Co <Group>", parent: nil, depth: 0, respondents: 61, headcount: 80,
                 engagement: 72.5, autonomy: 70, accountability: 68.4, enps: 12.5),
            unit(1, "ops", "Operations, \"North\"", parent: "acme", depth: 1, respondents: 30, headcount: 40,
                 engagement: 64.28571428, autonomy: 58, accountability: 77, enps: -12.5),
            unit(2, "ops-a", "Assembly \u{1F680} team", parent: "ops", depth: 2, respondents: 20, headcount: 25,
                 engagement: 81.0000004, autonomy: 82, accountability: 59.5, enps: 0),
            unit(3, "ops-a-1", "Line <script>alert(1)</script>", parent: "ops-a", depth: 3, respondents: 3, headcount: 4,
                 engagement: nil, autonomy: nil, accountability: nil, enps: nil, suppression: .belowMinimum),
            unit(4, "ops-b", "=SUM(A1)", parent: "ops", depth: 2, respondents: 6, headcount: 9,
                 engagement: nil, autonomy: nil, accountability: nil, enps: nil, suppression: .complementary),
            unit(5, "r&d/eu", "R&D Europe", parent: "acme", depth: 1, respondents: 11, headcount: nil,
                 engagement: 55, autonomy: 40.2, accountability: 45, enps: -0.0000001),
            unit(6, "sales", "Sales, Marketing & \"Growth\"", parent: "acme", depth: 1, respondents: 20, headcount: 31,
                 engagement: 99.9999996, autonomy: 90, accountability: 30, enps: 45),
        ]
    }

    static var metrics: PeriodMetrics {
        PeriodMetrics(
            period: period, units: units,
            suppressions: [
                SuppressionEntry(teamId: "ops-a-1", reason: .belowMinimum, protects: nil, detail: "fewer than 5 respondents"),
                SuppressionEntry(teamId: "ops-b", reason: .complementary, protects: "ops",
                                 detail: "protects the remainder of ops, \"Operations\""),
            ],
            weeklyThroughput: [
                (unit: 0, isoYear: 2026, isoWeek: 27, implemented: 2),
                (unit: 0, isoYear: 2026, isoWeek: 30, implemented: 5),
                (unit: 0, isoYear: 2026, isoWeek: 39, implemented: 1),
                (unit: 1, isoYear: 2026, isoWeek: 30, implemented: 3),
            ],
            engagementGoalCorrelation: (r: 0.4321, n: 12))
    }

    /// `metrics` with key drivers for the organisation (unit 0) and Operations (unit 1).
    static var metricsWithDrivers: PeriodMetrics {
        var m = metrics
        m.statistics = SurveyStatisticsResult(drivers: [
            ItemDriver(unitIndex: 0, itemIndex: 2, pairs: 58, correlation: 0.61, favorablePercent: 48.5, priority: true),
            ItemDriver(unitIndex: 0, itemIndex: 3, pairs: 60, correlation: 0.42, favorablePercent: 71, priority: false),
            ItemDriver(unitIndex: 0, itemIndex: 4, pairs: 59, correlation: 0.55, favorablePercent: 52, priority: true),
            ItemDriver(unitIndex: 0, itemIndex: 6, pairs: 61, correlation: -0.08, favorablePercent: 80, priority: false),
            ItemDriver(unitIndex: 0, itemIndex: 1, pairs: 61, correlation: nil, favorablePercent: 66, priority: false),
            ItemDriver(unitIndex: 1, itemIndex: 2, pairs: 30, correlation: 0.33, favorablePercent: 40, priority: true),
        ], driverMinimum: 30)
        return m
    }

    /// The period's rows behind the charts: ideas of every unit (implemented in the quarter, open and
    /// rejected) and comments (12 in Operations' subtree, 3 in R&D: below the comment minimum of 10,
    /// 10 in Sales: withheld, since Acme's 25 minus Operations' 12 and Sales' 10 would leave R&D's 3).
    static var dataset: PeriodDataset {
        let org = try! Organization(units: units.map { OrgUnit(id: $0.teamId, parentId: $0.parentId, name: $0.teamName, headcount: $0.headcount) })
        var ideas = IdeaTable()
        let start = period.start
        for k in 0..<40 {
            let unit = Int32(k % 7)
            let submitted = start + (k * 5 % 80 - 20)
            switch k % 4 {
            case 0, 1: ideas.append(unit: unit, submitted: submitted, implemented: submitted + (3 + k * 7 % 31), rejected: nil)
            case 2: ideas.append(unit: unit, submitted: submitted + (-k * 9), implemented: nil, rejected: nil)
            default: ideas.append(unit: unit, submitted: submitted, implemented: nil, rejected: submitted + 2)
            }
        }
        var responses = ResponseTable(itemCount: 7)
        let texts = ["More time for improvement work, please.", "Our lead <b>listens</b> & acts", "Tools are \"fine\"", "=cmd|' /C calc'!A0",
                     "Line one\nline two", "Great team \u{1F680}", "Too many meetings", "Clear goals this quarter",
                     "We need training", "Handover between shifts is rough", "Proud of the new line", "<script>alert(1)</script>"]
        for (i, text) in texts.enumerated() {
            responses.append(unit: i % 2 == 0 ? 2 : 1, answers: Array(repeating: 4, count: 7), comment: text)
        }
        for text in ["R&D comment one", "R&D comment two", "R&D comment three"] {
            responses.append(unit: 5, answers: Array(repeating: 3, count: 7), comment: text)
        }
        for i in 1...10 {
            responses.append(unit: 6, answers: Array(repeating: 5, count: 7), comment: "Sales comment \(i)")
        }
        return PeriodDataset(period: period, organization: org, instrument: instrument, responses: responses, ideas: ideas, goals: [])
    }

    static var input: ReportInput {
        ReportInput(
            title: "Acme lean leadership pulse <Q3>", pipelineName: "acme-lean-pulse", period: period,
            generatedAt: "2026-10-01T06:00:00Z", toolVersion: "0.1.0", instrument: instrument, settings: MetricSettings(),
            metrics: metrics,
            findings: [
                DataQualityFinding(source: "pulse", location: SourceLocation(file: "exports/pulse, Q3.csv", line: 14, column: 3),
                                   severity: .warning, code: "out-of-range", message: "answer \"7\" is outside 1...5, so it is not answered"),
                DataQualityFinding(source: "pulse", location: SourceLocation(file: "exports/pulse, Q3.csv", line: 20),
                                   severity: .error, code: "unknown-team", message: "=HYPERLINK(\"x\") is not a team"),
                DataQualityFinding(source: "ideas", location: SourceLocation(file: "ideas/ideas.xml"),
                                   severity: .info, code: "duplicate", message: "-idea 17 superseded\nby a later row"),
            ],
            importCounts: [
                ImportCounts(source: "pulse", file: "exports/pulse, Q3.csv", sha256: String(repeating: "a", count: 64),
                             read: 70, accepted: 61, rejected: 2, superseded: 7),
                ImportCounts(source: "ideas", file: "ideas/ideas.xml", sha256: String(repeating: "b", count: 64),
                             read: 40, accepted: 40, unchanged: true),
            ],
            inputs: [
                InputFileRecord(source: "pulse", path: "exports/pulse, Q3.csv", sha256: String(repeating: "a", count: 64), bytes: 12345),
                InputFileRecord(source: "ideas", path: "ideas/ideas.xml", sha256: String(repeating: "b", count: 64), bytes: 678),
            ],
            configHash: String(repeating: "c", count: 64),
            timings: [(stage: "ingest", seconds: 0.25), (stage: "compute", seconds: 1.5)])
    }

    /// `input` with key drivers (the golden pages show the drivers chart).
    static var fullInput: ReportInput {
        var i = input
        i.metrics = metricsWithDrivers
        return i
    }
}
