#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded cache from short byte strings (team ids as they appear in a file or the store) to values: open addressing,
/// keys of up to eight bytes hashed and compared as one integer, longer ones by FNV-1a and `memcmp`,
/// all keys in one flat buffer. Used where the same few thousand keys come by millions and a
/// `String` per lookup would cost more than the lookup. Once half full it stops taking new keys (lookups go on).
/// Inlinable: the callers (Normalize, Store) get it specialized for their value type.
public struct ByteKeyTable<Value> {
    @usableFromInline var slots: [Int32]
    @usableFromInline let mask: Int
    @usableFromInline var keyBytes: [UInt8] = []
    @usableFromInline var keyStart: [Int] = [0]
    @usableFromInline var values: [Value] = []
    /// Each key's first eight bytes, zero-padded: keys of up to eight bytes (most team ids) compare as one integer.
    @usableFromInline var prefixes: [UInt64] = []

    @inlinable
    public init(minimumSlots: Int) {
        var size = 16
        while size < minimumSlots { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The first eight bytes of `bytes` as an integer (little-endian, zero-padded).
    @inlinable
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        var i = Swift.min(bytes.count, 8)
        while i > 0 {
            i -= 1
            value = value << 8 | UInt64(bytes[i])
        }
        return value
    }

    /// Short keys mix their prefix (one multiply); longer ones run FNV-1a over every byte.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> Int {
        var hash: UInt64
        if bytes.count <= 8 {
            hash = (prefix ^ UInt64(bytes.count) << 59) &* 0x9E37_79B9_7F4A_7C15
        } else {
            hash = 0xcbf2_9ce4_8422_2325
            for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    /// The slot holding `bytes`, or the empty slot where it would go (as a negative number minus one).
    @inlinable
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let prefix = Self.prefix(bytes)
        let count = bytes.count
        var slot = Self.hash(bytes, prefix: prefix) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return -slot - 1 }
            if prefixes[entry] == prefix {
                let start = keyStart[entry]
                if keyStart[entry + 1] - start == count {
                    if count <= 8 { return slot }
                    let same = keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, bytes.baseAddress!, count) == 0 }
                    if same { return slot }
                }
            }
            slot = (slot + 1) & mask
        }
    }

    @inlinable
    public func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        let slot = find(bytes)
        return slot >= 0 ? values[Int(slots[slot])] : nil
    }

    @inlinable
    public mutating func insert(_ value: Value, for bytes: UnsafeBufferPointer<UInt8>) {
        let slot = find(bytes)
        guard slot < 0, values.count * 2 < slots.count else { return }
        slots[-slot - 1] = Int32(values.count)
        keyBytes.append(contentsOf: bytes)
        keyStart.append(keyBytes.count)
        prefixes.append(Self.prefix(bytes))
        values.append(value)
    }
}
