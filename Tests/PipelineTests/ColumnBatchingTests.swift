import Foundation
import LeanPulseCore
import Normalize
@testable import Pipeline
import Testing

/// Responses and ideas go from Normalize to the store in column batches (DECISIONS 31): every accepted record arrives
/// once, in file order, with what the file says, whatever batch it lands in.
@Suite(.serialized) struct ColumnBatchingTests {
    /// A fresh copy of the sample and its pipeline context (organisation, instrument, pseudonym key).
    static func sample() throws -> (SampleWorkspace, PipelineContext) {
        let ws = try SampleWorkspace()
        setenv("LEANPULSE_KEY", "test-secret", 1)
        do {
            return (ws, try PipelineContext.load(ws.options(), requireKey: true, log: RunLog(quiet: true)))
        } catch {
            ws.remove()
            throw error
        }
    }

    /// Writes `lines` as the CSV file of a new source of `kind` mapped by `fields`, and normalizes all of it.
    static func normalize(_ lines: [String], kind: SourceKind, fields: [String: String], in ws: SampleWorkspace,
                          context: PipelineContext) throws -> ([NormalizedRecord], NormalizeTally) {
        let path = ws.root + "/many-\(kind.rawValue).csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let source = SourceConfig(id: "many-\(kind.rawValue)", kind: kind, format: .csv, path: path, fields: fields,
                                  location: SourceLocation(file: ws.pipeline))
        let reader = try SourceReading.open(source: source, file: path, fieldPaths: [])
        var normalizer = try SourceNormalizer(source: source, header: reader.header, context: context)
        var emitted: [NormalizedRecord] = []
        try normalizer.normalizeAll(reader) { emitted.append($0) }
        return (emitted, normalizer.tally)
    }

    @Test func responsesTravelInFullBatchesInFileOrder() throws {
        let (ws, context) = try Self.sample()
        defer { ws.remove() }
        let items = context.instrument.items
        let teams = context.normalizationOrganization.units.map(\.id)
        let count = 2 * ResponseColumns.batchSize + 100
        var lines = [(["respondent", "team", "submitted", "comment"] + items.map(\.id)).joined(separator: ",")]
        var expected: [(team: String, answers: [Int16?], comment: String?, line: Int)] = []
        for i in 0..<count {
            let known = i % 101 != 7
            let team = known ? teams[i % teams.count] : "no-such-team"
            let answers: [Int16?] = items.enumerated().map { j, item in
                (i + j) % 11 == 0 ? nil : Int16(item.scale.min + (i * 7 + j) % (item.scale.max - item.scale.min + 1))
            }
            let comment: String? = i % 3 == 0 ? nil : i % 3 == 1 ? "short \(i)" : "a longer comment, \"quoted\", number \(i) é"
            let quoted = comment.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" } ?? ""
            lines.append((["E\(i)", team, "2026-08-0\(1 + i % 9) 10:00:00", quoted] + answers.map { $0.map(String.init) ?? "" })
                            .joined(separator: ","))
            if known { expected.append((team, answers, comment, i + 2)) }
        }
        let (emitted, tally) = try Self.normalize(lines, kind: .survey, fields: ["respondent": "respondent", "team": "team",
                                                                                "submitted": "submitted", "comment": "comment"],
                                                  in: ws, context: context)
        let batches: [ResponseColumns] = emitted.compactMap { if case .responses(let batch) = $0 { batch } else { nil } }
        #expect(batches.count == emitted.count)
        let size = ResponseColumns.batchSize
        #expect(expected.count > 2 * size && batches.map(\.count) == [size, size, expected.count - 2 * size])
        let responses = batches.flatMap { batch in (0..<batch.count).map { batch[$0] } }
        #expect(responses.map(\.teamId) == expected.map(\.team))
        #expect(responses.map(\.answers) == expected.map(\.answers))
        #expect(responses.map(\.comment) == expected.map(\.comment))
        #expect(responses.map(\.location.line) == expected.map(\.line))
        #expect(responses.allSatisfy { $0.period == Period("2026-Q3") && $0.respondentKey != nil && $0.submitted != nil })
        // Each respondent's key is its own: as many keys as respondents.
        #expect(Set(responses.compactMap(\.respondentKey)).count == expected.count)
        #expect(tally.read == count && tally.accepted == expected.count)
    }

    @Test func ideasTravelInFullBatchesInFileOrder() throws {
        let (ws, context) = try Self.sample()
        defer { ws.remove() }
        let units = context.normalizationOrganization.units
        let ids = Set(units.map(\.id))
        // A unit named by no other unit and by no id (the first such name, so that every run picks the same one).
        let names = Dictionary(grouping: units, by: \.name)
        let named = try #require(units.filter { names[$0.name]?.count == 1 && !ids.contains($0.name) }.min { $0.name < $1.name })
        let count = 2 * IdeaColumns.blockSize + 100
        var lines = ["idea_id,team_id,submitted_on,implemented_on,status"]
        var expected: [(id: String, team: String, implemented: Bool)] = []
        for i in 0..<count {
            let team: String?
            switch i % 97 {
            case 0: team = nil                 // names no unit: rejected
            case 1: team = named.name          // a unit's name: stored as its id
            default: team = units[i % units.count].id
            }
            let quoted = "\"" + (team ?? "no-such-team").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            lines.append("I\(i),\(quoted),2026-07-01,\(i % 2 == 0 ? "2026-07-09" : ""), open ")
            if let team { expected.append(("I\(i)", team == named.name ? named.id : team, i % 2 == 0)) }
        }
        let (emitted, tally) = try Self.normalize(lines, kind: .ideas, fields: ["id": "idea_id", "team": "team_id",
                                                                               "submitted": "submitted_on",
                                                                               "implemented": "implemented_on", "status": "status"],
                                                  in: ws, context: context)
        let batches: [IdeaColumns] = emitted.compactMap { if case .ideas(let batch) = $0 { batch } else { nil } }
        #expect(batches.count == emitted.count)
        let block = IdeaColumns.blockSize
        #expect(expected.count > 2 * block && batches.map(\.count) == [block, block, expected.count - 2 * block])
        let ideas = batches.flatMap { batch in (0..<batch.count).map { batch[$0] } }
        #expect(ideas.map(\.id) == expected.map(\.id))
        #expect(ideas.map(\.teamId) == expected.map(\.team))
        #expect(ideas.map { $0.implemented != nil } == expected.map(\.implemented))
        // The status as written, without the spaces around it.
        #expect(ideas.allSatisfy { $0.status == "open" && $0.submitted == Day(iso: "2026-07-01") })
        #expect(tally.read == count && tally.accepted == expected.count)
        #expect(tally.findings.map(\.code) == Array(repeating: "unknown-team", count: count - expected.count))
    }
}
