import Foundation
import Mustache

/// The compiled Mustache templates of the HTML pages: the built-in ones (resource folder `Templates`),
/// each replaced by a same-named `.mustache` file of the override folder when there is one.
struct TemplateSet: Sendable {
    /// Built-in template names (file names without `.mustache`).
    static let names = [
        "index", "team", "methods", "data",
        "page-header", "page-footer", "nav", "stylesheet", "value", "tile", "unit-table", "quadrant", "quadrant-frame", "throughput", "data-quality",
        "heatmap", "trends", "cycle-scatter", "aging-wip", "drivers", "comments",
    ]

    let library: MustacheLibrary

    /// Put before every template: values are escaped by `HTMLEscaping` (a standalone pragma line renders as nothing).
    static let prologue = "{{% CONTENT_TYPE: \(HTMLEscaping.ContentType.name) }}\n"

    init(overrideDirectory: String?) throws(RenderError) {
        _ = HTMLEscaping.ContentType.registered
        var library = MustacheLibrary()
        let builtIn = Bundle.module.resourceURL?.appendingPathComponent("Templates")
        for name in Self.names {
            var path: String?
            if let dir = overrideDirectory {
                let candidate = (dir as NSString).appendingPathComponent(name + ".mustache")
                if FileManager.default.fileExists(atPath: candidate) { path = candidate }
            }
            if path == nil { path = builtIn?.appendingPathComponent(name + ".mustache").path }
            guard let path, let data = FileManager.default.contents(atPath: path) else {
                throw RenderError("the built-in template '\(name).mustache' is missing from the Render resources", path: path)
            }
            let text = Self.prologue + String(decoding: data, as: UTF8.self)
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                // Line numbers count the prologue's line: report them as in the file.
                throw RenderError("template error at line \(error.context.lineNumber - 1), column \(error.context.columnNumber): \(error.error)", path: path)
            } catch {
                throw RenderError("template error: \(error)", path: path)
            }
        }
        self.library = library
    }

    /// Renders a page; a missing template yields an error, not an empty page.
    func render(_ model: Any, _ name: String) throws(RenderError) -> String {
        guard let text = library.render(model, withTemplate: name) else {
            throw RenderError("no template named '\(name)'")
        }
        return text
    }
}
