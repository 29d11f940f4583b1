import LeanPulseCore
import Testing

struct ResponseColumnsTests {
    static func response(_ i: Int, answers: [Int16?]) -> SurveyResponse {
        SurveyResponse(respondentKey: i % 2 == 0 ? Pseudonym(w0: UInt64(i), w1: 1, w2: 2, w3: 3) : nil, teamId: "team-\(i)",
                       period: Period(year: 2026, quarter: 1 + i % 4), submitted: i % 3 == 0 ? nil : Int64(1_700_000_000 + i),
                       answers: answers, comment: i % 3 == 1 ? nil : String(repeating: "c", count: i * 7),
                       location: SourceLocation(file: "/x.csv", line: i + 2, column: 1))
    }

    /// Responses come back as they went in: keys, periods, times, answers (unanswered included), comments, lines.
    @Test func everyResponseComesBackAsItWent() {
        let responses = (0..<12).map { i in Self.response(i, answers: (0..<5).map { j in (i + j) % 4 == 0 ? nil : Int16(j - i) }) }
        let columns = ResponseColumns(itemCount: 5, capacity: responses.count)
        for response in responses { columns.append(response) }
        #expect(columns.isFull && (0..<columns.count).map { columns[$0] } == responses)
    }

    /// A response given up after some of its answers were written leaves nothing in the next one.
    @Test func aResponseGivenUpLeavesNoAnswersBehind() {
        let columns = ResponseColumns(itemCount: 4, capacity: 2)
        let abandoned = columns.pendingAnswers()
        abandoned[0] = 5
        abandoned[3] = 2
        let slots = columns.pendingAnswers()
        #expect(slots.allSatisfy { $0 == ResponseColumns.noAnswer })
        slots[1] = 3
        var team = "t"
        team.withUTF8 { columns.append(teamId: $0, respondentKey: nil, period: Period(year: 2026, quarter: 3), submitted: nil,
                                       comment: nil, file: "/x.csv", line: 2, column: 1) }
        #expect(columns[0].answers == [nil, 3, nil, nil])
    }
}
