/// A Mustache template parsed once into a tree of nodes, rendered many times by `TemplateRenderer`.
///
/// The language is Mustache as the specification (github.com/mustache/spec) defines its required modules:
/// variables `{{name}}` (escaped) and `{{{name}}}` / `{{& name}}` (raw), dotted names and the implicit
/// iterator `{{.}}`, sections `{{#name}}` and inverted sections `{{^name}}`, comments `{{! ... }}`,
/// partials `{{> name}}` (a standalone partial's indentation is applied to each of its lines) and
/// delimiter changes `{{=<% %>=}}`, with the specification's standalone-line rules. Pragma tags
/// `{{% ... }}` are accepted and ignored. Template inheritance (`{{< }}`, `{{$ }}`), dynamic partial
/// names (`{{>* }}`) and lambdas are not part of LeanPulse's template language (docs/DECISIONS.md).
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        /// Literal text, copied as it is.
        case text(String)
        /// `{{name}}` (escaped) or `{{{name}}}` (raw). A path of `["."]` is the implicit iterator.
        case value(path: [String], escaped: Bool)
        /// `{{#name}}...{{/name}}`, or with `inverted`, `{{^name}}...{{/name}}`.
        case section(path: [String], inverted: Bool, body: [Node])
        /// `{{> name}}`; `indentation` is the whitespace before a standalone partial tag ("" otherwise).
        case partial(name: String, indentation: String)
    }

    let nodes: [Node]
    /// Where the template came from, for messages.
    let source: String

    /// The names of the partials the template refers to, with the indentations they are used with.
    var partialReferences: [(name: String, indentation: String)] {
        var found: [(String, String)] = []
        func visit(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .partial(let name, let indentation): found.append((name, indentation))
                case .section(_, _, let body): visit(body)
                case .text, .value: break
                }
            }
        }
        visit(nodes)
        return found
    }

    /// Parses `text`; errors carry the line and column (1-based) in `text`.
    init(parsing text: String, source: String) throws(TemplateSyntaxError) {
        self.source = source
        var parser = TemplateParser(text)
        self.nodes = try parser.parse()
    }

    /// `text` with `indentation` put before each of its lines: how the specification applies a standalone
    /// partial's indentation ("each line of the partial is indented"; a final line break starts no new line).
    static func indenting(_ text: String, with indentation: String) -> String {
        guard !indentation.isEmpty, !text.isEmpty else { return text }
        var out = indentation
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            out.append(character)
            index = text.index(after: index)
            if character == "\n" || character == "\r\n", index < text.endIndex { out += indentation }
        }
        return out
    }
}

/// A template that cannot be parsed, with its position (1-based line and column).
struct TemplateSyntaxError: Error, Sendable, Equatable {
    var message: String
    var line: Int
    var column: Int
}

/// Turns template text into `CompiledTemplate.Node`s.
///
/// First a scan cuts the text into pieces (text runs, whitespace runs, line breaks, tags), marking lines
/// that hold exactly one standalone-capable tag (section, inverted, close, comment, partial, delimiter,
/// pragma) and otherwise only whitespace: those lines' whitespace and line break are dropped. Then the
/// pieces are nested into sections.
private struct TemplateParser {
    private enum Piece {
        case text(String)
        case whitespace(String)
        case newline(String)
        case tag(Tag)
    }

    private struct Tag {
        var kind: UInt8  // 0 for a variable, else the sigil: # ^ / ! > & { = %
        var name: String
        var line: Int
        var column: Int
        /// For a standalone partial: its indentation.
        var indentation = ""
    }

    private let bytes: [UInt8]
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parse() throws(TemplateSyntaxError) -> [CompiledTemplate.Node] {
        let pieces = try scan()
        var index = 0
        let nodes = try nest(pieces, &index, closing: nil)
        return nodes
    }

    // MARK: Scanning

