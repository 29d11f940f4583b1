/// Small statistics the metrics share: nearest-rank percentiles, the factor interval, Pearson r.
public enum Statistics {
    /// Nearest-rank percentile (METRICS.md 3): the value at 1-based position `ceil(p/100 * m)` of the
    /// sorted values. `percent` is an integer so the position is exact (0.85 * 20 must be 17, not 17.000...1).
    public static func nearestRank<C: RandomAccessCollection>(sorted values: C, percent: Int) -> C.Element?
    where C.Index == Int {
        let m = values.count
        guard m > 0, percent > 0, percent <= 100 else { return nil }
        let position = (percent * m + 99) / 100  // ceil(percent * m / 100), at least 1
        return values[values.startIndex + position - 1]
    }

    /// The 95% interval of a mean of person-level values (METRICS.md 5) around `point`:
    /// `point +- t(0.975, n-1) * s/sqrt(n) * sqrt((N-n)/(N-1))`, the last factor only when `N > n`;
    /// `N <= n` (everyone answered) gives the point itself. Clipped to 0...100; nil when n < 2.
    /// `t975` supplies `t(0.975, df)` so that callers can memoize it.
    public static func meanInterval(point: Double, n: Int, sum: Double, sumOfSquares: Double, population: Int?,
                                    t975: (Int) -> Double = { StudentT.quantile(0.975, degreesOfFreedom: Double($0)) })
    -> (low: Double, high: Double)? {
        guard n >= 2 else { return nil }
        if let population, population <= n { return (clip(point), clip(point)) }
        let nd = Double(n)
        let mean = sum / nd
        // Sum of squared deviations from the sums; never below 0 (rounding).
        let ss = Swift.max(0, sumOfSquares - sum * mean)
        let sd = (ss / (nd - 1)).squareRoot()
        var half = t975(n - 1) * sd / nd.squareRoot()
        if let population {
            let big = Double(population)
            half *= ((big - nd) / (big - 1)).squareRoot()
        }
        return (clip(point - half), clip(point + half))
    }

    /// Pearson's r of paired values; nil for fewer than 2 pairs or a constant side.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Swift.min(x.count, y.count)
        guard n >= 2 else { return nil }
        var mx = 0.0, my = 0.0
        for i in 0..<n { mx += x[i]; my += y[i] }
        mx /= Double(n); my /= Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    static func clip(_ v: Double) -> Double { Swift.min(100, Swift.max(0, v)) }
}
