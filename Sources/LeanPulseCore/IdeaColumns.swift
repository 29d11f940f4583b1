/// Normalize -> Store: a batch of ideas in columns, the bulk form of `Idea` (DECISIONS 31).
///
/// An ideas log is millions of short records: as `Idea` values each one made up to four `String`s, copied them into the
/// hand-over between the threads and released them again, about a third of an idea's ingest. Here the texts of every
/// idea are UTF-8 bytes back to back in one buffer and the days are integers, so appending an idea allocates nothing
/// once the text buffer has grown, and the store encodes its block straight from the bytes.
///
/// A class over raw memory rather than a struct of arrays: `Array.append(contentsOf:)` cost more per idea than the rest
/// of the append (callgrind). A batch has one owner at a time: the normalizer fills it, hands it on and starts a new
/// one, and the store reads it on its own thread (hence `@unchecked Sendable`).
public final class IdeaColumns: @unchecked Sendable {
    /// Ideas a batch holds before the normalizer hands it on: one store block.
    public static let blockSize = 2048
    /// `Int32.min` in a day column: no such day.
    private static let noDay = Int32.min

    /// The most ideas this batch holds.
    public let capacity: Int
    @exclusivity(unchecked) public private(set) var count = 0
    /// The texts of all ideas: per idea its id, team id, status and submitter key, in that order.
    @exclusivity(unchecked) private var text: ByteArena
    /// Per idea four end offsets into `text` (id, team, status, submitter); a text starts where the one before ends.
    private let ends: UnsafeMutablePointer<Int>
    /// Per idea three day ordinals: submitted, implemented, rejected (`noDay` where absent).
    private let days: UnsafeMutablePointer<Int32>
    /// Per idea: bit 0 set when it has a status, bit 1 when it has a submitter key.
    private let present: UnsafeMutablePointer<UInt8>

    public init(capacity: Int = IdeaColumns.blockSize) {
        precondition(capacity > 0, "an idea batch holds at least one idea")
        self.capacity = capacity
        text = ByteArena(capacity: capacity * 32)
        ends = .allocate(capacity: capacity * 4)
        days = .allocate(capacity: capacity * 3)
        present = .allocate(capacity: capacity)
    }

    deinit {
        ends.deallocate()
        days.deallocate()
        present.deallocate()
    }

    public var isEmpty: Bool { count == 0 }
    public var isFull: Bool { count == capacity }

    /// Appends one idea; its texts are UTF-8 (not checked here: the readers validated them).
    public func append(id: UnsafeBufferPointer<UInt8>, teamId: UnsafeBufferPointer<UInt8>, submitted: Day, implemented: Day?,
                       rejected: Day?, status: UnsafeBufferPointer<UInt8>?, submitterKey: UnsafeBufferPointer<UInt8>?) {
        precondition(count < capacity, "the idea batch is full")
        let e = ends + count * 4
        text.append(id)
        e[0] = text.count
        text.append(teamId)
        e[1] = text.count
        if let status { text.append(status) }
        e[2] = text.count
        if let submitterKey { text.append(submitterKey) }
        e[3] = text.count
        let d = days + count * 3
        d[0] = submitted.ordinal
        d[1] = implemented?.ordinal ?? Self.noDay
        d[2] = rejected?.ordinal ?? Self.noDay
        present[count] = (status == nil ? 0 : 1) | (submitterKey == nil ? 0 : 2)
        count += 1
    }

    /// Appends `idea`.
    public func append(_ idea: Idea) {
        var id = idea.id, team = idea.teamId, status = idea.status, key = idea.submitterKey
        id.withUTF8 { id in
            team.withUTF8 { team in
                status.withUTF8IfPresent { status in
                    key.withUTF8IfPresent { key in
                        append(id: id, teamId: team, submitted: idea.submitted, implemented: idea.implemented,
                               rejected: idea.rejected, status: status, submitterKey: key)
                    }
                }
            }
        }
    }

    /// Idea `index`; its texts point into the batch and are valid while the batch is and unchanged.
    @inline(__always)
    public func row(_ index: Int) -> Row {
        precondition(index >= 0 && index < count, "idea index out of range")
        let e = ends + index * 4
        let start = index == 0 ? 0 : e[-1]
        let flags = present[index]
        let d = days + index * 3
        let text = text.base
        return Row(id: UnsafeBufferPointer(start: text + start, count: e[0] - start),
                   teamId: UnsafeBufferPointer(start: text + e[0], count: e[1] - e[0]),
                   status: flags & 1 != 0 ? UnsafeBufferPointer(start: text + e[1], count: e[2] - e[1]) : nil,
                   submitterKey: flags & 2 != 0 ? UnsafeBufferPointer(start: text + e[2], count: e[3] - e[2]) : nil,
                   submitted: d[0], implemented: d[1] == Self.noDay ? nil : d[1], rejected: d[2] == Self.noDay ? nil : d[2])
    }

    /// Idea `index` as a value (tests, single ideas).
    public subscript(index: Int) -> Idea {
        let row = row(index)
        return Idea(id: String(decoding: row.id, as: UTF8.self), teamId: String(decoding: row.teamId, as: UTF8.self),
                    submitted: Day(ordinal: row.submitted), implemented: row.implemented.map(Day.init(ordinal:)),
                    rejected: row.rejected.map(Day.init(ordinal:)), status: row.status.map { String(decoding: $0, as: UTF8.self) },
                    submitterKey: row.submitterKey.map { String(decoding: $0, as: UTF8.self) })
    }

    /// One idea of a batch: texts as UTF-8 bytes inside the batch, days as ordinals (days since 1970-01-01).
    public struct Row {
        public var id: UnsafeBufferPointer<UInt8>
        public var teamId: UnsafeBufferPointer<UInt8>
        public var status: UnsafeBufferPointer<UInt8>?
        public var submitterKey: UnsafeBufferPointer<UInt8>?
        public var submitted: Int32
        public var implemented: Int32?
        public var rejected: Int32?
    }
}