    private mutating func scan() throws(TemplateSyntaxError) -> [Piece] {
        var pieces: [Piece] = []
        // The pieces of the current line: where it starts, how many standalone-capable tags and whether
        // anything else (text, a variable) is on it.
        var lineStart = 0
        var standaloneTags = 0
        var other = false
        var line = 1
        var lineOffset = 0  // byte offset where the current source line starts
        var i = 0
        var textStart = 0

        func flushText(_ pieces: inout [Piece], _ from: Int, _ to: Int, _ other: inout Bool) {
            guard from < to else { return }
            var start = from
            while start < to {
                let isSpace = bytes[start] == 0x20 || bytes[start] == 0x09
                var end = start
                while end < to, (bytes[end] == 0x20 || bytes[end] == 0x09) == isSpace { end += 1 }
                let run = String(decoding: bytes[start..<end], as: UTF8.self)
                if isSpace {
                    pieces.append(.whitespace(run))
                } else {
                    pieces.append(.text(run))
                    other = true
                }
                start = end
            }
        }

        func endLine(_ pieces: inout [Piece], newline: String?) {
            if standaloneTags == 1 && !other {
                // A standalone line: keep only its tag; a partial takes the leading whitespace as indentation.
                var indentation = ""
                var kept: [Piece] = []
                var seenTag = false
                for piece in pieces[lineStart...] {
                    switch piece {
                    case .whitespace(let w): if !seenTag { indentation += w }
                    case .tag(var tag):
                        seenTag = true
                        if tag.kind == UInt8(ascii: ">") { tag.indentation = indentation }
                        kept.append(.tag(tag))
                    case .text, .newline: kept.append(piece)
                    }
                }
                pieces.replaceSubrange(lineStart..., with: kept)
            } else if let newline {
                pieces.append(.newline(newline))
            }
            lineStart = pieces.count
            standaloneTags = 0
            other = false
        }

        while i < bytes.count {
            if bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
                flushText(&pieces, textStart, i, &other)
                let length = bytes[i] == 0x0D ? 2 : 1
                endLine(&pieces, newline: length == 2 ? "\r\n" : "\n")
                i += length
                line += 1
                lineOffset = i
                textStart = i
                continue
            }
            guard matches(open, at: i) else {
                i += 1
                continue
            }
            flushText(&pieces, textStart, i, &other)
            let tagLine = line
            let tagColumn = column(from: lineOffset, to: i)
            var j = i + open.count
            var kind: UInt8 = 0
            if j < bytes.count, "#^/!>&{=%<$".utf8.contains(bytes[j]) {
                kind = bytes[j]
                j += 1
            }
            // The tag's end: `}}}` for a triple mustache, `=}}` for a delimiter change, else the close delimiter.
            var closing = close
            if kind == UInt8(ascii: "{") { closing = [UInt8(ascii: "}")] + close }
            if kind == UInt8(ascii: "=") { closing = [UInt8(ascii: "=")] + close }
            var k = j
            while k < bytes.count, !matches(closing, at: k) {
                if bytes[k] == 0x0A {
                    line += 1
                    lineOffset = k + 1
                }
                k += 1
            }
            guard k < bytes.count else {
                throw TemplateSyntaxError(message: "unclosed tag: no \(String(decoding: closing, as: UTF8.self)) after this \(String(decoding: open, as: UTF8.self))",
                                          line: tagLine, column: tagColumn)
            }
            let content = String(decoding: bytes[j..<k], as: UTF8.self).trimmingWhitespace
            i = k + closing.count
            textStart = i
            switch kind {
            case UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw TemplateSyntaxError(message: "template inheritance ({{\(Character(UnicodeScalar(kind)))...}}) is not supported",
                                          line: tagLine, column: tagColumn)
            case UInt8(ascii: "="):
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2, !parts[0].contains("="), !parts[1].contains("=") else {
                    throw TemplateSyntaxError(message: "a delimiter change needs two delimiters, as in {{=<% %>=}}",
                                              line: tagLine, column: tagColumn)
                }
                open = Array(parts[0].utf8)
                close = Array(parts[1].utf8)
            case UInt8(ascii: "&"), UInt8(ascii: "{"), 0, UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "/"),
                 UInt8(ascii: ">"):
                guard !content.isEmpty else {
                    throw TemplateSyntaxError(message: "empty tag name", line: tagLine, column: tagColumn)
                }
                if kind == UInt8(ascii: ">"), content.hasPrefix("*") {
                    throw TemplateSyntaxError(message: "dynamic partial names ({{>*...}}) are not supported",
                                              line: tagLine, column: tagColumn)
                }
                if kind != UInt8(ascii: ">"), content != ".", content.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                    throw TemplateSyntaxError(message: "malformed name '\(content)'", line: tagLine, column: tagColumn)
                }
            default: break  // comment, pragma
            }
            let isValue = kind == 0 || kind == UInt8(ascii: "&") || kind == UInt8(ascii: "{")
            if isValue { other = true } else { standaloneTags += 1 }
            if kind != UInt8(ascii: "=") && kind != UInt8(ascii: "!") && kind != UInt8(ascii: "%") {
                pieces.append(.tag(Tag(kind: kind, name: content, line: tagLine, column: tagColumn)))
            } else {
                // Kept as a marker so the line counts as holding a tag; dropped when nesting.
                pieces.append(.tag(Tag(kind: UInt8(ascii: "!"), name: "", line: tagLine, column: tagColumn)))
            }
        }
        flushText(&pieces, textStart, bytes.count, &other)
        endLine(&pieces, newline: nil)
        return pieces
    }

    private func matches(_ delimiter: [UInt8], at index: Int) -> Bool {
        guard index + delimiter.count <= bytes.count else { return false }
        for (offset, byte) in delimiter.enumerated() where bytes[index + offset] != byte { return false }
        return true
    }

    /// 1-based column in characters (Unicode scalars) from the line's start.
    private func column(from lineStart: Int, to index: Int) -> Int {
        String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
    }

    // MARK: Nesting

    private func nest(_ pieces: [Piece], _ index: inout Int, closing: Tag?) throws(TemplateSyntaxError) -> [CompiledTemplate.Node] {
        var nodes: [CompiledTemplate.Node] = []
        func appendText(_ text: String) {
            if case .text(let previous)? = nodes.last {
                nodes[nodes.count - 1] = .text(previous + text)
            } else {
                nodes.append(.text(text))
            }
        }
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let text), .whitespace(let text), .newline(let text):
                appendText(text)
            case .tag(let tag):
                switch tag.kind {
                case 0, UInt8(ascii: "&"), UInt8(ascii: "{"):
                    nodes.append(.value(path: Self.path(tag.name), escaped: tag.kind == 0))
                case UInt8(ascii: "#"), UInt8(ascii: "^"):
                    let body = try nest(pieces, &index, closing: tag)
                    nodes.append(.section(path: Self.path(tag.name), inverted: tag.kind == UInt8(ascii: "^"), body: body))
                case UInt8(ascii: "/"):
                    guard let closing else {
                        throw TemplateSyntaxError(message: "{{/\(tag.name)}} closes no open section", line: tag.line, column: tag.column)
                    }
                    guard closing.name == tag.name else {
                        throw TemplateSyntaxError(message: "{{/\(tag.name)}} closes the section {{#\(closing.name)}} opened at line \(closing.line), column \(closing.column)",
                                                  line: tag.line, column: tag.column)
                    }
                    return nodes
                case UInt8(ascii: ">"):
                    nodes.append(.partial(name: tag.name, indentation: tag.indentation))
                default:
                    break  // comment, delimiter change, pragma: nothing to render
                }
            }
        }
        if let closing {
            throw TemplateSyntaxError(message: "the section {{#\(closing.name)}} is never closed", line: closing.line, column: closing.column)
        }
        return nodes
    }

    private static func path(_ name: String) -> [String] {
        name == "." ? ["."] : name.split(separator: ".").map(String.init)
    }
}

private extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
