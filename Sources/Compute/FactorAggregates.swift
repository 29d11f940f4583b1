import LeanPulseCore

/// Additive survey tallies per unit: everything the survey metrics of METRICS.md 2 are built from.
///
/// One pass over the response rows fills each unit's own tallies; `rollUp` then turns them into subtree
/// tallies. Counts, sums and sums of squares of person-level values add across units, so no unit ever
/// re-reads rows.
struct FactorAggregates {
    let itemCount: Int
    let factorCount: Int
    /// Responses (rows), answered or not.
    var respondents: [Int32]
    /// Per unit x item (`u * itemCount + i`): answered and favorable answers.
    var itemAnswered: [Int32]
    var itemFavorable: [Int32]
    /// Per unit x factor (`u * factorCount + f`): respondents with at least one answered item of the factor,
    /// and the sum / sum of squares of their favorable share (x100) and of their mean normalized score.
    var factorRespondents: [Int32]
    /// Per unit x factor: respondents who answered some of the factor's items but not all of them. Under `person-mean`
    /// their weight differs from everyone else's, which sets them apart (`hiddenCells`).
    var factorPartial: [Int32]
    var shareSum: [Double]
    var shareSquares: [Double]
    var scoreSum: [Double]
    var scoreSquares: [Double]
    /// eNPS item: answered, promoters (9-10), detractors (0-6), per unit.
    var enpsAnswered: [Int32]
    var enpsPromoters: [Int32]
    var enpsDetractors: [Int32]

    /// Scores one answer once: indexed by item, then by `raw - min`; reverse scoring is folded in.
    struct ItemTable {
        var minimum: [Int]
        var span: [Int]  // max - min; answers with an offset outside 0...span are not answered
        var base: [Int]
        var favorable: [UInt8]
        var normalized: [Double]

        init(_ instrument: Instrument) {
            minimum = []; span = []; base = []; favorable = []; normalized = []
            for item in instrument.items {
                let scale = item.scale
                // A scale without two points has no normalized score; its answers count as not answered.
                let width = scale.max > scale.min ? scale.max - scale.min : -1
                minimum.append(scale.min)
                span.append(width)
                base.append(favorable.count)
                guard width > 0 else { continue }
                for offset in 0...width {
                    // METRICS.md 1: x' = min + max - x, before anything else.
                    let value = item.reverse ? scale.max - offset : scale.min + offset
                    favorable.append(scale.favorable.contains(value) ? 1 : 0)
                    normalized.append(100 * Double(value - scale.min) / Double(width))
                }
            }
        }
    }

    init(unitCount: Int, instrument: Instrument) {
        itemCount = instrument.items.count
        factorCount = instrument.factors.count
        respondents = Array(repeating: 0, count: unitCount)
        itemAnswered = Array(repeating: 0, count: unitCount * itemCount)
        itemFavorable = itemAnswered
        factorRespondents = Array(repeating: 0, count: unitCount * factorCount)
        factorPartial = factorRespondents
        shareSum = Array(repeating: 0, count: unitCount * factorCount)
        shareSquares = shareSum
        scoreSum = shareSum
        scoreSquares = shareSum
        enpsAnswered = respondents
        enpsPromoters = respondents
        enpsDetractors = respondents
    }

