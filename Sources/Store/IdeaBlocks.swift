import LeanPulseCore

/// Ideas are stored in blocks of up to `IdeaBlock.capacity` ideas per row of `idea_blocks` (docs/STORE.md,
/// DECISIONS "Ideas stored in blocks"): one SQLite row per idea made the ideas log the slowest part of a run
/// (about 2 µs of SQLite work per row, 6 million rows at 1M employees). A block is a JSON array of rows,
/// each row `[idea_id, team_id, submitted_day, implemented_day, rejected_day, status, submitter_key]`
/// (days since 1970-01-01 as integers, `null` where absent), so the `ideas` view can unpack it with
/// `json_each` for analysts.
enum IdeaBlock {
    /// Ideas per block: about 100 KB of text, small enough to stay flat in memory, large enough that
    /// SQLite's per-row cost vanishes.
    static let capacity = IdeaColumns.blockSize

    /// A stored idea breaks a rule the per-row table enforced with CHECKs (now checked here, before encoding).
    struct InvalidIdea: Error, CustomStringConvertible {
        var description: String
    }

    /// The former table CHECKs of `ideas`, kept for every idea written.
    static func check(_ idea: IdeaColumns.Row) throws {
        func fail(_ rule: String) -> InvalidIdea {
            InvalidIdea(description: "idea \(String(decoding: idea.id, as: UTF8.self)): \(rule)")
        }
        if let implemented = idea.implemented, implemented < idea.submitted { throw fail("implemented before it was submitted") }
        if let rejected = idea.rejected, rejected < idea.submitted { throw fail("rejected before it was submitted") }
        if idea.implemented != nil && idea.rejected != nil { throw fail("both implemented and rejected") }
        if let key = idea.submitterKey, key.count != 64 { throw fail("a submitter key is a 64-character pseudonym") }
    }

    static func check(_ idea: Idea) throws {
        let one = IdeaColumns(capacity: 1)
        one.append(idea)
        try check(one.row(0))
    }

    /// Builds the JSON text of one block.
    struct Encoder {
        /// The block's text is `storage[..<used]`; each idea is written in place through a pointer, after making room
        /// for its worst case (appending to an array piece by piece checked its uniqueness and capacity each time).
        private var storage: [UInt8] = Array(repeating: 0, count: capacity * 64)
        private var used = 0
        private(set) var count = 0

        init() {}

        /// Appends idea `row` (its texts are the batch's valid UTF-8).
        mutating func append(_ row: IdeaColumns.Row) {
            // At most 6 bytes per byte of text (\u00XX), 11 per integer, plus punctuation.
            let texts = row.id.count + row.teamId.count + (row.status?.count ?? 0) + (row.submitterKey?.count ?? 0)
            let worst = 6 * texts + 3 * 11 + 32
            if storage.count < used + worst + 1 { storage += Array(repeating: 0, count: Swift.max(storage.count, worst + 1)) }
            let first = count == 0
            let start = used
            used += storage.withUnsafeMutableBufferPointer { buffer in
                var out = JSONWriter(buffer.baseAddress! + start)
                out.byte(first ? UInt8(ascii: "[") : UInt8(ascii: ","))
                out.byte(UInt8(ascii: "["))
                out.string(row.id)
                out.byte(UInt8(ascii: ","))
                out.string(row.teamId)
                out.byte(UInt8(ascii: ","))
                out.integer(row.submitted)
                out.byte(UInt8(ascii: ","))
                out.integer(row.implemented)
                out.byte(UInt8(ascii: ","))
                out.integer(row.rejected)
                out.byte(UInt8(ascii: ","))
                out.string(row.status)
                out.byte(UInt8(ascii: ","))
                out.string(row.submitterKey)
                out.byte(UInt8(ascii: "]"))
                return out.count
            }
            count += 1
        }

        /// The finished block (valid until the next change).
        mutating func finish() -> ArraySlice<UInt8> {
            if count > 0 {
                storage[used] = UInt8(ascii: "]")
                used += 1
            }
            return storage[..<used]
        }

        mutating func reset() {
            used = 0
            count = 0
        }
    }

    /// Writes JSON values at a pointer whose buffer the caller sized for the worst case.
    private struct JSONWriter {
        let start: UnsafeMutablePointer<UInt8>
        private(set) var count = 0

        init(_ start: UnsafeMutablePointer<UInt8>) { self.start = start }

        mutating func byte(_ b: UInt8) {
            start[count] = b
            count += 1
        }

        mutating func null() {
            UnsafeMutableRawPointer(start + count).storeBytes(of: UInt32(littleEndian: 0x6C6C_756E), as: UInt32.self)  // "null"
            count += 4
        }

        mutating func integer(_ value: Int32?) {
            guard let value else { return null() }
            count += DecimalText.write(Int(value), at: start + count)
        }

        static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }

