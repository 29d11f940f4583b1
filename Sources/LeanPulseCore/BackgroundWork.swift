import Foundation

/// Work started on another thread whose result (or error) the caller collects later: how a stage puts the second core
/// to use while it goes on with independent work (the ideas load beside the responses, the survey statistics beside
/// the unit metrics). Work that cannot fail has `Failure == Never`, and its `result()` does not throw.
public final class BackgroundWork<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, Failure>?

    public init(_ work: @escaping @Sendable () throws(Failure) -> Value) {
        DispatchQueue.global().async {
            self.outcome = Result(catching: work)
            self.done.signal()
        }
    }

    /// Waits for the work and returns its value or rethrows its error.
    public func result() throws(Failure) -> Value {
        done.wait()
        return try outcome!.get()
    }
}
