import LeanPulseCore
import Testing
@testable import Compute

/// METRICS.md 6, case by case. `n` is each unit's subtree respondent count.
struct SuppressionTests {
    /// Builds an organisation from (id, parent) and runs the rule with subtree counts by id.
    static func run(_ units: [(String, String?)], _ n: [String: Int], minimum: Int = 5) throws
    -> (reasons: [String: SuppressionReason], log: [SuppressionEntry]) {
        let org = try Organization(units: units.map { OrgUnit(id: $0.0, parentId: $0.1, name: $0.0, headcount: nil) })
        let counts = org.units.map { n[$0.id]! }
        let result = Suppression.apply(respondents: counts, organization: org, minimum: minimum)
        var reasons: [String: SuppressionReason] = [:]
        for (i, r) in result.reasons.enumerated() { if let r { reasons[org.units[i].id] = r } }
        return (reasons, result.log)
    }

    @Test func belowMinimumIsSuppressedAndLoggedWithoutItsCount() throws {
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1")], ["1": 18, "2": 3, "3": 10])
        #expect(r.reasons == ["2": .belowMinimum])
        #expect(r.log.count == 1)
        #expect(r.log[0].protects == nil)
        #expect(!r.log[0].detail.contains("3"))
    }

    @Test func zeroRespondentUnitIsSuppressedToo() throws {
        // METRICS.md 6 rule 1 says every group with n < minimum; n = 0 is such a group.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1")], ["1": 10, "2": 0, "3": 10])
        #expect(r.reasons == ["2": .belowMinimum])
    }

    @Test func remainderBetweenZeroAndMinimumForcesComplementary() throws {
        // 20 - (9 + 8) = 3 own respondents would be exposed: the smaller child (8) goes.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1")], ["1": 20, "2": 9, "3": 8])
        #expect(r.reasons == ["3": .complementary])
        #expect(r.log.map(\.protects) == ["1"])
        #expect(!r.log[0].detail.contains("8"))
    }

    @Test func remainderIncludesSuppressedChildren() throws {
        // Child 3 (2) is below minimum: 14 - 7 - 5 = 2 remain beside the shown children.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1"), ("4", "1")], ["1": 14, "2": 7, "3": 2, "4": 5])
        #expect(r.reasons == ["3": .belowMinimum, "4": .complementary])
    }

    @Test func tiesGoToTheSmallestTeamIdNumerically() throws {
        // "9" < "10" as team ids (numeric order), though not as text.
        let r = try Self.run([("1", nil), ("10", "1"), ("9", "1")], ["1": 14, "10": 6, "9": 6])
        #expect(r.reasons == ["9": .complementary])
    }

    @Test func remainderExactlyZeroNeedsNothing() throws {
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1")], ["1": 15, "2": 9, "3": 6])
        #expect(r.reasons.isEmpty)
        #expect(r.log.isEmpty)
    }

    @Test func remainderAtMinimumNeedsNothing() throws {
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1")], ["1": 20, "2": 9, "3": 6])
        #expect(r.reasons.isEmpty)
    }

