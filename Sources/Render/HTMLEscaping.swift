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
            let out = PageBuffer(capacity: bytes.count + 32)
            append(bytes, to: out)
            return String(decoding: out.bytes, as: UTF8.self)
        }
        return escaped ?? text
    }

    /// Appends `bytes` to `out`, escaped: runs without a special character are copied whole.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: PageBuffer) {
        guard let base = bytes.baseAddress else { return }
        // Eight bytes at a time up to the first special character: most values have none.
        var clean = 0
        while clean + 8 <= bytes.count, !hasSpecial(UnsafeRawPointer(base + clean).loadUnaligned(as: UInt64.self)) { clean += 8 }
        var start = 0
        for i in clean ..< bytes.count {
            let byte = base[i]
            guard needsEscape(byte) else { continue }
            if start < i { out.append(UnsafeBufferPointer(start: base + start, count: i - start)) }
            switch byte {
            case UInt8(ascii: "&"): out.append("&amp;")
            case UInt8(ascii: "<"): out.append("&lt;")
            case UInt8(ascii: ">"): out.append("&gt;")
            case UInt8(ascii: "\""): out.append("&quot;")
            default: out.append("&#39;")
            }
            start = i + 1
        }
        if start < bytes.count { out.append(UnsafeBufferPointer(start: base + start, count: bytes.count - start)) }
    }

    /// Whether any of the eight bytes of `word` is one of `& < > " '` (each compared as a whole word: a byte equal
    /// to the character becomes zero, and a zero byte sets its high bit in `zeroBytes`).
    @inline(__always)
    private static func hasSpecial(_ word: UInt64) -> Bool {
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 }
        let any = zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x2626_2626_2626_2626)
            | zeroBytes(word ^ 0x2727_2727_2727_2727) | zeroBytes(word ^ 0x3C3C_3C3C_3C3C_3C3C) | zeroBytes(word ^ 0x3E3E_3E3E_3E3E_3E3E)
        return any != 0
    }

    /// `& < > " '`: all below 64, so one bit of `specials` each (a shift and a test per byte, not five comparisons).
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 64 && (specials >> UInt64(byte)) & 1 != 0
    }

    /// Bits 0x22 `"`, 0x26 `&`, 0x27 `'`, 0x3C `<`, 0x3E `>` (a constant, not a lazily initialised global).
    private static var specials: UInt64 { 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E }
}
