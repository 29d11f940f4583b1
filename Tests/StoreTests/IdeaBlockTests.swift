import Foundation
import LeanPulseCore
@testable import Store
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct IdeaBlockTests {
    @Test func encodesJSONThatDecodesBack() throws {
        var encoder = IdeaBlock.Encoder()
        let ideas = IdeaColumns(capacity: 2)
        ideas.append(Idea(id: "I\"1\\\n", teamId: "t\u{1}é", submitted: Day(ordinal: 20_000), implemented: Day(ordinal: 20_007),
                          submitterKey: String(repeating: "a", count: 64)))
        ideas.append(Idea(id: "2", teamId: "b", submitted: Day(ordinal: -3), rejected: Day(ordinal: 0), status: "open"))
        encoder.append(ideas.row(0))
        encoder.append(ideas.row(1))
        let text = encoder.finish()
        #expect(String(decoding: text, as: UTF8.self) == """
            [["I\\"1\\\\\\u000a","t\\u0001é",20000,20007,null,null,"\(String(repeating: "a", count: 64))"],["2","b",-3,null,0,"open",null]]
            """)
        // What JSONSerialization (an independent parser) reads from it.
        let parsed = try JSONSerialization.jsonObject(with: Data(text)) as? [[Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?[0][0] as? String == "I\"1\\\n")
        #expect(parsed?[0][1] as? String == "t\u{1}é")
        #expect(parsed?[1][2] as? Int == -3)
        var rows: [(String, Int32, Int32?, Int32?, String?)] = []
        try text.withUnsafeBufferPointer { buffer in
            try IdeaBlock.decode(buffer) { r in
                let team = r.teamIdEscaped ? IdeaBlock.unescape(r.teamId) : String(decoding: r.teamId, as: UTF8.self)
                rows.append((team, r.submitted, r.implemented, r.rejected, r.submitterKey.map { String(decoding: $0, as: UTF8.self) }))
            }
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == "t\u{1}é" && rows[0].1 == 20_000 && rows[0].2 == 20_007 && rows[0].3 == nil)
        #expect(rows[1].0 == "b" && rows[1].1 == -3 && rows[1].2 == nil && rows[1].3 == 0 && rows[1].4 == nil)
    }

    @Test func rejectsWhatItDidNotWrite() {
        for text in ["[", "[[\"1\",\"a\"]]", "[[\"1\",\"a\",x,null,null,null,null]]", "[[\"1\",\"a\",1,null,null,null,null]"] {
            #expect(throws: IdeaBlock.Malformed.self) {
                try Array(text.utf8).withUnsafeBufferPointer { try IdeaBlock.decode($0) { _ in } }
            }
        }
    }

    @Test func checksWhatTheTableUsedToCheck() {
        let day = Day(iso: "2026-07-02")!
        #expect(throws: IdeaBlock.InvalidIdea.self) { try IdeaBlock.check(Idea(id: "1", teamId: "a", submitted: day, implemented: Day(iso: "2026-07-01")!)) }
        #expect(throws: IdeaBlock.InvalidIdea.self) { try IdeaBlock.check(Idea(id: "1", teamId: "a", submitted: day, implemented: day, rejected: day)) }
        #expect(throws: IdeaBlock.InvalidIdea.self) { try IdeaBlock.check(Idea(id: "1", teamId: "a", submitted: day, submitterKey: "short")) }
        #expect(throws: Never.self) { try IdeaBlock.check(Idea(id: "1", teamId: "a", submitted: day, rejected: day)) }
    }

    @Test func manyIdeasSpanBlocksAndLoadInOrder() throws {
        let store = try LeanPulseStore(path: temporaryPath("lp-blocks") + "/s.sqlite")
        let org = try Organization(units: [OrgUnit(id: "root", parentId: nil, name: "R", headcount: 1),
                                           OrgUnit(id: "a\"x", parentId: "root", name: "A", headcount: 6)])
        let ideas = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/i.csv", location: SourceLocation(file: "/p.yml"))
        let instrument = Instrument(id: "t", version: "1", items: [], factors: [])
        let count = 2 * IdeaBlock.capacity + 5
        for round in 0..<2 {
            try store.importTransaction { w in
                try w.beginImport(source: ideas, pipeline: "test", sha256: String(repeating: "\(round)", count: 64), instrument: instrument, importedAt: "now")
                for i in 0..<count {
                    try w.insert(Idea(id: "\(i)", teamId: i % 3 == 0 ? "gone" : "a\"x", submitted: Day(ordinal: Int32(20_000 + i)),
                                      implemented: i % 2 == 0 ? Day(ordinal: Int32(20_010 + i)) : nil))
                }
                try w.finishImport()
            }
        }
        let (data, notes) = try store.loadDataset(period: Period("2026-Q3")!, organization: org, instrument: instrument, sourceIds: ["ideas"])
        // The second import replaced the first; a third of the ideas name a team that is gone.
        let kept = (0..<count).filter { $0 % 3 != 0 }
        #expect(notes.unresolvedIdeas == count - kept.count)
        #expect(data.ideas.count == kept.count)
        #expect(data.ideas.submitted == kept.map { Int32(20_000 + $0) })
        #expect(data.ideas.implemented == kept.map { $0 % 2 == 0 ? Int32(20_010 + $0) : IdeaTable.noDay })
    }

    /// Stored team ids find their unit whether the unit's id is a number (the flat array) or not (the table); a number
    /// written with a leading zero is another id.
    @Test func storedTeamIdsFindTheirUnits() throws {
        let org = try Organization(units: [OrgUnit(id: "1", parentId: nil, name: "Root", headcount: nil),
                                           OrgUnit(id: "42", parentId: "1", name: "A", headcount: 5),
                                           OrgUnit(id: "042", parentId: "1", name: "B", headcount: 5),
                                           OrgUnit(id: "t\"x", parentId: "1", name: "C", headcount: 5)])
        var lookup = UnitLookup(organization: org)
        func unit(_ text: String) -> Int? { Array(text.utf8).withUnsafeBufferPointer { lookup.index($0) } }
        for _ in 0..<2 {  // the second time from what the first one learned
            for id in ["42", "042", "t\"x", "1"] { #expect(unit(id) == org.index(of: id) && unit(id) != nil, "\(id)") }
            #expect(unit("43") == nil && unit("0042") == nil && unit("A") == nil)
        }
    }
}
