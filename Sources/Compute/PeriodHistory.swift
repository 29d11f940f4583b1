import LeanPulseCore

/// Changes against the previous stored period and trends over every stored period (METRICS.md 5), on this
/// period's organisation, with earlier team ids mapped by `team_map`.
///
/// Rules (docs/DECISIONS.md, "Statistics across periods"):
/// - An earlier period is recomputed on this period's organisation (headcounts included) from its stored
///   responses, after `team_map` moved its old ids onto this period's; its suppression is recomputed there
///   (METRICS.md 6), plus the cross-period rule: a unit whose subtree gained or lost between 1 and
///   `min_respondents - 1` respondents through `team_map` is withheld in that period (`remapped`), and the
///   complementary rule then protects its parent's remainder. An old id that is no longer a unit counts as
///   having been directly under the root of the unit it maps to (its old place in the tree is unknown). Otherwise the difference between this report's
///   figure and one published before the reorganisation would describe fewer than `min_respondents` people.
/// - A unit's figures of a period exist (trend point, change baseline) only where it is shown in that period.
/// - Change: for every unit shown in both periods and every factor whose items (ids and text hashes) are the
///   same in both, Welch's t-test on the person-level favorable shares; Benjamini-Hochberg over every tested
///   cell of the heatmap (all units x all factors, engagement included); `engagementChange` is the engagement
///   factor's cell. A factor whose items differ is a trend break: flagged, not compared.
public enum PeriodHistory {
    /// The organisation earlier periods are loaded onto: this period's units plus every `team_map` old id that
    /// is not one of them (as a root, so that `loadDataset` resolves it).
    public static func loadingOrganization(_ org: Organization, teamMap: TeamMap) -> Organization {
        let extra = teamMap.entries.keys.filter { org.index(of: $0) == nil }.sorted()
        guard !extra.isEmpty else { return org }
        let units = org.units + extra.map { OrgUnit(id: $0, parentId: nil, name: $0, headcount: nil) }
        // Cannot fail: the extra ids are new and roots.
        return (try? Organization(units: units)) ?? org
    }

    /// An earlier period's dataset (loaded onto `loadingOrganization`) moved onto `org`, and per unit of `org`
    /// the respondents that `team_map` moved into and out of its subtree. Rows of an id that maps to no unit
    /// of `org` are dropped (unit -1).
    public static func remap(_ data: PeriodDataset, onto org: Organization, teamMap: TeamMap)
    -> (dataset: PeriodDataset, movedIn: [Int], movedOut: [Int]) {
        let count = org.count
        var movedIn = [Int](repeating: 0, count: count), movedOut = movedIn
        let from = data.organization
        var target = [Int32](repeating: -1, count: from.count)
        var original = [Int](repeating: -1, count: from.count)
        var identity = from.count == count
        for l in 0..<from.count {
            let id = from.units[l].id
            target[l] = Int32(org.index(of: teamMap.map(id)) ?? -1)
            original[l] = org.index(of: id) ?? -1
            if target[l] != Int32(l) { identity = false }
        }
        var result = data
        result.organization = org
        guard !identity else { return (result, movedIn, movedOut) }
        var movedRows = [Int](repeating: 0, count: from.count)
        for k in 0..<result.responses.unit.count {
            let l = Int(result.responses.unit[k])
            guard l >= 0, l < from.count else { result.responses.unit[k] = -1; continue }
            result.responses.unit[k] = target[l]
            if teamMap.entries[from.units[l].id] != nil { movedRows[l] += 1 }
        }
        for k in 0..<result.ideas.unit.count {
            let l = Int(result.ideas.unit[k])
            result.ideas.unit[k] = l >= 0 && l < from.count ? target[l] : -1
        }
        for k in result.goals.indices {
            let l = Int(result.goals[k].unit)
            result.goals[k].unit = l >= 0 && l < from.count ? target[l] : -1
        }
        // A moved row enters every unit on its new unit's path to the root that is not on its old unit's path,
        // and leaves every unit on the old path that is not on the new one.
        func path(_ u: Int) -> Set<Int> {
            var set = Set<Int>()
            var c: Int? = u >= 0 ? u : nil
            while let x = c { set.insert(x); c = org.parent[x] }
            return set
        }
        for l in 0..<from.count where movedRows[l] > 0 {
            // An old id that is no longer a unit was somewhere in the same organisation: only its root is
            // certain (a reorganisation moves people within one tree), so the root is not counted as changed.
            var origin = original[l]
            if origin < 0, target[l] >= 0 {
                origin = Int(target[l])
                while let p = org.parent[origin] { origin = p }
            }
            let now = path(Int(target[l])), before = path(origin)
            for u in now.subtracting(before) { movedIn[u] += movedRows[l] }
            for u in before.subtracting(now) { movedOut[u] += movedRows[l] }
        }
        return (result, movedIn, movedOut)
    }

