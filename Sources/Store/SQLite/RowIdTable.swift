/// Row ids by a 64-bit key that is already a hash (`ImportWriter.respondentHash`): open addressing with linear probing.
///
/// `[UInt64: Int64]` ran each key through SipHash (`Hasher`) on every insert and lookup, 2.3% of a survey import's
/// writer, and its buckets are larger; here the key's own bits choose the slot.
struct RowIdTable {
    private var keys: [UInt64]
    private var rows: [Int64]
    /// Slot holds a key (a key may be 0, so emptiness is kept apart).
    private var used: [Bool]
    private(set) var count = 0
    private var mask: Int

    init(minimumCapacity: Int = 1024) {
        var slots = 16
        while slots < minimumCapacity * 2 { slots <<= 1 }
        keys = Array(repeating: 0, count: slots)
        rows = Array(repeating: 0, count: slots)
        used = Array(repeating: false, count: slots)
        mask = slots - 1
    }

    subscript(key: UInt64) -> Int64? {
        get {
            var slot = Self.slot(key, mask)
            while used[slot] {
                if keys[slot] == key { return rows[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
        set {
            // Rows are only ever added or replaced (an import's rows are not forgotten until the table is).
            guard let row = newValue else { preconditionFailure("RowIdTable does not remove keys") }
            var slot = Self.slot(key, mask)
            while used[slot] {
                if keys[slot] == key {
                    rows[slot] = row
                    return
                }
                slot = (slot + 1) & mask
            }
            used[slot] = true
            keys[slot] = key
            rows[slot] = row
            count += 1
            if count * 2 > keys.count { grow() }
        }
    }

    mutating func removeAll() {
        self = RowIdTable()
    }

    /// The slot for `key`: its top bits after a multiplication (the FNV hash's low bits are its least mixed).
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        let old = (keys, rows, used)
        var larger = RowIdTable(minimumCapacity: keys.count)
        for i in old.0.indices where old.2[i] { larger[old.0[i]] = old.1[i] }
        self = larger
    }
}
