/// The ids of the records read so far from one file, to find an id listed twice, exactly (bytes compared), with the line
/// of its first record: an ideas log that lists an idea twice would otherwise count it twice.
///
/// Ideas logs are usually written in id order, often numbered one after the other (`1, 2, 3` or `I0001, I0002`), one
/// record a line. So the ids are kept as **entries**: an id, its line, and how many ids follow it one by one (the same
/// length, the trailing digits counting up by one, on consecutive lines). The bench's 6M ideas are one entry. While every
/// id sorts after the one before (shorter first, then bytewise: `9` < `10`, `I0009` < `I0010`), none can repeat an earlier
/// one: ids are only appended or extend the last entry, with no hashing and no table. The first id out of that order
/// builds an index of everything kept (single ids in an open-addressing table, longer entries by their stem and digit
/// width, searched by bisection), and from then on every id is looked up and single ids are added to the table.
struct RepeatedIds {
    /// Entries back to back: the id's bytes, a NUL (no reader lets a NUL through), its line and its count, four bytes each.
    private var buffer: [UInt8] = []
    /// The id that would extend the last entry (the last id with its trailing digits counted up by one), as up to 16
    /// bytes in two words, and its length (-1: none, for an id without trailing digits, ending in 9s only, or longer than
    /// 16 bytes). Compared as two words and counted up in place: about 30 instructions an idea, where arrays cost 300.
    private var expected: (UInt64, UInt64) = (0, 0)
    private var expectedLength = -1
    /// The last id, when there is no `expected` (for the order check).
    private var lastId: [UInt8] = []
    private var lastLine = 0
    /// How many ids the last entry holds so far (written into `buffer` when the entry closes).
    private var openCount = 0
    private var ordered = true
    /// Index, once out of order: single ids (`buffer` offset + 1, 0 for an empty slot) ...
    private var table: [Int] = []
    private var singles = 0
    /// ... and entries of several ids, by stem (the id before its trailing digits) and digit width, in id order.
    private var runs: [RunKey: [Run]] = [:]

    struct Digits: Equatable {
        var width: Int
        var value: UInt64
    }
    private struct RunKey: Hashable {
        var stem: [UInt8]
        var width: Int
    }
    private struct Run {
        var first: UInt64
        var count: Int
        var line: Int
    }

    /// The line of the first record with `id`, or nil when `id` is new (it is then remembered, at `line`).
    /// The common case, the id after the last one on the next line, is inlined into the caller and touches no array.
    @inline(__always)
    mutating func firstLine(of id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        if id.count == expectedLength, line == lastLine + 1, Self.words(id) == expected, ordered {
            lastLine = line
            openCount += 1
            if !Self.countUp(&expected, length: expectedLength) { noLongerCounting(id) }
            return nil
        }
        return firstLineOtherwise(of: id, line: line)
    }

    @inline(never)
    private mutating func noLongerCounting(_ id: UnsafeBufferPointer<UInt8>) {
        expectedLength = -1
        lastId = Array(id)
    }

    @inline(never)
    private mutating func firstLineOtherwise(of id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        if ordered {
            let previous = expectedLength >= 0 ? Self.countedDown(withUnsafeBytes(of: expected) { Array($0.prefix(expectedLength)) }) : lastId
            if buffer.isEmpty || previous.withUnsafeBufferPointer({ Self.sortsAfter(id, $0) }) {
                closeEntry()
                append(id, line: line)
                openCount = 1
                lastLine = line
                var next = Array(id)
                if id.count <= 16, Self.countUp(&next) {
                    expected = next.withUnsafeBufferPointer { Self.words($0) }
                    expectedLength = id.count
                } else {
                    expectedLength = -1
                    lastId = Array(id)
                }
                return nil
            }
            closeEntry()
            ordered = false
            buildIndex()
        }
        if let first = singleLine(of: id) ?? runLine(of: id) { return first }
        let start = buffer.count
        append(id, line: line)
        insertSingle(start, id)
        singles += 1
        if singles * 2 > table.count { rebuildTable(capacity: table.count * 2) }
        return nil
    }

    /// Counts the trailing digits up by one in place (`I0099` -> `I0100`); false when there are none or they are all 9s
    /// (the next id would be longer, so it does not extend the entry).
    static func countUp(_ id: inout [UInt8]) -> Bool {
        id.withUnsafeMutableBytes { countUp($0, length: $0.count) }
    }

    /// `countUp` on the first `length` bytes of `bytes`.
    @inline(__always)
    static func countUp(_ bytes: UnsafeMutableRawBufferPointer, length: Int) -> Bool {
        var i = length - 1
        while i >= 0, bytes[i] &- 48 < 10 {
            if bytes[i] != UInt8(ascii: "9") {
                bytes[i] += 1
                return true
            }
            bytes[i] = UInt8(ascii: "0")
            i -= 1
        }
        return false
    }

