import LeanPulseCore

/// Improvement throughput per unit subtree (METRICS.md 3): counts, flow percentiles, WIP and weekly
/// throughput, from the whole ideas log filtered by the period's dates.
struct ImprovementFlow {
    var submitted: [Int32]
    var implemented: [Int32]
    var rejected: [Int32]
    var wip: [Int32]
    /// Distinct known submitters of ideas submitted in the period; nil when the log has no submitters.
    var submitters: [Int32]?
    var cycleP50: [Double?]
    var cycleP85: [Double?]
    var cycleP95: [Double?]
    var ageP85: [Double?]
    var weekly: [(unit: Int, isoYear: Int, isoWeek: Int, implemented: Int)] = []

    init(ideas: IdeaTable, period: Period, layout: OrganizationLayout, cycleTimeInclusive: Bool) {
        let unitCount = layout.count
        let start = period.start.ordinal, end = period.end.ordinal
        let noDay = IdeaTable.noDay
        // ISO weeks overlapping the period, counted from the Monday on or before its first day.
        let firstMonday = period.start.ordinal - Int32(period.start.isoWeekday - 1)
        let weekCount = Int(end - firstMonday) / 7 + 1
        let inclusive: Int32 = cycleTimeInclusive ? 1 : 0

        // Locals (not the properties) so the buffer closures below can capture them.
        var submitted = [Int32](repeating: 0, count: unitCount)
        var implemented = submitted
        var rejected = submitted
        var wip = submitted
        var weeks = [Int32](repeating: 0, count: unitCount * weekCount)
        var cycleUnits: [Int32] = [], cycleTimes: [Int32] = []
        var ageUnits: [Int32] = [], ages: [Int32] = []
        var submitterPairs: [UInt64] = []
        var anySubmitter = false

        // 6M ideas at 1M employees: read the columns through raw buffers.
        ideas.unit.withUnsafeBufferPointer { unitOf in
        ideas.submitted.withUnsafeBufferPointer { submittedOn in
        ideas.implemented.withUnsafeBufferPointer { implementedOn in
        ideas.rejected.withUnsafeBufferPointer { rejectedOn in
        ideas.submitter.withUnsafeBufferPointer { submitterOf in
            for k in 0..<unitOf.count {
                let unit = unitOf[k]
                guard unit >= 0, Int(unit) < unitCount else { continue }
                let u = Int(unit)
                let s = submittedOn[k], i = implementedOn[k], r = rejectedOn[k]
                let who = submitterOf[k]
                if who >= 0 { anySubmitter = true }
                if s != noDay, s >= start, s <= end {
                    submitted[u] &+= 1
                    if who >= 0 { submitterPairs.append(UInt64(UInt32(who)) << 32 | UInt64(UInt32(unit))) }
                }
                if i != noDay, i >= start, i <= end {
                    implemented[u] &+= 1
                    weeks[u * weekCount + Int(i - firstMonday) / 7] &+= 1
                    if s != noDay {
                        cycleUnits.append(unit)
                        cycleTimes.append(i - s + inclusive)
                    }
                }
                if r != noDay, r >= start, r <= end { rejected[u] &+= 1 }
                // WIP at period end: submitted by then, neither implemented nor rejected by then.
                if s != noDay, s <= end, i == noDay || i > end, r == noDay || r > end {
                    wip[u] &+= 1
                    ageUnits.append(unit)
                    ages.append(end - s + 1)
                }
            }
        }}}}}

        layout.rollUp(&submitted, width: 1)
        layout.rollUp(&implemented, width: 1)
        layout.rollUp(&rejected, width: 1)
        layout.rollUp(&wip, width: 1)
        layout.rollUp(&weeks, width: weekCount)

        self.submitted = submitted
        self.implemented = implemented
        self.rejected = rejected
        self.wip = wip
        submitters = anySubmitter ? Self.distinctSubmitters(submitterPairs, layout: layout) : nil

        var p50 = [Double?](repeating: nil, count: unitCount)
        var p85 = p50, p95 = p50, a85 = p50
        layout.forEachSubtreeSorted(unitOf: cycleUnits, values: cycleTimes) { u, sorted in
            p50[u] = Statistics.nearestRank(sorted: sorted, percent: 50).map(Double.init)
            p85[u] = Statistics.nearestRank(sorted: sorted, percent: 85).map(Double.init)
            p95[u] = Statistics.nearestRank(sorted: sorted, percent: 95).map(Double.init)
        }
        layout.forEachSubtreeSorted(unitOf: ageUnits, values: ages) { u, sorted in
            a85[u] = Statistics.nearestRank(sorted: sorted, percent: 85).map(Double.init)
        }
        cycleP50 = p50; cycleP85 = p85; cycleP95 = p95; ageP85 = a85

        var weekLabels: [(Int, Int)] = []
        for w in 0..<weekCount {
            let iso = Day(ordinal: firstMonday + Int32(7 * w)).isoWeek
            weekLabels.append((iso.year, iso.week))
        }
        for u in 0..<unitCount {
            for w in 0..<weekCount where weeks[u * weekCount + w] > 0 {
                weekly.append((u, weekLabels[w].0, weekLabels[w].1, Int(weeks[u * weekCount + w])))
            }
        }
    }

    /// Distinct submitters per subtree. A person may submit from several units (a move), so the
    /// counts are not additive: each submitter is counted once in every unit on the union of their
    /// units' paths to the root, with a stamp per unit so shared ancestors are counted once.
    private static func distinctSubmitters(_ pairs: [UInt64], layout: OrganizationLayout) -> [Int32] {
        var counts = [Int32](repeating: 0, count: layout.count)
        var stamp = [Int64](repeating: -1, count: layout.count)
        var sortedPairs = pairs
        sortedPairs.sort()
        for pair in sortedPairs {
            let who = Int64(pair >> 32)
            var u = Int(UInt32(truncatingIfNeeded: pair))
            // Once a stamped unit is reached, all its ancestors are stamped too.
            while u >= 0, stamp[u] != who {
                stamp[u] = who
                counts[u] += 1
                u = layout.parent[u]
            }
        }
        return counts
    }
}
