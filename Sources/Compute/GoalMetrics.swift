import LeanPulseCore

/// Goal attainment per unit subtree (METRICS.md 4): the mean of the subtree's goal attainments.
struct GoalMetrics {
    var sum: [Double]
    var count: [Int32]

    init(goals: [GoalRow], layout: OrganizationLayout) {
        sum = Array(repeating: 0, count: layout.count)
        count = Array(repeating: 0, count: layout.count)
        for goal in goals where goal.unit >= 0 && Int(goal.unit) < layout.count && goal.attainment.isFinite {
            sum[Int(goal.unit)] += goal.attainment
            count[Int(goal.unit)] += 1
        }
        layout.rollUp(&sum, width: 1)
        layout.rollUp(&count, width: 1)
    }

    func attainment(_ u: Int) -> Double? { count[u] > 0 ? sum[u] / Double(count[u]) : nil }

    /// Pearson r between engagement index and goal attainment across leaf units that show both.
    ///
    /// Leaf units only: a parent's figures contain its children's, so mixing levels would count the
    /// same people and goals several times and inflate the correlation.
    static func engagementCorrelation(_ units: [UnitMetrics], layout: OrganizationLayout) -> (r: Double, n: Int)? {
        let c = engagementGoal(units, layout: layout)
        guard let r = c.r else { return nil }
        return (r, c.n)
    }

    /// The same correlation as a `correlations.csv` row: `n` is the number of leaf units that show both
    /// values, also when r is not defined (fewer than 3 such units, or a constant side).
    static func engagementGoal(_ units: [UnitMetrics], layout: OrganizationLayout) -> UnitCorrelation {
        var x: [Double] = [], y: [Double] = []
        for m in units where layout.isLeaf[m.unitIndex] && !m.isSuppressed {
            guard let e = m.engagementIndex?.value, let g = m.goalAttainment else { continue }
            x.append(e)
            y.append(g)
        }
        let r = x.count >= 3 ? Statistics.pearson(x, y) : nil
        return UnitCorrelation(x: "engagement_index", y: "goal_attainment", scope: "leaf-units", r: r, n: x.count)
    }
}
