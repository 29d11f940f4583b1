import Testing
@testable import Compute

/// Hand-computed vectors: METRICS.md 5 (Wilson), 3 (nearest rank) and the factor interval.
struct StatisticsTests {
    @Test(arguments: [
        (7, 10, 0.396778, 0.892209),
        (0, 10, 0.0, 0.277533),
        (45, 60, 0.627679, 0.842235),
    ])
    func wilsonVectorsFromMetricsMd(x: Int, n: Int, low: Double, high: Double) throws {
        let interval = try #require(Wilson.interval(successes: x, trials: n))
        #expect(abs(interval.low - low) < 5e-7)
        #expect(abs(interval.high - high) < 5e-7)
    }

    @Test func wilsonUndefinedWithoutAnswers() {
        #expect(Wilson.interval(successes: 0, trials: 0) == nil)
        #expect(Wilson.interval(successes: 10, trials: 10)?.high == 1)
    }

    @Test func nearestRankOfOneValue() {
        for p in [50, 85, 95] { #expect(Statistics.nearestRank(sorted: [5], percent: p) == 5) }
        #expect(Statistics.nearestRank(sorted: [Int](), percent: 50) == nil)
    }

    @Test func nearestRankOfTwoValues() {
        // positions ceil(1.0) = 1, ceil(1.7) = 2, ceil(1.9) = 2
        #expect(Statistics.nearestRank(sorted: [1, 9], percent: 50) == 1)
        #expect(Statistics.nearestRank(sorted: [1, 9], percent: 85) == 9)
        #expect(Statistics.nearestRank(sorted: [1, 9], percent: 95) == 9)
    }

    @Test func nearestRankOfSevenValues() {
        let v = Array(1...7)  // positions ceil(3.5) = 4, ceil(5.95) = 6, ceil(6.65) = 7
        #expect(Statistics.nearestRank(sorted: v, percent: 50) == 4)
        #expect(Statistics.nearestRank(sorted: v, percent: 85) == 6)
        #expect(Statistics.nearestRank(sorted: v, percent: 95) == 7)
    }

    @Test func nearestRankOfTwentyValuesHitsExactPositions() {
        // 0.85 * 20 is 17 exactly: a floating-point ceil would give 18.
        let v = (1...20).map { $0 * 10 }
        #expect(Statistics.nearestRank(sorted: v, percent: 50) == 100)
        #expect(Statistics.nearestRank(sorted: v, percent: 85) == 170)
        #expect(Statistics.nearestRank(sorted: v, percent: 95) == 190)
    }

    // Person values 60, 80, 100, 40, 70: mean 70, s = sqrt(500), t(0.975, 4) = 2.7764451051977987,
    // so the half-width is 2.7764451051977987 * sqrt(500) / sqrt(5) = 27.764451051977987.
    static let values: [Double] = [60, 80, 100, 40, 70]
    static var sum: Double { values.reduce(0, +) }
    static var squares: Double { values.reduce(0) { $0 + $1 * $1 } }

    @Test func factorIntervalWithoutHeadcount() throws {
        let i = try #require(Statistics.meanInterval(point: 70, n: 5, sum: Self.sum, sumOfSquares: Self.squares, population: nil))
        #expect(abs(i.low - (70 - 27.764451051977987)) < 1e-9)
        #expect(abs(i.high - (70 + 27.764451051977987)) < 1e-9)
    }

    @Test func factorIntervalWithFinitePopulation() throws {
        // N = 10: factor sqrt((10 - 5) / 9).
        let half = 27.764451051977987 * (5.0 / 9).squareRoot()
        let i = try #require(Statistics.meanInterval(point: 70, n: 5, sum: Self.sum, sumOfSquares: Self.squares, population: 10))
        #expect(abs(i.low - (70 - half)) < 1e-9)
        #expect(abs(i.high - (70 + half)) < 1e-9)
    }

    @Test func factorIntervalIsThePointWhenEveryoneAnswered() throws {
        for population in [5, 4] {
            let i = try #require(Statistics.meanInterval(point: 70, n: 5, sum: Self.sum, sumOfSquares: Self.squares, population: population))
            #expect(i.low == 70 && i.high == 70)
        }
    }

    @Test func factorIntervalClipsAndNeedsTwo() throws {
        let i = try #require(Statistics.meanInterval(point: 95, n: 5, sum: Self.sum, sumOfSquares: Self.squares, population: nil))
        #expect(i.high == 100)
        #expect(Statistics.meanInterval(point: 50, n: 1, sum: 50, sumOfSquares: 2500, population: nil) == nil)
    }

    @Test func pearson() throws {
        #expect(abs(try #require(Statistics.pearson([1, 2, 3, 4], [2, 4, 6, 8])) - 1) < 1e-15)
        #expect(Statistics.pearson([1, 2, 3], [5, 5, 5]) == nil)
    }
}