    /// Fills `metrics.trends`, the `change` of every `metrics.factorScores` entry, `metrics.comparison` and each
    /// unit's `engagementChange`. `earlier`: the stored periods before `current.period` (any order);
    /// `tallies`: from `MetricsCalculator.computeDetailed` on `current`.
    public static func apply(to metrics: inout PeriodMetrics, current: PeriodDataset, tallies: PeriodTallies,
                             currentHashes: [String: Set<String>], earlier: [StoredPeriod], teamMap: TeamMap,
                             settings: MetricSettings, alpha: Double = 0.05) {
        let org = current.organization
        let count = org.count
        let instrument = current.instrument
        let factorItemIds = instrument.factors.map { f in
            f.itemIndexes.filter { $0 >= 0 && $0 < instrument.items.count }.map { instrument.items[$0].id }
        }
        let engagement = instrument.factors.firstIndex { $0.role == .engagement }
        func same(_ factor: Int?, _ a: [String: Set<String>], _ b: [String: Set<String>]) -> Bool {
            guard let factor else { return true }
            return factorItemIds[factor].allSatisfy { id in
                guard let x = a[id], let y = b[id], !x.isEmpty else { return false }
                return x == y
            }
        }

        var points = [[TrendPoint]](repeating: [], count: count)
        var previous: (tallies: PeriodTallies, shown: [Bool], hiddenFactors: [[Int]], hashes: [String: Set<String>], period: Period)?
        let k = settings.minRespondents
        for stored in earlier.filter({ $0.dataset.period < current.period }).sorted(by: { $0.dataset.period < $1.dataset.period }) {
            let (data, movedIn, movedOut) = remap(stored.dataset, onto: org, teamMap: teamMap)
            // Respondents per subtree first: the cross-period rule needs them before suppression is decided.
            var respondents = [Int](repeating: 0, count: count)
            for u in data.responses.unit where u >= 0 && Int(u) < count { respondents[Int(u)] += 1 }
            OrganizationLayout(org).rollUp(&respondents, width: 1)
            // A figure this report shows of an earlier period must be one that period's own report showed (when the store
            // knows the organisation it was computed on): otherwise the two reports together can be subtracted.
            let own = stored.ownOrganization == nil ? nil : publishedBefore(stored, onto: data, minimum: k)
            let published = own?.reports
            let unpublished = published?.map { $0 != .shown }
            let withheld = (0..<count).map { u in
                respondents[u] >= k && ((movedIn[u] > 0 && movedIn[u] < k) || (movedOut[u] > 0 && movedOut[u] < k)
                    || (unpublished?[u] ?? false))
            }
            var (m, t) = MetricsCalculator.computeDetailed(data, settings: settings, withheld: withheld.contains(true) ? withheld : [])
            // A unit shown there with exactly these people keeps what that report withheld inside it (a factor, the
            // eNPS): recomputed on this organisation, the per-figure rule may hide another sibling's cell instead
            // (session 16's audit read a hidden eNPS of 4 people back from the trend and the change this way).
            if let own, let ownOrg = stored.ownOrganization, let ownHidden = stored.ownHiddenFigures {
                for u in 0..<count where own.reports[u] == .shown && own.ownUnit[u] >= 0 {
                    guard let figures = ownHidden[ownOrg.units[own.ownUnit[u]].id], !figures.isEmpty else { continue }
                    withhold(figures, in: &m.units[u], instrument: instrument)
                }
            }
            let reasons: [TrendSuppression?] = (0..<count).map { u in
                // Withheld because the period's own report hid these very people: its reason, not `remapped` (which
                // says the unit's members changed).
                if withheld[u], movedIn[u] == 0, movedOut[u] == 0, case .hidden(let own)? = published?[u] { return own }
                return withheld[u] ? .remapped : m.units[u].suppression.map { $0 == .belowMinimum ? .belowMinimum : .complementary }
            }
            let trendBreak = previous.map { !same(engagement, $0.hashes, stored.itemTextHashes) } ?? false
            for u in 0..<count {
                points[u].append(point(m.units[u], period: data.period, reason: reasons[u], trendBreak: trendBreak))
            }
            previous = (t, reasons.map { $0 == nil }, m.units.map(\.hiddenFactors), stored.itemTextHashes, data.period)
        }
        let nowBreak = previous.map { !same(engagement, $0.hashes, currentHashes) } ?? false
        metrics.trends = (0..<count).map { u in
            let m = metrics.units[u]
            let reason: TrendSuppression? = m.suppression.map { $0 == .belowMinimum ? .belowMinimum : .complementary }
            return UnitTrend(unitIndex: u, teamId: m.teamId,
                             points: points[u] + [point(m, period: current.period, reason: reason, trendBreak: nowBreak)])
        }

        guard let before = previous, current.responses.count > 0 else { return }
        let broken = instrument.factors.indices.filter { !same($0, currentHashes, before.hashes) }
        var cells: [(entry: Int, p: Double, t: Double)] = []
        for j in metrics.factorScores.indices {
            let u = metrics.factorScores[j].unitIndex, fi = metrics.factorScores[j].factorIndex
            // No change where either period withholds the cell: the difference would give the hidden figure away.
            guard u < count, !metrics.units[u].isSuppressed, before.shown[u], !before.hiddenFactors[u].contains(fi) else { continue }
            if broken.contains(fi) {
                metrics.factorScores[j].change = FactorChange(trendBreak: true)
                continue
            }
            let a = tallies.aggregates.personShare(unit: u, factor: fi)
            let b = before.tallies.aggregates.personShare(unit: u, factor: fi)
            var change = FactorChange(difference: a.n > 0 && b.n > 0 ? a.mean - b.mean : nil)
            if let test = ChangeDetection.welch(n1: a.n, mean1: a.mean, variance1: a.variance,
                                                n2: b.n, mean2: b.mean, variance2: b.variance) {
                change.t = test.t
                change.degreesOfFreedom = test.df
                change.p = test.p
                cells.append((j, test.p, test.t))
            } else if a.n >= 2, b.n >= 2, a.variance == 0, b.variance == 0, a.mean == b.mean {
                // Every respondent gave the same value, the same in both periods: no test to run (DECISIONS S2), and
                // nothing changed, which METRICS.md 5 calls "no clear change" rather than a blank.
                change.label = ChangeDetection.noClearChange
            }
            metrics.factorScores[j].change = change
        }
        let adjusted = ChangeDetection.benjaminiHochberg(cells.map(\.p))
        for (cell, q) in zip(cells, adjusted) {
            metrics.factorScores[cell.entry].change?.pAdjusted = q
            metrics.factorScores[cell.entry].change?.label = q < alpha
                ? (cell.t > 0 ? ChangeDetection.up : ChangeDetection.down) : ChangeDetection.noClearChange
        }
        for i in metrics.units.indices { metrics.units[i].engagementChange = nil }
        if let engagement {
            for s in metrics.factorScores where s.factorIndex == engagement && s.unitIndex < count {
                metrics.units[s.unitIndex].engagementChange = s.change?.label
            }
        }
        metrics.comparison = PeriodComparisonSummary(previous: before.period, trendBreakFactors: broken, testedCells: cells.count)
    }