    /// Tallies each response into its own unit.
    mutating func collect(_ responses: ResponseTable, instrument: Instrument) {
        let table = ItemTable(instrument)
        let k = itemCount
        let f = factorCount
        guard responses.itemCount == k, k > 0 else {
            for u in responses.unit where u >= 0 && Int(u) < respondents.count { respondents[Int(u)] += 1 }
            return
        }
        // Factor items flattened (offsets into one array) so the row loop touches no nested arrays.
        var factorStart = [0]
        var factorItemsFlat: [Int] = []
        for factor in instrument.factors {
            factorItemsFlat += factor.itemIndexes.filter { $0 >= 0 && $0 < k }
            factorStart.append(factorItemsFlat.count)
        }
        // eNPS needs the 0-10 points; on any other scale it is not defined.
        let enpsItem = instrument.enpsItemIndex.flatMap { i in
            i >= 0 && i < k && instrument.items[i].scale.points == 11 ? i : -1
        } ?? -1
        let enpsReverse = enpsItem >= 0 && instrument.items[enpsItem].reverse
        var rowFavorable = [Int8](repeating: -1, count: k)  // -1: not answered
        var rowScore = [Double](repeating: 0, count: k)
        let rows = responses.count
        let unitCount = respondents.count
        // The loop below runs rows x items times (30M at 1M employees): raw buffers, no per-access checks, and the
        // rows grouped by unit (`rowsGrouped`: the same sums as in export order, without a cache miss per row).
        let order = responses.rowsGrouped(unitCount: unitCount, groups: unitCount) { $0 }
        responses.answers.withUnsafeBufferPointer { answers in
        responses.unit.withUnsafeBufferPointer { units in
        table.minimum.withUnsafeBufferPointer { minimum in
        table.span.withUnsafeBufferPointer { span in
        table.base.withUnsafeBufferPointer { base in
        table.favorable.withUnsafeBufferPointer { favTable in
        table.normalized.withUnsafeBufferPointer { normTable in
        factorStart.withUnsafeBufferPointer { fStart in
        factorItemsFlat.withUnsafeBufferPointer { fItems in
        rowFavorable.withUnsafeMutableBufferPointer { rowFav in
        rowScore.withUnsafeMutableBufferPointer { rowNorm in
        respondents.withUnsafeMutableBufferPointer { respondents in
        itemAnswered.withUnsafeMutableBufferPointer { itemAnswered in
        itemFavorable.withUnsafeMutableBufferPointer { itemFavorable in
        factorRespondents.withUnsafeMutableBufferPointer { factorRespondents in
        factorPartial.withUnsafeMutableBufferPointer { factorPartial in
        shareSum.withUnsafeMutableBufferPointer { shareSum in
        shareSquares.withUnsafeMutableBufferPointer { shareSquares in
        scoreSum.withUnsafeMutableBufferPointer { scoreSum in
        scoreSquares.withUnsafeMutableBufferPointer { scoreSquares in
            for row in order {
                let r = Int(row), u = Int(units[r])
                respondents[u] += 1
                let rowBase = r * k
                let unitBase = u * k
                for i in 0..<k {
                    let raw = answers[rowBase + i]
                    let offset = Int(raw) - minimum[i]
                    // Defensive: Normalize drops out-of-range answers already (METRICS.md 1).
                    guard raw != ResponseTable.missing, offset >= 0, offset <= span[i] else {
                        rowFav[i] = -1
                        continue
                    }
                    let fav = favTable[base[i] + offset]
                    rowFav[i] = Int8(fav)
                    rowNorm[i] = normTable[base[i] + offset]
                    itemAnswered[unitBase + i] &+= 1
                    itemFavorable[unitBase + i] &+= Int32(fav)
                }
                for fi in 0..<f {
                    var answered = 0, favorable = 0
                    var score = 0.0
                    for j in fStart[fi]..<fStart[fi + 1] {
                        let i = fItems[j]
                        let fav = rowFav[i]
                        if fav < 0 { continue }
                        answered += 1
                        favorable += Int(fav)
                        score += rowNorm[i]
                    }
                    guard answered > 0 else { continue }
                    let cell = u * f + fi
                    let share = 100 * Double(favorable) / Double(answered)
                    let mean = score / Double(answered)
                    factorRespondents[cell] &+= 1
                    if answered < fStart[fi + 1] - fStart[fi] { factorPartial[cell] &+= 1 }
                    shareSum[cell] += share
                    shareSquares[cell] += share * share
                    scoreSum[cell] += mean
                    scoreSquares[cell] += mean * mean
                }
            }
        }}}}}}}}}}}}}}}}}}}}
        if enpsItem >= 0 {
            let lowest = instrument.items[enpsItem].scale.min
            for r in 0..<rows {
                let u = Int(responses.unit[r])
                guard u >= 0, u < unitCount else { continue }
                let raw = responses.answers[r * k + enpsItem]
                guard raw != ResponseTable.missing, Int(raw) - lowest >= 0, Int(raw) - lowest <= 10 else { continue }
                let point = enpsReverse ? 10 - (Int(raw) - lowest) : Int(raw) - lowest
                enpsAnswered[u] += 1
                if point >= 9 { enpsPromoters[u] += 1 } else if point <= 6 { enpsDetractors[u] += 1 }
            }
        }
    }

    /// Turns own tallies into subtree tallies.
    mutating func rollUp(_ layout: OrganizationLayout) {
        layout.rollUp(&respondents, width: 1)
        layout.rollUp(&itemAnswered, width: itemCount)
        layout.rollUp(&itemFavorable, width: itemCount)
        layout.rollUp(&factorRespondents, width: factorCount)
        layout.rollUp(&factorPartial, width: factorCount)
        layout.rollUp(&shareSum, width: factorCount)
        layout.rollUp(&shareSquares, width: factorCount)
        layout.rollUp(&scoreSum, width: factorCount)
        layout.rollUp(&scoreSquares, width: factorCount)
        layout.rollUp(&enpsAnswered, width: 1)
        layout.rollUp(&enpsPromoters, width: 1)
        layout.rollUp(&enpsDetractors, width: 1)
    }

    // MARK: - Per-unit readings (subtree tallies)

    /// Item % favorable; nil when nobody in the group answered the item.
    func itemFavorablePercent(unit u: Int, item i: Int) -> Double? {
        let answered = itemAnswered[u * itemCount + i]
        guard answered > 0 else { return nil }
        return 100 * Double(itemFavorable[u * itemCount + i]) / Double(answered)
    }

