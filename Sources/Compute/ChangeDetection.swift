import LeanPulseCore

/// Change against the previous period (METRICS.md 5): Welch's t-test on person-level values,
/// Benjamini-Hochberg across the cells of one comparison, and the labels `up`, `down`, `no clear change`.
public enum ChangeDetection {
    public static let up = "up"
    public static let down = "down"
    public static let noClearChange = "no clear change"

    /// Welch's two-sample t-test from counts, means and sample variances; nil when either side has n < 2
    /// or both variances are 0. The p-value is two-sided.
    public static func welch(n1: Int, mean1: Double, variance1: Double,
                             n2: Int, mean2: Double, variance2: Double) -> (t: Double, df: Double, p: Double)? {
        guard n1 >= 2, n2 >= 2 else { return nil }
        let a = variance1 / Double(n1), b = variance2 / Double(n2)
        guard a + b > 0 else { return nil }
        let t = (mean1 - mean2) / (a + b).squareRoot()
        let df = (a + b) * (a + b) / (a * a / Double(n1 - 1) + b * b / Double(n2 - 1))
        let p = min(1, 2 * StudentT.upperTail(abs(t), degreesOfFreedom: df))
        return (t, df, p)
    }

    /// Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1), in the input order.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = p.count
        guard m > 0 else { return [] }
        let order = p.indices.sorted { p[$0] > p[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for (k, i) in order.enumerated() {
            let rank = m - k
            running = min(running, p[i] * Double(m) / Double(rank))
            adjusted[i] = min(running, 1)
        }
        return adjusted
    }
}

extension FactorAggregates {
    /// Count, mean and sample variance of the person-level favorable share (x100) on a factor.
    func personShare(unit u: Int, factor f: Int) -> (n: Int, mean: Double, variance: Double) {
        let k = u * factorCount + f
        let n = Int(factorRespondents[k])
        guard n > 0 else { return (0, 0, 0) }
        let mean = shareSum[k] / Double(n)
        let variance = n > 1 ? max(0, (shareSquares[k] - shareSum[k] * mean) / Double(n - 1)) : 0
        return (n, mean, variance)
    }
}
