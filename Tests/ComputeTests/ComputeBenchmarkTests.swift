import Foundation
import LeanPulseCore
import Testing
@testable import Compute

/// Timing at the 1M-employee size; off by default (the data set takes seconds to build).
/// Run: `LEANPULSE_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ComputeBenchmarkTests`.
struct ComputeBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LEANPULSE_BENCH"] != nil))
    func computeAtOneMillionEmployees() throws {
        let data = try SyntheticDataset.make()
        let clock = ContinuousClock()
        var result: PeriodMetrics?
        let elapsed = clock.measure { result = MetricsCalculator.compute(data, settings: MetricSettings()) }
        print("MetricsCalculator.compute: \(data.organization.count) units, \(data.responses.count) responses, \(data.ideas.count) ideas: \(elapsed)")
        #expect(result?.units.count == data.organization.count)
    }
}
