import Compute
import Testing

/// Welch and Benjamini-Hochberg against scipy (values pasted from scipy 1.17:
/// `stats.ttest_ind(a, b, equal_var=False)`, `stats.false_discovery_control(p)`), and METRICS.md's BH vector.
struct ChangeDetectionTests {
    @Test func welchMatchesScipy() throws {
        // a = [100,75,50,100,100,75,100,50], b = [50,25,50,75,25,50,0,50,25]
        let test = try #require(ChangeDetection.welch(n1: 8, mean1: 81.25, variance1: 491.07142857142856,
                                                      n2: 9, mean2: 38.888888888888886, variance2: 486.1111111111111))
        #expect(abs(test.t - 3.943405604448271) < 1e-9)
        #expect(abs(test.df - 14.747541685283153) < 1e-9)
        #expect(abs(test.p - 0.0013404329120026166) < 1e-9)
        // a = [60,70,80], b = [65,75,70,72]
        let small = try #require(ChangeDetection.welch(n1: 3, mean1: 70, variance1: 100, n2: 4, mean2: 70.5, variance2: 17.666666666666668))
        #expect(abs(small.t - -0.08137884587711594) < 1e-9)
        #expect(abs(small.df - 2.5354373190450104) < 1e-9)
        #expect(abs(small.p - 0.9411262064345736) < 1e-9)
    }

    @Test func welchNeedsTwoOnEachSideAndSomeVariance() {
        #expect(ChangeDetection.welch(n1: 1, mean1: 50, variance1: 0, n2: 9, mean2: 40, variance2: 10) == nil)
        #expect(ChangeDetection.welch(n1: 5, mean1: 50, variance1: 0, n2: 5, mean2: 40, variance2: 0) == nil)
    }

    @Test func benjaminiHochbergVectorFromMetrics() {
        let adjusted = ChangeDetection.benjaminiHochberg([0.50, 0.01, 0.001, 0.69, 0.02, 0.05, 0.0025])
        let expected = [0.583333, 0.023333, 0.007, 0.69, 0.035, 0.07, 0.00875]
        for (a, e) in zip(adjusted, expected) { #expect(abs(a - e) < 1e-6) }
        #expect(ChangeDetection.benjaminiHochberg([]).isEmpty)
        #expect(ChangeDetection.benjaminiHochberg([0.9, 0.95]) == [0.95, 0.95])
    }
}
