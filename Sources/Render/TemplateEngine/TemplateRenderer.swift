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
/// The templates run as a `TemplateProgram` (flat instructions, literal text as bytes) into a `PageBuffer`:
/// walking the instructions does no reference counting, an array of models is entered without a dynamic cast
/// per element (`TemplateList`), and a section's treatment is worked out once per type and page
/// (docs/DECISIONS.md 26).
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

    /// The template `name` rendered against `model`, as UTF-8 (valid: the literal text and every value are Swift
    /// strings); nil when there is no such template.
    func renderBytes(named name: String, model: Any) -> [UInt8]? {
        guard let entry = program.entries[name] else { return nil }
        return program.instructions.withUnsafeBufferPointer { instructions in
            program.literal.withUnsafeBufferPointer { literal in
                var run = TemplateRun(program: program, instructions: instructions, literal: literal, model: model)
                run.template(entry)
                return run.out.bytes
            }
        }
    }
}

/// One level of the context stack: a model (its `MustacheParent` view, cast once) or a plain value.
///
/// A class with a non-optional existential, so that a name lookup walking the stack calls each level's
/// `child(named:)` in place: copying an existential (or an optional one) out of an enum or array goes
/// through the runtime's generic value witnesses and retains every reference the model holds.
private final class Frame {
    let node: any MustacheParent
    private let plain: Any?

    init(node: any MustacheParent) {
        self.node = node
        plain = nil
    }

    init(value: Any) {
        node = NoChildren()
        plain = value
    }

    convenience init(_ value: Any) {
        if let node = value as? any MustacheParent { self.init(node: node) } else { self.init(value: value) }
    }

    var value: Any { plain ?? node }
}

/// The model view of a plain value (a string or number entered as a section): it has no names.
private struct NoChildren: MustacheParent {
    func child(named: String) -> Any? { nil }
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

/// How a section treats a value, which depends on its type only (`TemplateRun.kind(of:)`).
private enum SectionKind {
    case bool
    /// A string or number: entered once, as `{{.}}`.
    case scalar
    /// An array of models (`TemplateList`).
    case modelList
    /// Another sequence: each element entered.
    case sequence
    /// A model (`MustacheParent`).
    case model
    /// Anything else: entered once, as `{{.}}`.
    case other
}

/// `value`'s payload as `T` when `T` is the type the existential holds: the existential is opened (no
/// runtime cast) and its payload reinterpreted as the identical type. It replaces `value as? T`, a runtime
/// call (`swift_dynamicCast`) that was 4% of a report's instructions. Nil otherwise, also for an `Any`
/// whose payload is itself an `Any` (a generic container's element), where `value as? T` still applies.
@inline(__always)
func exactPayload<T>(_ value: Any, as type: T.Type) -> T? {
    func open<U>(_ payload: U) -> T? {
        U.self == T.self ? unsafeBitCast(payload, to: T.self) : nil
    }
    return open(value)
}

/// One page being rendered: the context stack and the output bytes.
private struct TemplateRun {
    let program: TemplateProgram
    let instructions: UnsafeBufferPointer<TemplateProgram.Instruction>
    let literal: UnsafeBufferPointer<UInt8>
    var stack: [Frame]
    let out = PageBuffer(capacity: 64 * 1024)
    private var kinds: [ObjectIdentifier: SectionKind] = [:]

    init(program: TemplateProgram, instructions: UnsafeBufferPointer<TemplateProgram.Instruction>,
         literal: UnsafeBufferPointer<UInt8>, model: Any) {
        self.program = program
        self.instructions = instructions
        self.literal = literal
        stack = [Frame(model)]
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
                if let value = lookup(instruction.a) { write(value, escaped: instruction.kind == .escapedValue) }
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
                if instruction.a >= 0 { template(Int(instruction.a)) }
            }
            i += 1
        }
    }

    private mutating func section(_ value: Any?, _ start: Int, _ end: Int) {
        guard let value else { return }
        switch kind(of: value) {
        case .bool:
            if Self.flag(value) { run(start, end) }
        case .scalar, .other:
            enter(Frame(value: value), start, end)
        case .modelList:
            (value as! any TemplateList).forEachModel { enter(Frame(node: $0), start, end) }
        case .sequence:
            let list = value as! any MustacheSequence
            each(list, start, end)
        case .model:
            enter(Frame(node: value as! any MustacheParent), start, end)
        }
    }

    /// The section kind of `value`'s type, found with dynamic casts the first time the page meets the type.
    private mutating func kind(of value: Any) -> SectionKind {
        let type = ObjectIdentifier(Swift.type(of: value))
        if let known = kinds[type] { return known }
        let found: SectionKind =
            if value is Bool { .bool }
            else if value is String || value is Int || value is Double { .scalar }
            else if value is any TemplateList { .modelList }
            else if value is any MustacheSequence { .sequence }
            else if value is any MustacheParent { .model }
            else { .other }
        kinds[type] = found
        return found
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
    private mutating func isFalsey(_ value: Any?) -> Bool {
        guard let value else { return true }
        switch kind(of: value) {
        case .bool: return !Self.flag(value)
        case .modelList: return (value as! any TemplateList).isEmptyList
        case .sequence:
            let list = value as! any MustacheSequence
            return Self.isEmpty(list)
        case .scalar, .model, .other: return false
        }
    }

    /// A value of section kind `.bool`: read without a cast, or cast when it is an `Any` nested in an `Any`.
    private static func flag(_ value: Any) -> Bool {
        exactPayload(value, as: Bool.self) ?? (value as! Bool)
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
            if let value = stack[level].node.child(named: path[0]) {
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
        var text: String
        if let string = exactPayload(value, as: String.self) {
            text = string
        } else if let number = exactPayload(value, as: Int.self) {
            text = String(number)
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
                HTMLEscaping.append(bytes, to: out)
            } else {
                out.append(bytes)
            }
        }
    }
}
