/// An answer scale: integer points `min...max`, text labels and codes that mean "not answered".
public struct Scale: Sendable, Hashable {
    public var id: String
    public var min: Int
    public var max: Int
    /// Lower-cased, trimmed label -> value.
    public var labels: [String: Int]
    /// Lower-cased, trimmed codes or labels that mean "not answered" without being an error (`-99`, `don't know`): the
    /// scale's own and `standardNotAnswered`.
    public var notAnswered: Set<String>
    /// Values counted favorable / unfavorable (METRICS.md 1; instrument may override).
    public var favorable: Set<Int>
    public var unfavorable: Set<Int>

    public init(id: String, min: Int, max: Int, labels: [String: Int] = [:], notAnswered: Set<String> = [],
                favorable: Set<Int>? = nil, unfavorable: Set<Int>? = nil) {
        self.id = id
        self.min = min
        self.max = max
        self.labels = Dictionary(labels.map { (Scale.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.notAnswered = Set(notAnswered.map(Scale.key)).union(Scale.standardNotAnswered)
        let defaults = Scale.defaultSets(min: min, max: max)
        self.favorable = favorable ?? defaults.favorable
        self.unfavorable = unfavorable ?? defaults.unfavorable
    }

    public var points: Int { max - min + 1 }

    /// Answers that mean "not answered" on every scale, without a warning (METRICS.md 1: "don't know"/"N/A" leave the
    /// denominator quietly), as `key` writes them; part of every scale's `notAnswered`. A scale's own `labels` are
    /// looked up first: an instrument that scores one of these keeps its value.
    public static let standardNotAnswered: Set<String> = [
        "don't know", "don\u{2019}t know", "dont know", "do not know", "n/a", "n.a.", "not applicable",
        // LimeSurvey's own option for a question left unanswered (its full-answer exports write it).
        "no answer",
    ]

    /// The normalisation key of a label: trimmed (spaces and NBSP), white space inside made one plain space (an NBSP
    /// between words, as Excel and web forms write `Strongly\u{00A0}agree`, or two spaces), and lower-cased.
    public static func key(_ text: String) -> String {
        let trimmed = text.hasNoSpacesAtEdges ? text : text.trimmingSpaces
        // ASCII with single spaces (most labels and team names): its own key, or its lower case; no scalar walk.
        var previousSpace = false, plain = true, capitals = false
        for byte in trimmed.utf8 {
            if byte >= 0x80 || byte < 0x20 || (byte == 0x20 && previousSpace) { plain = false; break }
            if byte >= 0x41 && byte <= 0x5A { capitals = true }
            previousSpace = byte == 0x20
        }
        if plain { return capitals ? trimmed.lowercased() : trimmed }
        // Non-ASCII (an accented name) with nothing to fold: its lower case, as before.
        var previous = false, folds = false
        for scalar in trimmed.unicodeScalars {
            let space = Self.isWhiteSpace(scalar.value)
            if space && (scalar.value != 0x20 || previous) { folds = true; break }
            previous = space
        }
        if !folds { return trimmed.lowercased() }
        var folded = ""
        folded.reserveCapacity(trimmed.utf8.count)
        var pendingSpace = false
        for scalar in trimmed.unicodeScalars {
            if Self.isWhiteSpace(scalar.value) {
                pendingSpace = true
                continue
            }
            if pendingSpace { folded.unicodeScalars.append(" ") }
            pendingSpace = false
            folded.unicodeScalars.append(scalar)
        }
        return folded.lowercased()
    }

    /// Unicode's White_Space property, spelled out (`properties.isWhitespace` looks it up in tables: it was half of reading
    /// the bench's 83k team names, most with an accent).
    @inline(__always)
    static func isWhiteSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (0x09...0x0D).contains(v) }
        return v == 0x85 || v == 0xA0 || v == 0x1680 || (0x2000...0x200A).contains(v) || v == 0x2028 || v == 0x2029
            || v == 0x202F || v == 0x205F || v == 0x3000
    }

    /// METRICS.md 1: favorable and unfavorable sets by scale length.
    public static func defaultSets(min: Int, max: Int) -> (favorable: Set<Int>, unfavorable: Set<Int>) {
        switch max - min + 1 {
        case 4: return ([min + 2, min + 3], [min, min + 1])
        case 5: return ([min + 3, min + 4], [min, min + 1])
        case 6: return ([min + 4, min + 5], [min, min + 1, min + 2])
        case 7: return ([min + 5, min + 6], [min, min + 1, min + 2])
        case 11: return ([min + 9, min + 10], Set(min...(min + 6)))
        default:
            // Other lengths: the top fifth favorable, the bottom two fifths unfavorable.
            let n = max - min + 1
            let top = Swift.max(1, n / 5)
            return (Set((max - top + 1)...max), Set(min...(min + Swift.max(0, (2 * n) / 5 - 1))))
        }
    }
}

/// A survey question.
public struct Item: Sendable, Hashable {
    public var id: String
    public var text: String
    public var scale: Scale
    public var reverse: Bool

    public init(id: String, text: String, scale: Scale, reverse: Bool = false) {
        self.id = id
        self.text = text
        self.scale = scale
        self.reverse = reverse
    }
}

/// The role a factor plays in the headline metrics.
public enum FactorRole: String, Sendable, Codable, CaseIterable {
    case engagement, autonomy, accountability, alignment, enps
}

/// A group of items reported together.
public struct Factor: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Indexes into `Instrument.items`.
    public var itemIndexes: [Int]
    public var role: FactorRole?

    public init(id: String, name: String, itemIndexes: [Int], role: FactorRole?) {
        self.id = id
        self.name = name
        self.itemIndexes = itemIndexes
        self.role = role
    }
}

/// The questionnaire: items in a fixed order (answers are stored in this order) and their factors.
public struct Instrument: Sendable, Hashable {
    public var id: String
    public var version: String
    public var items: [Item]
    public var factors: [Factor]

    public init(id: String, version: String, items: [Item], factors: [Factor]) {
        self.id = id
        self.version = version
        self.items = items
        self.factors = factors
    }

    public func itemIndex(_ id: String) -> Int? { items.firstIndex { $0.id == id } }
    public func factor(role: FactorRole) -> Factor? { factors.first { $0.role == role } }

    /// For each item (by index), the first factor that lists it: the factor that names the item in the outputs
    /// (an item may sit in several factors).
    public var firstFactorOfItem: [Factor?] {
        var result = [Factor?](repeating: nil, count: items.count)
        for factor in factors {
            for i in factor.itemIndexes where i >= 0 && i < items.count && result[i] == nil { result[i] = factor }
        }
        return result
    }
    /// The single item of the `enps` factor, if the instrument has one.
    public var enpsItemIndex: Int? { factor(role: .enps)?.itemIndexes.first }
}
