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

    @Test func childOnlyRuleDoesNotLookThroughASuppressedChild() throws {
        // The rule as METRICS.md states it compares a unit with its children only. Here child 3 is
        // suppressed for 1 (20 - 12 - 6 = 2), yet its only child 4 (6, the whole of 3) stays shown,
        // so 20 - 12 - 6 still isolates 2 people. Pinned to document the gap reported to the spec owner;
        // a rule over "nearest shown descendants" would suppress 4 as well.
        let r = try Self.run([("1", nil), ("2", "1"), ("3", "1"), ("4", "3")], ["1": 20, "2": 12, "3": 6, "4": 6])
        #expect(r.reasons == ["3": .complementary])
    }
}
