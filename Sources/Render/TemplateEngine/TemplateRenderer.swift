import Mustache

/// Renders `CompiledTemplate`s against page models.
///
/// A model is a `TemplateModel`: it answers a name of the templates' vocabulary (`TemplateName`, resolved
/// when the templates are loaded) with a `TemplateValue` (a text, number or flag, a nested model, a list of
/// models), or `.missing` for a name it does not have; the lookup then goes on in the enclosing sections,
/// as Mustache's context stack does. `Tests/RenderTests` renders every page of a report with this engine
/// and with swift-mustache (through the models' `MustacheParent` side) and compares them byte for byte.
///
/// The templates run as a `TemplateProgram` (flat instructions, literal text as bytes) into a `ByteBuffer`:
/// walking the instructions does no reference counting, a name lookup is a switch over small integers
/// without boxing the value into `Any` or casting it back, and the elements of a list are read in place
/// through one frame per list (docs/DECISIONS.md 26 and 28).
///
/// `{{value}}` text is HTML-escaped as `HTMLEscaping.escape` does.
struct TemplateRenderer: Sendable {
    private let program: TemplateProgram

    /// `natives`: Swift writers of partials (`NativePartial`), by partial name.
    init(templates: [String: CompiledTemplate], natives: [String: NativePartial] = [:]) {
        program = TemplateProgram(templates, natives: natives)
    }

    /// The key of `name`'s variant indented with `indentation`.
    static func indentedName(_ name: String, _ indentation: String) -> String {
        indentation.isEmpty ? name : name + "\u{0}" + indentation
    }

    /// The template `name` rendered against `model`, as UTF-8 (valid: the literal text and every value are Swift
    /// strings); nil when there is no such template.
    func renderBytes(named name: String, model: consuming some TemplateModel) -> [UInt8]? {
        let out = ByteBuffer(capacity: 64 * 1024)
        guard render(named: name, model: model, into: out) else { return nil }
        return out.bytes
    }

    /// Appends the template `name` rendered against `model` to `out`; false when there is no such template.
    /// The model is consumed: a page's model is large, and copying it into the root frame retained every text it holds.
    /// Rendering into a buffer the caller keeps lets a writer reuse one buffer for many pages and write the page
    /// from it, without copying it out (a 40 KB array per page was about 6% of the render's instructions).
    func render(named name: String, model: consuming some TemplateModel, into out: ByteBuffer) -> Bool {
        guard let entry = program.entries[name] else { return false }
        let root = ModelFrame(model)
        program.instructions.withUnsafeBufferPointer { instructions in
            program.literal.withUnsafeBufferPointer { literal in
                program.paths.withUnsafeBufferPointer { paths in
                    program.keys.withUnsafeBufferPointer { keys in
                        var run = TemplateRun(program: program, instructions: instructions, literal: literal, paths: paths, keys: keys,
                                              root: root, out: out)
                        run.template(entry)
                    }
                }
            }
        }
        return true
    }
}

/// One page being rendered: the context stack and the output bytes.
private struct TemplateRun {
    let program: TemplateProgram
    let instructions: UnsafeBufferPointer<TemplateProgram.Instruction>
    let literal: UnsafeBufferPointer<UInt8>
    let paths: UnsafeBufferPointer<(start: Int32, count: Int32)>
    let keys: UnsafeBufferPointer<TemplateProgram.Key>
    /// The levels, innermost last, unretained: each is held for as long as it is on the stack by the call that
    /// entered it (`enter`'s argument; the root by `root`), and a retain and release per level visited by a lookup
    /// was 4% of rendering.
    var stack: [Unmanaged<TemplateFrame>]
    let root: TemplateFrame
    let out: ByteBuffer

    init(program: TemplateProgram, instructions: UnsafeBufferPointer<TemplateProgram.Instruction>, literal: UnsafeBufferPointer<UInt8>,
         paths: UnsafeBufferPointer<(start: Int32, count: Int32)>, keys: UnsafeBufferPointer<TemplateProgram.Key>, root: TemplateFrame,
         out: ByteBuffer) {
        self.program = program
        self.instructions = instructions
        self.literal = literal
        self.paths = paths
        self.keys = keys
        self.root = root
        self.out = out
        stack = [Unmanaged.passUnretained(root)]
        stack.reserveCapacity(16)
    }

