import Foundation
import LeanPulseCore
import Normalize
import Testing

/// The organisation file: a fault in the tree stops the run at its line and column; several top-level teams are a warning.
struct OrganizationReaderTests {
    let header = RecordHeader(names: ["team_id", "parent_id", "name", "headcount"])

    /// Records from `team_id,parent_id` lines, numbered from line 2 as under a header row; fields start at columns 1 and
    /// (after the id and its comma) `id.count + 2`.
    func records(_ rows: [(String, String?)]) -> [SourceRecord] {
        rows.enumerated().map { i, row in
            SourceRecord(values: [row.0, row.1, row.0, "5"], location: SourceLocation(file: "/x/teams.csv", line: i + 2),
                         columns: [1, row.0.count + 2, row.0.count + 3 + (row.1?.count ?? 0), row.0.count + 4 + (row.1?.count ?? 0) + row.0.count])
        }
    }

    func failure(_ rows: [(String, String?)]) -> Diagnostic? {
        do {
            _ = try OrganizationReader.read(header: header, records: records(rows), file: "/x/teams.csv")
            return nil
        } catch {
            return error
        }
    }

    @Test func aTeamListedTwiceFailsAtTheSecond() throws {
        let error = try #require(failure([("org", nil), ("t1", "org"), ("t2", "org"), ("t1", "org")]))
        #expect(error.location == SourceLocation(file: "/x/teams.csv", line: 5, column: 1))
        #expect(error.message == "team 't1' is listed twice (first at line 3)")
    }

    /// Two units of Int.max people summed past Int64 and trapped the run (session 17's audit); a unit states at most
    /// 10,000,000 of its own members.
    @Test func anImplausibleHeadcountFailsAtItsField() throws {
        for (text, fails) in [("9223372036854775807", true), ("10000001", true), ("10000000", false), ("-1", true)] {
            let records = [SourceRecord(values: ["org", nil, "Org", text], location: SourceLocation(file: "/x/teams.csv", line: 2),
                                        columns: [1, 5, 6, 10])]
            do {
                _ = try OrganizationReader.read(header: header, records: records, file: "/x/teams.csv")
                #expect(!fails, "\(text)")
            } catch {
                #expect(fails, "\(text)")
                #expect(error.location == SourceLocation(file: "/x/teams.csv", line: 2, column: 10))
            }
        }
    }

    @Test func anUnknownParentFailsAtItsField() throws {
        let error = try #require(failure([("org", nil), ("t1", "org"), ("t2", "tX")]))
        #expect(error.location == SourceLocation(file: "/x/teams.csv", line: 4, column: 4))
        #expect(error.message.contains("'tX'"))
    }

    @Test func aCycleFailsAtItsFirstTeamsParentField() throws {
        let error = try #require(failure([("org", nil), ("a", "org"), ("b", "d"), ("c", "b"), ("d", "c")]))
        #expect(error.location == SourceLocation(file: "/x/teams.csv", line: 4, column: 3))
        #expect(error.message.contains("cycle") && error.message.contains("'b'") && error.message.contains("'d'"))
        // A team pointing at itself is a cycle of one.
        let own = try #require(failure([("org", nil), ("a", "a")]))
        #expect(own.location?.line == 3 && own.message.contains("'a' -> 'a'"))
    }

    @Test func severalTopLevelTeamsAreAWarningAtTheSecond() throws {
        let (units, findings) = try OrganizationReader.read(header: header, records: records([("org", nil), ("t1", "org"), ("t2", nil)]),
                                                            file: "/x/teams.csv")
        #expect(units.count == 3)
        #expect(findings.map(\.code) == ["several-top-level-teams"])
        #expect(findings[0].severity == .warning && findings[0].location.line == 4 && findings[0].location.column == 1)
        #expect(findings[0].message.contains("'org' (line 2), 't2' (line 4)"))
        let one = try OrganizationReader.read(header: header, records: records([("org", nil), ("t1", "org")]), file: "/x/teams.csv")
        #expect(one.findings.isEmpty)
    }

    /// A headcount column named otherwise (`head_count`) blanked every response rate without a word.
    @Test func aMissingHeadcountOrNameColumnIsAWarning() throws {
        let renamed = RecordHeader(names: ["team_id", "parent_id", "name", "head_count"])
        let (units, findings) = try OrganizationReader.read(header: renamed, records: records([("org", nil), ("t1", "org")]), file: "/x/teams.csv")
        #expect(units.allSatisfy { $0.headcount == nil })
        #expect(findings.map(\.code) == ["missing-column"])
        #expect(findings.first?.location == SourceLocation(file: "/x/teams.csv", line: 1, column: 1))
        #expect(findings.first?.message.contains("no 'headcount' column (it has: team_id, parent_id, name, head_count)") == true)
        let bare = RecordHeader(names: ["team_id", "parent_id"])
        let plain = try OrganizationReader.read(header: bare, records: records([("org", nil)]), file: "/x/teams.csv")
        #expect(plain.findings.map(\.message).map { $0.contains("'headcount'") || $0.contains("'name'") } == [true, true])
    }

    /// A name two units share names neither (session 15's outcome audit found ideas and goals of "Maintenance" all in
    /// the first plant's unit): the record is rejected, and the finding lists the units.
    @Test func aNameTwoUnitsShareResolvesToNeither() throws {
        let org = try Organization(units: [OrgUnit(id: "org", parentId: nil, name: "Plant", headcount: 1),
                                           OrgUnit(id: "a-maint", parentId: "org", name: "Maintenance", headcount: 5),
                                           OrgUnit(id: "b-maint", parentId: "org", name: " maintenance ", headcount: 5),
                                           OrgUnit(id: "qa", parentId: "org", name: "Quality", headcount: 5)])
        #expect(org.resolve("Maintenance") == nil)
        #expect(org.resolve("a-maint") == org.index(of: "a-maint"))
        #expect(org.resolve("quality") == org.index(of: "qa"))
        let reason = org.unresolved("Maintenance")
        #expect(reason.code == "ambiguous-team")
        #expect(reason.message.contains("2 units ('a-maint', 'b-maint')"))
        #expect(org.unresolved("Nowhere").code == "unknown-team")

        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "id", "team": "team", "submitted": "submitted"], location: SourceLocation(file: "/p.yml"))
        var ideas = try IdeaNormalizer(source: source, header: RecordHeader(names: ["id", "team", "submitted"]), organization: org,
                                       pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
        #expect(ideas.normalize(SourceRecord(values: ["I1", "Maintenance", "2026-07-01"], location: SourceLocation(file: "/x/i.csv", line: 2))) == nil)
        #expect(ideas.tally.findings.map(\.code) == ["ambiguous-team"])
    }
}
