/// A built-in partial written by Swift code instead of run as a template: the same bytes, without a name lookup, a
/// value copy and an escaping call per `{{value}}`.
///
/// The template stays the definition of the markup. A writer is used only where the report runs the built-in template
/// (`TemplateSet` leaves it out when an override folder replaces the partial), only for the partial's unindented use,
/// and only when the innermost context is the model it was written for; otherwise the template runs.
/// `Tests/RenderTests/NativePartialTests` renders every page of the fixture reports both ways and compares them byte
/// for byte (docs/DECISIONS.md 49).
struct NativePartial: Sendable {
    /// Writes the partial for the model of `frame` (the innermost context) to `out` and returns true, or returns false,
    /// having written nothing, when the model is not the writer's.
    let write: @Sendable (TemplateFrame, ByteBuffer) -> Bool
    /// The partials the template includes, which the writer writes as built in: an override of any of them leaves the
    /// writer out too.
    let includes: [String]

    /// A writer for partials entered with a `Model` as their innermost context
    /// (`{{#heatmap}}{{>heatmap}}{{/heatmap}}`).
    init<Model: TemplateModel>(for model: Model.Type, including includes: [String] = [],
                               _ body: @escaping @Sendable (Model, ByteBuffer) -> Void) {
        self.includes = includes
        write = { frame, out in
            guard let model = frame.model(as: Model.self) else { return false }
            body(model, out)
            return true
        }
    }
}
