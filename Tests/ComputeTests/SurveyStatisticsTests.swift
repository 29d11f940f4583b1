import Foundation
import LeanPulseCore
import Testing
@testable import Compute

/// rwg(j), Cronbach's alpha, ICC(1)/ICC(2) and key drivers (METRICS.md 5): the METRICS.md vectors, edge
/// cases, and every value of the statistics fixture against Fixtures/statistics/expected_*.csv, which
/// Fixtures/reference_statistics.py computes independently (pandas, scipy, pingouin).
struct SurveyStatisticsTests {
    // MARK: - METRICS.md vectors

    @Test func rwgVector() throws {
        let answers: [[Int?]] = [[4, 4, 5], [4, 5, 5], [3, 4, 4], [4, 4, 5], [5, 4, 4]]
        let r = try #require(Agreement.rwg(answers: answers, points: 5))
        #expect(abs(r - 0.9375) < 1e-12)
    }

    @Test func iccVector() throws {
        let icc = Reliability.icc(groups: [[4, 5, 4, 5], [2, 3, 2, 3, 2], [3, 4, 3]])
        #expect(abs(try #require(icc.icc1) - 0.782416) < 5e-7)
        #expect(abs(try #require(icc.icc2) - 0.934996) < 5e-7)
    }

    // MARK: - Edge cases

    @Test func rwgEdges() {
        // More spread than the uniform null: 0, not negative.
        #expect(Agreement.rwg(answers: [[1], [5], [1], [5]], points: 5) == 0)
        // Full agreement: 1.
        #expect(Agreement.rwg(answers: [[3, 4], [3, 4], [3, 4]], points: 5) == 1)
        // One respondent: no variance, not defined.
        #expect(Agreement.rwg(answers: [[3, 4]], points: 5) == nil)
        // An item with one answer leaves the mean variance: only the first item counts (J = 1).
        let r = Agreement.rwg(answers: [[3, nil], [4, 2]], points: 5)
        #expect(r == 1 - 0.5 / 2)
    }

    @Test func alphaCases() {
        // Two identical items: alpha 1.
        #expect(Reliability.cronbachAlpha(cases: [[1, 1], [2, 2], [3, 3]]) == 1)
        // Single item, one case, constant total: not defined.
        #expect(Reliability.cronbachAlpha(cases: [[1], [2], [3]]) == nil)
        #expect(Reliability.cronbachAlpha(cases: [[1, 2]]) == nil)
        #expect(Reliability.cronbachAlpha(cases: [[2, 2], [2, 2]]) == nil)
    }

    @Test func iccEdges() {
        // One group, or only singletons (no within-group degrees of freedom): not defined.
        #expect(Reliability.icc(groups: [[1, 2, 3]]).icc1 == nil)
        #expect(Reliability.icc(groups: [[1], [2], [3]]).icc1 == nil)
        // Empty groups are ignored.
        let a = Reliability.icc(groups: [[4, 5, 4, 5], [], [2, 3, 2, 3, 2], [3, 4, 3]])
        #expect(abs(a.icc1! - 0.782416) < 5e-7)
    }

    @Test func priorities() {
        // Median of an even count is the mean of the middle two (45); strictly below it: items 0, 1, 2.
        let favorable: [Double?] = [10, 20, 40, 50, 60, 70, nil]
        let correlation: [Double?] = [0.1, 0.5, 0.3, 0.9, 0.8, 0.7, 0.95]
        #expect(KeyDrivers.priorities(favorable: favorable, correlation: correlation) == [0, 1, 2])
        #expect(KeyDrivers.priorities(favorable: favorable, correlation: correlation, count: 2) == [1, 2])
        // Ties in correlation: the earlier item.
        #expect(KeyDrivers.priorities(favorable: [1, 2, 3, 9, 9], correlation: [0.5, 0.5, 0.5, 1, 1], count: 2) == [0, 1])
        // An item at the median is not below it.
        #expect(KeyDrivers.priorities(favorable: [10, 20, 30], correlation: [0.1, 0.9, 0.9]) == [0])
        #expect(KeyDrivers.median([3, 1, 2]) == 2)
        #expect(KeyDrivers.median([]) == nil)
    }

    // MARK: - Fixture against the independent reference

