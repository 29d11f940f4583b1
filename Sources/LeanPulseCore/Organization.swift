/// One unit of the organisation file. `headcount` counts the unit's own members, not its sub-units'.
public struct OrgUnit: Sendable, Hashable, Codable {
    public var id: String
    public var parentId: String?
    public var name: String
    public var headcount: Int?

    public init(id: String, parentId: String?, name: String, headcount: Int?) {
        self.id = id
        self.parentId = parentId
        self.name = name
        self.headcount = headcount
    }
}

/// The organisation tree, with units indexed 0..<count in ascending `team_id` order.
public struct Organization: Sendable {
    public let units: [OrgUnit]
    /// Parent index of each unit (nil for a root).
    public let parent: [Int?]
    /// Child indexes of each unit, ascending.
    public let children: [[Int]]
    private let indexById: [String: Int]
    private let indexByName: [String: Int]
    /// Names (as `Scale.key`) that two or more units share, with their indexes: such a name resolves to no unit.
    private let sharedNames: [String: [Int]]

    /// Builds the tree; throws on duplicate ids, unknown parents or cycles.
    public init(units input: [OrgUnit]) throws(Diagnostic) {
        let sorted = input.sorted { Organization.idLess($0.id, $1.id) }
        var byId: [String: Int] = [:]
        for (i, unit) in sorted.enumerated() {
            if byId.updateValue(i, forKey: unit.id) != nil {
                throw Diagnostic(.error, "the organisation file lists team '\(unit.id)' twice")
            }
        }
        var parent: [Int?] = Array(repeating: nil, count: sorted.count)
        var children: [[Int]] = Array(repeating: [], count: sorted.count)
        for (i, unit) in sorted.enumerated() {
            guard let pid = unit.parentId, !pid.isEmpty else { continue }
            guard let p = byId[pid] else {
                throw Diagnostic(.error, "team '\(unit.id)' names parent '\(pid)', which is not in the organisation file")
            }
            parent[i] = p
            children[p].append(i)
        }
        // Reject cycles: every unit must reach a root.
        for start in sorted.indices {
            var seen = 0
            var cursor: Int? = start
            while let c = cursor {
                seen += 1
                if seen > sorted.count {
                    throw Diagnostic(.error, "the organisation file has a cycle through team '\(sorted[start].id)'")
                }
                cursor = parent[c]
            }
        }
        var byName: [String: Int] = [:]
        var shared: [String: [Int]] = [:]
        for (i, unit) in sorted.enumerated() {
            let key = Scale.key(unit.name)
            if let first = byName[key] { shared[key, default: [first]].append(i) } else { byName[key] = i }
        }
        for key in shared.keys { byName[key] = nil }
        self.units = sorted
        self.parent = parent
        self.children = children
        self.indexById = byId
        self.indexByName = byName
        self.sharedNames = shared
    }

    public var count: Int { units.count }
    public func index(of id: String) -> Int? { indexById[id] }
    /// Resolves a team reference by id, then by name (case and surrounding spaces ignored); a name two units share
    /// resolves to none (`unresolved(_:)` says why).
    public func resolve(_ reference: String) -> Int? {
        indexById[reference] ?? indexById[reference.trimmingSpaces] ?? indexByName[Scale.key(reference)]
    }

    /// Why `reference` names no unit, as a finding's code and message: a name several units share, or no unit at all.
    public func unresolved(_ reference: String) -> (code: String, message: String) {
        if let indexes = sharedNames[Scale.key(reference)] {
            let ids = indexes.prefix(5).map { "'\(units[$0].id)'" }.joined(separator: ", ")
            return ("ambiguous-team", "team '\(reference)' is the name of \(indexes.count) units (\(ids)\(indexes.count > 5 ? ", ..." : "")): "
                    + "the export must name the unit by its team_id")
        }
        return ("unknown-team", "team '\(reference)' is not in the organisation file")
    }
    public var roots: [Int] { units.indices.filter { parent[$0] == nil } }

    /// Units ordered so that every child comes before its parent (for bottom-up sums).
    public var bottomUpOrder: [Int] {
        var order: [Int] = []
        order.reserveCapacity(count)
        var stack: [(Int, Bool)] = roots.reversed().map { ($0, false) }
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            stack.append((node, true))
            for c in children[node].reversed() { stack.append((c, false)) }
        }
        return order
    }

    /// Depth of each unit (roots are 0).
    public var depths: [Int] {
        var depth = Array(repeating: 0, count: count)
        for i in bottomUpOrder.reversed() { if let p = parent[i] { depth[i] = depth[p] + 1 } }
        return depth
    }

    /// Ascending `team_id` order: numerically when both ids are integers, else by Unicode scalars.
    public static func idLess(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b) { return x < y || (x == y && a < b) }
        if Int(a) != nil { return true }
        if Int(b) != nil { return false }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}
