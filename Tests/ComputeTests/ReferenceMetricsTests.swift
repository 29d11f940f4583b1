import LeanPulseCore
import Testing
@testable import Compute

/// Every metric of every unit against Fixtures/expected_*.csv, which Fixtures/reference_metrics.py
/// computes independently (per-group loops in Python, scipy's t) from the same fixture files.
struct ReferenceMetricsTests {
    enum Cell: Equatable { case number(Double), text(String), blank }

    /// The value of one expected_metrics.csv column for a unit.
    static func cell(_ m: UnitMetrics, _ column: String) -> Cell {
        func num(_ v: Double?) -> Cell { v.map(Cell.number) ?? .blank }
        func int(_ v: Int?) -> Cell { v.map { .number(Double($0)) } ?? .blank }
        if column.hasPrefix("fav_") { return num(m.factorFavorable[String(column.dropFirst(4))]) }
        if column.hasPrefix("score_") { return num(m.factorScore[String(column.dropFirst(6))]) }
        switch column {
        case "team_id": return .text(m.teamId)
        case "respondents": return int(m.respondents)
        case "headcount": return int(m.headcount)
        case "response_rate": return num(m.responseRate)
        case "suppressed": return m.suppression.map { .text($0.rawValue) } ?? .blank
        case "engagement_index": return num(m.engagementIndex?.value)
        case "engagement_index_low": return num(m.engagementIndex?.low)
        case "engagement_index_high": return num(m.engagementIndex?.high)
        case "engagement_score": return num(m.engagementScore)
        case "enps": return num(m.enps)
        case "alignment": return num(m.alignment)
        case "autonomy": return num(m.autonomy?.value)
        case "autonomy_low": return num(m.autonomy?.low)
        case "autonomy_high": return num(m.autonomy?.high)
        case "accountability": return num(m.accountability?.value)
        case "accountability_low": return num(m.accountability?.low)
        case "accountability_high": return num(m.accountability?.high)
        case "balance_index": return num(m.balanceIndex)
        case "balance_gap": return num(m.balanceGap)
        case "quadrant": return m.quadrant.map { .text($0.rawValue) } ?? .blank
        case "borderline": return m.borderline.map { .text($0 ? "true" : "false") } ?? .blank
        case "ideas_submitted": return int(m.ideasSubmitted)
        case "ideas_implemented": return int(m.ideasImplemented)
        case "ideas_rejected": return int(m.ideasRejected)
        case "implementation_rate": return num(m.implementationRate)
        case "ideas_per_person_year": return num(m.ideasPerPersonYear)
        case "participation": return num(m.participation)
        case "cycle_time_p50": return num(m.cycleTimeP50)
        case "cycle_time_p85": return num(m.cycleTimeP85)
        case "cycle_time_p95": return num(m.cycleTimeP95)
        case "wip": return int(m.wip)
        case "age_p85": return num(m.ageP85)
        case "goal_attainment": return num(m.goalAttainment)
        case "goal_count": return int(m.goalCount)
        default: return .text("unknown column \(column)")
        }
    }

    static func expected(_ text: String, column: String) -> Cell {
        if text.isEmpty { return .blank }
        if column == "team_id" || column == "suppressed" || column == "quadrant" || column == "borderline" { return .text(text) }
        return Double(text).map(Cell.number) ?? .text(text)
    }

    static func matches(_ a: Cell, _ b: Cell) -> Bool {
        if case .number(let x) = a, case .number(let y) = b { return abs(x - y) <= 1e-9 }
        return a == b
    }

    @Test(arguments: FavorableAggregation.allCases)
    func everyUnitEveryColumn(aggregation: FavorableAggregation) throws {
        var fixture = try Fixture.load()
        fixture.settings.favorableAggregation = aggregation
        let result = MetricsCalculator.compute(fixture.dataset, settings: fixture.settings)
        let rows = try Fixture.csv("expected_metrics.csv").filter { $0["aggregation"] == aggregation.rawValue }
        #expect(rows.count == result.units.count)
        var compared = 0
        for (row, unit) in zip(rows, result.units) {
            #expect(row["team_id"] == unit.teamId)
            for (column, text) in row where column != "aggregation" {
                let want = Self.expected(text, column: column)
                let got = Self.cell(unit, column)
                #expect(Self.matches(got, want), "team \(unit.teamId) \(column): got \(got), expected \(want)")
                compared += 1
            }
        }
        #expect(compared > 500)
        // Factor dictionaries hold exactly the defined factors (undefined ones are absent, not zero).
        for unit in result.units where unit.isSuppressed {
            #expect(unit.factorFavorable.isEmpty && unit.factorScore.isEmpty)
        }

        let summary = try #require(try Fixture.csv("expected_summary.csv").first { $0["aggregation"] == aggregation.rawValue })
        // Blank r: fewer than 3 shown leaf units have an engagement index (the fixture hides it in units 9 and 10).
        if let r = Double(summary["correlation_r"]!) {
            let correlation = try #require(result.engagementGoalCorrelation)
            #expect(correlation.n == Int(summary["correlation_n"]!))
            #expect(abs(correlation.r - r) < 1e-9)
        } else {
            #expect(result.engagementGoalCorrelation == nil)
        }
    }

    @Test func suppressionLog() throws {
        let fixture = try Fixture.load()
        let result = MetricsCalculator.compute(fixture.dataset, settings: fixture.settings)
        let expected = try Fixture.csv("expected_suppressions.csv")
        #expect(result.suppressions.map(\.teamId) == expected.map { $0["team_id"]! })
        #expect(result.suppressions.map(\.reason.rawValue) == expected.map { $0["reason"]! })
        #expect(result.suppressions.map { $0.protects ?? "" } == expected.map { $0["protects"]! })
    }

    @Test func weeklyThroughput() throws {
        let fixture = try Fixture.load()
        let result = MetricsCalculator.compute(fixture.dataset, settings: fixture.settings)
        let org = fixture.dataset.organization
        let got = result.weeklyThroughput.map { "\(org.units[$0.unit].id),\($0.isoYear),\($0.isoWeek),\($0.implemented)" }
        let want = try Fixture.csv("expected_weekly.csv").map {
            "\($0["team_id"]!),\($0["iso_year"]!),\($0["iso_week"]!),\($0["implemented"]!)"
        }
        #expect(got == want)
    }
}
