import LeanPulseCore
import Testing
@testable import Compute

/// METRICS.md 6 on the people behind each figure of a shown unit: a factor, its questions and the eNPS (hand-worked).
struct FactorHidingTests {
    static let agree = Scale(id: "agree5", min: 1, max: 5)
    static let nps = Scale(id: "nps", min: 0, max: 10)

    /// root (no members) -> a (6 respondents), b (10). Items: e1 (engagement), a1, a2 (autonomy), c1 (accountability),
    /// nps (eNPS). In `a`, two people skip autonomy altogether and one more skips a2; three skip the eNPS question.
    static func dataset() throws -> PeriodDataset {
        let org = try Organization(units: [OrgUnit(id: "root", parentId: nil, name: "Root", headcount: nil),
                                           OrgUnit(id: "a", parentId: "root", name: "A", headcount: nil),
                                           OrgUnit(id: "b", parentId: "root", name: "B", headcount: nil)])
        let items = ["e1", "a1", "a2", "c1"].map { Item(id: $0, text: "", scale: agree) } + [Item(id: "nps", text: "", scale: nps)]
        let instrument = Instrument(id: "x", version: "1", items: items, factors: [
            Factor(id: "eng", name: "E", itemIndexes: [0], role: .engagement),
            Factor(id: "aut", name: "A", itemIndexes: [1, 2], role: .autonomy),
            Factor(id: "acc", name: "C", itemIndexes: [3], role: .accountability),
            Factor(id: "enps", name: "eNPS", itemIndexes: [4], role: .enps),
        ])
        var table = ResponseTable(itemCount: 5)
        let inA: [[Int16?]] = [[5, 5, 5, 4, 10], [4, 4, 4, 4, 9], [4, 2, 4, 4, 3], [4, 5, nil, 4, nil],
                               [2, nil, nil, 4, nil], [5, nil, nil, 4, nil]]
        let a = Int32(org.index(of: "a")!), b = Int32(org.index(of: "b")!)
        for row in inA { table.append(unit: a, answers: row, comment: nil) }
        for i in 0..<10 { table.append(unit: b, answers: [4, 4, 4, Int16(2 + i % 3), 9], comment: nil) }
        return PeriodDataset(period: Period("2026-Q1")!, organization: org, instrument: instrument,
                             responses: table, ideas: IdeaTable(), goals: [])
    }

    /// Q2 of `dataset()` (Q1) with six respondents in a answering `a(i)` and b's ten as in Q1, computed against Q1
    /// (minimum 5); with the indexes of a and b.
    static func secondQuarter(a answers: (Int) -> [Int16?]) throws -> (metrics: PeriodMetrics, a: Int32, b: Int32) {
        let q1 = try dataset()
        var q2 = q1
        q2.period = Period("2026-Q2")!
        var table = ResponseTable(itemCount: 5)
        let a = Int32(q1.organization.index(of: "a")!), b = Int32(q1.organization.index(of: "b")!)
        for i in 0..<6 { table.append(unit: a, answers: answers(i), comment: nil) }
        for i in 0..<10 { table.append(unit: b, answers: [4, 4, 4, Int16(2 + i % 3), 9], comment: nil) }
        q2.responses = table
        let settings = MetricSettings(minRespondents: 5)
        var (metrics, tallies) = MetricsCalculator.computeDetailed(q2, settings: settings)
        let hashes: [String: Set<String>] = Dictionary(uniqueKeysWithValues: q2.instrument.items.map { ($0.id, ["h"]) })
        PeriodHistory.apply(to: &metrics, current: q2, tallies: tallies, currentHashes: hashes,
                            earlier: [StoredPeriod(dataset: q1, itemTextHashes: hashes)], teamMap: TeamMap(), settings: settings)
        return (metrics, a, b)
    }

