import LeanPulseCore
import Testing

struct IdeaColumnsTests {
    /// A text of `length` bytes, multi-byte characters included where it is long enough.
    static func text(_ length: Int, seed: Int) -> String {
        var bytes: [UInt8] = []
        var i = seed
        while bytes.count < length {
            if length - bytes.count >= 2 && i % 5 == 0 {
                bytes += Array("é".utf8)
            } else {
                bytes.append(UInt8(ascii: "a") + UInt8(i % 26))
            }
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every text length the copy treats differently (0-3, 4-7, 8-16, longer), with and without status and key,
    /// comes back byte for byte, with its days.
    @Test func everyIdeaComesBackAsItWent() {
        var ideas: [Idea] = []
        for length in 0...40 {
            ideas.append(Idea(id: Self.text(length + 1, seed: length), teamId: Self.text(length % 19, seed: 3 * length),
                              submitted: Day(ordinal: Int32(20_000 + length)),
                              implemented: length % 3 == 0 ? Day(ordinal: Int32(20_100 + length)) : nil,
                              rejected: length % 3 == 1 ? Day(ordinal: -Int32(length)) : nil,
                              status: length % 4 == 0 ? nil : Self.text(length, seed: 7 * length),
                              submitterKey: length % 5 == 0 ? Self.text(64, seed: length) : nil))
        }
        let columns = IdeaColumns(capacity: ideas.count)
        for idea in ideas { columns.append(idea) }
        #expect(columns.count == ideas.count && columns.isFull && !columns.isEmpty)
        #expect((0..<columns.count).map { columns[$0] } == ideas)
        for (index, idea) in ideas.enumerated() {
            let row = columns.row(index)
            #expect(Array(row.id) == Array(idea.id.utf8))
            #expect(Array(row.teamId) == Array(idea.teamId.utf8))
            #expect(row.status.map(Array.init) == idea.status.map { Array($0.utf8) })
            #expect(row.submitted == idea.submitted.ordinal && row.implemented == idea.implemented?.ordinal
                    && row.rejected == idea.rejected?.ordinal)
        }
    }

    /// Texts longer than the batch's first buffer make it grow without losing what it held.
    @Test func growsPastItsFirstTextBuffer() {
        let columns = IdeaColumns(capacity: 3)
        let ideas = (0..<3).map { Idea(id: Self.text(100 + $0, seed: $0), teamId: Self.text(50, seed: 9), submitted: Day(ordinal: 1),
                                       status: Self.text(70, seed: $0)) }
        for idea in ideas { columns.append(idea) }
        #expect((0..<3).map { columns[$0] } == ideas)
    }

    @Test func anEmptyBatch() {
        let columns = IdeaColumns()
        #expect(columns.isEmpty && !columns.isFull && columns.capacity == IdeaColumns.blockSize)
    }
}
