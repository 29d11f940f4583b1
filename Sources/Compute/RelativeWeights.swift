/// Relative weights (Johnson 2000; METRICS.md 5, "also offered"): each driver item's share of the
/// engagement score's R², from the eigen-decomposition of the items' correlation matrix.
///
/// With `R = Q Λ Q'` the items' correlations, `Λ* = Q Λ^½ Q'` correlates the items with their closest
/// orthogonal counterparts Z, `β = Λ*⁻¹ r_xy` regresses the criterion on Z, and the raw weight of item j
/// is `ε_j = Σ_k Λ*_jk² β_k²`; the weights sum to the R² of the full regression.
public enum RelativeWeights {
    /// Raw relative weights from the predictors' correlation matrix `rxx` (p x p, row-major) and their
    /// correlations with the criterion `rxy`; nil when `rxx` is not positive definite (a predictor that is
    /// constant or a linear combination of the others).
    public static func johnson(rxx: [Double], rxy: [Double]) -> [Double]? {
        let p = rxy.count
        guard p > 0, rxx.count == p * p else { return nil }
        let (values, vectors) = symmetricEigen(rxx, size: p)
        guard values.allSatisfy({ $0 > 1e-10 }) else { return nil }
        // Λ* = Q diag(√λ) Q' and its inverse Q diag(1/√λ) Q' (vectors column k = eigenvector k).
        var lambda = [Double](repeating: 0, count: p * p), inverse = lambda
        for i in 0..<p {
            for j in 0..<p {
                var a = 0.0, b = 0.0
                for k in 0..<p {
                    let q = vectors[i * p + k] * vectors[j * p + k]
                    a += q * values[k].squareRoot()
                    b += q / values[k].squareRoot()
                }
                lambda[i * p + j] = a
                inverse[i * p + j] = b
            }
        }
        var beta = [Double](repeating: 0, count: p)
        for i in 0..<p { for j in 0..<p { beta[i] += inverse[i * p + j] * rxy[j] } }
        return (0..<p).map { j in (0..<p).reduce(0.0) { $0 + lambda[j * p + $1] * lambda[j * p + $1] * beta[$1] * beta[$1] } }
    }

    /// Raw relative weights of complete-case rows: `predictors[r]` the row's predictor values, `criterion[r]`
    /// its criterion; nil for fewer than 3 rows, a constant column or a singular correlation matrix.
    public static func weights(predictors: [[Double]], criterion: [Double]) -> [Double]? {
        guard let p = predictors.first?.count, predictors.count == criterion.count else { return nil }
        var sums = Sums(variables: p + 1)
        for (row, y) in zip(predictors, criterion) where row.count == p { sums.add(row + [y]) }
        return sums.weights()
    }

    /// Count, sums and cross products of complete-case rows (predictors first, criterion last), additive
    /// across units. Values should be centered near their mean by the caller (rounding).
    struct Sums {
        let variables: Int
        var n = 0.0
        var sum: [Double]
        /// Upper triangle, row-major: (i, j) with i <= j at `i * variables - i * (i - 1) / 2 + (j - i)`.
        var cross: [Double]

        init(variables: Int) {
            self.variables = variables
            sum = Array(repeating: 0, count: variables)
            cross = Array(repeating: 0, count: variables * (variables + 1) / 2)
        }

        static func width(variables m: Int) -> Int { 1 + m + m * (m + 1) / 2 }

        /// Reads the sums from a flat slot of `width(variables:)` values.
        init(flat: ArraySlice<Double>, variables m: Int) {
            variables = m
            let base = flat.startIndex
            n = flat[base]
            sum = Array(flat[(base + 1)..<(base + 1 + m)])
            cross = Array(flat[(base + 1 + m)..<(base + Self.width(variables: m))])
        }

        mutating func add(_ row: [Double]) {
            n += 1
            var c = 0
            for i in 0..<variables {
                sum[i] += row[i]
                for j in i..<variables { cross[c] += row[i] * row[j]; c += 1 }
            }
        }

        func weights() -> [Double]? {
            let m = variables, p = m - 1
            guard n >= 3, p >= 1 else { return nil }
            var cov = [Double](repeating: 0, count: m * m)
            var c = 0
            for i in 0..<m {
                for j in i..<m {
                    let v = (cross[c] - sum[i] * sum[j] / n) / (n - 1)
                    cov[i * m + j] = v; cov[j * m + i] = v
                    c += 1
                }
            }
            let sd = (0..<m).map { cov[$0 * m + $0].squareRoot() }
            guard sd.allSatisfy({ $0 > 1e-12 }) else { return nil }
            var rxx = [Double](repeating: 0, count: p * p)
            for i in 0..<p { for j in 0..<p { rxx[i * p + j] = i == j ? 1 : cov[i * m + j] / (sd[i] * sd[j]) } }
            let rxy = (0..<p).map { cov[$0 * m + p] / (sd[$0] * sd[p]) }
            return johnson(rxx: rxx, rxy: rxy)
        }
    }

    /// Eigenvalues and eigenvectors (columns of the row-major result) of a symmetric matrix, by cyclic
    /// Jacobi rotations: small matrices (one row per driver item), accurate to rounding.
    static func symmetricEigen(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] } }
            if off < 1e-30 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = a[p * n + q]
                    guard abs(apq) > 1e-300 else { continue }
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }
}
