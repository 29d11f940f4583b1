import LeanPulseCore

/// The tree orders every aggregation needs, computed once per run.
struct OrganizationLayout {
    /// Post-order: every child before its parent, and each subtree a contiguous block ending at its root.
    let postOrder: [Int]
    /// Parent index, -1 for a root (flat, for the hot loops).
    let parent: [Int]
    let isLeaf: [Bool]
    let depth: [Int]

    init(_ org: Organization) {
        postOrder = org.bottomUpOrder
        parent = org.parent.map { $0 ?? -1 }
        isLeaf = org.children.map(\.isEmpty)
        depth = org.depths
    }

    var count: Int { parent.count }

    /// Adds each unit's `width` values into its parent's, children first, so every unit ends up holding
    /// its subtree's total (counts and sums are additive).
    func rollUp<T: AdditiveArithmetic>(_ values: inout [T], width: Int) {
        values.withUnsafeMutableBufferPointer { v in
            for u in postOrder {
                let p = parent[u]
                guard p >= 0 else { continue }
                let from = u * width, to = p * width
                for k in 0..<width { v[to + k] += v[from + k] }
            }
        }
    }

    /// Lays each unit's own values out so that every subtree's values are one contiguous block, then
    /// visits the units children first with their subtree's values sorted ascending.
    ///
    /// Sorting a parent's block finds its children's blocks already sorted; the standard library's
    /// run-detecting merge sort then costs about one merge pass per tree level instead of a full sort.
    func forEachSubtreeSorted(unitOf: [Int32], values: [Int32], _ body: (Int, UnsafeBufferPointer<Int32>) -> Void) {
        var own = [Int](repeating: 0, count: count)
        for u in unitOf { own[Int(u)] += 1 }
        var begin = [Int](repeating: 0, count: count)  // own block start
        var subtreeSize = own
        var cursor = 0
        for u in postOrder {
            begin[u] = cursor
            cursor += own[u]
        }
        for u in postOrder where parent[u] >= 0 { subtreeSize[parent[u]] += subtreeSize[u] }
        var laid = [Int32](repeating: 0, count: cursor)
        var fill = begin
        for (k, u) in unitOf.enumerated() {
            laid[fill[Int(u)]] = values[k]
            fill[Int(u)] += 1
        }
        laid.withUnsafeMutableBufferPointer { buffer in
            for u in postOrder {
                let end = begin[u] + own[u]
                let range = (end - subtreeSize[u])..<end
                var block = UnsafeMutableBufferPointer(rebasing: buffer[range])
                block.sort()
                body(u, UnsafeBufferPointer(block))
            }
        }
    }
}
