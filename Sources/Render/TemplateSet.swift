import Foundation
import LeanPulseCore

/// The compiled Mustache templates of the HTML pages: the built-in ones (resource folder `Templates`),
/// each replaced by a same-named `.mustache` file of the override folder when there is one.
struct TemplateSet: Sendable {
    /// Built-in template names (file names without `.mustache`).
    static let names = [
        "index", "team", "methods", "data",
        "page-header", "page-footer", "nav", "stylesheet", "value", "tile", "unit-table", "quadrant", "quadrant-frame", "throughput", "data-quality",
        "heatmap", "items", "trends", "cycle-scatter", "aging-wip", "drivers", "comments",
    ]

    /// The built-in partials that most of a team page's values go through, written by Swift code where the report runs
    /// them as built in (`NativePartial`, docs/DECISIONS.md 49).
    static let nativePartials: [String: NativePartial] = [
        "heatmap": HeatmapChart.nativePartial,
        "items": ItemTable.nativePartial,
        "cycle-scatter": CycleScatter.nativePartial,
        "aging-wip": AgingWIPChart.nativePartial,
        "throughput": ThroughputChart.nativePartial,
        "tile": Tile.nativePartial,
        "drivers": DriverChart.nativePartial,
    ]

    /// The text of each template as loaded (built-in or override), by name.
    let sources: [String: String]
    /// The partials this set writes with Swift code (`nativePartials` less the overridden ones and those including one).
    let nativeNames: [String]
    private let renderer: TemplateRenderer

    init(overrideDirectory: String?) throws(RenderError) {
        let builtIn = Bundle.module.resourceURL?.appendingPathComponent("Templates")
        var sources: [String: String] = [:]
        var paths: [String: String] = [:]
        var natives = Self.nativePartials
        var overridden: Set<String> = []
        for name in Self.names {
            var path: String?
            if let dir = overrideDirectory {
                let candidate = (dir as NSString).appendingPathComponent(name + ".mustache")
                if FileManager.default.fileExists(atPath: candidate) {
                    path = candidate
                    overridden.insert(name)
                }
            }
            if path == nil { path = builtIn?.appendingPathComponent(name + ".mustache").path }
            guard let path, let data = FileManager.default.contents(atPath: path) else {
                throw RenderError("the built-in template '\(name).mustache' is missing from the Render resources", path: path)
            }
            sources[name] = String(decoding: data, as: UTF8.self)
            paths[name] = path
        }
        self.sources = sources
        // An override's markup is the template's to say: a Swift writer of it, or of a partial that includes it, would
        // write the built-in's.
        natives = natives.filter { name, native in !overridden.contains(name) && overridden.isDisjoint(with: native.includes) }
        self.renderer = TemplateRenderer(templates: try Self.compile(sources, paths: paths), natives: natives)
        self.nativeNames = natives.keys.sorted()
    }

    /// Parses every template, and every indented use of a partial as its own variant, checking that each
    /// partial a template names exists.
    static func compile(_ sources: [String: String], paths: [String: String] = [:]) throws(RenderError) -> [String: CompiledTemplate] {
        var compiled: [String: CompiledTemplate] = [:]
        var pending = sources.keys.sorted().map { (name: $0, indentation: "") }
        while let (name, indentation) = pending.popLast() {
            let key = TemplateRenderer.indentedName(name, indentation)
            guard compiled[key] == nil, let text = sources[name] else { continue }
            let path = paths[name] ?? name + ".mustache"
            let template: CompiledTemplate
            do {
                template = try CompiledTemplate(parsing: CompiledTemplate.indenting(text, with: indentation), source: path)
            } catch {
                // Indentation shifts columns on every line but the partial's first: report the file's own column.
                let column = indentation.isEmpty ? error.column : max(1, error.column - indentation.unicodeScalars.count)
                var failure = RenderError("template error: \(error.message)" + (indentation.isEmpty ? "" : " (in an indented use of this partial)"))
                failure.location = SourceLocation(file: path, line: error.line, column: column)
                throw failure
            }
            compiled[key] = template
            guard compiled.count <= 1_000 else {
                throw RenderError("template error: partials include each other with growing indentation without end", path: path)
            }
            for reference in template.partialReferences {
                guard sources[reference.name] != nil else {
                    throw RenderError("template error: no template named '\(reference.name)' for the partial {{>\(reference.name)}}", path: path)
                }
                pending.append((reference.name, indentation + reference.indentation))
            }
        }
        return compiled
    }

    /// Renders a page; a missing template yields an error, not an empty page.
    func render(_ model: some TemplateModel, _ name: String) throws(RenderError) -> String {
        String(decoding: try renderBytes(model, name), as: UTF8.self)
    }

    /// Renders a page as UTF-8 bytes (valid UTF-8: the templates' text and values are Swift strings).
    func renderBytes(_ model: consuming some TemplateModel, _ name: String) throws(RenderError) -> [UInt8] {
        guard let page = renderer.renderBytes(named: name, model: model) else {
            throw RenderError("no template named '\(name)'")
        }
        return page
    }

    /// Appends a page's UTF-8 bytes to `out`; a missing template yields an error, not an empty page.
    func render(_ model: consuming some TemplateModel, _ name: String, into out: ByteBuffer) throws(RenderError) {
        guard renderer.render(named: name, model: model, into: out) else {
            throw RenderError("no template named '\(name)'")
        }
    }
}
