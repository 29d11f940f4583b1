/// A growing byte buffer for what Render writes: a page (`TemplateRenderer`) or a CSV table (`CSVTable`). Appending a
/// run of bytes is a bounds check and a copy (an `[UInt8]`'s `append(contentsOf:)` cost four times that per call in
/// the profile).
final class ByteBuffer {
    @exclusivity(unchecked) private var start: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        if count + n > capacity { grow(to: count + n) }
        let target = start + count
        if n <= 16 {
            // Most runs are a value or a short stretch of markup: copied in place as two words that may overlap
            // (a `memcpy` call costs more than the copy at these sizes).
            let from = UnsafeRawPointer(base), to = UnsafeMutableRawPointer(target)
            if n >= 8 {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
            } else {
                for i in 0 ..< n { target[i] = base[i] }
            }
        } else {
            target.update(from: base, count: n)
        }
        count += n
    }

    /// Appends an ASCII or UTF-8 literal such as `"&amp;"`.
    @inline(__always)
    func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: start, count: count)
        start.deallocate()
        start = bigger
        capacity = newCapacity
    }

    /// Appends `text`'s UTF-8 bytes as they are.
    @inline(__always)
    func append(utf8 text: String) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if written == nil {
            var copy = text
            copy.withUTF8 { append($0) }
        }
    }

    /// Appends one byte.
    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        start[count] = byte
        count += 1
    }

    /// Room for `extra` more bytes written in place by `body`, which returns how many it wrote.
    @inline(__always)
    func append(upTo extra: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if count + extra > capacity { grow(to: count + extra) }
        count += body(start + count)
    }

    /// The bytes written so far, in place (valid until the next append or `removeAll`).
    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    /// Forgets what was written, keeping the room.
    func removeAll() { count = 0 }

    /// The bytes written so far, copied out.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: start, count: count))
    }
}
