import Mustache

/// Renders `CompiledTemplate`s against page models.
///
/// Models are the same ones swift-mustache renders: a model answers `child(named:)` (`MustacheParent`),
/// returning a `String`, number or `Bool`, an array of models or values, a nested model, or nil for a
/// name it does not have (the lookup then goes on in the enclosing sections, as Mustache's context stack
/// does). Each section's object is cast to `MustacheParent` once when it is entered, so a name lookup is a
/// direct call, not the chain of dynamic casts per name and stack level that made swift-mustache spend
/// two thirds of the report's render time (docs/DECISIONS.md). `Tests/RenderTests` renders every page of a
/// report with both and compares them byte for byte.
///
/// The templates run as a `TemplateProgram` (flat instructions, literal text as bytes) into a byte buffer:
/// the walk itself does no reference counting, and an array of models is entered without a dynamic cast
/// per element (`TemplateList`).
///
/// `{{value}}` text is HTML-escaped as `HTMLEscaping.escape` does.
struct TemplateRenderer: Sendable {
    private let program: TemplateProgram

    init(templates: [String: CompiledTemplate]) {
        program = TemplateProgram(templates)
    }

    /// The key of `name`'s variant indented with `indentation`.
    static func indentedName(_ name: String, _ indentation: String) -> String {
        indentation.isEmpty ? name : name + "\u{0}" + indentation
    }

    func has(_ name: String) -> Bool { program.entries[name] != nil }

    /// The template `name` rendered against `model`; nil when there is no such template.
    func render(named name: String, model: Any) -> String? {
        renderBytes(named: name, model: model).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same as UTF-8 bytes, which are valid UTF-8: the literal text and every value are Swift strings.
    func renderBytes(named name: String, model: Any) -> [UInt8]? {
        guard let entry = program.entries[name] else { return nil }
        return program.instructions.withUnsafeBufferPointer { instructions in
            program.literal.withUnsafeBufferPointer { literal in
                var run = TemplateRun(program: program, instructions: instructions, literal: literal, model: model)
                run.template(entry)
                return run.out
            }
        }
    }
}

/// One level of the context stack: a model (its `MustacheParent` view, cast once) or a plain value.
///
/// A class, so that a name lookup walking the stack reads each level in place: copying an existential out
/// of an enum or array retains every reference the model holds.
private final class Frame {
    let node: (any MustacheParent)?
    private let plain: Any?

    init(node: any MustacheParent) {
        self.node = node
        plain = nil
    }

    init(value: Any) {
        node = nil
        plain = value
    }

    convenience init(_ value: Any) {
        if let node = value as? any MustacheParent { self.init(node: node) } else { self.init(value: value) }
    }

    var value: Any {
        if let node { return node }
        return plain!
    }
}

/// An array whose elements are models: entered element by element without a dynamic cast each.
private protocol TemplateList {
    var isEmptyList: Bool { get }
    func forEachModel(_ body: (any MustacheParent) -> Void)
}

extension Array: TemplateList where Element: MustacheParent {
    fileprivate var isEmptyList: Bool { isEmpty }
    fileprivate func forEachModel(_ body: (any MustacheParent) -> Void) {
        for element in self { body(element) }
    }
}

private let boolType = ObjectIdentifier(Bool.self)
private let stringType = ObjectIdentifier(String.self)
private let intType = ObjectIdentifier(Int.self)
private let doubleType = ObjectIdentifier(Double.self)

/// One page being rendered: the context stack and the output bytes.
private struct TemplateRun {
    let program: TemplateProgram
    let instructions: UnsafeBufferPointer<TemplateProgram.Instruction>
    let literal: UnsafeBufferPointer<UInt8>
    var stack: [Frame]
    var out: [UInt8] = []