    /// Per unit of `data.organization` (this period's): whether its respondents of the earlier period are exactly those of
    /// a unit that the period's own report showed, i.e. whether the figure redrawn here was published already.
    ///
    /// A unit's redrawn respondents (set A) all lie in their lowest common unit V of the period's own organisation, so
    /// A equals that report's set of V (or of an ancestor with no one else) exactly when the counts agree; the figure
    /// was published when such a unit was shown there (its suppression recomputed as that report computed it, on its own
    /// organisation). Without a reorganisation A is some unit's own set and nothing changes. After one, a unit that lost
    /// or gained people, by `team_map` or by a new parent, has no figure of that period (session 13's audit subtracted
    /// the redrawn Q2 row of `sales` from the Q2 report's to get the 3 people who had moved out).
    /// What the period's own report showed of a unit's redrawn respondents.
    enum OwnReport: Equatable {
        /// A unit of exactly these people, shown.
        case shown
        /// A unit of exactly these people, hidden there for this reason.
        case hidden(TrendSuppression)
        /// No unit of that report had exactly these people.
        case otherPeople
    }

    /// What the period's own report showed of each unit's redrawn respondents, and the unit of that report they are
    /// (its index in `stored.ownOrganization`) where it showed them; -1 otherwise.
    static func publishedBefore(_ stored: StoredPeriod, onto data: PeriodDataset, minimum: Int) -> (reports: [OwnReport], ownUnit: [Int]) {
        let org = data.organization
        guard let own = stored.ownOrganization else {
            return ([OwnReport](repeating: .shown, count: org.count), [Int](repeating: -1, count: org.count))
        }
        let loading = stored.dataset.organization
        let ownIndex = loading.units.map { own.index(of: $0.id) ?? -1 }
        let ownLayout = OrganizationLayout(own)
        // The period's own report: its subtree counts and what it showed.
        var ownRespondents = [Int](repeating: 0, count: own.count)
        if let reported = stored.ownRespondents {
            // As that report counted them: if the store lost some of the period's rows since (an export re-imported
            // under an organisation file without their team), no redrawn unit matches a unit shown there.
            for v in 0..<own.count { ownRespondents[v] = reported[own.units[v].id] ?? 0 }
        } else {
            for l in stored.dataset.responses.unit where l >= 0 && Int(l) < ownIndex.count && ownIndex[Int(l)] >= 0 {
                ownRespondents[ownIndex[Int(l)]] += 1
            }
            ownLayout.rollUp(&ownRespondents, width: 1)
        }
        let ownReasons = Suppression.apply(respondents: ownRespondents, organization: own, minimum: minimum).reasons
        let shown = ownReasons.map { $0 == nil }
        // Lowest common unit (in the own organisation) of each unit's redrawn respondents: -1 none yet, -2 none exists.
        func common(_ x: Int, _ y: Int) -> Int {
            if x == -2 || y == -2 { return -2 }
            if x == -1 { return y }
            if y == -1 { return x }
            var (a, b) = (x, y)
            while a != b {
                if ownLayout.depth[a] >= ownLayout.depth[b] { a = ownLayout.parent[a] } else { b = ownLayout.parent[b] }
                if a < 0 || b < 0 { return -2 }
            }
            return a
        }
        var lowest = [Int](repeating: -1, count: org.count)
        var count = [Int](repeating: 0, count: org.count)
        let redrawn = data.responses.unit, original = stored.dataset.responses.unit
        for r in 0..<redrawn.count {
            let u = Int(redrawn[r])
            guard u >= 0, u < org.count else { continue }
            let l = Int(original[r])
            let v = l >= 0 && l < ownIndex.count ? ownIndex[l] : -2
            lowest[u] = common(lowest[u], v < 0 ? -2 : v)
            count[u] += 1
        }
        let layout = OrganizationLayout(org)
        for u in layout.postOrder {
            let p = layout.parent[u]
            guard p >= 0 else { continue }
            lowest[p] = common(lowest[p], lowest[u])
            count[p] += count[u]
        }
        var ownUnit = [Int](repeating: -1, count: org.count)
        let reports = (0..<org.count).map { u -> OwnReport in
            guard count[u] > 0 else { return .shown }
            var v = lowest[u]
            var hiddenAs: TrendSuppression?
            while v >= 0, ownRespondents[v] == count[u] {
                if shown[v] {
                    ownUnit[u] = v
                    return .shown
                }
                hiddenAs = hiddenAs ?? (ownReasons[v] == .belowMinimum ? .belowMinimum : .complementary)
                v = ownLayout.parent[v]
            }
            return hiddenAs.map(OwnReport.hidden) ?? .otherPeople
        }
        return (reports, ownUnit)
    }

