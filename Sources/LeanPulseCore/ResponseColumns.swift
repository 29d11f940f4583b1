/// Normalize -> Store: a batch of survey responses in columns, the bulk form of `SurveyResponse` (DECISIONS 31).
///
/// A `SurveyResponse` is an array of answers, a boxed enum case and up to two `String`s: on Linux every array
/// allocation looks its storage class up in the runtime's generic-metadata cache (about 900 instructions with the
/// malloc and free), so the value cost more than a tenth of a response's ingest. Here the answers of all responses are
/// one block of `Int16`s, the texts one block of UTF-8, and the rest fixed-size columns; the normalizer writes a
/// response's answers in place and the store reads them from there.
///
/// A class over raw memory for the reason `IdeaColumns` is one: a batch has one owner at a time (the normalizer fills
/// it and hands it on, the store reads it on its own thread), hence `@unchecked Sendable`.
public final class ResponseColumns: @unchecked Sendable {
    /// Responses a batch holds before the normalizer hands it on.
    public static let batchSize = 1024
    /// An answer slot holding this is not answered. Scales lie within ±32,767 (the instrument loader checks), so no
    /// answer is this value.
    public static let noAnswer = Int16.min

    public let capacity: Int
    /// Answers per response: the instrument's items, in its order.
    public let itemCount: Int
    @exclusivity(unchecked) public private(set) var count = 0
    /// The file the responses come from (of the first one: a batch holds one file's responses).
    @exclusivity(unchecked) public private(set) var file = ""

    private let answers: UnsafeMutablePointer<Int16>
    /// Per response: team id then comment, UTF-8, back to back.
    @exclusivity(unchecked) private var text: ByteArena
    /// Per response two end offsets into `text`: team id, comment.
    private let ends: UnsafeMutablePointer<Int>
    private let keys: UnsafeMutablePointer<Pseudonym>
    private let periods: UnsafeMutablePointer<Period>
    private let submitted: UnsafeMutablePointer<Int64>
    /// Per response its line and column in the file.
    private let positions: UnsafeMutablePointer<(line: Int, column: Int)>
    /// Per response: bit 0 a respondent key, bit 1 a submission time, bit 2 a comment.
    private let present: UnsafeMutablePointer<UInt8>

    public init(itemCount: Int, capacity: Int = ResponseColumns.batchSize) {
        precondition(capacity > 0 && itemCount >= 0, "a response batch holds at least one response")
        self.capacity = capacity
        self.itemCount = itemCount
        answers = .allocate(capacity: Swift.max(capacity * itemCount, 1))
        text = ByteArena(capacity: capacity * 16)
        ends = .allocate(capacity: capacity * 2)
        keys = .allocate(capacity: capacity)
        periods = .allocate(capacity: capacity)
        submitted = .allocate(capacity: capacity)
        positions = .allocate(capacity: capacity)
        present = .allocate(capacity: capacity)
    }

    deinit {
        answers.deallocate()
        ends.deallocate()
        keys.deallocate()
        periods.deallocate()
        submitted.deallocate()
        positions.deallocate()
        present.deallocate()
    }

    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { count == capacity }

    /// The answer slots of the next response, every one set to `noAnswer` by this call: write its answers here, then
    /// `append` the rest of it. Only `append` makes a response part of the batch, so a response given up after some
    /// of its answers were written leaves nothing behind: the next call clears the slots again.
    @inline(__always)
    public func pendingAnswers() -> UnsafeMutableBufferPointer<Int16> {
        precondition(count < capacity, "the response batch is full")
        let slots = UnsafeMutableBufferPointer(start: answers + count * itemCount, count: itemCount)
        slots.update(repeating: Self.noAnswer)
        return slots
    }

    /// Makes the response whose answers are in `pendingAnswers` part of the batch, with its other columns.
    public func append(teamId: UnsafeBufferPointer<UInt8>, respondentKey: Pseudonym?, period: Period, submitted time: Int64?,
                       comment: UnsafeBufferPointer<UInt8>?, file: @autoclosure () -> String, line: Int, column: Int) {
        precondition(count < capacity, "the response batch is full")
        if count == 0 { self.file = file() }
        let e = ends + count * 2
        text.append(teamId)
        e[0] = text.count
        if let comment { text.append(comment) }
        e[1] = text.count
        // Trivial values: assigned into the raw columns; an absent key's slot is never read.
        if let respondentKey { keys[count] = respondentKey }
        periods[count] = period
        submitted[count] = time ?? 0
        positions[count] = (line, column)
        present[count] = (respondentKey == nil ? 0 : 1) | (time == nil ? 0 : 2) | (comment == nil ? 0 : 4)
        count += 1
    }

    /// Appends `response` (its answers must be `itemCount` long).
    public func append(_ response: SurveyResponse) {
        precondition(response.answers.count == itemCount, "a response of \(response.answers.count) answers in a batch of \(itemCount)")
        let slots = pendingAnswers()
        for (i, answer) in response.answers.enumerated() {
            precondition(answer != Self.noAnswer, "an answer of \(Self.noAnswer) (a scale lies within ±32,767)")
            slots[i] = answer ?? Self.noAnswer
        }
        var team = response.teamId, comment = response.comment
        team.withUTF8 { team in
            comment.withUTF8IfPresent { comment in
                append(teamId: team, respondentKey: response.respondentKey, period: response.period, submitted: response.submitted,
                       comment: comment, file: response.location.file, line: response.location.line, column: response.location.column)
            }
        }
    }

    /// Response `index`; its texts and answers point into the batch and are valid while the batch is and unchanged.
    @inline(__always)
    public func row(_ index: Int) -> Row {
        precondition(index >= 0 && index < count, "response index out of range")
        let e = ends + index * 2
        let start = index == 0 ? 0 : e[-1]
        let flags = present[index]
        let text = text.base
        return Row(teamId: UnsafeBufferPointer(start: text + start, count: e[0] - start),
                   respondentKey: flags & 1 != 0 ? keys[index] : nil, period: periods[index],
                   submitted: flags & 2 != 0 ? submitted[index] : nil,
                   answers: UnsafeBufferPointer(start: answers + index * itemCount, count: itemCount),
                   comment: flags & 4 != 0 ? UnsafeBufferPointer(start: text + e[0], count: e[1] - e[0]) : nil,
                   line: positions[index].line, column: positions[index].column)
    }

    /// Response `index` as a value (tests, validate).
    public subscript(index: Int) -> SurveyResponse {
        let row = row(index)
        return SurveyResponse(respondentKey: row.respondentKey, teamId: String(decoding: row.teamId, as: UTF8.self), period: row.period,
                              submitted: row.submitted, answers: row.answers.map { $0 == Self.noAnswer ? nil : $0 },
                              comment: row.comment.map { String(decoding: $0, as: UTF8.self) },
                              location: SourceLocation(file: file, line: row.line, column: positions[index].column))
    }

    /// One response of a batch: texts as UTF-8 inside the batch, answers in item order (`noAnswer` where none).
    public struct Row {
        public var teamId: UnsafeBufferPointer<UInt8>
        public var respondentKey: Pseudonym?
        public var period: Period
        public var submitted: Int64?
        public var answers: UnsafeBufferPointer<Int16>
        public var comment: UnsafeBufferPointer<UInt8>?
        public var line: Int
        public var column: Int
    }
}
