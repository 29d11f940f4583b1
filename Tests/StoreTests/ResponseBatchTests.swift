import Foundation
import GRDB
import LeanPulseCore
@testable import Store
import TestSupport
import Testing

/// `ImportWriter` inserts responses `ResponseBatch.size` at a time; what it stores must be what one response at a time
/// stores: per respondent and period the latest response (by submission time, a tie or a missing time going to the
/// later line), every response without a respondent key, the rest counted as superseded.
@Suite(.removesTemporaryFiles) struct ResponseBatchTests {
    let agree = Scale(id: "a", min: 1, max: 5)
    var instrument: Instrument {
        Instrument(id: "t", version: "1", items: [Item(id: "q1", text: "Q1", scale: agree), Item(id: "q2", text: "Q2", scale: agree)],
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0, 1], role: .engagement)])
    }
    let survey = SourceConfig(id: "pulse", kind: .survey, format: .csv, path: "/x.csv", location: SourceLocation(file: "/p.yml"))

    struct Stored: Hashable {
        var period: String
        var key: String?
        var submitted: Int64?
        var answers: String
        var comment: String?
        var line: Int
    }

    /// Comments of every length the bound text buffers go through: none, empty, growing, shrinking.
    static let comments: [String?] = [nil, "", "x", String(repeating: "long ", count: 60), "é 😀", "", "ab"]

    /// Responses from a fixed pseudo-random sequence: `respondents` keys over two periods, every seventh without a key,
    /// submission times drawn from a small range (ties happen) or missing.
    func responses(count: Int, respondents: Int) -> [SurveyResponse] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let periods = [Period("2026-Q3")!, Period("2026-Q4")!]
        return (0..<count).map { i in
            let key = i % 7 == 3 ? nil : Pseudonym(hex: String(format: "%064x", next(respondents) + 1))!
            let submitted: Int64? = next(5) == 0 ? nil : Int64(next(40))
            // Periods in runs, as exports come, with a switch now and then.
            let period = periods[(i / 90) % 2]
            return SurveyResponse(respondentKey: key, teamId: "t\(next(3))", period: period, submitted: submitted,
                                  answers: [Int16(next(5) + 1), next(4) == 0 ? nil : Int16(next(5) + 1)], comment: Self.comments[next(Self.comments.count)],
                                  location: SourceLocation(file: "/x.csv", line: i + 2))
        }
    }

    /// What one response at a time keeps (the rule above, written out directly).
    func expected(_ responses: [SurveyResponse]) -> (kept: Set<Stored>, superseded: Int) {
        var latest: [String: SurveyResponse] = [:]
        var kept: [SurveyResponse] = []
        var superseded = 0
        for r in responses {
            guard let key = r.respondentKey else {
                kept.append(r)
                continue
            }
            let id = r.period.description + "/" + key.hex
            if let earlier = latest[id] {
                superseded += 1
                if (r.submitted ?? .min) >= (earlier.submitted ?? .min) { latest[id] = r }
            } else {
                latest[id] = r
            }
        }
        let stored = (kept + latest.values).map {
            Stored(period: $0.period.description, key: $0.respondentKey?.hex, submitted: $0.submitted,
                   answers: "[" + $0.answers.map { $0.map(String.init) ?? "null" }.joined(separator: ",") + "]", comment: $0.comment,
                   line: $0.location.line)
        }
        return (Set(stored), superseded)
    }

    func importAll(_ responses: [SurveyResponse]) throws -> (Set<Stored>, ImportCounts, Int) {
        let store = try LeanPulseStore(path: temporaryPath("lp-batch") + "/s.sqlite")
        let counts = try store.importTransaction { w -> ImportCounts in
            try w.beginImport(source: survey, pipeline: "test", sha256: String(repeating: "0", count: 64), instrument: instrument, importedAt: "now")
            for r in responses { try w.insert(r) }
            var findings: [DataQualityFinding] = []
            let c = try w.finishFile(ImportCounts(source: "pulse", file: "/x.csv", sha256: "f", read: responses.count,
                                                  accepted: responses.count), bytes: 1, findings: &findings)
            // One finding per superseded response, each at a response of this file.
            #expect(findings.count == c.superseded)
            #expect(findings.allSatisfy { $0.code == "duplicate-response" && $0.location.file == "/x.csv" })
            try w.finishImport()
            return c
        }
        let db = try DatabaseQueue(path: store.path)
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT period, respondent_key, submitted, answers, comment, source_line FROM responses ORDER BY id")
        }
        let stored = rows.map { Stored(period: $0[0], key: $0[1], submitted: $0[2], answers: $0[3], comment: $0[4], line: $0[5]) }
        #expect(Set(stored).count == stored.count)
        return (Set(stored), counts, stored.count)
    }

    @Test(arguments: [(count: 1, respondents: 1), (count: 63, respondents: 1_000), (count: 64, respondents: 1_000),
                      (count: 65, respondents: 1_000), (count: 1_000, respondents: 5_000), (count: 1_000, respondents: 150),
                      (count: 1_000, respondents: 20)])
    func storesWhatOneAtATimeWould(count: Int, respondents: Int) throws {
        let input = responses(count: count, respondents: respondents)
        let (stored, counts, rows) = try importAll(input)
        let (kept, superseded) = expected(input)
        #expect(stored == kept)
        #expect(rows == kept.count)
        #expect(counts.superseded == superseded)
        #expect(counts.accepted == count - superseded)
    }

    /// Full batches of responses without duplicates: the row ids the writer infers for a batch are the rows' own
    /// (a later response of the same respondent must replace exactly that row).
    @Test func aLaterResponseReplacesTheRowItsBatchWrote() throws {
        let first = responses(count: ResponseBatch.size * 3, respondents: 1_000_000)
        let again = first.enumerated().filter { $0.offset % 5 == 0 && $0.element.respondentKey != nil }.map { offset, r in
            SurveyResponse(respondentKey: r.respondentKey, teamId: "later", period: r.period, submitted: (r.submitted ?? 0) + 100,
                           answers: [5, 5], comment: nil, location: SourceLocation(file: "/x.csv", line: 10_000 + offset))
        }
        let (stored, counts, _) = try importAll(first + again)
        let (kept, superseded) = expected(first + again)
        #expect(superseded == again.count)
        #expect(counts.superseded == again.count)
        #expect(stored == kept)
    }

    @Test func theBatchStatementHasItsRowsParameters() {
        #expect(ResponseBatch.insertSQL.hasSuffix("(?1, ?2, ?3, ?\(4 + 6 * (ResponseBatch.size - 1)), ?\(5 + 6 * (ResponseBatch.size - 1)), "
            + "?\(6 + 6 * (ResponseBatch.size - 1)), ?\(7 + 6 * (ResponseBatch.size - 1)), ?\(8 + 6 * (ResponseBatch.size - 1)), "
            + "?\(9 + 6 * (ResponseBatch.size - 1)))"))
    }
}
