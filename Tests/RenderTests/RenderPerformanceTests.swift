import Foundation
import LeanPulseCore
import Testing
@testable import Render

/// A synthetic organisation: a root, `fanout` children per unit, `count` units in all.
func syntheticMetrics(count: Int, fanout: Int = 10) -> PeriodMetrics {
    var units: [UnitMetrics] = []
    units.reserveCapacity(count)
    for i in 0..<count {
        let id = "u" + String(100_000 + i)
        let parent = i == 0 ? nil : "u" + String(100_000 + (i - 1) / fanout)
        var depth = 0, p = i
        while p > 0 { p = (p - 1) / fanout; depth += 1 }
        let suppressed = i % 7 == 3
        let a = Double((i * 37) % 100), c = Double((i * 53) % 100)
        var u = ReportFixture.unit(i, id, "Unit \(i) <\(i % 5)> & co", parent: parent, depth: depth,
                                   respondents: suppressed ? 3 : 5 + i % 40, headcount: 8 + i % 50,
                                   engagement: Double(i % 100), autonomy: a, accountability: c, enps: Double(i % 200) - 100,
                                   suppression: suppressed ? .belowMinimum : nil)
        u.unitIndex = i
        units.append(u)
    }
    // Unit ids are zero-padded, so index order is ascending id order as the contract requires.
    let weekly = (0..<min(count, 2000)).flatMap { u in (27...39).map { (unit: u, isoYear: 2026, isoWeek: $0, implemented: (u + $0) % 4) } }
    return PeriodMetrics(period: ReportFixture.period, units: units, suppressions: [], weeklyThroughput: weekly)
}

@Suite struct RenderPerformanceTests {
    /// 2,000 units by default (debug test builds are slow); `LEANPULSE_RENDER_BENCH_UNITS=10000` for the full measurement.
    @Test func syntheticOrganisation() throws {
        let count = ProcessInfo.processInfo.environment["LEANPULSE_RENDER_BENCH_UNITS"].flatMap(Int.init) ?? 2_000
        var input = ReportFixture.input
        input.metrics = syntheticMetrics(count: count)
        let folder = try TempFolder()
        defer { folder.remove() }
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            try ReportWriter.write(input, to: folder.path, options: RenderOptions())
        }
        print("render of \(count) units: \(elapsed)")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/teams/u\(100_000 + count - 1).html"))
        // Generous bound for debug builds on a shared 2-core machine; release is far faster.
        #expect(elapsed < .seconds(120))
    }
}
