import LeanPulseCore

/// Confidentiality suppression (METRICS.md 6), with "not suppressed" read as "known" (see `apply`).
public enum Suppression {
    /// The suppression of every unit (nil = shown) and the log, from subtree respondent counts.
    ///
    /// 1. every unit with `n < minimum` is `below-minimum`, including units with no respondents at all:
    ///    the text says "every group", and logging them costs nothing while a reader of the log sees that
    ///    the unit was considered;
    /// 2. passes in ascending `team_id` order (= `Organization` index order) until one changes nothing: for
    ///    a unit with children, `R = n(U) - sum of n over U's known children`; when `0 < R < minimum` the known
    ///    child with the fewest respondents (ties: smallest `team_id`) is suppressed as `complementary`.
    ///
    /// "Known" extends METRICS.md 6's "not suppressed" (DECISIONS 35): a child is known when it is shown, or when it is
    /// suppressed but its total is the sum of its own known children (it has no members of its own and nothing hidden
    /// below it), so that anyone can add its total up from published ones. METRICS.md's rule, which counts such a child
    /// as hidden, let a group of 3 be worked out: a parent of 25 with a shown child of 12, a hidden child of 3 and a
    /// "hidden" child of 10 that was just the sum of two shown teams of 5. When the known child to suppress is itself
    /// such a sum, the choice goes on inside it, down to a shown unit, which is suppressed; the passes run until no
    /// remainder is left between 1 and `minimum - 1`. On trees without such sums the result is METRICS.md's exactly.
    ///
    /// `withheld` (optional, per unit) are units withheld for a reason decided elsewhere (an earlier period's
    /// `remapped` units, see `PeriodHistory`): they count as suppressed from the start, so step 2 protects
    /// their remainders too. They come back as `complementary` (withheld to protect others), without a log line.
    public static func apply(respondents n: [Int], organization org: Organization, minimum: Int,
                             withheld: [Bool] = [])
    -> (reasons: [SuppressionReason?], log: [SuppressionEntry]) {
        apply(respondents: n, organization: org, minimum: minimum, withheld: withheld, logging: true)
    }

    /// `apply`; without `logging` the log stays empty (`hiddenCells` runs it once per question and needs no text).
    static func apply(respondents n: [Int], organization org: Organization, minimum: Int, withheld: [Bool], logging: Bool)
    -> (reasons: [SuppressionReason?], log: [SuppressionEntry]) {
        var reasons = [SuppressionReason?](repeating: nil, count: org.count)
        for u in withheld.indices where u < org.count && withheld[u] { reasons[u] = .complementary }
        var log: [SuppressionEntry] = []
        for u in 0..<org.count where n[u] < minimum && reasons[u] == nil {
            reasons[u] = .belowMinimum
            guard logging else { continue }
            log.append(SuppressionEntry(
                teamId: org.units[u].id, reason: .belowMinimum, protects: nil,
                detail: "fewer than \(minimum) respondents"))
        }
        // Whether each unit's total can be read or added up from the outputs (children before parents).
        var known = [Bool](repeating: true, count: org.count)
        func isKnown(_ u: Int) -> Bool {
            guard reasons[u] != nil else { return true }
            guard !org.children[u].isEmpty else { return false }
            var remainder = n[u]
            for c in org.children[u] where known[c] { remainder -= n[c] }
            return remainder == 0
        }
        for u in org.bottomUpOrder { known[u] = isKnown(u) }
        /// The known child of `u` with the fewest respondents (ties: the smallest `team_id`, children
        /// being in index order). A child of no respondents is passed over: withholding it would protect nothing.
        func smallestKnownChild(of u: Int) -> Int? {
            var smallest: Int?
            for c in org.children[u] where known[c] && n[c] > 0 {
                if smallest.map({ n[c] < n[$0] }) ?? true { smallest = c }
            }
            return smallest
        }
        var changed = true
        while changed {
            changed = false
            for u in 0..<org.count where !org.children[u].isEmpty {
                var remainder = n[u]
                for c in org.children[u] where known[c] { remainder -= n[c] }
                guard remainder > 0, remainder < minimum, var target = smallestKnownChild(of: u) else { continue }
                // A known but suppressed child is a sum of published totals: suppress a shown unit inside it.
                while reasons[target] != nil {
                    guard let inner = smallestKnownChild(of: target) else { break }
                    target = inner
                }
                guard reasons[target] == nil else { continue }
                reasons[target] = .complementary
                changed = true
                // Only the target and its ancestors can change from known to not known.
                var a: Int? = target
                while let unit = a {
                    known[unit] = isKnown(unit)
                    a = org.parent[unit]
                }
                guard logging else { continue }
                let parentId = org.units[u].id
                log.append(SuppressionEntry(
                    teamId: org.units[target].id, reason: .complementary, protects: parentId,
                    detail: "withheld so that \(parentId)'s total minus its shown sub-units cannot single out fewer than \(minimum) respondents"))
            }
        }
        return (reasons, log)
    }

    /// Per cell of a unit x column table of subtree counts (`counts[u * width + c]`, e.g. an item's answers): whether the
    /// cell's figure is hidden. A figure describes the people counted in its cell, so each column gets METRICS.md 6 on
    /// its own counts: fewer than `minimum` (a question 4 of 5 respondents answered) and remainders of 1 to
    /// `minimum - 1` by subtraction; the units' own suppression (`unitSuppressed`) is withheld from the start.
    public static func hiddenCells(counts: [Int32], width: Int, organization org: Organization, minimum: Int,
                                   unitSuppressed: [Bool]) -> [Bool] {
        var hidden = [Bool](repeating: false, count: counts.count)
        var n = [Int](repeating: 0, count: org.count)
        for c in 0..<width {
            for u in 0..<org.count { n[u] = Int(counts[u * width + c]) }
            let reasons = apply(respondents: n, organization: org, minimum: minimum, withheld: unitSuppressed, logging: false).reasons
            for u in 0..<org.count where reasons[u] != nil { hidden[u * width + c] = true }
        }
        return hidden
    }
}