    /// `countUp` undone: the id before `id`.
    static func countedDown(_ id: [UInt8]) -> [UInt8] {
        var id = id
        var i = id.count - 1
        while i >= 0 {
            if id[i] != UInt8(ascii: "0") {
                id[i] -= 1
                break
            }
            id[i] = UInt8(ascii: "9")
            i -= 1
        }
        return id
    }


    private mutating func append(_ id: UnsafeBufferPointer<UInt8>, line: Int) {
        buffer.append(contentsOf: id)
        buffer.append(0)
        let stored = UInt32(truncatingIfNeeded: Swift.min(line, Int(UInt32.max)))
        withUnsafeBytes(of: stored.littleEndian) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(1).littleEndian) { buffer.append(contentsOf: $0) }
    }

    /// Writes the last entry's count (ordered phase: the last entry is the last in the buffer).
    private mutating func closeEntry() {
        guard openCount > 1 else { return }
        let at = buffer.count - 4
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: openCount).littleEndian) { bytes in
            for i in 0..<4 { buffer[at + i] = bytes[i] }
        }
        openCount = 1
    }

    /// An id of at most 16 bytes as two words (zero-filled): compared at once, counted up in place.
    @inline(__always)
    static func words(_ id: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(id)) }
        return words
    }

    /// `countUp` on the first `length` bytes of two words.
    @inline(__always)
    static func countUp(_ words: inout (UInt64, UInt64), length: Int) -> Bool {
        withUnsafeMutableBytes(of: &words) { countUp($0, length: length) }
    }

    private func word(at offset: Int) -> Int {
        buffer.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
    }

    /// Every entry: where its id starts and ends, its line and its count.
    private func forEachEntry(_ body: (Int, Int, Int, Int) -> Void) {
        var start = 0
        while start < buffer.count {
            var end = start
            while buffer[end] != 0 { end += 1 }
            body(start, end, word(at: end + 1), word(at: end + 5))
            start = end + 9
        }
    }

    /// Single ids into the table, entries of several ids into `runs`.
    private mutating func buildIndex() {
        var single = 0
        var runs: [RunKey: [Run]] = [:]
        buffer.withUnsafeBufferPointer { b in
            forEachEntry { start, end, line, count in
                guard count > 1 else { single += 1; return }
                let id = UnsafeBufferPointer(rebasing: b[start..<end])
                let digits = Self.trailingDigits(id)!
                runs[RunKey(stem: Array(id.prefix(id.count - digits.width)), width: digits.width), default: []]
                    .append(Run(first: digits.value, count: count, line: line))
            }
        }
        self.runs = runs
        singles = single
        rebuildTable(capacity: Swift.max(1024, single * 4))
    }

    private mutating func rebuildTable(capacity: Int) {
        var size = 1
        while size < capacity { size <<= 1 }
        table = [Int](repeating: 0, count: size)
        var entries: [(Int, Int)] = []
        forEachEntry { start, end, _, count in if count == 1 { entries.append((start, end)) } }
        for (start, end) in entries {
            buffer.withUnsafeBufferPointer { b in insertSingle(start, UnsafeBufferPointer(rebasing: b[start..<end])) }
        }
    }

    private mutating func insertSingle(_ start: Int, _ id: UnsafeBufferPointer<UInt8>) {
        var slot = Self.hash(id) & (table.count - 1)
        while table[slot] != 0 { slot = (slot + 1) & (table.count - 1) }
        table[slot] = start + 1
    }

    private func singleLine(of id: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Self.hash(id) & (table.count - 1)
        while table[slot] != 0 {
            let start = table[slot] - 1
            if equal(id, at: start) { return word(at: start + id.count + 1) }
            slot = (slot + 1) & (table.count - 1)
        }
        return nil
    }

    private func runLine(of id: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !runs.isEmpty, let digits = Self.trailingDigits(id),
              let spans = runs[RunKey(stem: Array(id.prefix(id.count - digits.width)), width: digits.width)] else { return nil }
        // The last span starting at or before the value.
        var low = 0, high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].first <= digits.value { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let span = spans[low - 1]
        let offset = digits.value - span.first
        return offset < UInt64(span.count) ? span.line + Int(offset) : nil
    }

    private func equal(_ id: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        buffer.withUnsafeBufferPointer { b in
            guard start + id.count < b.count, b[start + id.count] == 0 else { return false }
            for i in 0..<id.count where b[start + i] != id[i] { return false }
            return true
        }
    }

    /// The id's trailing decimal digits: how many and their value; nil without any or with more than 18.
    static func trailingDigits(_ id: UnsafeBufferPointer<UInt8>) -> Digits? {
        var width = 0, value: UInt64 = 0, scale: UInt64 = 1
        var i = id.count
        while i > 0, id[i - 1] &- 48 < 10 {
            guard width < 18 else { return nil }
            value += UInt64(id[i - 1] - 48) * scale
            scale *= 10
            width += 1
            i -= 1
        }
        return width > 0 ? Digits(width: width, value: value) : nil
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
