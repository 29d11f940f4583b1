import LeanPulseCore

/// The statistics of METRICS.md 5 beyond the per-unit figures: rwg(j) per unit and factor, Cronbach's
/// alpha and ICC(1)/ICC(2) per factor organisation-wide, key drivers per group of 30 or more.
///
/// One pass over the rows fills each unit's own additive tallies (per item: count, sum and sum of squares
/// of the reverse-scored answers, favorable count; per driver item: the six sums of Pearson's r against
/// the engagement score); `OrganizationLayout.rollUp` turns them into subtree tallies. Alpha and the
/// ICCs are organisation-wide and use exact integer sums (alpha) and per-unit sums of centered person-level
/// scores (the ICCs).
///
/// Where METRICS.md 5 is silent (the reference, Tests/ComputeTests/Fixtures/reference_statistics.py, does
/// the same):
/// - Answers are range-checked and reverse-scored first (METRICS.md 1); an out-of-range answer is not an answer.
/// - rwg(j): each item's sample variance over the group's respondents who answered it; items with fewer than
///   2 answers leave the mean and J; none left (or the factor mixes scales of different lengths): undefined.
///   A unit is its whole subtree. Shown units only; `respondents` = respondents with an answered item of the factor.
/// - Cronbach's alpha: complete cases over every response of the period; none for single-item factors;
///   undefined with fewer than 2 complete cases or a constant total.
/// - ICC(1)/ICC(2): person-level score = the mean normalized score (0-100) of the respondent's answered items
///   of the factor; groups = the respondents' own units with at least one scored respondent (a group of one
///   is kept: it adds to the between-group but not the within-group sum of squares); k = N / G (no
///   unbalanced-design correction); not truncated at 0; undefined with fewer than 2 groups or N = G.
/// - Alpha and the ICCs are organisation-wide: withheld (empty) when a root unit is suppressed.
/// - Drivers: every item outside the engagement factor except the eNPS item (an outcome, not a driver), on
///   scales of two points or more; none without an engagement factor. A group is a unit's subtree with at
///   least `driverMinimum` responses (as `UnitMetrics.respondents`), shown only. % favorable counts every answer
///   of the item in the group; correlation uses respondents with the item and an engagement score; nil for
///   fewer than 2 pairs or a constant side. Median over the driver items with answers (even count: the mean
///   of the two middle values); priorities: % favorable strictly below the median and a correlation, the five
///   highest correlations (ties: instrument order), whatever the sign of r.
/// - Relative weights (on request): complete cases of the group (every driver item answered and an engagement
///   score); raw weights (summing to R²); undefined for fewer than 3 cases, a constant item or a singular
///   correlation matrix (then blank for every item of the group).
public enum SurveyStatistics {
    /// Computes the statistics of `data`; `metrics` (from `MetricsCalculator.compute` on the same data)
    /// supplies suppression: no agreement or driver for a suppressed unit, no reliability when a root is
    /// suppressed.
    ///
    /// `relativeWeights`: also Johnson's relative weights per driver group, from the group's complete cases
    /// (respondents who answered every driver item and have an engagement score).
    /// `minimum`: the pipeline's `min_respondents` (the ICC's groups are own units with at least that many).
    public static func compute(_ data: PeriodDataset, metrics: PeriodMetrics, minimum: Int,
                               driverMinimum: Int = SurveyStatisticsResult.defaultDriverMinimum,
                               relativeWeights: Bool = false) -> SurveyStatisticsResult {
        let suppressed = (0..<data.organization.count).map { $0 < metrics.units.count ? metrics.units[$0].isSuppressed : true }
        var result = compute(data, suppressed: suppressed, minimum: minimum, driverMinimum: driverMinimum, relativeWeights: relativeWeights)
        result.withhold(as: metrics, minimum: minimum)
        return result
    }

