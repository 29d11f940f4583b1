import Mustache

/// The one HTML escaping of the report pages: every `{{value}}` of a template goes through `escape`.
///
/// It works on UTF-8 bytes: `& < > " '` become `&amp; &lt; &gt; &quot; &#39;` (what swift-mustache's own
/// escaping writes), and text without any of them is returned as it is, without a copy. Unlike a comparison
/// by `Character`, a quote or bracket followed by a combining mark (one grapheme, `"\u{301}`) is escaped too.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var text = text
        let escaped: String? = text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscape) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? text
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }

    /// The Mustache content type that escapes with `escape`. `TemplateSet` selects it for every template
    /// (built-in or overridden) with a `{{% CONTENT_TYPE: ... }}` line.
    struct ContentType: MustacheContentType {
        static let name = "LEANPULSE_HTML"

        func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }

        /// Registers the content type with swift-mustache (once; templates name it when they are parsed).
        static let registered: Void = MustacheContentTypes.register(ContentType(), named: name)
    }
}

/// Text values render through `MustacheCustomRenderable` (then `escapeText`): swift-mustache otherwise tries
/// three other casts and `String(describing:)` on every `{{value}}`, which cost more than the page's text.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { false }
}
