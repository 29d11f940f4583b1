import LeanPulseCore

extension ResponseTable {
    /// The rows of units `0..<unitCount`, grouped by `group(unit)` (`0..<groups`; any other value is put last), each
    /// group's rows in their own order: a stable counting sort.
    ///
    /// The row loops of the unit tallies visit rows in this order, grouped by unit (or by driver group): in export
    /// order every row's tallies were a cache miss (tens of MB of unit x item tallies at a million employees). As the
    /// sort is stable and every floating-point sum belongs to one group, each sum adds its rows in the order it did
    /// in export order: the results are the same to the last bit.
    func rowsGrouped(unitCount: Int, groups: Int, by group: (Int) -> Int) -> [Int32] {
        precondition(count <= Int(Int32.max), "row numbers are 32-bit")
        var start = [Int](repeating: 0, count: groups + 2)
        var bucketOfRow = [Int32](repeating: -1, count: count)
        for r in 0..<count {
            let u = Int(unit[r])
            guard u >= 0, u < unitCount else { continue }
            let g = group(u)
            let bucket = g >= 0 && g < groups ? g : groups
            bucketOfRow[r] = Int32(bucket)
            start[bucket + 1] += 1
        }
        for b in 0 ..< groups + 1 { start[b + 1] += start[b] }
        var order = [Int32](repeating: 0, count: start[groups + 1])
        for r in 0..<count where bucketOfRow[r] >= 0 {
            let b = Int(bucketOfRow[r])
            order[start[b]] = Int32(r)
            start[b] += 1
        }
        return order
    }
}