    /// The same, with the units' suppression given directly (`MetricsCalculator.suppressedUnits`), so that the
    /// statistics can be computed beside the unit metrics. `minimum` (`min_respondents`): a driver row needs that many
    /// pairs, a group's relative weights that many complete cases (session 16's audit read the correlation of 4 people
    /// inside a group of 32). The ICCs are left undefined until `withhold(as:minimum:)` has chosen their groups.
    public static func compute(_ data: PeriodDataset, suppressed: [Bool], minimum: Int,
                               driverMinimum: Int = SurveyStatisticsResult.defaultDriverMinimum,
                               relativeWeights: Bool = false) -> SurveyStatisticsResult {
        let org = data.organization
        let instrument = data.instrument
        let responses = data.responses
        let layout = OrganizationLayout(org)
        let unitCount = org.count
        let k = instrument.items.count
        precondition(suppressed.count == unitCount, "one suppression flag per unit of the organisation")
        guard responses.itemCount == k, k > 0, unitCount > 0 else { return SurveyStatisticsResult(driverMinimum: driverMinimum) }
        let scoring = Scoring(instrument)
        let factors = instrument.factors.map { $0.itemIndexes.filter { $0 >= 0 && $0 < k } }
        let f = factors.count

        // Driver items: every item outside the engagement factor, except the eNPS item (an outcome).
        let engagementItems = instrument.factor(role: .engagement).map { Set($0.itemIndexes) } ?? []
        let driverItems: [Int] = engagementItems.isEmpty ? [] : (0..<k).filter {
            !engagementItems.contains($0) && $0 != instrument.enpsItemIndex && scoring.span[$0] > 0
        }
        let d = driverItems.count
        let xCenter = driverItems.map { Double(scoring.minimum[$0] + scoring.minimum[$0] + scoring.span[$0]) / 2 }

        // Subtree respondents (every response, answered or not, as `UnitMetrics.respondents`).
        var respondents = [Int](repeating: 0, count: unitCount)
        for u in responses.unit where u >= 0 && Int(u) < unitCount { respondents[Int(u)] += 1 }
        layout.rollUp(&respondents, width: 1)
        // Driver groups: only units with at least `driverMinimum` respondents get driver tallies (a slot). Their
        // ancestors have at least as many, so the slots are closed upwards: a row of a smaller unit is tallied
        // into its nearest ancestor with a slot, and the slots roll up like units. Suppressed units keep their
        // slot (their sums flow into their parent) but are not reported.
        var slot = [Int](repeating: -1, count: unitCount)
        var groups: [Int] = []
        if d > 0 { for u in 0..<unitCount where respondents[u] >= driverMinimum { slot[u] = groups.count; groups.append(u) } }
        var target = [Int](repeating: -1, count: unitCount)
        for u in layout.postOrder.reversed() {
            target[u] = slot[u] >= 0 ? slot[u] : (layout.parent[u] >= 0 ? target[layout.parent[u]] : -1)
        }

        // Factor items flattened (offsets into one array) so that the row loop touches no nested arrays.
        var factorStart = [0]
        var factorItems: [Int] = []
        for items in factors {
            factorItems += items
            factorStart.append(factorItems.count)
        }
        let engagementFactor = instrument.factors.firstIndex { $0.role == .engagement } ?? -1

        // Own tallies, interleaved so that a row's additions to a cell sit together: per unit x item (n, sum, sum of
        // squares); per driver group x driver item (answered, favorable) and the pair sums (n, Σx, Σy, Σx², Σy², Σxy).
        var itemTallies = [Int64](repeating: 0, count: unitCount * k * 3)
        var driverTallies = [Int](repeating: 0, count: groups.count * d * 2)
        // Per unit x factor: respondents with a person-level score, and the sum and sum of squares of their
        // scores centered at 50 (own units: the ICC groups; then rolled up for rwg's respondent count).
        var factorRespondents = [Int](repeating: 0, count: unitCount * f)
        var scoreSums = [Double](repeating: 0, count: unitCount * f * 2)
        var pairSums = [Double](repeating: 0, count: groups.count * d * 6)
        // Alpha (complete cases, organisation-wide): exact integer sums per factor item and of the total.
        var alphaN = [Int64](repeating: 0, count: f)
        var alphaTotal = alphaN, alphaTotalSquares = alphaN
        var alphaItemSum = [Int64](repeating: 0, count: factorItems.count)
        var alphaItemSquares = alphaItemSum

        // Relative weights: complete-case sums per driver group (driver items, then the engagement score).
        let rwVariables = d + 1
        let rwWidth = relativeWeights && d > 0 ? RelativeWeights.Sums.width(variables: rwVariables) : 0
        var rwSums = [Double](repeating: 0, count: groups.count * rwWidth)
        var rwRow = [Double](repeating: 0, count: rwVariables)

        var value = [Int](repeating: 0, count: k)
        var answered = [Bool](repeating: false, count: k)
        var normalized = [Double](repeating: 0, count: k)
        var rowScore = [Double](repeating: 0, count: f)
        var rowScored = [Bool](repeating: false, count: f)
        // The rows are visited grouped by their driver group (else by unit), each group's rows in their own order:
        // in export order every row's tallies were a cache miss (80 MB of unit x item tallies at a million employees),
        // while a group's units are few. Every floating-point sum still adds its rows in the same order (a unit's
        // rows are all in one group), so the results are those of the export order to the last bit.
        let order = d > 0 ? responses.rowsGrouped(unitCount: unitCount, groups: groups.count) { target[$0] }
                          : responses.rowsGrouped(unitCount: unitCount, groups: unitCount) { $0 }
        // The row loop writes the tallies through buffer pointers: with the arrays' own checks (uniqueness and
        // bounds on every addition) it was the larger part of computing a period at a million employees.
        itemTallies.withUnsafeMutableBufferPointer { itemTallies in
        driverTallies.withUnsafeMutableBufferPointer { driverTallies in
        factorRespondents.withUnsafeMutableBufferPointer { factorRespondents in
        scoreSums.withUnsafeMutableBufferPointer { scoreSums in
        pairSums.withUnsafeMutableBufferPointer { pairSums in
        for row in order {
            let r = Int(row), u = Int(responses.unit[r])
            scoring.score(responses, row: r, value: &value, answered: &answered, normalized: &normalized)
            for i in 0..<k where answered[i] {
                let x = Int64(value[i])
                let c = (u * k + i) * 3
                itemTallies[c] += 1
                itemTallies[c + 1] += x
                itemTallies[c + 2] += x * x
            }
            for fi in 0..<f {
                let items = factorStart[fi]..<factorStart[fi + 1]
                var sum = 0.0, count = 0
                for j in items where answered[factorItems[j]] {
                    sum += normalized[factorItems[j]]
                    count += 1
                }
                rowScored[fi] = count > 0
                guard count > 0 else { continue }
                // The person-level score: the mean normalized score of the answered items.
                let score = sum / Double(count)
                rowScore[fi] = score
                let c = u * f + fi
                factorRespondents[c] += 1
                scoreSums[2 * c] += score - 50
                scoreSums[2 * c + 1] += (score - 50) * (score - 50)
                guard count == items.count else { continue }
                var total: Int64 = 0
                for j in items {
                    let x = Int64(value[factorItems[j]])
                    alphaItemSum[j] += x
                    alphaItemSquares[j] += x * x
                    total += x
                }
                alphaN[fi] += 1
                alphaTotal[fi] += total
                alphaTotalSquares[fi] += total * total
            }
            let g = target[u]
            guard g >= 0 else { continue }
            let engagement: Double? = engagementFactor >= 0 && rowScored[engagementFactor] ? rowScore[engagementFactor] : nil
            // Centered (r does not change) so that the sums stay small.
            let y = (engagement ?? 50) - 50
            for (j, i) in driverItems.enumerated() where answered[i] {
                let c = g * d + j
                driverTallies[2 * c] += 1
                if scoring.isFavorable(item: i, value: value[i]) { driverTallies[2 * c + 1] += 1 }
                guard engagement != nil else { continue }
                let x = Double(value[i]) - xCenter[j]
                let p = 6 * c
                pairSums[p] += 1; pairSums[p + 1] += x; pairSums[p + 2] += y
                pairSums[p + 3] += x * x; pairSums[p + 4] += y * y; pairSums[p + 5] += x * y
            }
            if rwWidth > 0, engagement != nil, driverItems.allSatisfy({ answered[$0] }) {
                for (j, i) in driverItems.enumerated() { rwRow[j] = Double(value[i]) - xCenter[j] }
                rwRow[d] = y
                let base = g * rwWidth
                rwSums[base] += 1
                var c = base + 1 + rwVariables
                for a in 0..<rwVariables {
                    rwSums[base + 1 + a] += rwRow[a]
                    for b in a..<rwVariables { rwSums[c] += rwRow[a] * rwRow[b]; c += 1 }
                }
            }
        }
        }}}}}

        // Reliability, organisation-wide (before the roll-up: the ICC groups are own units).
        var reliability: [FactorReliability] = []
        var iccGroupSums: [[ICCGroupSums]] = []
        if !org.roots.contains(where: { suppressed[$0] }) {
            for fi in 0..<f {
                // Only the groups' sums are kept here: which groups the ICC may use is known once the unit metrics
                // say which cells they hide, and `withhold(as:minimum:)` computes it then. Suppressed units never count
                // (nor keep their sums: at 1M most small teams are suppressed).
                var groups: [ICCGroupSums] = []
                for u in 0..<unitCount where !suppressed[u] {
                    let c = u * f + fi
                    guard factorRespondents[c] > 0 else { continue }
                    groups.append(ICCGroupSums(unitIndex: Int32(u), respondents: Int32(factorRespondents[c]),
                                               sum: scoreSums[2 * c], squares: scoreSums[2 * c + 1]))
                }
                iccGroupSums.append(groups)
                var alpha = Reliability.AlphaSums(itemCount: factors[fi].count)
                alpha.n = alphaN[fi]
                alpha.itemSum = Array(alphaItemSum[factorStart[fi]..<factorStart[fi + 1]])
                alpha.itemSquares = Array(alphaItemSquares[factorStart[fi]..<factorStart[fi + 1]])
                alpha.totalSum = alphaTotal[fi]
                alpha.totalSquares = alphaTotalSquares[fi]
                reliability.append(FactorReliability(
                    factorIndex: fi, itemCount: factors[fi].count, alpha: alpha.alpha,
                    alphaRespondents: Int(alpha.n), icc1: nil, icc2: nil, iccRespondents: 0, iccGroups: 0))
            }
        }

        // Subtree tallies.
        layout.rollUp(&itemTallies, width: k * 3)
        layout.rollUp(&factorRespondents, width: f)
        func addSlot<T: AdditiveArithmetic>(_ values: inout [T], width: Int, from: Int, to: Int) {
            for j in 0..<width { values[to * width + j] += values[from * width + j] }
        }
        for u in layout.postOrder where slot[u] >= 0 && layout.parent[u] >= 0 {
            let from = slot[u], to = slot[layout.parent[u]]
            guard to >= 0 else { continue }  // cannot happen: a parent has at least its child's respondents
            addSlot(&driverTallies, width: 2 * d, from: from, to: to)
            addSlot(&pairSums, width: 6 * d, from: from, to: to)
            addSlot(&rwSums, width: rwWidth, from: from, to: to)
        }

        // Agreement per shown unit x factor.
        let factorPoints: [Int?] = factors.map { items in
            let points = Set(items.map { instrument.items[$0].scale.points })
            return points.count == 1 ? points.first : nil
        }
        // Reserved at their final sizes: grown by doubling, these arrays (and `factorScores` in `MetricsCalculator`)
        // held a third of a 100k run's peak heap in old and new buffers side by side (massif, session 13).
        var agreement: [FactorAgreement] = []
        agreement.reserveCapacity(suppressed.lazy.filter { !$0 }.count * f)
        for u in 0..<unitCount where !suppressed[u] {
            for fi in 0..<f {
                var varianceSum = 0.0, items = 0
                for j in factorStart[fi]..<factorStart[fi + 1] {
                    let c = (u * k + factorItems[j]) * 3
                    guard let v = Agreement.sampleVariance(n: itemTallies[c], sum: itemTallies[c + 1], squares: itemTallies[c + 2]) else { continue }
                    varianceSum += v
                    items += 1
                }
                let rwg = items > 0 ? factorPoints[fi].flatMap {
                    Agreement.rwg(meanVariance: varianceSum / Double(items), items: items, points: $0)
                } : nil
                agreement.append(FactorAgreement(unitIndex: u, factorIndex: fi, rwg: rwg,
                                                 respondents: factorRespondents[u * f + fi],
                                                 items: rwg == nil ? 0 : items))
            }
        }

        // Key drivers per shown group of at least `driverMinimum`.
        var drivers: [ItemDriver] = []
        drivers.reserveCapacity(groups.lazy.filter { !suppressed[$0] }.count * d)
        var rwCases: [Int: Int] = [:]
        for (g, u) in groups.enumerated() where !suppressed[u] {
            var favorable: [Double?] = []
            var correlation: [Double?] = []
            for j in 0..<d {
                let c = g * d + j, p = 6 * c
                let n = driverTallies[2 * c]
                favorable.append(n > 0 ? 100 * Double(driverTallies[2 * c + 1]) / Double(n) : nil)
                correlation.append(pairSums[p] < Double(minimum) ? nil
                    : KeyDrivers.pearson(n: pairSums[p], sx: pairSums[p + 1], sy: pairSums[p + 2],
                                         sxx: pairSums[p + 3], syy: pairSums[p + 4], sxy: pairSums[p + 5]))
            }
            let priority = KeyDrivers.priorities(favorable: favorable, correlation: correlation)
            var weights: [Double]?
            if rwWidth > 0 {
                let sums = RelativeWeights.Sums(flat: rwSums[(g * rwWidth)..<((g + 1) * rwWidth)], variables: rwVariables)
                weights = sums.n < Double(minimum) ? nil : sums.weights()
                rwCases[u] = Int(sums.n)
            }
            // A row over fewer than `minimum` pairs would publish the count of a group that small.
            for (j, i) in driverItems.enumerated() where pairSums[6 * (g * d + j)] >= Double(minimum) {
                drivers.append(ItemDriver(unitIndex: u, itemIndex: i, pairs: Int(pairSums[6 * (g * d + j)]),
                                          correlation: correlation[j], favorablePercent: favorable[j],
                                          priority: priority.contains(j), relativeWeight: weights?[j]))
            }
        }
        var result = SurveyStatisticsResult(agreement: agreement, reliability: reliability, drivers: drivers,
                                            driverMinimum: driverMinimum)
        result.relativeWeightCases = rwCases
        result.iccGroupSums = iccGroupSums
        result.engagementFactor = engagementFactor >= 0 ? engagementFactor : nil
        return result
    }