    @Test func aFactorFewerThanFiveAnsweredIsHiddenAndItsSubtractionToo() throws {
        let m = MetricsCalculator.compute(try Self.dataset(), settings: MetricSettings(minRespondents: 5))
        func unit(_ id: String) -> UnitMetrics { m.units.first { $0.teamId == id }! }
        let root = unit("root"), a = unit("a"), b = unit("b")
        #expect([root, a, b].allSatisfy { $0.suppression == nil })
        // Autonomy: a has 4 respondents (hidden, below 5); root 14 - b 10 = 4 would give a away, so b's cell goes too.
        // The eNPS factor (3 respondents in a, 13 - 10 in b) the same.
        #expect(a.hiddenFactors == [1, 3] && b.hiddenFactors == [1, 3] && root.hiddenFactors.isEmpty)
        #expect(a.autonomy == nil && b.autonomy == nil && a.balanceIndex == nil && b.quadrant == nil)
        #expect(a.factorFavorable["aut"] == nil && a.factorScore["aut"] == nil)
        // Root shows it: item mean of a1 (9/13 favourable: 3 of a's 4, all 10 of b's... a1: 5,4,2,5 -> 3 of 4; b 10 of 10)
        // and a2 (a: 5,4,4 -> 3 of 3; b: 10 of 10): (13/14 + 13/13) / 2.
        #expect(abs(root.autonomy!.value - 100 * (13.0 / 14.0 + 1) / 2) < 1e-9)
        // Engagement and accountability were answered by all 6 and 10: shown everywhere.
        #expect(a.engagementIndex != nil && b.accountability != nil)
        // eNPS: 3 of a's 6 answered (hidden); root 13 - b 10 = 3, so b's eNPS goes too.
        #expect(a.enpsHidden && a.enps == nil && b.enpsHidden && b.enps == nil)
        #expect(!root.enpsHidden && root.enps != nil)
        // No factor score row for a hidden cell (not even its respondent count).
        let cells = Set(m.factorScores.map { "\(m.units[$0.unitIndex].teamId).\($0.factorIndex)" })
        #expect(!cells.contains("a.1") && !cells.contains("b.1") && cells.contains("root.1") && cells.contains("a.0"))
    }

    /// A question 3 of a unit's respondents answered hides the factor it belongs to, though the factor's own respondents
    /// reach 5: the factor's item mean with the other questions shown would give the hidden question's % away.
    @Test func aHiddenQuestionHidesItsFactor() throws {
        let m = MetricsCalculator.compute(try Self.dataset(), settings: MetricSettings(minRespondents: 3))
        let a = m.units.first { $0.teamId == "a" }!
        // Minimum 3: every cell of a reaches 3 (autonomy 4 respondents, a1 4 answers, a2 3, eNPS 3): nothing hidden.
        #expect(a.hiddenFactors.isEmpty && !a.enpsHidden)
        let m4 = MetricsCalculator.compute(try Self.dataset(), settings: MetricSettings(minRespondents: 4))
        let a4 = m4.units.first { $0.teamId == "a" }!, b4 = m4.units.first { $0.teamId == "b" }!
        // Minimum 4: autonomy's 4 respondents pass, but a2's 3 answers do not: the factor goes with its question.
        let items = try #require(m4.itemScores)
        #expect(items.hidden[a4.unitIndex * 5 + 2] && !items.hidden[a4.unitIndex * 5 + 1])
        #expect(a4.hiddenFactors == [1, 3] && a4.autonomy == nil)
        // b's a2 cell (root 13 - b 10 = 3) is hidden as well, and with it b's autonomy.
        #expect(items.hidden[b4.unitIndex * 5 + 2] && b4.hiddenFactors == [1, 3])
    }
    /// A change is tested only where both periods show the cell: Q1 hides a's autonomy (4 answered), so Q2's autonomy of
    /// a has no change (its difference would give Q1's hidden figure away), while its engagement has one.
    @Test func noChangeAgainstAPeriodThatHidTheCell() throws {
        // Q2: everyone in a answers everything (all favourable): every cell of a is shown.
        let (metrics, a, _) = try Self.secondQuarter(a: { _ in [5, 5, 5, 5, 10] })
        let ua = Int(a)
        #expect(metrics.units[ua].hiddenFactors.isEmpty)
        let cells = metrics.factorScores.filter { $0.unitIndex == ua }
        #expect(cells.first { $0.factorIndex == 1 }?.change == nil)
        #expect(cells.first { $0.factorIndex == 0 }?.change?.difference != nil)
        // The trend shows Q1 with a's engagement and without its balance (autonomy hidden then).
        let q1Point = try #require(metrics.trends.first { $0.unitIndex == ua }?.points.first { $0.period == Period("2026-Q1")! })
        #expect(q1Point.engagementIndex != nil && q1Point.balanceIndex == nil)
    }

