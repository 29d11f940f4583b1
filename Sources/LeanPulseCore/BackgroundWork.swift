import Foundation

/// Work started on another thread whose result (or error) the caller collects later: how a stage puts the second core
/// to use while it goes on with independent work (the ideas load beside the responses, the survey statistics beside
/// the unit metrics).
public final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Value, any Error>?

    public init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.outcome = Result { try work() }
            self.done.signal()
        }
    }

    /// Waits for the work and returns its value or rethrows its error.
    public func result() throws -> Value {
        done.wait()
        return try outcome!.get()
    }

    /// Waits for work that cannot fail and returns its value.
    public func value() -> Value {
        done.wait()
        switch outcome! {
        case .success(let value): return value
        case .failure(let error): preconditionFailure("work that cannot fail failed: \(error)")
        }
    }
}
