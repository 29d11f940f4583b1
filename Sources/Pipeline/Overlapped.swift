import Foundation

/// Runs a producer on a second core while the calling thread consumes what it produces, in order.
///
/// Ingest uses it to read and normalize a file (CSV/XML parsing, pseudonyms) while the store writes the
/// records already normalized: the SQLite connection stays on the calling thread. Items travel in batches,
/// and at most `depth` batches wait at a time, so memory stays flat however large the file is.
enum Overlapped {
    /// Calls `produce` on another thread with an `emit` function, and `consume` here for every emitted item.
    /// An error of either side stops both and is rethrown here (the consumer's first, as it happened first).
    static func run<T>(batchSize: Int = 1024, depth: Int = 4,
                       produce: (_ emit: (T) throws -> Void) throws -> Void,
                       consume: (T) throws -> Void) throws {
        let channel = Channel<T>(depth: depth)
        let done = DispatchSemaphore(value: 0)
        try withoutActuallyEscaping(produce) { produce in
            let task = UncheckedBox(produce)
            DispatchQueue.global().async {
                var batch: [T] = []
                batch.reserveCapacity(batchSize)
                // Drop the closure before signalling: `withoutActuallyEscaping` checks that nothing holds it.
                defer {
                    task.value = nil
                    done.signal()
                }
                do {
                    try task.value! { item in
                        batch.append(item)
                        if batch.count == batchSize {
                            try channel.put(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                    if !batch.isEmpty { try channel.put(batch) }
                    channel.finish(nil)
                } catch {
                    channel.finish(error)
                }
            }
            // `produce` must not outlive this call: wait for the producer whatever happens here.
            defer { done.wait() }
            do {
                while let items = try channel.take() {
                    for item in items { try consume(item) }
                }
            } catch {
                channel.cancel()
                throw error
            }
        }
    }

    /// Hands a non-escaping closure to the producer thread; `run` waits for that thread before returning.
    private final class UncheckedBox<Value>: @unchecked Sendable {
        var value: Value?
        init(_ value: Value) { self.value = value }
    }

    /// A bounded FIFO of batches between the two threads.
    private final class Channel<T>: @unchecked Sendable {
        private let condition = NSCondition()
        private var batches: [[T]] = []
        private var finished = false
        private var failure: (any Error)?
        private var cancelled = false
        private let depth: Int

        init(depth: Int) { self.depth = depth }

        struct Cancelled: Error {}

        func put(_ batch: [T]) throws {
            condition.lock()
            defer { condition.unlock() }
            while batches.count >= depth && !cancelled { condition.wait() }
            if cancelled { throw Cancelled() }
            batches.append(batch)
            condition.broadcast()
        }

        func finish(_ error: (any Error)?) {
            condition.lock()
            finished = true
            failure = error
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch; nil when the producer has finished and everything was taken; rethrows its error.
        func take() throws -> [T]? {
            condition.lock()
            defer { condition.unlock() }
            while batches.isEmpty && !finished { condition.wait() }
            if !batches.isEmpty {
                condition.broadcast()
                return batches.removeFirst()
            }
            if let failure { throw failure }
            return nil
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }
    }
}