    @Test func suppressionsAtTwoLevelsInOneRun() throws {
        // 1: 40 - (20 + 17) = 3 -> child 3 (17) goes. 3: 17 - (7 + 6) = 4 -> child 5 (6) goes.
        // Units are handled in ascending id order, so the log lists 3 (protecting 1) before 5.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1"), ("4", "3"), ("5", "3")],
                             ["1": 40, "2": 20, "3": 17, "4": 7, "5": 6])
        #expect(r.reasons == ["3": .complementary, "5": .complementary])
        #expect(r.log.map(\.teamId) == ["3", "5"])
        #expect(r.log.map(\.protects) == ["1", "3"])
    }

    @Test func aSuppressedChildThatIsTheSumOfShownOnesCountsAsShown() throws {
        // Child 3 is suppressed for 1 (20 - 12 - 6 = 2), yet its only child 4 (6, the whole of 3) is shown: 3's total is
        // published after all, and 20 - 12 - 6 would isolate 2 people. METRICS.md 6 as written stopped there (an earlier
        // version of this test pinned the gap); "known" (DECISIONS 35) suppresses 4 too.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1"), ("4", "3")], ["1": 20, "2": 12, "3": 6, "4": 6])
        #expect(r.reasons == ["3": .complementary, "4": .complementary])
        #expect(r.log.map(\.protects) == ["1", "1"])
    }

    @Test func theAuditedSubtractionIsClosed() throws {
        // Session 13's audit: grp = gc + gs + gd, gc has no members of its own (g1 + g2). gs (3) is below the minimum and gc
        // became complementary, but gc = g1 + g2 was still published, so 25 - 12 - 5 - 5 gave gs's 3 people away.
        let units: [(String, String?)] = [("grp", nil), ("gc", "grp"), ("gd", "grp"), ("gs", "grp"), ("g1", "gc"), ("g2", "gc")]
        let r = try Self.run(units, ["grp": 25, "gc": 10, "gd": 12, "gs": 3, "g1": 5, "g2": 5])
        #expect(r.reasons == ["gs": .belowMinimum, "gc": .complementary, "g1": .complementary])
        // Nothing left to subtract: grp - gd = 13 people in gc and gs together, gc - g2 = 5 in g1.
        #expect(Self.leaks(units, ["grp": 25, "gc": 10, "gd": 12, "gs": 3, "g1": 5, "g2": 5], r.reasons).isEmpty)
    }

    /// The units whose total minus the totals anyone can add up from published figures below it leaves 1 to
    /// `minimum - 1` people: computed from the outcome alone, the way someone reading the outputs would.
    static func leaks(_ units: [(String, String?)], _ n: [String: Int], _ reasons: [String: SuppressionReason], minimum: Int = 5) -> [String] {
        var children: [String: [String]] = [:]
        for (id, parent) in units { if let parent { children[parent, default: []].append(id) } }
        var memo: [String: Bool] = [:]
        func published(_ u: String) -> Bool {
            if let known = memo[u] { return known }
            let kids = children[u] ?? []
            let known = reasons[u] == nil || (!kids.isEmpty && n[u]! == kids.filter(published).map { n[$0]! }.reduce(0, +))
            memo[u] = known
            return known
        }
        return units.map(\.0).filter { u in
            guard published(u), let kids = children[u] else { return false }
            let rest = n[u]! - kids.filter(published).map { n[$0]! }.reduce(0, +)
            return rest > 0 && rest < minimum
        }
    }

    /// Random trees and counts: whatever the shape, no published total minus published totals below it singles out
    /// 1 to 4 people, and every unit below the minimum is suppressed.
    @Test func noRandomTreeLeaksBySubtraction() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let size = Int.random(in: 2...40, using: &generator)
            var units: [(String, String?)] = [("u0", nil)]
            for i in 1..<size { units.append(("u\(i)", "u\(Int.random(in: 0..<i, using: &generator))")) }
            // Own members: many units have none (pure groupings), the case METRICS.md's rule missed.
            var own: [String: Int] = [:]
            for (id, _) in units { own[id] = Bool.random(using: &generator) ? 0 : Int.random(in: 0...12, using: &generator) }
            var n = own
            for (id, parent) in units.reversed() { if let parent { n[parent]! += n[id]! } }
            let r = try Self.run(units, n)
            #expect(Self.leaks(units, n, r.reasons).isEmpty, "\(units) \(n) \(r.reasons)")
            for (id, count) in n where count < 5 { #expect(r.reasons[id] == .belowMinimum) }
        }
    }

    /// Question level (session 13's review found "4 answered, 100% favourable" on a team of 5): a cell is hidden below the
    /// minimum and where a subtraction would leave 1 to 4 answers; a suppressed unit's cells are hidden as well.
    @Test func cellsOfAColumnAreProtectedLikeUnits() throws {
        let org = try Organization(units: [("1", nil), ("2", "1"), ("3", "1"), ("4", "1")].map {
            OrgUnit(id: $0.0, parentId: $0.1, name: $0.0, headcount: nil)
        })
        // Two columns (items), subtree answer counts. Column 0: unit 2 answered by 4 of its people; 1 = 4 + 9 + 12 = 25,
        // so 25 - 9 - 12 = 4 would give unit 2's answers away unless 3 (the smaller) goes too. Column 1: all fine.
        let counts: [Int32] = [25, 30, 4, 10, 9, 10, 12, 10]
        let hidden = Suppression.hiddenCells(counts: counts, width: 2, organization: org, minimum: 5,
                                             unitSuppressed: [false, false, false, false])
        #expect(hidden == [false, false, true, false, true, false, false, false])
        // A suppressed unit has no cell; its parent's remainder is protected in every column.
        let withheld = Suppression.hiddenCells(counts: counts, width: 2, organization: org, minimum: 5,
                                               unitSuppressed: [false, false, false, true])
        #expect(withheld[6] && withheld[7])
        #expect(withheld[0] == false && withheld[1] == false)
    }
}