    static func loadFixture() throws -> (PeriodDataset, PeriodMetrics) {
        let org = try Organization(units: Fixture.csv("statistics/org.csv").map {
            OrgUnit(id: $0["team_id"]!, parentId: $0["parent_id"]!.isEmpty ? nil : $0["parent_id"],
                    name: $0["name"]!, headcount: Int($0["headcount"]!))
        })
        let json = try Fixture.json("statistics/instrument.json")
        var scales: [String: Scale] = [:]
        for s in json["scales"] as! [[String: Any]] {
            scales[s["id"] as! String] = Scale(id: s["id"] as! String, min: s["min"] as! Int, max: s["max"] as! Int)
        }
        let items = (json["items"] as! [[String: Any]]).map {
            Item(id: $0["id"] as! String, text: $0["id"] as! String, scale: scales[$0["scale"] as! String]!,
                 reverse: $0["reverse"] as! Bool)
        }
        let factors = (json["factors"] as! [[String: Any]]).map { f in
            Factor(id: f["id"] as! String, name: f["id"] as! String,
                   itemIndexes: (f["items"] as! [String]).map { id in items.firstIndex { $0.id == id }! },
                   role: (f["role"] as? String).flatMap(FactorRole.init(rawValue:)))
        }
        let instrument = Instrument(id: "statistics", version: "1", items: items, factors: factors)
        var responses = ResponseTable(itemCount: items.count)
        for row in try Fixture.csv("statistics/responses.csv") {
            responses.append(unit: Int32(org.index(of: row["team"]!)!),
                             answers: items.map { row[$0.id].flatMap { Int16($0) } }, comment: nil)
        }
        let data = PeriodDataset(period: Period("2026-Q1")!, organization: org, instrument: instrument,
                                 responses: responses, ideas: IdeaTable(), goals: [])
        let metrics = MetricsCalculator.compute(data, settings: MetricSettings(minRespondents: 5))
        return (data, metrics)
    }

    static func close(_ got: Double?, _ expected: String) -> Bool {
        guard let want = Double(expected) else { return got == nil && expected.isEmpty }
        guard let got else { return false }
        return abs(got - want) <= 1e-9
    }

    static func flag(_ got: Bool?) -> String { got.map { $0 ? "true" : "false" } ?? "" }

    @Test func agreementMatchesReference() throws {
        let (data, metrics) = try Self.loadFixture()
        let result = SurveyStatistics.compute(data, metrics: metrics, minimum: 5)
        let expected = try Fixture.csv("statistics/expected_agreement.csv")
        #expect(expected.count == result.agreement.count)
        for (row, a) in zip(expected, result.agreement) {
            let team = data.organization.units[a.unitIndex].id
            let factor = data.instrument.factors[a.factorIndex].id
            #expect(row["team_id"] == team && row["factor_id"] == factor)
            #expect(Self.close(a.rwg, row["rwg_j"]!), "\(team) \(factor): \(String(describing: a.rwg)) vs \(row["rwg_j"]!)")
            #expect(String(a.respondents) == row["respondents"])
            #expect(Self.flag(a.lowAgreement) == row["low_agreement"])
            #expect(!metrics.units[a.unitIndex].isSuppressed)
        }
    }

    @Test func reliabilityMatchesReference() throws {
        let (data, metrics) = try Self.loadFixture()
        let result = SurveyStatistics.compute(data, metrics: metrics, minimum: 5)
        let expected = try Fixture.csv("statistics/expected_reliability.csv")
        var compared = 0
        for row in expected {
            let fi = try #require(data.instrument.factors.firstIndex { $0.id == row["factor_id"] })
            let r = try #require(result.reliability.first { $0.factorIndex == fi })
            switch row["statistic"] {
            case "cronbach_alpha":
                #expect(Self.close(r.alpha, row["value"]!), "alpha \(row["factor_id"]!): \(String(describing: r.alpha))")
                #expect(String(r.alphaRespondents) == row["n"])
                #expect((r.lowAlpha == true ? "low" : "") == row["flag"])
            case "icc1":
                #expect(Self.close(r.icc1, row["value"]!), "icc1 \(row["factor_id"]!): \(String(describing: r.icc1))")
                #expect(String(r.iccRespondents) == row["n"])
            case "icc2":
                #expect(Self.close(r.icc2, row["value"]!), "icc2 \(row["factor_id"]!): \(String(describing: r.icc2))")
            default:
                Issue.record("unknown statistic \(row["statistic"] ?? "")")
            }
            compared += 1
        }
        #expect(compared == expected.count && compared > 20)
        // Single-item factors have no alpha.
        #expect(result.reliability.filter { $0.itemCount < 2 }.allSatisfy { $0.alpha == nil })
    }

