import LeanPulseCore

/// Per-unit views of the period's row-level data (ideas, comments), bounded per unit so that no page's
/// work or size grows with the organisation (DECISIONS: "Bounded per-page detail").
///
/// Built once per report, bottom-up over the unit tree: each unit keeps the `limit` rows of its subtree with
/// the smallest pseudo-random key (a deterministic, unbiased sample: the same store gives the same sample),
/// the exact count of all of them, and an exact age histogram of its open ideas.
struct UnitDetails: Sendable {
    struct CyclePoint: Sendable {
        /// Implementation day (ordinal).
        var day: Int32
        /// Cycle time in days.
        var days: Int32
        var key: UInt64
    }

    struct Comment: Sendable {
        var text: String
        var key: UInt64
    }

    /// Age bins of open ideas (days since submission, inclusive), METRICS.md 3 "work-item age".
    static let ageBins: [(low: Int, high: Int?, label: String)] = [
        (1, 7, "\u{2264} 1 wk"), (8, 14, "1\u{2013}2 wk"), (15, 30, "2\u{2013}4 wk"), (31, 60, "1\u{2013}2 mo"),
        (61, 90, "2\u{2013}3 mo"), (91, 180, "3\u{2013}6 mo"), (181, 365, "6\u{2013}12 mo"), (366, nil, "> 1 yr"),
    ]

    static func ageBin(_ age: Int32) -> Int {
        for (i, b) in ageBins.enumerated() where b.high.map({ Int(age) <= $0 }) ?? true { return i }
        return ageBins.count - 1
    }

    /// Per position: a sample of the subtree's ideas implemented in the period, sorted by key.
    var cycleSample: [[CyclePoint]]
    /// Per position: ideas implemented in the period with a submission date (all of them, not the sample).
    var cycleCount: [Int]
    /// Per position: open ideas at the period end per age bin (`ageBins.count` values per position).
    var ageHistogram: [Int32]
    /// Per position: a sample of the subtree's comments, sorted by key.
    var commentSample: [[Comment]]
    /// Per position: all comments of the subtree.
    var commentCount: [Int]
    /// Per position: whether the unit page may show its comments (see `commentVisibility`).
    var commentsShown: [Bool]

    static let empty = UnitDetails(cycleSample: [], cycleCount: [], ageHistogram: [], commentSample: [], commentCount: [], commentsShown: [])

