/// The one HTML escaping of the report pages: every `{{value}}` of a template goes through `escape`
/// (`TemplateRenderer`).
///
/// It works on UTF-8 bytes: `& < > " '` become `&amp; &lt; &gt; &quot; &#39;` (what swift-mustache's own
/// escaping writes), and text without any of them is returned as it is, without a copy. Unlike a comparison
/// by `Character`, a quote or bracket followed by a combining mark (one grapheme, `"\u{301}`) is escaped too.
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
                    appendEscaped(base, from: start, special: j, to: out)
                    start = j + 1
                }
                i += 8
            }
        }
        while i < count {
            if needsEscape(base[i]) {
                appendEscaped(base, from: start, special: i, to: out)
                start = i + 1
            }
            i += 1
        }
        if start < count { out.append(UnsafeBufferPointer(start: base + start, count: count - start)) }
    }

    /// Appends the run `base[start ..< special]` and the escape of the special character at `special`.
    @inline(__always)
    private static func appendEscaped(_ base: UnsafePointer<UInt8>, from start: Int, special: Int, to out: ByteBuffer) {
        if start < special { out.append(UnsafeBufferPointer(start: base + start, count: special - start)) }
        switch base[special] {
        case UInt8(ascii: "&"): out.append("&amp;")
        case UInt8(ascii: "<"): out.append("&lt;")
        case UInt8(ascii: ">"): out.append("&gt;")
        case UInt8(ascii: "\""): out.append("&quot;")
        default: out.append("&#39;")
        }
    }

    /// Whether any of the eight bytes of `word` is one of `& < > " '` (a byte equal to `c` is a zero byte of
    /// `word ^ c*0x0101…`, found exactly by the usual `(v - 0x01…) & ~v & 0x80…`).
    @inline(__always)
    private static func wordHasSpecial(_ word: UInt64) -> Bool {
        @inline(__always) func hasZeroByte(_ v: UInt64) -> UInt64 { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 }
        let ones: UInt64 = 0x0101_0101_0101_0101
        return hasZeroByte(word ^ (ones &* 0x26)) | hasZeroByte(word ^ (ones &* 0x3C)) | hasZeroByte(word ^ (ones &* 0x3E))
            | hasZeroByte(word ^ (ones &* 0x22)) | hasZeroByte(word ^ (ones &* 0x27)) != 0
    }

    /// `& < > " '`: all below 64, so one bit of `specials` each (a shift and a test per byte, not five comparisons).
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 64 && (specials >> UInt64(byte)) & 1 != 0
    }

    /// Bits 0x22 `"`, 0x26 `&`, 0x27 `'`, 0x3C `<`, 0x3E `>` (a constant, not a lazily initialised global).
    private static var specials: UInt64 { 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E }
}
