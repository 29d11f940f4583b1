import LeanPulseCore
import Testing
@testable import Compute

/// Scales, reverse scoring, the three factor aggregations, factor score and eNPS, hand-computed.
struct SurveyMetricsTests {
    @Test(arguments: [
        (1, 4, Set([3, 4]), Set([1, 2])),
        (1, 5, Set([4, 5]), Set([1, 2])),
        (1, 6, Set([5, 6]), Set([1, 2, 3])),
        (1, 7, Set([6, 7]), Set([1, 2, 3])),
        (0, 10, Set([9, 10]), Set(0...6)),
    ])
    func favorableSetsByScaleLength(min: Int, max: Int, favorable: Set<Int>, unfavorable: Set<Int>) {
        let scale = Scale(id: "s", min: min, max: max)
        #expect(scale.favorable == favorable)
        #expect(scale.unfavorable == unfavorable)
    }

    static let agree = Scale(id: "agree5", min: 1, max: 5)
    static let nps = Scale(id: "nps", min: 0, max: 10)

    /// One unit; factor `f` = items i1, i2 (i2 optionally reverse-worded), plus an eNPS item.
    static func dataset(reverseI2: Bool, rows: [[Int16?]]) throws -> PeriodDataset {
        let org = try Organization(units: [OrgUnit(id: "t", parentId: nil, name: "Team", headcount: nil)])
        let items = [
            Item(id: "i1", text: "", scale: agree),
            Item(id: "i2", text: "", scale: agree, reverse: reverseI2),
            Item(id: "nps", text: "", scale: nps),
        ]
        let instrument = Instrument(id: "x", version: "1", items: items, factors: [
            Factor(id: "f", name: "F", itemIndexes: [0, 1], role: .engagement),
            Factor(id: "e", name: "eNPS", itemIndexes: [2], role: .enps),
        ])
        var table = ResponseTable(itemCount: 3)
        for row in rows { table.append(unit: 0, answers: row, comment: nil) }
        return PeriodDataset(period: Period("2026-Q1")!, organization: org, instrument: instrument,
                             responses: table, ideas: IdeaTable(), goals: [])
    }

    // r1: i1 5, i2 -  -> share 100, score 100
    // r2: i1 4, i2 2  -> share 50,  score (75 + 25) / 2 = 50
    // r3: i1 1, i2 2  -> share 0,   score (0 + 25) / 2 = 12.5
    // items: i1 2/3 favorable, i2 0/2.
    static let rows: [[Int16?]] = [[5, nil, 10], [4, 2, 9], [1, 2, 8]]

    static func unit(_ aggregation: FavorableAggregation, reverse: Bool = false, rows: [[Int16?]] = rows) throws -> UnitMetrics {
        let data = try dataset(reverseI2: reverse, rows: rows)
        let settings = MetricSettings(minRespondents: 1, favorableAggregation: aggregation)
        return MetricsCalculator.compute(data, settings: settings).units[0]
    }

    /// METRICS.md 1: a group's headcount is the sum over its subtree, so one unit without a stated headcount leaves the
    /// group's unknown (no response rate, no finite-population factor), where a sum of the stated ones gave 4 of 2 people
    /// answering (200%) and an interval narrowed to its point.
    @Test func aSubtreeWithAnUnknownHeadcountHasNone() throws {
        let org = try Organization(units: [OrgUnit(id: "root", parentId: nil, name: "Root", headcount: 0),
                                           OrgUnit(id: "a", parentId: "root", name: "A", headcount: 2),
                                           OrgUnit(id: "b", parentId: "root", name: "B", headcount: nil)])
        let instrument = Instrument(id: "x", version: "1", items: [Item(id: "i1", text: "", scale: Self.agree)],
                                    factors: [Factor(id: "f", name: "F", itemIndexes: [0], role: .engagement)])
        var table = ResponseTable(itemCount: 1)
        // Organization orders units by id: a = 0, b = 1, root = 2.
        for (unit, answer) in [(0, 5), (0, 4), (1, 2), (1, 4)] { table.append(unit: Int32(unit), answers: [Int16(answer)], comment: nil) }
        let data = PeriodDataset(period: Period("2026-Q1")!, organization: org, instrument: instrument,
                                 responses: table, ideas: IdeaTable(), goals: [])
        let metrics = MetricsCalculator.compute(data, settings: MetricSettings(minRespondents: 1, favorableAggregation: .itemMean)).units
        func unit(_ id: String) -> UnitMetrics { metrics.first { $0.teamId == id }! }
        #expect(unit("a").headcount == 2 && unit("a").responseRate == 100)
        #expect(unit("b").headcount == nil && unit("b").responseRate == nil)
        #expect(unit("root").headcount == nil && unit("root").responseRate == nil)
        // Without a population the root's interval is the plain t interval: shares 100, 100, 0, 100 -> 75 +- t(3) * 50 / 2.
        let e = try #require(unit("root").engagementIndex)
        #expect(abs(e.value - 75) < 1e-9)
        #expect(abs(e.low! - max(0, 75 - 3.182446305284263 * 25)) < 1e-6)
    }

