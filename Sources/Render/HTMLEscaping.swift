/// The one HTML escaping of the report pages: every `{{value}}` of a template goes through `escape`
/// (`TemplateRenderer`).
///
/// It works on UTF-8 bytes: `& < > " '` become `&amp; &lt; &gt; &quot; &#39;` (what swift-mustache's own
/// escaping writes), and text without any of them is returned as it is, without a copy. Unlike a comparison
/// by `Character`, a quote or bracket followed by a combining mark (one grapheme, `"\u{301}`) is escaped too.
///
/// The bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) are left out: invisible
/// themselves, they reorder what follows them up to the end of the element, so a team named `Ops \u{202E}` turned
/// "autonomy 44, accountability 47" in its chart's tooltip into digits read backwards (session 18's audit). The CSV
/// exports keep them, as data.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var text = text
        let escaped: String? = text.withUTF8 { bytes in
            guard bytes.contains(where: needsEscape) else { return nil }
            let out = ByteBuffer(capacity: bytes.count + 32)
            append(bytes, to: out)
            return String(decoding: out.bytes, as: UTF8.self)
        }
        return escaped ?? text
    }

    /// Appends `bytes` to `out`, escaped: runs without a special character are copied whole.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: ByteBuffer) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var start = 0
        var i = 0
        // Eight bytes at a time while no special character is among them, in texts of 16 bytes or more: the long
        // texts (names, help, notes) are most of the escaped bytes, and a byte at a time took six instructions each.
        if count >= 16 {
            while i + 8 <= count {
                if !wordHasSpecial(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                for j in i ..< i + 8 where needsEscape(base[j]) {
                    appendEscaped(base, count: count, from: &start, special: j, to: out)
                }
                i += 8
            }
        }
        while i < count {
            if needsEscape(base[i]) { appendEscaped(base, count: count, from: &start, special: i, to: out) }
            i += 1
        }
        if start < count { out.append(UnsafeBufferPointer(start: base + start, count: count - start)) }
    }

    /// At a special byte `special`: appends the run `base[start ..< special]` and the escape of the character there, or
    /// leaves a bidirectional control out, and moves `start` past it; a 0xE2 that leads any other character (`–`, `·`,
    /// `→`) stays in the run.
    @inline(__always)
    private static func appendEscaped(_ base: UnsafePointer<UInt8>, count: Int, from start: inout Int, special: Int, to out: ByteBuffer) {
        let byte = base[special]
        if byte == 0xE2 {
            guard special + 2 < count, isBidiControl(base[special + 1], base[special + 2]) else { return }
            if start < special { out.append(UnsafeBufferPointer(start: base + start, count: special - start)) }
            start = special + 3
            return
        }
        if start < special { out.append(UnsafeBufferPointer(start: base + start, count: special - start)) }
        switch byte {
        case UInt8(ascii: "&"): out.append("&amp;")
        case UInt8(ascii: "<"): out.append("&lt;")
        case UInt8(ascii: ">"): out.append("&gt;")
        case UInt8(ascii: "\""): out.append("&quot;")
        default: out.append("&#39;")
        }
        start = special + 1
    }

    /// `E2 80 AA`-`E2 80 AE` (U+202A-202E: LRE, RLE, PDF, LRO, RLO) and `E2 81 A6`-`E2 81 A9` (U+2066-2069: LRI, RLI,
    /// FSI, PDI), given the two bytes after `E2`.
    @inline(__always)
    static func isBidiControl(_ second: UInt8, _ third: UInt8) -> Bool {
        (second == 0x80 && third >= 0xAA && third <= 0xAE) || (second == 0x81 && third >= 0xA6 && third <= 0xA9)
    }

    /// Whether any of the eight bytes of `word` is one of `& < > " '` (a byte equal to `c` is a zero byte of
    /// `word ^ c*0x0101…`, found exactly by the usual `(v - 0x01…) & ~v & 0x80…`).
    @inline(__always)
    private static func wordHasSpecial(_ word: UInt64) -> Bool {
        @inline(__always) func hasZeroByte(_ v: UInt64) -> UInt64 { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 }
        let ones: UInt64 = 0x0101_0101_0101_0101
        return hasZeroByte(word ^ (ones &* 0x26)) | hasZeroByte(word ^ (ones &* 0x3C)) | hasZeroByte(word ^ (ones &* 0x3E))
            | hasZeroByte(word ^ (ones &* 0x22)) | hasZeroByte(word ^ (ones &* 0x27)) | hasZeroByte(word ^ (ones &* 0xE2)) != 0
    }

    /// `& < > " '`: all below 64, so one bit of `specials` each (a shift and a test per byte, not five comparisons);
    /// and 0xE2, the first byte of the bidirectional controls (and of other characters from U+2000 to U+2FFF).
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 64 ? (specials >> UInt64(byte)) & 1 != 0 : byte == 0xE2
    }

    /// Bits 0x22 `"`, 0x26 `&`, 0x27 `'`, 0x3C `<`, 0x3E `>` (a constant, not a lazily initialised global).
    private static var specials: UInt64 { 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E }
}

extension ByteBuffer {
    /// Appends `text` escaped as a template's `{{value}}` is (`HTMLEscaping.append`).
    func append(escaping text: String) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { HTMLEscaping.append($0, to: self) }
        if written == nil {
            var copy = text
            copy.withUTF8 { HTMLEscaping.append($0, to: self) }
        }
    }
}
