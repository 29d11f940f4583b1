/// The units whose ids are plain decimal numbers (`42`, not `042`: text and number then name each other one to one), by
/// number: a stored team id that is such a number finds its unit in a flat array instead of a hash table.
///
/// At 1M employees the load resolves 6M idea and 745k response team ids against 93,759 units in random order: a hash
/// table of the ids (several MB) missed the cache on nearly every lookup, the main reason the load grew 15x from 100k
/// to 1M (the 100k table fits in the cache). The array holds 4 bytes per number (375 KB at 1M).
public struct NumberedUnits: Sendable {
    /// Unit index + 1 by number; 0 where no unit has that number. Empty when the numbers are too sparse for an array.
    @usableFromInline let slots: [Int32]

    public init(_ organization: Organization) {
        var numbered: [(number: Int, unit: Int)] = []
        var largest = -1
        for (unit, u) in organization.units.enumerated() {
            var id = u.id
            if let n = id.withUTF8({ Self.canonicalNumber($0) }) {
                numbered.append((n, unit))
                largest = Swift.max(largest, n)
            }
        }
        guard largest >= 0, largest < Swift.max(1 << 20, organization.units.count * 64) else {
            slots = []
            return
        }
        var slots = [Int32](repeating: 0, count: largest + 1)
        for (n, unit) in numbered { slots[n] = Int32(unit + 1) }
        self.slots = slots
    }

    /// The same numbers as a bit set (bit `n` set when a unit's id is `n`): 32 times smaller than the array, for callers
    /// that only ask whether a number is a unit's id (`TeamResolver`). Empty when the array is.
    public var bits: [UInt64] {
        guard !slots.isEmpty else { return [] }
        var bits = [UInt64](repeating: 0, count: slots.count / 64 + 1)
        for (n, slot) in slots.enumerated() where slot != 0 { bits[n >> 6] |= 1 << UInt64(n & 63) }
        return bits
    }

    /// The index of the unit whose id is the number `bytes` spell; nil when they spell none of the units' numbers.
    @inlinable
    public func index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let n = Self.canonicalNumber(bytes), n < slots.count else { return nil }
        let slot = slots[n]
        return slot == 0 ? nil : Int(slot) - 1
    }

    /// The value of 1 to 9 decimal digits without a leading zero (or `0` itself), else nil.
    @inlinable @inline(__always)
    public static func canonicalNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard count >= 1, count <= 9, count == 1 || bytes[0] != UInt8(ascii: "0") else { return nil }
        var value = 0
        for i in 0..<count {
            let digit = Int(bytes[i]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value &* 10 &+ digit
        }
        return value
    }
}