    /// A well-mixed 64-bit key (SplitMix64 finaliser).
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func textKey(_ text: String, row: Int32) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return mix(h ^ UInt64(UInt32(bitPattern: row)))
    }

    init(cycleSample: [[CyclePoint]], cycleCount: [Int], ageHistogram: [Int32], commentSample: [[Comment]], commentCount: [Int],
         commentsShown: [Bool]) {
        self.commentsShown = commentsShown
        self.cycleSample = cycleSample
        self.cycleCount = cycleCount
        self.ageHistogram = ageHistogram
        self.commentSample = commentSample
        self.commentCount = commentCount
    }

    init(dataset: PeriodDataset, tree: UnitTree, period: Period, cycleTimeInclusive: Bool, maxPoints: Int, maxComments: Int,
         minCommentRespondents: Int) {
        let n = tree.units.count
        var positionOf = [Int32](repeating: -1, count: (tree.units.map(\.unitIndex).max() ?? -1) + 1)
        for (unitIndex, p) in tree.positionByUnitIndex where unitIndex >= 0 { positionOf[unitIndex] = Int32(p) }
        func position(_ unit: Int32) -> Int? {
            guard unit >= 0, Int(unit) < positionOf.count else { return nil }
            let p = positionOf[Int(unit)]
            return p >= 0 ? Int(p) : nil
        }
        let bins = Self.ageBins.count
        var cycle = [[CyclePoint]](repeating: [], count: n)
        var cycleCount = [Int](repeating: 0, count: n)
        var ages = [Int32](repeating: 0, count: n * bins)
        let start = period.start.ordinal, end = period.end.ordinal, noDay = IdeaTable.noDay
        let inclusive: Int32 = cycleTimeInclusive ? 1 : 0
        let ideas = dataset.ideas
        for k in 0..<ideas.count {
            guard let p = position(ideas.unit[k]) else { continue }
            let s = ideas.submitted[k], i = ideas.implemented[k], r = ideas.rejected[k]
            guard s != noDay else { continue }
            if i != noDay, i >= start, i <= end {
                cycle[p].append(CyclePoint(day: i, days: i - s + inclusive, key: Self.mix(UInt64(k))))
                cycleCount[p] += 1
            }
            if s <= end, i == noDay || i > end, r == noDay || r > end {
                ages[p * bins + Self.ageBin(end - s + 1)] += 1
            }
        }
        var comments = [[Comment]](repeating: [], count: n)
        var commentCount = [Int](repeating: 0, count: n)
        let responses = dataset.responses
        for c in responses.comments {
            guard c.row >= 0, Int(c.row) < responses.unit.count, let p = position(responses.unit[Int(c.row)]) else { continue }
            comments[p].append(Comment(text: c.text, key: Self.textKey(c.text, row: c.row)))
            commentCount[p] += 1
        }
        // Children before parents: reversed pre-order.
        let bottomUp = Array(tree.preorder(from: tree.roots, maxLevel: Int.max, limit: Int.max).reversed().map(\.position))
        for p in bottomUp {
            for c in tree.children[p] {
                cycle[p] += cycle[c]
                cycleCount[p] += cycleCount[c]
                for b in 0..<bins { ages[p * bins + b] += ages[c * bins + b] }
                comments[p] += comments[c]
                commentCount[p] += commentCount[c]
            }
            cycle[p].sort { $0.key < $1.key }
            if cycle[p].count > maxPoints { cycle[p].removeSubrange(maxPoints...) }
            comments[p].sort { $0.key < $1.key }
            if comments[p].count > maxComments { comments[p].removeSubrange(maxComments...) }
        }
        self.init(cycleSample: cycle, cycleCount: cycleCount, ageHistogram: ages, commentSample: comments, commentCount: commentCount,
                  commentsShown: Self.commentVisibility(tree: tree, counts: commentCount, bottomUp: bottomUp, minimum: minCommentRespondents))
    }

    /// Which units may show their subtree's comments (DECISIONS R2): shown survey results and at least `minimum`
    /// comments; and, as for scores (METRICS.md 6), the comments a reader could attribute to a smaller group by
    /// setting a unit's list against the lists of its nearest shown descendants must number 0 or at least
    /// `minimum`: while they do not, the shown child with the fewest comments (ties: smallest position) is
    /// withheld, or the unit itself when no direct child is shown. Repeated until nothing changes.
    static func commentVisibility(tree: UnitTree, counts: [Int], bottomUp: [Int], minimum: Int) -> [Bool] {
        var shown = counts.indices.map { !tree.units[$0].isSuppressed && counts[$0] >= max(minimum, 1) }
        var covered = [Int](repeating: 0, count: counts.count)
        var changed = true
        while changed {
            changed = false
            for p in bottomUp {
                covered[p] = tree.children[p].reduce(0) { $0 + (shown[$1] ? counts[$1] : covered[$1]) }
            }
            for p in bottomUp.reversed() where shown[p] {
                var rest = counts[p] - tree.children[p].reduce(0) { $0 + (shown[$1] ? counts[$1] : covered[$1]) }
                while rest > 0 && rest < minimum {
                    changed = true
                    let candidates = tree.children[p].filter { shown[$0] }
                    guard let c = candidates.min(by: { (counts[$0], $0) < (counts[$1], $1) }) else {
                        shown[p] = false
                        break
                    }
                    shown[c] = false
                    rest += counts[c] - covered[c]
                }
            }
        }
        return shown
    }

    func ages(of position: Int) -> [Int] {
        let bins = Self.ageBins.count
        guard ageHistogram.count >= (position + 1) * bins else { return [] }
        return (0..<bins).map { Int(ageHistogram[position * bins + $0]) }
    }
}