        /// A JSON string: `"` and `\` escaped, control characters as `\u00XX`; everything else as UTF-8.
        mutating func string(_ utf8: UnsafeBufferPointer<UInt8>?) {
            guard let utf8 else { return null() }
            byte(0x22)
            // Most values need no escape: copied as they are checked, and that is all.
            let n = utf8.count, target = start + count
            var i = 0
            if let source = utf8.baseAddress {
                while i < n {
                    let b = source[i]
                    if b < 0x20 || b == 0x22 || b == 0x5C { break }
                    target[i] = b
                    i &+= 1
                }
            }
            if i == n {
                count += n
            } else {
                for b in utf8 {
                    if b >= 0x20 && b != 0x22 && b != 0x5C {
                        byte(b)
                    } else if b == 0x22 || b == 0x5C {
                        byte(0x5C)
                        byte(b)
                    } else {
                        for e in "\\u00".utf8 { byte(e) }
                        byte(Self.hexDigit(b >> 4))
                        byte(Self.hexDigit(b & 15))
                    }
                }
            }
            byte(0x22)
        }
    }

    /// The block text is not what `Encoder` writes.
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "a stored idea block is malformed at byte \(offset)" }
    }

    /// One decoded row: the fields loading needs (the id and status are skipped, not decoded).
    struct Row {
        var teamId: UnsafeBufferPointer<UInt8>
        /// True when `teamId` still holds JSON escapes (decode it with `Decoder.unescape`).
        var teamIdEscaped: Bool
        var submitted: Int32
        var implemented: Int32?
        var rejected: Int32?
        var submitterKey: UnsafeBufferPointer<UInt8>?
        var submitterKeyEscaped: Bool
    }

    /// Walks the rows of a block written by `Encoder` (strict: anything else is `Malformed`).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, _ body: (Row) throws -> Void) throws {
        guard let base = text.baseAddress, text.count > 0 else { return }
        var p = 0
        let end = text.count
        func fail() -> Malformed { Malformed(offset: p) }
        func expect(_ byte: UInt8) throws {
            guard p < end, base[p] == byte else { throw fail() }
            p += 1
        }
        /// A string's content (escapes left in place) or nil for `null`.
        func string() throws -> (UnsafeBufferPointer<UInt8>, Bool)? {
            guard p < end else { throw fail() }
            if base[p] == UInt8(ascii: "n") {
                p += 4
                guard p <= end else { throw fail() }
                return nil
            }
            try expect(0x22)
            let start = p
            var escaped = false
            while p < end, base[p] != 0x22 {
                if base[p] == 0x5C {
                    escaped = true
                    p += 1
                }
                p += 1
            }
            guard p < end else { throw fail() }
            let content = UnsafeBufferPointer(start: base + start, count: p - start)
            p += 1
            return (content, escaped)
        }
        func integer() throws -> Int32? {
            guard p < end else { throw fail() }
            if base[p] == UInt8(ascii: "n") {
                p += 4
                guard p <= end else { throw fail() }
                return nil
            }
            var negative = false
            if base[p] == UInt8(ascii: "-") {
                negative = true
                p += 1
            }
            var value: Int64 = 0
            var digits = 0
            while p < end, base[p] >= 48, base[p] <= 57, digits < 11 {
                value = value * 10 + Int64(base[p] - 48)
                p += 1
                digits += 1
            }
            guard digits > 0, let v = Int32(exactly: negative ? -value : value) else { throw fail() }
            return v
        }
        try expect(UInt8(ascii: "["))
        while true {
            try expect(UInt8(ascii: "["))
            _ = try string()
            try expect(UInt8(ascii: ","))
            guard let team = try string() else { throw fail() }
            try expect(UInt8(ascii: ","))
            guard let submitted = try integer() else { throw fail() }
            try expect(UInt8(ascii: ","))
            let implemented = try integer()
            try expect(UInt8(ascii: ","))
            let rejected = try integer()
            try expect(UInt8(ascii: ","))
            _ = try string()
            try expect(UInt8(ascii: ","))
            let key = try string()
            try expect(UInt8(ascii: "]"))
            try body(Row(teamId: team.0, teamIdEscaped: team.1, submitted: submitted, implemented: implemented, rejected: rejected,
                         submitterKey: key?.0, submitterKeyEscaped: key?.1 ?? false))
            guard p < end else { throw fail() }
            if base[p] == UInt8(ascii: "]") { return }
            try expect(UInt8(ascii: ","))
        }
    }

    /// The text of a JSON string's content as `Encoder` escapes it (`\"`, `\\`, `\u00XX`; also the other short escapes).
    static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        var i = 0
        while i < content.count {
            let b = content[i]
            guard b == 0x5C, i + 1 < content.count else {
                out.append(b)
                i += 1
                continue
            }
            let e = content[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar: UInt32 = 0
                var k = 0
                while k < 4, i < content.count, let d = hexValue(content[i]) {
                    scalar = scalar << 4 | UInt32(d)
                    i += 1
                    k += 1
                }
                out.append(contentsOf: String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 97...102: return b - 87
        case 65...70: return b - 55
        default: return nil
        }
    }
}
