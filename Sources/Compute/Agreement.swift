/// Within-group agreement rwg(j) (James, Demaree & Wolf 1984; METRICS.md 5) with the uniform null
/// distribution.
public enum Agreement {
    /// Variance of the uniform null distribution on `points` scale points: `(A^2 - 1) / 12`.
    public static func uniformNullVariance(points: Int) -> Double {
        Double(points * points - 1) / 12
    }

    /// rwg(j) from the sample variances of the J items: `J(1 - s/σ²) / (J(1 - s/σ²) + s/σ²)` with `s` the
    /// mean variance; 0 when `s > σ²`; nil without items or with fewer than 2 scale points.
    public static func rwg(itemVariances: [Double], points: Int) -> Double? {
        guard !itemVariances.isEmpty else { return nil }
        return rwg(meanVariance: itemVariances.reduce(0, +) / Double(itemVariances.count), items: itemVariances.count,
                   points: points)
    }

    /// rwg(j) from the mean of J item variances.
    static func rwg(meanVariance mean: Double, items: Int, points: Int) -> Double? {
        guard items > 0, points >= 2 else { return nil }
        let j = Double(items)
        let ratio = mean / uniformNullVariance(points: points)
        guard ratio < 1 else { return 0 }
        return j * (1 - ratio) / (j * (1 - ratio) + ratio)
    }

    /// rwg(j) of answer rows (one array per respondent, nil = not answered): each item's sample variance
    /// over the respondents who answered it; items with fewer than 2 answers do not enter. For tests and
    /// small groups; Compute works from additive sums (`SurveyStatistics`).
    public static func rwg(answers: [[Int?]], points: Int) -> Double? {
        guard let width = answers.first?.count else { return nil }
        var n = [Int64](repeating: 0, count: width), s = n, ss = n
        for row in answers {
            for (i, a) in row.enumerated() where i < width {
                guard let a else { continue }
                n[i] += 1; s[i] += Int64(a); ss[i] += Int64(a * a)
            }
        }
        return rwg(itemVariances: (0..<width).compactMap { sampleVariance(n: n[$0], sum: s[$0], squares: ss[$0]) }, points: points)
    }

    /// The sample variance (n - 1) of integer values from their count, sum and sum of squares, exact up to
    /// the final division; nil for n < 2.
    static func sampleVariance(n: Int64, sum: Int64, squares: Int64) -> Double? {
        guard n >= 2 else { return nil }
        return Double(n * squares - sum * sum) / Double(n * (n - 1))
    }
}
