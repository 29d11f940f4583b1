/// Question texts as exports carry them, made fit for display: survey tools keep the rich text the author typed
/// (`<p>How <b>satisfied</b> are you?</p>`, `&amp;`), which `validate` and the reports must show as plain text.
public enum QuestionText {
    /// Tags removed (a block tag or `<br>` becomes a space), character references decoded (named: the common HTML
    /// ones; numeric: decimal and hex), runs of white space as one space, trimmed. Text without `<` or `&` is
    /// only trimmed and collapsed. Never HTML-safe by itself: the renderers escape what they show.
    public static func display(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
                || text.contains("  ") else {
            return text.trimmingSpaces
        }
        var out = ""
        var chars = Substring(text)
        while let c = chars.first {
            if c == "<", let close = chars.firstIndex(of: ">"), Self.looksLikeTag(chars[chars.index(after: chars.startIndex)..<close]) {
                out.append(" ")
                chars = chars[chars.index(after: close)...]
            } else if c == "&", let semicolon = chars.prefix(12).firstIndex(of: ";"),
                      let decoded = Self.entity(chars[chars.index(after: chars.startIndex)..<semicolon]) {
                out.append(decoded)
                chars = chars[chars.index(after: semicolon)...]
            } else {
                out.append(c)
                chars = chars.dropFirst()
            }
        }
        // Collapse white space (also the non-breaking spaces `&nbsp;` gives).
        var result = ""
        var pendingSpace = false
        for scalar in out.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `b`, `/p`, `br /`, `span style="..."`, `!-- comment --`: a tag, not a literal `<` in text such as `a < b > c`.
    private static func looksLikeTag(_ inner: Substring) -> Bool {
        guard let first = inner.first else { return false }
        return first.isLetter || first == "/" || first == "!"
    }

    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "ndash": "\u{2013}", "mdash": "\u{2014}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "hellip": "\u{2026}", "eacute": "é",
        "egrave": "è", "agrave": "à", "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "ccedil": "ç", "euro": "€", "copy": "©", "reg": "®", "trade": "™", "times": "×", "middot": "·", "bull": "•",
    ]

    private static func entity(_ name: Substring) -> String? {
        if let known = named[name] { return known }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.first == "x" || digits.first == "X" {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return String(Character(scalar))
    }
}
