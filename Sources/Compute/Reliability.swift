import LeanPulseCore

/// Reliability of factors (METRICS.md 5): Cronbach's alpha and the ICC(1) / ICC(2) of a one-way ANOVA.
public enum Reliability {
    /// Cronbach's alpha of complete cases (each row answers all k items):
    /// `k/(k-1) * (1 - Σ var(item) / var(total))`. nil for k < 2, fewer than 2 cases or a constant total.
    public static func cronbachAlpha(cases: [[Int]]) -> Double? {
        guard let k = cases.first?.count else { return nil }
        var sums = AlphaSums(itemCount: k)
        for row in cases where row.count == k { sums.add(row) }
        return sums.alpha
    }

    /// Exact integer sums for alpha: per item and for the total, count / sum / sum of squares.
    struct AlphaSums {
        let itemCount: Int
        var n: Int64 = 0
        var itemSum: [Int64]
        var itemSquares: [Int64]
        var totalSum: Int64 = 0
        var totalSquares: Int64 = 0

        init(itemCount: Int) {
            self.itemCount = itemCount
            itemSum = Array(repeating: 0, count: itemCount)
            itemSquares = itemSum
        }

        mutating func add<C: Collection>(_ values: C) where C.Element == Int {
            n += 1
            var total: Int64 = 0
            for (i, v) in values.enumerated() {
                let x = Int64(v)
                itemSum[i] += x
                itemSquares[i] += x * x
                total += x
            }
            totalSum += total
            totalSquares += total * total
        }

        /// Every variance is `(n Σx² - (Σx)²) / (n(n-1))`; the common denominator cancels in the ratio.
        var alpha: Double? {
            guard itemCount >= 2, n >= 2 else { return nil }
            let totalScatter = n * totalSquares - totalSum * totalSum
            guard totalScatter > 0 else { return nil }
            var itemScatter: Int64 = 0
            for i in 0..<itemCount { itemScatter += n * itemSquares[i] - itemSum[i] * itemSum[i] }
            let k = Double(itemCount)
            return k / (k - 1) * (1 - Double(itemScatter) / Double(totalScatter))
        }
    }

    /// ICC(1) and ICC(2) of a one-way ANOVA over groups of values (empty groups are ignored):
    /// `(MSB-MSW)/(MSB+(k-1)MSW)` and `(MSB-MSW)/MSB` with k the mean group size. nil with fewer than 2
    /// groups, no within-group degrees of freedom, or a zero denominator.
    public static func icc(groups: [[Double]]) -> (icc1: Double?, icc2: Double?) {
        var ssw = 0.0, total = 0.0, n = 0
        var means: [(n: Int, mean: Double)] = []
        for g in groups where !g.isEmpty {
            let mean = g.reduce(0, +) / Double(g.count)
            for x in g { ssw += (x - mean) * (x - mean) }
            means.append((g.count, mean))
            total += mean * Double(g.count)
            n += g.count
        }
        guard n > 0 else { return (nil, nil) }
        let grand = total / Double(n)
        var ssb = 0.0
        for g in means { ssb += Double(g.n) * (g.mean - grand) * (g.mean - grand) }
        return icc(ssb: ssb, ssw: ssw, respondents: n, groups: means.count)
    }

    /// ICC(1) and ICC(2) from the between and within sums of squares.
    /// ICC(1) and ICC(2) of groups given by their sums (METRICS.md 5: between- and within-group scatter of
    /// person-level scores), with the respondents and groups they cover.
    static func icc(groups: [ICCGroupSums]) -> (icc1: Double?, icc2: Double?, respondents: Int, groups: Int) {
        var n = 0, total = 0.0, ssw = 0.0
        for g in groups {
            let m = Int(g.respondents)
            n += m
            total += g.sum
            // Within-group scatter from the group's sums (centered scores keep the cancellation small).
            ssw += Swift.max(0, g.squares - g.sum * g.sum / Double(m))
        }
        var ssb = 0.0
        if n > 0 {
            let grand = total / Double(n)
            for g in groups {
                let mean = g.sum / Double(g.respondents)
                ssb += Double(g.respondents) * (mean - grand) * (mean - grand)
            }
        }
        let icc = icc(ssb: ssb, ssw: ssw, respondents: n, groups: groups.count)
        return (icc.icc1, icc.icc2, n, groups.count)
    }

    static func icc(ssb: Double, ssw: Double, respondents n: Int, groups g: Int) -> (icc1: Double?, icc2: Double?) {
        guard g >= 2, n > g else { return (nil, nil) }
        let msb = ssb / Double(g - 1)
        let msw = ssw / Double(n - g)
        let k = Double(n) / Double(g)
        let d1 = msb + (k - 1) * msw
        return (d1 > 0 ? (msb - msw) / d1 : nil, msb > 0 ? (msb - msw) / msb : nil)
    }
}
