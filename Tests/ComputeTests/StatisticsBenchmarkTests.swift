import Foundation
import LeanPulseCore
import Testing
@testable import Compute

/// What the statistics of METRICS.md 5 add to Compute at the 1M-employee size; off by default.
/// Run: `LEANPULSE_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter StatisticsBenchmarkTests`.
struct StatisticsBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LEANPULSE_BENCH"] != nil))
    func statisticsAtOneMillionEmployees() throws {
        let data = try SyntheticDataset.make()
        let clock = ContinuousClock()
        var metrics: PeriodMetrics?
        let base = clock.measure { metrics = MetricsCalculator.compute(data, settings: MetricSettings()) }
        var result: SurveyStatisticsResult?
        let extra = clock.measure { result = SurveyStatistics.compute(data, metrics: metrics!, minimum: MetricSettings().minRespondents) }
        print("MetricsCalculator.compute: \(base); SurveyStatistics.compute: \(extra) (\(data.organization.count) units, \(data.responses.count) responses; \(result?.agreement.count ?? 0) agreement, \(result?.drivers.count ?? 0) driver rows)")
        #expect(result?.reliability.count == data.instrument.factors.count)
    }
}
