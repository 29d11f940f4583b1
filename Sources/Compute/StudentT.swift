/// Student's t distribution: the quantiles the factor intervals need (METRICS.md 5).
///
/// The quantile is the root of `cdf(t) = p`, found by safeguarded Newton steps on a CDF that comes
/// from the regularized incomplete beta function (continued fraction, Lentz). Written here rather than
/// borrowed so that Compute depends on nothing but the core; checked against scipy.stats.t.ppf.
public enum StudentT {
    /// The upper-tail probability `P(T > t)` for `t >= 0` with `df` degrees of freedom.
    public static func upperTail(_ t: Double, degreesOfFreedom df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        if t == 0 { return 0.5 }
        if t < 0 { return 1 - upperTail(-t, degreesOfFreedom: df) }
        // P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2); 1 - x is passed separately so that
        // neither is formed by a subtraction that loses digits.
        let t2 = t * t
        let x = df / (df + t2)
        let oneMinusX = t2 / (df + t2)
        return 0.5 * regularizedBeta(x: x, oneMinusX: oneMinusX, a: df / 2, b: 0.5)
    }

    /// The cumulative distribution `P(T <= t)`.
    public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        t >= 0 ? 1 - upperTail(t, degreesOfFreedom: df) : upperTail(-t, degreesOfFreedom: df)
    }

    /// The density at `t`.
    public static func density(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let logNorm = lnGammaRatio(df / 2, 0.5) - 0.5 * log(df * Double.pi)
        return exp(logNorm - (df + 1) / 2 * log1p(t * t / df))
    }

    /// The quantile `t` with `P(T <= t) = p`, for `0 < p < 1` and `df > 0`.
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0 && p < 1 && df > 0, "quantile needs 0 < p < 1 and df > 0")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: df) }
        // Closed forms where they exist.
        if df == 1 { return tan(Double.pi * (p - 0.5)) }
        if df == 2 { let q = 2 * p - 1; return q * (2 / (1 - q * q)).squareRoot() }
        let tail = 1 - p
        // Bracket the root: the upper tail falls as t grows.
        var low = 0.0
        var high = 1.0
        while upperTail(high, degreesOfFreedom: df) > tail { low = high; high *= 2 }
        // Start from the normal quantile's Cornish-Fisher correction when df is large, the midpoint otherwise.
        var t = Swift.min(Swift.max(cornishFisherStart(p: p, df: df), low), high)
        for _ in 0..<100 {
            let f = upperTail(t, degreesOfFreedom: df) - tail  // decreasing in t
            if f == 0 { return t }
            if f > 0 { low = t } else { high = t }
            let step = f / density(t, degreesOfFreedom: df)
            var next = t + step
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - t) <= 1e-15 * Swift.max(1, abs(t)) { return next }
            t = next
        }
        return t
    }

    // MARK: - Internals

    private static func cornishFisherStart(p: Double, df: Double) -> Double {
        let z = NormalQuantile.quantile(p)
        let z3 = z * z * z, z5 = z3 * z * z
        return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
    }

    /// `ln(Gamma(a + b) / Gamma(a))`, accurate for large `a` where the two log-gammas nearly cancel.
    static func lnGammaRatio(_ a: Double, _ b: Double) -> Double {
        guard a >= 10, a + b >= 10 else { return lgamma(a + b) - lgamma(a) }
        // Stirling: ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + c(x); the difference rearranged so
        // that only log1p(b/a) carries the large terms.
        return (a - 0.5) * log1p(b / a) + b * log(a + b) - b + stirlingCorrection(a + b) - stirlingCorrection(a)
    }

    /// `ln B(a, b)`, with the large argument's log-gammas cancelled analytically.
    static func lnBeta(_ a: Double, _ b: Double) -> Double {
        let small = Swift.min(a, b), large = Swift.max(a, b)
        return lgamma(small) - lnGammaRatio(large, small)
    }

    private static func stirlingCorrection(_ x: Double) -> Double {
        let x2 = 1 / (x * x)
        return (1.0 / 12 + x2 * (-1.0 / 360 + x2 * (1.0 / 1260 + x2 * (-1.0 / 1680 + x2 / 1188)))) / x
    }

    /// `I_x(a, b)` with `x` and `1 - x` both given.
    static func regularizedBeta(x: Double, oneMinusX: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if oneMinusX <= 0 { return 1 }
        // The continued fraction converges quickly for x < (a + 1) / (a + b + 2); else use the symmetry.
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedBeta(x: oneMinusX, oneMinusX: x, a: b, b: a)
        }
        // x^a (1-x)^b / (a B(a, b)), with 1 - x taken as given (forming it from x would lose digits near 1).
        let lnFront = a * log(x) + b * log(oneMinusX) - lnBeta(a, b) - log(a)
        return exp(lnFront) * betaContinuedFraction(x: x, a: a, b: b)
    }

    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let eps = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < eps { break }
        }
        return h
    }
}

/// The standard normal quantile (Wichura 1988, AS 241, PPND16: about 16 digits).
enum NormalQuantile {
    static func quantile(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                + 133.14166789178437745) * r + 3.387132872796366608
            let den = ((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                + 42.313330701600911252) * r + 1
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734
            let den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1
            value = num / den
        } else {
            r -= 5
            let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772
            let den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                + 0.59983220655588793769) * r + 1
            value = num / den
        }
        return q < 0 ? -value : value
    }
}