    init(program: TemplateProgram, instructions: UnsafeBufferPointer<TemplateProgram.Instruction>,
         literal: UnsafeBufferPointer<UInt8>, model: Any) {
        self.program = program
        self.instructions = instructions
        self.literal = literal
        stack = [Frame(model)]
        stack.reserveCapacity(16)
        out.reserveCapacity(64 * 1024)
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
                out.append(contentsOf: UnsafeBufferPointer(rebasing: literal[Int(instruction.a) ..< Int(instruction.a + instruction.b)]))
            case .escapedValue, .rawValue:
                if let value = lookup(instruction.a) { write(value, escaped: instruction.kind == .escapedValue) }
            case .section:
                section(lookup(instruction.a), i + 1, Int(instruction.b))
                i = Int(instruction.b)
                continue
            case .invertedSection:
                if Self.isFalsey(lookup(instruction.a)) { run(i + 1, Int(instruction.b)) }
                i = Int(instruction.b)
                continue
            case .partial:
                // Partials were checked when the templates were loaded (`TemplateSet`); a missing one renders
                // nothing, as the specification says.
                if instruction.a >= 0 { template(Int(instruction.a)) }
            }
            i += 1
        }
    }

    private mutating func section(_ value: Any?, _ start: Int, _ end: Int) {
        guard let value else { return }
        let type = ObjectIdentifier(Swift.type(of: value))
        if type == boolType {
            if value as! Bool { run(start, end) }
            return
        }
        if type == stringType || type == intType || type == doubleType {
            enter(Frame(value: value), start, end)
            return
        }
        if let list = value as? any TemplateList {
            list.forEachModel { enter(Frame(node: $0), start, end) }
            return
        }
        if let flag = value as? Bool {
            if flag { run(start, end) }
            return
        }
        if value is String || value is Int || value is Double {
            enter(Frame(value: value), start, end)
            return
        }
        if let list = value as? any MustacheSequence {
            each(list, start, end)
            return
        }
        enter(Frame(value), start, end)
    }

    private mutating func enter(_ frame: Frame, _ start: Int, _ end: Int) {
        stack.append(frame)
        run(start, end)
        stack.removeLast()
    }

    private mutating func each<S: Sequence>(_ list: S, _ start: Int, _ end: Int) {
        for element in list { enter(Frame(element), start, end) }
    }

    /// Mustache's falsey values: missing, `false`, an empty list.
    private static func isFalsey(_ value: Any?) -> Bool {
        guard let value else { return true }
        let type = ObjectIdentifier(Swift.type(of: value))
        if type == boolType { return !(value as! Bool) }
        if type == stringType || type == intType || type == doubleType { return false }
        if let list = value as? any TemplateList { return list.isEmptyList }
        if let flag = value as? Bool { return !flag }
        if value is String || value is Int || value is Double { return false }
        if let list = value as? any MustacheSequence { return isEmpty(list) }
        return false
    }

    private static func isEmpty<S: Sequence>(_ list: S) -> Bool {
        var iterator = list.makeIterator()
        return iterator.next() == nil
    }

    /// Resolves `paths[index]`: its first name in the innermost frame that has it, the rest inside that value.
    private func lookup(_ index: Int32) -> Any? {
        if index == TemplateProgram.implicitIterator { return stack.last?.value }
        let path = program.paths[Int(index)]
        var found: Any?
        var level = stack.count - 1
        while level >= 0 {
            if let value = stack[level].node?.child(named: path[0]) {
                found = value
                break
            }
            level -= 1
        }
        guard var value = found else { return nil }
        for name in path.dropFirst() {
            guard let node = value as? any MustacheParent, let child = node.child(named: name) else { return nil }
            value = child
        }
        return value
    }

    private mutating func write(_ value: Any, escaped: Bool) {
        let type = ObjectIdentifier(Swift.type(of: value))
        var text: String
        if type == stringType {
            text = value as! String
        } else if type == intType {
            text = String(value as! Int)
        } else {
            switch value {
            case let string as String: text = string
            case let number as Int: text = String(number)
            case let flag as Bool: text = flag ? "true" : "false"
            default: text = String(describing: value)
            }
        }
        text.withUTF8 { bytes in
            if escaped {
                HTMLEscaping.append(bytes, to: &out)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }
}