    @Test func driversMatchReference() throws {
        let (data, metrics) = try Self.loadFixture()
        let result = SurveyStatistics.compute(data, metrics: metrics, minimum: 5)
        let expected = try Fixture.csv("statistics/expected_drivers.csv")
        #expect(expected.count == result.drivers.count)
        for (row, d) in zip(expected, result.drivers) {
            let team = data.organization.units[d.unitIndex].id
            let item = data.instrument.items[d.itemIndex].id
            #expect(row["team_id"] == team && row["item_id"] == item)
            #expect(String(d.pairs) == row["respondents_pairs"])
            #expect(Self.close(d.correlation, row["correlation"]!), "\(team) \(item): \(String(describing: d.correlation))")
            #expect(Self.close(d.favorablePercent, row["favorable_pct"]!))
            #expect(Self.flag(d.priority) == row["priority"], "\(team) \(item) priority")
        }
        // Groups of 30+ only, none suppressed, at most five priorities each.
        for u in Set(result.drivers.map(\.unitIndex)) {
            #expect(metrics.units[u].respondents >= 30 && !metrics.units[u].isSuppressed)
            #expect(result.drivers.filter { $0.unitIndex == u && $0.priority }.count <= 5)
        }
    }

    /// Every shown unit as a driver group (minimum 1), against a per-group brute force over the subtree's
    /// rows with `Statistics.pearson`: checks the slot roll-up at every level, not only the 30+ groups.
    @Test func driversOfEveryGroupMatchBruteForce() throws {
        let (data, metrics) = try Self.loadFixture()
        let result = SurveyStatistics.compute(data, metrics: metrics, minimum: 5, driverMinimum: 1)
        let org = data.organization, instrument = data.instrument, rows = data.responses
        let engagement = instrument.factor(role: .engagement)!.itemIndexes
        func scored(_ r: Int, _ i: Int) -> Int? {
            guard let raw = rows.answer(row: r, item: i) else { return nil }
            let s = instrument.items[i].scale
            guard Int(raw) >= s.min, Int(raw) <= s.max else { return nil }
            return instrument.items[i].reverse ? s.min + s.max - Int(raw) : Int(raw)
        }
        func inSubtree(_ unit: Int, _ root: Int) -> Bool {
            var c: Int? = unit
            while let x = c { if x == root { return true }; c = org.parent[x] }
            return false
        }
        var checked = 0
        for u in 0..<org.count where !metrics.units[u].isSuppressed && metrics.units[u].respondents > 0 {
            let members = (0..<rows.count).filter { inSubtree(Int(rows.unit[$0]), u) }
            for d in result.drivers where d.unitIndex == u {
                var x: [Double] = [], y: [Double] = []
                for r in members {
                    let e = engagement.compactMap { scored(r, $0) }.map { 100 * Double($0 - 1) / 4 }
                    guard !e.isEmpty, let v = scored(r, d.itemIndex) else { continue }
                    x.append(Double(v)); y.append(e.reduce(0, +) / Double(e.count))
                }
                #expect(d.pairs == x.count)
                let want = Statistics.pearson(x, y)
                #expect((want == nil) == (d.correlation == nil))
                if let want, let got = d.correlation { #expect(abs(want - got) < 1e-9, "unit \(u) item \(d.itemIndex)") }
                checked += 1
            }
        }
        #expect(checked == 6 * 13)
    }

    /// The runner starts the statistics from `suppressedUnits` before the unit metrics are done and then withholds the
    /// cells the metrics hide (`withhold(as:)`): the result must equal the statistics computed from the metrics, whatever
    /// the minimum (below-minimum and complementary suppression alike; at 12, question and factor cells hidden too).
    @Test(arguments: [1, 5, 8, 12, 30])
    func suppressedUnitsAgreeWithTheUnitMetrics(minimum: Int) throws {
        let (data, _) = try Self.loadFixture()
        let settings = MetricSettings(minRespondents: minimum)
        let metrics = MetricsCalculator.compute(data, settings: settings)
        let suppressed = MetricsCalculator.suppressedUnits(data, settings: settings)
        #expect(suppressed == metrics.units.map(\.isSuppressed))
        var early = SurveyStatistics.compute(data, suppressed: suppressed, minimum: minimum)
        early.withhold(as: metrics, minimum: minimum)
        let late = SurveyStatistics.compute(data, metrics: metrics, minimum: minimum)
        #expect(early.agreement.map { [$0.unitIndex, $0.factorIndex] } == late.agreement.map { [$0.unitIndex, $0.factorIndex] })
        #expect(early.drivers.map { [$0.unitIndex, $0.itemIndex] } == late.drivers.map { [$0.unitIndex, $0.itemIndex] })
        #expect(early.reliability.count == late.reliability.count)
        if minimum == 8 { #expect(suppressed.contains(true) && suppressed.contains(false)) }
    }

    @Test func suppressedRootWithholdsReliability() throws {
        let loaded = try Self.loadFixture()
        let data = loaded.0
        var metrics = loaded.1
        metrics.units[0].suppression = .belowMinimum
        let result = SurveyStatistics.compute(data, metrics: metrics, minimum: 5)
        #expect(result.reliability.isEmpty)
        #expect(!result.agreement.contains { $0.unitIndex == 0 })
        #expect(!result.drivers.contains { $0.unitIndex == 0 })
    }
}

/// Drivers under the minimum group rule (session 16's second audit): a correlation needs `min_respondents` pairs even
/// in a group of 30 or more, and a unit whose engagement cell is hidden has no drivers (their pair counts gave the
/// hidden cell's respondents back, and a hidden team's by subtraction).
struct DriverConfidentialityTests {
    static let likert = Scale(id: "l", min: 1, max: 5)
    static let instrument = Instrument(
        id: "t", version: "1", items: [Item(id: "e1", text: "E1", scale: likert), Item(id: "a1", text: "A1", scale: likert)],
        factors: [Factor(id: "engagement", name: "E", itemIndexes: [0], role: .engagement),
                  Factor(id: "autonomy", name: "A", itemIndexes: [1], role: .autonomy)])

    static func statistics(_ units: [(String, String?)], _ rows: [(String, Int16?, Int16?)]) throws -> (SurveyStatisticsResult, Organization) {
        let org = try Organization(units: units.map { OrgUnit(id: $0.0, parentId: $0.1, name: $0.0, headcount: nil) })
        var table = ResponseTable(itemCount: 2)
        for (team, e, a) in rows { table.append(unit: Int32(org.index(of: team)!), answers: [e, a], comment: nil) }
        let data = PeriodDataset(period: Period("2026-Q3")!, organization: org, instrument: instrument, responses: table,
                                 ideas: IdeaTable(), goals: [])
        let metrics = MetricsCalculator.compute(data, settings: MetricSettings(minRespondents: 5))
        return (SurveyStatistics.compute(data, metrics: metrics, minimum: 5, driverMinimum: 30), org)
    }

    @Test func aCorrelationOfFourPeopleInAGroupOf32IsWithheld() throws {
        // 16 answer e1 only, 12 a1 only, 4 both: the engagement cell (20) and a1's cell (16) are shown, the pairs are 4.
        var rows: [(String, Int16?, Int16?)] = []
        for i in 0..<16 { rows.append(("U", Int16(1 + i % 5), nil)) }
        for i in 0..<12 { rows.append(("U", nil, Int16(1 + i % 5))) }
        for i in 0..<4 { rows.append(("U", Int16(1 + i), Int16(2 + i % 3))) }
        let (result, _) = try Self.statistics([("U", nil)], rows)
        // No row at all: its pair count would be the count of a group of 4.
        #expect(!result.drivers.contains { $0.itemIndex == 1 })
        // With 5 pairs the correlation is there.
        rows.append(("U", 5, 1))
        let (enough, _) = try Self.statistics([("U", nil)], rows)
        #expect(enough.drivers.first { $0.itemIndex == 1 }?.correlation != nil)
    }

    @Test func noDriversWhereTheEngagementCellIsHidden() throws {
        // O: S (32), H (3, below the minimum) and 2 of its own who skip e1: O's engagement has 35 answers, S's 32, so
        // S's engagement cell is hidden (the remainder 3 is H), and S's drivers with it; O keeps its drivers.
        var rows: [(String, Int16?, Int16?)] = []
        for i in 0..<32 { rows.append(("S", Int16(1 + i % 5), Int16(1 + (i * 3) % 5))) }
        for i in 0..<3 { rows.append(("H", Int16(1 + i), Int16(2 + i))) }
        for _ in 0..<2 { rows.append(("O", nil, 3)) }
        let (result, org) = try Self.statistics([("O", nil), ("S", "O"), ("H", "O")], rows)
        let s = org.index(of: "S")!, o = org.index(of: "O")!
        #expect(!result.drivers.contains { $0.unitIndex == s })
        #expect(result.drivers.contains { $0.unitIndex == o })
    }
}
