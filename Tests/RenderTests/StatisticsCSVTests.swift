import Foundation
import LeanPulseCore
import Testing
@testable import Render

/// agreement.csv, reliability.csv and drivers.csv: columns, 6 decimals, blanks, and no row for a
/// suppressed unit or a group below the driver minimum even when Compute passed one.
@Suite struct StatisticsCSVTests {
    static var input: ReportInput {
        var input = ReportFixture.input
        input.metrics.statistics = SurveyStatisticsResult(
            agreement: [
                FactorAgreement(unitIndex: 0, factorIndex: 0, rwg: 0.9375, respondents: 61, items: 2),
                FactorAgreement(unitIndex: 0, factorIndex: 1, rwg: 0.5, respondents: 60, items: 1),
                FactorAgreement(unitIndex: 1, factorIndex: 0, rwg: nil, respondents: 1, items: 0),
                FactorAgreement(unitIndex: 3, factorIndex: 0, rwg: 0.8, respondents: 3, items: 2),  // suppressed
            ],
            reliability: [
                FactorReliability(factorIndex: 0, itemCount: 2, alpha: 0.65, alphaRespondents: 58, icc1: 0.125,
                                  icc2: 0.5, iccRespondents: 61, iccGroups: 6),
                FactorReliability(factorIndex: 1, itemCount: 1, alpha: nil, alphaRespondents: 0, icc1: -0.02,
                                  icc2: nil, iccRespondents: 60, iccGroups: 6),
            ],
            drivers: [
                ItemDriver(unitIndex: 0, itemIndex: 2, pairs: 59, correlation: 0.4321, favorablePercent: 40, priority: true),
                ItemDriver(unitIndex: 0, itemIndex: 6, pairs: 58, correlation: nil, favorablePercent: nil, priority: false),
                ItemDriver(unitIndex: 1, itemIndex: 2, pairs: 30, correlation: 0.25, favorablePercent: 50, priority: false),
                ItemDriver(unitIndex: 2, itemIndex: 2, pairs: 20, correlation: 0.25, favorablePercent: 50, priority: true),  // < 30
                ItemDriver(unitIndex: 4, itemIndex: 2, pairs: 6, correlation: 0.25, favorablePercent: 50, priority: true),  // suppressed
            ])
        return input
    }

    @Test func agreement() {
        let text = ReportWriter.agreementCSV(Self.input, Self.input.metrics.statistics!)
        #expect(text == """
            period,team_id,factor_id,rwg_j,respondents,low_agreement
            2026-Q3,acme,engagement,0.937500,61,false
            2026-Q3,acme,autonomy,0.500000,60,true
            2026-Q3,ops,engagement,,1,

            """)
    }

    @Test func reliability() {
        let text = ReportWriter.reliabilityCSV(Self.input, Self.input.metrics.statistics!)
        #expect(text == """
            period,factor_id,scope,statistic,value,n,flag
            2026-Q3,engagement,organisation,cronbach_alpha,0.650000,58,low
            2026-Q3,engagement,organisation,icc1,0.125000,61,
            2026-Q3,engagement,organisation,icc2,0.500000,61,
            2026-Q3,autonomy,organisation,icc1,-0.020000,60,
            2026-Q3,autonomy,organisation,icc2,,60,

            """)
    }

    @Test func drivers() {
        let text = ReportWriter.driversCSV(Self.input, Self.input.metrics.statistics!)
        #expect(text == """
            period,team_id,item_id,factor_id,respondents_pairs,correlation,favorable_pct,priority,relative_weight
            2026-Q3,acme,aut1,autonomy,59,0.432100,40.000000,true,
            2026-Q3,acme,rev1,accountability,58,,,false,
            2026-Q3,ops,aut1,autonomy,30,0.250000,50.000000,false,

            """)
    }

    @Test func writtenOnlyWhenComputed() throws {
        let without = try renderFixture()
        defer { without.remove() }
        #expect(!without.files().contains("drivers.csv"))
        let with = try renderFixture(input: Self.input)
        defer { with.remove() }
        for name in ["agreement.csv", "reliability.csv", "drivers.csv"] { #expect(with.files().contains(name)) }
        #expect(try with.read("drivers.csv") == ReportWriter.driversCSV(Self.input, Self.input.metrics.statistics!))
        #expect(try with.read("manifest.json").contains("reliability.csv"))
    }
}
