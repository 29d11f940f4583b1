import Yams

/// The keys a YAML file may use, checked before it is decoded: a misspelt key would otherwise read as "not set",
/// and the run would go on with the default (`min_respondent: 10` leaving the threshold at 5). An unknown key is an
/// error at its own line and column, with the nearest known key as a suggestion (docs/DECISIONS.md 34).
///
/// The keys of a mapping are read off the Codable struct that decodes it (`Mirror` of an empty value: the
/// synthesized coding keys are the property names), so a key added to the struct is known here without a second list.
public indirect enum YAMLKeys: Sendable {
    /// Any value: a scalar, or a mapping or list whose keys are data (ids, column names).
    case any
    /// A mapping with these keys; `what` names it in the message ("a source", "the pipeline file").
    case mapping(what: String, keys: [String: YAMLKeys])
    /// A mapping keyed by ids (scales, items, factors), each value of the given shape.
    case entries(YAMLKeys)
    /// A list, each element of the given shape.
    case list(YAMLKeys)

    /// The mapping `what` with the stored properties of `empty` as its keys; `nested` gives the shape of those that
    /// are mappings or lists of mappings, every other key takes any value.
    public static func mapping(what: String, of empty: Any, nested: [String: YAMLKeys] = [:]) -> YAMLKeys {
        var keys: [String: YAMLKeys] = [:]
        for child in Mirror(reflecting: empty).children {
            guard let label = child.label else { continue }
            keys[label] = nested[label] ?? .any
        }
        precondition(Set(nested.keys).isSubset(of: keys.keys), "YAMLKeys: nested shapes for keys \(what) does not have")
        return .mapping(what: what, keys: keys)
    }

    /// Throws the first key in document order that `node` may not have.
    public func check(_ node: Node, path: String) throws(Diagnostic) {
        switch (self, node) {
        case (.mapping(let what, let keys), .mapping(let mapping)):
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                guard let shape = keys[key] else {
                    throw Diagnostic(.error, Self.unknown(key, in: what, known: keys.keys), at: keyNode.location(in: path))
                }
                try shape.check(value, path: path)
            }
        case (.entries(let shape), .mapping(let mapping)):
            for (_, value) in mapping { try shape.check(value, path: path) }
        case (.list(let shape), .sequence(let sequence)):
            for element in sequence { try shape.check(element, path: path) }
        default:
            // A value of another shape is the decoder's to report ("'sources' must be a list").
            break
        }
    }

    /// "unknown key 'delimter' in a source (did you mean 'delimiter'?)", or the keys there are when none is close.
    public static func unknown(_ key: String, in what: String, known: some Collection<String>) -> String {
        let message = "unknown key '\(key)' in \(what)"
        if let near = nearest(key, among: known) { return message + " (did you mean '\(near)'?)" }
        return message + "; its keys are " + known.sorted().joined(separator: ", ")
    }

    /// The known key within a small edit distance of `key` (case ignored): at most 1 for keys of up to 4 characters,
    /// 2 up to 8, 3 beyond; nil when none is that close.
    public static func nearest(_ key: String, among known: some Collection<String>) -> String? {
        let typed = Array(key.lowercased().unicodeScalars)
        let limit = typed.count <= 4 ? 1 : typed.count <= 8 ? 2 : 3
        var best: (key: String, distance: Int)?
        for candidate in known.sorted() {
            let distance = editDistance(typed, Array(candidate.lowercased().unicodeScalars))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.key
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
                current[j] = d
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}

extension Node {
    /// Where this node starts in the YAML file at `path` (the file alone where Yams kept no mark).
    func location(in path: String) -> SourceLocation {
        guard let mark else { return SourceLocation(file: path) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }
}

extension PipelineFile {
    /// Every key of the pipeline file (DESIGN.md "The pipeline file" and this project's additions).
    static let keys = YAMLKeys.mapping(what: "the pipeline file", of: PipelineFile(), nested: [
        "organization": .mapping(what: "'organization'", of: Organization()),
        "sources": .list(.mapping(what: "a source", of: Source(), nested: [
            "statuses": .mapping(what: "'statuses' of a source", of: Statuses()),
        ])),
        "confidentiality": .mapping(what: "'confidentiality'", of: Confidentiality()),
        "metrics": .mapping(what: "'metrics'", of: Metrics()),
        "quality": .mapping(what: "'quality'", of: Quality()),
        "reports": .mapping(what: "'reports'", of: Reports()),
        "branding": .mapping(what: "'branding'", of: Branding()),
    ])
}

extension InstrumentFile {
    /// Every key of the instrument file.
    static let keys = YAMLKeys.mapping(what: "the instrument file", of: InstrumentFile(), nested: [
        "scales": .entries(.mapping(what: "a scale", of: ScaleEntry())),
        "items": .entries(.mapping(what: "an item", of: ItemEntry())),
        "factors": .entries(.mapping(what: "a factor", of: FactorEntry())),
    ])
}