    mutating func template(_ index: Int) {
        let range = program.ranges[index]
        run(Int(range.start), Int(range.end))
    }

    private mutating func run(_ start: Int, _ end: Int) {
        var i = start
        while i < end {
            let instruction = instructions[i]
            switch instruction.kind {
            case .text:
                out.append(UnsafeBufferPointer(start: literal.baseAddress! + Int(instruction.a), count: Int(instruction.b)))
            case .escapedValue, .rawValue:
                write(lookup(instruction.a), escaped: instruction.kind == .escapedValue)
            case .section:
                section(lookup(instruction.a), i + 1, Int(instruction.b))
                i = Int(instruction.b)
                continue
            case .invertedSection:
                if isFalsey(lookup(instruction.a)) { run(i + 1, Int(instruction.b)) }
                i = Int(instruction.b)
                continue
            case .partial:
                // Partials were checked when the templates were loaded (`TemplateSet`); a missing one renders
                // nothing, as the specification says.
                if instruction.b > 0, let frame = stack.last,
                   frame._withUnsafeGuaranteedRef({ program.natives[Int(instruction.b) - 1].write($0, out) }) {
                    break
                }
                if instruction.a >= 0 { template(Int(instruction.a)) }
            }
            i += 1
        }
    }

    private mutating func section(_ value: TemplateValue, _ start: Int, _ end: Int) {
        switch value {
        case .missing: break
        case .flag(let flag): if flag { run(start, end) }
        case .text, .number: enter(ValueFrame(value), start, end)
        case .model(let frame): enter(frame, start, end)
        case .list(let list): list.forEachFrame { enter($0, start, end) }
        case .values(let values):
            for element in values {
                if case .model(let frame) = element { enter(frame, start, end) } else { enter(ValueFrame(element), start, end) }
            }
        }
    }

    private mutating func enter(_ frame: TemplateFrame, _ start: Int, _ end: Int) {
        stack.append(Unmanaged.passUnretained(frame))
        run(start, end)
        stack.removeLast()
        withExtendedLifetime(frame) {}
    }

    /// Mustache's falsey values: missing, `false`, an empty list.
    private func isFalsey(_ value: TemplateValue) -> Bool {
        switch value {
        case .missing: true
        case .flag(let flag): !flag
        case .list(let list): list.isEmpty
        case .values(let values): values.isEmpty
        case .text, .number, .model: false
        }
    }

    /// Resolves path `index`: its first name in the innermost frame that has it, the rest inside that value.
    private func lookup(_ index: Int32) -> TemplateValue {
        let path = paths[Int(index)]
        guard path.count > 0 else { return stack.last?._withUnsafeGuaranteedRef { $0.dot } ?? .missing }
        let key = keys[Int(path.start)]
        var level = stack.count - 1
        while level >= 0 {
            let value = stack[level]._withUnsafeGuaranteedRef { frame in
                if let name = key.name { frame.value(of: name) } else { frame.value(named: program.texts[Int(key.text)]) }
            }
            if case .missing = value {
                level -= 1
                continue
            }
            if path.count == 1 { return value }
            return resolve(keys[Int(path.start) + 1 ..< Int(path.start + path.count)], in: value)
        }
        return .missing
    }

    /// The rest of a dotted path, inside the value its first name found.
    private func resolve(_ rest: Slice<UnsafeBufferPointer<TemplateProgram.Key>>, in value: TemplateValue) -> TemplateValue {
        var value = value
        for key in rest {
            guard case .model(let frame) = value else { return .missing }
            value = if let name = key.name { frame.value(of: name) } else { frame.value(named: program.texts[Int(key.text)]) }
        }
        return value
    }

    private func write(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .missing: return
        case .text(let text): write(text, escaped: escaped)
        case .number(let number): NumberText.append(integer: number, to: out)
        case .flag(let flag): out.append(flag ? "true" : "false")
        case .model, .list, .values: write(value.any.map { String(describing: $0) } ?? "", escaped: escaped)
        }
    }

    private func write(_ text: String, escaped: Bool) {
        if escaped { out.append(escaping: text) } else { out.append(utf8: text) }
    }
}
