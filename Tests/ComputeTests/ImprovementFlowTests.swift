import LeanPulseCore
import Testing
@testable import Compute

/// METRICS.md 3 on a small hand-made log (period 2026-Q1: 2026-01-01 ... 2026-03-31, 90 days).
struct ImprovementFlowTests {
    static func day(_ s: String) -> Day { Day(iso: s)! }

    static func compute(inclusive: Bool = true) throws -> UnitMetrics {
        let org = try Organization(units: [OrgUnit(id: "t", parentId: nil, name: "T", headcount: 10)])
        var ideas = IdeaTable()
        ideas.append(unit: 0, submitted: day("2026-01-05"), implemented: day("2026-01-05"), rejected: nil, submitter: 1)  // cycle 1
        ideas.append(unit: 0, submitted: day("2025-12-30"), implemented: day("2026-01-08"), rejected: nil, submitter: 1)  // cycle 10
        ideas.append(unit: 0, submitted: day("2026-02-01"), implemented: nil, rejected: day("2026-02-02"), submitter: 2)
        ideas.append(unit: 0, submitted: day("2026-03-01"), implemented: day("2026-04-01"), rejected: nil)  // WIP, age 31
        ideas.append(unit: 0, submitted: day("2025-10-01"), implemented: nil, rejected: nil)  // WIP, age 182
        ideas.append(unit: 0, submitted: day("2026-04-02"), implemented: nil, rejected: nil)  // after the period
        let data = PeriodDataset(period: Period("2026-Q1")!, organization: org,
                                 instrument: Instrument(id: "x", version: "1", items: [], factors: []),
                                 responses: ResponseTable(itemCount: 0), ideas: ideas, goals: [])
        return MetricsCalculator.compute(data, settings: MetricSettings(cycleTimeInclusive: inclusive)).units[0]
    }

    @Test func countsRatesAndParticipation() throws {
        let m = try Self.compute()
        #expect(m.ideasSubmitted == 3)
        #expect(m.ideasImplemented == 2)
        #expect(m.ideasRejected == 1)
        #expect(abs(m.implementationRate! - 200.0 / 3) < 1e-12)
        #expect(abs(m.ideasPerPersonYear! - 3.0 / 10 * 365 / 90) < 1e-12)
        #expect(m.participation == 20)  // submitters 1 and 2 of 10
    }

    @Test func cycleTimesSameDayIsOne() throws {
        let m = try Self.compute()
        #expect(m.cycleTimeP50 == 1)
        #expect(m.cycleTimeP85 == 10)
        #expect(m.cycleTimeP95 == 10)
        let exclusive = try Self.compute(inclusive: false)
        #expect(exclusive.cycleTimeP50 == 0)
    }

    @Test func workInProgressAndAge() throws {
        let m = try Self.compute()
        #expect(m.wip == 2)
        #expect(m.ageP85 == 182)  // ages 31, 182: position ceil(1.7) = 2
    }
}
