import LeanPulseCore

/// The charts of a page, built from the shared context; each takes bounded work per page.
extension PageContext {
    /// How many unit rows a heatmap shows at most (the largest by headcount; all are in the unit table).
    static let maxHeatmapRows = 25

    /// The top of the unit's tree (the organisation the colours are relative to).
    func rootPosition(of position: Int) -> Int { tree.ancestors(of: position).first ?? position }

    func suppressionWords(_ reason: SuppressionReason) -> String {
        switch reason {
        case .belowMinimum: "fewer than \(input.settings.minRespondents) respondents"
        case .complementary: "to protect another group"
        }
    }

    /// A unit's heatmap cells, one per instrument factor.
    func heatmapCells(_ u: UnitMetrics, reference: [Double?]) -> [HeatmapCell] {
        let factors = input.instrument.factors
        // A suppressed unit shows the reason in every cell, and nothing else (METRICS.md 6).
        if let suppression = u.suppression {
            let why = suppressionWords(suppression)
            return factors.indices.map { HeatmapCell(value: nil, orgValue: reference[$0], change: nil, suppressedReason: why) }
        }
        let lowFactors = lowAgreement[u.unitIndex]
        return factors.enumerated().map { index, f in
            // A factor withheld on its own respondents or questions (METRICS.md 6) in a shown unit.
            if u.hiddenFactors.contains(index) {
                return HeatmapCell(value: nil, orgValue: reference[index], change: nil, suppressedReason: format.withheldShort)
            }
            let score = factorScore(u.unitIndex, index)
            // The factor's change label (METRICS.md 5: Welch, Benjamini-Hochberg over every cell of the heatmap);
            // none where the items changed (a trend break) or either period hides the unit.
            // `engagementChange` is the engagement cell's label of the same family (team_metrics.csv).
            let change = score?.change?.label ?? (f.role == .engagement ? u.engagementChange : nil)
            // The % favourable's 95% interval and rwg(j) flag.
            return HeatmapCell(value: u.factorFavorable[f.id], orgValue: reference[index], change: change, suppressedReason: nil,
                               low: score?.favorable?.low, high: score?.favorable?.high,
                               lowAgreement: lowFactors?.contains(index) == true)
        }
    }

    /// Heatmap of `unit` (or the organisation) and its direct children, relative to the unit's root.
    /// `hrefFor` links a unit's page relative to the page.
    func heatmap(position: Int?, hrefFor: (UnitMetrics) -> String) -> HeatmapChart? {
        let factors = input.instrument.factors
        guard !factors.isEmpty else { return nil }
        var rows: [HeatmapRowInput] = []
        let kids: [Int]
        let reference: Int?
        if let position {
            reference = rootPosition(of: position)
            kids = tree.children[position]
        } else {
            reference = tree.roots.count == 1 ? tree.roots[0] : nil
            kids = reference.map { tree.children[$0] } ?? tree.roots
        }
        let ref = reference.map { tree.units[$0] }
        // The colour reference of each factor: the root unit's value, none where it is hidden.
        let orgValues = factors.map { f in ref.flatMap { $0.isSuppressed ? nil : $0.factorFavorable[f.id] } }
        if let reference, let ref {
            rows.append(HeatmapRowInput(name: ref.teamName, href: hrefFor(ref), isReference: true, cells: heatmapCells(ref, reference: orgValues)))
            if let position, position != reference {
                let u = tree.units[position]
                rows.append(HeatmapRowInput(name: u.teamName, href: hrefFor(u), isReference: false, cells: heatmapCells(u, reference: orgValues)))
            }
        }
        var shownKids = kids
        var note = ""
        if kids.count > Self.maxHeatmapRows {
            let chosen = Set(kids.sorted { (tree.units[$0].headcount ?? 0, -$0) > (tree.units[$1].headcount ?? 0, -$1) }.prefix(Self.maxHeatmapRows))
            shownKids = kids.filter { chosen.contains($0) }
            note = "The \(Self.maxHeatmapRows) largest of \(kids.count) sub-units are shown; all are in the table below."
        }
        for k in shownKids {
            let u = tree.units[k]
            rows.append(HeatmapRowInput(name: u.teamName, href: hrefFor(u), isReference: false, cells: heatmapCells(u, reference: orgValues)))
        }
        guard rows.count >= 2 || (rows.count == 1 && !kids.isEmpty) else { return nil }
        return HeatmapChart(title: "Factors by unit", columns: heatmapColumns, rows: rows,
                            referenceName: ref?.teamName ?? "the organisation", note: note)
    }

    /// The headline figures over the stored periods (Compute's trends: no point where a period hides the
    /// unit, and a break marked where the engagement items' wording changed).
    func trendSeries(_ u: UnitMetrics) -> [TrendSeries] {
        var points = trendPoints[u.unitIndex] ?? []
        if !points.contains(where: { $0.period == input.metrics.period }) {
            // The current period's figures come from the unit's own metrics when the history lacks them.
            points.append(TrendPoint(period: input.metrics.period,
                                     suppressed: u.suppression.map { $0 == .complementary ? .complementary : .belowMinimum }, respondents: nil,
                                     engagementIndex: u.engagementIndex?.value, enps: u.enps, balanceIndex: u.balanceIndex,
                                     ideasImplemented: u.ideasImplemented, engagementTrendBreak: false))
        }
        func series(_ value: (TrendPoint) -> Double?) -> [TrendChartPoint] {
            points.map { p in
                TrendChartPoint(period: p.period.description, value: p.suppressed == nil ? value(p) : nil,
                                breakBefore: p.engagementTrendBreak)
            }
        }
        return [
            TrendSeries(title: "Engagement index", unit: "%", range: 0...100, points: series { $0.engagementIndex }),
            TrendSeries(title: "eNPS", unit: "", range: -100...100, points: series { $0.enps }),
            TrendSeries(title: "Balance index", unit: "", range: 0...100, points: series { $0.balanceIndex }),
            TrendSeries(title: "Ideas implemented", unit: "", range: nil,
                        points: points.map { TrendChartPoint(period: $0.period.description, value: Double($0.ideasImplemented), breakBefore: false) }),
        ]
    }

    func trends(_ u: UnitMetrics) -> TrendCharts? { TrendCharts(trendSeries(u)) }

    func cycleScatter(of position: Int) -> CycleScatter? {
        guard position < details.cycleSample.count else { return nil }
        let u = tree.units[position]
        return CycleScatter(sample: details.cycleSample[position], total: details.cycleCount[position],
                            p50: u.cycleTimeP50, p85: u.cycleTimeP85, period: input.metrics.period)
    }

    func agingWIP(of position: Int) -> AgingWIPChart? {
        AgingWIPChart(counts: details.ages(of: position), p85: tree.units[position].ageP85)
    }

    func driverChart(of position: Int) -> DriverChart? {
        let u = tree.units[position]
        guard !u.isSuppressed, let list = drivers[u.unitIndex] else { return nil }
        return DriverChart(list, instrument: input.instrument, threshold: threshold)
    }

    func comments(of position: Int) -> CommentsSection {
        CommentsSection(details: details, position: position, unit: tree.units[position], minimum: input.settings.minCommentRespondents)
    }

    /// A change label as the headline shows it: an arrow only for a clear change.
    static func changeText(_ label: String?) -> (text: String, cssClass: String) {
        switch label {
        case "up"?: ("\u{25B2} up vs previous quarter", "up")
        case "down"?: ("\u{25BC} down vs previous quarter", "down")
        case let other?: ("\(other) vs previous quarter", "flat")
        case nil: ("", "")
        }
    }
}
