/// The levels of `TemplateRenderer`'s context stack: the page's model, the models and list elements that
/// sections enter, and plain values entered as sections.
///
/// Classes, so that a lookup walking the stack calls each level's model in place: copying a model out of an
/// enum, array or existential copies, retains and later releases every reference it holds.
class TemplateFrame {
    /// The value of `name` at this level, `.missing` when it has none.
    func value(of name: TemplateName) -> TemplateValue { .missing }
    /// The value of a name outside `TemplateName`.
    func value(named text: String) -> TemplateValue { .missing }
    /// What `{{.}}` shows.
    var dot: TemplateValue { .missing }
    /// This level's model when it is a `Model` (for a `NativePartial`).
    func model<Model>(as type: Model.Type) -> Model? { nil }
}

/// A model: the page's own, or one a section enters (`TemplateValue.model`).
final class ModelFrame: TemplateFrame {
    let model: any TemplateModel

    init(_ model: consuming any TemplateModel) { self.model = model }

    override func value(of name: TemplateName) -> TemplateValue { model.value(of: name) }
    override func value(named text: String) -> TemplateValue { model.value(named: text) }
    override var dot: TemplateValue { .model(self) }
    override func model<Model>(as type: Model.Type) -> Model? { model as? Model }
}

/// An array of models (`TemplateValue.list`).
class ModelList {
    var isEmpty: Bool { true }
    /// Calls `body` with the context-stack level of each element in turn.
    func forEachFrame(_ body: (TemplateFrame) -> Void) {}
    /// The array itself, for swift-mustache.
    var array: Any { [Any]() }
}

final class ModelArray<Element: TemplateModel>: ModelList {
    let elements: [Element]

    init(_ elements: [Element]) { self.elements = elements }

    override var isEmpty: Bool { elements.isEmpty }

    override func forEachFrame(_ body: (TemplateFrame) -> Void) {
        for element in elements { body(ElementFrame(element)) }
    }

    override var array: Any { elements }
}

/// An element of a list of models, held as its own type (no existential box).
private final class ElementFrame<Element: TemplateModel>: TemplateFrame {
    let element: Element

    init(_ element: consuming Element) { self.element = element }

    override func value(of name: TemplateName) -> TemplateValue { element.value(of: name) }
    override func value(named text: String) -> TemplateValue { element.value(named: text) }
    override var dot: TemplateValue { .model(ModelFrame(element)) }
    override func model<Model>(as type: Model.Type) -> Model? { element as? Model }
}

/// A text or number entered as a section (or an element of a list of them): it has no names.
final class ValueFrame: TemplateFrame {
    let value: TemplateValue

    init(_ value: TemplateValue) { self.value = value }

    override var dot: TemplateValue { value }
}
