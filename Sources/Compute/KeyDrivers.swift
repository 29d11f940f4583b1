import LeanPulseCore

/// Key drivers (METRICS.md 5): Pearson r of each driver item with the engagement score, and priorities.
public enum KeyDrivers {
    /// Pearson r from the sums of n pairs; nil for n < 2 or a constant side.
    static func pearson(n: Double, sx: Double, sy: Double, sxx: Double, syy: Double, sxy: Double) -> Double? {
        guard n >= 2 else { return nil }
        let vx = n * sxx - sx * sx
        let vy = n * syy - sy * sy
        // Rounding can leave a hair above 0 for a constant side: relative to the raw sums.
        guard vx > 1e-12 * n * sxx, vy > 1e-12 * n * syy, vx > 0, vy > 0 else { return nil }
        return Swift.max(-1, Swift.min(1, (n * sxy - sx * sy) / (vx * vy).squareRoot()))
    }

    /// The median of `values` (mean of the two middle ones for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let v = values.sorted()
        let m = v.count / 2
        return v.count % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2
    }

    /// Priority positions: among items with a correlation whose % favorable is strictly below the median
    /// % favorable of all items with answers, the `count` highest correlations (ties: the earlier item).
    /// `favorable[i]` and `correlation[i]` per item, nil when not defined.
    public static func priorities(favorable: [Double?], correlation: [Double?], count: Int = SurveyStatisticsResult.priorityCount) -> Set<Int> {
        guard let median = median(favorable.compactMap { $0 }) else { return [] }
        var candidates: [(i: Int, r: Double)] = []
        for i in favorable.indices {
            guard let f = favorable[i], f < median, i < correlation.count, let r = correlation[i] else { continue }
            candidates.append((i, r))
        }
        candidates.sort { $0.r != $1.r ? $0.r > $1.r : $0.i < $1.i }
        return Set(candidates.prefix(count).map(\.i))
    }
}
