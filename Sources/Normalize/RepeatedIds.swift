/// The ids of the records read so far from one file, to find an id listed twice, exactly (bytes compared), with the line
/// of its first record: an ideas log that lists an idea twice would otherwise count it twice.
///
/// Every id is kept once, in one buffer: its bytes, a NUL (no reader lets a NUL through) and its line as four bytes,
/// about 12 bytes an idea for the bench's ids (72 MB for 6M ideas). Ideas logs are usually written in id order, and
/// while every id sorts after the one before (shorter first, then bytewise: `9` < `10`, `I0009` < `I0010`) none can repeat
/// an earlier one, so the ids are only appended: no hashing, no table, no cache miss. The first id out of that order
/// builds an open-addressing table over all ids so far, and from then on every id is looked up in it.
struct RepeatedIds {
    private var buffer: [UInt8] = []
    /// Where the previous id starts in `buffer` (-1 before the first).
    private var previous = -1
    private var ordered = true
    /// Open addressing, built at the first id out of order: `buffer` offset + 1 of an id, 0 for an empty slot.
    private var table: [Int] = []
    private var count = 0

    /// The line of the first record with `id`, or nil when `id` is new (it is then remembered, at `line`).
    mutating func firstLine(of id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        if ordered {
            if previous < 0 || sortsAfterPrevious(id) {
                append(id, line: line)
                return nil
            }
            ordered = false
            rebuild(capacity: Swift.max(1024, (count + 1) * 4))
        }
        var slot = Self.hash(id) & (table.count - 1)
        while table[slot] != 0 {
            let start = table[slot] - 1
            if equal(id, at: start) { return storedLine(at: start + id.count + 1) }
            slot = (slot + 1) & (table.count - 1)
        }
        let start = buffer.count
        append(id, line: line)
        table[slot] = start + 1
        if count * 2 > table.count { rebuild(capacity: table.count * 2) }
        return nil
    }

    private func sortsAfterPrevious(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        buffer.withUnsafeBufferPointer { b in
            var end = previous
            while b[end] != 0 { end += 1 }
            return Self.sortsAfter(id, UnsafeBufferPointer(rebasing: b[previous..<end]))
        }
    }

    private mutating func append(_ id: UnsafeBufferPointer<UInt8>, line: Int) {
        previous = buffer.count
        buffer.append(contentsOf: id)
        buffer.append(0)
        let stored = UInt32(truncatingIfNeeded: Swift.min(line, Int(UInt32.max)))
        withUnsafeBytes(of: stored.littleEndian) { buffer.append(contentsOf: $0) }
        count += 1
    }

    private func storedLine(at offset: Int) -> Int {
        buffer.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
    }

    private func equal(_ id: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        buffer.withUnsafeBufferPointer { b in
            guard start + id.count < b.count, b[start + id.count] == 0 else { return false }
            for i in 0..<id.count where b[start + i] != id[i] { return false }
            return true
        }
    }

    /// A table of `capacity` slots (a power of two) over every id kept so far.
    private mutating func rebuild(capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        var table = [Int](repeating: 0, count: size)
        buffer.withUnsafeBufferPointer { b in
            var start = 0
            while start < b.count {
                var end = start
                while b[end] != 0 { end += 1 }
                var slot = Self.hash(UnsafeBufferPointer(rebasing: b[start..<end])) & (size - 1)
                while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = start + 1
                start = end + 5
            }
        }
        self.table = table
    }

    /// Shorter ids first, then bytewise: the order of numbered ids, padded or not.
    static func sortsAfter(_ id: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        if id.count != other.count { return id.count > other.count }
        for i in 0..<id.count where id[i] != other[i] { return id[i] > other[i] }
        return false
    }

    /// FNV-1a, finished with a multiply so that ids differing in their last byte spread over the table.
    static func hash(_ id: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        hash = (hash ^ (hash >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (hash ^ (hash >> 29)) >> 1)
    }
}
