import LeanPulseCore

/// Confidentiality suppression (METRICS.md 6), applied exactly as the text states it.
public enum Suppression {
    /// The suppression of every unit (nil = shown) and the log, from subtree respondent counts.
    ///
    /// 1. every unit with `n < minimum` is `below-minimum`, including units with no respondents at all:
    ///    the text says "every group", and logging them costs nothing while a reader of the log sees that
    ///    the unit was considered;
    /// 2. passes in ascending `team_id` order (= `Organization` index order) until one changes nothing: for
    ///    a unit with children, `R = n(U) - sum of n over U's shown children`; when `0 < R < minimum` the shown
    ///    child with the fewest respondents (ties: smallest `team_id`) becomes `complementary`.
    ///
    /// The rule looks at a unit's children only, so a unit's remainder changes only when one of its own
    /// children is suppressed; the loop still runs to a fixed point, as the text asks.
    ///
    /// `withheld` (optional, per unit) are units withheld for a reason decided elsewhere (an earlier period's
    /// `remapped` units, see `PeriodHistory`): they count as suppressed from the start, so step 2 protects
    /// their remainders too. They come back as `complementary` (withheld to protect others), without a log line.
    public static func apply(respondents n: [Int], organization org: Organization, minimum: Int,
                             withheld: [Bool] = [])
    -> (reasons: [SuppressionReason?], log: [SuppressionEntry]) {
        var reasons = [SuppressionReason?](repeating: nil, count: org.count)
        for u in withheld.indices where u < org.count && withheld[u] { reasons[u] = .complementary }
        var log: [SuppressionEntry] = []
        for u in 0..<org.count where n[u] < minimum && reasons[u] == nil {
            reasons[u] = .belowMinimum
            log.append(SuppressionEntry(
                teamId: org.units[u].id, reason: .belowMinimum, protects: nil,
                detail: "fewer than \(minimum) respondents"))
        }
        var changed = true
        while changed {
            changed = false
            for u in 0..<org.count where !org.children[u].isEmpty {
                var remainder = n[u]
                var smallest: Int?
                // Children are in ascending index order, so the strict `<` keeps the smallest team_id on ties.
                for c in org.children[u] where reasons[c] == nil {
                    remainder -= n[c]
                    if smallest.map({ n[c] < n[$0] }) ?? true { smallest = c }
                }
                guard remainder > 0, remainder < minimum, let child = smallest else { continue }
                reasons[child] = .complementary
                changed = true
                let parentId = org.units[u].id
                log.append(SuppressionEntry(
                    teamId: org.units[child].id, reason: .complementary, protects: parentId,
                    detail: "withheld so that \(parentId)'s total minus its shown sub-units cannot single out fewer than \(minimum) respondents"))
            }
        }
        return (reasons, log)
    }
}