    /// Answers scored once per item: range check and reverse scoring (METRICS.md 1).
    struct Scoring {
        var minimum: [Int] = []
        var span: [Int] = []  // max - min; answers outside 0...span are not answered
        var reverse: [Bool] = []
        /// Whether a (reverse-scored) value is favorable: `favorable[base[i] + value - min]`.
        var base: [Int] = []
        var favorable: [Bool] = []

        init(_ instrument: Instrument) {
            for item in instrument.items {
                let scale = item.scale
                minimum.append(scale.min)
                // A scale without two points has no score; its answers count as not answered.
                span.append(scale.max > scale.min ? scale.max - scale.min : -1)
                reverse.append(item.reverse)
                base.append(favorable.count)
                if scale.max > scale.min { favorable += (scale.min...scale.max).map(scale.favorable.contains) }
            }
        }

        /// Fills `value` (reverse-scored), `answered` and `normalized` (0-100) for row `r`.
        func score(_ responses: ResponseTable, row r: Int, value: inout [Int], answered: inout [Bool], normalized: inout [Double]) {
            let k = responses.itemCount
            for i in 0..<k {
                let raw = responses.answers[r * k + i]
                let offset = Int(raw) - minimum[i]
                guard raw != ResponseTable.missing, offset >= 0, offset <= span[i] else {
                    answered[i] = false
                    continue
                }
                answered[i] = true
                // x' = min + max - x for a reverse item.
                let x = reverse[i] ? minimum[i] + span[i] - offset : minimum[i] + offset
                value[i] = x
                normalized[i] = 100 * Double(x - minimum[i]) / Double(span[i])
            }
        }