    /// Withholds in `m` the figures an earlier report withheld for the same people (`StoredPeriod.ownHiddenFigures`):
    /// the factors named, the headline figures drawn from them, and the eNPS.
    static func withhold(_ figures: Set<String>, in m: inout UnitMetrics, instrument: Instrument) {
        var roles: Set<FactorRole> = []
        let enps = figures.contains(StoredPeriod.enpsFigure)
        for (fi, factor) in instrument.factors.enumerated() where figures.contains(factor.id) || (enps && factor.role == .enps) {
            if !m.hiddenFactors.contains(fi) { m.hiddenFactors.append(fi) }
            m.factorFavorable[factor.id] = nil
            m.factorScore[factor.id] = nil
            if let role = factor.role { roles.insert(role) }
        }
        m.hiddenFactors.sort()
        if roles.contains(.engagement) {
            m.engagementIndex = nil
            m.engagementScore = nil
        }
        if roles.contains(.autonomy) || roles.contains(.accountability) { m.balanceIndex = nil }
        if enps || roles.contains(.enps) {
            m.enps = nil
            m.enpsHidden = true
        }
    }

    static func point(_ m: UnitMetrics, period: Period, reason: TrendSuppression?, trendBreak: Bool) -> TrendPoint {
        let shown = reason == nil
        return TrendPoint(period: period, suppressed: reason, respondents: shown ? m.respondents : nil,
                          engagementIndex: shown ? m.engagementIndex?.value : nil, enps: shown ? m.enps : nil,
                          balanceIndex: shown ? m.balanceIndex : nil, ideasImplemented: m.ideasImplemented,
                          engagementTrendBreak: trendBreak)
    }
}