    /// Factor % favorable under `aggregation`; nil when no item of the factor was answered in the group.
    func factorFavorable(unit u: Int, factor fi: Int, items: [Int], aggregation: FavorableAggregation) -> Double? {
        switch aggregation {
        case .itemMean:
            // Items nobody answered have no % favorable and do not enter the mean.
            var sum = 0.0, count = 0
            for i in items { if let p = itemFavorablePercent(unit: u, item: i) { sum += p; count += 1 } }
            return count > 0 ? sum / Double(count) : nil
        case .pooled:
            var favorable = 0, answered = 0
            for i in items {
                favorable += Int(itemFavorable[u * itemCount + i])
                answered += Int(itemAnswered[u * itemCount + i])
            }
            return answered > 0 ? 100 * Double(favorable) / Double(answered) : nil
        case .personMean:
            let n = factorRespondents[u * factorCount + fi]
            return n > 0 ? shareSum[u * factorCount + fi] / Double(n) : nil
        }
    }

    /// Factor score 0-100: the mean over respondents of their mean normalized score.
    func factorScore(unit u: Int, factor fi: Int) -> Double? {
        let n = factorRespondents[u * factorCount + fi]
        return n > 0 ? scoreSum[u * factorCount + fi] / Double(n) : nil
    }
}

/// The cells of shown units that METRICS.md 6 still withholds, each rule applied to the people behind the cell:
/// a question's answers, a factor's respondents, the eNPS question's answers.
struct HiddenCells {
    /// unit x item: fewer than the minimum answered, or a remainder by subtraction would be (`Suppression.hiddenCells`).
    var items: [Bool]
    /// unit x factor: the same on the factor's respondents, or one of its questions hidden (a factor's item mean
    /// with the other questions shown would give the hidden one away).
    var factors: [Bool]
    /// unit: the same on the eNPS answers.
    var enps: [Bool]
}

extension FactorAggregates {
    /// `HiddenCells` for these tallies, given the units withheld as a whole.
    ///
    /// Under `person-mean` the people who answered only part of a factor are a group of their own as well: each of them
    /// weighs in the factor's % favourable by the questions they answered, so the factor's % against its questions'
    /// (shown, with their counts) gives their favourable answers back (DECISIONS 44). Their count gets the same rule.
    func hiddenCells(suppressed: [Bool], organization: Organization, minimum: Int, factorItems: [[Int]],
                     aggregation: FavorableAggregation) -> HiddenCells {
        let items = Suppression.hiddenCells(counts: itemAnswered, width: itemCount, organization: organization, minimum: minimum,
                                            unitSuppressed: suppressed)
        // A cell nobody is counted in has no figure to hide (it reads "not defined", not "hidden").
        var factors = Suppression.hiddenCells(counts: factorRespondents, width: factorCount, organization: organization,
                                              minimum: minimum, unitSuppressed: suppressed)
        if aggregation == .personMean {
            let partial = Suppression.hiddenCells(counts: factorPartial, width: factorCount, organization: organization,
                                                  minimum: minimum, unitSuppressed: suppressed)
            // A cell without such people has nobody to protect (the rule calls a count of 0 "below minimum").
            for k in factors.indices where partial[k] && factorPartial[k] > 0 { factors[k] = true }
        }
        for k in factors.indices where factorRespondents[k] == 0 { factors[k] = false }
        for u in 0..<respondents.count {
            for (fi, members) in factorItems.enumerated() where factorRespondents[u * factorCount + fi] > 0 {
                if members.contains(where: { items[u * itemCount + $0] && itemAnswered[u * itemCount + $0] > 0 }) {
                    factors[u * factorCount + fi] = true
                }
            }
        }
        var enps = Suppression.hiddenCells(counts: enpsAnswered, width: 1, organization: organization, minimum: minimum,
                                           unitSuppressed: suppressed)
        for u in enps.indices where enpsAnswered[u] == 0 { enps[u] = false }
        return HiddenCells(items: items, factors: factors, enps: enps)
    }

    /// Item % favorable and its Wilson interval (METRICS.md 5) for every shown unit and item answered by at least
    /// `minimum` people, where no subtraction leaves 1 to `minimum - 1` answers (`hidden.items`).
    func itemScores(suppressed: [Bool], hidden: HiddenCells) -> ItemScoreTable {
        var table = ItemScoreTable(unitCount: suppressed.count, itemCount: itemCount)
        let hidden = hidden.items
        for u in suppressed.indices where !suppressed[u] {
            for i in 0..<itemCount {
                let k = u * itemCount + i
                let n = Int(itemAnswered[k])
                guard !hidden[k] else {
                    table.hidden[k] = n > 0
                    continue
                }
                guard n > 0, let interval = Wilson.interval(successes: Int(itemFavorable[k]), trials: n) else { continue }
                table.answered[k] = Int32(n)
                table.favorablePercent[k] = 100 * Double(itemFavorable[k]) / Double(n)
                table.low[k] = 100 * interval.low
                table.high[k] = 100 * interval.high
            }
        }
        return table
    }
}
