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
    /// One slot of the open-addressing table: the key's first eight bytes, its length and its entry, side by side, so
    /// that a lookup of a short key touches one cache line of the table (a million-employee export names 93k teams,
    /// and a table that large no longer fits in the cache: separate arrays cost a miss each).
    @usableFromInline struct Slot {
        @usableFromInline var prefix: UInt64
        @usableFromInline var length: Int32
        /// Index into `values`, -1 for an empty slot.
        @usableFromInline var entry: Int32

        @inlinable init(prefix: UInt64, length: Int32, entry: Int32) {
            self.prefix = prefix
            self.length = length
            self.entry = entry
        }
    }

    @usableFromInline var slots: [Slot]
    @usableFromInline let mask: Int
    @usableFromInline var keyBytes: [UInt8] = []
    @usableFromInline var keyStart: [Int] = []
    @usableFromInline var values: [Value] = []

    @inlinable
    public init(minimumSlots: Int) {
        var size = 16
        while size < minimumSlots { size <<= 1 }
        slots = Array(repeating: Slot(prefix: 0, length: 0, entry: -1), count: size)
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

    /// Keys of up to 8 bytes mix their prefix (one multiply), keys of up to 16 their prefix and their last eight bytes
    /// (which together cover every byte: statuses such as `in_progress`, numbered ids); longer ones run FNV-1a over
    /// every byte.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> Int {
        var hash: UInt64
        if bytes.count <= 8 {
            hash = (prefix ^ UInt64(bytes.count) << 59) &* 0x9E37_79B9_7F4A_7C15
        } else if bytes.count <= 16 {
            let suffix = UnsafeRawPointer(bytes.baseAddress! + bytes.count - 8).loadUnaligned(as: UInt64.self)
            hash = ((prefix &* 0x9E37_79B9_7F4A_7C15) ^ suffix ^ UInt64(bytes.count) << 59) &* 0xC2B2_AE3D_27D4_EB4F
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
        var index = Self.hash(bytes, prefix: prefix) & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let slot = table[index]
                if slot.entry < 0 { return -index - 1 }
                if slot.prefix == prefix && Int(slot.length) == count {
                    if count <= 8 { return index }
                    let start = keyStart[Int(slot.entry)]
                    let same = keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, bytes.baseAddress!, count) == 0 }
                    if same { return index }
                }
                index = (index + 1) & mask
            }
        }
    }

    @inlinable
    public func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        let index = find(bytes)
        return index >= 0 ? values[Int(slots[index].entry)] : nil
    }

    @inlinable
    public mutating func insert(_ value: Value, for bytes: UnsafeBufferPointer<UInt8>) {
        let index = find(bytes)
        guard index < 0, values.count * 2 < slots.count, bytes.count < Int(Int32.max) else { return }
        slots[-index - 1] = Slot(prefix: Self.prefix(bytes), length: Int32(bytes.count), entry: Int32(values.count))
        keyStart.append(keyBytes.count)
        keyBytes.append(contentsOf: bytes)
        values.append(value)
    }
}
