import LeanPulseCore

/// The survey fields of one unit (METRICS.md 2 and the factor interval of 5), from subtree tallies.
struct SurveyMetrics {
    let instrument: Instrument
    let settings: MetricSettings
    let factorItems: [[Int]]
    let engagement: Int?
    let autonomy: Int?
    let accountability: Int?
    let alignment: Int?
    /// t(0.975, df) by df: units share respondent counts, and each quantile costs a root search.
    private var tQuantiles: [Int: Double] = [:]

    init(instrument: Instrument, settings: MetricSettings) {
        self.instrument = instrument
        self.settings = settings
        let k = instrument.items.count
        factorItems = instrument.factors.map { $0.itemIndexes.filter { $0 >= 0 && $0 < k } }
        func role(_ r: FactorRole) -> Int? { instrument.factors.firstIndex { $0.role == r } }
        engagement = role(.engagement)
        autonomy = role(.autonomy)
        accountability = role(.accountability)
        alignment = role(.alignment)
    }

    mutating func t975(_ df: Int) -> Double {
        if let t = tQuantiles[df] { return t }
        let t = StudentT.quantile(0.975, degreesOfFreedom: Double(df))
        tQuantiles[df] = t
        return t
    }

    /// Fills every survey field of `metrics` (its `respondents` and `headcount` are already set), except the figures
    /// `hidden` withholds (METRICS.md 6 on their own respondents): those stay nil and are listed in `hiddenFactors`.
    mutating func fill(_ metrics: inout UnitMetrics, from tallies: FactorAggregates, hidden: HiddenCells) {
        let u = metrics.unitIndex
        // Read in place: an array of flags per unit was an allocation for each of 83k units.
        let base = u * tallies.factorCount
        func isHidden(_ fi: Int) -> Bool { hidden.factors[base + fi] }
        metrics.hiddenFactors = (0..<instrument.factors.count).filter(isHidden)
        let n = metrics.respondents
        if let headcount = metrics.headcount, headcount > 0 {
            metrics.responseRate = 100 * Double(n) / Double(headcount)
        }
        var favorable: [String: Double] = [:]
        var score: [String: Double] = [:]
        favorable.reserveCapacity(instrument.factors.count)
        score.reserveCapacity(instrument.factors.count)
        for (fi, factor) in instrument.factors.enumerated() where !isHidden(fi) {
            if let p = tallies.factorFavorable(unit: u, factor: fi, items: factorItems[fi], aggregation: settings.favorableAggregation) {
                favorable[factor.id] = p
            }
            if let s = tallies.factorScore(unit: u, factor: fi) { score[factor.id] = s }
        }
        metrics.factorFavorable = favorable
        metrics.factorScore = score

        if let e = engagement, !isHidden(e) {
            metrics.engagementIndex = estimate(factor: e, unit: u, tallies: tallies, headcount: metrics.headcount)
            metrics.engagementScore = tallies.factorScore(unit: u, factor: e)
        }
        if let a = alignment, !isHidden(a) {
            metrics.alignment = tallies.factorFavorable(unit: u, factor: a, items: factorItems[a], aggregation: settings.favorableAggregation)
        }
        let answered = tallies.enpsAnswered[u]
        metrics.enpsHidden = hidden.enps[u]
        if answered > 0, !metrics.enpsHidden {
            metrics.enps = 100 * Double(tallies.enpsPromoters[u] - tallies.enpsDetractors[u]) / Double(answered)
        }
        if let a = autonomy, !isHidden(a) {
            metrics.autonomy = estimate(factor: a, unit: u, tallies: tallies, headcount: metrics.headcount)
        }
        if let c = accountability, !isHidden(c) {
            metrics.accountability = estimate(factor: c, unit: u, tallies: tallies, headcount: metrics.headcount)
        }
        if let a = metrics.autonomy, let c = metrics.accountability {
            metrics.balanceIndex = (a.value * c.value).squareRoot()
            metrics.balanceGap = a.value - c.value
            let s = settings.strengthThreshold
            metrics.quadrant = switch (a.value >= s, c.value >= s) {
            case (true, true): .sharedResponsibility
            case (true, false): .drifting
            case (false, true): .commandAndControl
            case (false, false): .disengaged
            }
            metrics.borderline = Self.borderline(a, c, threshold: s)
        }
    }

    /// A factor % favorable with the interval from its respondents' favorable shares (METRICS.md 5).
    private mutating func estimate(factor fi: Int, unit u: Int, tallies: FactorAggregates, headcount: Int?) -> Estimate? {
        guard let point = tallies.factorFavorable(unit: u, factor: fi, items: factorItems[fi],
                                                  aggregation: settings.favorableAggregation) else { return nil }
        let cell = u * tallies.factorCount + fi
        let interval = Statistics.meanInterval(
            point: point, n: Int(tallies.factorRespondents[cell]), sum: tallies.shareSum[cell],
            sumOfSquares: tallies.shareSquares[cell], population: headcount, t975: { t975($0) })
        return Estimate(value: point, low: interval?.low, high: interval?.high)
    }

    /// True when either interval holds the strength line; false when both are known and neither does;
    /// nil when an interval is missing (fewer than 2 respondents) and the other does not decide it.
    static func borderline(_ a: Estimate, _ c: Estimate, threshold s: Double) -> Bool? {
        func contains(_ e: Estimate) -> Bool? {
            guard let low = e.low, let high = e.high else { return nil }
            return low <= s && s <= high
        }
        let ca = contains(a), cc = contains(c)
        if ca == true || cc == true { return true }
        if ca == false && cc == false { return false }
        return nil
    }
}

extension SurveyMetrics {
    /// Every factor's % favorable and score with their 95% intervals (METRICS.md 5) for a shown unit, except the
    /// factors `hidden` withholds (no entry: not even their respondent count is shown).
    /// The favorable interval uses the person-level favorable shares, the score interval the person-level
    /// mean normalized scores; both around the point estimate, with the finite-population correction.
    mutating func appendFactorScores(unit u: Int, headcount: Int?, from tallies: FactorAggregates, hidden: HiddenCells,
                                     to out: inout [FactorScore]) {
        for fi in instrument.factors.indices {
            let cell = u * tallies.factorCount + fi
            guard !hidden.factors[cell] else { continue }
            let n = Int(tallies.factorRespondents[cell])
            var favorable: Estimate?
            if let point = tallies.factorFavorable(unit: u, factor: fi, items: factorItems[fi], aggregation: settings.favorableAggregation) {
                let interval = Statistics.meanInterval(point: point, n: n, sum: tallies.shareSum[cell],
                                                       sumOfSquares: tallies.shareSquares[cell], population: headcount,
                                                       t975: { t975($0) })
                favorable = Estimate(value: point, low: interval?.low, high: interval?.high)
            }
            var score: Estimate?
            if let point = tallies.factorScore(unit: u, factor: fi) {
                let interval = Statistics.meanInterval(point: point, n: n, sum: tallies.scoreSum[cell],
                                                       sumOfSquares: tallies.scoreSquares[cell], population: headcount,
                                                       t975: { t975($0) })
                score = Estimate(value: point, low: interval?.low, high: interval?.high)
            }
            out.append(FactorScore(unitIndex: u, factorIndex: fi, respondents: n, favorable: favorable, score: score))
        }
    }
}
