import Foundation
import Yams

/// A YAML file decoded into a Codable struct, with decoding errors mapped back to `path:line:column`.
public struct YAMLDocument<Value: Decodable> {
    public let value: Value
    /// The composed tree, for key order and the location of a value.
    public let root: Node
    public let path: String

    /// - Parameter keys: the keys the file may use; an unknown one is an error at its location (`YAMLKeys`).
    public init(path: String, keys: YAMLKeys? = nil) throws(Diagnostic) {
        let text: String
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Diagnostic(.error, "no such file", at: SourceLocation(file: path))
        }
        guard !isFolder.boolValue else { throw Diagnostic(.error, "is a folder, not a file", at: SourceLocation(file: path)) }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw Diagnostic(.error, "the file is not valid UTF-8", at: SourceLocation(file: path))
            }
            text = decoded
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw Diagnostic(.error, "cannot read the file: \(Self.reason(error))", at: SourceLocation(file: path))
        }
        try self.init(text: text, path: path, keys: keys)
    }

    public init(text: String, path: String, keys: YAMLKeys? = nil) throws(Diagnostic) {
        self.path = path
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: Self.shieldPlaceholders(text)) else {
                throw Diagnostic(.error, "the file is empty", at: SourceLocation(file: path, line: 1, column: 1))
            }
            node = composed
        } catch let error as Diagnostic {
            throw error
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, path: path, text: text)
        } catch {
            throw Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: path))
        }
        root = node
        try keys?.check(node, path: path)
        do {
            value = try YAMLDecoder().decode(Value.self, from: node)
        } catch let error as DecodingError {
            throw Self.diagnostic(for: error, root: node, path: path)
        } catch {
            throw Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: path))
        }
    }

    /// The contract's own example writes `reports: { dir: ../Reports/{period}, ... }`, which strict YAML
    /// rejects (`{` inside a flow mapping). Placeholders are swapped for a same-width stand-in before
    /// parsing, so columns in error messages stay right, and swapped back by `restorePlaceholders`.
    static func shieldPlaceholders(_ text: String) -> String {
        text.replacingAll("{period}", with: placeholderStandIn)
    }

    static var placeholderStandIn: String { "\u{2039}period\u{203A}" }

    /// The location of the node at `keys` (mapping keys and sequence indexes), or of the nearest ancestor.
    public func location(_ keys: [String]) -> SourceLocation {
        Self.location(of: keys, in: root, path: path)
    }

    /// The keys of the mapping at `keys`, in the file's order, each with its own location (not its value's); empty
    /// when there is no mapping there.
    public func mappingKeys(_ keys: [String]) -> [(key: String, location: SourceLocation)] {
        let (node, found) = Self.descend(keys, from: root)
        guard found, case .mapping(let mapping) = node else { return [] }
        return mapping.compactMap { pair in
            pair.key.string.map { (key: $0, location: pair.key.location(in: path)) }
        }
    }

    static func location(of keys: [String], in root: Node, path: String) -> SourceLocation {
        descend(keys, from: root).node.location(in: path)
    }

    /// The node at `keys` (mapping keys and sequence indexes), or the nearest ancestor with `found` false.
    private static func descend(_ keys: [String], from root: Node) -> (node: Node, found: Bool) {
        var node = root
        for key in keys {
            if let index = Int(key), case .sequence(let seq) = node, index < seq.count {
                node = seq[index]
            } else if let child = node[key] {
                node = child
            } else {
                return (node, false)
            }
        }
        return (node, true)
    }

    private static func diagnostic(for error: DecodingError, root: Node, path: String) -> Diagnostic {
        func keys(_ codingPath: [any CodingKey]) -> [String] {
            codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let name = keys(context.codingPath).joined(separator: ".")
            return Diagnostic(.error, "'\(name)' must be \(describe(type))",
                              at: location(of: keys(context.codingPath), in: root, path: path))
        case let .keyNotFound(key, context):
            let parent = keys(context.codingPath).joined(separator: ".")
            return Diagnostic(.error, "missing key '\(key.stringValue)'\(parent.isEmpty ? "" : " in '\(parent)'")",
                              at: location(of: keys(context.codingPath), in: root, path: path))
        case let .dataCorrupted(context):
            return Diagnostic(.error, context.debugDescription, at: location(of: keys(context.codingPath), in: root, path: path))
        @unknown default:
            return Diagnostic(.error, "invalid value", at: SourceLocation(file: path))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        if type is String.Type || type is String?.Type { return "text" }
        if type is Int.Type || type is Int?.Type { return "a whole number" }
        if type is Double.Type || type is Double?.Type { return "a number" }
        if type is Bool.Type || type is Bool?.Type { return "true or false" }
        // An optional key's type arrives wrapped (`Optional<Array<...>>`): the wrapped type is what the key wants.
        var name = String(describing: type)
        while name.hasPrefix("Optional<") && name.hasSuffix(">") { name = String(name.dropFirst("Optional<".count).dropLast()) }
        // Yams names the YAML node it expected: a scalar (text or a number), a sequence (a list), a mapping.
        if name.hasSuffix("Scalar") { return "a single value (text or a number)" }
        if name.hasSuffix("Sequence") { return "a list" }
        if name == "String" { return "text" }
        if name == "Int" { return "a whole number" }
        if name == "Double" { return "a number" }
        if name == "Bool" { return "true or false" }
        if name.hasPrefix("Dictionary") { return "a mapping of keys to values" }
        if name.hasPrefix("Array") { return "a list" }
        return "a mapping with the documented keys"
    }

    private static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let text = [context?.text, problem].compactMap { $0 }.joined(separator: " ")
            return Diagnostic(.error, "invalid YAML: \(text)", at: SourceLocation(file: path, line: mark.line, column: mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the mapping's first key; the error is the second writing of the key: found in the text, at the
            // indentation of the mapping (so that a nested key of the same name elsewhere is not taken for it).
            let name = duplicates.first ?? ""
            let indent = max(context.mark.column - 1, 0)
            var seen: [Int] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= context.mark.line {
                let body = line.drop { $0 == " " }
                guard line.count - body.count == indent, body.hasPrefix(name), body.dropFirst(name.count).drop(while: { $0 == " " }).first == ":"
                else { continue }
                seen.append(index + 1)
            }
            if seen.count >= 2 {
                return Diagnostic(.error, "duplicate key '\(name)' (first on line \(seen[0]))",
                                  at: SourceLocation(file: path, line: seen[1], column: indent + 1))
            }
            return Diagnostic(.error, "duplicate key \(duplicates.joined(separator: ", "))",
                              at: SourceLocation(file: path, line: context.mark.line, column: context.mark.column))
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: path))
        }
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return posix.localizedDescription }
        return ns.localizedDescription
    }
}

extension String {
    /// Undoes `YAMLDocument`'s placeholder shielding in a value read from a YAML file.
    public var restoringPlaceholders: String {
        replacingAll(YAMLDocument<PipelineFile>.placeholderStandIn, with: "{period}")
    }
}

/// Paths in a pipeline file resolve against the file's own folder (cron's working directory is not the project).
public enum PathResolver {
    public static func absolute(_ path: String, relativeTo base: String) -> String {
        let expanded = path.hasPrefix("~/") ? (ProcessInfo.processInfo.environment["HOME"] ?? "") + path.dropFirst() : path
        if expanded.hasPrefix("/") { return standardize(expanded) }
        return standardize(base + "/" + expanded)
    }

    /// Removes `.` and `..` components without touching the file system.
    public static func standardize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The files a path or glob pattern matches, sorted; a plain path is returned as is (even if missing).
    public static func expand(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        return paths.sorted()
    }
}
