import LeanPulseCore
import Testing

@Suite struct ByteKeyTableTests {
    @Test func shortAndLongKeysAreTellApart() {
        var table = ByteKeyTable<Int>(minimumSlots: 64)
        let keys: [[UInt8]] = [Array("ab".utf8), Array("ab".utf8) + [0], Array("abcdefgh".utf8), Array("abcdefghi".utf8),
                               Array("abcdefghj".utf8), [], [0], Array("Zürich-7".utf8)]
        for (i, key) in keys.enumerated() { key.withUnsafeBufferPointer { table.insert(i, for: $0) } }
        for (i, key) in keys.enumerated() { #expect(key.withUnsafeBufferPointer { table.value(for: $0) } == i) }
        #expect(Array("abc".utf8).withUnsafeBufferPointer { table.value(for: $0) } == nil)
        #expect(Array("abcdefghk".utf8).withUnsafeBufferPointer { table.value(for: $0) } == nil)
    }

    @Test func stopsTakingKeysWhenHalfFull() {
        var table = ByteKeyTable<Int>(minimumSlots: 16)
        func key(_ i: Int) -> [UInt8] { Array("team-\(i)".utf8) }
        for i in 0..<100 { key(i).withUnsafeBufferPointer { table.insert(i, for: $0) } }
        let kept = (0..<100).filter { (i: Int) -> Bool in key(i).withUnsafeBufferPointer { table.value(for: $0) } == i }
        #expect(kept == Array(0..<8))
    }

    /// Every length class of the hash (up to 8 bytes, 9 to 16 from prefix and suffix, longer by FNV): keys that differ
    /// only in the middle are all found, and near misses are not.
    @Test func keysThatDifferInTheMiddleAreAllFound() {
        var table = ByteKeyTable<Int>(minimumSlots: 8192)
        let keys = (0..<1000).map { Array("d\($0)x".utf8) } + (0..<1000).map { Array("dept-\($0)-north".utf8) }
            + (0..<1000).map { Array("organisation-unit-\($0)-of-the-north".utf8) } + [Array("in_progress".utf8), Array("implemented".utf8)]
        for (i, key) in keys.enumerated() { key.withUnsafeBufferPointer { table.insert(i, for: $0) } }
        for (i, key) in keys.enumerated() { #expect(key.withUnsafeBufferPointer { table.value(for: $0) } == i) }
        for miss in ["dept-1000-north", "dept-12-nortH", "organisation-unit-1000-of-the-north", "in_progresS", "d1000x"] {
            #expect(Array(miss.utf8).withUnsafeBufferPointer { table.value(for: $0) } == nil, "\(miss)")
        }
    }
}
