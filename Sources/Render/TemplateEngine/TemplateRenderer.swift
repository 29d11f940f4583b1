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
/// `{{value}}` text goes through `HTMLEscaping.escape`.
struct TemplateRenderer {
    /// The templates partials are looked up in, by name (an indented use of a partial is looked up under
    /// `TemplateRenderer.indentedName`).
    let templates: [String: CompiledTemplate]

    /// The key of `name`'s variant indented with `indentation`.
    static func indentedName(_ name: String, _ indentation: String) -> String {
        indentation.isEmpty ? name : name + "\u{0}" + indentation
    }

    func render(_ template: CompiledTemplate, model: Any) -> String {
        var out = ""
        out.reserveCapacity(16 * 1024)
        var stack = [Frame(model)]
        render(template.nodes, &stack, &out)
        return out
    }

    /// One level of the context stack: the object a section entered, with its model view cast once.
    private struct Frame {
        let value: Any
        let node: (any MustacheParent)?

        init(_ value: Any) {
            self.value = value
            self.node = value as? any MustacheParent
        }
    }

    private func render(_ nodes: [CompiledTemplate.Node], _ stack: inout [Frame], _ out: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .value(let path, let escaped):
                guard let value = lookup(path, stack) else { continue }
                let text = Self.text(of: value)
                out += escaped ? HTMLEscaping.escape(text) : text
            case .section(let path, let inverted, let body):
                let value = lookup(path, stack)
                if inverted {
                    if Self.isFalsey(value) { render(body, &stack, &out) }
                } else {
                    renderSection(value, body, &stack, &out)
                }
            case .partial(let name, let indentation):
                // Partials were checked when the templates were loaded (`TemplateSet`); a missing one renders
                // nothing, as the specification says.
                guard let partial = templates[Self.indentedName(name, indentation)] else { continue }
                render(partial.nodes, &stack, &out)
            }
        }
    }

    private func renderSection(_ value: Any?, _ body: [CompiledTemplate.Node], _ stack: inout [Frame], _ out: inout String) {
        guard let value else { return }
        if let flag = value as? Bool {
            if flag { render(body, &stack, &out) }
            return
        }
        if value is String || value is Int || value is Double {
            stack.append(Frame(value))
            render(body, &stack, &out)
            stack.removeLast()
            return
        }
        if let list = value as? any MustacheSequence {
            renderEach(list, body, &stack, &out)
            return
        }
        stack.append(Frame(value))
        render(body, &stack, &out)
        stack.removeLast()
    }

    private func renderEach<S: Sequence>(_ list: S, _ body: [CompiledTemplate.Node], _ stack: inout [Frame], _ out: inout String) {
        for element in list {
            stack.append(Frame(element))
            render(body, &stack, &out)
            stack.removeLast()
        }
    }

    /// Mustache's falsey values: missing, `false`, an empty list.
    private static func isFalsey(_ value: Any?) -> Bool {
        guard let value else { return true }
        if let flag = value as? Bool { return !flag }
        if value is String || value is Int || value is Double { return false }
        if let list = value as? any MustacheSequence { return isEmpty(list) }
        return false
    }

    private static func isEmpty<S: Sequence>(_ list: S) -> Bool {
        var iterator = list.makeIterator()
        return iterator.next() == nil
    }

    /// Resolves a name: its first part in the innermost frame that has it, the rest inside that value.
    private func lookup(_ path: [String], _ stack: [Frame]) -> Any? {
        if path.count == 1, path[0] == "." { return stack.last?.value }
        var found: Any?
        for frame in stack.reversed() {
            if let value = frame.node?.child(named: path[0]) {
                found = value
                break
            }
        }
        guard var value = found else { return nil }
        for name in path.dropFirst() {
            guard let node = value as? any MustacheParent, let child = node.child(named: name) else { return nil }
            value = child
        }
        return value
    }

    private static func text(of value: Any) -> String {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let flag as Bool: flag ? "true" : "false"
        default: String(describing: value)
        }
    }
}