        func isFavorable(item i: Int, value: Int) -> Bool { favorable[base[i] + value - minimum[i]] }
    }
}

extension SurveyStatisticsResult {
    /// Removes the statistics of cells that `metrics` withholds in a shown unit (METRICS.md 6 on a question's answers
    /// and a factor's respondents): a hidden question's driver row (its % favourable and pair count) and a hidden
    /// factor's agreement row (its respondent count). Computed beside the unit metrics, the statistics know only which
    /// units are suppressed as a whole.
    public mutating func withhold(as metrics: PeriodMetrics, minimum: Int) {
        // The ICC compares group means: a group the report does not show would be a mean of hidden people (session
        // 16's audit solved ICC(1), ICC(2) and the root's figures for the mean answer of a hidden team of 3). Only the
        // own respondents of units the report shows, with the factor's cell shown and at least `minimum` of them.
        for r in reliability.indices where r < iccGroupSums.count {
            let fi = reliability[r].factorIndex
            let shown = iccGroupSums[r].filter { g in
                let u = Int(g.unitIndex)
                guard Int(g.respondents) >= minimum, u < metrics.units.count else { return false }
                return !metrics.units[u].isSuppressed && !metrics.units[u].hiddenFactors.contains(fi)
            }
            let icc = Reliability.icc(groups: shown)
            reliability[r].icc1 = icc.icc1
            reliability[r].icc2 = icc.icc2
            reliability[r].iccRespondents = icc.respondents
            reliability[r].iccGroups = icc.groups
        }
        iccGroupSums = []
        if let items = metrics.itemScores {
            drivers.removeAll { d in
                let k = d.unitIndex * items.itemCount + d.itemIndex
                return k >= 0 && k < items.hidden.count && items.hidden[k]
            }
        }
        agreement.removeAll { a in
            a.unitIndex >= 0 && a.unitIndex < metrics.units.count && metrics.units[a.unitIndex].hiddenFactors.contains(a.factorIndex)
        }
        // Drivers relate items to the engagement score: none for a unit whose engagement cell is hidden (their pair
        // counts gave the hidden cell's respondents back, and a hidden team's by subtraction: session 16's audit).
        if let engagement = engagementFactor {
            drivers.removeAll { d in
                d.unitIndex >= 0 && d.unitIndex < metrics.units.count && metrics.units[d.unitIndex].hiddenFactors.contains(engagement)
            }
        }
    }
}
