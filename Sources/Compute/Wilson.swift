/// The Wilson (1927) score interval for a proportion (METRICS.md 5), used for item % favorable.
public enum Wilson {
    /// z for a two-sided 95% interval.
    public static let z95 = 1.959963984540054

    /// The interval for `successes` of `trials`, as proportions in 0...1; nil when `trials` is 0.
    public static func interval(successes: Int, trials: Int, z: Double = z95) -> (low: Double, high: Double)? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let center = p + z2 / (2 * n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let scale = 1 + z2 / n
        // At p = 0 or 1 the formula's end is exactly 0 or 1; rounding would leave it a hair off.
        let low = successes == 0 ? 0 : (center - half) / scale
        let high = successes == trials ? 1 : (center + half) / scale
        return (Swift.max(0, low), Swift.min(1, high))
    }
}
