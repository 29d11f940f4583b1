import LeanPulseCore

/// Lookups over `PeriodMetrics.units`, built once per report: parent, children, tree order.
/// Positions are indexes into `units` (which is in ascending team id order).
struct UnitTree {
    let units: [UnitMetrics]
    let parent: [Int?]
    let children: [[Int]]
    let roots: [Int]
    /// Position of a unit by `UnitMetrics.unitIndex`.
    let positionByUnitIndex: [Int: Int]
    let positionById: [String: Int]

    init(units: [UnitMetrics]) {
        self.units = units
        var byId: [String: Int] = [:]
        byId.reserveCapacity(units.count)
        var byIndex: [Int: Int] = [:]
        byIndex.reserveCapacity(units.count)
        for (i, u) in units.enumerated() {
            if byId[u.teamId] == nil { byId[u.teamId] = i }
            byIndex[u.unitIndex] = i
        }
        var parent: [Int?] = Array(repeating: nil, count: units.count)
        var children: [[Int]] = Array(repeating: [], count: units.count)
        var roots: [Int] = []
        for (i, u) in units.enumerated() {
            if let pid = u.parentId, !pid.isEmpty, let p = byId[pid], p != i {
                parent[i] = p
                children[p].append(i)
            } else {
                roots.append(i)
            }
        }
        self.parent = parent
        self.children = children
        self.roots = roots
        self.positionById = byId
        self.positionByUnitIndex = byIndex
    }

    /// Ancestors from the root down to the unit's parent.
    func ancestors(of i: Int) -> [Int] {
        var chain: [Int] = []
        var cursor = parent[i]
        while let c = cursor, chain.count <= units.count {
            chain.append(c)
            cursor = parent[c]
        }
        return chain.reversed()
    }

    /// Depth-first pre-order from `starts`, down to `maxLevel` levels below them (0 = the starts only).
    func preorder(from starts: [Int], maxLevel: Int, limit: Int) -> [(position: Int, level: Int)] {
        var out: [(Int, Int)] = []
        var stack: [(Int, Int)] = starts.reversed().map { ($0, 0) }
        while let (node, level) = stack.popLast(), out.count < limit {
            out.append((node, level))
            if level < maxLevel {
                for c in children[node].reversed() { stack.append((c, level + 1)) }
            }
        }
        return out
    }
}
