import Foundation
@testable import LeanPulseCore
import TestSupport
import Testing

/// The outcome sources' keys of session 18: `statuses:` of an ideas source and the goals role `updated`.
@Suite(.removesTemporaryFiles) struct OutcomeSourceConfigTests {
    /// A pipeline file whose sources are `sources` (written at the list's indentation, from line 6).
    func load(_ sources: String) throws(Diagnostic) -> PipelineConfig {
        let text = """
            pipeline: acme
            organization: { teams: teams.csv }
            instrument: i.yml
            sources:
            \(sources)
            """
        let path: String
        do {
            path = try temporaryFolder("lp-outcomes") + "/pipeline.yml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostic(.error, "cannot write the test's pipeline file: \(error)")
        }
        return try PipelineConfig.load(path: path)
    }

    let ideas = """
          - id: ideas
            kind: ideas
            path: ideas.csv
            fields: { id: id, team: team, submitted: submitted, status: state }
        """

    @Test func statusesAreReadWithTheirRoles() throws {
        let config = try load(ideas + """

                statuses:
                  implemented: [Done, Umgesetzt]
                  rejected: [Abgelehnt, "Won't Do"]
                  open: Backlog
            """)
        let statuses = config.sources[0].statuses
        #expect(statuses.role(of: "DONE") == .implemented && statuses.role(of: "umgesetzt") == .implemented)
        #expect(statuses.role(of: "won't do") == .rejected && statuses.role(of: "Backlog") == .open)
        #expect(statuses.role(of: "rejected") == .rejected && statuses.role(of: "Closed") == nil)
        #expect(statuses.canonical == "implemented=Done;implemented=Umgesetzt;rejected=Abgelehnt;rejected=Won't Do;open=Backlog")
    }

    /// A status has one meaning: a word under two roles is an error at its second writing (exit 2), as `Scale.key`
    /// compares words.
    @Test func aWordUnderTwoRolesIsAnErrorWhereItIsWrittenAgain() throws {
        do {
            _ = try load(ideas + """

                    statuses:
                      rejected: [Abgelehnt, Done]
                      implemented: [Umgesetzt, " done "]
                """)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "source 'ideas': status ' done ' is listed under both rejected and implemented in statuses: "
                    + "(a status has one meaning)")
            #expect(error.location?.line == 11 && error.location?.column == 32)
        }
    }

    @Test(arguments: [
        ("implemnted: [Done]", 9, 17, "unknown key 'implemnted' in 'statuses' of a source (did you mean 'implemented'?)"),
        ("closed: [Done]", 9, 17, "unknown key 'closed' in 'statuses' of a source; its keys are implemented, open, rejected"),
        ("open: [\"\"]", 9, 24, "source 'ideas': statuses.open has an empty status word"),
    ])
    func aStatusesKeyOrWordThatCannotBeIsLocated(_ entry: String, _ line: Int, _ column: Int, _ message: String) throws {
        do {
            _ = try load(ideas + "\n    statuses: { \(entry) }")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
            #expect(error.location?.line == line && error.location?.column == column)
        }
    }

    @Test func statusesNeedAnIdeasSourceWithAStatusColumn() throws {
        do {
            _ = try load(ideas.replacingOccurrences(of: ", status: state", with: "") + "\n    statuses: { implemented: [Done] }")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "source 'ideas': statuses: needs the status column: map fields.status")
        }
        do {
            _ = try load("""
                  - id: goals
                    kind: goals
                    path: goals.csv
                    fields: { team: team, period: period, score: score }
                    statuses: { implemented: [Done] }
                """)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("source 'goals': statuses: says what an ideas log's status words mean"))
            #expect(error.location?.line == 9)
        }
    }

    /// `updated` orders a goal's check-ins; it is a goals role only.
    @Test func updatedIsARoleOfGoalsSources() throws {
        let config = try load("""
              - id: goals
                kind: goals
                path: goals.csv
                fields: { id: goal_id, team: team, period: period, target: target, actual: actual, updated: checked_in }
            """)
        #expect(config.sources[0].fields["updated"] == "checked_in")
        do {
            _ = try load(ideas.replacingOccurrences(of: "status: state", with: "updated: when"))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("source 'ideas': unknown key 'updated' in 'fields' of an ideas source"))
        }
    }
}
