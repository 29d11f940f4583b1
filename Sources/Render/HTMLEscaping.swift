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
        var start = 0
        for i in 0 ..< bytes.count {
            let byte = bytes[i]
            guard needsEscape(byte) else { continue }
            if start < i { out.append(UnsafeBufferPointer(rebasing: bytes[start ..< i])) }
            switch byte {
            case UInt8(ascii: "&"): out.append("&amp;")
            case UInt8(ascii: "<"): out.append("&lt;")
            case UInt8(ascii: ">"): out.append("&gt;")
            case UInt8(ascii: "\""): out.append("&quot;")
            default: out.append("&#39;")
            }
            start = i + 1
        }
        if start < bytes.count { out.append(UnsafeBufferPointer(rebasing: bytes[start...])) }
    }

    /// `& < > " '`: all below 64, so one bit of `specials` each (a shift and a test per byte, not five comparisons).
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 64 && (specials >> UInt64(byte)) & 1 != 0
    }

    /// Bits 0x22 `"`, 0x26 `&`, 0x27 `'`, 0x3C `<`, 0x3E `>` (a constant, not a lazily initialised global).
    private static var specials: UInt64 { 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E }
}