    @Test func itemMeanAggregation() throws {
        let m = try Self.unit(.itemMean)
        #expect(abs(m.factorFavorable["f"]! - (200.0 / 3 + 0) / 2) < 1e-12)  // 33.33
    }

    @Test func pooledAggregation() throws {
        let m = try Self.unit(.pooled)
        #expect(abs(m.factorFavorable["f"]! - 40) < 1e-12)  // 2 of 5 answers
    }

    @Test func personMeanAggregation() throws {
        let m = try Self.unit(.personMean)
        #expect(abs(m.factorFavorable["f"]! - 50) < 1e-12)  // (100 + 50 + 0) / 3
        #expect(abs(m.engagementIndex!.value - 50) < 1e-12)
    }

    @Test func factorScoreIsTheMeanOfPersonMeans() throws {
        let m = try Self.unit(.itemMean)
        #expect(abs(m.factorScore["f"]! - (100 + 50 + 12.5) / 3) < 1e-12)
        #expect(m.engagementScore == m.factorScore["f"])
    }

    @Test func reverseScoringComesFirst() throws {
        // i2 = 2 reversed is 4: favorable, normalized 75.
        let m = try Self.unit(.pooled, reverse: true)
        #expect(abs(m.factorFavorable["f"]! - 80) < 1e-12)  // 4 of 5
        #expect(abs(m.factorScore["f"]! - (100 + 75 + 37.5) / 3) < 1e-12)
    }

    @Test func outOfRangeAnswersAreNotAnswered() throws {
        // 9 on a 1-5 scale and 11 on 0-10 leave the denominators; the row still counts as a respondent.
        let m = try Self.unit(.pooled, rows: Self.rows + [[9, nil, 11]])
        #expect(m.respondents == 4)
        #expect(abs(m.factorFavorable["f"]! - 40) < 1e-12)
    }

    @Test func enpsOverThoseWhoAnswered() throws {
        // 10, 9 promoters; 8, 7 passive; 6, 0 detractors; one blank: (2 - 2) / 6.
        let rows: [[Int16?]] = [[4, 4, 10], [4, 4, 9], [4, 4, 8], [4, 4, 7], [4, 4, 6], [4, 4, 0], [4, 4, nil]]
        #expect(try Self.unit(.itemMean, rows: rows).enps == 0)
        // 10, 9, 0 of 3: 100 * 2/3 - 100 * 1/3.
        let rows2: [[Int16?]] = [[4, 4, 10], [4, 4, 9], [4, 4, 0]]
        #expect(abs(try Self.unit(.itemMean, rows: rows2).enps! - 100.0 / 3) < 1e-12)
    }

    @Test func aResponseWithoutAnswersStillCounts() throws {
        let m = try Self.unit(.personMean, rows: Self.rows + [[nil, nil, nil]])
        #expect(m.respondents == 4)
        #expect(abs(m.factorFavorable["f"]! - 50) < 1e-12)  // the blank row has no share
    }
}
