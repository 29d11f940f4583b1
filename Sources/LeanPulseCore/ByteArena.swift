import Foundation

/// Bytes appended back to back at an address of their own, grown by doubling: the texts of a column batch
/// (`IdeaColumns`, `ResponseColumns`) and of the XML reader's queued records (a `RawRecord` points into them after
/// `nextRaw` returns, which an Array's storage does not promise).
public struct ByteArena: ~Copyable {
    @usableFromInline var _base: UnsafeMutablePointer<UInt8>
    public var base: UnsafeMutablePointer<UInt8> { _base }
    @usableFromInline var _count = 0
    public var count: Int { _count }
    @usableFromInline var capacity: Int

    public init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        _base = .allocate(capacity: self.capacity)
    }

    deinit { _base.deallocate() }

    @inlinable @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if _count + bytes.count > capacity { grow(to: _count + bytes.count) }
        ByteArena.copy(from: source, to: _base + _count, count: bytes.count)
        _count += bytes.count
    }

    /// Drops the first `n` bytes; the rest moves to the front.
    public mutating func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        memmove(_base, _base + n, _count - n)
        _count -= n
    }

    @usableFromInline
    mutating func grow(to needed: Int) {
        capacity = Swift.max(capacity * 2, needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: _base, count: _count)
        _base.deallocate()
        _base = grown
    }

    /// Copies `n` bytes; most texts of a record are a few bytes, for which a call to memmove cost more than two
    /// overlapping word copies.
    @inlinable @inline(__always)
    static func copy(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count n: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
        if n >= 8 && n <= 16 {
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (to + (n - 8)).storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), as: UInt64.self)
        } else if n >= 4 && n < 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            (to + (n - 4)).storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n { target[i] = source[i] }
        } else {
            target.update(from: source, count: n)
        }
    }
}

extension Optional where Wrapped == String {
    /// `body` with the text's UTF-8, or with nil when there is no text (for the byte-taking appends of the batches).
    @inlinable
    public mutating func withUTF8IfPresent<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard self != nil else { return body(nil) }
        return self!.withUTF8 { body($0) }
    }
}
