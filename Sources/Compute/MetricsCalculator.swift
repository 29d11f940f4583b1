import LeanPulseCore

/// Compute's entry point: one period's dataset in, every unit's subtree metrics out (METRICS.md 1-6).
public enum MetricsCalculator {
    /// One `UnitMetrics` per unit (Organization index order), each covering the unit's whole subtree.
    public static func compute(_ data: PeriodDataset, settings: MetricSettings) -> PeriodMetrics {
        computeDetailed(data, settings: settings).metrics
    }

    /// Which units `computeDetailed` suppresses (METRICS.md 6), from the respondent counts alone: what the survey
    /// statistics need to start before the unit metrics are done.
    public static func suppressedUnits(_ data: PeriodDataset, settings: MetricSettings, withheld: [Bool] = []) -> [Bool] {
        let org = data.organization
        var respondents = [Int](repeating: 0, count: org.count)
        for u in data.responses.unit where u >= 0 && Int(u) < org.count { respondents[Int(u)] += 1 }
        OrganizationLayout(org).rollUp(&respondents, width: 1)
        return Suppression.apply(respondents: respondents, organization: org, minimum: settings.minRespondents, withheld: withheld)
            .reasons.map { $0 != nil }
    }

    /// `compute`, and the additive tallies it was built from, so that the comparison with other periods
    /// (`PeriodHistory`) does not tally the rows again.
    /// `withheld`: units suppressed from the start for a reason decided elsewhere (see `Suppression.apply`).
    public static func computeDetailed(_ data: PeriodDataset, settings: MetricSettings,
                                       withheld: [Bool] = []) -> (metrics: PeriodMetrics, tallies: PeriodTallies) {
        let org = data.organization
        let layout = OrganizationLayout(org)

        var tallies = FactorAggregates(unitCount: org.count, instrument: data.instrument)
        tallies.collect(data.responses, instrument: data.instrument)
        tallies.rollUp(layout)

        // Headcount: the sum of the own headcounts over the subtree (METRICS.md 1); unknown (nil) when a unit of the subtree
        // states none, as the reference computes it. A sum of the stated ones would undercount: a response rate of 125%
        // and an interval narrowed to its point by a finite-population factor with N below n (session 13's audit).
        var headcount = org.units.map { $0.headcount ?? 0 }
        var headcountUnknown = org.units.map { $0.headcount == nil ? 1 : 0 }
        layout.rollUp(&headcount, width: 1)
        layout.rollUp(&headcountUnknown, width: 1)

        let respondents = tallies.respondents.map(Int.init)
        let suppression = Suppression.apply(respondents: respondents, organization: org, minimum: settings.minRespondents,
                                            withheld: withheld)
        let flow = ImprovementFlow(ideas: data.ideas, period: data.period, layout: layout,
                                   cycleTimeInclusive: settings.cycleTimeInclusive)
        let goals = GoalMetrics(goals: data.goals, layout: layout)
        var survey = SurveyMetrics(instrument: data.instrument, settings: settings)
        let suppressed = suppression.reasons.map { $0 != nil }
        let hidden = tallies.hiddenCells(suppressed: suppressed, organization: org, minimum: settings.minRespondents,
                                         factorItems: survey.factorItems, aggregation: settings.favorableAggregation)
        let days = Double(data.period.days)

        var units: [UnitMetrics] = []
        units.reserveCapacity(org.count)
        var factorScores: [FactorScore] = []
        factorScores.reserveCapacity(suppression.reasons.lazy.filter { $0 == nil }.count * data.instrument.factors.count)
        for u in 0..<org.count {
            let unit = org.units[u]
            var m = UnitMetrics(unitIndex: u, teamId: unit.id, teamName: unit.name, parentId: unit.parentId,
                                depth: layout.depth[u])
            m.respondents = respondents[u]
            m.headcount = headcountUnknown[u] == 0 ? headcount[u] : nil
            m.suppression = suppression.reasons[u]
            // Survey values of a suppressed unit stay nil everywhere (METRICS.md 6).
            if m.suppression == nil {
                survey.fill(&m, from: tallies, hidden: hidden)
                survey.appendFactorScores(unit: u, headcount: m.headcount, from: tallies, hidden: hidden, to: &factorScores)
            }

            m.ideasSubmitted = Int(flow.submitted[u])
            m.ideasImplemented = Int(flow.implemented[u])
            m.ideasRejected = Int(flow.rejected[u])
            let decided = m.ideasImplemented + m.ideasRejected
            if decided > 0 { m.implementationRate = 100 * Double(m.ideasImplemented) / Double(decided) }
            if let n = m.headcount, n > 0 {
                m.ideasPerPersonYear = Double(m.ideasSubmitted) / Double(n) * 365 / days
                if let submitters = flow.submitters { m.participation = 100 * Double(submitters[u]) / Double(n) }
            }
            m.cycleTimeP50 = flow.cycleP50[u]
            m.cycleTimeP85 = flow.cycleP85[u]
            m.cycleTimeP95 = flow.cycleP95[u]
            m.wip = Int(flow.wip[u])
            m.ageP85 = flow.ageP85[u]
            m.goalAttainment = goals.attainment(u)
            m.goalCount = Int(goals.count[u])
            units.append(m)
        }
        var metrics = PeriodMetrics(
            period: data.period, units: units, suppressions: suppression.log,
            weeklyThroughput: flow.weekly,
            engagementGoalCorrelation: GoalMetrics.engagementCorrelation(units, layout: layout))
        metrics.itemScores = tallies.itemScores(suppressed: suppressed, hidden: hidden)
        metrics.factorScores = factorScores
        metrics.correlations = [GoalMetrics.engagementGoal(units, layout: layout)]
        return (metrics, PeriodTallies(aggregates: tallies, layout: layout))
    }
}

/// The additive survey tallies behind one period's metrics (subtree sums per unit and factor), kept for
/// the comparison with the previous period. Holds figures of suppressed units: never for Render.
public struct PeriodTallies: Sendable {
    let aggregates: FactorAggregates
    let layout: OrganizationLayout
}
