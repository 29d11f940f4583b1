import Yams

/// The instrument file as written: scales, items (in order) and factors.
struct InstrumentFile: Decodable {
    var instrument: String?
    var version: String?
    var scales: [String: ScaleEntry]?
    var items: [String: ItemEntry]?
    var factors: [String: FactorEntry]?

    struct ScaleEntry: Decodable {
        var min: Int?
        var max: Int?
        var labels: [String: Int]?
        var not_answered: [String]?
        var favorable: [Int]?
        var unfavorable: [Int]?
    }

    struct ItemEntry: Decodable {
        var text: String?
        var scale: String?
        var reverse: Bool?
    }

    struct FactorEntry: Decodable {
        var name: String?
        var items: [String]?
        var role: String?
    }
}

extension Instrument {
    /// Reads an instrument file. Items keep the file's order: answers are stored in that order.
    public static func load(path: String) throws(Diagnostic) -> Instrument {
        let document = try YAMLDocument<InstrumentFile>(path: path, keys: InstrumentFile.keys)
        let file = document.value
        func keyOrder(_ key: String) -> [String] {
            guard case .mapping(let mapping)? = document.root[key] else { return [] }
            return mapping.keys.compactMap(\.string)
        }
        var scales: [String: Scale] = [:]
        for (id, entry) in file.scales ?? [:] {
            guard let min = entry.min, let max = entry.max else {
                throw Diagnostic(.error, "scale '\(id)' needs 'min' and 'max'", at: document.location(["scales", id]))
            }
            guard max > min, max - min <= 100 else {
                throw Diagnostic(.error, "scale '\(id)': max must be above min (at most 101 points)", at: document.location(["scales", id]))
            }
            // Answers are stored as 16-bit numbers, and -32,768 marks "not answered" (`ResponseColumns.noAnswer`).
            guard min >= -32_767, max <= 32_767 else {
                throw Diagnostic(.error, "scale '\(id)': min and max must lie within -32767...32767", at: document.location(["scales", id]))
            }
            for (label, value) in entry.labels ?? [:] where !(min...max).contains(value) {
                throw Diagnostic(.error, "scale '\(id)': label '\(label)' maps to \(value), outside \(min)...\(max)",
                                 at: document.location(["scales", id, "labels"]))
            }
            // Labels match case-insensitively after trimming (METRICS.md 1): two that read alike but score differently
            // would leave it to chance which one an answer gets. The same label twice with one value is harmless.
            var seen: [String: (label: String, value: Int)] = [:]
            for (label, value) in (entry.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
                let key = Scale.key(label)
                if let other = seen[key], other.value != value {
                    throw Diagnostic(.error, "scale '\(id)': labels '\(other.label)' (\(other.value)) and '\(label)' (\(value)) read alike "
                                     + "(labels match ignoring case and spaces): keep one", at: document.location(["scales", id, "labels"]))
                }
                seen[key] = (label, value)
            }
            scales[id] = Scale(id: id, min: min, max: max, labels: entry.labels ?? [:],
                               notAnswered: Set(entry.not_answered ?? []),
                               favorable: entry.favorable.map(Set.init), unfavorable: entry.unfavorable.map(Set.init))
        }
        let itemEntries = file.items ?? [:]
        guard !itemEntries.isEmpty else {
            throw Diagnostic(.error, "the instrument has no 'items'", at: document.location([]))
        }
        var items: [Item] = []
        for id in keyOrder("items") {
            guard let entry = itemEntries[id] else { continue }
            guard let scaleId = entry.scale, let scale = scales[scaleId] else {
                throw Diagnostic(.error, "item '\(id)' names scale '\(entry.scale ?? "")', which the instrument does not define",
                                 at: document.location(["items", id]))
            }
            items.append(Item(id: id, text: entry.text ?? id, scale: scale, reverse: entry.reverse ?? false))
        }
        var factors: [Factor] = []
        var roles = Set<FactorRole>()
        for id in keyOrder("factors") {
            guard let entry = file.factors?[id] else { continue }
            var indexes: [Int] = []
            for itemId in entry.items ?? [] {
                guard let index = items.firstIndex(where: { $0.id == itemId }) else {
                    throw Diagnostic(.error, "factor '\(id)' lists item '\(itemId)', which the instrument does not define",
                                     at: document.location(["factors", id, "items"]))
                }
                indexes.append(index)
            }
            guard !indexes.isEmpty else {
                throw Diagnostic(.error, "factor '\(id)' has no items", at: document.location(["factors", id]))
            }
            var role: FactorRole?
            if let text = entry.role {
                guard let r = FactorRole(rawValue: text) else {
                    throw Diagnostic(.error, "factor '\(id)': role '\(text)' is not one of \(FactorRole.allCases.map(\.rawValue).joined(separator: ", "))",
                                     at: document.location(["factors", id, "role"]))
                }
                guard roles.insert(r).inserted else {
                    throw Diagnostic(.error, "two factors have the role '\(text)'", at: document.location(["factors", id, "role"]))
                }
                if r == .enps, indexes.count != 1 {
                    throw Diagnostic(.error, "the enps factor must have exactly one item", at: document.location(["factors", id]))
                }
                // eNPS counts promoters (9-10) and detractors (0-6) on the 0-10 recommendation question (METRICS.md 2):
                // on another scale every eNPS would be blank without a word.
                if r == .enps, let only = indexes.first, items[only].scale.min != 0 || items[only].scale.max != 10 {
                    let scale = items[only].scale
                    throw Diagnostic(.error, "the enps factor's item '\(items[only].id)' is on a \(scale.min)-\(scale.max) scale; eNPS needs the 0-10 "
                                     + "recommendation question (promoters 9-10, detractors 0-6)", at: document.location(["factors", id]))
                }
                role = r
            }
            factors.append(Factor(id: id, name: entry.name ?? id, itemIndexes: indexes, role: role))
        }
        return Instrument(id: file.instrument ?? "instrument", version: file.version ?? "1", items: items, factors: factors)
    }
}
