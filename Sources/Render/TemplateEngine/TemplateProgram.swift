/// A set of `CompiledTemplate`s laid out flat for `TemplateRenderer`: one array of plain instructions
/// (no references, so walking it costs no reference counting), all literal text in one byte buffer, and
/// each name path once.
///
/// A template is the instruction range `entries[name]`. A section's body is the instructions right after
/// it, up to its `end`; a partial is a jump to another template's range (partials may recurse). The
/// indented variants of partials are separate templates, named by `TemplateRenderer.indentedName`.
struct TemplateProgram: Sendable {
    enum Kind: UInt8, Sendable {
        /// `literal[a ..< a + b]`.
        case text
        /// `{{name}}`: the value of `paths[a]`, HTML-escaped.
        case escapedValue
        /// `{{{name}}}`: the value of `paths[a]` as it is.
        case rawValue
        /// `{{#name}}` of `paths[a]`: its body is the instructions after this one up to index `b`.
        case section
        /// `{{^name}}`, laid out as `section`.
        case invertedSection
        /// `{{> name}}`: the template `templates[a]`, or nothing when `a` is -1 (a missing partial); when `b` > 0,
        /// `natives[b - 1]` writes it where it knows the model (`NativePartial`).
        case partial
    }

    struct Instruction: Sendable {
        var kind: Kind
        var a: Int32
        var b: Int32
    }

    /// One name of a `{{path}}`, resolved when the templates are loaded: its `TemplateName` case, or nil
    /// for a name outside the vocabulary (which only a model keyed by text, such as a dictionary, has);
    /// `texts[text]` is the name as written.
    struct Key: Sendable {
        var name: TemplateName?
        var text: Int32
    }

    /// Index of the implicit iterator `{{.}}` in `paths`.
    static let implicitIterator: Int32 = 0

    private(set) var instructions: [Instruction] = []
    private(set) var literal: [UInt8] = []
    /// Each path's names, `keys[start ..< start + count]`; `paths[0]` is the implicit iterator (no names).
    private(set) var paths: [(start: Int32, count: Int32)] = [(0, 0)]
    private(set) var keys: [Key] = []
    private(set) var texts: [String] = []
    /// Each template's instruction range, by index; `entries` gives the index of a name.
    private(set) var ranges: [(start: Int32, end: Int32)] = []
    let entries: [String: Int]
    /// The Swift writers of built-in partials, indexed by a partial instruction's `b - 1`.
    let natives: [NativePartial]

    /// `natives`: Swift writers for partials by name, used where the partial is not indented (an indented use shifts
    /// its lines, which only the template knows how to do).
    init(_ templates: [String: CompiledTemplate], natives: [String: NativePartial] = [:]) {
        let nativeNames = natives.keys.sorted()
        self.natives = nativeNames.map { natives[$0]! }
        var nativeIndex: [String: Int32] = [:]
        for (i, name) in nativeNames.enumerated() { nativeIndex[name] = Int32(i + 1) }
        let names = templates.keys.sorted()
        var entries: [String: Int] = [:]
        for (i, name) in names.enumerated() { entries[name] = i }
        self.entries = entries
        var pathIndex: [[String]: Int32] = [["."]: 0]
        for name in names {
            let start = Int32(instructions.count)
            emit(templates[name]!.nodes, pathIndex: &pathIndex, nativeIndex: nativeIndex)
            ranges.append((start, Int32(instructions.count)))
        }
    }

    private mutating func emit(_ nodes: [CompiledTemplate.Node], pathIndex: inout [[String]: Int32], nativeIndex: [String: Int32]) {
        for node in nodes {
            switch node {
            case .text(let text):
                guard !text.isEmpty else { continue }
                let start = literal.count
                literal.append(contentsOf: text.utf8)
                instructions.append(Instruction(kind: .text, a: Int32(start), b: Int32(literal.count - start)))
            case .value(let path, let escaped):
                instructions.append(Instruction(kind: escaped ? .escapedValue : .rawValue, a: index(of: path, &pathIndex), b: 0))
            case .section(let path, let inverted, let body):
                let at = instructions.count
                instructions.append(Instruction(kind: inverted ? .invertedSection : .section, a: index(of: path, &pathIndex), b: 0))
                emit(body, pathIndex: &pathIndex, nativeIndex: nativeIndex)
                instructions[at].b = Int32(instructions.count)
            case .partial(let name, let indentation):
                let target = entries[TemplateRenderer.indentedName(name, indentation)].map(Int32.init) ?? -1
                let native = indentation.isEmpty ? nativeIndex[name] ?? 0 : 0
                instructions.append(Instruction(kind: .partial, a: target, b: native))
            }
        }
    }

    private mutating func index(of path: [String], _ pathIndex: inout [[String]: Int32]) -> Int32 {
        if let known = pathIndex[path] { return known }
        let i = Int32(paths.count)
        paths.append((Int32(keys.count), Int32(path.count)))
        for name in path {
            keys.append(Key(name: TemplateName(rawValue: name), text: Int32(texts.count)))
            texts.append(name)
        }
        pathIndex[path] = i
        return i
    }
}