    /// Under `person-mean` a respondent who answered only part of a factor weighs by the questions they answered, and
    /// the factor's % against its questions' (shown, with their counts) gives their answers back (DECISIONS 44).
    /// In `a`, one person answered a1 (5) and skipped a2; the three others answered both.
    @Test func personMeanHidesAFactorFewerThanFiveAnsweredOnlyPartOf() throws {
        let data = try Self.dataset()
        let org = data.organization
        let a = org.index(of: "a")!, b = org.index(of: "b")!, root = org.index(of: "root")!
        // The leak, worked from the tallies: 4 respondents, person-mean 87.5 (shares 100, 100, 50 and the skipper's 100);
        // a1 3 of 4 favourable, a2 3 of 3. The three full answerers' shares add to 50 * (3 - x + 3), x the skipper's
        // favourable a1 answer: 4 * 87.5 = 50 * (6 - x) + 100 * x gives x = 1, the skipper's answer exactly.
        var tallies = FactorAggregates(unitCount: org.count, instrument: data.instrument)
        tallies.collect(data.responses, instrument: data.instrument)
        tallies.rollUp(OrganizationLayout(org))
        let personMean = try #require(tallies.factorFavorable(unit: a, factor: 1, items: [1, 2], aggregation: .personMean))
        #expect(abs(personMean - 87.5) < 1e-12)
        #expect(tallies.factorPartial[a * 4 + 1] == 1 && tallies.factorPartial[b * 4 + 1] == 0)
        let n = Double(tallies.factorRespondents[a * 4 + 1])
        let favA1 = Double(tallies.itemFavorable[a * 5 + 1]), favA2 = Double(tallies.itemFavorable[a * 5 + 2])
        #expect((n * personMean - 50 * (favA1 + favA2)) / 50 == 1)

        // Minimum 3: under item-mean nothing of a is hidden (the items and the factor's 4 respondents reach 3) ...
        let itemMean = MetricsCalculator.compute(data, settings: MetricSettings(minRespondents: 3))
        #expect(itemMean.units[a].hiddenFactors.isEmpty && itemMean.units[a].autonomy != nil)
        // ... under person-mean a's autonomy goes (1 partial answerer), and the root's (the same 1, b has none);
        // b keeps it, and every other factor stays.
        let settings = MetricSettings(minRespondents: 3, favorableAggregation: .personMean)
        let m = MetricsCalculator.compute(data, settings: settings)
        #expect(m.units[a].hiddenFactors == [1] && m.units[a].autonomy == nil && m.units[a].factorScore["aut"] == nil)
        #expect(m.units[root].hiddenFactors == [1] && m.units[root].autonomy == nil)
        #expect(m.units[b].hiddenFactors.isEmpty && m.units[b].autonomy != nil)
        #expect(m.units[a].engagementIndex != nil)
        #expect(!m.factorScores.contains { $0.unitIndex == a && $0.factorIndex == 1 })
    }

    /// Everyone in b answers e1 favourably in both periods (person-level shares all 100): Welch's test is undefined and
    /// the cell is not in the Benjamini-Hochberg family, but it says "no clear change" (METRICS.md 5), not a blank.
    @Test func theSameAnswerFromEveryoneInBothPeriodsIsNoClearChange() throws {
        let (metrics, a, b) = try Self.secondQuarter(a: { i in [Int16(1 + i % 5), 5, 5, 5, 10] })
        let engagementOfB = try #require(metrics.factorScores.first { $0.unitIndex == Int(b) && $0.factorIndex == 0 }?.change)
        #expect(engagementOfB.label == ChangeDetection.noClearChange && engagementOfB.p == nil && engagementOfB.difference == 0)
        #expect(metrics.units[Int(b)].engagementChange == ChangeDetection.noClearChange)
        // a's engagement varies: a real test with a p-value.
        let engagementOfA = try #require(metrics.factorScores.first { $0.unitIndex == Int(a) && $0.factorIndex == 0 }?.change)
        #expect(engagementOfA.p != nil)
    }
}
